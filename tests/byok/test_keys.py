"""byok.keys: the one function the rest of Kairo asks for keys, demo mode, operator keys."""

from __future__ import annotations

import pytest

from byok.keys import (
    SCRAPING_DISABLED_MESSAGE,
    UsableKeys,
    get_usable_keys,
    is_demo_mode,
    key_summaries,
    save_user_keys,
    scraping_unavailable_reason,
)
from byok.openai_models import DEFAULT_MODEL
from tests.support.keys import APIFY_TOKEN, OPENAI_KEY

pytestmark = pytest.mark.django_db

OPERATOR_OPENAI = "sk-operator0" + "O" * 40
OPERATOR_APIFY = "apify_api_Operator0" + "A" * 27


@pytest.fixture
def operator_keys(settings):
    settings.OPENAI_API_KEY = OPERATOR_OPENAI
    settings.APIFY_TOKEN = OPERATOR_APIFY


def test_user_without_keys_is_in_demo_mode(alice):
    assert get_usable_keys(alice) is None
    assert is_demo_mode(alice)


def test_one_key_is_not_enough(alice):
    save_user_keys(user=alice, changes={"openai_key": OPENAI_KEY})
    assert get_usable_keys(alice) is None
    assert is_demo_mode(alice)


def test_both_keys_make_the_user_usable(alice, alice_keys):
    assert get_usable_keys(alice) == UsableKeys(
        apify_token=APIFY_TOKEN, openai_key=OPENAI_KEY, openai_model=DEFAULT_MODEL
    )
    assert not is_demo_mode(alice)


def test_usable_keys_never_show_in_repr(alice, alice_keys):
    keys = get_usable_keys(alice)
    assert APIFY_TOKEN not in repr(keys) and OPENAI_KEY not in repr(keys)


def test_operator_keys_never_serve_ordinary_users(alice, operator_keys):
    assert get_usable_keys(alice) is None
    assert is_demo_mode(alice)
    assert key_summaries(alice)["openai_key"].source is None


def test_operator_keys_serve_staff_without_keys(alice, operator_keys):
    alice.is_staff = True
    alice.save()
    assert get_usable_keys(alice) == UsableKeys(
        apify_token=OPERATOR_APIFY, openai_key=OPERATOR_OPENAI, openai_model=DEFAULT_MODEL
    )
    assert not is_demo_mode(alice)
    assert key_summaries(alice)["apify_token"].source == "operator"


def test_staff_own_keys_win_over_operator_keys(alice, alice_keys, operator_keys):
    alice.is_staff = True
    alice.save()
    save_user_keys(user=alice, changes={"apify_token": ""})
    keys = get_usable_keys(alice)
    assert keys.openai_key == OPENAI_KEY  # their own
    assert keys.apify_token == OPERATOR_APIFY  # the missing one falls back


def test_anonymous_user_is_in_demo_mode():
    from django.contrib.auth.models import AnonymousUser

    assert get_usable_keys(AnonymousUser()) is None
    assert is_demo_mode(AnonymousUser())


def test_scraping_switch(settings):
    settings.APIFY_ENABLED = True
    assert scraping_unavailable_reason() is None
    settings.APIFY_ENABLED = False
    assert scraping_unavailable_reason() == SCRAPING_DISABLED_MESSAGE


def test_wrong_encryption_key_fails_loudly_not_as_demo_mode(alice, alice_keys, settings):
    from byok.crypto import KeyDecryptionError

    settings.ENCRYPTION_KEY = "kGP0mEbI5cfSnBwM9PDnRZ8aXyQvUfUOA2xLz7q3CJk="
    with pytest.raises(KeyDecryptionError):
        get_usable_keys(alice)
