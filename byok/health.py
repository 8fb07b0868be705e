"""Which of a user's saved keys failed their last Test Connection, for pages outside
Settings (the Today board warns before a run fails on them).

Reads the result byok/keys.py records on the key row; never decrypts anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from byok.keys import user_keys_row
from byok.messages import message_for
from byok.models import ValidationStatus
from byok.providers import SPECS
from users.models import User


@dataclass(frozen=True)
class FailedKey:
    name: str  # "Apify API token"
    status: str  # a ValidationStatus value other than OK
    message: str  # what went wrong and what to do, in the product's words


def failed_keys(user: User) -> list[FailedKey]:
    """The saved keys whose last test did not pass; untested keys are not counted."""
    row = user_keys_row(user)
    if row is None:
        return []
    failed = []
    for spec in SPECS.values():
        status = getattr(row, f"{spec.field}_validation")
        if row.has_key(spec.field) and status and status != ValidationStatus.OK:
            failed.append(FailedKey(spec.key_label, status, message_for(spec, status)))
    return failed
