"""The model in /api/user/api-keys/: shown with its prices, picked with PUT, all or
nothing alongside a new key; Test Connection of the saved key reloads the list."""

from __future__ import annotations

import json

import pytest

from byok.keys import get_usable_keys
from byok.model_choice import refresh_model_list
from byok.models import UserAPIKeys
from byok.openai_models import DEFAULT_MODEL
from tests.support.keys import API, OPENAI_KEY, OTHER_OPENAI_KEY, VALIDATE, csrf_token

pytestmark = pytest.mark.django_db


def put(client, payload):
    return client.put(API, data=json.dumps(payload), content_type="application/json")


@pytest.fixture
def listed_alice(alice, alice_keys, fake_openai):
    refresh_model_list(alice)
    return alice


def test_get_shows_the_models_the_key_can_use_with_their_prices(listed_alice, alice_client):
    choice = alice_client.get(API).json()["openai_model"]
    assert choice["model"] == DEFAULT_MODEL and choice["chosen"] is None
    assert choice["default"] == DEFAULT_MODEL
    assert choice["listed_at"] is not None
    assert choice["last_listing"] == {"ok": True, "status": "ok", "message": None}
    available = {option["id"]: option for option in choice["available"]}
    assert choice["available"][0]["id"] == DEFAULT_MODEL and available[DEFAULT_MODEL]["default"]
    assert available["gpt-4o-mini"] == {
        "id": "gpt-4o-mini",
        "default": False,
        "input_usd_per_mtok": "0.15",
        "output_usd_per_mtok": "0.60",
    }
    assert "gpt-3.5-turbo" not in available and "whisper-1" not in available


def test_put_picks_a_listed_model_and_back_to_the_default(listed_alice, alice_client):
    response = put(alice_client, {"openai_model": "gpt-4o-mini"})
    assert response.status_code == 200
    assert response.json()["openai_model"]["model"] == "gpt-4o-mini"
    assert response.json()["openai_model"]["chosen"] == "gpt-4o-mini"
    assert get_usable_keys(listed_alice).openai_model == "gpt-4o-mini"

    response = put(alice_client, {"openai_model": ""})
    assert response.json()["openai_model"]["chosen"] is None
    assert get_usable_keys(listed_alice).openai_model == DEFAULT_MODEL


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("gpt-4.1", "Your OpenAI key can't use gpt-4.1"),
        ("gpt-3.5-turbo", "Kairo can't run on gpt-3.5-turbo"),
        (42, "Send the model's id as a string"),
        (None, "Send the model's id as a string"),
        ("a b", "That isn't an OpenAI model id"),
    ],
)
def test_put_refuses_a_model_not_offered(listed_alice, alice_client, model, message):
    response = put(alice_client, {"openai_model": model})
    assert response.status_code == 400
    assert list(response.json()) == ["openai_model"]
    assert response.json()["openai_model"][0].startswith(message)
    assert UserAPIKeys.objects.get(user=listed_alice).openai_model == ""


def test_a_model_sent_with_a_new_key_is_checked_against_that_keys_list(
    listed_alice, alice_client, fake_openai
):
    fake_openai.model_ids = ["gpt-4o", "gpt-4o-mini"]  # the new key's project
    refused = put(alice_client, {"openai_key": OTHER_OPENAI_KEY, "openai_model": "gpt-4.1-mini"})
    assert (
        refused.status_code == 400 and "can't use gpt-4.1-mini" in refused.json()["openai_model"][0]
    )
    assert get_usable_keys(listed_alice).openai_key == OPENAI_KEY  # nothing saved

    response = put(alice_client, {"openai_key": OTHER_OPENAI_KEY, "openai_model": "gpt-4o"})
    assert response.status_code == 200
    choice = response.json()["openai_model"]
    assert [option["id"] for option in choice["available"]] == ["gpt-4o-mini", "gpt-4o"]
    keys = get_usable_keys(listed_alice)
    assert (keys.openai_key, keys.openai_model) == (OTHER_OPENAI_KEY, "gpt-4o")
    # The default isn't on this key: the page and API show it, runs use the pick.
    assert not any(option["default"] for option in choice["available"])


def test_a_new_key_whose_models_cannot_be_listed_is_saved_and_says_why(
    listed_alice, alice_client, fake_openai
):
    fake_openai.invalid_keys.add(OTHER_OPENAI_KEY)
    response = put(alice_client, {"openai_key": OTHER_OPENAI_KEY})
    assert response.status_code == 200  # a key is saved as before; its test says it's bad
    choice = response.json()["openai_model"]
    assert choice["available"] == [] and choice["listed_at"] is None
    assert choice["last_listing"]["status"] == "invalid_key"
    assert "OpenAI rejected your key" in choice["last_listing"]["message"]
    # ...but a model can't be checked against it, so sending one saves nothing.
    response = put(alice_client, {"openai_key": OPENAI_KEY, "openai_model": "gpt-4o"})
    assert response.status_code == 200  # her first key lists gpt-4o
    fake_openai.invalid_keys.add(OPENAI_KEY)
    refused = put(alice_client, {"openai_key": OTHER_OPENAI_KEY, "openai_model": "gpt-4o"})
    assert refused.status_code == 400
    assert get_usable_keys(listed_alice).openai_key == OPENAI_KEY


def test_validating_the_saved_key_reloads_its_list(listed_alice, alice_client, fake_openai):
    fake_openai.model_ids.append("o4-mini")
    response = alice_client.post(
        VALIDATE, data=json.dumps({"provider": "openai"}), content_type="application/json"
    )
    assert response.json()["ok"] is True
    available = [o["id"] for o in alice_client.get(API).json()["openai_model"]["available"]]
    assert "o4-mini" in available


def test_picking_needs_the_csrf_token(listed_alice, csrf_client):
    assert csrf_client.post("/settings/model/", {"openai_model": "gpt-4o"}).status_code == 403
    assert csrf_client.post("/settings/model/refresh/").status_code == 403
    response = csrf_client.put(
        API, data=json.dumps({"openai_model": "gpt-4o"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert UserAPIKeys.objects.get(user=listed_alice).openai_model == ""
    token = csrf_token(csrf_client)
    response = csrf_client.post(
        "/settings/model/", {"openai_model": "gpt-4o"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 302
    assert UserAPIKeys.objects.get(user=listed_alice).openai_model == "gpt-4o"
