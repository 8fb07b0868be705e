"""`make screenshots`: every main page at 1280 px and 375 px into docs/screenshots/.

Walks a real journey (sign up, onboard, demo board, keys, a run in progress, the
finished board, a failed run) against the doubles and writes docs/screenshots/README.md
indexing the images. Skipped unless pytest is given --screenshots.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.brands.website_double import brand_site
from tests.browser import flows
from tests.browser.flows import DESKTOP, PHONE
from tests.fakes.apify import VALID_TOKEN
from tests.fakes.openai import FakeOpenAI

pytestmark = pytest.mark.browser

SHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = (DESKTOP, PHONE)
SLOW_ACTORS = ("clockworks/tiktok-trends-scraper", "harvestapi/linkedin-post-search")

# What a model writes for Goodie AI, so the screenshots read like a real board (the
# double's own filler text is "Sample title 3"). Citations stay the double's: real ids.
IDEAS = [
    (
        "instagram",
        "carousel",
        "AI search visibility",
        "Reddit threads are now what ChatGPT quotes about your brand",
        "“Your next customer asked ChatGPT about you. Here's what it said.”",
        "A 6-slide carousel: the prompt, the answer, the Reddit thread it came from, and "
        "three steps to show up in it.",
        "Posts about Reddit feeding AI answers tripled their saves this week.",
    ),
    (
        "tiktok",
        "short video",
        "Content strategy",
        "Duet the “SEO is dead” trend with one chart",
        "“SEO isn't dead. It moved.”",
        "Stitch the trending clip, then show where AI answers cite sources from, in 20 seconds.",
        "The “SEO is dead” sound is climbing in Tech & Electronics: 48K videos in 7 days.",
    ),
    (
        "youtube",
        "short video",
        "AI search visibility",
        "Ask Perplexity about your category on camera",
        "“We asked 4 AI engines who the best tool is. Only one named us.”",
        "Screen-record four engines answering the same buyer question; score them live.",
        "Head-to-head AI answer tests are the fastest-growing Shorts format in marketing.",
    ),
    (
        "linkedin",
        "text post",
        "Content strategy",
        "What 100 AI answers taught us about being cited",
        "“We read 100 AI answers about our market. 3 patterns explain who gets cited.”",
        "A founder post with three numbered findings and one honest surprise.",
        "Data-led posts on generative engine optimization are out-performing news on LinkedIn.",
    ),
    (
        "instagram",
        "reel",
        "AI search visibility",
        "Your brand, as ChatGPT describes it: a 15-second reveal",
        "“I asked ChatGPT to describe us in one sentence. Oof.”",
        "A reaction reel to the answer, then the fix you made, with before/after.",
        "Reveal-style reels about AI answers are averaging 1.2M views this week.",
    ),
    (
        "tiktok",
        "short video",
        "Content strategy",
        "Three prompts every marketer should run this Monday",
        "“Run these 3 prompts before your Monday stand-up.”",
        "A fast checklist video: each prompt on screen, the answer, and what it tells you.",
        "Prompt checklists are trending across TikTok and Reels with high share rates.",
    ),
]


def write_like_a_model(fake: FakeOpenAI) -> None:
    """Answer as the double does (streamed or not), with readable ideas in its place;
    each call of a run (one per group of pillars) takes the next ideas."""
    ideas = itertools.cycle(IDEAS)

    def shape_answer(content: dict) -> dict:
        for draft in content["opportunities"]:
            keys = ("platform", "format", "pillar", "title", "hook", "angle", "why_now")
            draft.update(zip(keys, next(ideas), strict=True))
        return content

    fake.shape_answer = shape_answer  # type: ignore[method-assign]


# Goodie AI's own home page, for the website box on Basics.
GOODIE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Goodie AI | Be the brand AI answers recommend</title>
<meta property="og:site_name" content="Goodie AI">
<meta property="og:description" content="Goodie tracks how ChatGPT, Perplexity and Gemini
talk about your brand, and shows marketers what to publish so AI answers cite them.">
</head><body><footer>
<a href="https://www.instagram.com/goodie.ai/">Instagram</a>
<a href="https://www.tiktok.com/@goodieai">TikTok</a>
<a href="https://www.linkedin.com/company/goodie-ai/">LinkedIn</a>
</footer></body></html>"""


@dataclass
class Album:
    """The screenshots taken so far, in journey order, for the index page."""

    page: Page
    shots: list[tuple[str, str]] = field(default_factory=list)

    def take(self, name: str, caption: str, *, keep_toasts: bool = False) -> None:
        page = self.page
        if not keep_toasts:
            page.evaluate(
                "() => document.querySelectorAll('#toasts .toast').forEach(t => t.remove())"
            )
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        for viewport in WIDTHS:
            page.set_viewport_size(viewport)
            page.evaluate(flows.FINITE_ANIMATIONS_DONE)  # cards fade in again after a resize
            page.evaluate("() => window.scrollTo(0, 0)")
            # A focus moved after a swap (Save anyway) may scroll once more: wait it out.
            page.wait_for_function("() => window.scrollY === 0")
            page.screenshot(
                path=SHOTS_DIR / f"{name}-{viewport['width']}.png",
                full_page=True,
                animations="disabled",
                caret="initial",  # "hide" injects a style the CSP (rightly) refuses
            )
        page.set_viewport_size(DESKTOP)
        self.shots.append((name, caption))

    def write_index(self) -> None:
        lines = [
            "# Screenshots",
            "",
            "Every main page of Kairo at desktop (1280 px) and phone (375 px) width, in the",
            "order a new user meets them. Regenerate them with `make screenshots` (it drives",
            "the real app in headless Chromium against the Apify and OpenAI test doubles;",
            "see tests/browser/test_screenshots.py). Emoji in posts need an emoji font on the",
            "machine taking them (Debian: `fonts-noto-color-emoji`).",
            "",
            "| Page | 1280 px | 375 px |",
            "|---|---|---|",
        ]
        for name, caption in self.shots:
            lines.append(
                f"| {caption} | [![{caption}, desktop]({name}-1280.png)]({name}-1280.png) "
                f"| [![{caption}, phone]({name}-375.png)]({name}-375.png) |"
            )
        (SHOTS_DIR / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def album(request, page: Page) -> Album:
    if not request.config.getoption("--screenshots"):
        pytest.skip("writes docs/screenshots/: run `make screenshots` (pytest --screenshots)")
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for old in SHOTS_DIR.glob("*.png"):
        old.unlink()
    return Album(page)


def test_screenshots(album: Album, page: Page, fake_apify, fake_openai, monkeypatch):
    page.goto("/login")
    album.take("login", "Log in")
    page.goto("/signup")
    page.get_by_label("Email").fill("maya@goodie.ai")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".error").first).to_be_visible()
    album.take("signup", "Sign up, with a password that is too short")
    flows.sign_up(page, "maya@goodie.ai")
    page.goto("/brands/")
    album.take("brands-empty", "Brands, before the first one")
    page.goto("/brands/new/")
    album.take("brand-new", "New brand")

    flows.create_brand(page, "Goodie AI")
    with brand_site(monkeypatch) as site:
        site.page("/", GOODIE_PAGE)
        box = page.locator("#website-prefill")
        box.get_by_label("Home page address").fill(site.url())
        box.get_by_role("button", name="Fill in from my site").click()
        expect(box).to_contain_text("Filled in from 127.0.0.1")
    album.take("onboarding-basics", "Onboarding 1: Basics, filled in from the brand's website")
    flows.fill_basics(page)
    flows.save_and_continue(page, "sources")
    expect(page.get_by_label("Instagram")).to_have_value("@goodie.ai")  # found on the site
    page.get_by_label("Instagram").fill("")
    page.get_by_label("Instagram").fill("instagram.com/goodie.ai")
    expect(page.locator("#id_instagram_errors .ok")).to_be_visible()
    page.get_by_label("TikTok").fill("tiktok.com/tag/goodieai")
    expect(page.locator("#id_tiktok_errors .error")).to_be_visible()
    album.take("onboarding-sources", "Onboarding 2: Sources, with a live validation error")
    page.get_by_label("TikTok").fill("@goodieai")
    expect(page.locator("#id_tiktok_errors .error")).to_have_count(0)
    flows.save_and_continue(page, "details")
    flows.fill_details(page)
    page.get_by_label("Hashtags to watch").fill("#aisearch seo, #geo")
    expect(page.locator("#id_hashtags_errors")).to_have_text(
        "✓ Will be saved as #aisearch #seo #geo"
    )
    page.get_by_label("Competitors").fill("Profound")
    page.get_by_label("Tone of voice").fill("Confident, plain-spoken")
    page.get_by_label("Topics to avoid").fill("Content strategy")
    expect(page.locator("#step-warnings .warn")).to_be_visible()
    album.take(
        "onboarding-details",
        "Onboarding 3: Details, with how hashtags are saved and a topic to avoid that is a pillar",
    )
    page.get_by_label("Topics to avoid").fill("")  # the warning heeded
    expect(page.locator("#step-warnings .warn")).to_have_count(0)
    flows.save_and_continue(page, "compile")
    album.take("onboarding-compile", "Onboarding 4: Review and compile")
    flows.compile_brandbrain(page)
    expect(page.locator(".opp-card.is-sample").first).to_be_visible()
    album.take("today-demo", "Today board in Demo Mode, right after compiling", keep_toasts=True)
    today_url = page.url
    page.goto(today_url.removesuffix("today/"))
    album.take("brand-home", "Brand home with its BrandBrain")
    page.goto(today_url)

    page.goto("/settings/")
    album.take("settings", "Settings, no keys yet")
    page.get_by_label("Apify API token").fill("apify_api_" + "Unknown0Token" * 3)
    page.locator("#key-apify").get_by_role("button", name="Test Connection").click()
    expect(page.locator("#key-apify")).to_contain_text("✗ Apify rejected your token")
    page.get_by_role("button", name="Save Changes").click()
    expect(page.locator(".confirm-failed")).to_be_visible()
    album.take("settings-confirm", "Settings: saving a key that just failed its test asks first")
    page.get_by_label("Apify API token").fill(VALID_TOKEN)
    page.locator("#key-apify").get_by_role("button", name="Test Connection").click()
    expect(page.locator("#apify_token-test")).to_contain_text("✓ This key works")
    page.get_by_label("OpenAI API key").fill(flows.OPENAI_KEY)
    page.get_by_role("button", name="Save Changes").click()
    expect(page.get_by_text("✓ Connected (ends in …3Bvt)")).to_be_visible()
    album.take("settings-connected", "Settings, keys connected", keep_toasts=True)

    write_like_a_model(fake_openai)
    # A run caught mid-way: fast sources done, two slow ones still collecting.
    for actor in SLOW_ACTORS:
        fake_apify.set_latency(actor, 6)
    fake_openai.completion_latency = 1.5
    page.goto(page.url.replace("/settings/", "/brands/"))
    page.get_by_role("link", name="Goodie AI").click()
    page.get_by_role("link", name="Open Today board →").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".recipe-chips .badge").nth(2)).to_be_visible()
    album.take("today-progress", "Today board while a run collects evidence")
    expect(page.locator(".opp-list .opp-card:not(.is-sample)").first).to_be_visible(timeout=30_000)
    page.locator(".opp-card > summary").first.click()  # the first card, open
    page.locator(".score-details summary").first.click()
    album.take("today-board-open", "Today board: an idea opened, with its score table and evidence")
    page.locator(".opp-card > summary").first.click()  # closed again: the board at a glance
    album.take("today-board", "Today board: ranked ideas, one row each")

    # A second run: the board stays, dimmed, under the progress panel.
    for actor in SLOW_ACTORS:
        fake_apify.set_latency(actor, 6)
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".recipe-chips .badge").nth(2)).to_be_visible()
    album.take("today-rerun", "Today board while a second run works: the current board stays")
    expect(page.locator(".recipe-chips")).to_have_count(0, timeout=30_000)

    # A run that fails: OpenAI says the account is out of credit.
    for actor in SLOW_ACTORS:
        fake_apify.set_latency(actor, 0.2)
    fake_openai.completion_latency = 0
    fake_openai.fail_completions_with = "insufficient_quota"
    page.goto("/brands/new/")
    page.get_by_label("Brand name").fill("Northwind Coffee")
    page.get_by_role("button", name="Create brand").click()
    northwind = flows.BrandAnswers(
        name="Northwind Coffee",
        website="northwind.coffee",
        industry="Food & Beverage",
        positioning="Small-batch coffee roasted weekly for people who brew at home.",
        audience="Home baristas",
        pillars=("Brewing at home", "Bean origins"),
        keywords=("pour over", "latte art"),
        hashtags="#coffee #latteart",
    )
    flows.fill_basics(page, northwind)
    flows.save_and_continue(page, "sources")
    flows.save_and_continue(page, "details")
    flows.fill_details(page, northwind)
    flows.save_and_continue(page, "compile")
    flows.compile_brandbrain(page)
    page.wait_for_load_state()
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".run-error")).to_be_visible(timeout=30_000)
    album.take("today-failed", "Today board after a failed run")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Brands").click()
    expect(page.get_by_role("link", name=re.compile("Northwind"))).to_be_visible()
    album.take("brands", "Brands list, each with its last run")
    page.goto("/brands/no-such-brand/")
    album.take("not-found", "A page that doesn't exist, signed in")
    page.get_by_role("button", name="Log out").click(force=True)  # in the phone menu too
    page.goto("/brands/no-such-brand/")
    expect(page.get_by_role("link", name="Go to sign in")).to_be_visible()
    album.take("not-found-signed-out", "A page that doesn't exist, signed out")
    album.write_index()
    assert len(list(SHOTS_DIR.glob("*.png"))) == 2 * len(album.shots)
