"""Toasts in the browser: they cover no field, link or button (measured with
getBoundingClientRect on the Today board and Settings at 1280 and 375 px), a run's
finishing toast replaces its starting one, and they go by themselves: success after
~5 s, errors after ~10 s, never while the pointer rests on one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import flows
from tests.browser.flows import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# The controls a toast must leave clear; kairo.js docks the region by the same list.
COVERED_CONTROLS = """() => {
  const controls = "a[href], button, input:not([type='hidden']), select, textarea, summary,"
    + " [tabindex]:not([tabindex='-1'])";
  const hits = [];
  for (const toast of document.querySelectorAll('#toasts .toast')) {
    const t = toast.getBoundingClientRect();
    for (const control of document.querySelectorAll(controls)) {
      if (toast.contains(control)) continue;
      const c = control.getBoundingClientRect();
      if (!c.width || !c.height) continue;
      const w = Math.min(t.right, c.right) - Math.max(t.left, c.left);
      const h = Math.min(t.bottom, c.bottom) - Math.max(t.top, c.top);
      if (w > 0 && h > 0) hits.push(control.outerHTML.slice(0, 90));
    }
  }
  return hits;
}"""


def assert_covers_nothing(page: Page) -> None:
    page.evaluate(flows.FINITE_ANIMATIONS_DONE)  # the toast slides in
    expect(page.locator("#toasts .toast").first).to_be_visible()
    assert page.evaluate(COVERED_CONTROLS) == []
    # Inside the viewport, not under the sticky top bar.
    box = page.locator("#toasts").bounding_box()
    bar = page.locator(".topbar").bounding_box()
    viewport = page.viewport_size
    assert box["y"] >= bar["y"] + bar["height"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["y"] + box["height"] <= viewport["height"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_a_runs_toasts_cover_nothing_and_the_finish_replaces_the_start(page_factory, viewport):
    email = f"toast{viewport['width']}@example.com"
    brand = flows.make_onboarded_brand(flows.make_user(email, keys=True))
    page: Page = page_factory(viewport)
    flows.log_in(page, email)
    page.goto(f"/brands/{brand.pk}/today/")
    page.get_by_role("button", name="Regenerate").click()

    started = flows.toast(page, "Regeneration started.")
    expect(started).to_be_visible()
    expect(started).to_have_attribute("data-toast-key", f"run-{brand.pk}")
    assert_covers_nothing(page)

    expect(page.locator(".opp-list .opp-card").first).to_be_visible(timeout=30_000)
    ready = flows.toast(page, "Your board is ready.")
    expect(ready).to_be_visible()
    expect(started).to_have_count(0)  # replaced, not stacked
    expect(page.locator("#toasts .toast")).to_have_count(1)
    assert_covers_nothing(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_the_saved_toast_on_settings_covers_nothing(page_factory, viewport):
    email = f"keys{viewport['width']}@example.com"
    flows.make_user(email)
    page: Page = page_factory(viewport)
    flows.log_in(page, email)
    page.goto("/settings/")
    page.get_by_label("OpenAI API key").fill(flows.OPENAI_KEY)
    page.get_by_role("button", name="Save Changes").click()
    expect(flows.toast(page, "Saved your OpenAI API key.")).to_be_visible()
    assert_covers_nothing(page)
    if viewport is DESKTOP:  # beside the form column, in the margin it leaves
        column = page.locator("main .narrow").bounding_box()
        assert page.locator("#toasts").bounding_box()["x"] >= column["x"] + column["width"]
    # A second save's toast replaces the first (one key for the keys card's toasts).
    page.get_by_role("button", name="Save Changes").click()
    expect(flows.toast(page, "Nothing to save: paste a key first.")).to_be_visible()
    expect(page.locator("#toasts .toast")).to_have_count(1)
    assert_covers_nothing(page)


def test_toasts_go_by_themselves_errors_later_and_never_under_the_pointer(page: Page, app):
    flows.make_user("clock@example.com")
    page.clock.install()
    flows.log_in(page, "clock@example.com")
    page.goto("/settings/")
    page.wait_for_load_state()
    page.evaluate("() => window.kairoToast('All good.', 'success')")
    page.evaluate("() => window.kairoToast('That failed.', 'error')")
    success, error = flows.toast(page, "All good."), flows.toast(page, "That failed.")
    expect(success).to_have_attribute("role", "status")
    expect(error).to_have_attribute("role", "alert")  # announced at once

    page.clock.run_for(5_500)
    expect(success).to_have_count(0)
    expect(error).to_be_visible()
    page.clock.run_for(5_000)
    expect(error).to_have_count(0)

    page.evaluate("() => window.kairoToast('Read me slowly.', 'info')")
    slow = flows.toast(page, "Read me slowly.")
    slow.hover()
    page.clock.run_for(20_000)
    expect(slow).to_be_visible()  # paused while the pointer rests on it
    page.mouse.move(5, 400)
    page.clock.run_for(6_000)
    expect(slow).to_have_count(0)

    page.evaluate("() => window.kairoToast('Keyboard too.', 'success')")
    keyboard = flows.toast(page, "Keyboard too.")
    keyboard.get_by_role("button", name="Dismiss").focus()
    page.clock.run_for(20_000)
    expect(keyboard).to_be_visible()  # paused while focus is on it
    page.keyboard.press("Enter")
    expect(keyboard).to_have_count(0)


def test_toasts_stop_moving_when_motion_is_reduced(page_factory):
    flows.make_user("still@example.com")
    page: Page = page_factory(DESKTOP, reduced_motion="reduce")
    flows.log_in(page, "still@example.com")
    page.evaluate("() => window.kairoToast('No slide.', 'success')")
    name = flows.toast(page, "No slide.").evaluate("t => getComputedStyle(t).animationName")
    assert name == "none"


def test_at_most_three_toasts_show(page: Page, app):
    flows.make_user("many@example.com")
    flows.log_in(page, "many@example.com")
    for n in range(5):
        page.evaluate(f"() => window.kairoToast('Toast {n}.', 'info')")
    toasts = page.locator("#toasts .toast")
    expect(toasts).to_have_count(3)
    expect(toasts.first).to_have_text(re.compile("Toast 2."))
