"""The workspace API: the current board with evidence, score parts and feedback, and
feedback on one idea; owner-scoped, validated, with CSRF for cookie sessions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brands.models import Brand
from tests.workspace.helpers import decide
from workspace.models import IdeaFeedback, IdeaState

pytestmark = pytest.mark.django_db


def board_url(brand) -> str:
    return reverse("workspace:api-opportunities", args=[brand.pk])


def feedback_url(brand, idea) -> str:
    return reverse("workspace:api-feedback", args=[brand.pk, idea.pk])


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_board_with_evidence_score_parts_and_feedback(alice_client, alice_brand, board):
    decide(alice_brand, board[0], IdeaState.SAVED)
    response = alice_client.get(board_url(alice_brand))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["brand"] == {"id": str(alice_brand.pk), "name": "Goodie AI"}
    assert data["board"]["status"] == "succeeded"
    first, second, _ = data["opportunities"]
    assert [o["rank"] for o in data["opportunities"]] == [1, 2, 3]
    assert first["title"] == "Idea 1" and first["score_parts"]["pillar_relevance"] == 1.0
    assert first["feedback_fit"] is None  # scored before feedback counted
    assert first["evidence"][0]["url"] == "https://www.instagram.com/p/1x0/"
    assert first["evidence"][0]["metrics"] == {"views": 12345.0, "likes": 400.0}
    assert first["feedback"]["state"] == "saved" and first["feedback"]["decided_at"]
    assert second["feedback"] == {
        "state": "new",
        "planned_for": None,
        "reason": "",
        "reason_text": "",
        "decided_at": None,
    }


def test_feedback_fit_is_given_in_words_when_scored(alice_client, alice_brand, board):
    board[0].score_parts = {
        **board[0].score_parts,
        "feedback_fit": 4 / 6,
        "feedback_group": 1,
        "feedback_used": 3,
        "feedback_decided": 4,
    }
    board[0].save()
    fit = alice_client.get(board_url(alice_brand)).json()["opportunities"][0]["feedback_fit"]
    assert fit == {
        "value": pytest.approx(0.6667, abs=1e-4),
        "points": 3.3,
        "words": "You used 3 of 4 recent AI search visibility reels on Instagram.",
    }


def test_filters_by_platform_pillar_and_state(alice_client, alice_brand, board):
    decide(alice_brand, board[2], IdeaState.DISMISSED)

    def titles(**params):
        data = alice_client.get(board_url(alice_brand), params).json()
        return [o["title"] for o in data["opportunities"]]

    assert titles(platform="tiktok") == ["Idea 2"]
    assert titles(pillar="content STRATEGY") == ["Idea 3"]
    assert titles(state="dismissed") == ["Idea 3"]
    assert titles(state="new", pillar="AI search visibility") == ["Idea 1", "Idea 2"]
    assert titles(platform="myspace") == ["Idea 1", "Idea 2", "Idea 3"]  # unknown: no filter


def test_no_board_yet_and_onboarding_not_finished(alice_client, alice_brand):
    response = alice_client.get(board_url(alice_brand))
    assert response.status_code == 409 and response.json()["error"] == "onboarding_required"
    from tests.support.snapshots import make_snapshot

    make_snapshot(alice_brand)
    assert alice_client.get(board_url(alice_brand)).json() == {
        "brand": {"id": str(alice_brand.pk), "name": "Goodie AI"},
        "board": None,
        "opportunities": [],
    }


def test_posting_feedback(alice_client, alice_brand, board):
    day = timezone.localdate() + timedelta(days=4)
    response = post_json(
        alice_client,
        feedback_url(alice_brand, board[0]),
        {"state": "used", "planned_for": day.isoformat()},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["opportunity_id"] == str(board[0].pk)
    assert (data["state"], data["planned_for"]) == ("used", day.isoformat())
    response = post_json(
        alice_client,
        feedback_url(alice_brand, board[0]),
        {"state": "dismissed", "reason": "other", "reason_text": "  Too   close to last week's  "},
    )
    assert response.json()["reason_text"] == "Too close to last week's"
    assert IdeaFeedback.objects.get(opportunity=board[0]).state == IdeaState.DISMISSED
    back = post_json(alice_client, feedback_url(alice_brand, board[0]), {"state": "new"})
    assert back.json()["state"] == "new"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "state"),
        ({"state": 3}, "state"),
        ({"state": "used"}, "planned_for"),
        ({"state": "used", "planned_for": 20260512}, "planned_for"),
        ({"state": "dismissed", "reason": ["off_brand"]}, "reason"),
        ({"state": "dismissed", "reason": "off_brand", "reason_text": {"x": 1}}, "reason_text"),
    ],
)
def test_validation_errors_say_what_is_wrong_per_field(
    alice_client, alice_brand, board, body, field
):
    response = post_json(alice_client, feedback_url(alice_brand, board[0]), body)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors and errors[field][0].strip()
    assert not IdeaFeedback.objects.exists()


@pytest.mark.parametrize("body", ["[1, 2]", '"saved"', "null", "{not json"])
def test_a_body_that_is_not_an_object_is_a_400(alice_client, alice_brand, board, body):
    response = alice_client.post(
        feedback_url(alice_brand, board[0]), body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["detail"]


def test_another_users_brand_and_idea_are_404(bob_client, bob, alice_brand, board):
    assert bob_client.get(board_url(alice_brand)).status_code == 404
    response = post_json(bob_client, feedback_url(alice_brand, board[0]), {"state": "saved"})
    assert response.status_code == 404 and b"Idea" not in response.content
    bobs = Brand.objects.create(owner=bob, name="Bob's")
    response = post_json(bob_client, feedback_url(bobs, board[0]), {"state": "saved"})
    assert response.status_code == 404  # Alice's idea through Bob's own brand
    assert not IdeaFeedback.objects.exists()


def test_anonymous_is_401_and_a_cookie_session_needs_csrf(alice, alice_brand, board):
    anonymous = Client()
    assert anonymous.get(board_url(alice_brand)).status_code == 401
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = post_json(client, feedback_url(alice_brand, board[0]), {"state": "saved"})
    assert response.status_code == 403
    assert not IdeaFeedback.objects.exists()


def test_bearer_tokens_are_refused_with_local_accounts(alice_brand, board):
    response = Client().get(board_url(alice_brand), HTTP_AUTHORIZATION="Bearer abc.def.ghi")
    assert response.status_code == 401
