"""Settings' OpenAI model card in a real browser: saving the key fills the picker (HTMX,
no reload), a pick sticks, and the card fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import flows
from tests.fakes.apify import VALID_TOKEN

pytestmark = pytest.mark.browser


def test_saving_the_key_fills_the_picker_and_a_pick_sticks(page: Page, app, fake_openai):
    flows.make_user("ria@example.com")
    flows.log_in(page, "ria@example.com")
    page.goto("/settings/")
    card = page.locator("#openai-model-panel")
    expect(card).to_contain_text("Save your OpenAI key above to choose")

    page.get_by_label("OpenAI API key").fill(flows.OPENAI_KEY)
    page.get_by_role("button", name="Save Changes").click()  # one key: still Demo Mode
    picker = card.get_by_label("Model for your runs")
    expect(picker).to_be_visible()
    offered = picker.locator("option").all_inner_texts()
    assert offered[0] == "gpt-4.1-mini (default) — $0.40 / $1.60"
    assert not [text for text in offered if "gpt-3.5" in text or "whisper" in text]

    picker.select_option("gpt-4o-mini")
    card.get_by_role("button", name="Use this model").click()
    expect(flows.toast(page, "Your runs now use gpt-4o-mini.")).to_be_visible()
    expect(card.locator("#openai-model-status")).to_contain_text(
        "Runs use gpt-4o-mini ($0.15 / $0.60)."
    )

    # Both keys now: the page reloads (Demo Mode ends) and the pick is still there.
    page.get_by_label("Apify API token").fill(VALID_TOKEN)
    page.get_by_role("button", name="Save Changes").click()
    expect(page.get_by_role("region", name="Demo Mode")).to_have_count(0)
    expect(page.locator("#id_openai_model")).to_have_value("gpt-4o-mini")

    # Refresh list after access changed: the card reloads in place.
    fake_openai.model_ids.append("gpt-4.1")
    card.get_by_role("button", name="Refresh list").click()
    expect(flows.toast(page, "Loaded 9 models you can use.")).to_be_visible()
    expect(page.locator("#id_openai_model option[value='gpt-4.1']")).to_have_count(1)


def test_the_picker_fits_a_phone(phone_page: Page, app, fake_openai):
    from byok.model_choice import refresh_model_list

    refresh_model_list(flows.make_user("sam@example.com", keys=True))
    flows.log_in(phone_page, "sam@example.com")
    phone_page.goto("/settings/")
    expect(phone_page.get_by_label("Model for your runs")).to_be_visible()
    flows.assert_fits_phone(phone_page)
