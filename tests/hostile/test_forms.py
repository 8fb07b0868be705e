"""Every form, fuzzed: sign-up, login, password reset, new brand, each onboarding step and
its live validation, the Settings forms and Regenerate. Never a 500, a 4xx says why, and
whatever was saved is shown escaped on the pages that show it."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from brands.models import Brand
from kairo.forms import NULL_CHARACTERS
from tests.brands.helpers import BASICS, DETAILS, SOURCES, complete_onboarding
from tests.support.accounts import PASSWORD
from tests.support.hostile import (
    HOSTILE,
    assert_handled,
    hostile_text,
    post_form,
    quoted,
    value_or_hostile,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
STEP_ANSWERS = {"basics": BASICS, "sources": SOURCES, "details": DETAILS}
htmx_or_not = st.sampled_from([{}, HTMX])


def answers_strategy(valid: dict[str, str]):
    """The step's valid answers with any of them swapped for hostile text, an extra
    unknown field, and sometimes a repeated field (a list where one value is expected)."""
    fields = st.fixed_dictionaries({name: value_or_hostile(v) for name, v in valid.items()})
    extras = st.dictionaries(st.text(min_size=1, max_size=10), hostile_text, max_size=2)
    repeated = st.sampled_from(sorted(valid)).flatmap(
        lambda name: st.fixed_dictionaries({name: st.lists(hostile_text, min_size=2, max_size=3)})
    )
    return st.builds(
        lambda f, e, r: {**e, **f, **r}, fields, extras, st.one_of(st.just({}), repeated)
    )


@pytest.fixture
def onboarded(alice_client, alice_brand) -> Brand:
    complete_onboarding(alice_client, alice_brand)
    return alice_brand


def pages_showing(brand: Brand) -> list[str]:
    base = f"/brands/{brand.pk}"
    return [
        "/brands/",
        f"{base}/",
        f"{base}/today/",
        *(f"{base}/onboarding/{step}/" for step in ("basics", "sources", "details", "compile")),
    ]


def assert_pages_escaped(client: Client, brand: Brand) -> None:
    for url in pages_showing(brand):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_handled(response, url)


@HOSTILE
@given(email=hostile_text, password=hostile_text, htmx=htmx_or_not)
def test_signup(db, email, password, htmx):
    client = Client()
    response = post_form(client, "/signup", {"email": email, "password": password}, **htmx)
    assert response.status_code in (200, 302, 400), response.status_code
    assert_handled(response, "signup")
    if response.status_code == 302:
        assert_handled(client.get("/brands/"), "brand list after signup")


@HOSTILE
@given(
    email=value_or_hostile("alice@example.com"),
    password=value_or_hostile(PASSWORD),
    next_url=hostile_text,
)
def test_login(alice, email, password, next_url):
    client = Client()
    assert_handled(client.get(f"/login?next={quoted(next_url)}"), "login page with next")
    fields = {"email": email, "password": password, "next": next_url}
    response = post_form(client, f"/login?next={quoted(next_url)}", fields)
    assert response.status_code in (302, 400, 429), response.status_code
    assert_handled(response, "login")


@HOSTILE
@given(email=hostile_text, uid=hostile_text, token=hostile_text)
def test_password_reset(db, email, uid, token):
    client = Client()
    response = post_form(client, "/password-reset/", {"email": email})
    assert response.status_code in (302, 400, 429)
    assert_handled(response, "password reset request")
    if uid and token:
        response = client.get(f"/password-reset/{quoted(uid)}/{quoted(token)}/", follow=True)
        assert_handled(response, "password reset link")


@HOSTILE
@given(name=hostile_text, htmx=htmx_or_not)
def test_new_brand(alice_client, name, htmx):
    response = post_form(alice_client, "/brands/new/", {"name": name}, **htmx)
    assert response.status_code in (302, 400)
    assert_handled(response, "new brand")
    if response.status_code == 302:
        brand = Brand.objects.filter(owner__email="alice@example.com").latest("created_at")
        assert_pages_escaped(alice_client, brand)


@pytest.mark.parametrize("step", ["basics", "sources", "details"])
def test_onboarding_step(alice_client, onboarded, step):
    url = f"/brands/{onboarded.pk}/onboarding/{step}/"

    @HOSTILE
    @given(answers=answers_strategy(STEP_ANSWERS[step]), back=st.booleans(), htmx=htmx_or_not)
    def post_step(answers, back, htmx):
        if back:
            answers = {**answers, "action": "back"}
        response = post_form(alice_client, url, answers, **htmx)
        assert response.status_code in (302, 400)
        assert_handled(response, f"onboarding {step}")  # a 400 re-renders what was sent
        if response.status_code == 302:
            assert_pages_escaped(alice_client, onboarded)

    post_step()
    # Whatever was saved still compiles (or says what is missing) and renders escaped.
    response = alice_client.post(f"/brands/{onboarded.pk}/onboarding/compile/", follow=True)
    assert_handled(response, "compile")


@pytest.mark.parametrize("step", ["basics", "sources", "details"])
def test_live_validation(alice_client, onboarded, step):
    valid = STEP_ANSWERS[step]
    url = f"/brands/{onboarded.pk}/onboarding/{step}/validate/"

    @HOSTILE
    @given(
        answers=answers_strategy(valid),
        field=st.one_of(st.sampled_from(sorted(valid)), hostile_text),
        trigger=st.one_of(st.none(), hostile_text.filter(lambda t: t.isprintable())),
    )
    def validate(answers, field, trigger):
        headers = dict(HTMX)
        if trigger is not None and trigger.isascii():
            headers["HTTP_HX_TRIGGER_NAME"] = trigger
        response = post_form(alice_client, f"{url}?field={quoted(field)}", answers, **headers)
        assert response.status_code in (200, 400)
        assert_handled(response, f"live validation {step}")

    validate()


@HOSTILE
@given(apify=hostile_text, openai=hostile_text, htmx=htmx_or_not)
def test_settings_keys_form(alice_client, apify, openai, htmx):
    response = post_form(
        alice_client, "/settings/", {"apify_token": apify, "openai_key": openai}, **htmx
    )
    assert response.status_code in (200, 302, 400)
    assert_handled(response, "settings")
    assert_handled(alice_client.get("/settings/"), "settings page")


@HOSTILE
@given(
    provider=st.one_of(st.sampled_from(["apify", "openai"]), hostile_text),
    typed=hostile_text,
    htmx=htmx_or_not,
)
def test_settings_connection_test_and_remove(
    alice_client, fake_apify, fake_openai, provider, typed, htmx
):
    base = f"/settings/keys/{quoted(provider)}" if provider else "/settings/keys/x"
    fields = {"apify_token": typed, "openai_key": typed}
    response = post_form(alice_client, f"{base}/test/", fields, **htmx)
    assert response.status_code in (200, 404)
    assert_handled(response, "connection test")
    response = post_form(alice_client, f"{base}/remove/", fields, **htmx)
    assert response.status_code in (302, 404)
    assert_handled(response, "remove key")


@HOSTILE
@given(junk=st.dictionaries(hostile_text, hostile_text, max_size=3), htmx=htmx_or_not)
def test_regenerate_ignores_whatever_is_posted(alice_client, onboarded, junk, htmx):
    response = post_form(alice_client, f"/brands/{onboarded.pk}/regenerate/", junk, **htmx)
    assert response.status_code in (200, 302)
    assert_handled(response, "regenerate")


def test_stored_payloads_render_escaped_on_every_page(alice_client, alice_brand):
    """Deterministic companion of the properties above: markup that passes validation in
    every free-text field is stored, compiled, and shown as text wherever it appears."""
    answers = {
        "basics": {
            **BASICS,
            "name": "<script>alert('name')</script>",
            "positioning": "<img src=x onerror=alert('positioning')> we help brands rank",
            "audience": '"><svg/onload=alert(1)> marketers',
        },
        "sources": SOURCES,
        "details": {
            **DETAILS,
            "pillars": "<script>alert('pillar')</script>\n<b onmouseover=alert(2)>Growth</b>",
            "keywords": "<img src=x onerror=alert('kw')>",
            "competitors": "</textarea><script>alert(3)</script>",
            "tone": "<script>alert('tone')</script>",
            "avoid": "<iframe src=javascript:alert(4)>",
        },
    }
    for step, fields in answers.items():
        response = post_form(alice_client, f"/brands/{alice_brand.pk}/onboarding/{step}/", fields)
        assert response.status_code == 302, (step, response.content[:500])
    compiled = alice_client.post(f"/brands/{alice_brand.pk}/onboarding/compile/")
    assert compiled.status_code == 302
    pages = [*pages_showing(alice_brand), f"/brands/{alice_brand.pk}/snapshots/1/"]
    shown = 0
    for url in pages:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert_handled(response, url)
        shown += "&lt;script&gt;alert(" in response.content.decode()
    assert shown >= len(pages) - 1  # the payloads really are on the pages, as text


@pytest.mark.parametrize("step, field", [("basics", "positioning"), ("details", "pillars")])
def test_nul_characters_are_refused_not_stored(alice_client, onboarded, step, field):
    """PostgreSQL can store no NUL in text or JSON: refused with a message (CI runs this
    on PostgreSQL, where storing one would be a 500)."""
    fields = {**STEP_ANSWERS[step], field: "Growth stories\x00\nMore growth\x00 ideas"}
    response = post_form(alice_client, f"/brands/{onboarded.pk}/onboarding/{step}/", fields)
    assert response.status_code == 400
    assert NULL_CHARACTERS in response.content.decode()
    assert alice_client.get(f"/brands/{onboarded.pk}/onboarding/{step}/").status_code == 200
