"""Every URL pattern of the project, and each one filled in with real objects, so a walk
over them covers new views without being edited (tests/security/test_url_walk.py,
tests/test_every_page.py). A parameter nobody knows how to fill fails loudly."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from brands.models import Brand
from brands.onboarding import STEPS
from opportunities.models import OpportunitiesJob, Opportunity
from schedules.tokens import unsubscribe_token
from workspace.actions import Action, record_action
from workspace.feeds import turn_on_feed
from workspace.models import IdeaState

# Views anyone may reach without signing in (everything else needs login). A view newly
# marked @login_not_required fails test_public_views_are_exactly_these until listed here.
PUBLIC_ROUTES = {
    "",
    "health/",
    "api/schema/",
    "login",
    "signup",
    "password-reset/",
    "password-reset/sent/",
    "password-reset/done/",
    "password-reset/<uidb64>/<token>/",
    "auth/confirm",
    "auth/connect",  # after an email link, before the account is linked (no one logged in)
    "auth/forgot-password",
    "unsubscribe/<str:unsubscribe_token>/",
    # A calendar app subscribes without signing in: the secret token is the authority.
    "calendar/<str:feed_token>.ics",
}
# RFC 8058 one-click unsubscribe is a POST from the mail provider, which has no CSRF
# token; the signed token in the URL is its authority (schedules/views.py).
CSRF_EXEMPT_ROUTES = {"unsubscribe/<str:unsubscribe_token>/"}
UNSAFE_METHODS = ("post", "put", "patch", "delete")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def walk(patterns: Sequence[Any], prefix: str = "") -> Iterator[str]:
    """Every route under `patterns`, as written in the URLconf."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def project_routes() -> list[str]:
    # Regex routes (admin's app index and catch-all) have no fixed URL to fill in.
    return [r for r in walk(get_resolver().url_patterns) if "(?P" not in r]


@dataclass(frozen=True)
class Route:
    pattern: str  # as written in the URLconf, e.g. "brands/<uuid:brand_id>/"
    url: str  # filled in with real ids

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")

    @property
    def is_admin(self) -> bool:
        return self.url.startswith("/admin/")

    @property
    def names_an_object(self) -> bool:
        return not self.is_admin and re.search(r"<(?:uuid|int):", self.pattern) is not None

    @property
    def names_a_brand(self) -> bool:
        return "<uuid:brand_id>" in self.pattern

    @property
    def is_admin_login(self) -> bool:
        return self.pattern in ("admin/login/", "admin/logout/")


def fill(pattern: str, values: Mapping[str, str | Sequence[str]]) -> list[str]:
    """`pattern`'s URLs: one per combination of the values of its parameters (a value
    may be a list, e.g. every onboarding step)."""
    names = [m.group(2) for m in PARAMETER.finditer(pattern)]
    if pattern.startswith("admin/"):  # the admin's content_type_id / object_id
        choices = [["1"] for _ in names]
    else:
        for name in names:
            assert name in values, f"no value for <{name}> in {pattern}: add one to route_values"
        choices = [[values[n]] if isinstance(values[n], str) else list(values[n]) for n in names]
    urls = []
    for combination in itertools.product(*choices):
        filled = iter(combination)
        urls.append("/" + PARAMETER.sub(lambda _: next(filled), pattern))
    return urls


def parameters(pattern: str) -> set[str]:
    return {m.group(2) for m in PARAMETER.finditer(pattern)}


def routes(values: Mapping[str, str | Sequence[str]], *, only_filled: bool = False) -> list[Route]:
    """Every route of the project, filled in with `values`; with `only_filled`, the
    routes whose parameters all have a value (e.g. no job yet: no job's page)."""
    return [
        Route(pattern, url)
        for pattern in project_routes()
        if not only_filled or pattern.startswith("admin/") or parameters(pattern) <= set(values)
        for url in fill(pattern, values)
    ]


def route_values(
    brand: Brand,
    *,
    job: OpportunitiesJob | None = None,
    opportunity: Opportunity | None = None,
    snapshot_version: int = 1,
    all_steps: bool = False,
) -> dict[str, str | list[str]]:
    """A value for every URL parameter, naming `brand`'s real objects: the feedback
    change undone is a real "saved" decision on `opportunity`, the tokens are real."""
    values: dict[str, str | list[str]] = {
        "brand_id": str(brand.pk),
        "version": str(snapshot_version),
        "step": [step.slug for step in STEPS] if all_steps else STEPS[0].slug,
        "provider": ["apify", "openai"] if all_steps else "openai",
        "unsubscribe_token": unsubscribe_token(brand),
        "feed_token": turn_on_feed(brand).token,
        "uidb64": "MQ",
        "token": "set-password",
    }
    if job is not None:
        values["job_id"] = str(job.pk)
    if opportunity is not None:
        values["opportunity_id"] = str(opportunity.pk)
        saved = record_action(
            brand=brand,
            opportunity=opportunity,
            action=Action(IdeaState.SAVED),
            now=timezone.now(),
        )
        values["change_id"] = str(saved.pk)
    return values
