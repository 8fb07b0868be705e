"""BYOK fixtures: Alice's keys (tests/support/keys.py), a CSRF-enforcing client, and two
tiny doubles the shared fakes don't cover (a slow Apify `users/me` and an OpenAI 403 on `/models`)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.test import Client

from tests.fakes.server import FakeService, Request, Response
from tests.support.keys import connect_keys


@pytest.fixture
def csrf_client(alice) -> Client:
    """A logged-in browser session whose unsafe requests need the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


@pytest.fixture
def alice_keys(alice):
    return connect_keys(alice)


@pytest.fixture
def fast_timeout(settings) -> float:
    settings.KEY_VALIDATION_TIMEOUT_SECONDS = 0.5
    return 0.5


class SlowService(FakeService):
    """Answers Apify's users/me and OpenAI's /models, but only after `delay` seconds."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.route("GET", r"/v2/users/me", self._slow)
        self.route("GET", r"/v1/models", self._slow)

    def _slow(self, request: Request) -> Response:
        time.sleep(self.delay)
        return Response(200, {"data": {"username": "late"}, "object": "list"})


@pytest.fixture
def slow_apify(settings, fast_timeout) -> Iterator[SlowService]:
    fake = SlowService(delay=fast_timeout * 4).start()
    settings.APIFY_API_URL = fake.url
    try:
        yield fake
    finally:
        fake.stop()


class RestrictedOpenAI(FakeService):
    """OpenAI refusing `/models` to a restricted project key (403, real error body)."""

    def __init__(self) -> None:
        super().__init__()
        self.route("GET", r"/v1/models", self._forbidden)

    def _forbidden(self, request: Request) -> Response:
        body = {
            "message": "You have insufficient permissions for this operation. "
            "Missing scopes: api.model.read.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
        return Response(403, {"error": body})


@pytest.fixture
def restricted_openai(settings) -> Iterator[RestrictedOpenAI]:
    fake = RestrictedOpenAI().start()
    settings.OPENAI_BASE_URL = f"{fake.url}/v1"
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nothing listens on any more."""
    fake = FakeService().start()
    url = fake.url
    fake.stop()
    return url
