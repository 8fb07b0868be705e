"""Login: no session fixation, no open redirect (a property over hostile `next` values,
encoded and unencoded, in the query and the form, signed in or not)."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.support.accounts import PASSWORD
from tests.support.hostile import HOSTILE

pytestmark = pytest.mark.django_db

OFFSITE = [
    "//evil.example",
    "//evil.example/brands/",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/login",
    "HTTPS://EVIL.EXAMPLE",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "https://testserver@evil.example/",
    "https://evil.example#@testserver",
    "https://evil.example\\@testserver",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "%5C%5Cevil.example",
    "https%3A%2F%2Fevil.example",
    "\x00//evil.example",
    "\u3002evil.example",
    "//evil%E3%80%82example",
]


def assert_stays_on_site(location: str) -> None:
    """Where a browser would go: characters browsers drop or read as "/" are refused
    outright, and what is left must resolve to this site."""
    assert not any(ch in location for ch in "\\\t\r\n\x00"), location
    assert not location.lstrip().startswith("//"), location
    resolved = urlsplit(urljoin("https://testserver/login", location))
    assert (resolved.scheme, resolved.netloc) == ("https", "testserver"), location


def log_in(client: Client, next_url: str, *, in_query: bool):
    url = f"/login?next={quote(next_url)}" if in_query else "/login"
    return client.post(url, {"email": "alice@example.com", "password": PASSWORD, "next": next_url})


@pytest.mark.parametrize("in_query", [True, False], ids=["query", "form"])
@pytest.mark.parametrize("target", OFFSITE)
def test_offsite_next_is_never_followed(alice, target, in_query):
    response = log_in(Client(), target, in_query=in_query)
    assert response.status_code == 302
    assert_stays_on_site(response["Location"])


@pytest.mark.parametrize("target", OFFSITE[:8])
def test_signed_in_visit_to_login_does_not_redirect_offsite(alice_client, target):
    response = alice_client.get(f"/login?next={quote(target)}")
    assert response.status_code == 302
    assert_stays_on_site(response["Location"])


@HOSTILE
@given(
    target=st.one_of(
        st.text(max_size=60),
        st.builds(lambda a, b: a + b, st.sampled_from(OFFSITE), st.text(max_size=10)),
        st.sampled_from(OFFSITE).map(quote),
    )
)
def test_any_next_lands_on_this_site(alice, target):
    response = log_in(Client(), target, in_query=True)
    assert response.status_code == 302
    assert_stays_on_site(response["Location"])


def test_an_onsite_next_is_kept(alice):
    response = log_in(Client(), "/settings/?tab=keys", in_query=True)
    assert response["Location"] == "/settings/?tab=keys"


def test_session_key_changes_at_login_and_old_session_is_dead(alice):
    client = Client()
    client.get("/login")
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted_key = session.session_key
    client.cookies["sessionid"] = planted_key

    assert log_in(client, "/brands/", in_query=False).status_code == 302
    new_key = client.cookies["sessionid"].value
    assert new_key != planted_key
    # The attacker still holding the planted key is not signed in.
    attacker = Client()
    attacker.cookies["sessionid"] = planted_key
    assert attacker.get("/brands/").status_code == 302


def test_session_key_changes_at_signup(db):
    client = Client()
    session = client.session
    session["planted"] = "x"
    session.save()
    planted_key = session.session_key
    client.cookies["sessionid"] = planted_key
    response = client.post("/signup", {"email": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != planted_key


def test_logout_kills_the_session_server_side(alice):
    client = Client()
    log_in(client, "/brands/", in_query=False)
    stolen = client.cookies["sessionid"].value
    client.post("/logout")
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get("/brands/").status_code == 302
