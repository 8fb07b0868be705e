"""Nothing raw, ever: no page or partial shows template source (`{#`, `#}`, `{%`, `%}`,
`{{`, `}}`) — a two-line `{# #}` is printed as text, and so is a broken tag.

The owner walks every URL pattern of the project (tests/support/urls.py: a new view is
walked without editing this file) in every state the Today board can be in
(tests/support/board.py), with real objects for every parameter: GET plain and as HTMX,
then POST as HTMX and as a plain form. Partials only a meaningful POST reaches (a
regeneration starting, feedback on an idea, a key tested, a schedule saved…) are asked
for with real data, and emails and error pages are rendered too. At the end every
template under templates/ must have been rendered at least once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse

from brands.models import Brand
from kairo import errors
from opportunities.models import JobStatus
from schedules.emails import build_message, problem_from_failure, problem_parts
from tests.brands.helpers import submit
from tests.fakes.supabase_fixtures import configure_supabase
from tests.support.accounts import PASSWORD, expire_access_token, log_in
from tests.support.board import BOARD_STATES, build_board_state
from tests.support.keys import APIFY_TOKEN, OPENAI_KEY
from tests.support.pages import HTMX, assert_no_template_source, template_source_in
from tests.support.urls import PUBLIC_ROUTES, Route, project_routes, route_values, routes
from workspace.models import FeedbackChange

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Routes a walk signed in as the owner must not POST to: it would end the walk's session.
SESSION_ENDING = {"logout"}


@pytest.fixture
def rendered() -> Iterator[set[str]]:
    """The name of every template rendered while the test runs."""
    names: set[str] = set()

    def record(sender, template, context, **kwargs) -> None:
        names.add(template.name)

    template_rendered.connect(record)
    try:
        yield names
    finally:
        template_rendered.disconnect(record)


def check(response: HttpResponse, where: str) -> None:
    # 503 is a page too: "sign-in is unavailable, try again" (users/middleware.py).
    assert response.status_code < 500 or response.status_code == 503, (
        f"{where}: {response.status_code}"
    )
    if response.get("Content-Type", "").startswith("text/html"):
        assert_no_template_source(response, where)


def owner_client(brand: Brand) -> Client:
    client = Client()
    client.force_login(brand.owner)
    return client


def walk_as_owner(brand: Brand, state: str, walked: set[str]) -> None:
    made = build_board_state(brand, state)
    if state == "onboarding":  # every step answered, not compiled yet
        for step in ("basics", "sources", "details"):
            assert submit(owner_client(brand), brand, step).status_code == 302
    values = route_values(brand, job=made["job"], opportunity=made["opportunity"], all_steps=True)
    for route in routes(values, only_filled=True):
        walked.add(route.pattern)
        for headers in ({}, HTMX):
            where = f"[{state}] GET {route.url} {'(htmx)' if headers else ''}"
            check(owner_client(brand).get(route.url, **headers), where)
    for route in routes(values, only_filled=True):
        if route.pattern in SESSION_ENDING or route.is_admin:
            continue
        check(owner_client(brand).post(route.url, **HTMX), f"[{state}] POST {route.url} (htmx)")
        response = owner_client(brand).post(route.url, follow=True)
        check(response, f"[{state}] POST {route.url} (then its redirect)")


def post_the_meaningful_partials(brand: Brand, state: str) -> None:
    """What a user's real clicks get back, beyond the empty posts of the walk."""
    client = owner_client(brand)
    today = reverse("opportunities:today", args=[brand.pk])
    regenerate = reverse("opportunities:regenerate", args=[brand.pk])
    check(client.post(regenerate, **HTMX), f"[{state}] Regenerate (htmx)")
    check(client.post(regenerate, follow=True), f"[{state}] Regenerate (then the board)")
    check(client.get(today), f"[{state}] the board after Regenerate")
    for job in brand.jobs.all():  # each run's progress: polling, or the finished board
        progress = reverse("opportunities:job_progress", args=[brand.pk, job.pk])
        check(client.get(progress, **HTMX), f"[{state}] progress of a {job.status} run")
    if state != "finished":
        return
    idea = brand.opportunities.order_by("rank").first()
    feedback = reverse("workspace:feedback", args=[brand.pk, idea.pk])
    for data in (
        {"state": "saved"},
        {"state": "used", "planned_for": "2030-01-02"},
        {"state": "dismissed", "reason": "off_brand"},
        {"state": "dismissed"},  # without a reason: the row says what's missing
    ):
        check(client.post(feedback, data, **HTMX), f"feedback {data}")
    change = FeedbackChange.objects.filter(feedback__opportunity=idea).first()  # the latest
    undo = reverse("workspace:undo", args=[brand.pk, change.pk])
    check(client.post(undo, **HTMX), "undo (htmx)")
    check(client.post(undo, **HTMX), "undo again: nothing to undo (htmx)")
    schedule = reverse("schedules:schedule", args=[brand.pk])
    saved = {
        "enabled": "on",
        "local_time": "07:30",
        "time_zone": "Europe/Berlin",
        "days": "weekdays",
    }
    check(client.post(schedule, saved, **HTMX), "schedule saved (htmx)")
    check(client.post(schedule, {**saved, "local_time": "25:99"}, **HTMX), "schedule refused")
    feed = reverse("workspace:feed_settings", args=[brand.pk])
    for action in ("on", "rotate", "off"):
        check(client.post(feed, {"action": action}, follow=True), f"calendar feed {action}")
    send = reverse("schedules:send_digest_preview", args=[brand.pk])
    check(client.post(send, follow=True), "digest preview sent")
    for step in ("basics", "sources", "details"):
        check(submit(client, brand, step, follow=True), f"onboarding {step} saved")
    for field, value in (("website", "not a site"), ("instagram", "https://x.com/goodie")):
        step = "basics" if field == "website" else "sources"
        url = reverse("brands:onboarding_validate", args=[brand.pk, step])
        check(client.post(f"{url}?field={field}", {field: value}, **HTMX), f"validate {field}")


def test_no_page_or_partial_shows_template_source(
    alice, rendered, fake_apify, fake_openai, _supabase_doubles, _supabase_state, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    walked: set[str] = set()
    for state in BOARD_STATES:
        cache.clear()  # each state starts under the rate limits (key tests, previews)
        brand = Brand.objects.create(owner=alice, name=f"Goodie AI ({state})")
        walk_as_owner(brand, state, walked)
        post_the_meaningful_partials(brand, state)
    check_settings_partials(Brand.objects.filter(owner=alice).first())
    check_emails_and_error_pages(alice)
    walk_signed_out(alice.brands.first())
    supabase = configure_supabase(_supabase_doubles["ES256"], settings)
    walk_signed_out(alice.brands.first())
    check_supabase_pages(supabase, local_owner=alice)

    get_routes = {p for p in project_routes() if not p.startswith("admin/")}
    assert get_routes <= walked, f"never walked: {sorted(get_routes - walked)}"
    ours = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.*")}
    assert not ours - rendered, f"templates never rendered: {sorted(ours - rendered)}"


def check_settings_partials(brand: Brand) -> None:
    client = owner_client(brand)
    for provider, field, key in (
        ("apify", "apify_token", APIFY_TOKEN),
        ("openai", "openai_key", OPENAI_KEY),
    ):
        url = reverse("byok:test", args=[provider])
        check(client.post(url, {field: key}, **HTMX), f"test {provider} key (works)")
        check(client.post(url, {field: key[:-4] + "nope"}, **HTMX), f"test {provider} (fails)")
        # Saving the key that just failed its test asks first.
        failing = {field: key[:-4] + "nope"}
        check(client.post("/settings/", failing, **HTMX), f"save the failed {provider} key?")
    check(client.post("/settings/", {"openai_key": OPENAI_KEY}, **HTMX), "keys saved (htmx)")
    check(client.post("/settings/", {"openai_key": "sk-short"}, **HTMX), "keys refused (htmx)")
    check(client.post("/settings/model/", {"openai_model": "gpt-4o-mini"}, **HTMX), "model")
    check(client.post("/settings/model/refresh/", **HTMX), "model list refreshed")


def check_emails_and_error_pages(user) -> None:
    """Every email sent during the walk (digest preview, password reset) plus the one a
    failed scheduled run sends, in text and HTML; the error pages no view reaches."""
    failed = user.brands.filter(jobs__status=JobStatus.FAILED).first()
    problem = problem_from_failure(failed.jobs.get(status=JobStatus.FAILED))
    build_message(failed, problem_parts(failed, problem), user.email).send()
    Client().post("/password-reset/", {"email": user.email})
    sent = [(m.subject, m.body, *(body for body, _ in m.alternatives)) for m in mail.outbox]
    assert len(sent) >= 3
    for parts in sent:
        for text in parts:
            assert not template_source_in(text), f"an email shows template source: {text}"
    request = RequestFactory().get("/brands/")
    for page in (errors.bad_request(request), errors.server_error(request)):
        assert_no_template_source(page, f"error page {page.status_code}")
    check(Client().get("/no-such-page/"), "the logged-out 404 page")


def walk_signed_out(brand: Brand) -> None:
    """The pages anyone may open, as a visitor: opened, posted empty, posted filled in."""
    for route in routes(route_values(brand), only_filled=True):
        if route.pattern not in PUBLIC_ROUTES:
            continue
        check(Client().get(route.url), f"signed out: GET {route.url}")
        check(Client().post(route.url, follow=True), f"signed out: POST {route.url}")
        filled = {"email": "visitor@example.com", "password": "short"}
        check(Client().post(route.url, filled, follow=True), f"signed out: POST {route.url}")
    check(Client().get("/unsubscribe/not-a-token/"), "unsubscribe with a broken link")


def check_supabase_pages(fake, *, local_owner) -> None:
    """Supabase mode's own pages: check your email, links (used, recovery, connecting an
    account from before Supabase), choosing a password, sign-in unavailable."""
    email = "dana@example.com"
    check(Client().post("/signup", {"email": email, "password": PASSWORD}), "check your email")
    link = f"/auth/confirm?token_hash={fake.outbox[-1].token_hash}&type=signup"
    check(Client().get(link, follow=True), "the confirmation link")
    check(Client().get(link), "the confirmation link, used twice")
    check(Client().post("/auth/forgot-password", {"email": email}), "reset link sent")
    recovering = Client()
    recovering.get(f"/auth/confirm?token_hash={fake.outbox[-1].token_hash}&type=recovery")
    check(recovering.get("/auth/set-password"), "choose a new password")
    mismatch = {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"}
    check(recovering.post("/auth/set-password", mismatch), "new passwords that differ")

    fake.confirm_email = False  # the owner of a local account signs up at Supabase
    Client().post("/signup", {"email": local_owner.email, "password": PASSWORD})
    magic = [m for m in fake.outbox if m.type == "magiclink"][-1]
    connecting = Client()
    connecting.get(f"/auth/confirm?token_hash={magic.token_hash}&type=magiclink")
    check(connecting.get("/auth/connect"), "connect your account")

    signed_in = log_in(email)
    expire_access_token(signed_in, fake, email)
    fake.rate_limited.add("token")  # the session can't be refreshed just now
    unavailable = signed_in.get("/brands/")
    assert unavailable.status_code == 503
    check(unavailable, "sign-in unavailable")
    fake.rate_limited.clear()


def test_the_walk_fills_every_parameter_with_a_real_object(alice):
    brand = Brand.objects.create(owner=alice, name="Goodie AI")
    made = build_board_state(brand, "finished")
    values = route_values(brand, job=made["job"], opportunity=made["opportunity"])
    walked = routes(values)
    assert {r.pattern for r in walked} == set(project_routes())
    for route in walked:
        assert isinstance(route, Route) and "<" not in route.url, route.url
