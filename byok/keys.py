"""Users' stored keys: saving, removing, summarising, and the one function the rest of
Kairo uses to get the keys a user's work runs with (`get_usable_keys`).

Operator keys (OPENAI_API_KEY / APIFY_TOKEN in the environment) stand in for a missing
key of a staff user only; ordinary users always bring their own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from byok.crypto import decrypt_secret, encrypt_secret
from byok.formats import KeyFormatError, check_key_format
from byok.messages import message_for
from byok.models import UserAPIKeys, ValidationStatus
from byok.openai_models import supports_structured_outputs
from byok.providers import SPECS, SPECS_BY_FIELD, ProviderSpec
from kairo.wording import time_ago
from users.models import User

logger = logging.getLogger(__name__)

SCRAPING_DISABLED_MESSAGE = (
    "Scraping is switched off on this Kairo server (APIFY_ENABLED=false), so new evidence "
    "can't be collected for anyone right now. Ask the administrator to turn it back on."
)


@dataclass(frozen=True)
class UsableKeys:
    """Plaintext keys for one user's work, and the OpenAI model it runs on. Never log or
    render the keys; repr hides them."""

    apify_token: str = field(repr=False)
    openai_key: str = field(repr=False)
    openai_model: str


@dataclass(frozen=True)
class KeySummary:
    """What may be shown about one key: never the key itself."""

    spec: ProviderSpec
    connected: bool  # the user has stored a key of their own
    last4: str
    source: str | None  # "user", "operator" (staff fallback) or None
    validated_at: datetime | None
    validation: str  # a ValidationStatus value, "" if never tested

    @property
    def masked(self) -> str:
        return f"•••• {self.last4}" if self.last4 else ""

    @property
    def validation_ok(self) -> bool | None:
        return None if not self.validation else self.validation == ValidationStatus.OK

    @property
    def tested_ago(self) -> str:
        """When the saved key was last tested: "just now", "5 minutes ago" ("" never)."""
        return time_ago(self.validated_at)

    @property
    def validation_message(self) -> str:
        if not self.validation:
            return ""
        return message_for(self.spec, self.validation)

    def as_api(self) -> dict[str, object]:
        return {
            "connected": self.connected,
            "last4": self.last4 or None,
            "masked": self.masked or None,
            "source": self.source,
            "last_validated_at": self.validated_at.isoformat() if self.validated_at else None,
            "last_validation": (
                {
                    "ok": self.validation_ok,
                    "status": self.validation,
                    "message": self.validation_message,
                }
                if self.validation
                else None
            ),
        }


class InvalidKeys(ValueError):
    """Some submitted values can't be keys; `errors` maps field -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Invalid API keys: " + ", ".join(sorted(errors)))
        self.errors = errors


def operator_key(spec: ProviderSpec) -> str:
    return str(settings.APIFY_TOKEN if spec.field == "apify_token" else settings.OPENAI_API_KEY)


def operator_key_for(user: User, spec: ProviderSpec) -> str:
    return operator_key(spec) if user.is_staff else ""


def user_keys_row(user: User) -> UserAPIKeys | None:
    return UserAPIKeys.objects.filter(user=user).first()


def key_summaries(user: User) -> dict[str, KeySummary]:
    """For each provider field (`apify_token`, `openai_key`): what may be shown about it."""
    row = user_keys_row(user)
    summaries = {}
    for spec in SPECS.values():
        connected = row is not None and row.has_key(spec.field)
        if connected:
            source = "user"
        elif operator_key_for(user, spec):
            source = "operator"
        else:
            source = None
        summaries[spec.field] = KeySummary(
            spec=spec,
            connected=connected,
            last4=getattr(row, f"{spec.field}_last4") if connected else "",
            source=source,
            validated_at=getattr(row, f"{spec.field}_validated_at") if connected else None,
            validation=getattr(row, f"{spec.field}_validation") if connected else "",
        )
    return summaries


def check_key_changes(changes: Mapping[str, object]) -> dict[str, str]:
    """Validate a {field: value} mapping ("" = remove); return it or raise InvalidKeys."""
    errors: dict[str, str] = {}
    checked: dict[str, str] = {}
    for name, value in changes.items():
        spec = SPECS_BY_FIELD.get(name)
        if spec is None:
            errors[name] = "Unknown field. Send apify_token, openai_key and/or openai_model."
            continue
        if value == "":
            checked[name] = ""
            continue
        try:
            checked[name] = check_key_format(spec, value)
        except KeyFormatError as exc:
            errors[name] = str(exc)
    if errors:
        raise InvalidKeys(errors)
    return checked


def save_user_keys(*, user: User, changes: Mapping[str, object]) -> UserAPIKeys:
    """Store the given keys (a field left out is unchanged, "" removes it).

    Raises InvalidKeys (and changes nothing) if any value is malformed. A new key starts
    untested: its previous key's validation result is cleared.
    """
    checked = check_key_changes(changes)
    with transaction.atomic():
        row, _ = UserAPIKeys.objects.select_for_update().get_or_create(user=user)
        for name, value in checked.items():
            setattr(row, f"{name}_encrypted", encrypt_secret(value) if value else None)
            setattr(row, f"{name}_last4", value[-4:])
            setattr(row, f"{name}_validated_at", None)
            setattr(row, f"{name}_validation", "")
        if "openai_key" in checked:  # the model list was the old key's (the choice stays)
            row.openai_key_models = []
            row.openai_key_models_listed_at = None
            row.openai_key_models_status = ""
        row.save()
    summary = ", ".join(f"{name} {'saved' if v else 'removed'}" for name, v in checked.items())
    logger.info("API keys of user %s updated: %s", user.pk, summary or "nothing")
    return row


def remove_user_key(*, user: User, spec: ProviderSpec) -> bool:
    """Forget the user's key for `spec`. Returns whether there was one."""
    row = user_keys_row(user)
    if row is None or not row.has_key(spec.field):
        return False
    save_user_keys(user=user, changes={spec.field: ""})
    return True


def stored_ciphertext(user: User, spec: ProviderSpec) -> bytes | None:
    row = user_keys_row(user)
    if row is None or not row.has_key(spec.field):
        return None
    return bytes(getattr(row, f"{spec.field}_encrypted"))


def record_validation(
    *, user: User, spec: ProviderSpec, ciphertext: bytes, status: str
) -> datetime | None:
    """Store a Test Connection result on the stored key it was run against.

    Matching on the ciphertext means a key replaced while the test ran keeps its own
    (empty) result instead of inheriting the old key's.
    """
    now = timezone.now()
    updated = UserAPIKeys.objects.filter(
        user=user, **{f"{spec.field}_encrypted": ciphertext}
    ).update(
        **{f"{spec.field}_validated_at": now, f"{spec.field}_validation": status},
        updated_at=now,
    )
    return now if updated else None


def get_usable_keys(user: User) -> UsableKeys | None:
    """The plaintext keys `user`'s regenerations run with, or None (demo mode).

    A staff user without a key of their own gets the operator's key for it. Raises
    byok.crypto.KeyDecryptionError if a stored key can't be decrypted (a server
    configuration error that must not pass for demo mode).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    row = user_keys_row(user)
    keys = {}
    for spec in SPECS.values():
        if row is not None and row.has_key(spec.field):
            keys[spec.field] = decrypt_secret(getattr(row, f"{spec.field}_encrypted"))
        else:
            keys[spec.field] = operator_key_for(user, spec)
    if not all(keys.values()):
        return None
    return UsableKeys(
        apify_token=keys["apify_token"],
        openai_key=keys["openai_key"],
        openai_model=model_for_runs(row),
    )


def model_for_runs(row: UserAPIKeys | None) -> str:
    """The OpenAI model the user's runs use: their pick, else the server's default.

    A pick the price table no longer offers (a family taken out of
    byok/openai_models.py) falls back to the default instead of failing every run.
    """
    chosen = row.openai_model if row is not None else ""
    return chosen if chosen and supports_structured_outputs(chosen) else settings.OPENAI_MODEL


def is_demo_mode(user: User) -> bool:
    """True when `user` lacks a usable key; cheap (nothing is decrypted)."""
    if not getattr(user, "is_authenticated", False):
        return True
    row = user_keys_row(user)
    return not all(
        (row is not None and row.has_key(spec.field)) or operator_key_for(user, spec)
        for spec in SPECS.values()
    )


def scraping_unavailable_reason() -> str | None:
    """Why nobody can scrape right now (APIFY_ENABLED=false), or None if scraping is on."""
    return None if settings.APIFY_ENABLED else SCRAPING_DISABLED_MESSAGE
