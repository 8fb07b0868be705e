"""Unsubscribe links that work without logging in: a token signed with SECRET_KEY (and
SECRET_KEY_FALLBACKS while rotating) that names the brand and its owner. It never
expires — an unsubscribe link in a months-old email must still work — and a token for a
brand that changed owner no longer matches, so a forwarded old email can't unsubscribe
the new owner. Anything altered fails the signature and is refused.
"""

from __future__ import annotations

from uuid import UUID

from django.core import signing
from django.core.exceptions import ValidationError

from brands.models import Brand

SALT = "kairo.schedules.unsubscribe"


def _signer() -> signing.Signer:
    # Not TimestampSigner: the same brand always gets the same link, and it never expires.
    return signing.Signer(salt=SALT)


def unsubscribe_token(brand: Brand) -> str:
    return _signer().sign_object({"b": str(brand.pk), "o": str(brand.owner_id)})


def brand_for_token(token: str) -> Brand | None:
    """The brand the token was made for, or None for a forged, altered or stale token."""
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):  # ValueError: signed, but not our format
        return None
    if not isinstance(payload, dict):
        return None
    try:
        return (
            Brand.objects.select_related("owner")
            .filter(pk=UUID(str(payload.get("b"))), owner_id=UUID(str(payload.get("o"))))
            .first()
        )
    except (ValueError, TypeError, ValidationError):  # well signed but not ids: refuse
        return None
