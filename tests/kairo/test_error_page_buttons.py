"""The 400, 404 and 500 pages have the logo and one button that says where it goes:
"Go to sign in" signed out, "Go to your brands" signed in, Kairo's start page when the
page can't tell (it never loads the user itself)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from kairo.errors import bad_request, server_error

LOGO = '<svg class="logo"'


def buttons(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="btn btn-primary" href="([^"]+)">([^<]+)</a>', html)


def test_signed_out_404_has_the_logo_and_goes_to_sign_in(db):
    html = Client().get("/no-such-page/").content.decode()
    assert LOGO in html and "Kairo</span>" in html
    assert buttons(html) == [("/login", "Go to sign in")]
    assert "you need to sign in to see it" in html


def test_signed_in_404_goes_to_your_brands_under_the_top_bar(alice_client):
    html = alice_client.get("/no-such-page/").content.decode()
    assert buttons(html) == [("/brands/", "Go to your brands")]
    assert html.count(LOGO) == 1  # the top bar's; the page doesn't repeat it
    assert 'class="topbar"' in html


@pytest.mark.urls("tests.kairo.error_urls")
def test_500_has_the_logo_and_a_button_that_says_where_it_goes(db):
    html = Client(raise_request_exception=False).get("/smoke/error/").content.decode()
    assert LOGO in html
    assert len(buttons(html)) == 1


def test_error_pages_use_what_is_known_of_the_user_and_never_load_it(alice):
    request = RequestFactory().get("/x/")
    request.user = alice
    assert buttons(server_error(request).content.decode()) == [("/brands/", "Go to your brands")]
    request.user = AnonymousUser()
    assert buttons(bad_request(request, SuspiciousOperation()).content.decode()) == [
        ("/login", "Go to sign in")
    ]

    def load_user():
        raise AssertionError("an error page loaded the user")

    request.user = SimpleLazyObject(load_user)  # not loaded yet: the page must not ask
    html = server_error(request).content.decode()
    assert buttons(html) == [("/", "Go to Kairo's start page")]
    assert LOGO in html


def test_a_lazy_user_something_already_loaded_counts(alice):
    request = RequestFactory().get("/x/")
    request.user = SimpleLazyObject(lambda: alice)
    request._cached_user = alice  # what django.contrib.auth's middleware keeps once asked
    assert buttons(server_error(request).content.decode()) == [("/brands/", "Go to your brands")]
