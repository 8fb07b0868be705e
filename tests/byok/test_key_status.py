"""Settings shows one status per key (the newest fact wins), "just now" for a fresh test,
and "Go to Today →" once keys are saved."""

from __future__ import annotations

import html as htmllib
from datetime import timedelta

import pytest
from django.utils import timezone

from brands.models import Brand
from byok.models import UserAPIKeys
from tests.support.keys import APIFY_TOKEN, OPENAI_KEY

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PASSED = "✓ Connected (ends in …3Bvt)"
FAILED = "✗ Saved key (ends in …3Bvt) failed its last test"


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def openai_block(page: str) -> str:
    """The OpenAI key's field on the page, from its label to the next field."""
    return page.split('id="key-openai"')[1].split("</section>")[0]


def test_a_passing_test_of_the_saved_key_replaces_its_failure(
    alice, alice_client, alice_keys, fake_openai
):
    fake_openai.invalid_keys.add(OPENAI_KEY)
    alice_client.post("/settings/keys/openai/test/", {"openai_key": ""}, **HTMX)
    assert FAILED in text(alice_client.get("/settings/"))

    fake_openai.invalid_keys.clear()
    answer = text(alice_client.post("/settings/keys/openai/test/", {"openai_key": ""}, **HTMX))
    # The key's one status comes back out of band, so the old verdict is swapped away.
    assert 'id="openai_key-status" hx-swap-oob="true"' in answer
    assert PASSED in answer and FAILED not in answer and "failed" not in answer
    page = openai_block(text(alice_client.get("/settings/")))
    assert page.count("✓") == 1 and "✗" not in page
    assert "Tested just now." in page


def test_a_failing_test_of_the_saved_key_is_its_only_status(
    alice, alice_client, alice_keys, fake_openai
):
    alice_client.post("/settings/keys/openai/test/", {"openai_key": ""}, **HTMX)
    fake_openai.invalid_keys.add(OPENAI_KEY)
    answer = text(alice_client.post("/settings/keys/openai/test/", {"openai_key": ""}, **HTMX))
    assert FAILED in answer and "✓" not in answer
    # Without JavaScript the whole page comes back: the status says it once, no field result.
    page = openai_block(text(alice_client.post("/settings/keys/openai/test/", {})))
    assert page.count(FAILED) == 1 and "✓" not in page and page.count("✗") == 1


def test_a_pasted_key_result_stays_on_the_field_and_names_that_key(
    alice_client, alice_keys, fake_openai
):
    fresh = OPENAI_KEY[:-4] + "Ne4w"
    page = openai_block(
        text(alice_client.post("/settings/keys/openai/test/", {"openai_key": fresh}))
    )
    assert "✓ This key works. Save Changes to keep it." in page
    assert "Saved, not tested yet." in page  # the saved key has not been tested


def test_tested_times_read_just_now_then_minutes(alice, alice_client, alice_keys, fake_openai):
    alice_client.post("/settings/keys/openai/test/", {"openai_key": ""}, **HTMX)
    page = text(alice_client.get("/settings/"))
    assert "Tested just now." in page and "0 minutes" not in page
    UserAPIKeys.objects.filter(user=alice).update(
        openai_key_validated_at=timezone.now() - timedelta(minutes=5, seconds=3)
    )
    assert "Tested 5 minutes ago." in text(alice_client.get("/settings/"))


def test_saving_offers_go_to_today(alice, alice_client):
    before = text(alice_client.get("/settings/"))
    assert "Go to Today →" not in before
    panel = text(alice_client.post("/settings/", {"openai_key": OPENAI_KEY}, **HTMX))
    assert "Saved. " in panel and 'href="/brands/today/">Go to Today →</a>' in panel
    # Without JavaScript (and when Demo Mode ends) the page after the save offers it too.
    response = alice_client.post("/settings/", {"apify_token": APIFY_TOKEN})
    assert "Go to Today →" in text(alice_client.get(response["Location"]))


def test_nothing_saved_offers_nothing(alice_client):
    panel = text(alice_client.post("/settings/", {"openai_key": ""}, **HTMX))
    assert "Go to Today →" not in panel


def test_go_to_today_opens_the_only_brand_or_the_brand_list(alice, alice_client, bob):
    assert alice_client.get("/brands/today/")["Location"] == "/brands/"
    Brand.objects.create(owner=bob, name="Bob's")  # another user's brand never counts
    brand = Brand.objects.create(owner=alice, name="Goodie AI")
    assert alice_client.get("/brands/today/")["Location"] == f"/brands/{brand.pk}/today/"
    Brand.objects.create(owner=alice, name="Second")
    assert alice_client.get("/brands/today/")["Location"] == "/brands/"


def test_go_to_today_needs_an_account(client):
    assert client.get("/brands/today/")["Location"].startswith("/login?next=")


def test_a_null_byte_gets_kairos_words_not_djangos(alice_client):
    response = alice_client.post("/settings/", {"openai_key": "sk-proj-\x00" + "a" * 40})
    page = text(response)
    assert response.status_code == 400
    assert "Null characters are not allowed" not in page
    assert "That paste has a hidden character no key contains." in page


def test_the_keys_form_leaves_checking_to_kairo(alice_client):
    page = text(alice_client.get("/settings/"))
    # novalidate: the browser's stock "Please match the requested format" never shows;
    # the field's own hint (as you type) and the server's message speak instead.
    assert 'class="keys-form" novalidate' in page
