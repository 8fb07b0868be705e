"""The server's own secrets (SECRET_KEY, ENCRYPTION_KEY, operator keys) and bearer JWTs
never reach a log record, a response, the 500 page or an error report — even when an
exception message carries them. Users' keys are covered by tests/byok/test_leaks.py;
this adds the server's secrets and JWTs across a settings flow, a regeneration and
forced errors, with DEBUG logging captured."""

from __future__ import annotations

import json
import logging
import time
import uuid

import jwt
import pytest
from django.test import Client

from kairo.logging import redact
from kairo.sentry import redact_event
from opportunities.models import JobStatus
from tests.support.keys import API, APIFY_TOKEN, OPENAI_KEY, VALIDATE
from tests.support.pipeline import CLIENT_LOGGERS, regenerate
from tests.support.snapshots import make_snapshot

BEARER_JWT = jwt.encode(
    {"sub": str(uuid.uuid4()), "aud": "authenticated", "exp": int(time.time()) + 3600},
    "a-supabase-jwt-secret-for-tests-only-0123456789",
    algorithm="HS256",
)


def server_secrets(settings) -> list[str]:
    secrets = [settings.SECRET_KEY, BEARER_JWT, APIFY_TOKEN, OPENAI_KEY]
    secrets += [part.strip() for part in settings.ENCRYPTION_KEY.split(",") if part.strip()]
    # A chunk from the middle of each: catches a secret that leaks truncated or re-wrapped.
    return secrets + [s[8:-8] for s in secrets]


def assert_clean(text: str, secrets: list[str], where: str) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret leaked into {where}"


@pytest.mark.urls("tests.security.error_urls")
@pytest.mark.django_db(transaction=True)
def test_no_server_secret_leaks_anywhere(
    caplog, settings, alice, alice_brand, fake_apify, fake_openai
):
    caplog.set_level(logging.DEBUG)
    for name in CLIENT_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    secrets = server_secrets(settings)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {BEARER_JWT}"}
    responses = [
        client.put(API, {"apify_token": APIFY_TOKEN}, content_type="application/json"),
        client.post("/settings/", {"openai_key": OPENAI_KEY}),
        client.post(VALIDATE, {"provider": "openai"}, content_type="application/json"),
        client.get("/settings/"),
        Client().get(API, **bearer),  # bearer tokens are refused in local mode
        Client(raise_request_exception=False).get("/security/leaky-error/", **bearer),
        Client(raise_request_exception=False).get("/api/leaky-error/", **bearer),
    ]
    make_snapshot(alice_brand)
    job = regenerate(alice_brand, alice)
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    responses += [client.get(f"/brands/{alice_brand.pk}/today/"), client.get("/api/schema/")]

    assert [r.status_code for r in responses][-4:-2] == [500, 500]
    assert "Something went wrong on our side" in responses[-4].content.decode()
    for response in responses:
        assert_clean(response.serialize().decode("utf-8", "replace"), secrets, str(response))

    reports = [r for r in caplog.records if r.getMessage().startswith("Internal Server Error")]
    assert len(reports) == 2 and all(r.exc_text for r in reports)  # the errors were reported
    assert all("ConfigurationLeak" in r.exc_text for r in reports)
    for record in caplog.records:
        assert_clean(record.getMessage(), secrets, f"log record {record.name}")
        assert_clean(record.exc_text or "", secrets, f"traceback in {record.name}")
        # exc_info is the live exception: handlers print it through exc_text (checked
        # above) and Sentry through before_send (test_error_reports_to_sentry_are_scrubbed).
        attributes = {k: v for k, v in vars(record).items() if k != "exc_info"}
        assert_clean(repr(attributes), secrets, f"attributes of {record.name}")
    assert_clean(caplog.text, secrets, "the formatted log")


def test_error_reports_to_sentry_are_scrubbed(settings):
    """What kairo/sentry.py's before_send hands to Sentry: message, exception value,
    frame variables, request headers and breadcrumbs."""
    secrets = server_secrets(settings)
    event = {
        "message": f"boom {settings.SECRET_KEY}",
        "exception": {
            "values": [
                {
                    "type": "ConfigurationLeak",
                    "value": f"ENCRYPTION_KEY={settings.ENCRYPTION_KEY}",
                    "stacktrace": {
                        "frames": [
                            {"vars": {"secret_key": settings.SECRET_KEY, "token": BEARER_JWT}}
                        ]
                    },
                }
            ]
        },
        "request": {"headers": {"Authorization": f"Bearer {BEARER_JWT}"}},
        "breadcrumbs": {"values": [{"message": f"key {settings.ENCRYPTION_KEY}"}]},
    }
    assert_clean(json.dumps(redact_event(event)), secrets, "the Sentry event")


def test_redaction_masks_the_server_secrets(settings):
    text = f"{settings.SECRET_KEY} {settings.ENCRYPTION_KEY} {BEARER_JWT}"
    assert_clean(redact(text), server_secrets(settings), "redact()")
