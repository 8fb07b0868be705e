"""Moving through the wizard: resume, Back, drafts, reachability, keyboard defaults."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from brands.models import Brand, OnboardingAnswers
from brands.onboarding import first_unfinished_step_url
from tests.brands.helpers import BASICS, complete_onboarding, step_url, submit

pytestmark = pytest.mark.django_db


def test_new_brand_lands_on_the_first_step(alice_client, alice):
    response = alice_client.post("/brands/new/", {"name": "Fresh Brand"})
    brand = Brand.objects.get(owner=alice)
    assert response["Location"] == f"/brands/{brand.pk}/onboarding/"
    assert alice_client.get(response["Location"])["Location"] == step_url(brand, "basics")


def test_each_step_goes_to_the_next(alice_client, alice_brand):
    assert submit(alice_client, alice_brand, "basics")["Location"] == step_url(
        alice_brand, "sources"
    )
    assert submit(alice_client, alice_brand, "sources")["Location"] == step_url(
        alice_brand, "details"
    )
    assert submit(alice_client, alice_brand, "details")["Location"] == step_url(
        alice_brand, "compile"
    )
    response = alice_client.post(step_url(alice_brand, "compile"))
    assert response["Location"] == reverse("opportunities:today", args=[alice_brand.pk])


def test_resume_after_leaving_midway(alice_client, alice_brand, alice):
    submit(alice_client, alice_brand, "basics")
    # "Tomorrow": a fresh session for the same user.
    from django.test import Client

    tomorrow = Client()
    tomorrow.force_login(alice)
    entry = tomorrow.get(f"/brands/{alice_brand.pk}/onboarding/")
    assert entry["Location"] == step_url(alice_brand, "sources")
    basics = tomorrow.get(step_url(alice_brand, "basics"))
    form = basics.context["form"]
    assert not form.is_bound
    assert form.initial["positioning"] == BASICS["positioning"]
    assert form.initial["industry"] == "software"
    assert "Goodie helps brands show up in AI search" in basics.content.decode()


def test_saved_lists_and_handles_come_back_prefilled(alice_client, alice_brand):
    complete_onboarding(alice_client, alice_brand, compile=False)
    details = alice_client.get(step_url(alice_brand, "details")).content.decode()
    assert "AI search visibility\nContent strategy</textarea>" in details
    assert "#AISearch" not in details and "#aisearch\n#seo</textarea>" in details
    sources = alice_client.get(step_url(alice_brand, "sources")).content.decode()
    assert 'value="@goodieai"' in sources
    assert 'value="https://www.linkedin.com/company/goodie-ai"' in sources


def test_invalid_submit_is_kept_as_a_draft_across_a_refresh(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    submit(alice_client, alice_brand, "sources")
    response = submit(alice_client, alice_brand, "details", {"pillars": "Twice\ntwice"})
    assert response.status_code == 400
    refreshed = alice_client.get(step_url(alice_brand, "details"))
    assert refreshed.status_code == 200
    assert refreshed.context["form"].data["pillars"] == "Twice\ntwice"
    assert "“twice” is listed twice." in refreshed.content.decode()
    # The saved step stays unfinished until it's valid.
    assert first_unfinished_step_url(alice_brand) == step_url(alice_brand, "details")


def test_back_saves_valid_answers_and_goes_to_the_previous_step(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    response = submit(
        alice_client, alice_brand, "sources", {"instagram": "@new.handle"}, action="back"
    )
    assert response["Location"] == step_url(alice_brand, "basics")
    page = alice_client.get(step_url(alice_brand, "sources")).content.decode()
    assert 'value="@new.handle"' in page


def test_back_with_errors_keeps_what_was_typed(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    submit(alice_client, alice_brand, "sources")
    response = submit(
        alice_client, alice_brand, "details", {"pillars": "Half typed, half typed"}, action="back"
    )
    assert response["Location"] == step_url(alice_brand, "sources")
    draft = OnboardingAnswers.objects.get(brand=alice_brand).drafts["details"]
    assert draft["pillars"] == "Half typed, half typed"
    details = alice_client.get(step_url(alice_brand, "details")).content.decode()
    assert "Half typed, half typed" in details


def test_fixing_a_step_clears_its_draft(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics", {"name": ""})
    assert "basics" in OnboardingAnswers.objects.get(brand=alice_brand).drafts
    submit(alice_client, alice_brand, "basics")
    assert OnboardingAnswers.objects.get(brand=alice_brand).drafts == {}


def test_later_steps_are_locked_until_earlier_ones_are_saved(alice_client, alice_brand):
    for step in ("sources", "details", "compile"):
        response = alice_client.get(step_url(alice_brand, step))
        assert response["Location"] == step_url(alice_brand, "basics"), step
    assert alice_client.post(step_url(alice_brand, "compile"))["Location"] == step_url(
        alice_brand, "basics"
    )


def test_unknown_step_is_404(alice_client, alice_brand):
    assert alice_client.get(step_url(alice_brand, "nope")).status_code == 404


def test_progress_bar_shows_where_the_user_is(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    page = alice_client.get(step_url(alice_brand, "sources")).content.decode()
    labels = re.findall(r'class="wizard-label">(\w+)<', page)
    assert labels == ["Basics", "Sources", "Details", "Compile"]
    assert 'data-step="2"' in page and 'aria-valuenow="2"' in page
    assert re.search(r'aria-current="step">.*?Sources', page)
    assert f'href="{step_url(alice_brand, "basics")}"' in page  # done: a link back
    assert f'href="{step_url(alice_brand, "details")}"' not in page  # locked: no link


def test_enter_submits_continue_not_back(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    page = alice_client.get(step_url(alice_brand, "sources")).content.decode()
    form = page[page.index("data-wizard-form") :]
    first_submit = re.search(r"<button type=\"submit\"[^>]*>", form).group(0)
    assert 'value="next"' in first_submit


def test_compile_page_summarizes_and_warns_about_unsaved_steps(alice_client, alice_brand):
    complete_onboarding(alice_client, alice_brand, compile=False)
    submit(alice_client, alice_brand, "details", {"pillars": "x, X"}, action="back")
    page = alice_client.get(step_url(alice_brand, "compile")).content.decode()
    assert "AI search visibility" in page and "Tech &amp; Electronics" in page
    assert "Details has changes that weren" in page
    assert "Brand: Goodie AI (Software)" in page  # the prompt brief preview
