"""The board learns: what the marketer did on one board reaches the next regeneration's
prompt (titles, reasons, under-served pillars) and its scores (fit from your feedback),
end to end through the pipeline and the Apify/OpenAI doubles."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from opportunities.models import Opportunity
from opportunities.scoring import WEIGHTS
from tests.support.pipeline import regenerate
from tests.support.snapshots import SNAPSHOT
from tests.workspace.helpers import HTMX, decide, idea_like
from workspace.models import DismissReason, IdeaState

pytestmark = pytest.mark.django_db(transaction=True)
VISIBILITY, STRATEGY, ANALYTICS = SNAPSHOT["pillars"]


def prompts(fake_openai, since: int) -> list[str]:
    calls = [r for r in fake_openai.requests if r.path.endswith("/chat/completions")][since:]
    return [r.json()["messages"][1]["content"] for r in calls]


def completions(fake_openai) -> int:
    return sum(1 for r in fake_openai.requests if r.path.endswith("/chat/completions"))


def test_feedback_reaches_the_next_prompt_and_the_next_scores(
    keyed_alice, onboarded_brand, doubles
):
    _, fake_openai = doubles
    first = regenerate(onboarded_brand, keyed_alice)
    assert all("<feedback>" not in p for p in prompts(fake_openai, 0))
    board = list(Opportunity.objects.filter(job=first).order_by("rank"))
    assert all(o.score_parts["feedback_fit"] == 0.5 for o in board)  # nothing to learn yet

    # On the board: "Not for us" on the top idea, through the page, with a reason.
    client = Client()
    client.force_login(keyed_alice)
    response = client.post(
        reverse("workspace:feedback", args=[onboarded_brand.pk, board[0].pk]),
        {"state": "dismissed", "reason": "other", "reason_text": "Too salesy for us"},
        **HTMX,
    )
    assert response.status_code == 200
    # And a pattern: every recent AI search visibility reel dismissed, every Content
    # strategy reel used; nothing used for Marketing analytics.
    for n in range(3):
        decide(
            onboarded_brand,
            idea_like(onboarded_brand, f"Visibility {n}", pillar=VISIBILITY),
            IdeaState.DISMISSED,
            reason=DismissReason.OFF_BRAND,
        )
        decide(
            onboarded_brand,
            idea_like(onboarded_brand, f"Strategy {n}", pillar=STRATEGY),
            IdeaState.USED,
        )

    asked_before = completions(fake_openai)
    second = regenerate(onboarded_brand, keyed_alice)
    assert second.status == "succeeded"
    for prompt in prompts(fake_openai, asked_before):
        block = re.search(r"<feedback>\n(.*?)\n</feedback>", prompt, re.S).group(1)
        assert f'"dismissed": "{board[0].title}"' in block and "Too salesy for us" in block
        assert '"used": "Strategy 1 1"' in block and '"reason": "Off-brand"' in block
        assert f"ideas used in the last 14 days): {VISIBILITY}, {ANALYTICS}." in prompt

    moved = {VISIBILITY: 0, STRATEGY: 0}
    for idea in Opportunity.objects.filter(job=second):
        parts = idea.score_parts
        weighted = round(100 * sum(w * parts[k] for k, w in WEIGHTS.items()), 1)
        points = round(10 * (2 * parts["feedback_fit"] - 1), 1)
        assert idea.score == pytest.approx(max(0.0, min(100.0, weighted + points)), abs=0.11)
        if idea.pillar == VISIBILITY:
            assert parts["feedback_fit"] < 0.5 and parts["feedback_used"] == 0
            moved[VISIBILITY] += 1
        elif idea.pillar == STRATEGY:
            assert parts["feedback_fit"] > 0.5 and parts["feedback_used"] >= 3
            moved[STRATEGY] += 1
    assert moved[VISIBILITY] and moved[STRATEGY], moved

    # The board says so, in words, in "Why it scores".
    page = client.get(reverse("opportunities:today", args=[onboarded_brand.pk])).content.decode()
    assert "Fit from your feedback" in page
    assert re.search(rf"You dismissed all \d+ recent {VISIBILITY} ", page)
    # ("3 of 4" when the dismissed top idea was a Content strategy one too)
    assert re.search(rf"You used (all \d+|3 of 4) recent {STRATEGY} ", page)
