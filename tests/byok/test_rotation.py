"""`manage.py rotate_encryption_keys` through a real rotation."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from byok.crypto import KeyDecryptionError
from byok.keys import get_usable_keys, save_user_keys
from byok.models import UserAPIKeys
from tests.support.keys import APIFY_TOKEN, OPENAI_KEY, OTHER_OPENAI_KEY

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def rotate() -> str:
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    return out.getvalue()


def test_rotation_moves_every_key_to_the_new_encryption_key(alice, bob, settings):
    settings.ENCRYPTION_KEY = OLD
    save_user_keys(user=alice, changes={"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY})
    save_user_keys(user=bob, changes={"openai_key": OTHER_OPENAI_KEY})
    before = {row.pk: bytes(row.openai_key_encrypted) for row in UserAPIKeys.objects.all()}

    # 1. A new key goes in front; the old one is still listed, so everything still reads.
    settings.ENCRYPTION_KEY = f"{NEW},{OLD}"
    assert get_usable_keys(alice).openai_key == OPENAI_KEY

    # 2. Rotate.
    assert "Re-encrypted 3 key(s)" in rotate()
    after = {row.pk: bytes(row.openai_key_encrypted) for row in UserAPIKeys.objects.all()}
    assert all(before[pk] != after[pk] for pk in before)

    # 3. The old key is removed: the keys still decrypt, with the new key alone.
    settings.ENCRYPTION_KEY = NEW
    keys = get_usable_keys(alice)
    assert (keys.apify_token, keys.openai_key) == (APIFY_TOKEN, OPENAI_KEY)
    bob_row = UserAPIKeys.objects.get(user=bob)
    assert bob_row.openai_key_last4 == OTHER_OPENAI_KEY[-4:]
    from byok.crypto import decrypt_secret

    assert decrypt_secret(bob_row.openai_key_encrypted) == OTHER_OPENAI_KEY


def test_without_rotation_dropping_the_old_key_fails_loudly(alice, settings):
    settings.ENCRYPTION_KEY = OLD
    save_user_keys(user=alice, changes={"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY})
    settings.ENCRYPTION_KEY = NEW
    with pytest.raises(KeyDecryptionError):
        get_usable_keys(alice)


def test_rotation_reports_rows_it_cannot_decrypt_and_rotates_the_rest(alice, bob, settings):
    settings.ENCRYPTION_KEY = OLD
    save_user_keys(user=alice, changes={"openai_key": OPENAI_KEY})
    settings.ENCRYPTION_KEY = NEW
    save_user_keys(user=bob, changes={"openai_key": OTHER_OPENAI_KEY})
    bob_before = bytes(UserAPIKeys.objects.get(user=bob).openai_key_encrypted)

    newest = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEY = f"{newest},{NEW}"  # OLD is gone: alice's key is lost
    with pytest.raises(CommandError, match=str(alice.pk)):
        rotate()
    assert bytes(UserAPIKeys.objects.get(user=bob).openai_key_encrypted) != bob_before
    settings.ENCRYPTION_KEY = newest
    from byok.crypto import decrypt_secret

    assert (
        decrypt_secret(UserAPIKeys.objects.get(user=bob).openai_key_encrypted) == OTHER_OPENAI_KEY
    )


def test_rotation_with_nothing_stored(settings):
    settings.ENCRYPTION_KEY = NEW
    assert "Re-encrypted 0 key(s)" in rotate()
