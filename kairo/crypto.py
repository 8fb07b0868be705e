"""The server's encryption: one MultiFernet built from ENCRYPTION_KEY, for every secret
Kairo stores (users' API keys in byok/, Supabase session tokens in users/).

ENCRYPTION_KEY holds one Fernet key, or several separated by commas with the newest
first. New values are encrypted with the first; any listed key decrypts. It is
deliberately independent of DJANGO_SECRET_KEY, so rotating one never destroys the other.
Rotation: put a new key in front, run `manage.py rotate_encryption_keys` (it re-encrypts
everything stored), then drop the old one. A value no listed key can open raises
DecryptionFailed, never returns bytes.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionFailed(RuntimeError):
    """No key in ENCRYPTION_KEY opens the value (or it is not a Fernet token at all)."""


@functools.lru_cache(maxsize=4)
def _multifernet_for(config: str) -> MultiFernet:
    parts = [part.strip() for part in config.split(",") if part.strip()]
    if not parts:
        raise ImproperlyConfigured(
            "ENCRYPTION_KEY is not set; Kairo can't store users' API keys without it. "
            "Generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        )
    fernets = []
    for position, part in enumerate(parts, start=1):
        try:
            fernets.append(Fernet(part.encode()))
        except (ValueError, TypeError):
            # Never echo the value: it is a secret even when malformed.
            raise ImproperlyConfigured(
                f"ENCRYPTION_KEY entry #{position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from None
    return MultiFernet(fernets)


def multifernet() -> MultiFernet:
    """Raises ImproperlyConfigured if ENCRYPTION_KEY is missing or malformed."""
    return _multifernet_for(settings.ENCRYPTION_KEY or "")


def encrypt(plaintext: str) -> bytes:
    return multifernet().encrypt(plaintext.encode())


def decrypt(token: bytes | memoryview | str) -> str:
    raw = token.encode() if isinstance(token, str) else bytes(token)
    try:
        return multifernet().decrypt(raw).decode()
    except (InvalidToken, UnicodeDecodeError):
        raise DecryptionFailed("No key in ENCRYPTION_KEY opens this value.") from None


def reencrypt(token: bytes | memoryview | str) -> bytes:
    """`token` re-encrypted under the newest key (its timestamp is kept)."""
    raw = token.encode() if isinstance(token, str) else bytes(token)
    try:
        return multifernet().rotate(raw)
    except InvalidToken:
        raise DecryptionFailed("No key in ENCRYPTION_KEY opens this value.") from None
