"""One error vocabulary (issue 19 §2): a provider's error is classified once and said in
the same words by Settings' Test Connection and by a run, and a run's failure is stored
as a `JobErrorCode`."""

from __future__ import annotations

import pytest

from byok.messages import message_for
from byok.providers import APIFY, OPENAI
from byok.validation import validate_key
from evidence.recipes import DEFAULT_EXECUTION_PLAN, get_recipe
from opportunities import jobs
from opportunities.errors import JobErrorCode, job_error
from opportunities.models import JobStatus, OpportunitiesJob
from opportunities.pipeline import run_job
from tests.fakes import openai as fake_openai_module
from tests.fakes.apify import VALID_TOKEN
from tests.support.keys import OPENAI_KEY

pytestmark = pytest.mark.django_db(transaction=True)
WORKER = "vocabulary-worker"
STAGE1_ACTORS = [get_recipe(recipe_id).stage1_actor for recipe_id in DEFAULT_EXECUTION_PLAN]


def regenerate(brand, user) -> OpportunitiesJob:
    job, _ = jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
    assert jobs.claim_next_job(WORKER) == job.pk
    run_job(job.pk, WORKER)
    job.refresh_from_db()
    return job


def test_billing_not_active_is_out_of_credit_for_settings_and_for_runs(
    keyed_alice, onboarded_brand, doubles, monkeypatch
):
    _, fake_openai = doubles
    body = {"message": "Billing is not active.", "type": "invalid_request_error", "param": None}
    monkeypatch.setitem(
        fake_openai_module.ERRORS,
        "billing_not_active",
        (400, {**body, "code": "billing_not_active"}),
    )
    fake_openai.fail_with = "billing_not_active"
    assert validate_key(OPENAI, OPENAI_KEY).status == "no_credit"

    fake_openai.fail_with = None
    fake_openai.fail_completions_with = "billing_not_active"
    job = regenerate(onboarded_brand, keyed_alice)
    assert job.status == JobStatus.FAILED
    assert job.error_code == JobErrorCode.OPENAI_NO_CREDIT
    assert job.error_message == message_for(OPENAI, "no_credit")  # the same words


def test_an_apify_account_out_of_credit_reads_the_same_in_settings_and_runs(
    keyed_alice, onboarded_brand, doubles
):
    fake_apify, fake_openai = doubles
    fake_apify.fail("users/me", 402, "not-enough-usage-to-run-paid-actor")
    settings_says = validate_key(APIFY, VALID_TOKEN)
    assert settings_says.status == "no_credit"

    for actor in STAGE1_ACTORS:
        fake_apify.fail(actor, 402, "not-enough-usage-to-run-paid-actor")
    job = regenerate(onboarded_brand, keyed_alice)
    assert job.status == JobStatus.FAILED
    assert job.error_code == JobErrorCode.APIFY_NO_CREDIT
    assert job.error_message == settings_says.message
    assert {row["message"] for row in job.recipes.values()} == {settings_says.message}
    assert fake_openai.completion_calls == 0


def test_every_code_a_job_stores_is_an_enumeration_member(keyed_alice, onboarded_brand, doubles):
    fake_apify, _ = doubles
    fake_apify.valid_tokens.clear()
    job = regenerate(onboarded_brand, keyed_alice)
    assert job_error(job.error_code) is JobErrorCode.APIFY_INVALID_TOKEN
    # Codes stored before the enumeration still read as their problem.
    assert job_error("out_of_credit") is JobErrorCode.APIFY_NO_CREDIT
    assert job_error("apify_failed") is JobErrorCode.SOURCES_FAILED
    assert job_error("something new") is None
