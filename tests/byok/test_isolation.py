"""One user can neither read nor change another user's keys through any endpoint."""

from __future__ import annotations

import json

import pytest

from byok.keys import get_usable_keys
from byok.models import UserAPIKeys
from tests.support.keys import API, APIFY_TOKEN, OPENAI_KEY, OTHER_OPENAI_KEY, VALIDATE

pytestmark = pytest.mark.django_db


def test_bob_sees_only_his_own_empty_state(alice_keys, bob_client):
    body = bob_client.get(API).json()
    assert all(body[name]["connected"] is False for name in ("apify_token", "openai_key"))
    assert body["openai_model"]["available"] == []  # her key's models are hers
    page = bob_client.get("/settings/").content.decode()
    assert "3Bvt" not in page and APIFY_TOKEN[-4:] not in page


def test_bob_saving_and_removing_touches_only_his_row(alice, bob, alice_keys, bob_client):
    response = bob_client.put(
        API, data=json.dumps({"openai_key": OTHER_OPENAI_KEY}), content_type="application/json"
    )
    assert response.status_code == 200
    bob_client.put(API, data=json.dumps({"apify_token": ""}), content_type="application/json")
    bob_client.post("/settings/keys/openai/remove/")
    bob_client.post("/settings/keys/apify/remove/")
    bob_client.post("/settings/", {"apify_token": "apify_api_" + "B" * 36})

    keys = get_usable_keys(alice)
    assert (keys.apify_token, keys.openai_key) == (APIFY_TOKEN, OPENAI_KEY)
    assert UserAPIKeys.objects.get(user=bob).apify_token_last4 == "BBBB"


def test_bob_cannot_test_alices_stored_key(alice, alice_keys, bob_client, fake_openai):
    response = bob_client.post(
        VALIDATE, data=json.dumps({"provider": "openai"}), content_type="application/json"
    )
    assert response.status_code == 400  # he has nothing stored; hers is not his to use
    fragment = bob_client.post("/settings/keys/openai/test/", {}, HTTP_HX_REQUEST="true")
    assert "No OpenAI API key is saved yet" in fragment.content.decode()
    assert not [r for r in fake_openai.requests if r.path == "/v1/models"]
    assert UserAPIKeys.objects.get(user=alice).openai_key_validated_at is None


def test_no_byok_url_names_a_user_or_a_key_row():
    """Every endpoint acts on request.user; the only URL parameter is the provider."""
    from byok import urls

    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        assert route.replace("<str:provider>", "").count("<") == 0, route


def test_admin_shows_last4_and_status_only(alice, alice_keys, admin_client):
    row = UserAPIKeys.objects.get(user=alice)
    changelist = admin_client.get("/admin/byok/userapikeys/").content.decode()
    assert "3Bvt" in changelist
    change = admin_client.get(f"/admin/byok/userapikeys/{row.pk}/change/").content.decode()
    assert "3Bvt" in change
    assert "encrypted" not in change.lower()
    ciphertext = bytes(row.openai_key_encrypted).decode()
    assert ciphertext not in change and ciphertext[:20] not in changelist
    assert admin_client.get("/admin/byok/userapikeys/add/").status_code == 403
