"""Carries a Test Connection result over to the key when it is then saved.

Testing a pasted key and pressing Save should not show "Saved, not tested yet". The
session remembers the outcome of the last test per provider under an HMAC of the key
(never the key itself); saving that same key records the result on the stored key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from byok.keys import record_validation, stored_ciphertext
from byok.providers import SPECS_BY_FIELD, ProviderSpec
from users.models import User

SESSION_KEY = "byok_tested_keys"


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
