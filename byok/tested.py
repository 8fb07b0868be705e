"""Carries a Test Connection result over to the key when it is then saved.

Testing a pasted key and pressing Save should not show "Saved, not tested yet". The
session remembers the outcome of the last test per provider under an HMAC of the key
(never the key itself); saving that same key records the result on the stored key.

A key whose test just failed is not saved silently: Settings asks first
(`failed_tests`). While it asks, the keys being saved wait in the session, encrypted
like stored keys (`hold_for_confirmation`), because a page re-rendered without
JavaScript never sends a typed key back to the browser.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from byok.crypto import KeyDecryptionError, decrypt_secret, encrypt_secret
from byok.keys import record_validation, stored_ciphertext
from byok.models import ValidationStatus
from byok.providers import SPECS_BY_FIELD, ProviderSpec
from users.models import User

SESSION_KEY = "byok_tested_keys"
HELD_KEY = "byok_keys_to_confirm"


def _fingerprint(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


def remember_test(session: SessionBase, spec: ProviderSpec, key: str, status: str) -> None:
    tested = dict(session.get(SESSION_KEY, {}))
    tested[spec.field] = {"fingerprint": _fingerprint(key), "status": status}
    session[SESSION_KEY] = tested


def apply_remembered_tests(session: SessionBase, user: User, changes: Mapping[str, str]) -> None:
    """After saving `changes`, record the earlier test of any saved key that was tested."""
    tested = dict(session.get(SESSION_KEY, {}))
    for field, value in changes.items():
        entry = tested.pop(field, None)
        if not value or entry is None:
            continue
        if hmac.compare_digest(entry["fingerprint"], _fingerprint(value)):
            spec = SPECS_BY_FIELD[field]
            ciphertext = stored_ciphertext(user, spec)
            if ciphertext is not None:
                record_validation(
                    user=user, spec=spec, ciphertext=ciphertext, status=entry["status"]
                )
    session[SESSION_KEY] = tested


def _tested_status(session: SessionBase, field: str, value: str) -> str | None:
    """The status of the last test of exactly `value` in `field`, or None if untested."""
    entry = session.get(SESSION_KEY, {}).get(field)
    if not value or entry is None:
        return None
    if not hmac.compare_digest(entry["fingerprint"], _fingerprint(value)):
        return None
    return str(entry["status"])


def failed_tests(session: SessionBase, changes: Mapping[str, str]) -> dict[str, str]:
    """Of the keys about to be saved, those whose Test Connection just failed:
    {field: status}. A key tested OK, or never tested, is not in it."""
    failed = {}
    for field, value in changes.items():
        status = _tested_status(session, field, value)
        if status is not None and status != ValidationStatus.OK:
            failed[field] = status
    return failed


def hold_for_confirmation(session: SessionBase, changes: Mapping[str, str]) -> None:
    """Keep the keys waiting for "Save anyway", encrypted."""
    session[HELD_KEY] = {
        field: encrypt_secret(value).decode()
        for field, value in changes.items()
        if value and field in SPECS_BY_FIELD
    }


def take_held(session: SessionBase) -> dict[str, str]:
    """The keys held by `hold_for_confirmation` (and forget them). One that can no
    longer be read (ENCRYPTION_KEY changed meanwhile) is left out."""
    held = session.pop(HELD_KEY, None) or {}
    keys = {}
    for field, token in held.items():
        if field not in SPECS_BY_FIELD:
            continue
        try:
            keys[field] = decrypt_secret(token.encode())
        except KeyDecryptionError:
            continue
    return keys
