"""Throwaway: screenshots of the board states into /tmp/board-ui (never committed)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import flows
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_screenshots import SLOW_ACTORS, write_like_a_model

pytestmark = pytest.mark.browser
OUT = "/tmp/board-ui"


def shot(page: Page, name: str) -> None:
    page.evaluate("() => document.querySelectorAll('#toasts .toast').forEach(t => t.remove())")
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(
            path=f"{OUT}/{name}-{viewport['width']}.png", full_page=True, animations="disabled"
        )
        if viewport is PHONE:
            page.evaluate(
                "() => { const b = document.querySelector('.board, .run-error, #job-progress'); if (b) window.scrollTo(0, b.getBoundingClientRect().top + window.scrollY - 60); }"
            )
            page.screenshot(path=f"{OUT}/{name}-375-view.png", animations="disabled")
            page.evaluate(
                "() => { const b = document.querySelector('.opp-card[open]'); if (b) window.scrollTo(0, b.getBoundingClientRect().top + window.scrollY - 60); }"
            )
            page.screenshot(path=f"{OUT}/{name}-375-view2.png", animations="disabled")
            page.evaluate(
                "() => { const b = document.querySelector('.score-details[open]'); if (b) window.scrollTo(0, b.getBoundingClientRect().top + window.scrollY - 120); }"
            )
            page.screenshot(path=f"{OUT}/{name}-375-view3.png", animations="disabled")
    page.set_viewport_size(DESKTOP)


def test_shots(page: Page, fake_apify, fake_openai):
    demo = flows.make_user("demo@example.com")
    flows.make_onboarded_brand(demo)
    flows.log_in(page, "demo@example.com")
    page.get_by_role("link", name="Goodie AI").click()
    page.get_by_role("link", name="Open Today board →").click()
    expect(page.locator(".opp-card.is-sample").first).to_be_visible()
    shot(page, "demo")
    page.get_by_role("button", name="Log out").click()

    flows.make_user("maya@example.com", keys=True)
    from users.models import User

    flows.make_onboarded_brand(User.objects.get(email="maya@example.com"))
    flows.log_in(page, "maya@example.com")
    page.get_by_role("link", name="Goodie AI").click()
    page.get_by_role("link", name="Open Today board →").click()
    page.wait_for_load_state()
    shot(page, "first-ready")
    write_like_a_model(fake_openai)
    for actor in SLOW_ACTORS:
        fake_apify.set_latency(actor, 4)
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".recipe-chips .badge").nth(2)).to_be_visible()
    shot(page, "first-running")
    expect(page.locator(".opp-list .opp-card:not(.is-sample)").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(600)
    shot(page, "finished")
    page.locator(".opp-summary").first.click()
    page.locator(".score-details summary").first.click()
    shot(page, "finished-open")
    page.reload()
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".recipe-chips .badge").nth(2)).to_be_visible()
    shot(page, "rerun")
    expect(page.locator("#job-progress")).to_have_count(0, timeout=30_000)
    fake_openai.fail_completions_with = "insufficient_quota"
    for actor in SLOW_ACTORS:
        fake_apify.set_latency(actor, 0.2)
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".run-error")).to_be_visible(timeout=30_000)
    shot(page, "failed")
