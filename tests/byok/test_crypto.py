"""byok.crypto: MultiFernet from ENCRYPTION_KEY; wrong or missing keys fail loudly."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from byok.crypto import KeyDecryptionError, decrypt_secret, encrypt_secret, reencrypt_secret
from tests.support.keys import OPENAI_KEY

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def test_round_trip(settings):
    settings.ENCRYPTION_KEY = OLD
    token = encrypt_secret(OPENAI_KEY)
    assert isinstance(token, bytes)
    assert OPENAI_KEY.encode() not in token
    assert decrypt_secret(token) == OPENAI_KEY
    assert encrypt_secret(OPENAI_KEY) != token  # random IV: no equal ciphertexts


def test_wrong_key_raises_and_never_returns_ciphertext(settings):
    settings.ENCRYPTION_KEY = OLD
    token = encrypt_secret(OPENAI_KEY)
    settings.ENCRYPTION_KEY = NEW
    with pytest.raises(KeyDecryptionError):
        decrypt_secret(token)
    with pytest.raises(KeyDecryptionError):
        reencrypt_secret(token)


def test_independent_of_secret_key(settings):
    settings.ENCRYPTION_KEY = OLD
    token = encrypt_secret(OPENAI_KEY)
    settings.SECRET_KEY = "a-completely-different-secret-key-0123456789-abcdefghij"
    assert decrypt_secret(token) == OPENAI_KEY


def test_any_listed_key_decrypts_and_the_first_encrypts(settings):
    settings.ENCRYPTION_KEY = OLD
    old_token = encrypt_secret(OPENAI_KEY)
    settings.ENCRYPTION_KEY = f"{NEW}, {OLD}"
    assert decrypt_secret(old_token) == OPENAI_KEY
    new_token = encrypt_secret(OPENAI_KEY)
    settings.ENCRYPTION_KEY = NEW
    assert decrypt_secret(new_token) == OPENAI_KEY


@pytest.mark.parametrize("value", ["", " , ", "not-a-fernet-key", f"{OLD},short"])
def test_missing_or_malformed_configuration_is_refused(settings, value):
    settings.ENCRYPTION_KEY = value
    with pytest.raises(ImproperlyConfigured) as excinfo:
        encrypt_secret(OPENAI_KEY)
    assert "not-a-fernet-key" not in str(excinfo.value) and "short" not in str(excinfo.value)


def test_decrypted_keys_are_masked_in_later_logs(settings, caplog):
    settings.ENCRYPTION_KEY = OLD
    odd_shaped = "legacy-" + "Zq7" * 12  # not key-shaped: masked only because it is known
    decrypt_secret(encrypt_secret(odd_shaped))
    with caplog.at_level(logging.INFO):
        logging.getLogger("anything").info("oops %s", odd_shaped)
    assert odd_shaped not in caplog.text
    assert "[REDACTED]" in caplog.text
