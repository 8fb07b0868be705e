"""The pre-onboarding guard other apps call before the Today board / regeneration."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from brands.onboarding import (
    ONBOARDING_REQUIRED_MESSAGE,
    first_unfinished_step_url,
    require_snapshot,
)
from brands.snapshots import compile_snapshot
from tests.brands.helpers import complete_onboarding, step_url, submit

pytestmark = pytest.mark.django_db


def test_guard_points_at_the_first_unfinished_step(alice_client, alice_brand):
    guard = require_snapshot(alice_brand)
    assert guard.message == "Complete BrandBrain onboarding first" == ONBOARDING_REQUIRED_MESSAGE
    assert (guard.step_label, guard.step_url) == ("Basics", step_url(alice_brand, "basics"))
    submit(alice_client, alice_brand, "basics")
    assert require_snapshot(alice_brand).step_url == step_url(alice_brand, "sources")
    submit(alice_client, alice_brand, "sources")
    submit(alice_client, alice_brand, "details")
    guard = require_snapshot(alice_brand)
    assert (guard.step_label, guard.step_url) == ("Compile", step_url(alice_brand, "compile"))


def test_guard_lifts_once_a_snapshot_exists(alice_client, alice_brand):
    complete_onboarding(alice_client, alice_brand, compile=False)
    assert require_snapshot(alice_brand) is not None
    compile_snapshot(alice_brand)
    assert require_snapshot(alice_brand) is None


def test_guard_stays_lifted_while_answers_are_edited(alice_client, alice_brand):
    """Editing after a compile must not block regeneration: the last snapshot is used."""
    complete_onboarding(alice_client, alice_brand)
    submit(alice_client, alice_brand, "details", {"pillars": "x"})  # invalid draft
    assert require_snapshot(alice_brand) is None


def test_guard_json_body(alice_brand):
    body = require_snapshot(alice_brand).as_dict()
    assert body == {
        "error": "onboarding_required",
        "message": "Complete BrandBrain onboarding first",
        "step": "Basics",
        "url": step_url(alice_brand, "basics"),
    }


def test_guard_partial_renders_message_and_link(alice_brand):
    html = render_to_string(
        "brands/partials/onboarding_required.html", {"guard": require_snapshot(alice_brand)}
    )
    assert "Complete BrandBrain onboarding first" in html
    assert f'href="{step_url(alice_brand, "basics")}"' in html


def test_brand_home_shows_the_guard_until_compiled(alice_client, alice_brand):
    page = alice_client.get(f"/brands/{alice_brand.pk}/").content.decode()
    assert "Complete BrandBrain onboarding first" in page
    assert "/today/" not in page
    complete_onboarding(alice_client, alice_brand)
    page = alice_client.get(f"/brands/{alice_brand.pk}/").content.decode()
    assert "Complete BrandBrain onboarding first" not in page
    assert f"/brands/{alice_brand.pk}/today/" in page


def test_first_unfinished_step_url_after_everything_is_compile(alice_client, alice_brand):
    complete_onboarding(alice_client, alice_brand)
    assert first_unfinished_step_url(alice_brand) == step_url(alice_brand, "compile")
