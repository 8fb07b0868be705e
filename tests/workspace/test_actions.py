"""Each card action and its undo, through the page endpoints: HTMX answers with the
card's action row and an Undo toast; plain posts redirect back with a message; bad input
is said in Kairo's words; another user's idea is a 404."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workspace.helpers import HTMX, decide, feedback_url, post_action
from workspace.models import FeedbackChange, IdeaFeedback, IdeaState

pytestmark = pytest.mark.django_db


def trigger(response) -> dict:
    return json.loads(response["HX-Trigger"])


def undo(client, response, **extra):
    return client.post(trigger(response)["ideaChanged"]["undo_url"], **extra)


def test_ill_use_this_plans_the_idea_and_its_toast_undoes_it(alice_client, alice_brand, board):
    day = timezone.localdate() + timedelta(days=3)
    response = post_action(
        alice_client, alice_brand, board[0], state="used", planned_for=day.isoformat()
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="idea-{board[0].pk}"' in html and "Planned for" in html
    toast = trigger(response)["ideaChanged"]
    assert toast["message"].startswith("Added “Idea 1” to your plan for")
    assert toast["target"] == f"#idea-{board[0].pk}"
    feedback = IdeaFeedback.objects.get(opportunity=board[0])
    assert (feedback.state, feedback.planned_for) == (IdeaState.USED, day)
    assert feedback.title == "Idea 1" and feedback.evidence_links[0]["url"].startswith("https://")

    response = undo(alice_client, response, **HTMX)
    assert response.status_code == 200
    feedback.refresh_from_db()
    assert (feedback.state, feedback.planned_for) == (IdeaState.NEW, None)
    assert "Undone" in json.loads(response["HX-Trigger"])["toasts"][0]["message"]
    assert "Planned for" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "state", "summary"),
    [
        ({"state": "saved"}, IdeaState.SAVED, "Saved for later"),
        ({"state": "posted"}, IdeaState.POSTED, "Posted"),
        (
            {"state": "dismissed", "reason": "off_brand"},
            IdeaState.DISMISSED,
            "Not for us: off-brand",
        ),
        (
            {"state": "dismissed", "reason": "other", "reason_text": "We never do memes"},
            IdeaState.DISMISSED,
            "Not for us: We never do memes",
        ),
    ],
)
def test_each_action_and_its_undo(alice_client, alice_brand, board, data, state, summary):
    first = post_action(alice_client, alice_brand, board[1], **data)
    assert first.status_code == 200 and summary in first.content.decode()
    assert IdeaFeedback.objects.get(opportunity=board[1]).state == state
    undone = undo(alice_client, first, **HTMX)
    assert undone.status_code == 200
    assert IdeaFeedback.objects.get(opportunity=board[1]).state == IdeaState.NEW


def test_undo_restores_the_previous_decision_not_just_new(alice_client, alice_brand, board):
    day = timezone.localdate() + timedelta(days=2)
    post_action(alice_client, alice_brand, board[0], state="used", planned_for=day.isoformat())
    posted = post_action(alice_client, alice_brand, board[0], state="posted")
    feedback = IdeaFeedback.objects.get(opportunity=board[0])
    assert (feedback.state, feedback.planned_for) == (IdeaState.POSTED, day)  # keeps its day
    undo(alice_client, posted, **HTMX)
    feedback.refresh_from_db()
    assert (feedback.state, feedback.planned_for) == (IdeaState.USED, day)


def test_only_the_latest_change_can_be_undone_and_only_once(alice_client, alice_brand, board):
    saved = post_action(alice_client, alice_brand, board[0], state="saved")
    post_action(alice_client, alice_brand, board[0], state="posted")
    stale = undo(alice_client, saved, **HTMX)
    assert stale.status_code == 204
    assert "changed again since" in json.loads(stale["HX-Trigger"])["toasts"][0]["message"]
    assert IdeaFeedback.objects.get(opportunity=board[0]).state == IdeaState.POSTED

    latest = FeedbackChange.objects.filter(feedback__opportunity=board[0]).first()
    url = reverse("workspace:undo", args=[alice_brand.pk, latest.pk])
    assert alice_client.post(url, **HTMX).status_code == 200
    again = alice_client.post(url, **HTMX)
    assert "already undone" in json.loads(again["HX-Trigger"])["toasts"][0]["message"]


def test_the_row_shows_the_latest_change_as_undo(alice_client, alice_brand, board):
    response = post_action(alice_client, alice_brand, board[0], state="saved")
    change = FeedbackChange.objects.get(feedback__opportunity=board[0])
    assert reverse("workspace:undo", args=[alice_brand.pk, change.pk]) in response.content.decode()


def test_plain_posts_redirect_back_with_a_message(alice_client, alice_brand, board):
    today_url = reverse("opportunities:today", args=[alice_brand.pk])
    response = post_action(
        alice_client,
        alice_brand,
        board[2],
        htmx=False,
        state="saved",
        next=today_url + "?state=new",
    )
    assert response.status_code == 302 and response["Location"] == today_url + "?state=new"
    page = alice_client.get(response["Location"])
    assert "Saved “Idea 3” for later." in page.content.decode()
    change = FeedbackChange.objects.get(feedback__opportunity=board[2])
    response = alice_client.post(
        reverse("workspace:undo", args=[alice_brand.pk, change.pk]), {"next": today_url}
    )
    assert response.status_code == 302
    assert IdeaFeedback.objects.get(opportunity=board[2]).state == IdeaState.NEW


def test_next_never_leaves_the_site(alice_client, alice_brand, board):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = post_action(
            alice_client, alice_brand, board[0], htmx=False, state="saved", next=target
        )
        assert response["Location"] == reverse("opportunities:today", args=[alice_brand.pk])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "state", "Choose what to do with the idea"),
        ({"state": "maybe"}, "state", "Choose what to do with the idea"),
        ({"state": "used"}, "planned_for", "Pick the day you'll post it."),
        ({"state": "used", "planned_for": "12/05/2026"}, "planned_for", "YYYY-MM-DD"),
        ({"state": "used", "planned_for": "2999-01-01"}, "planned_for", "within a year"),
        ({"state": "dismissed"}, "reason", "Say why it's not for you"),
        ({"state": "dismissed", "reason": "other"}, "reason_text", "in a few words"),
        (
            {"state": "dismissed", "reason": "other", "reason_text": "x" * 201},
            "reason_text",
            "under 200",
        ),
    ],
)
def test_bad_input_is_said_in_the_row_and_nothing_is_saved(
    alice_client, alice_brand, board, data, field, message
):
    response = post_action(alice_client, alice_brand, board[0], **data)
    assert response.status_code == 200
    assert html.escape(message) in response.content.decode()
    assert "HX-Trigger" not in response or "ideaChanged" not in response["HX-Trigger"]
    assert not IdeaFeedback.objects.filter(opportunity=board[0]).exists()


def test_bad_plain_post_redirects_with_the_error(alice_client, alice_brand, board):
    response = post_action(alice_client, alice_brand, board[0], htmx=False, state="used")
    page = alice_client.get(response["Location"])
    assert "Pick the day you&#x27;ll post it." in page.content.decode()


def test_the_board_shows_each_cards_state_and_its_actions(alice_client, alice_brand, board):
    decide(alice_brand, board[0], IdeaState.SAVED)
    page = alice_client.get(reverse("opportunities:today", args=[alice_brand.pk])).content.decode()
    for idea in board:
        assert f'action="{feedback_url(alice_brand, idea)}"' in page
    # On the card's collapsed row and in its action row.
    assert page.count("Saved for later</span>") == 2
    assert page.count("I'll use this</summary>") == 3
    assert page.count("Copy as brief") == 3


def test_another_users_idea_is_404_and_unchanged(bob_client, alice_brand, board):
    assert post_action(bob_client, alice_brand, board[0], state="saved").status_code == 404
    change = FeedbackChange.objects.get(
        pk=decide(alice_brand, board[0], IdeaState.SAVED).changes.get().pk
    )
    response = bob_client.post(reverse("workspace:undo", args=[alice_brand.pk, change.pk]), **HTMX)
    assert response.status_code == 404
    assert IdeaFeedback.objects.get(opportunity=board[0]).state == IdeaState.SAVED


def test_an_idea_of_another_brand_of_mine_is_404(alice_client, alice, alice_brand, board):
    from brands.models import Brand

    other = Brand.objects.create(owner=alice, name="Other")
    assert post_action(alice_client, other, board[0], state="saved").status_code == 404


def test_the_brief_is_markdown_with_hook_angle_format_why_now_and_evidence(
    alice_client, alice_brand, board
):
    response = alice_client.get(reverse("workspace:brief", args=[alice_brand.pk, board[0].pk]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Idea 1\n")
    assert "**Format:** Instagram · Reel" in text
    for heading, body in (("Hook", "Hook 1"), ("Angle", "Angle 1"), ("Why now", "Why now 1")):
        assert f"## {heading}\n\n{body}" in text
    assert (
        "## Evidence\n\n- @creator1_0 on Instagram, 12.3K views: <https://www.instagram.com/p/1x0/>"
        in text
    )


def test_a_page_that_did_not_mark_its_board_still_shows_each_cards_state(alice_brand, board):
    from django.template import Context, Template

    from opportunities.cards import card_from_opportunity

    decide(alice_brand, board[0], IdeaState.SAVED)
    card = card_from_opportunity(board[0], timezone.now())
    html = Template("{% load ideas %}{% idea_actions card %}").render(
        Context({"brand": alice_brand, "card": card})
    )
    assert "Saved for later</span>" in html


def test_the_finished_runs_board_has_actions_and_filters(alice_client, alice_brand, board):
    job = board[0].job
    url = reverse("opportunities:job_progress", args=[alice_brand.pk, job.pk])
    decide(alice_brand, board[1], IdeaState.POSTED)
    html = alice_client.get(url, **HTMX).content.decode()
    assert 'aria-label="Filter ideas"' in html and "Pillar balance" in html
    assert html.count('class="idea-actions"') == 3 and "Posted (" in html
