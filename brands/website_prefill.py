"""The "Start from your website" box: fetch the brand's home page (brands/website.py),
read it (brands/website_parse.py) and pre-fill the wizard for the user to confirm.

Nothing is saved as an answer here. Basics gets the found name, description and address
as a pre-fill (`onboarding.WEBSITE_DRAFT`, shown until Basics is saved); the accounts
go into the Sources step's draft, in the empty fields only. If Basics was saved before,
only its empty fields are filled too, so a second look-up never overwrites an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction

from brands import onboarding
from brands.models import Brand, OnboardingAnswers, Platform
from brands.website import FetchedPage, fetch_page
from brands.website_parse import SiteFacts, read_site
from users.ratelimit import Limit

WEBSITE_MAX = 200  # BasicsForm.website
BASICS_FOUND = ("name", "positioning", "website")
FIELD_LABELS = {"name": "Brand name", "positioning": "Positioning", "website": "Website"}


def fetch_limit() -> Limit:
    """Per user (the "email" key is the user's id) and, more loosely, per address."""
    per_user = settings.WEBSITE_FETCH_RATE_LIMIT
    return Limit(
        "website-fetch",
        per_ip=per_user * 3,
        per_email=per_user,
        window=settings.WEBSITE_FETCH_RATE_WINDOW,
        message="You've looked up a lot of websites in a short time. "
        "Wait a few minutes and try again, or fill in the details yourself.",
    )


@dataclass(frozen=True)
class Prefill:
    """What a look-up found and what it filled in."""

    host: str
    found: dict[str, str]  # Basics field -> value found on the site
    filled: list[str]  # the Basics fields whose value now comes from the site
    handles: dict[str, str]  # platform -> handle as shown (@name or profile URL)
    handles_filled: list[str]  # platforms whose Sources field was empty and now isn't

    @property
    def is_empty(self) -> bool:
        return not (self.found or self.handles)


def prefill_from_website(
    brand: Brand, raw_url: str, *, fetch: Callable[[str], FetchedPage] | None = None
) -> Prefill:
    """Fetches `raw_url` and pre-fills the wizard from it; WebsiteError when it can't."""
    page = (fetch or fetch_page)(raw_url)
    facts = read_site(page.html, page.url)
    return apply_facts(brand, page.url, facts)


def _site_address(page_url: str) -> str:
    """The address for the Website field: where the page ended up, without its query
    (tracking parameters) or anything too long for the field."""
    parts = urlsplit(page_url)
    address = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return address if len(address) <= WEBSITE_MAX else ""


def _clean(value: str) -> str:
    return value.replace("\x00", "")  # PostgreSQL JSON can't hold NUL characters


@transaction.atomic
def apply_facts(brand: Brand, page_url: str, facts: SiteFacts) -> Prefill:
    answers = OnboardingAnswers.objects.select_for_update().get(pk=onboarding.answers_for(brand).pk)
    host = urlsplit(page_url).hostname or page_url
    if facts.is_empty:  # the address alone is no reason to touch the form
        return Prefill(host, {}, [], {}, [])
    found = {
        "name": _clean(facts.name),
        "positioning": _clean(facts.description),
        "website": _site_address(page_url),
    }
    found = {key: value for key, value in found.items() if value}
    handles = {platform: handle.display for platform, handle in facts.handles.items()}

    drafts = dict(answers.drafts)
    typed = onboarding.draft_for(answers, "basics") or {}
    current = {**onboarding.step_initial(brand, answers, "basics"), **typed}
    keep_answers = answers.basics_completed_at is not None
    filled = [
        k for k in found if not (keep_answers and current.get(k)) and current.get(k) != found[k]
    ]
    # A Basics draft (typed, not saved) becomes part of the pre-fill, so nothing typed is lost.
    drafts.pop("basics", None)
    drafts[onboarding.WEBSITE_DRAFT] = {
        "basics": {**typed, **{key: found[key] for key in filled}},
        "found": found,
        "handles": handles,
    }

    sources = onboarding.draft_for(answers, "sources") or onboarding.step_initial(
        brand, answers, "sources"
    )
    fields = {p.value: str(sources.get(p.value) or "") for p in Platform}
    handles_filled = [p for p, shown in handles.items() if not fields[p]]
    if handles_filled:
        drafts["sources"] = fields | {p: handles[p] for p in handles_filled}

    answers.drafts = drafts
    answers.save(update_fields=["drafts", "updated_at"])
    return Prefill(host, found, filled, handles, handles_filled)


@dataclass(frozen=True)
class BoxState:
    """What the "Start from your website" box shows on Basics."""

    url: str  # the address in the box
    error: str
    notice: str
    found: list[tuple[str, str]]  # (label, value) found on the site
    handles: list[tuple[str, str]]  # (platform label, handle)


_FLASH_KEY = "website-prefill:{}"


def flash(session: Any, brand: Brand, *, url: str, error: str = "", notice: str = "") -> None:
    """Keeps one look-up's outcome for the next page view (post, redirect, get)."""
    session[_FLASH_KEY.format(brand.pk)] = {
        "url": url[:WEBSITE_MAX],
        "error": error,
        "notice": notice,
    }


def box_state(session: Any, answers: OnboardingAnswers) -> BoxState:
    """The box after a look-up (the flash, read once) and what the last one found."""
    flashed = session.pop(_FLASH_KEY.format(answers.brand_id), None) or {}
    stored = onboarding.website_found(answers)
    found = stored.get("found", {})
    labels = {p.value: p.label for p in Platform}
    return BoxState(
        url=str(flashed.get("url") or found.get("website") or ""),
        error=str(flashed.get("error") or ""),
        notice=str(flashed.get("notice") or ""),
        found=[(FIELD_LABELS[key], found[key]) for key in BASICS_FOUND if found.get(key)],
        handles=[
            (labels[p], _short(shown))
            for p, shown in stored.get("handles", {}).items()
            if p in labels
        ],
    )


def _short(shown: str) -> str:
    """youtube.com/@name rather than https://www.youtube.com/@name: the box is narrow."""
    return shown.removeprefix("https://").removeprefix("www.")


def found_fields(answers: OnboardingAnswers) -> dict[str, str]:
    """Basics field -> the value found on the site, for the "found on your site" hints."""
    found = onboarding.website_found(answers).get("found", {})
    return {key: str(value) for key, value in found.items() if key in BASICS_FOUND}


def notice_for(prefill: Prefill) -> str:
    if prefill.is_empty:
        return (
            f"We read {prefill.host} but found nothing to fill in. "
            "Fill in the details below yourself."
        )
    if not (prefill.filled or prefill.handles_filled):
        return (
            f"We read {prefill.host}. Your saved answers already cover it, so nothing was "
            "changed; what the site says is listed below."
        )
    moved = (
        " The accounts are filled in on step 2 (Your accounts)." if prefill.handles_filled else ""
    )
    return f"Filled in from {prefill.host}. Check the details below, then save.{moved}"
