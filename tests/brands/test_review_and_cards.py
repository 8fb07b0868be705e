"""The Compile page, what onboarding requires, the brand pages' labels and the brand list's
cards, as a marketer reads them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brands.countries import locale_defaults, market_label
from brands.models import Brand, OnboardingAnswers
from brands.snapshots import compile_snapshot, readable
from opportunities.models import JobStatus, OpportunitiesJob
from tests.brands.helpers import complete_onboarding, step_url, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(alice_client, alice_brand):
    complete_onboarding(alice_client, alice_brand, compile=False)
    return alice_brand


def summary_rows(html: str) -> list[str]:
    summary = html[html.index('<dl class="snapshot-summary">') : html.index("</dl>")]
    return re.findall(r"<div><dt>(.*?)</dt>", summary, flags=re.S)


# Compile ------------------------------------------------------------------------------


def test_compile_page_has_an_edit_link_on_every_row(alice_client, answered):
    page = alice_client.get(step_url(answered, "compile")).content.decode()
    rows = summary_rows(page)
    assert len(rows) == 8  # brand, accounts, pillars, watching, trends, tone, competitors, avoid
    for row in rows:
        assert re.search(r'href="/brands/[0-9a-f-]+/onboarding/(basics|sources|details)/"', row)


def test_compile_page_shows_handles_with_at_and_the_market_by_name(alice_client, answered):
    page = alice_client.get(step_url(answered, "compile")).content.decode()
    assert "Instagram: @goodie.ai" in page and "TikTok: @goodieai" in page
    assert "YouTube: https://www.youtube.com/@goodieai" in page
    assert "United States · English" in page
    assert "· US ·" not in page and "· en<" not in page


def test_compile_page_opens_at_its_heading(alice_client, answered):
    page = alice_client.get(step_url(answered, "compile")).content.decode()
    form = page[page.index("<form") :]
    assert "autofocus" not in form  # nothing below the heading takes the focus (or the scroll)


def test_compiling_leads_to_the_today_board(alice_client, answered):
    today = reverse("opportunities:today", args=[answered.pk])
    response = alice_client.post(step_url(answered, "compile"))
    assert response["Location"] == today
    # Unchanged answers: the button opens the board again.
    page = alice_client.get(step_url(answered, "compile")).content.decode()
    assert "Open Today board →" in page
    assert alice_client.post(step_url(answered, "compile"))["Location"] == today


def test_readable_summary_of_a_snapshot(answered):
    data = compile_snapshot(answered).data
    summary = readable(data)
    assert [(a.label, a.display) for a in summary.accounts] == [
        ("Instagram", "@goodie.ai"),
        ("TikTok", "@goodieai"),
        ("YouTube", "https://www.youtube.com/@goodieai"),
        ("LinkedIn", "https://www.linkedin.com/company/goodie-ai"),
    ]
    assert summary.market == "United States · English"


def test_market_label_falls_back_to_codes():
    assert market_label("GB", "fr") == "United Kingdom · French"
    assert market_label("ZZ", "xx") == "ZZ · xx"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", {"country": "GB", "language": "en"}),
        ("de-DE", {"country": "DE", "language": "de"}),
        ("zh-Hant-TW", {"country": "TW", "language": "zh"}),
        ("fr", {"country": "US", "language": "fr"}),
        ("", {"country": "US", "language": "en"}),
        ("xx-QQ", {"country": "US", "language": "en"}),
    ],
)
def test_locale_defaults(header, expected):
    assert locale_defaults(header) == expected


def test_basics_preselects_the_browsers_market(alice_client, alice_brand):
    page = alice_client.get(step_url(alice_brand, "basics"), headers={"Accept-Language": "en-GB"})
    form = page.context["form"]
    assert form.initial["country"] == "GB" and form.initial["language"] == "en"
    assert '<option value="GB" selected>' in page.content.decode()


# Only what the pipeline needs is required ----------------------------------------------


def test_the_shortest_onboarding_the_pipeline_can_run_on(alice_client, alice_brand):
    """A name, the market (pre-selected), one pillar and one keyword; nothing else."""
    basics = {"name": "Latte Lab", "country": "IT", "language": "it"}
    assert alice_client.post(step_url(alice_brand, "basics"), basics).status_code == 302
    assert alice_client.post(step_url(alice_brand, "sources"), {}).status_code == 302
    details = {"pillars": "Latte art", "keywords": "latte"}
    assert alice_client.post(step_url(alice_brand, "details"), details).status_code == 302
    assert alice_client.post(step_url(alice_brand, "compile")).status_code == 302

    data = compile_snapshot(Brand.objects.get(pk=alice_brand.pk)).data
    assert data["brand"] == {
        "name": "Latte Lab",
        "website": None,
        "industry": "",
        "positioning": "",
        "audience": "",
        "country": "IT",
        "language": "it",
    }
    assert data["hashtags"] == [] and data["pillars"] == ["Latte art"]
    assert data["prompt_context"].splitlines() == [
        "Brand: Latte Lab",
        "Market: Italy (IT); content language: Italian",
        "Content pillars: Latte art",
        "Keywords to watch: latte",
    ]


def test_the_brief_for_full_answers_is_unchanged(answered):
    """Optional fields only drop out of the brief when empty: existing snapshots stay current."""
    lines = compile_snapshot(answered).data["prompt_context"].splitlines()
    assert lines[:4] == [
        "Brand: Goodie AI (Software) — https://goodie.ai",
        "Positioning: Goodie helps brands show up in AI search answers, not just blue links.",
        "Primary audience: Heads of marketing at B2B startups",
        "Market: United States (US); content language: English",
    ]


@pytest.mark.parametrize(
    ("step", "field"),
    [("basics", "name"), ("details", "pillars"), ("details", "keywords")],
)
def test_what_the_pipeline_needs_stays_required(alice_client, answered, step, field):
    response = submit(alice_client, answered, step, {field: ""})
    assert response.status_code == 400
    assert response.context["form"].errors[field]


def test_optional_fields_are_marked_so(alice_client, alice_brand):
    page = alice_client.get(step_url(alice_brand, "basics")).content.decode()
    required = re.findall(r'<label for="id_(\w+)">[^<]*<span class="req"', page)
    assert required == ["name", "country", "language"]


# Brand pages ---------------------------------------------------------------------------


def test_brand_pages_breadcrumbs_have_no_trailing_slash(alice_client, answered):
    compile_snapshot(answered)
    for url in (f"/brands/{answered.pk}/", f"/brands/{answered.pk}/snapshots/1/"):
        html = alice_client.get(url).content.decode()
        crumbs = re.search(r'<p class="eyebrow">(.*?)</p>', html, flags=re.S).group(1)
        assert not crumbs.rstrip().endswith("/"), crumbs


def test_snapshot_json_is_named_for_what_it_opens(alice_client, answered):
    compile_snapshot(answered)
    for url in (f"/brands/{answered.pk}/", f"/brands/{answered.pk}/snapshots/1/"):
        html = alice_client.get(url).content.decode()
        assert "Snapshot data (JSON)" in html
        assert "View JSON" not in html and "Raw JSON" not in html


# Brand list cards ----------------------------------------------------------------------


def job(brand: Brand, status: str, *, ago: timedelta) -> OpportunitiesJob:
    moment = timezone.now() - ago
    created = OpportunitiesJob.objects.create(brand=brand, user=brand.owner, status=status)
    finished = None if status in (JobStatus.QUEUED, JobStatus.RUNNING) else moment
    OpportunitiesJob.objects.filter(pk=created.pk).update(created_at=moment, finished_at=finished)
    return created


def card_for(html: str, name: str) -> str:
    start = html.index(f"<h2>{name}</h2>")
    return html[start : html.index("</li>", start)]


def test_brand_card_shows_the_last_run_and_a_way_to_today(alice_client, answered, alice):
    compile_snapshot(answered)
    job(answered, JobStatus.FAILED, ago=timedelta(days=2))
    job(answered, JobStatus.SUCCEEDED, ago=timedelta(hours=3))
    fresh = Brand.objects.create(owner=alice, name="Fresh Co")
    OnboardingAnswers.objects.create(brand=fresh)

    html = alice_client.get("/brands/").content.decode()
    card = card_for(html, "Goodie AI")
    assert "Last run 3 hours ago · 0 ideas" in card
    assert f'href="/brands/{answered.pk}/today/"' in card and "Today board →" in card
    fresh_card = card_for(html, "Fresh Co")
    assert "Continue onboarding →" in fresh_card and "/today/" not in fresh_card


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (JobStatus.FAILED, "Failed"),
        (JobStatus.RUNNING, "Running now"),
        (JobStatus.PARTIAL, "0 ideas, some sources failed"),
    ],
)
def test_brand_card_says_how_the_last_run_went(alice_client, answered, status, says):
    compile_snapshot(answered)
    job(answered, status, ago=timedelta(minutes=5))
    card = card_for(alice_client.get("/brands/").content.decode(), "Goodie AI")
    assert f"Last run 5 minutes ago · {says}" in card


def test_brand_card_before_any_run(alice_client, answered):
    compile_snapshot(answered)
    card = card_for(alice_client.get("/brands/").content.decode(), "Goodie AI")
    assert "No run yet" in card and "Today board →" in card
