"""/api/user/api-keys/: round trip, partial update, removal, malformed input, auth, CSRF."""

from __future__ import annotations

import json

import pytest

from byok.models import UserAPIKeys
from tests.support.keys import API, APIFY_TOKEN, OPENAI_KEY, csrf_token

pytestmark = pytest.mark.django_db


def put(client, payload, **extra):
    return client.put(API, data=json.dumps(payload), content_type="application/json", **extra)


def test_get_without_keys_shows_nothing_connected(alice_client):
    response = alice_client.get(API)
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"no-store", "private"}
    body = response.json()
    assert set(body) == {"apify_token", "openai_key", "openai_model"}
    assert body.pop("openai_model")["chosen"] is None
    for entry in body.values():
        assert entry["connected"] is False
        assert entry["last4"] is None
        assert entry["last_validation"] is None


def test_round_trip_returns_last4_never_the_key(alice, alice_client):
    response = put(alice_client, {"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY})
    assert response.status_code == 200
    body = alice_client.get(API).json()
    assert body["apify_token"]["connected"] is True
    assert body["apify_token"]["last4"] == APIFY_TOKEN[-4:]
    assert body["openai_key"]["last4"] == "3Bvt"
    assert body["openai_key"]["masked"] == "•••• 3Bvt"
    assert body["openai_key"]["source"] == "user"
    for text in (response.content.decode(), json.dumps(body)):
        assert APIFY_TOKEN not in text and OPENAI_KEY not in text

    from byok.keys import get_usable_keys

    keys = get_usable_keys(alice)
    assert (keys.apify_token, keys.openai_key) == (APIFY_TOKEN, OPENAI_KEY)


def test_partial_update_leaves_the_other_key_unchanged(alice, alice_client, alice_keys):
    new_key = "sk-" + "N" * 44 + "9tYA"
    assert put(alice_client, {"openai_key": new_key}).status_code == 200
    body = alice_client.get(API).json()
    assert body["openai_key"]["last4"] == "9tYA"
    assert body["apify_token"]["last4"] == APIFY_TOKEN[-4:]

    from byok.keys import get_usable_keys

    keys = get_usable_keys(alice)
    assert (keys.apify_token, keys.openai_key) == (APIFY_TOKEN, new_key)


def test_empty_string_removes_a_key(alice, alice_client, alice_keys):
    response = put(alice_client, {"apify_token": ""})
    assert response.status_code == 200
    body = response.json()
    assert body["apify_token"] == {
        "connected": False,
        "last4": None,
        "masked": None,
        "source": None,
        "last_validated_at": None,
        "last_validation": None,
    }
    assert body["openai_key"]["connected"] is True
    row = UserAPIKeys.objects.get(user=alice)
    assert row.apify_token_encrypted is None and row.apify_token_last4 == ""

    from byok.keys import get_usable_keys, is_demo_mode

    assert get_usable_keys(alice) is None
    assert is_demo_mode(alice)


def test_empty_object_changes_nothing(alice_client, alice_keys):
    response = put(alice_client, {})
    assert response.status_code == 200
    assert response.json()["openai_key"]["last4"] == "3Bvt"


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"apify_token": f" {APIFY_TOKEN}"}, "apify_token", "whitespace"),
        ({"apify_token": APIFY_TOKEN + "\n"}, "apify_token", "whitespace"),
        ({"openai_key": "sk-proj-abc def" + "x" * 40}, "openai_key", "whitespace"),
        ({"apify_token": "apify_api_short"}, "apify_token", "complete Apify token"),
        ({"apify_token": "apify_api_" + "é" * 36}, "apify_token", "complete Apify token"),
        ({"apify_token": "not-a-token-" + "x" * 30}, "apify_token", "start with"),
        ({"apify_token": OPENAI_KEY}, "apify_token", "OpenAI key"),
        ({"openai_key": APIFY_TOKEN}, "openai_key", "Apify token"),
        ({"openai_key": "sk-short"}, "openai_key", "complete OpenAI key"),
        ({"openai_key": "sk-" + "a" * 250}, "openai_key", "complete OpenAI key"),
        ({"openai_key": "sk-proj-" + "a$b" * 15}, "openai_key", "complete OpenAI key"),
        ({"openai_key": "pk-" + "a" * 45}, "openai_key", "start with"),
        ({"openai_key": "x" * 5000}, "openai_key", "too long"),
        ({"openai_key": 12345}, "openai_key", "Must be a string"),
        ({"openai_key": None}, "openai_key", "Must be a string"),
        ({"apify_token": ["apify_api_x"]}, "apify_token", "Must be a string"),
        ({"apify_token": {"value": APIFY_TOKEN}}, "apify_token", "Must be a string"),
        ({"apify_key": APIFY_TOKEN}, "apify_key", "Unknown field"),
    ],
)
def test_malformed_input_is_a_400_with_a_field_message(alice_client, payload, field, fragment):
    response = put(alice_client, payload)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert fragment in body[field][0]
    assert APIFY_TOKEN not in response.content.decode()
    assert not UserAPIKeys.objects.exclude(apify_token_encrypted=None).exists()


def test_one_bad_field_saves_nothing(alice, alice_client):
    response = put(alice_client, {"apify_token": APIFY_TOKEN, "openai_key": "sk-bad"})
    assert response.status_code == 400
    assert not UserAPIKeys.objects.filter(user=alice).exists()


@pytest.mark.parametrize("raw", ["[1, 2]", '"apify_api_x"', "null", "{not json"])
def test_a_body_that_is_not_an_object_is_a_400(alice_client, raw):
    response = alice_client.put(API, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_anonymous_gets_401_on_every_endpoint(client):
    assert client.get(API).status_code == 401
    assert put(client, {"openai_key": OPENAI_KEY}).status_code == 401
    assert client.post("/api/user/api-keys/validate/", {"provider": "openai"}).status_code == 401
    assert not UserAPIKeys.objects.exists()


def test_bearer_tokens_are_refused_in_local_auth_mode(client):
    response = client.get(API, HTTP_AUTHORIZATION="Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl")
    assert response.status_code == 401


def test_cookie_session_needs_the_csrf_token(alice, csrf_client):
    refused = put(csrf_client, {"openai_key": OPENAI_KEY})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not UserAPIKeys.objects.filter(user=alice).exists()
    refused = csrf_client.post(
        "/api/user/api-keys/validate/",
        data=json.dumps({"provider": "openai", "key": OPENAI_KEY}),
        content_type="application/json",
    )
    assert refused.status_code == 403

    accepted = put(
        csrf_client, {"openai_key": OPENAI_KEY}, HTTP_X_CSRFTOKEN=csrf_token(csrf_client)
    )
    assert accepted.status_code == 200
    assert accepted.json()["openai_key"]["connected"] is True


def test_methods_other_than_get_and_put_are_refused(alice_client):
    assert alice_client.post(API, {}).status_code == 405
    assert alice_client.delete(API).status_code == 405
    assert alice_client.get("/api/user/api-keys/validate/").status_code == 405


def test_connection_tests_are_limited_per_user(alice_client, bob_client, fake_openai, settings):
    settings.KEY_TESTS_PER_MINUTE = 2
    body = json.dumps({"provider": "openai", "key": OPENAI_KEY})

    def validate(client):
        return client.post(
            "/api/user/api-keys/validate/", data=body, content_type="application/json"
        )

    statuses = [validate(alice_client).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Wait a minute" in validate(alice_client).json()["detail"]
    # The limit stops calls before they reach OpenAI, and it is per user.
    assert len([r for r in fake_openai.requests if r.path.endswith("/models")]) == 2
    assert validate(bob_client).status_code == 200


def test_the_page_test_button_shares_the_limit(alice_client, fake_openai, settings):
    settings.KEY_TESTS_PER_MINUTE = 1
    url = "/settings/keys/openai/test/"
    first = alice_client.post(url, {"openai_key": OPENAI_KEY}, HTTP_HX_REQUEST="true")
    second = alice_client.post(url, {"openai_key": OPENAI_KEY}, HTTP_HX_REQUEST="true")
    assert "This key works" in first.content.decode()
    assert "Too many connection tests" in second.content.decode()
