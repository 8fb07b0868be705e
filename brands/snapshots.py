"""Compiles a brand's onboarding answers into an immutable, versioned BrandBrain snapshot.

The snapshot JSON (docs/architecture.md, `schema_version` 1) is the only thing the
pipeline reads about a brand. Compiling is a pure function of the saved answers: no
clock, no network, no randomness, so the same answers always give the same JSON.
Compiling answers identical to the current snapshot returns that snapshot instead of
minting a copy; any edit gives version N+1 and the old versions stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from brands.countries import COUNTRY_NAMES, LANGUAGE_NAMES, market_label
from brands.industries import INDUSTRY_LABELS, map_trend_industries
from brands.models import Brand, BrandBrainSnapshot, Platform
from brands.onboarding import STEPS_BY_SLUG, answers_for, completed_steps

SCHEMA_VERSION = 1
_VERSION_RETRIES = 5
# Which form of each account the pipeline uses (docs/architecture.md).
_HANDLE_FORM = {
    Platform.INSTAGRAM: "handle",
    Platform.TIKTOK: "handle",
    Platform.YOUTUBE: "url",
    Platform.LINKEDIN: "url",
}


class OnboardingIncomplete(Exception):
    """Compiling needs Basics and Details saved; `step` is the one to finish first."""

    def __init__(self, step: str) -> None:
        super().__init__(f"Finish the {STEPS_BY_SLUG[step].label} step before compiling.")
        self.step = step


def current_snapshot(brand: Brand) -> BrandBrainSnapshot | None:
    return BrandBrainSnapshot.objects.filter(brand=brand).order_by("-version").first()


def snapshot_history(brand: Brand) -> QuerySet[BrandBrainSnapshot]:
    return BrandBrainSnapshot.objects.filter(brand=brand).order_by("-version")


def build_snapshot_data(brand: Brand) -> dict[str, Any]:
    """The snapshot JSON for the brand's saved answers (raises OnboardingIncomplete)."""
    answers = answers_for(brand)
    done = completed_steps(answers)
    for step in ("basics", "details"):
        if step not in done:
            raise OnboardingIncomplete(step)
    sources = {source.platform: source for source in brand.sources.all()}
    handles: dict[str, str | None] = {}
    for platform in Platform:
        source = sources.get(platform.value)
        handles[platform.value] = getattr(source, _HANDLE_FORM[platform]) if source else None
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "brand": {
            "name": brand.name,
            "website": answers.website or None,
            "industry": INDUSTRY_LABELS.get(answers.industry, answers.industry),
            "positioning": answers.positioning,
            "audience": answers.audience,
            "country": answers.country,
            "language": answers.language,
        },
        "pillars": list(answers.pillars),
        "keywords": _unique([" ".join(k.lower().split()) for k in answers.keywords]),
        "hashtags": _unique([h.lstrip("#").lower() for h in answers.hashtags]),
        "competitors": list(answers.competitors),
        "tone": answers.tone,
        "avoid": list(answers.avoid),
        "handles": handles,
        "tiktok_trend_industries": map_trend_industries(
            answers.industry, answers.pillars, answers.positioning
        ),
    }
    data["prompt_context"] = prompt_context(data)
    return data


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def prompt_context(data: dict[str, Any]) -> str:
    """The brand brief the synthesis prompt quotes: plain lines, empty ones left out."""
    brand = data["brand"]
    country = COUNTRY_NAMES.get(brand["country"], brand["country"])
    language = LANGUAGE_NAMES.get(brand["language"], brand["language"])
    accounts = [
        f"{Platform(platform).label} {account_display(platform, value)}"
        for platform, value in data["handles"].items()
        if value
    ]
    lines = [
        f"Brand: {brand['name']}"
        + (f" ({brand['industry']})" if brand["industry"] else "")
        + (f" — {brand['website']}" if brand["website"] else ""),
        _line("Positioning", brand["positioning"]),
        _line("Primary audience", brand["audience"]),
        f"Market: {country} ({brand['country']}); content language: {language}",
        _line("Content pillars", "; ".join(data["pillars"])),
        _line("Tone of voice", data["tone"]),
        _line("Keywords to watch", ", ".join(data["keywords"])),
        _line("Hashtags to watch", ", ".join(f"#{h}" for h in data["hashtags"])),
        _line("Competitors", ", ".join(data["competitors"])),
        _line("Topics to avoid", ", ".join(data["avoid"])),
        _line("Own accounts", "; ".join(accounts)),
    ]
    return "\n".join(line for line in lines if line)


def _line(label: str, value: str) -> str:
    return f"{label}: {value}" if value else ""


def account_display(platform: str, value: str) -> str:
    """A snapshot's account as people know it: @name, or the channel / page link."""
    return f"@{value}" if _HANDLE_FORM[Platform(platform)] == "handle" else value


@dataclass(frozen=True)
class Account:
    label: str
    display: str  # "" when not connected


@dataclass(frozen=True)
class Readable:
    """What the summary shows that isn't in the JSON as is."""

    accounts: list[Account]
    market: str  # "United States · English"


def readable(data: dict[str, Any]) -> Readable:
    brand = data.get("brand", {})
    return Readable(
        accounts=[
            Account(Platform(platform).label, account_display(platform, value) if value else "")
            for platform, value in data.get("handles", {}).items()
        ],
        market=market_label(brand.get("country", ""), brand.get("language", "")),
    )


def is_stale(brand: Brand, snapshot: BrandBrainSnapshot | None = None) -> bool:
    """True when the saved answers would compile to something other than the snapshot."""
    snapshot = snapshot or current_snapshot(brand)
    if snapshot is None:
        return False
    try:
        return bool(build_snapshot_data(brand) != snapshot.data)
    except OnboardingIncomplete:
        return False


def compile_snapshot(brand: Brand) -> BrandBrainSnapshot:
    """Compile the answers into a new version (or return the current one if unchanged).

    Race-safe: the brand row is locked where the database supports it, and the
    (brand, version) unique constraint settles any race that slips through — the loser
    retries with the next number, or finds the winner already wrote the same data.
    """
    data = build_snapshot_data(brand)
    for _attempt in range(_VERSION_RETRIES):
        try:
            with transaction.atomic():
                list(Brand.objects.select_for_update().filter(pk=brand.pk).values_list("pk"))
                latest = current_snapshot(brand)
                if latest is not None and latest.data == data:
                    return latest
                version = (latest.version if latest else 0) + 1
                return BrandBrainSnapshot.objects.create(brand=brand, version=version, data=data)
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate a snapshot version; try compiling again.")
