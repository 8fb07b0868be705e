"""The BrandBrain onboarding wizard's steps, what each saves, and the guard other apps
use before doing anything that needs a compiled snapshot.

Every step is saved when submitted. A step left with errors (or with "Back") keeps its
raw input in `OnboardingAnswers.drafts`, so a refresh, Back, or coming back tomorrow
shows exactly what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from brands.handles import NormalizedHandle
from brands.models import (
    Brand,
    BrandBrainSnapshot,
    OnboardingAnswers,
    Platform,
    SourceConnection,
)


@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    number: int


STEPS: tuple[Step, ...] = (
    Step("basics", "Basics", 1),
    Step("sources", "Sources", 2),
    Step("details", "Details", 3),
    Step("compile", "Compile", 4),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
FORM_STEPS = ("basics", "sources", "details")
_COMPLETED_FIELD = {
    "basics": "basics_completed_at",
    "sources": "sources_completed_at",
    "details": "details_completed_at",
}
_BASICS_FIELDS = ("website", "industry", "positioning", "audience", "country", "language")
_DETAILS_FIELDS = ("pillars", "keywords", "hashtags", "competitors", "tone", "avoid")


def answers_for(brand: Brand) -> OnboardingAnswers:
    answers, _ = OnboardingAnswers.objects.get_or_create(brand=brand)
    return answers


def step_url(brand: Brand, slug: str) -> str:
    return reverse("brands:onboarding_step", args=[brand.pk, slug])


def completed_steps(answers: OnboardingAnswers) -> set[str]:
    return {slug for slug, field in _COMPLETED_FIELD.items() if getattr(answers, field)}


def first_unfinished_step(brand: Brand) -> Step:
    """The first answer step not yet saved; Compile once all three are."""
    done = completed_steps(answers_for(brand))
    for slug in FORM_STEPS:
        if slug not in done:
            return STEPS_BY_SLUG[slug]
    return STEPS_BY_SLUG["compile"]


def first_unfinished_step_url(brand: Brand) -> str:
    return step_url(brand, first_unfinished_step(brand).slug)


def is_reachable(answers: OnboardingAnswers, slug: str) -> bool:
    """A step can be opened once every step before it is saved (or it was saved itself)."""
    done = completed_steps(answers)
    if slug in done:
        return True
    before = [s.slug for s in STEPS if s.number < STEPS_BY_SLUG[slug].number]
    return all(s in done for s in before)


def previous_step(slug: str) -> Step | None:
    number = STEPS_BY_SLUG[slug].number
    return STEPS[number - 2] if number > 1 else None


def next_step(slug: str) -> Step:
    return STEPS[STEPS_BY_SLUG[slug].number]


def step_initial(brand: Brand, answers: OnboardingAnswers, slug: str) -> dict[str, Any]:
    """The saved answers of a step, in the shape its form expects."""
    if slug == "basics":
        initial = {field: getattr(answers, field) for field in _BASICS_FIELDS}
        initial["name"] = brand.name
        if not initial["language"]:
            initial.pop("language")
        prefill: dict[str, Any] = website_found(answers).get("basics") or {}
        return initial | prefill
    if slug == "sources":
        return {source.platform: _source_display(source) for source in brand.sources.all()}
    return {field: getattr(answers, field) for field in _DETAILS_FIELDS}


def _source_display(source: SourceConnection) -> str:
    return NormalizedHandle(source.platform, source.handle, source.url).display


def draft_for(answers: OnboardingAnswers, slug: str) -> dict[str, str] | None:
    draft = answers.drafts.get(slug)
    return draft if isinstance(draft, dict) else None


# What "Start from your website" found (brands/website_prefill.py): pre-fills Basics
# until Basics is saved, like a draft; never saved as an answer by itself.
WEBSITE_DRAFT = "website"


def website_found(answers: OnboardingAnswers) -> dict[str, Any]:
    found = answers.drafts.get(WEBSITE_DRAFT)
    return found if isinstance(found, dict) else {}


def save_draft(answers: OnboardingAnswers, slug: str, raw: dict[str, str]) -> None:
    answers.drafts = {**answers.drafts, slug: raw}
    answers.save(update_fields=["drafts", "updated_at"])


@transaction.atomic
def save_step(brand: Brand, slug: str, cleaned: dict[str, Any]) -> None:
    """Store a valid step's answers, mark it done and drop its draft."""
    answers = OnboardingAnswers.objects.select_for_update().get(pk=answers_for(brand).pk)
    if slug == "basics":
        brand.name = cleaned["name"]
        brand.save(update_fields=["name", "slug", "updated_at"])
        for field in _BASICS_FIELDS:
            setattr(answers, field, cleaned[field])
    elif slug == "sources":
        _save_sources(brand, cleaned)
    elif slug == "details":
        for field in _DETAILS_FIELDS:
            setattr(answers, field, cleaned[field])
    else:
        raise ValueError(f"Not an answer step: {slug}")
    setattr(answers, _COMPLETED_FIELD[slug], timezone.now())
    dropped = {slug, WEBSITE_DRAFT} if slug == "basics" else {slug}
    answers.drafts = {k: v for k, v in answers.drafts.items() if k not in dropped}
    answers.save()


def _save_sources(brand: Brand, cleaned: dict[str, NormalizedHandle | None]) -> None:
    for platform in Platform:
        handle = cleaned.get(platform.value)
        if handle is None:
            SourceConnection.objects.filter(brand=brand, platform=platform).delete()
        else:
            SourceConnection.objects.update_or_create(
                brand=brand,
                platform=platform,
                defaults={"handle": handle.handle, "url": handle.url},
            )


@dataclass(frozen=True)
class OnboardingRequired:
    """What to show instead of the Today board / regeneration until a snapshot exists."""

    message: str
    step_label: str
    step_url: str

    def as_dict(self) -> dict[str, str]:
        return {
            "error": "onboarding_required",
            "message": self.message,
            "step": self.step_label,
            "url": self.step_url,
        }


ONBOARDING_REQUIRED_MESSAGE = "Complete BrandBrain onboarding first"


def require_snapshot(brand: Brand) -> OnboardingRequired | None:
    """None when the brand has a compiled snapshot; otherwise what to tell the user.

    Callers (the Today board, the regenerate endpoint) render
    templates/brands/partials/onboarding_required.html with `guard=<this>`, or return
    `guard.as_dict()` as a 409 JSON body, and do nothing else.
    """
    if BrandBrainSnapshot.objects.filter(brand=brand).exists():
        return None
    step = first_unfinished_step(brand)
    return OnboardingRequired(
        message=ONBOARDING_REQUIRED_MESSAGE,
        step_label=step.label,
        step_url=step_url(brand, step.slug),
    )


@dataclass(frozen=True)
class ProgressItem:
    step: Step
    state: str  # "done" | "current" | "upcoming"
    url: str | None  # None when the step can't be opened yet


def wizard_progress(brand: Brand, answers: OnboardingAnswers, current: str) -> list[ProgressItem]:
    done = completed_steps(answers)
    if BrandBrainSnapshot.objects.filter(brand=brand).exists():
        done.add("compile")
    items = []
    for step in STEPS:
        state = "current" if step.slug == current else "done" if step.slug in done else "upcoming"
        url = step_url(brand, step.slug) if is_reachable(answers, step.slug) else None
        items.append(ProgressItem(step, state, url))
    return items
