"""Every URL pattern of the project, filled in with real ids of Alice's objects.

Builds on tests/test_isolation.py's walker: new views are covered automatically, and a
pattern with a parameter nobody knows how to fill fails loudly instead of being skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import get_resolver
from django.utils import timezone

from brands.models import BrandBrainSnapshot
from opportunities.models import JobStatus, OpportunitiesJob
from tests.opportunities.views.conftest import make_board
from tests.test_isolation import _walk
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


@dataclass(frozen=True)
class Route:
    pattern: str  # as written in the URLconf, e.g. "brands/<uuid:brand_id>/"
    url: str  # filled in with Alice's ids

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
    def is_admin_login(self) -> bool:
        return self.pattern in ("admin/login/", "admin/logout/")


def project_routes() -> list[str]:
    # Regex routes (admin's app index and catch-all) have no fixed URL to fill in.
    return [r for r in _walk(get_resolver().url_patterns) if "(?P" not in r]


@pytest.fixture
def alice_objects(alice_brand) -> dict[str, str]:
    """Parameter values naming Alice's real objects (so an outsider's 404 means something)."""
    BrandBrainSnapshot.objects.create(brand=alice_brand, version=1, data={"schema_version": 1})
    job = OpportunitiesJob.objects.create(
        brand=alice_brand, user=alice_brand.owner, status=JobStatus.SUCCEEDED
    )
    from schedules.tokens import unsubscribe_token

    idea = make_board(job, cards=1, evidence_each=1)[0]
    saved = record_action(
        brand=alice_brand, opportunity=idea, action=Action(IdeaState.SAVED), now=timezone.now()
    )
    return {
        "unsubscribe_token": unsubscribe_token(alice_brand),
        "brand_id": str(alice_brand.pk),
        "job_id": str(job.pk),
        "opportunity_id": str(idea.pk),
        "change_id": str(saved.pk),
        "feed_token": turn_on_feed(alice_brand).token,
        "version": "1",
        "step": "basics",
        "provider": "openai",
        "uidb64": "MQ",
        "token": "set-password",
    }


def fill(pattern: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(2)
        if pattern.startswith("admin/"):
            return "1"  # admin's content_type_id / object_id
        assert name in values, f"no value for <{name}> in {pattern}: add one to alice_objects"
        return values[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


@pytest.fixture
def routes(alice_objects) -> list[Route]:
    return [Route(pattern, fill(pattern, alice_objects)) for pattern in project_routes()]
