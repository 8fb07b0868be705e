"""The Today board you can scan (issue 15), in a real browser: each idea is one row that
opens on click, Enter or Space; Escape closes "Why it scores", then the card; at phone
width nothing scrolls sideways, every collapsed card fits well inside one screen and the
score table keeps its bars; a re-run leaves the board under the progress, inert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opportunities.models import JobStatus
from tests.browser import flows
from tests.support.board import make_board, make_job

pytestmark = pytest.mark.browser

PHONE_SCREEN_HEIGHT = 667  # an iPhone SE's screen: the height a card must never need
CARD_HEIGHTS_JS = """() => [...document.querySelectorAll('.opp-card')]
  .map(card => card.getBoundingClientRect().height)"""
SCORE_TABLE_FITS_JS = """() => {
  const wrap = document.querySelector('.opp-card[open] .score-details[open] .table-wrap');
  const bar = wrap.querySelector('meter').getBoundingClientRect();
  return {overflow: wrap.scrollWidth - wrap.clientWidth, barWidth: bar.width,
          barInside: bar.right <= wrap.getBoundingClientRect().right};
}"""


@pytest.fixture
def board():
    user = flows.make_user("rhea@example.com", keys=True)
    brand = flows.make_onboarded_brand(user)
    return brand, make_board(make_job(brand), cards=6, evidence_each=4)


def open_today(page: Page, brand) -> None:
    flows.log_in(page, "rhea@example.com")
    page.goto(f"/brands/{brand.pk}/today/")
    expect(page.locator(".opp-card").first).to_be_visible()


def test_a_card_opens_on_click_enter_and_space_and_escape_closes_it(page: Page, board):
    brand, ideas = board
    open_today(page, brand)
    first, second = page.locator(".opp-card").nth(0), page.locator(".opp-card").nth(1)
    expect(first.locator(".opp-details")).to_be_hidden()
    expect(first.locator(".evidence-tile:visible")).to_have_count(4)  # 3 posts and "+1"
    expect(page.locator(".board-header")).to_contain_text("6 ideas")
    expect(page.locator(".board-header")).to_contain_text("Evidence from the last 4 days")

    first.locator("summary").first.click()
    expect(first).to_have_attribute("open", "")
    expect(first.locator("a.evidence-link").first).to_be_visible()
    expect(first.get_by_role("button", name="Save for later")).to_be_visible()
    first.locator("summary").first.click()
    expect(first.locator(".opp-details")).to_be_hidden()

    summary = second.locator("summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(second.locator(".opp-details")).to_be_visible()
    page.keyboard.press("Space")
    expect(second.locator(".opp-details")).to_be_hidden()

    # "Why it scores": Escape closes the table (focus back on its summary), then the card.
    page.keyboard.press("Enter")
    scores = second.locator(".score-details")
    scores.locator("summary").click()
    expect(scores.locator(".score-table")).to_be_visible()
    page.keyboard.press("Escape")
    expect(scores.locator(".score-table")).to_be_hidden()
    expect(scores.locator("summary")).to_be_focused()
    page.keyboard.press("Escape")
    expect(second.locator(".opp-details")).to_be_hidden()
    expect(summary).to_be_focused()


def test_an_action_shows_on_the_collapsed_row(page: Page, board):
    brand, ideas = board
    open_today(page, brand)
    card = page.locator(f"#opp-{ideas[0].pk}")
    state = card.locator("[data-idea-state]")
    expect(state).to_be_hidden()
    card.locator("summary").first.click()
    card.get_by_role("button", name="Save for later").click()
    expect(state).to_have_text("Saved for later")
    card.locator("summary").first.click()
    expect(state).to_be_visible()


def test_at_phone_width_cards_fit_a_screen_and_the_score_table_its_card(phone_page, board):
    brand, ideas = board
    page = phone_page
    open_today(page, brand)
    flows.assert_fits_phone(page)
    heights = page.evaluate(CARD_HEIGHTS_JS)
    assert len(heights) == 6
    assert max(heights) <= PHONE_SCREEN_HEIGHT, heights
    expect(page.locator(".opp-card").first.locator(".evidence-tile:visible")).to_have_count(3)

    page.locator(".opp-card summary").first.click()
    page.locator(".opp-card[open] .score-details summary").click()
    fits = page.evaluate(SCORE_TABLE_FITS_JS)
    assert fits["overflow"] <= 0, fits
    assert fits["barWidth"] > 0 and fits["barInside"], fits
    flows.assert_fits_phone(page)


def test_a_rerun_keeps_the_board_under_its_progress_inert(page: Page, board):
    brand, ideas = board
    make_job(
        brand,
        JobStatus.RUNNING,
        stage="collecting",
        worker_id="elsewhere",
        lease_expires_at=timezone.now() + timedelta(hours=1),
    )
    open_today(page, brand)
    expect(page.locator("#job-progress")).to_be_visible()
    busy = page.locator(".board-busy")
    expect(busy).to_have_attribute("aria-busy", "true")
    expect(busy.locator(".opp-card")).to_have_count(6)
    assert page.evaluate("document.querySelector('.board-busy').inert") is True
    busy.locator("summary").first.click(force=True)  # inert: the click does nothing
    expect(busy.locator(".opp-card[open]")).to_have_count(0)
