"""/settings/: masked inputs, Test Connection fragments, Save Changes, remove, toasts, CSRF."""

from __future__ import annotations

import html as htmllib
import json

import pytest

from byok.keys import get_usable_keys
from byok.models import UserAPIKeys
from tests.support.keys import APIFY_TOKEN, OPENAI_KEY

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def test_anonymous_is_sent_to_login(client):
    for method, url in [
        ("get", "/settings/"),
        ("post", "/settings/"),
        ("post", "/settings/keys/openai/test/"),
        ("post", "/settings/keys/openai/remove/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login?next=")


def test_page_without_keys(alice_client):
    response = alice_client.get("/settings/")
    assert response.status_code == 200
    html = text(response)
    assert "Apify API token" in html and "OpenAI API key" in html
    assert html.count('type="password"') == 2
    assert html.count("Test Connection") == 2
    assert "Save Changes" in html
    assert "Not connected." in html
    assert "<dialog" not in html  # nothing to remove
    assert "no-store" in response["Cache-Control"]


def test_stored_keys_show_last4_and_are_never_put_back(alice_client, alice_keys):
    html = text(alice_client.get("/settings/"))
    assert "✓ Connected (ends in …3Bvt)" in html
    assert f"✓ Connected (ends in …{APIFY_TOKEN[-4:]})" in html
    assert APIFY_TOKEN not in html and OPENAI_KEY not in html
    assert 'value="' not in html.split('name="apify_token"')[1].split(">")[0]
    assert html.count("<dialog") == 2
    assert "Saved, not tested yet." in html


def test_save_changes_with_htmx_swaps_the_panel_and_toasts(alice, alice_client):
    response = alice_client.post("/settings/", {"openai_key": OPENAI_KEY}, **HTMX)
    assert response.status_code == 200
    html = text(response)
    assert 'id="api-keys-panel"' in html and "<html" not in html
    assert "✓ Connected (ends in …3Bvt)" in html
    assert OPENAI_KEY not in html
    toasts = json.loads(response["HX-Trigger"])["toasts"]
    assert toasts == [
        {"message": "Saved your OpenAI API key.", "level": "success", "key": "api-keys"}
    ]
    assert get_usable_keys(alice) is None  # still in Demo Mode: one key is not enough


def test_leaving_demo_mode_reloads_the_page_with_the_toast(alice, alice_client):
    response = alice_client.post(
        "/settings/", {"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/settings/?saved=1"
    page = text(alice_client.get("/settings/?saved=1"))
    assert "Saved your Apify API token and OpenAI API key." in page
    assert "banner-demo" not in page
    keys = get_usable_keys(alice)
    assert (keys.apify_token, keys.openai_key) == (APIFY_TOKEN, OPENAI_KEY)


def test_save_without_htmx_redirects_and_shows_the_toast(alice, alice_client):
    response = alice_client.post("/settings/", {"openai_key": OPENAI_KEY, "apify_token": ""})
    assert response.status_code == 302 and response["Location"] == "/settings/?saved=1"
    page = text(alice_client.get("/settings/"))
    assert "Saved your OpenAI API key." in page
    row = UserAPIKeys.objects.get(user=alice)
    assert row.openai_key_last4 == "3Bvt" and not row.has_key("apify_token")


def test_empty_inputs_keep_the_saved_keys(alice, alice_client, alice_keys):
    response = alice_client.post("/settings/", {"apify_token": "", "openai_key": ""}, **HTMX)
    assert response.status_code == 200
    assert "Nothing to save" in response["HX-Trigger"]
    assert get_usable_keys(alice).openai_key == OPENAI_KEY


def test_malformed_key_gets_a_message_next_to_the_field(alice, alice_client):
    bad = "apify_api_has spaces" + "x" * 30
    response = alice_client.post("/settings/", {"apify_token": bad, "openai_key": OPENAI_KEY})
    assert response.status_code == 400
    html = text(response)
    assert "Remove the spaces or line breaks" in html
    assert "has-error" in html
    assert bad not in html and OPENAI_KEY not in html
    assert not UserAPIKeys.objects.filter(user=alice).exists()

    htmx = alice_client.post("/settings/", {"apify_token": bad}, **HTMX)
    assert htmx.status_code == 200  # so HTMX swaps the errors in
    assert "Remove the spaces or line breaks" in text(htmx)


def test_inputs_carry_the_as_you_type_format_rule(alice_client):
    html = text(alice_client.get("/settings/"))
    assert 'pattern="apify_api_[A-Za-z0-9]{30,48}"' in html
    assert 'autocomplete="off"' in html


def test_test_connection_with_a_typed_key(alice_client, fake_apify):
    response = alice_client.post("/settings/keys/apify/test/", {"apify_token": APIFY_TOKEN}, **HTMX)
    assert response.status_code == 200
    html = text(response)
    assert "✓ This key works. Save Changes to keep it." in html
    assert APIFY_TOKEN not in html


def test_test_connection_failure_shows_the_reason(alice_client, fake_openai):
    fake_openai.fail_with = "insufficient_quota"
    response = alice_client.post("/settings/keys/openai/test/", {"openai_key": OPENAI_KEY}, **HTMX)
    html = text(response)
    assert "✗ Your OpenAI account is out of credit" in html
    assert 'role="alert"' in html


def test_test_connection_of_the_saved_key_records_the_result(
    alice, alice_client, alice_keys, fake_openai
):
    fake_openai.invalid_keys.add(OPENAI_KEY)
    response = alice_client.post("/settings/keys/openai/test/", {"openai_key": ""}, **HTMX)
    assert "failed its last test: OpenAI rejected your key" in text(response)
    page = text(alice_client.get("/settings/"))
    assert "failed its last test" in page
    assert UserAPIKeys.objects.get(user=alice).openai_key_validation == "invalid_key"


def test_test_connection_malformed_or_missing_key(alice_client):
    typed = alice_client.post("/settings/keys/openai/test/", {"openai_key": "sk-nope"}, **HTMX)
    assert "✗ That doesn't look like a complete OpenAI key" in text(typed)
    missing = alice_client.post("/settings/keys/openai/test/", {}, **HTMX)
    assert "✗ No OpenAI API key is saved yet" in text(missing)


def test_test_connection_without_javascript_renders_the_page(alice_client, fake_apify):
    response = alice_client.post("/settings/keys/apify/test/", {"apify_token": APIFY_TOKEN})
    assert response.status_code == 200
    html = text(response)
    assert "<html" in html and "✓ This key works" in html and APIFY_TOKEN not in html


def test_unknown_provider_is_404(alice_client):
    assert alice_client.post("/settings/keys/anthropic/test/").status_code == 404
    assert alice_client.post("/settings/keys/anthropic/remove/").status_code == 404


def test_remove_a_key(alice, alice_client, alice_keys):
    response = alice_client.post("/settings/keys/apify/remove/")
    assert response.status_code == 302 and response["Location"] == "/settings/"
    page = text(alice_client.get("/settings/"))
    assert "Removed your Apify API token." in page
    assert page.count("<dialog") == 1
    row = UserAPIKeys.objects.get(user=alice)
    assert not row.has_key("apify_token") and row.has_key("openai_key")
    assert get_usable_keys(alice) is None


def test_remove_is_post_only(alice_client, alice_keys):
    assert alice_client.get("/settings/keys/apify/remove/").status_code == 405


def test_page_forms_need_the_csrf_token(alice, csrf_client, alice_keys):
    for url, data in [
        ("/settings/", {"openai_key": "sk-" + "Z" * 48}),
        ("/settings/keys/openai/test/", {"openai_key": OPENAI_KEY}),
        ("/settings/keys/openai/remove/", {}),
    ]:
        assert csrf_client.post(url, data).status_code == 403, url
    assert get_usable_keys(alice).openai_key == OPENAI_KEY


def test_scraping_disabled_is_explained(alice_client, settings):
    settings.APIFY_ENABLED = False
    html = text(alice_client.get("/settings/"))
    assert "APIFY_ENABLED=false" in html


def test_settings_shows_no_sample_data_banner(alice_client):
    # "You're viewing sample data" is said over sample cards only (the Today board).
    assert "banner-demo" not in text(alice_client.get("/settings/"))
    alice_client.post("/settings/", {"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY})
    assert "banner-demo" not in text(alice_client.get("/settings/"))


def test_a_key_tested_then_saved_keeps_its_test_result(alice, alice_client, fake_apify):
    alice_client.post("/settings/keys/apify/test/", {"apify_token": APIFY_TOKEN}, **HTMX)
    alice_client.post("/settings/", {"apify_token": APIFY_TOKEN}, **HTMX)
    row = UserAPIKeys.objects.get(user=alice)
    assert row.apify_token_validation == "ok"
    assert row.apify_token_validated_at is not None
    assert "apify_token" not in alice_client.session.get("byok_tested_keys", {})


def test_a_different_key_saved_after_a_test_stays_untested(alice, alice_client, fake_apify):
    other = APIFY_TOKEN[:-4] + "ZZZZ"
    alice_client.post("/settings/keys/apify/test/", {"apify_token": APIFY_TOKEN}, **HTMX)
    alice_client.post("/settings/", {"apify_token": other}, **HTMX)
    row = UserAPIKeys.objects.get(user=alice)
    assert row.apify_token_validation == ""
    assert row.apify_token_validated_at is None
