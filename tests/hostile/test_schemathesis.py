"""Schemathesis over /api/schema/, against the Django app in-process (WSGI), signed in
with a browser session (cookie + CSRF header). Valid and invalid requests alike: never
a server error, and every answer has a documented status, content type and body."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from brands.models import Brand
from tests.support.keys import connect_keys

pytestmark = pytest.mark.django_db

CSRF_SECRET = "schemathesisCsrfSecret0123456789"  # 32 characters: an unmasked token
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Like Django's test client: the handler must not close the test's database
    connection (and its transaction) at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def alice_with_keys(alice, fake_apify, fake_openai):
    # Stored keys, so "test the stored key" reaches the loopback doubles, never the internet.
    connect_keys(alice)
    return alice


@pytest.fixture
def alice_ids(alice_with_keys) -> dict[str, str]:
    """A brand of Alice's with a board of one idea, so brand routes answer with data."""
    from tests.support.board import make_board, make_job
    from tests.support.snapshots import make_snapshot

    brand = Brand.objects.create(owner=alice_with_keys, name="Fuzzed")
    make_snapshot(brand)
    [idea] = make_board(make_job(brand), cards=1)
    return {"brand_id": str(brand.pk), "opportunity_id": str(idea.pk)}


def with_real_ids(case, ids: dict[str, str]) -> None:
    """Brand routes are fuzzed on Alice's own brand and, for every other generated id,
    her real idea (the rest stay random: unknown ids must be a documented 404)."""
    params = case.path_parameters or {}
    if "brand_id" in params:
        params["brand_id"] = ids["brand_id"]
    try:
        even = uuid.UUID(str(params.get("opportunity_id"))).int % 2 == 0
    except ValueError:
        even = False
    if even:
        params["opportunity_id"] = ids["opportunity_id"]


@pytest.fixture
def session_cookies(alice_with_keys) -> dict[str, str]:
    client = Client()
    client.force_login(alice_with_keys)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}


# Loaded from the app itself, as gunicorn serves it (the schema view needs no database).
# Eager, not schemathesis.pytest.from_fixture: its lazy loader breaks on pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    max_examples=40,
    with_security_parameters=False,  # we sign in for real below
)


@schema.parametrize()
@settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_by_its_schema(case, session_cookies, alice_ids):
    with_real_ids(case, alice_ids)
    case.call_and_validate(
        cookies=session_cookies, headers={"X-CSRFToken": CSRF_SECRET}, checks=CHECKS
    )


def test_schema_covers_every_api_route():
    """A new /api/ route must be described (and so fuzzed) here."""
    import json

    from django.urls import get_resolver

    from kairo.api_schema import SCHEMA_PATH
    from tests.support.urls import walk

    documented = set(json.loads(SCHEMA_PATH.read_text())["paths"])
    routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r)  # <uuid:brand_id> → {brand_id}
        for r in walk(get_resolver().url_patterns)
        if r.startswith("api/")
    }
    assert routes == documented
