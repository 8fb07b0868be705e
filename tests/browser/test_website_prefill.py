"""The "Start from your website" box in a real browser: the HTMX swap, the same without
JavaScript, and both widths. The site is the loopback double of
tests/brands/website_double.py, fetched under a policy that trusts loopback.

Set KAIRO_SHOTS_DIR to keep screenshots of the box and the pre-filled step."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.brands.website_double import brand_site
from tests.browser import flows
from tests.browser.flows import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def site(monkeypatch):
    with brand_site(monkeypatch) as double:
        yield double


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("KAIRO_SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.evaluate("() => window.scrollTo(0, 0)")  # else the sticky header sits mid-shot
        # caret="initial": hiding the caret injects a style the CSP (rightly) blocks.
        page.screenshot(path=f"{folder}/{name}.png", full_page=True, caret="initial")


def start_basics(page: Page, email: str) -> None:
    flows.make_user(email)
    flows.log_in(page, email)
    flows.create_brand(page, "Bean and Leaf")


@pytest.mark.parametrize(("viewport", "width"), [(DESKTOP, 1280), (PHONE, 375)])
def test_the_box_pre_fills_basics_in_place(page_factory, site, viewport, width):
    page = page_factory(viewport)
    start_basics(page, f"prefill-{width}@example.com")
    box = page.locator("#website-prefill")
    expect(box.get_by_role("heading", name="Start from your website")).to_be_visible()
    shot(page, f"website-box-{width}")

    box.get_by_label("Home page address").fill(site.url())
    url_before = page.url
    box.get_by_role("button", name="Fill in from my site").click()

    expect(page.get_by_label("Brand name")).to_have_value("Bean & Leaf")
    expect(page.get_by_label("Positioning")).to_have_value(
        "Small-batch coffee roasted in Leeds for home baristas: beans, kit and latte-art lessons."
    )
    expect(page.locator("#website-prefill")).to_contain_text("Filled in from 127.0.0.1")
    expect(page.locator("#website-prefill")).to_contain_text("@beanandleaf")
    expect(page.locator(".field").filter(has_text="Found on your site.")).to_have_count(3)
    assert page.url == url_before  # swapped in place, no navigation
    assert len(page.locator(".wizard-step").all()) == 1  # the step replaced, not nested
    if width == 375:
        flows.assert_fits_phone(page)
    shot(page, f"website-prefilled-{width}")

    # Confirm: fill what a website can't say, save, and the accounts wait on Sources.
    page.get_by_label("Industry").select_option(index=1)
    page.get_by_label("Primary audience").fill("Home baristas")
    page.get_by_label("Main country").select_option("GB")
    flows.save_and_continue(page, "sources")
    expect(page.get_by_label("Instagram")).to_have_value("@beanandleaf")
    expect(page.get_by_label("LinkedIn")).to_have_value(
        "https://www.linkedin.com/company/bean-and-leaf"
    )
    if width == 1280:
        shot(page, "website-sources-1280")


def test_without_javascript_the_form_posts_and_comes_back(page_factory, site):
    page = page_factory(DESKTOP, java_script_enabled=False)
    start_basics(page, "nojs@example.com")
    page.get_by_label("Home page address").fill("http://169.254.169.254/latest/meta-data/")
    page.get_by_role("button", name="Fill in from my site").click()
    expect(page.locator("#website-prefill")).to_contain_text(
        "That address points inside a private network, so Kairo won't fetch it."
    )
    shot(page, "website-refused-1280")
    page.get_by_label("Home page address").fill(site.url())
    page.get_by_role("button", name="Fill in from my site").click()
    expect(page.get_by_label("Brand name")).to_have_value("Bean & Leaf")
    assert len(site.seen) == 1  # the private address was never fetched
