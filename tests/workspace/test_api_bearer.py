"""The workspace API with `Authorization: Bearer <Supabase access token>` (Supabase
accounts): no session and no CSRF token, still only the token owner's brands."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from brands.models import Brand
from tests.support.accounts import PASSWORD
from tests.support.board import make_board, make_job
from tests.support.snapshots import make_snapshot
from users.models import User

pytestmark = pytest.mark.django_db


def test_bearer_token_reads_the_board_and_posts_feedback(supabase_auth, alice_brand):
    carol = supabase_auth.add_user("carol@example.com", PASSWORD)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {supabase_auth.mint(carol)}"}
    client = Client(enforce_csrf_checks=True)
    assert (
        client.get(
            reverse("workspace:api-opportunities", args=[alice_brand.pk]), **headers
        ).status_code
        == 404
    )

    brand = Brand.objects.create(owner=User.objects.get(email="carol@example.com"), name="Carol's")
    make_snapshot(brand)
    [idea] = make_board(make_job(brand), cards=1)
    response = client.get(reverse("workspace:api-opportunities", args=[brand.pk]), **headers)
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["opportunities"]] == [str(idea.pk)]
    response = client.post(
        reverse("workspace:api-feedback", args=[brand.pk, idea.pk]),
        json.dumps({"state": "saved"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["state"] == "saved"
