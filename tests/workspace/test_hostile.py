"""The workspace's forms and pages, fuzzed: never a 500, bad input said in the row or as
a message, and whatever was stored shown escaped on the board and the plan."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.support.hostile import HOSTILE, assert_handled, hostile_text, post_form, quoted
from tests.workspace.helpers import HTMX, decide, feedback_url
from workspace.models import IdeaFeedback, IdeaState

pytestmark = pytest.mark.django_db

states = st.one_of(st.sampled_from(IdeaState.values), hostile_text)
reasons = st.one_of(st.sampled_from(["off_brand", "other", "not_trending"]), hostile_text)
dates = st.one_of(st.just("2026-05-12"), st.dates().map(str), hostile_text)


@HOSTILE
@given(
    state=states,
    planned_for=dates,
    reason=reasons,
    reason_text=hostile_text,
    next_url=hostile_text,
    htmx=st.sampled_from([{}, HTMX]),
)
def test_the_feedback_form(
    alice_client, alice_brand, board, state, planned_for, reason, reason_text, next_url, htmx
):
    fields = {
        "state": state,
        "planned_for": planned_for,
        "reason": reason,
        "reason_text": reason_text,
        "next": next_url,
    }
    response = post_form(alice_client, feedback_url(alice_brand, board[0]), fields, **htmx)
    assert response.status_code in (200, 302)
    assert_handled(response, "feedback")
    if response.status_code == 302:
        assert response["Location"].startswith("/")
    for url in (
        reverse("opportunities:today", args=[alice_brand.pk]),
        reverse("workspace:plan", args=[alice_brand.pk]),
    ):
        page = alice_client.get(url)
        assert page.status_code == 200
        assert_handled(page, url)
    assert "\x00" not in "".join(IdeaFeedback.objects.values_list("reason_text", flat=True))


@HOSTILE
@given(month=hostile_text)
def test_the_plan_takes_any_month(alice_client, alice_brand, month):
    response = alice_client.get(
        f"{reverse('workspace:plan', args=[alice_brand.pk])}?month={quoted(month)}"
    )
    assert response.status_code == 200
    assert_handled(response, "plan")


@HOSTILE
@given(platform=hostile_text, pillar=hostile_text, state=hostile_text)
def test_the_board_takes_any_filter(alice_client, alice_brand, board, platform, pillar, state):
    query = f"platform={quoted(platform)}&pillar={quoted(pillar)}&state={quoted(state)}"
    response = alice_client.get(f"{reverse('opportunities:today', args=[alice_brand.pk])}?{query}")
    assert response.status_code == 200
    assert_handled(response, "today with filters")


def test_markup_in_ideas_and_reasons_is_shown_as_text(alice_client, alice_brand, board):
    board[0].title = "<script>alert('title')</script>"
    board[0].save()
    decide(alice_brand, board[0], IdeaState.SAVED)
    decide(
        alice_brand,
        board[1],
        IdeaState.DISMISSED,
        reason="other",
        reason_text="<img src=x onerror=alert(1)>",
    )
    for url in (
        reverse("opportunities:today", args=[alice_brand.pk]),
        reverse("workspace:plan", args=[alice_brand.pk]),
    ):
        html = alice_client.get(url).content.decode()
        assert_handled(alice_client.get(url), url)
        assert "&lt;script&gt;alert(" in html
    board_html = alice_client.get(
        reverse("opportunities:today", args=[alice_brand.pk])
    ).content.decode()
    assert "Not for us: &lt;img src=x onerror=alert(1)&gt;" in board_html
