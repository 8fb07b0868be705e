"""Which Kairo account a verified Supabase token stands for, and when an account that
already exists may be linked to a Supabase identity.

- A token whose `sub` is linked: that account.
- A token whose email no Kairo account has: a new account, linked from the start.
- A token whose email belongs to a Kairo account with no Supabase link (made before
  Supabase mode, by `createsuperuser`, by `migrate_goodie`): LinkRequired. It is never
  linked on sight: with "Confirm email" off, Supabase lets anyone register any address
  and marks it confirmed at once, so neither the address nor `email_confirmed_at` proves
  who is asking.

An existing account is linked only with proof that the person controls the address:
- they opened a link Supabase emailed to it (POST /verify: the sign-up confirmation, a
  magic link Kairo asks for, a recovery link) and then chose the password on the
  "Connect your account" page (users/supabase_connect.py). Choosing it replaces whatever
  password whoever registered the Supabase account set; Kairo then ends every other
  Supabase session of it and refuses access tokens issued before the link (see
  `_issued_before_link`), so nobody else's earlier sign-in carries over;
- or an operator runs `manage.py link_supabase_account`.
Staff and superusers are only ever linked by the operator command.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from users.jwt import CLOCK_SKEW_SECONDS, InvalidToken, verify_access_token
from users.models import User

OTHER_ACCOUNT = "This email belongs to another Kairo account."
OPERATOR_ONLY = (
    "This email belongs to a Kairo staff account. An operator connects it to Supabase "
    "with `manage.py link_supabase_account` (see docs/deploy.md)."
)


class LinkRequired(Exception):
    """The token's email is an existing Kairo account that is not linked to Supabase yet."""

    def __init__(self, user: User, uid: uuid.UUID, session_id: str | None) -> None:
        super().__init__("This email belongs to a Kairo account that must be connected first.")
        self.user = user
        self.uid = uid
        self.session_id = session_id

    @property
    def by_email_allowed(self) -> bool:
        return may_link_by_email(self.user)


def may_link_by_email(user: User) -> bool:
    return user.is_active and not user.is_staff and not user.is_superuser


def user_for_access_token(token: str) -> User:
    """The Kairo user for a valid token. Raises users.jwt.InvalidToken, KeysUnavailable
    (the check could not run), or LinkRequired (an existing account, not linked yet)."""
    return user_for_claims(verify_access_token(token))


def user_for_claims(claims: dict[str, Any]) -> User:
    uid = uuid.UUID(claims["sub"])
    email = str(claims.get("email") or "").strip().lower()
    user = User.objects.filter(supabase_uid=uid).first()
    if user is None:
        user = _create(uid, email, claims.get("session_id"))
    elif _issued_before_link(user, claims):
        raise InvalidToken("This sign-in began before the account was connected. Log in again.")
    elif email and user.email != email:
        _follow_email_change(user, email)
    if not user.is_active:
        raise InvalidToken("This account is disabled.")
    return user


def _issued_before_link(user: User, claims: dict[str, Any]) -> bool:
    """Tokens of sessions other than the one that proved the link, issued before it (with
    clock-skew margin): someone else's sign-in to the Supabase account before it was
    claimed must not carry over to the Kairo account."""
    if user.supabase_linked_at is None:
        return False
    if user.supabase_link_session and str(user.supabase_link_session) == claims.get("session_id"):
        return False
    issued_at = float(claims["iat"])  # a number: users/jwt.py checked it
    return issued_at < user.supabase_linked_at.timestamp() + CLOCK_SKEW_SECONDS


def _create(uid: uuid.UUID, email: str, session_id: Any) -> User:
    # Accounts without an email (phone sign-in) still need a unique address here.
    email = email or f"{uid}@users.invalid"
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.supabase_uid == uid:
            return existing  # a concurrent request created it a moment ago
        if existing.supabase_uid is not None:
            raise InvalidToken(OTHER_ACCOUNT)
        raise LinkRequired(existing, uid, session_id if isinstance(session_id, str) else None)
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, supabase_uid=uid)
    except IntegrityError:
        # A concurrent request created the row first (or took the address meanwhile).
        user = User.objects.filter(supabase_uid=uid).first()
        if user is None:
            raise InvalidToken(OTHER_ACCOUNT) from None
        return user


def link(user_id: Any, uid: uuid.UUID, *, proving_session: str | None) -> User:
    """Links the account to the Supabase identity `uid`, now. `proving_session` is the
    Supabase session that proved it (its tokens stay valid); None for the operator
    command (every earlier session of `uid` must log in again)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.supabase_uid not in (None, uid):
            raise InvalidToken(OTHER_ACCOUNT)
        if User.objects.filter(supabase_uid=uid).exclude(pk=user.pk).exists():
            raise InvalidToken("This Supabase account is linked to another Kairo account.")
        user.supabase_uid = uid
        user.supabase_linked_at = timezone.now()
        user.supabase_link_session = _uuid_or_none(proving_session)
        user.save(update_fields=["supabase_uid", "supabase_linked_at", "supabase_link_session"])
    return user


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _follow_email_change(user: User, email: str) -> None:
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        return
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        user.refresh_from_db(fields=["email"])
