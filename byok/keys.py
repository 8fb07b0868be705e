"""The one place the rest of Kairo asks for a user's usable keys.

Placeholder until [BYOK] lands: every user is in demo mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from users.models import User


@dataclass(frozen=True)
class UsableKeys:
    apify_token: str
    openai_key: str


def get_usable_keys(user: User) -> UsableKeys | None:
    return None


def is_demo_mode(user: User) -> bool:
    return get_usable_keys(user) is None
