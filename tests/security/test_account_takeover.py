"""Account takeover by email in Supabase mode: signing up (or logging in) at Supabase with
the address of an existing Kairo account must never hand over that account — with
Supabase's "Confirm email" on or off. Only a link emailed to the address, followed by
choosing the password, links it (users/linking.py); staff never that way."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client

from brands.models import Brand
from tests.support.accounts import PASSWORD, stored_tokens
from users.models import User

ATTACKER_PASSWORD = "attacker-chose-this-one"
OWNER_NEW_PASSWORD = "owners-own-new-passphrase"
KEYS_API = "/api/user/api-keys/"


@pytest.fixture
def admin(db) -> User:
    user = User.objects.create_superuser("admin@example.com", PASSWORD)
    Brand.objects.create(owner=user, name="Admin Secret Brand")
    return user


@pytest.fixture
def owner(db) -> User:
    """A Kairo account from before Supabase mode (local password, no Supabase link)."""
    user = User.objects.create_user("owner@example.com", PASSWORD)
    Brand.objects.create(owner=user, name="Owner Private Brand")
    return user


def sign_up(email: str, password: str = ATTACKER_PASSWORD) -> tuple[Client, object]:
    client = Client()
    return client, client.post("/signup", {"email": email, "password": password})


def bearer_status(token: str) -> int:
    return Client().get(KEYS_API, HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def assert_not_signed_in(client: Client) -> None:
    assert stored_tokens(client) is None
    assert client.get("/brands/").status_code == 302
    assert client.get("/admin/").status_code == 302


def attacker_token(fake, email: str) -> str:
    """What the attacker holds: an access token of the Supabase account they registered."""
    return fake.mint(fake.users[email])


@pytest.mark.parametrize("confirm_email", [True, False], ids=["confirm-on", "confirm-off"])
def test_signing_up_with_the_admins_address_gets_nothing(supabase_auth, admin, confirm_email):
    supabase_auth.confirm_email = confirm_email
    client, response = sign_up(admin.email)
    assert response.status_code == 200
    assert b"Check your email" in response.content  # exactly as for a new address
    assert b"staff" not in response.content.lower()
    assert_not_signed_in(client)
    admin.refresh_from_db()
    assert admin.supabase_uid is None
    assert bearer_status(attacker_token(supabase_auth, admin.email)) == 401
    assert not [m for m in supabase_auth.outbox if m.type == "magiclink"]  # staff: no link


def test_logging_in_with_the_admins_address_gets_nothing(supabase_auth, admin):
    supabase_auth.confirm_email = False  # anyone can register any address
    sign_up(admin.email)
    client = Client()
    response = client.post("/login", {"email": admin.email, "password": ATTACKER_PASSWORD})
    assert response.status_code == 403
    assert b"link_supabase_account" in response.content
    assert_not_signed_in(client)
    assert User.objects.get(pk=admin.pk).supabase_uid is None
    assert not User.objects.exclude(pk=admin.pk).exists()  # no second account either


def test_an_emailed_link_does_not_link_a_staff_account_either(supabase_auth, admin):
    """Even with proof of the address, staff accounts are linked only by an operator."""
    sign_up(admin.email)
    [mail] = supabase_auth.outbox
    client = Client()
    response = client.get(f"/auth/confirm?token_hash={mail.token_hash}&type=signup")
    assert response.status_code == 403
    assert b"link_supabase_account" in response.content
    assert_not_signed_in(client)
    assert User.objects.get(pk=admin.pk).supabase_uid is None


@pytest.mark.parametrize("confirm_email", [True, False], ids=["confirm-on", "confirm-off"])
def test_an_ordinary_account_is_not_linked_by_sign_up(supabase_auth, owner, confirm_email):
    supabase_auth.confirm_email = confirm_email
    client, response = sign_up(owner.email)
    assert b"Check your email" in response.content
    assert b"already has a Kairo account" not in response.content  # no enumeration
    assert_not_signed_in(client)
    owner.refresh_from_db()
    assert owner.supabase_uid is None
    assert bearer_status(attacker_token(supabase_auth, owner.email)) == 401
    # What went out went to the owner's inbox, not to the person signing up.
    assert {m.email for m in supabase_auth.outbox} == {owner.email}


def test_password_login_at_supabase_only_emails_the_owner_a_link(supabase_auth, owner):
    supabase_auth.confirm_email = False
    sign_up(owner.email)
    client = Client()
    response = client.post("/login", {"email": owner.email, "password": ATTACKER_PASSWORD})
    assert response.status_code == 200
    assert b"open the link we just emailed" in response.content
    assert_not_signed_in(client)
    assert [m.type for m in supabase_auth.outbox].count("magiclink") == 2  # sign-up + login
    assert User.objects.get(pk=owner.pk).supabase_uid is None


def _open_newest_magic_link(fake) -> Client:
    mail = [m for m in fake.outbox if m.type == "magiclink"][-1]
    client = Client()
    response = client.get(f"/auth/confirm?token_hash={mail.token_hash}&type=magiclink")
    assert response.status_code == 302
    assert response["Location"] == "/auth/connect"
    return client


def test_the_owner_claims_the_account_and_the_squatter_is_shut_out(supabase_auth, owner):
    """Confirmation off: someone registered the owner's address at Supabase first and
    holds a session. The owner opens the emailed link and chooses a password: the
    account is theirs, and everything the squatter had stops working."""
    supabase_auth.confirm_email = False
    sign_up(owner.email)  # the squatter; Kairo emailed the owner a link
    remote = supabase_auth.users[owner.email]
    squatter_token = supabase_auth.mint(remote)  # issued before the link
    squatter_sessions = set(supabase_auth.sessions)
    assert squatter_sessions

    client = _open_newest_magic_link(supabase_auth)
    assert stored_tokens(client) is None  # nobody is logged in yet
    page = client.get("/auth/connect")
    assert page.status_code == 200 and owner.email.encode() in page.content
    response = client.post(
        "/auth/connect",
        {"new_password1": OWNER_NEW_PASSWORD, "new_password2": OWNER_NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert b"Owner Private Brand" in client.get("/brands/").content
    owner.refresh_from_db()
    assert str(owner.supabase_uid) == remote.id

    assert remote.password == OWNER_NEW_PASSWORD  # the squatter's password is gone
    assert not squatter_sessions & set(supabase_auth.sessions)  # their sessions ended
    assert bearer_status(squatter_token) == 401  # and their earlier token is refused
    squatter = Client()
    attempt = squatter.post("/login", {"email": owner.email, "password": ATTACKER_PASSWORD})
    assert attempt.status_code == 400
    assert_not_signed_in(squatter)
    # Sign-ins from after the link work (the link is made two minutes old here).
    User.objects.filter(pk=owner.pk).update(
        supabase_linked_at=owner.supabase_linked_at - timedelta(minutes=2)
    )
    assert bearer_status(supabase_auth.mint(remote)) == 200


def test_confirmation_on_the_owner_signs_up_and_connects(supabase_auth, owner):
    """The owner of a pre-Supabase account signs up with the same password: opening the
    confirmation link and re-typing it connects the account (same_password is fine)."""
    sign_up(owner.email, password=PASSWORD)
    [mail] = supabase_auth.outbox
    client = Client()
    response = client.get(f"/auth/confirm?token_hash={mail.token_hash}&type=email")
    assert response["Location"] == "/auth/connect"
    response = client.post("/auth/connect", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert b"Owner Private Brand" in client.get("/brands/").content
    assert User.objects.get(pk=owner.pk).supabase_uid is not None


def test_connect_page_without_an_emailed_link_is_a_dead_end(supabase_auth, owner):
    response = Client().get("/auth/connect")
    assert response.status_code == 400
    assert b"expired" in response.content
    response = Client().post(
        "/auth/connect",
        {"new_password1": OWNER_NEW_PASSWORD, "new_password2": OWNER_NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert User.objects.get(pk=owner.pk).supabase_uid is None


def test_tokens_from_before_a_link_are_refused_except_the_proving_session(supabase_auth, owner):
    supabase_auth.confirm_email = False
    sign_up(owner.email)
    client = _open_newest_magic_link(supabase_auth)
    client.post(
        "/auth/connect",
        {"new_password1": OWNER_NEW_PASSWORD, "new_password2": OWNER_NEW_PASSWORD},
    )
    owner.refresh_from_db()
    remote = supabase_auth.users[owner.email]
    now = int(time.time())
    other_session = supabase_auth.mint(remote, iat=now - 5, exp=now + 3600)
    assert bearer_status(other_session) == 401
    proving = supabase_auth.mint(
        remote, iat=now - 5, exp=now + 3600, session_id=str(owner.supabase_link_session)
    )
    assert bearer_status(proving) == 200
    assert client.get("/brands/").status_code == 200  # the owner's session carries on
