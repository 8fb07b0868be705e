"""The whole journey in a real browser: sign up → onboard → demo board → connect keys →
Regenerate against the Apify/OpenAI doubles → cards with evidence → log out and back in.
Plus the key pages at phone width, keyboard-only onboarding, and the toasts."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from opportunities.models import Opportunity
from tests.browser import flows
from tests.fakes.apify import VALID_TOKEN

pytestmark = pytest.mark.browser

SLOW_ACTORS = ("clockworks/tiktok-trends-scraper", "streamers/youtube-scraper")
STAGES_JS = """() => {
  const panel = document.querySelector('#job-progress');
  if (!panel) return null;
  return [...panel.querySelectorAll('.stage')].map(s => s.className).join('|');
}"""


def watch_progress(page: Page, *, seconds: float = 30) -> set[str]:
    """Every distinct set of stage states the progress panel showed until the cards came."""
    seen: set[str] = set()
    cards = page.locator(".opp-list .opp-card")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states = page.evaluate(STAGES_JS)
        if states:
            seen.add(states)
        elif cards.count():
            return seen
        page.wait_for_timeout(100)
    raise AssertionError(f"the board never appeared; progress seen: {seen}")


def test_sign_up_to_regenerated_board_and_back(page: Page, app, fake_apify, fake_openai):
    for actor in SLOW_ACTORS:
        fake_apify.set_latency(actor, 1.8)
    fake_openai.completion_latency = 1.2
    email = "maya@example.com"

    flows.sign_up(page, email)
    expect(page).to_have_title("New brand · Kairo")
    page.get_by_label("Brand name").fill("Goodie AI")
    page.get_by_role("button", name="Create brand").click()
    expect(flows.toast(page, "Goodie AI created.")).to_be_visible()

    # Basics, then Sources with a live validation error that goes away once fixed.
    flows.fill_basics(page)
    flows.save_and_continue(page, "sources")
    instagram = page.get_by_label("Instagram")
    errors = page.locator("#id_instagram_errors")
    instagram.fill("goodie ai!")
    expect(errors.locator(".error")).to_have_text("Handles and URLs can't contain spaces.")
    instagram.fill("https://www.instagram.com/goodie.ai/")
    expect(errors.locator(".error")).to_have_count(0)
    expect(errors).to_contain_text("goodie.ai")
    flows.save_and_continue(page, "details")
    flows.fill_details(page)
    flows.save_and_continue(page, "compile")
    flows.compile_brandbrain(page)

    # Demo board: banner under the nav, sample cards, Regenerate off with a way out.
    expect(page).to_have_title("Today · Goodie AI · Kairo")
    banner = page.get_by_role("region", name="Demo Mode")
    expect(banner).to_contain_text("You're viewing sample data.")
    expect(page.locator(".opp-card.is-sample").first).to_be_visible()
    expect(page.locator(".opp-card").first).to_contain_text("AI search visibility")
    expect(page.get_by_role("button", name="Regenerate")).to_be_disabled()

    # Settings: paste both keys, test each, save; Demo Mode ends at once.
    banner.get_by_role("link", name="Connect Keys →").click()
    expect(page).to_have_title("Settings · Kairo")
    page.wait_for_load_state()
    for label, key, test_box in (
        ("Apify API token", VALID_TOKEN, "#apify_token-test"),
        ("OpenAI API key", flows.OPENAI_KEY, "#openai_key-test"),
    ):
        page.get_by_label(label).fill(key)
        page.locator(f"#key-{'apify' if 'Apify' in label else 'openai'}").get_by_role(
            "button", name="Test Connection"
        ).click()
        expect(page.locator(test_box)).to_contain_text("✓ This key works")
    page.get_by_role("button", name="Save Changes").click()
    expect(page.get_by_text("✓ Connected (ends in …3Bvt)")).to_be_visible()
    expect(page.get_by_role("region", name="Demo Mode")).to_have_count(0)
    assert VALID_TOKEN not in page.content() and flows.OPENAI_KEY not in page.content()

    # Regenerate: skeletons and a progress panel whose steps advance, then real cards.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Brands").click()
    page.get_by_role("link", name="Goodie AI").click()
    page.get_by_role("link", name="Open Today board →").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator("#job-progress")).to_be_visible()
    # The sample cards stay under the progress, dimmed, until the real board is ready.
    expect(page.locator(".board-busy .opp-card.is-sample").first).to_be_visible()
    seen = watch_progress(page)
    assert len(seen) >= 2, f"the progress steps never advanced: {seen}"
    expect(flows.toast(page, "Your board is ready.")).to_be_visible()
    cards = page.locator(".opp-list .opp-card")
    expect(cards.first).to_be_visible()
    expect(page.locator(".opp-card.is-sample")).to_have_count(0)
    titles = cards.locator(".opp-title").all_inner_texts()
    assert titles == list(
        Opportunity.objects.filter(brand__name="Goodie AI")
        .order_by("rank")
        .values_list("title", flat=True)
    )
    cards.first.locator("summary").first.click()  # a card opens to its evidence
    links = cards.first.locator("a.evidence-link")
    expect(links.first).to_be_visible()
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        assert re.match(r"https://(www\.)?(instagram|tiktok|youtube|linkedin)\.com/", href), href

    # Log out, log back in: the board is still there.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_title("Log in · Kairo")
    flows.log_in(page, email)
    page.get_by_role("link", name="Goodie AI").click()
    page.get_by_role("link", name="Open Today board →").click()
    expect(page.locator(".opp-list .opp-title")).to_have_text(titles)


def test_key_pages_at_phone_width(phone_page: Page, app):
    page = phone_page
    flows.make_onboarded_brand(flows.make_user("pat@example.com"))

    page.goto("/login")
    flows.assert_fits_phone(page)
    flows.log_in(page, "pat@example.com")
    flows.assert_fits_phone(page)
    flows.assert_phone_nav_collapses(page)

    page.get_by_role("link", name="Goodie AI").click()
    flows.assert_fits_phone(page)
    page.get_by_role("link", name="Open Today board →").click()
    expect(page.get_by_role("region", name="Demo Mode")).to_be_visible()
    expect(page.locator(".opp-card").first).to_be_visible()
    flows.assert_fits_phone(page)
    card_boxes = [card.bounding_box() for card in page.locator(".opp-card").all()[:2]]
    assert card_boxes[1]["y"] > card_boxes[0]["y"] + card_boxes[0]["height"] - 1  # stacked
    assert all(box["width"] <= flows.PHONE_WIDTH for box in card_boxes)

    # The menu works as the way around: open it and go to Settings.
    page.get_by_role("button", name="Menu").click()
    page.locator("#nav-menu").get_by_role("link", name="Settings").click()
    expect(page).to_have_title("Settings · Kairo")
    flows.assert_fits_phone(page)

    page.goto("/brands/new/")
    page.get_by_label("Brand name").fill("Phone Brand")
    page.get_by_role("button", name="Create brand").click()
    for step in ("basics", "sources", "details"):
        expect(page).to_have_url(re.compile(rf"/onboarding/{step}/$"))
        flows.assert_fits_phone(page)
        if step == "basics":
            flows.fill_basics(page)
        elif step == "details":
            flows.fill_details(page)
        page.get_by_role("button", name="Save and continue →").click()
    expect(page).to_have_url(re.compile(r"/onboarding/compile/$"))
    flows.assert_fits_phone(page)


def test_onboarding_by_keyboard_only(page: Page, app):
    """Tab, Enter and typing: no clicks from the brand list to a compiled BrandBrain."""
    flows.make_user("kim@example.com")
    flows.log_in(page, "kim@example.com")
    keys = page.keyboard

    flows.tab_to(page, "Create your first brand")
    assert flows.focus_is_visible(page)
    keys.press("Enter")
    expect(page).to_have_url(re.compile(r"/brands/new/$"))
    keys.type("Keyboard Co")  # the name field has focus on arrival
    keys.press("Enter")

    expect(page).to_have_url(re.compile(r"/onboarding/basics/$"))
    expect(page.get_by_label("Brand name")).to_be_focused()
    keys.press("Tab")
    keys.type("keyboard.example")
    keys.press("Tab")
    keys.type("Software")  # type-ahead picks the option in a focused <select>
    keys.press("Tab")
    keys.type(flows.ANSWERS.positioning)
    keys.press("Tab")
    keys.type(flows.ANSWERS.audience)
    keys.press("Tab")
    keys.type("United States")
    flows.tab_to(page, "Save and continue →")
    assert flows.focus_is_visible(page)
    keys.press("Enter")

    expect(page).to_have_url(re.compile(r"/onboarding/sources/$"))
    flows.tab_to_field(page, "Instagram")  # Enter in a single-line field submits the step
    keys.type("@keyboardco")
    keys.press("Enter")

    expect(page).to_have_url(re.compile(r"/onboarding/details/$"))
    flows.tab_to_field(page, "Content pillars")
    keys.type("Keyboard reviews")
    keys.press("Enter")  # a new line inside the list, not a submit
    keys.type("Desk setups")
    keys.press("Tab")
    keys.type("mechanical keyboards")
    keys.press("Tab")
    keys.type("#keyboards")
    flows.tab_to(page, "Save and continue →")
    keys.press("Enter")

    expect(page).to_have_url(re.compile(r"/onboarding/compile/$"))
    expect(page.locator(".snapshot-summary")).to_contain_text("Desk setups")
    flows.tab_to(page, "Compile and open Today →")
    keys.press("Enter")
    expect(page).to_have_url(re.compile(r"/today/$"))

    # Escape dismisses the toast; Enter opens a dialog and Escape closes it.
    compiled = flows.toast(page, "BrandBrain compiled: version 1.")
    expect(compiled).to_be_visible()
    keys.press("Escape")
    expect(compiled).to_have_count(0)
    page.goto(page.url.removesuffix("today/"))
    flows.tab_to(page, "Snapshot data (JSON)")
    keys.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    keys.press("Escape")
    expect(dialog).to_be_hidden()


def test_toasts_are_announced_and_hide_themselves(page: Page, app):
    flows.make_user("lee@example.com")
    page.clock.install()
    flows.log_in(page, "lee@example.com")
    flows.create_brand(page, "Toast Co")
    region = page.locator("#toasts")
    expect(region).to_have_attribute("aria-live", "polite")
    created = flows.toast(page, "Toast Co created.")
    expect(created).to_be_visible()
    # Where it docks (covering no control) is tests/browser/test_toasts.py's subject.
    box = created.bounding_box()
    assert box["y"] >= page.locator(".topbar").bounding_box()["height"]
    page.clock.run_for(6000)
    expect(created).to_have_count(0)
