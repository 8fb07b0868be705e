"""What an account action (sign-up, login, an email link, connecting) tells the page.

Its own module so that users/auth.py (which dispatches to the Supabase provider) and
users/supabase.py (the provider) both use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from users.models import User

# Said by local accounts and Supabase alike.
EXISTING_ACCOUNT = "An account with this email already exists. Log in instead."
WRONG_CREDENTIALS = "Wrong email or password."

# What the page does next when an AuthResult is ok but nobody is logged in yet.
CHECK_EMAIL = "check_email"  # sign-up: confirm the address with the link Supabase sent
CONNECT_LINK_SENT = "connect_link_sent"  # an existing account: open the link we sent
CONNECT = "connect"  # the link proved the address: choose a password to connect


@dataclass
class AuthResult:
    user: User | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    next_step: str = ""
    status: int = 0  # an HTTP status for the page other than the usual 400 (403, 503)
    rate_limited: bool = False  # refused for too many attempts: the page answers 429

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_status(self) -> int:
        """The page's HTTP status when the result failed."""
        return self.status or (429 if self.rate_limited else 400)
