"""Settings in the browser: a key that just failed Test Connection is saved only after
"Save anyway" (inline with JavaScript, the typed key untouched; a page step without),
then shows one status; "Go to Today →" follows a save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import flows
from tests.browser.flows import DESKTOP, PHONE

pytestmark = pytest.mark.browser

UNKNOWN_TOKEN = "apify_api_" + "Unknown0Token" * 3  # well formed; the double rejects it
WARNING = "The Apify API token you pasted failed its test just now."


def apify(page: Page):
    return page.locator("#key-apify")


def fail_a_test(page: Page) -> None:
    page.get_by_label("Apify API token").fill(UNKNOWN_TOKEN)
    apify(page).get_by_role("button", name="Test Connection").click()
    expect(apify(page)).to_contain_text("✗ Apify rejected your token")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_saving_a_key_that_failed_asks_inline_first(page_factory, viewport):
    email = f"confirm{viewport['width']}@example.com"
    flows.make_user(email)
    page: Page = page_factory(viewport)
    flows.log_in(page, email)
    page.goto("/settings/")
    fail_a_test(page)

    page.get_by_role("button", name="Save Changes").click()
    confirm = page.locator(".confirm-failed")
    expect(confirm).to_contain_text(WARNING)
    save_anyway = confirm.get_by_role("button", name="Save anyway")
    expect(save_anyway).to_be_focused()
    expect(page.get_by_label("Apify API token")).to_have_value(UNKNOWN_TOKEN)  # untouched
    expect(apify(page)).to_contain_text("Not connected.")  # nothing saved yet

    save_anyway.click()
    expect(flows.toast(page, "Saved your Apify API token.")).to_be_visible()
    status = page.locator("#apify_token-status")
    expect(status).to_contain_text("✗ Saved key (ends in …oken) failed its last test")
    expect(status).to_contain_text("Tested just now.")
    expect(apify(page).locator(".ok")).to_have_count(0)  # one status, not two
    expect(page.locator(".confirm-failed")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to Today →")).to_be_visible()
    if viewport is PHONE:
        flows.assert_fits_phone(page)


def test_without_javascript_the_confirm_is_a_page_step(page_factory):
    flows.make_user("nojs@example.com")
    page: Page = page_factory(DESKTOP, java_script_enabled=False)
    flows.log_in(page, "nojs@example.com")
    page.goto("/settings/")
    fail_a_test(page)
    # The page came back without the key (never sent back): paste it again and save.
    page.get_by_label("Apify API token").fill(UNKNOWN_TOKEN)
    page.get_by_role("button", name="Save Changes").click()
    expect(page.locator(".confirm-failed")).to_contain_text(WARNING)
    expect(page.get_by_label("Apify API token")).to_have_value("")
    page.get_by_role("button", name="Save anyway").click()
    expect(page).to_have_url(re.compile(r"/settings/\?saved=1$"))
    expect(page.locator("#apify_token-status")).to_contain_text("failed its last test")
    page.get_by_role("link", name="Go to Today →").click()
    expect(page).to_have_url(re.compile(r"/brands/$"))  # no brand yet: the brand list


def test_a_passing_retest_of_the_saved_key_leaves_one_status(page: Page, app, fake_openai):
    flows.make_user("retest@example.com", keys=True)
    flows.log_in(page, "retest@example.com")
    fake_openai.invalid_keys.add(flows.OPENAI_KEY)
    page.goto("/settings/")
    openai = page.locator("#key-openai")
    openai.get_by_role("button", name="Test Connection").click()
    expect(openai.locator(".key-status")).to_contain_text("failed its last test")
    fake_openai.invalid_keys.clear()
    openai.get_by_role("button", name="Test Connection").click()
    expect(openai.locator(".key-status")).to_contain_text("✓ Connected")
    expect(openai).not_to_contain_text("failed")
    expect(openai.locator(".key-status")).to_contain_text("Tested just now.")
