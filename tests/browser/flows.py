"""Steps the browser tests share: signing up or in, onboarding a brand, connecting keys,
and the checks every page at phone width must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

from brands.models import Brand
from tests.support.keys import OPENAI_KEY as OPENAI_KEY  # what the tests type into Settings
from tests.support.keys import connect_keys
from tests.support.snapshots import make_snapshot
from users.models import User

PASSWORD = "a-long-browser-test-passphrase-42"
PHONE_WIDTH = 375
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": PHONE_WIDTH, "height": 740}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # a failing test's page
FINITE_ANIMATIONS_DONE = """() => Promise.all(document.getAnimations()
  .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
  .map(a => a.finished.catch(() => null)))"""


@dataclass(frozen=True)
class BrandAnswers:
    """What a marketer types into onboarding."""

    name: str = "Goodie AI"
    website: str = "goodie.ai"
    industry: str = "Software"
    positioning: str = "Goodie helps brands show up in the answers AI search engines give."
    audience: str = "Heads of marketing at growing brands"
    country: str = "United States"
    instagram: str = "goodie.ai"
    pillars: tuple[str, ...] = ("AI search visibility", "Content strategy")
    keywords: tuple[str, ...] = ("ai search", "generative engine optimization")
    hashtags: str = "#aisearch #seo"


ANSWERS = BrandAnswers()

# How the compiled snapshot of these answers differs from tests/support/snapshots.py's.
ANSWERED = dict(
    brand={"positioning": ANSWERS.positioning, "audience": ANSWERS.audience},
    pillars=list(ANSWERS.pillars),
    keywords=list(ANSWERS.keywords),
    hashtags=["aisearch", "seo"],
    competitors=[],
    tone="",
    avoid=[],
    handles={"instagram": "goodie.ai", "tiktok": None, "youtube": None, "linkedin": None},
)


# --- accounts ---------------------------------------------------------------------------
def make_user(email: str, *, keys: bool = False) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD)
    if keys:
        connect_keys(user)
    return user


def make_onboarded_brand(owner: User, name: str = "Goodie AI") -> Brand:
    """A brand with a compiled snapshot, written directly (onboarding has its own tests)."""
    brand = Brand.objects.create(owner=owner, name=name)
    make_snapshot(brand, **ANSWERED)
    return brand


def sign_up(page: Page, email: str) -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/brands/new/$"))


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/brands/$"))


# --- onboarding -------------------------------------------------------------------------
def create_brand(page: Page, name: str) -> None:
    page.goto("/brands/new/")
    page.get_by_label("Brand name").fill(name)
    page.get_by_role("button", name="Create brand").click()
    expect(page).to_have_url(re.compile(r"/onboarding/basics/$"))
    page.wait_for_load_state()


def fill_basics(page: Page, answers: BrandAnswers = ANSWERS) -> None:
    page.get_by_label("Website").fill(answers.website)
    page.get_by_label("Industry").select_option(label=answers.industry)
    page.get_by_label("Positioning").fill(answers.positioning)
    page.get_by_label("Primary audience").fill(answers.audience)
    page.get_by_label("Main country").select_option(label=answers.country)


def fill_details(page: Page, answers: BrandAnswers = ANSWERS) -> None:
    page.get_by_label("Content pillars").fill("\n".join(answers.pillars))
    page.get_by_label("Keywords to watch").fill("\n".join(answers.keywords))
    page.get_by_label("Hashtags to watch").fill(answers.hashtags)


def save_and_continue(page: Page, next_step: str) -> None:
    page.get_by_role("button", name="Save and continue →").click()
    expect(page).to_have_url(re.compile(rf"/onboarding/{next_step}/$"))
    page.wait_for_load_state()  # htmx binds the live validation once the page has loaded


def compile_brandbrain(page: Page) -> None:
    """Compile on the last onboarding step, which leads straight to the Today board."""
    page.get_by_role("button", name="Compile and open Today →").click()
    expect(page).to_have_title(re.compile(r"^Today · "))
    expect(toast(page, "BrandBrain compiled: version 1.")).to_be_visible()


# --- page checks ------------------------------------------------------------------------
def toast(page: Page, text: str):
    return page.locator("#toasts .toast", has_text=text)


def open_cards(page: Page) -> None:
    """Open every idea on the board (cards are collapsed rows until clicked)."""
    for card in page.locator(".opp-card").all():
        if card.get_attribute("open") is None:
            card.locator("summary").first.click()


def assert_fits_phone(page: Page) -> None:
    """Nothing sticks out sideways at 375 px: the page never scrolls horizontally."""
    page.wait_for_load_state()
    page.evaluate(FINITE_ANIMATIONS_DONE)  # a step sliding in is briefly wider
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide at {PHONE_WIDTH}px"


def assert_phone_nav_collapses(page: Page) -> None:
    """At phone width the menu hides behind a toggle that opens it and Escape closes."""
    menu = page.locator("#nav-menu")
    toggle = page.get_by_role("button", name="Menu")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Settings")).to_be_visible()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    assert_fits_phone(page)
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")


def tab_to(page: Page, accessible_text: str, *, limit: int = 40) -> None:
    """Press Tab until the focused element's text or label is `accessible_text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(); }"
        )
        if focused == accessible_text:
            return
    raise AssertionError(f"Tab never reached {accessible_text!r} within {limit} presses")


def tab_to_field(page: Page, label: str, *, limit: int = 40) -> None:
    """Press Tab until the field labelled `label` has focus."""
    field = page.get_by_label(label)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached the {label!r} field within {limit} presses")


def focus_is_visible(page: Page) -> bool:
    """The focused element draws a focus ring (outline) of its own."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }"
    )
