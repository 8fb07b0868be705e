"""Encryption of users' keys: MultiFernet built from ENCRYPTION_KEY.

ENCRYPTION_KEY holds one Fernet key, or several separated by commas with the newest
first. New values are encrypted with the first; any listed key decrypts. It is
deliberately independent of DJANGO_SECRET_KEY, so rotating one never destroys the other.
Rotation: put a new key in front, run `manage.py rotate_encryption_keys`, then drop the
old one. A value no listed key can open raises KeyDecryptionError, never returns bytes.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kairo.logging import remember_secret


class KeyDecryptionError(RuntimeError):
    """A stored key can't be opened with any key in ENCRYPTION_KEY."""


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


def _multifernet() -> MultiFernet:
    return _multifernet_for(settings.ENCRYPTION_KEY or "")


def check_configuration() -> None:
    """Raise ImproperlyConfigured if ENCRYPTION_KEY is missing or malformed."""
    _multifernet()


def encrypt_secret(plaintext: str) -> bytes:
    return _multifernet().encrypt(plaintext.encode())


def decrypt_secret(token: bytes | memoryview) -> str:
    """The plaintext of `token`; it is also masked in every later log line."""
    try:
        plaintext = _multifernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        raise KeyDecryptionError(
            "A stored API key can't be decrypted with any key in ENCRYPTION_KEY "
            "(was the key it was encrypted with removed before rotate_encryption_keys ran?)."
        ) from None
    remember_secret(plaintext)
    return plaintext


def reencrypt_secret(token: bytes | memoryview) -> bytes:
    """`token` re-encrypted under the newest key (its timestamp is kept)."""
    try:
        return _multifernet().rotate(bytes(token))
    except InvalidToken:
        raise KeyDecryptionError(
            "A stored API key can't be decrypted with any key in ENCRYPTION_KEY."
        ) from None
