"""No full key anywhere: log records (DEBUG everywhere, client libraries included), HTTP
responses (bodies and headers), pages, error messages, and the raw database."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from opportunities import jobs
from opportunities.models import JobStatus
from opportunities.pipeline import run_job
from tests.support.keys import API, APIFY_TOKEN, OPENAI_KEY, VALIDATE
from tests.support.pipeline import CLIENT_LOGGERS, raw_database_dump
from tests.support.snapshots import make_snapshot

BAD_OPENAI_KEY = "sk-proj-RevokedButStillSecret0" + "x" * 30 + "Q9zW"
BAD_APIFY_TOKEN = "apify_api_RevokedButSecret0123456789abcdefgh"
MALFORMED_KEY = "sk-proj-Has Space-" + "y" * 40
SECRETS = [APIFY_TOKEN, OPENAI_KEY, BAD_OPENAI_KEY, BAD_APIFY_TOKEN, MALFORMED_KEY]
# A chunk from the middle of each: catches a key that leaks truncated or re-wrapped.
FRAGMENTS = SECRETS + [s[10:-6] for s in SECRETS]


def assert_clean(text: str, where: str) -> None:
    for fragment in FRAGMENTS:
        assert fragment not in text, f"a key leaked into {where}"


class Flow:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.responses = []

    def send(self, method: str, url: str, data=None, *, as_json=False, htmx=False):
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        if as_json:
            extra["content_type"] = "application/json"
            data = json.dumps(data)
        response = getattr(self.client, method)(url, data, **extra)
        self.responses.append(response)
        return response


@pytest.mark.django_db(transaction=True)
def test_no_key_leaks_through_the_whole_flow(
    caplog, alice, alice_brand, fake_apify, fake_openai, settings, closed_port_url
):
    caplog.set_level(logging.DEBUG)
    for name in CLIENT_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    alice.is_staff = alice.is_superuser = True  # so the admin pages are part of the flow
    alice.save()
    client = Client()
    client.force_login(alice)
    flow = Flow(client)

    # Save: the API for one key, the page for the other (and a rejected malformed one).
    assert flow.send("put", API, {"apify_token": APIFY_TOKEN}, as_json=True).status_code == 200
    assert flow.send("put", API, {"openai_key": MALFORMED_KEY}, as_json=True).status_code == 400
    assert flow.send("post", "/settings/", {"openai_key": OPENAI_KEY}, htmx=True).status_code == 200
    assert flow.send("post", "/settings/", {"openai_key": MALFORMED_KEY}).status_code == 400

    # Validate good keys (typed and stored) and bad ones, for every failure class.
    assert flow.send("post", VALIDATE, {"provider": "apify"}, as_json=True).json()["ok"]
    assert flow.send("post", VALIDATE, {"provider": "openai", "key": OPENAI_KEY}, as_json=True)
    fake_openai.invalid_keys.add(BAD_OPENAI_KEY)
    bad = {"provider": "openai", "key": BAD_OPENAI_KEY}
    assert flow.send("post", VALIDATE, bad, as_json=True).json()["status"] == "invalid_key"
    bad_apify = {"provider": "apify", "key": BAD_APIFY_TOKEN}
    assert flow.send("post", VALIDATE, bad_apify, as_json=True).json()["status"] == "invalid_key"
    for failure in ("insufficient_quota", "rate_limit_exceeded", "server_error"):
        fake_openai.fail_with = failure
        flow.send("post", VALIDATE, {"provider": "openai"}, as_json=True)
        flow.send("post", "/settings/keys/openai/test/", {"openai_key": OPENAI_KEY}, htmx=True)
    fake_openai.fail_with = None
    for status, error_type in [(402, None), (403, "platform-feature-disabled"), (429, None)]:
        fake_apify.fail("users/me", status, error_type, times=1)
        flow.send("post", VALIDATE, {"provider": "apify"}, as_json=True)
    flow.send("post", "/settings/keys/apify/test/", {"apify_token": BAD_APIFY_TOKEN}, htmx=True)
    flow.send("post", "/settings/keys/openai/test/", {"openai_key": MALFORMED_KEY})
    real_openai_url = settings.OPENAI_BASE_URL
    settings.OPENAI_BASE_URL = f"{closed_port_url}/v1"
    assert flow.send("post", VALIDATE, bad, as_json=True).json()["status"] == "unreachable"
    settings.OPENAI_BASE_URL = real_openai_url

    # The model card: loading the key's models, picking one, a refused pick, a failed load.
    assert flow.send("post", "/settings/model/refresh/", {}, htmx=True).status_code == 200
    flow.send("post", "/settings/model/", {"openai_model": "gpt-4o-mini"}, htmx=True)
    flow.send("post", "/settings/model/", {"openai_model": "gpt-3.5-turbo"}, htmx=True)
    assert flow.send("put", API, {"openai_model": "gpt-4o"}, as_json=True).status_code == 200
    fake_openai.fail_with = "invalid_api_key"
    flow.send("post", "/settings/model/refresh/", {}, htmx=True)
    fake_openai.fail_with = None

    # Everything that shows the keys' state.
    assert flow.send("get", "/settings/model/", htmx=True).status_code == 200
    for url in [API, "/settings/", "/admin/byok/userapikeys/"]:
        assert flow.send("get", url).status_code == 200, url
    row_pk = alice.api_keys.pk
    assert flow.send("get", f"/admin/byok/userapikeys/{row_pk}/change/").status_code == 200

    assert_nothing_leaked(caplog, flow)


@pytest.mark.django_db(transaction=True)
def test_no_key_leaks_through_regenerations(caplog, alice, alice_brand, fake_apify, fake_openai):
    caplog.set_level(logging.DEBUG)
    for name in CLIENT_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    client = Client()
    client.force_login(alice)
    flow = Flow(client)
    keys = {"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY}
    assert flow.send("put", API, keys, as_json=True).status_code == 200
    make_snapshot(alice_brand)

    job = _regenerate(alice_brand, alice)
    assert job.status in (JobStatus.SUCCEEDED, JobStatus.PARTIAL), job.error_message
    flow.send("get", f"/brands/{alice_brand.pk}/")
    # The token is revoked at Apify, and later the OpenAI key too.
    fake_apify.valid_tokens.clear()
    assert _regenerate(alice_brand, alice).status == JobStatus.FAILED
    fake_apify.valid_tokens.add(APIFY_TOKEN)
    fake_openai.invalid_keys.add(OPENAI_KEY)
    assert _regenerate(alice_brand, alice).status == JobStatus.FAILED
    flow.send("get", f"/brands/{alice_brand.pk}/")

    assert_nothing_leaked(caplog, flow)


def assert_nothing_leaked(caplog, flow: Flow) -> None:
    assert len(caplog.records) > 10  # the capture really ran at DEBUG
    assert any(r.name.startswith(("openai", "apify_client")) for r in caplog.records)
    for record in caplog.records:
        assert_clean(record.getMessage(), f"log record {record.name}")
        assert_clean(record.exc_text or "", f"traceback in {record.name}")
        assert_clean(repr(vars(record)), f"attributes of log record {record.name}")
    assert_clean(caplog.text, "the formatted log")
    for response in flow.responses:
        assert_clean(response.serialize().decode("utf-8", "replace"), f"response {response}")
    cells = raw_database_dump()
    assert any(table == "byok_userapikeys" for table, _ in cells)  # the keys' table was read
    for table, value in cells:
        raw = bytes(value) if isinstance(value, memoryview | bytes) else str(value).encode()
        for fragment in FRAGMENTS:
            assert fragment.encode() not in raw, f"plaintext key in table {table}"


def _regenerate(brand, user):
    job, created = jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
    assert created
    assert jobs.claim_next_job("leak-test") == job.pk
    run_job(job.pk, "leak-test")
    job.refresh_from_db()
    return job
