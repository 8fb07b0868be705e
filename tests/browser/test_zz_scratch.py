import pytest
from playwright.sync_api import expect
from tests.browser import flows
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser
OUT = "/tmp/settings-ui"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_look(page_factory, viewport):
    w = viewport["width"]
    email = f"s{w}@example.com"
    owner = flows.make_user(email, keys=True)
    brand = flows.make_onboarded_brand(owner)
    page = page_factory(viewport)
    flows.log_in(page, email)
    page.goto(f"/brands/{brand.pk}/today/")
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator("#toasts .toast").first).to_be_visible()
    page.screenshot(path=f"{OUT}/today-toast-{w}.png")
    expect(page.locator(".opp-list .opp-card").first).to_be_visible(timeout=30_000)
    page.screenshot(path=f"{OUT}/today-done-toast-{w}.png")
    page.goto("/settings/")
    page.screenshot(path=f"{OUT}/settings-{w}.png", full_page=True)
