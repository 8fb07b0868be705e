"""Sign-up, log in and onboarding as a marketer meets them: where the cursor goes, and
messages in Kairo's words that say the same thing once, as you type and on submit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import flows

pytestmark = pytest.mark.browser

BAD_WEBSITE = "That doesn't look like a web address. Try https://yourbrand.com."


def test_existing_account_links_to_log_in_with_the_cursor_in_password(page: Page, app):
    flows.make_user("sam@example.com")
    page.goto("/signup")
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Password").fill(flows.PASSWORD)
    page.get_by_role("button", name="Create account").click()

    errors = page.locator("#id_email_errors")
    expect(errors).to_contain_text("An account with this email already exists.")
    errors.get_by_role("link", name="Log in instead").click()
    expect(page).to_have_title("Log in · Kairo")
    expect(page.get_by_label("Email")).to_have_value("sam@example.com")
    expect(page.get_by_label("Password")).to_be_focused()


def test_wrong_password_keeps_the_email_and_focuses_password(page: Page, app):
    flows.make_user("sam@example.com")
    page.goto("/login")
    expect(page.get_by_label("Email")).to_be_focused()
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".alert-error")).to_have_text("Wrong email or password.")
    expect(page.get_by_label("Email")).to_have_value("sam@example.com")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(flows.PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/brands/$"))


def test_a_bad_website_says_so_once_while_typing_and_on_submit(page: Page, app):
    flows.make_user("kim@example.com")
    flows.log_in(page, "kim@example.com")
    flows.create_brand(page, "Latte Lab")

    errors = page.locator("#id_website_errors .error")
    page.get_by_label("Website").fill("not a website")
    expect(errors).to_have_text([BAD_WEBSITE])  # exactly one message, in our words
    page.get_by_role("button", name="Save and continue →").click()
    expect(page).to_have_url(re.compile(r"/onboarding/basics/$"))
    expect(errors).to_have_text([BAD_WEBSITE])
    expect(page.get_by_label("Website")).to_be_focused()
    assert "Enter a valid URL" not in page.content()


def test_details_previews_hashtags_and_warns_about_avoiding_a_pillar(page: Page, app):
    flows.make_user("kim@example.com")
    flows.log_in(page, "kim@example.com")
    flows.create_brand(page, "Latte Lab")
    flows.save_and_continue(page, "sources")  # only the name is needed on Basics
    flows.save_and_continue(page, "details")

    page.get_by_label("Hashtags to watch").fill("#latte art")
    expect(page.locator("#id_hashtags_errors")).to_have_text("✓ Will be saved as #latte #art")

    page.get_by_label("Content pillars").fill("Latte art\nHome brewing")
    page.get_by_label("Keywords to watch").fill("latte art")
    page.get_by_label("Topics to avoid").fill("latte art")
    warning = page.locator("#step-warnings .warn")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("“latte art” is a topic to avoid")

    flows.save_and_continue(page, "compile")  # a warning, not an error
    expect(page.get_by_text("“latte art” is a topic to avoid")).to_be_visible()


def test_compile_opens_at_its_heading_with_an_edit_link_per_row(page: Page, app):
    flows.make_user("kim@example.com")
    flows.log_in(page, "kim@example.com")
    flows.create_brand(page, "Latte Lab")
    flows.fill_basics(page)
    flows.save_and_continue(page, "sources")
    page.get_by_label("Instagram").fill("@latte.lab")
    flows.save_and_continue(page, "details")
    flows.fill_details(page)
    flows.save_and_continue(page, "compile")

    assert page.evaluate("window.scrollY") == 0
    expect(page.get_by_role("heading", name="Review and compile")).to_be_in_viewport()
    assert page.evaluate("document.activeElement === document.body")
    summary = page.locator(".snapshot-summary")
    rows = summary.locator(":scope > div")
    expect(rows.locator("dt a", has_text="Edit")).to_have_count(rows.count())
    expect(summary).to_contain_text("United States · English")
    expect(summary).to_contain_text("Instagram: @latte.lab")

    flows.compile_brandbrain(page)
    expect(page).to_have_url(re.compile(r"/brands/[0-9a-f-]+/today/$"))
