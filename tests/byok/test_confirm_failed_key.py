"""A key that just failed Test Connection is not saved silently: Settings asks first,
with HTMX (inline, the typed keys untouched) and without (the keys wait, encrypted)."""

from __future__ import annotations

import html as htmllib

import pytest

from byok.models import UserAPIKeys
from byok.tested import HELD_KEY
from tests.support.keys import APIFY_TOKEN, OTHER_APIFY_TOKEN

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TEST_URL = "/settings/keys/apify/test/"
WARNING = "The Apify API token you pasted failed its test just now."
CONFIRM = {"save_failed_key": "1"}


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def saved_token(user) -> str:
    row = UserAPIKeys.objects.filter(user=user).first()
    return row.apify_token_last4 if row and row.has_key("apify_token") else ""


@pytest.fixture
def failed_test(alice_client, fake_apify):
    """OTHER_APIFY_TOKEN is well formed, but the Apify double doesn't know it."""
    answer = text(alice_client.post(TEST_URL, {"apify_token": OTHER_APIFY_TOKEN}, **HTMX))
    assert "✗ Apify rejected your token" in answer


def test_htmx_save_after_a_failed_test_asks_inline(alice, alice_client, failed_test):
    response = alice_client.post("/settings/", {"apify_token": OTHER_APIFY_TOKEN}, **HTMX)
    assert response.status_code == 200
    # Swapped under the typed keys, which stay in their inputs.
    assert response["HX-Retarget"] == "#keys-confirm"
    assert response["HX-Reswap"] == "innerHTML"
    html = text(response)
    assert WARNING in html
    assert "recognise" not in html  # the reason is on the field already: said once
    assert 'name="save_failed_key" value="1"' in html and "Save anyway" in html
    assert OTHER_APIFY_TOKEN not in html
    assert "HX-Trigger" not in response  # no "Saved" toast: nothing was saved
    assert saved_token(alice) == ""


def test_save_anyway_with_htmx_saves_the_key_with_its_failed_test(alice, alice_client, failed_test):
    alice_client.post("/settings/", {"apify_token": OTHER_APIFY_TOKEN}, **HTMX)
    response = alice_client.post(
        "/settings/", {"apify_token": OTHER_APIFY_TOKEN, **CONFIRM}, **HTMX
    )
    html = text(response)
    assert saved_token(alice) == OTHER_APIFY_TOKEN[-4:]
    assert "failed its last test: Apify rejected your token" in html
    assert "✓" not in html.split('id="key-apify"')[1].split('id="key-openai"')[0]
    assert UserAPIKeys.objects.get(user=alice).apify_token_validation == "invalid_key"


def test_without_javascript_the_page_asks_and_save_anyway_needs_no_retyping(
    alice, alice_client, failed_test
):
    asked = alice_client.post("/settings/", {"apify_token": OTHER_APIFY_TOKEN})
    assert asked.status_code == 200
    page = text(asked)
    assert "<html" in page and WARNING in page and "Save anyway" in page
    assert page.count("Apify rejected your token") == 1  # in the question only
    assert OTHER_APIFY_TOKEN not in page  # never sent back, not even now
    held = alice_client.session[HELD_KEY]
    assert set(held) == {"apify_token"} and OTHER_APIFY_TOKEN not in str(held)
    assert saved_token(alice) == ""

    # The inputs came back empty: "Save anyway" posts them empty.
    saved = alice_client.post("/settings/", {"apify_token": "", "openai_key": "", **CONFIRM})
    assert saved.status_code == 302 and saved["Location"] == "/settings/?saved=1"
    assert saved_token(alice) == OTHER_APIFY_TOKEN[-4:]
    assert HELD_KEY not in alice_client.session


def test_saving_something_else_instead_forgets_the_held_key(alice, alice_client, failed_test):
    alice_client.post("/settings/", {"apify_token": OTHER_APIFY_TOKEN})
    alice_client.post("/settings/", {"apify_token": ""})  # Save Changes, not Save anyway
    assert HELD_KEY not in alice_client.session
    alice_client.post("/settings/", CONFIRM)  # a stale Save anyway has nothing to save
    assert saved_token(alice) == ""


def test_a_key_that_passed_or_was_never_tested_saves_at_once(alice, alice_client, fake_apify):
    alice_client.post(TEST_URL, {"apify_token": APIFY_TOKEN}, **HTMX)
    passed = alice_client.post("/settings/", {"apify_token": APIFY_TOKEN}, **HTMX)
    assert "HX-Retarget" not in passed and saved_token(alice) == APIFY_TOKEN[-4:]
    untested = alice_client.post("/settings/", {"apify_token": OTHER_APIFY_TOKEN}, **HTMX)
    assert "HX-Retarget" not in untested and saved_token(alice) == OTHER_APIFY_TOKEN[-4:]


def test_a_different_key_pasted_after_the_failed_one_is_not_held_up(
    alice, alice_client, failed_test
):
    response = alice_client.post("/settings/", {"apify_token": APIFY_TOKEN}, **HTMX)
    assert "HX-Retarget" not in response
    assert saved_token(alice) == APIFY_TOKEN[-4:]
