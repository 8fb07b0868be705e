"""Test Connection against the loopback doubles: one distinct message per failure class."""

from __future__ import annotations

import json

import pytest

from byok.messages import message_for
from byok.models import UserAPIKeys, ValidationStatus
from byok.providers import SPECS
from tests.support.keys import APIFY_TOKEN, OPENAI_KEY, VALIDATE

pytestmark = pytest.mark.django_db


def validate(client, provider, key=None):
    payload = {"provider": provider} if key is None else {"provider": provider, "key": key}
    response = client.post(VALIDATE, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_messages_are_distinct_per_provider_and_status():
    said = [message_for(spec, status) for spec in SPECS.values() for status in ValidationStatus]
    assert len(set(said)) == len(said) - 1  # "can't be read" is the same for both


# --- Apify ------------------------------------------------------------------------------------


def test_apify_good_token(alice_client, fake_apify):
    body = validate(alice_client, "apify", APIFY_TOKEN)
    assert body["ok"] is True
    assert body["status"] == "ok"
    assert body["tested"] == "given"
    me = [r for r in fake_apify.requests if r.path == "/v2/users/me"]
    assert len(me) == 1
    assert me[0].headers["authorization"] == f"Bearer {APIFY_TOKEN}"


@pytest.mark.parametrize(
    ("status", "error_type", "expected", "fragment"),
    [
        (401, "user-or-token-not-found", "invalid_key", "Apify rejected your token"),
        (402, "not-enough-usage-to-run-paid-actor", "no_credit", "out of credit"),
        (403, "platform-feature-disabled", "usage_limit", "monthly usage limit"),
        (403, "actor-is-not-rented", "forbidden", "refused access"),
        (429, "rate-limit-exceeded", "rate_limited", "rate-limiting"),
        (503, "service-unavailable", "provider_error", "unexpected error"),
    ],
)
def test_apify_failures(alice_client, fake_apify, status, error_type, expected, fragment):
    fake_apify.fail("users/me", status, error_type)
    body = validate(alice_client, "apify", APIFY_TOKEN)
    assert (body["ok"], body["status"]) == (False, expected)
    assert fragment in body["message"]
    # No retries: a key check is one request, so it stays within its time bound.
    assert len([r for r in fake_apify.requests if r.path == "/v2/users/me"]) == 1


def test_apify_unknown_token_is_invalid(alice_client, fake_apify):
    body = validate(alice_client, "apify", "apify_api_" + "Z" * 36)
    assert body["status"] == "invalid_key"


def test_apify_timeout(alice_client, slow_apify):
    body = validate(alice_client, "apify", APIFY_TOKEN)
    assert body["status"] == "timeout"
    assert "didn't answer in time" in body["message"]


def test_apify_unreachable(alice_client, settings, closed_port_url):
    settings.APIFY_API_URL = closed_port_url
    body = validate(alice_client, "apify", APIFY_TOKEN)
    assert body["status"] == "unreachable"
    assert "couldn't reach Apify" in body["message"]


# --- OpenAI -----------------------------------------------------------------------------------


def test_openai_good_key(alice_client, fake_openai):
    body = validate(alice_client, "openai", OPENAI_KEY)
    assert (body["ok"], body["status"]) == (True, "ok")
    models = [r for r in fake_openai.requests if r.path == "/v1/models"]
    assert len(models) == 1
    assert models[0].headers["authorization"] == f"Bearer {OPENAI_KEY}"


@pytest.mark.parametrize(
    ("fail_with", "expected", "fragment"),
    [
        ("insufficient_quota", "no_credit", "out of credit"),
        ("rate_limit_exceeded", "rate_limited", "rate-limiting"),
        ("server_error", "provider_error", "unexpected error"),
    ],
)
def test_openai_failures(alice_client, fake_openai, fail_with, expected, fragment):
    fake_openai.fail_with = fail_with
    body = validate(alice_client, "openai", OPENAI_KEY)
    assert (body["ok"], body["status"]) == (False, expected)
    assert fragment in body["message"]
    assert len([r for r in fake_openai.requests if r.path == "/v1/models"]) == 1


def test_openai_invalid_key(alice_client, fake_openai):
    fake_openai.invalid_keys.add(OPENAI_KEY)
    body = validate(alice_client, "openai", OPENAI_KEY)
    assert body["status"] == "invalid_key"
    assert "OpenAI rejected your key" in body["message"]


def test_openai_restricted_key(alice_client, restricted_openai):
    body = validate(alice_client, "openai", OPENAI_KEY)
    assert body["status"] == "forbidden"
    assert "OpenAI refused this key access" in body["message"]


def test_openai_timeout(alice_client, fake_openai, fast_timeout):
    fake_openai.latency = fast_timeout * 4
    body = validate(alice_client, "openai", OPENAI_KEY)
    assert body["status"] == "timeout"
    assert "didn't answer in time" in body["message"]


def test_openai_unreachable(alice_client, settings, closed_port_url):
    settings.OPENAI_BASE_URL = f"{closed_port_url}/v1"
    body = validate(alice_client, "openai", OPENAI_KEY)
    assert body["status"] == "unreachable"
    assert "couldn't reach OpenAI" in body["message"]


# --- stored keys and recorded results ------------------------------------------------------


def test_stored_key_is_tested_and_the_result_recorded(alice, alice_client, alice_keys, fake_openai):
    body = validate(alice_client, "openai")
    assert body["tested"] == "stored" and body["ok"] is True
    row = UserAPIKeys.objects.get(user=alice)
    assert row.openai_key_validation == "ok"
    assert row.openai_key_validated_at is not None
    summary = alice_client.get("/api/user/api-keys/").json()["openai_key"]
    assert summary["last_validation"] == {
        "ok": True,
        "status": "ok",
        "message": "Connected to your OpenAI account.",
    }
    assert summary["last_validated_at"] == row.openai_key_validated_at.isoformat()

    fake_openai.fail_with = "insufficient_quota"
    assert validate(alice_client, "openai")["status"] == "no_credit"
    row.refresh_from_db()
    assert row.openai_key_validation == "no_credit"


def test_typed_key_equal_to_the_stored_one_records_too(alice, alice_client, alice_keys, fake_apify):
    body = validate(alice_client, "apify", APIFY_TOKEN)
    assert body["tested"] == "stored"
    assert UserAPIKeys.objects.get(user=alice).apify_token_validation == "ok"


def test_a_different_typed_key_does_not_touch_the_stored_result(
    alice, alice_client, alice_keys, fake_openai
):
    other = "sk-" + "Q" * 48
    fake_openai.invalid_keys.add(other)
    assert validate(alice_client, "openai", other)["status"] == "invalid_key"
    row = UserAPIKeys.objects.get(user=alice)
    assert row.openai_key_validation == "" and row.openai_key_validated_at is None


def test_saving_a_new_key_clears_the_old_result(alice, alice_client, alice_keys, fake_openai):
    validate(alice_client, "openai")
    alice_client.put(
        "/api/user/api-keys/",
        data=json.dumps({"openai_key": "sk-" + "R" * 48}),
        content_type="application/json",
    )
    row = UserAPIKeys.objects.get(user=alice)
    assert row.openai_key_validation == "" and row.openai_key_validated_at is None


def test_nothing_to_test_is_a_400(alice_client):
    response = alice_client.post(
        VALIDATE, data=json.dumps({"provider": "apify"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "No Apify API token is saved" in response.json()["key"][0]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"provider": "anthropic"}, "provider"),
        ({}, "provider"),
        ({"provider": ["apify"]}, "provider"),
        ({"provider": "openai", "key": 42}, "key"),
        ({"provider": "openai", "key": "sk-has space" + "x" * 40}, "key"),
        ({"provider": "apify", "key": OPENAI_KEY}, "key"),
    ],
)
def test_bad_validate_requests_are_400s(alice_client, payload, field):
    response = alice_client.post(
        VALIDATE, data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_unreadable_stored_key_asks_for_re_entry(alice, alice_client, alice_keys, settings):
    settings.ENCRYPTION_KEY = "kGP0mEbI5cfSnBwM9PDnRZ8aXyQvUfUOA2xLz7q3CJk="
    body = validate(alice_client, "openai")
    assert body["status"] == "unreadable"
    assert "Paste the key again" in body["message"]
