"""opportunities/services.py: the one place that says whether a brand can regenerate now
(and why not), and that starts a regeneration (waking the runner once it commits)."""

from __future__ import annotations

import pytest

from brands.models import BrandBrainSnapshot
from opportunities import services
from opportunities.board import build_board
from opportunities.errors import JobErrorCode
from opportunities.models import JobTrigger, OpportunitiesJob
from tests.support.snapshots import SNAPSHOT

pytestmark = pytest.mark.django_db


def test_the_rules_in_order_onboarding_then_keys_then_scraping(alice, alice_brand, settings):
    settings.APIFY_ENABLED = False
    first = services.regeneration_blocker(alice_brand, alice)
    assert first is not None and first.code is JobErrorCode.ONBOARDING_INCOMPLETE
    assert "/onboarding/" in first.link_url

    BrandBrainSnapshot.objects.create(brand=alice_brand, version=1, data=SNAPSHOT)
    second = services.regeneration_blocker(alice_brand, alice)
    assert second is not None and second.code is JobErrorCode.MISSING_KEYS
    assert second.message == services.KEYS_MISSING_MESSAGE
    assert second.link_url == "/settings/"


def test_scraping_switched_off_blocks_once_keys_are_there(keyed_alice, onboarded_brand, settings):
    settings.APIFY_ENABLED = False
    blocked = services.regeneration_blocker(onboarded_brand, keyed_alice)
    assert blocked is not None and blocked.code is JobErrorCode.SCRAPING_DISABLED
    settings.APIFY_ENABLED = True
    assert services.regeneration_blocker(onboarded_brand, keyed_alice) is None


def test_the_board_button_follows_the_same_rule(alice, keyed_alice, onboarded_brand, settings):
    settings.APIFY_ENABLED = False
    board = build_board(onboarded_brand, keyed_alice)
    assert board.blocked == services.regeneration_blocker(onboarded_brand, keyed_alice)
    assert not board.can_regenerate
    settings.APIFY_ENABLED = True
    assert build_board(onboarded_brand, keyed_alice).can_regenerate


def test_starting_wakes_the_runner_once_committed_and_joins_an_active_run(
    keyed_alice, onboarded_brand, monkeypatch, django_capture_on_commit_callbacks
):
    woken: list[bool] = []
    monkeypatch.setattr(services, "wake_runner", lambda: woken.append(True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = services.start_regeneration(brand=onboarded_brand, user=keyed_alice)
    assert started.created and started.job.snapshot_version == 1
    assert woken == []  # not before the commit: the runner would not see the job yet
    for callback in callbacks:
        callback()
    assert woken == [True]

    with django_capture_on_commit_callbacks(execute=True):
        again = services.start_regeneration(
            brand=onboarded_brand, user=keyed_alice, trigger=JobTrigger.SCHEDULED
        )
    assert (again.job.pk, again.created) == (started.job.pk, False)
    assert woken == [True]  # nothing new to claim
    assert OpportunitiesJob.objects.count() == 1
