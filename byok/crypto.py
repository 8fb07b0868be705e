"""Encryption of users' keys, with the server's MultiFernet (kairo/crypto.py).

ENCRYPTION_KEY holds one Fernet key, or several separated by commas with the newest
first (see kairo/crypto.py for rotation). A value no listed key can open raises
KeyDecryptionError, never returns bytes.
"""

from __future__ import annotations

from kairo import crypto
from kairo.logging import remember_secret


class KeyDecryptionError(RuntimeError):
    """A stored key can't be opened with any key in ENCRYPTION_KEY."""


def check_configuration() -> None:
    """Raise ImproperlyConfigured if ENCRYPTION_KEY is missing or malformed."""
    crypto.multifernet()


def encrypt_secret(plaintext: str) -> bytes:
    return crypto.encrypt(plaintext)


def decrypt_secret(token: bytes | memoryview) -> str:
    """The plaintext of `token`; it is also masked in every later log line."""
    try:
        plaintext = crypto.decrypt(token)
    except crypto.DecryptionFailed:
        raise KeyDecryptionError(
            "A stored API key can't be decrypted with any key in ENCRYPTION_KEY "
            "(was the key it was encrypted with removed before rotate_encryption_keys ran?)."
        ) from None
    remember_secret(plaintext)
    return plaintext


def reencrypt_secret(token: bytes | memoryview) -> bytes:
    """`token` re-encrypted under the newest key (its timestamp is kept)."""
    try:
        return crypto.reencrypt(token)
    except crypto.DecryptionFailed:
        raise KeyDecryptionError(
            "A stored API key can't be decrypted with any key in ENCRYPTION_KEY."
        ) from None
