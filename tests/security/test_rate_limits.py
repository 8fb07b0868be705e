"""Brute force and flooding: login, /admin/login/, sign-up, password reset and magic links
are limited per client address and per email, the address is the one the trusted proxy
saw (never one the client wrote into X-Forwarded-For), and a burst of parallel attempts
gets exactly as far as the limit (users/ratelimit.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client, RequestFactory

from tests.support.accounts import PASSWORD
from users import ratelimit
from users.models import AttemptCounter

pytestmark = pytest.mark.django_db

RAILWAY_EDGE = "10.0.0.7"  # REMOTE_ADDR: the proxy in front of the app
CLIENT = "203.0.113.9"  # what the proxy appended: the real client


def via_proxy(invented: str = "") -> dict[str, str]:
    """Headers of a request through one proxy that appends the client's address; the
    client itself wrote `invented` (spoofed hops) into X-Forwarded-For first."""
    chain = f"{invented}, {CLIENT}" if invented else CLIENT
    return {"REMOTE_ADDR": RAILWAY_EDGE, "HTTP_X_FORWARDED_FOR": chain}


def wrong_login(client: Client, email: str, **meta) -> int:
    return client.post("/login", {"email": email, "password": "not-it-at-all"}, **meta).status_code


def ip_of(**meta) -> str:
    return ratelimit.client_ip(RequestFactory().get("/", **meta))


# --- the client address ---------------------------------------------------------------------
def test_invented_forwarding_hops_do_not_buy_more_attempts(db, settings):
    settings.LOGIN_RATE_LIMIT = 5
    statuses = [
        wrong_login(Client(), f"user{n}@example.com", **via_proxy(f"198.51.100.{n}, 10.9.9.{n}"))
        for n in range(25)
    ]
    assert statuses == [400] * 5 + [429] * 20  # one client, whatever it claims


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (1, via_proxy(), CLIENT),
        (1, via_proxy("1.2.3.4"), CLIENT),
        (1, via_proxy("1.2.3.4, 5.6.7.8"), CLIENT),
        (0, via_proxy("1.2.3.4"), RAILWAY_EDGE),  # no proxy trusted: the header is ignored
        (
            2,
            {"REMOTE_ADDR": "10.0.0.7", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 9.9.9.9, 172.16.0.2"},
            "9.9.9.9",
        ),
        (1, {"REMOTE_ADDR": RAILWAY_EDGE}, RAILWAY_EDGE),  # no header: the peer
        (1, {"REMOTE_ADDR": RAILWAY_EDGE, "HTTP_X_FORWARDED_FOR": "junk, not-an-ip"}, RAILWAY_EDGE),
        (1, {"REMOTE_ADDR": RAILWAY_EDGE, "HTTP_X_FORWARDED_FOR": " , "}, RAILWAY_EDGE),
        (1, {"REMOTE_ADDR": RAILWAY_EDGE, "HTTP_X_FORWARDED_FOR": "::ffff:203.0.113.9"}, CLIENT),
    ],
    ids=[
        "plain",
        "one-invented",
        "two-invented",
        "zero-proxies",
        "two-proxies",
        "direct",
        "garbage",
        "empty",
        "ipv4-mapped",
    ],
)
def test_client_address_is_the_rightmost_untrusted_hop(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert ip_of(**meta) == expected


def test_an_ipv6_client_counts_as_its_whole_slash_64(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    a = ip_of(REMOTE_ADDR=RAILWAY_EDGE, HTTP_X_FORWARDED_FOR="2001:db8:1:2::1")
    b = ip_of(REMOTE_ADDR=RAILWAY_EDGE, HTTP_X_FORWARDED_FOR="2001:db8:1:2:ffff:1:2:3")
    c = ip_of(REMOTE_ADDR=RAILWAY_EDGE, HTTP_X_FORWARDED_FOR="2001:db8:1:3::1")
    assert a == b == "2001:db8:1:2::/64" != c


# --- login and the admin ----------------------------------------------------------------------
def test_one_account_is_limited_from_many_addresses(alice, settings):
    settings.LOGIN_RATE_LIMIT = 4
    statuses = [
        wrong_login(
            Client(), alice.email, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        )
        for n in range(6)
    ]
    assert statuses == [400] * 4 + [429] * 2
    right = Client().post("/login", {"email": alice.email, "password": PASSWORD})
    assert right.status_code == 429  # even the right password waits out the window


def test_admin_login_never_checks_a_password(alice, settings):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client = Client()
    for _ in range(30):
        response = client.post("/admin/login/", {"username": alice.email, "password": "nope"})
        assert response.status_code == 302
        assert response["Location"] == "/login?next=%2Fadmin%2F"
    response = client.post("/admin/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/login?")
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_admin_brute_force_through_the_login_is_stopped(alice, settings):
    settings.LOGIN_RATE_LIMIT = 10
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client = Client()
    statuses = [wrong_login(client, alice.email) for _ in range(30)]
    assert statuses.count(400) == 10 and statuses[10:] == [429] * 20
    response = client.post("/login?next=/admin/", {"email": alice.email, "password": PASSWORD})
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_staff_reach_the_admin_through_the_app_login(alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client = Client()
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/login?next=%2Fadmin%2F"
    response = client.post(
        "/login?next=/admin/", {"email": alice.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_non_staff_at_the_admin_are_sent_home_not_in_circles(alice_client):
    response = alice_client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/brands/"
    assert b"no access to the admin" in response.content


def test_a_success_is_forgiven_so_an_office_is_limited_by_failures_only(alice, bob, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(10):  # ten colleagues behind one address sign in fine
        client = Client()
        assert (
            client.post("/login", {"email": alice.email, "password": PASSWORD}).status_code == 302
        )
    assert [wrong_login(Client(), bob.email) for _ in range(4)] == [400, 400, 400, 429]


@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_gets_exactly_as_far_as_the_limit(alice, settings):
    """Counting happens before the attempt, in one atomic statement: 24 attempts at once
    cannot all pass the check while the count is still low. (Each attempt counts the
    address and the email; under true parallelism the two counters can rank an attempt
    differently, so a burst may get slightly fewer than the limit through — never more.)"""
    settings.LOGIN_RATE_LIMIT = 5

    def attempt(_):
        try:
            return wrong_login(Client(), alice.email)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(24)))
    passed = statuses.count(400)
    assert 1 <= passed <= 5
    assert statuses.count(429) == 24 - passed


def test_counts_are_stored_as_hashes_not_addresses(alice):
    wrong_login(Client(), alice.email, **via_proxy())
    keys = list(AttemptCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(len(k) == 64 and CLIENT not in k and "alice" not in k for k in keys)


# --- sign-up, reset and magic links (Supabase mode) ----------------------------------------
def test_sign_up_is_limited_per_address_and_per_email(supabase_auth):
    statuses = [
        Client()
        .post("/signup", {"email": f"new{n}@example.com", "password": PASSWORD}, **via_proxy())
        .status_code
        for n in range(ratelimit.SIGNUP.per_ip + 3)
    ]
    assert statuses == [200] * ratelimit.SIGNUP.per_ip + [429] * 3
    assert len(supabase_auth.requests_to("/signup")) == ratelimit.SIGNUP.per_ip
    same_email = [
        Client()
        .post(
            "/signup",
            {"email": "target@example.com", "password": PASSWORD},
            REMOTE_ADDR=RAILWAY_EDGE,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        .status_code
        for n in range(ratelimit.SIGNUP.per_email + 2)
    ]
    assert same_email == [200] * ratelimit.SIGNUP.per_email + [429] * 2


def test_password_reset_is_limited_per_address_and_per_email(supabase_auth):
    carol = supabase_auth.add_user("carol@example.com", PASSWORD)

    def forgot(email, **meta):
        return Client().post("/auth/forgot-password", {"email": email}, **meta).status_code

    per_email = [forgot(carol.email, REMOTE_ADDR=f"192.0.2.{n}") for n in range(7)]
    assert per_email == [200] * ratelimit.PASSWORD_RESET.per_email + [429] * 2
    per_ip = [forgot(f"x{n}@example.com", **via_proxy()) for n in range(7)]
    assert per_ip == [200] * ratelimit.PASSWORD_RESET.per_ip + [429] * 2


def test_magic_links_are_limited_per_email(supabase_auth, alice):
    """Logging in at Supabase with the address of an unlinked account emails it a link;
    repeating that cannot flood the inbox (nor spend Supabase's email quota)."""
    supabase_auth.add_user(alice.email, "squatters-password")
    statuses = [
        Client()
        .post(
            "/login",
            {"email": alice.email, "password": "squatters-password"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        .status_code
        for n in range(5)
    ]
    assert statuses == [200] * ratelimit.MAGIC_LINK.per_email + [429] * 2
    assert len(supabase_auth.requests_to("/otp")) == ratelimit.MAGIC_LINK.per_email
