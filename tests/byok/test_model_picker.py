"""Settings' OpenAI model card: the models a key can use (from the OpenAI double's real
`models.list()` answer), picking one, refusing the rest, and whose list is whose."""

from __future__ import annotations

import html
import json
import re

import pytest

from byok.keys import get_usable_keys, save_user_keys
from byok.model_choice import choose_model, refresh_model_list
from byok.models import UserAPIKeys
from byok.openai_models import DEFAULT_MODEL
from tests.support.keys import APIFY_TOKEN, OPENAI_KEY, OTHER_OPENAI_KEY

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Of tests/fakes/openai.py MODEL_IDS, those with Structured Outputs and a price: the
# default first, then by family (byok/openai_models.py), each alias before its snapshots.
USABLE = [
    "gpt-4.1-mini",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano",
    "gpt-4o-mini",
    "gpt-4o-mini-2024-07-18",
    "gpt-4o",
    "gpt-4o-2024-08-06",
    "gpt-5-mini",
]
NOT_OFFERED = ["gpt-3.5-turbo", "gpt-4o-2024-05-13", "o1-mini", "whisper-1", "dall-e-3"]


def options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', html)


def selected(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)" selected', html)


def models_calls(fake_openai) -> int:
    return sum(1 for r in fake_openai.requests if r.path == "/v1/models")


def text(response) -> str:
    """The page as a reader sees it (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())


def toasts(response) -> list[str]:
    return [t["message"] for t in json.loads(response["HX-Trigger"]).get("toasts", [])]


@pytest.fixture
def listed_alice(alice, alice_keys, fake_openai):
    """Alice with both keys saved and her OpenAI key's models loaded."""
    refresh_model_list(alice)
    return alice


def test_saving_the_openai_key_loads_the_models_it_can_use(alice, alice_client, fake_openai):
    response = alice_client.post(
        "/settings/", {"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY}
    )
    assert response.status_code == 302
    assert models_calls(fake_openai) == 1
    sent = next(r for r in fake_openai.requests if r.path == "/v1/models")
    assert sent.headers["authorization"] == f"Bearer {OPENAI_KEY}"  # her key, not anyone's

    page = alice_client.get("/settings/").content.decode()
    assert options(page) == USABLE
    assert selected(page) == [DEFAULT_MODEL]
    assert not set(NOT_OFFERED) & set(options(page))
    assert "gpt-4o-mini — $0.15 / $0.60" in page  # the price table, per model
    assert f"{DEFAULT_MODEL} (default) — $0.40 / $1.60" in page
    assert f"Runs use <strong>{DEFAULT_MODEL}</strong>, Kairo's default ($0.40 / $1.60)" in text(
        response := alice_client.get("/settings/")
    )
    assert "8 models from your key, listed just now." in text(response)
    assert models_calls(fake_openai) == 1  # showing the page never asks OpenAI


def test_picking_a_listed_model_is_what_runs_use(listed_alice, alice_client):
    response = alice_client.post("/settings/model/", {"openai_model": "gpt-4o-mini"}, **HTMX)
    assert response.status_code == 200
    card = response.content.decode()
    assert card.lstrip().startswith("<section") and 'id="openai-model-panel"' in card
    assert selected(card) == ["gpt-4o-mini"]
    assert toasts(response) == ["Your runs now use gpt-4o-mini."]
    assert get_usable_keys(listed_alice).openai_model == "gpt-4o-mini"

    # Case-insensitive, stored as OpenAI spells it; "" goes back to the default.
    alice_client.post("/settings/model/", {"openai_model": "GPT-4o-2024-08-06"}, **HTMX)
    assert get_usable_keys(listed_alice).openai_model == "gpt-4o-2024-08-06"
    response = alice_client.post("/settings/model/", {"openai_model": ""}, **HTMX)
    assert toasts(response) == [f"Your runs now use {DEFAULT_MODEL}, Kairo's default."]
    assert UserAPIKeys.objects.get(user=listed_alice).openai_model == ""


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("gpt-4.1", "Your OpenAI key can't use gpt-4.1: OpenAI doesn't list it for this key."),
        ("gpt-3.5-turbo", "Kairo can't run on gpt-3.5-turbo: it needs a model with Structured"),
        ("gpt-4o-2024-05-13", "Kairo can't run on gpt-4o-2024-05-13"),
        ("whisper-1", "Kairo can't run on whisper-1"),
        ('"><script>alert(1)</script>', "That isn't an OpenAI model id"),
        ("sk-proj-" + "A" * 40, "That's an API key, not a model"),  # and never echoed
        ("g" * 101, "That isn't an OpenAI model id"),
    ],
)
def test_a_model_not_in_the_list_is_refused_and_nothing_changes(
    listed_alice, alice_client, model, message
):
    choose_model(user=listed_alice, model="gpt-4o")
    response = alice_client.post("/settings/model/", {"openai_model": model}, **HTMX)
    assert response.status_code == 200  # HTMX swaps 2xx only: the card carries the error
    assert message in text(response)
    assert "<script>alert" not in response.content.decode()
    assert "sk-proj-" not in response.content.decode()
    assert 'class="field has-error"' in text(response)
    assert get_usable_keys(listed_alice).openai_model == "gpt-4o"

    # Without JavaScript: back to Settings, saying why.
    response = alice_client.post("/settings/model/", {"openai_model": model}, follow=True)
    assert message in text(response)
    assert get_usable_keys(listed_alice).openai_model == "gpt-4o"


def test_before_the_list_is_loaded_only_the_default_can_be_chosen(
    alice, alice_keys, alice_client, fake_openai
):
    page = alice_client.get("/settings/").content.decode()
    assert options(page) == [] and "Load my models" in page
    response = alice_client.post("/settings/model/", {"openai_model": "gpt-4o"}, **HTMX)
    assert "hasn't loaded the models your OpenAI key can use yet" in text(response)
    assert choose_model(user=alice, model=DEFAULT_MODEL) == ""  # following the default

    card = alice_client.post("/settings/model/refresh/", **HTMX)
    assert options(card.content.decode()) == USABLE
    assert toasts(card) == ["Loaded 8 models you can use."]
    alice_client.post("/settings/model/", {"openai_model": "gpt-4o"}, **HTMX)
    assert get_usable_keys(alice).openai_model == "gpt-4o"


def test_testing_the_saved_key_reloads_its_list_and_tells_the_card(
    listed_alice, alice_client, fake_openai
):
    fake_openai.model_ids.append("gpt-4.1")  # access granted since the list was loaded
    response = alice_client.post("/settings/keys/openai/test/", {}, **HTMX)
    assert "✓ Connected" in response.content.decode()
    assert "openai-models-changed" in json.loads(response["HX-Trigger"])
    assert "gpt-4.1" in UserAPIKeys.objects.get(user=listed_alice).openai_key_models

    # The card reloads itself on that event, from the kept list (no call to OpenAI).
    before = models_calls(fake_openai)
    card = alice_client.get("/settings/model/", **HTMX).content.decode()
    assert "gpt-4.1" in options(card) and models_calls(fake_openai) == before

    # A typed key that isn't saved tells nothing about the saved key's models.
    response = alice_client.post(
        "/settings/keys/openai/test/", {"openai_key": OTHER_OPENAI_KEY}, **HTMX
    )
    assert "HX-Trigger" not in response or "openai-models-changed" not in response["HX-Trigger"]


def test_a_new_key_gets_its_own_list_and_a_pick_it_lacks_is_dropped(
    listed_alice, alice_client, fake_openai
):
    choose_model(user=listed_alice, model="gpt-5-mini")
    fake_openai.model_ids.remove("gpt-5-mini")  # the new key's project has no gpt-5
    response = alice_client.post("/settings/", {"openai_key": OTHER_OPENAI_KEY}, **HTMX)
    assert "openai-models-changed" in json.loads(response["HX-Trigger"])
    row = UserAPIKeys.objects.get(user=listed_alice)
    assert "gpt-5-mini" not in row.openai_key_models
    assert row.openai_model == ""
    assert get_usable_keys(listed_alice).openai_model == DEFAULT_MODEL


def test_removing_the_key_forgets_its_list(listed_alice, alice_client):
    alice_client.post("/settings/keys/openai/remove/")
    row = UserAPIKeys.objects.get(user=listed_alice)
    assert row.openai_key_models == [] and row.openai_key_models_listed_at is None
    page = alice_client.get("/settings/").content.decode()
    assert "Save your OpenAI key above to choose" in page and options(page) == []


def test_a_list_that_fails_to_load_keeps_the_pick_and_says_why(
    listed_alice, alice_client, fake_openai
):
    choose_model(user=listed_alice, model="gpt-4o")
    fake_openai.fail_with = "rate_limit_exceeded"
    card = text(alice_client.post("/settings/model/refresh/", **HTMX))
    assert "Couldn't load the models your key can use: OpenAI is rate-limiting your key" in card
    assert options(card) == USABLE  # the list from before
    assert get_usable_keys(listed_alice).openai_model == "gpt-4o"


def test_loading_the_list_counts_against_the_test_limit(
    listed_alice, alice_client, fake_openai, settings
):
    settings.KEY_TESTS_PER_MINUTE = 1
    alice_client.post("/settings/model/refresh/", **HTMX)
    before = models_calls(fake_openai)
    card = alice_client.post("/settings/model/refresh/", **HTMX).content.decode()
    assert "Too many connection tests" in card
    assert models_calls(fake_openai) == before


def test_a_pick_the_price_table_no_longer_offers_falls_back_to_the_default(listed_alice):
    UserAPIKeys.objects.filter(user=listed_alice).update(openai_model="gpt-3.5-turbo")
    assert get_usable_keys(listed_alice).openai_model == DEFAULT_MODEL


def test_staff_on_the_operator_key_can_pick_too(alice, alice_client, fake_openai, settings):
    settings.OPENAI_API_KEY = "sk-operator0" + "O" * 40
    settings.APIFY_TOKEN = "apify_api_Operator0" + "A" * 27
    alice.is_staff = True
    alice.save()
    card = alice_client.post("/settings/model/refresh/", **HTMX).content.decode()
    assert options(card) == USABLE
    sent = [r for r in fake_openai.requests if r.path == "/v1/models"][-1]
    assert sent.headers["authorization"] == f"Bearer {settings.OPENAI_API_KEY}"
    alice_client.post("/settings/model/", {"openai_model": "gpt-4.1-nano"}, **HTMX)
    assert get_usable_keys(alice).openai_model == "gpt-4.1-nano"


# --- Owner scoping -------------------------------------------------------------------


def test_one_users_models_and_pick_are_theirs_alone(listed_alice, bob, bob_client, fake_openai):
    choose_model(user=listed_alice, model="gpt-4o-mini")
    calls = models_calls(fake_openai)

    page = bob_client.get("/settings/").content.decode()
    assert options(page) == [] and "Save your OpenAI key above" in page
    assert bob_client.get("/api/user/api-keys/").json()["openai_model"]["available"] == []

    # Bob can neither use her list nor load one with her key.
    response = bob_client.post("/settings/model/", {"openai_model": "gpt-4o"}, **HTMX)
    assert "hasn't loaded the models" in text(response)
    bob_client.post("/settings/model/refresh/", **HTMX)
    assert models_calls(fake_openai) == calls
    assert not UserAPIKeys.objects.filter(user=bob).exists()

    # His own key gets his own list and pick; hers are untouched.
    save_user_keys(user=bob, changes={"openai_key": OTHER_OPENAI_KEY})
    fake_openai.model_ids = ["gpt-4o"]
    bob_client.post("/settings/model/refresh/", **HTMX)
    bob_client.post("/settings/model/", {"openai_model": "gpt-4o"}, **HTMX)
    assert UserAPIKeys.objects.get(user=bob).openai_model == "gpt-4o"
    hers = UserAPIKeys.objects.get(user=listed_alice)
    assert hers.openai_model == "gpt-4o-mini" and "gpt-5-mini" in hers.openai_key_models


def test_the_card_needs_a_login_and_a_post_for_changes(client, alice_client):
    for url in ("/settings/model/", "/settings/model/refresh/"):
        assert client.post(url, {"openai_model": "gpt-4o"}).status_code == 302  # to login
    assert alice_client.get("/settings/model/refresh/").status_code == 405
    assert alice_client.get("/settings/model/").status_code == 302  # the card lives on Settings
