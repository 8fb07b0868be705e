"""Local-mode password reset, end to end with the locmem email backend."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from tests.support.accounts import PASSWORD
from users.forms import CredentialsForm
from users.models import User
from users.password_reset import password_reset
from users.ratelimit import PASSWORD_RESET

NEW_PASSWORD = "violet-lantern-harbour-42"
LINK = re.compile(r"https?://[^/\s]+(/password-reset/[^\s]+/[^\s]+/)")


def request_reset(client: Client, email: str):
    return client.post("/password-reset/", {"email": email})


def reset_link(mail) -> str:
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def test_login_page_links_to_reset(db):
    html = Client().get("/login").content.decode()
    assert 'href="/password-reset/"' in html
    assert "Forgot password?" in html


def test_reset_form_has_labelled_email_field(db):
    response = Client().get("/password-reset/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_email">' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_full_reset_flow_sets_a_new_password(alice, mailoutbox):
    client = Client()
    response = request_reset(client, "ALICE@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.com"]
    assert mail.subject == "Reset your Kairo password"

    # Django swaps the token in the URL for one kept in the session, then shows the form.
    response = client.get(reset_link(mail))
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert set_password_url.endswith("/set-password/")
    assert "Choose a new password" in client.get(set_password_url).content.decode()

    mismatch = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert mismatch.status_code == 200
    assert "The two passwords aren&#x27;t the same" in mismatch.content.decode()

    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == "/password-reset/done/"
    assert "Your password is set" in client.get(done["Location"]).content.decode()

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(PASSWORD)
    login = Client().post("/login", {"email": "alice@example.com", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_link_works_only_once(alice, mailoutbox):
    request_reset(Client(), alice.email)
    link = reset_link(mailoutbox[0])
    first = Client()
    set_password_url = first.get(link)["Location"]
    first.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    reused = Client().get(link, follow=True)
    assert reused.status_code == 200
    assert "This link no longer works" in reused.content.decode()


def test_weak_password_is_refused_next_to_the_field(alice, mailoutbox):
    request_reset(Client(), alice.email)
    client = Client()
    set_password_url = client.get(reset_link(mailoutbox[0]))["Location"]
    response = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "field has-error" in html
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_unknown_email_looks_the_same_and_sends_nothing(db, mailoutbox):
    response = request_reset(Client(), "nobody@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert mailoutbox == []


def test_account_without_password_can_set_its_first_one(db, mailoutbox):
    # What migrate_goodie creates in local mode.
    user = User.objects.create_user(email="owner@example.com")
    assert not user.has_usable_password()
    request_reset(Client(), "owner@example.com")
    assert len(mailoutbox) == 1
    client = Client()
    set_password_url = client.get(reset_link(mailoutbox[0]))["Location"]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_inactive_account_gets_no_email(db, mailoutbox):
    User.objects.create_user(email="gone@example.com", password=PASSWORD, is_active=False)
    request_reset(Client(), "gone@example.com")
    assert mailoutbox == []


def test_invalid_email_is_a_400_with_the_error_by_the_field(db):
    response = request_reset(Client(), "not-an-email")
    assert response.status_code == 400
    assert "doesn&#x27;t look like an email address" in response.content.decode()


def test_requests_are_rate_limited(alice, mailoutbox):
    client = Client()
    for _ in range(PASSWORD_RESET.per_email):
        assert request_reset(client, alice.email).status_code == 302
    response = request_reset(client, alice.email)
    assert response.status_code == 429
    assert "Too many reset requests" in response.content.decode()
    assert len(mailoutbox) == PASSWORD_RESET.per_email


def test_supabase_mode_has_no_local_reset(db, settings):
    settings.AUTH_PROVIDER = "supabase"
    with pytest.raises(Http404):
        password_reset(RequestFactory().get("/password-reset/"))
    html = render_to_string(
        "users/login.html", {"form": CredentialsForm(), "AUTH_PROVIDER": "supabase"}
    )
    # The link goes to Supabase's recovery page instead of the local one.
    assert 'href="/password-reset/"' not in html
