"""The Today board's filters (platform, pillar, state) and its pillar balance panel."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.support.board import PILLARS
from tests.workspace.helpers import decide
from workspace.models import IdeaState

pytestmark = pytest.mark.django_db


def shown(client, brand, **params) -> list[str]:
    html = client.get(reverse("opportunities:today", args=[brand.pk]), params).content.decode()
    return re.findall(r'class="opp-title" id="opp-[^"]+-title">([^<]+)<', html)


def test_filters_by_platform_pillar_and_state(alice_client, alice_brand, board):
    decide(alice_brand, board[0], IdeaState.USED)
    decide(alice_brand, board[2], IdeaState.DISMISSED)
    assert shown(alice_client, alice_brand) == ["Idea 1", "Idea 2", "Idea 3"]
    assert shown(alice_client, alice_brand, platform="tiktok") == ["Idea 2"]
    assert shown(alice_client, alice_brand, pillar=PILLARS[1].upper()) == ["Idea 3"]
    assert shown(alice_client, alice_brand, state="used") == ["Idea 1"]
    assert shown(alice_client, alice_brand, state="new") == ["Idea 2"]
    assert shown(alice_client, alice_brand, state="dismissed", pillar=PILLARS[1]) == ["Idea 3"]
    assert shown(alice_client, alice_brand, platform="instagram", state="saved") == []


def test_the_form_keeps_the_choice_and_counts(alice_client, alice_brand, board):
    url = reverse("opportunities:today", args=[alice_brand.pk])
    html = alice_client.get(url, {"platform": "linkedin"}).content.decode()
    assert '<option value="linkedin" selected>LinkedIn</option>' in html
    assert "Showing 1 of 3 ideas." in html and "Show all</a>" in html
    assert f'hx-get="{url}" hx-target="#board-live" hx-select="#board-live"' in html


def test_unknown_values_mean_no_filter(alice_client, alice_brand, board):
    assert len(shown(alice_client, alice_brand, platform="myspace", state="maybe")) == 3


def test_nothing_matching_says_so_instead_of_an_empty_board(alice_client, alice_brand, board):
    url = reverse("opportunities:today", args=[alice_brand.pk])
    html = alice_client.get(url, {"state": "posted"}).content.decode()
    assert "No ideas match these filters." in html
    assert "No opportunities yet" not in html


def test_the_pillar_balance_panel(alice_client, alice_brand, board):
    decide(alice_brand, board[0], IdeaState.USED)
    decide(alice_brand, board[1], IdeaState.POSTED)
    html = alice_client.get(reverse("opportunities:today", args=[alice_brand.pk])).content.decode()
    assert "Pillar balance" in html
    assert re.search(rf"{PILLARS[0]}</span>.*?2 used", html, re.S)
    assert re.search(rf"{PILLARS[1]}</span>.*?0 used · <strong>under-served</strong>", html, re.S)
    assert f"The next regeneration asks for more {PILLARS[1]} ideas." in html


def test_sample_boards_have_no_actions_or_filters(alice_client, alice_brand):
    from tests.support.snapshots import make_snapshot

    make_snapshot(alice_brand)  # no keys: Demo Mode's sample cards
    html = alice_client.get(reverse("opportunities:today", args=[alice_brand.pk])).content.decode()
    assert "is-sample" in html
    assert "idea-actions" not in html and "Filter ideas" not in html
