"""A run uses the model the user picked: it reaches every chat completion request (with
`temperature` only where the model takes one), the job records it, and the run's cost
comes from that model's price."""

from __future__ import annotations

import pytest
from django.conf import settings

from byok.model_choice import choose_model, refresh_model_list
from byok.openai_models import cost_usd
from opportunities.models import JobStatus
from tests.support.pipeline import regenerate

pytestmark = pytest.mark.django_db(transaction=True)


def completions(fake_openai) -> list[dict]:
    return [r.json() for r in fake_openai.requests if r.path == "/v1/chat/completions"]


@pytest.fixture
def picks(keyed_alice, doubles):
    """Pick a model for Alice's runs the way Settings does (her key's list, then a pick)."""
    refresh_model_list(keyed_alice)

    def pick(model: str) -> None:
        choose_model(user=keyed_alice, model=model)

    return pick


def test_the_picked_model_writes_the_board_and_prices_the_run(
    keyed_alice, onboarded_brand, doubles, picks
):
    _, fake_openai = doubles
    picks("gpt-4o-mini")
    job = regenerate(onboarded_brand, keyed_alice)

    assert job.status == JobStatus.SUCCEEDED, (job.error_code, job.error_message)
    sent = completions(fake_openai)
    assert len(sent) == settings.SYNTHESIS_PARALLEL_CALLS
    assert {body["model"] for body in sent} == {"gpt-4o-mini"}
    assert {body["temperature"] for body in sent} == {0.4}
    assert job.openai_model == "gpt-4o-mini-2024-07-18"  # as OpenAI answered: the snapshot
    assert job.openai_cost_usd == cost_usd("gpt-4o-mini", job.prompt_tokens, job.completion_tokens)
    assert job.openai_cost_usd != cost_usd(
        settings.OPENAI_MODEL, job.prompt_tokens, job.completion_tokens
    )


def test_the_last_run_panel_names_the_model(
    keyed_alice, alice_client, onboarded_brand, doubles, picks
):
    picks("gpt-4o-mini")
    job = regenerate(onboarded_brand, keyed_alice)
    page = alice_client.get(f"/brands/{onboarded_brand.pk}/today/").content.decode()
    tokens = f"{job.prompt_tokens + job.completion_tokens:,}"
    assert f"({tokens} tokens on gpt-4o-mini-2024-07-18)" in page


def test_a_reasoning_model_is_asked_without_temperature(
    keyed_alice, onboarded_brand, doubles, picks
):
    _, fake_openai = doubles
    picks("gpt-5-mini")  # the double refuses any temperature but 1 for it, as OpenAI does
    job = regenerate(onboarded_brand, keyed_alice)

    assert job.status == JobStatus.SUCCEEDED, (job.error_code, job.error_message)
    sent = completions(fake_openai)
    assert {body["model"] for body in sent} == {"gpt-5-mini"}
    assert not any("temperature" in body for body in sent)
    assert job.openai_model == "gpt-5-mini"
    assert job.openai_cost_usd == cost_usd("gpt-5-mini", job.prompt_tokens, job.completion_tokens)


def test_without_a_pick_runs_use_the_default(keyed_alice, onboarded_brand, doubles):
    _, fake_openai = doubles
    job = regenerate(onboarded_brand, keyed_alice)
    assert {body["model"] for body in completions(fake_openai)} == {settings.OPENAI_MODEL}
    assert job.openai_model == "gpt-4.1-mini-2025-04-14"


def test_one_users_pick_is_not_anothers(keyed_alice, bob, onboarded_brand, doubles, picks):
    """Bob's pick is his: Alice's run (her brand, her key) uses hers."""
    from byok.keys import save_user_keys
    from tests.fakes.apify import VALID_TOKEN
    from tests.support.snapshots import make_snapshot

    _, fake_openai = doubles
    picks("gpt-4o")
    bob_key = "sk-proj-" + "BobsOwnKey0000" * 4 + "9tYA"
    save_user_keys(user=bob, changes={"apify_token": VALID_TOKEN, "openai_key": bob_key})
    refresh_model_list(bob)
    choose_model(user=bob, model="gpt-4.1-nano")
    bobs_brand = bob.brands.create(name="Bob's Bakes")
    make_snapshot(bobs_brand)

    regenerate(onboarded_brand, keyed_alice)
    regenerate(bobs_brand, bob)

    by_key: dict[str, set[str]] = {}
    for request in fake_openai.requests:
        if request.path == "/v1/chat/completions":
            by_key.setdefault(request.headers["authorization"], set()).add(request.json()["model"])
    assert by_key[f"Bearer {bob_key}"] == {"gpt-4.1-nano"}
    assert len(by_key) == 2 and {"gpt-4o"} in by_key.values()
