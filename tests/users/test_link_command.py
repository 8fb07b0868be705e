"""`manage.py link_supabase_account`: the operator's way to link an existing account —
the only one for staff and superusers (users/linking.py)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.fakes.supabase_admin import SERVICE_KEY
from tests.support.accounts import PASSWORD
from users.models import User


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_superuser("admin@example.com", PASSWORD)


def link(*args: str) -> str:
    out = StringIO()
    call_command("link_supabase_account", *args, stdout=out)
    return out.getvalue()


def test_links_a_superuser_who_can_then_log_in_and_use_the_admin(supabase_admin, admin):
    remote = supabase_admin.add_user(admin.email, "admins-supabase-password")
    output = link("--email", admin.email, "--supabase-id", remote.id)
    assert "Kairo account: admin@example.com (superuser)" in output
    assert "Confirm email" in output  # the operator is reminded what they vouch for
    assert "Linked." in output
    [call] = supabase_admin.requests_to(f"/admin/users/{remote.id}")
    assert call.headers["authorization"] == f"Bearer {SERVICE_KEY}"
    admin.refresh_from_db()
    assert str(admin.supabase_uid) == remote.id and admin.supabase_link_session is None
    # Sessions of that Supabase account from before the link must log in again…
    early = supabase_admin.mint(remote, iat=int(time.time()) - 5)
    assert (
        Client().get("/api/user/api-keys/", HTTP_AUTHORIZATION=f"Bearer {early}").status_code == 401
    )
    # …later ones work, all the way into the admin (through the app's own login).
    User.objects.filter(pk=admin.pk).update(
        supabase_linked_at=admin.supabase_linked_at - timedelta(minutes=2)
    )
    client = Client()
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/login?next=%2Fadmin%2F"
    response = client.post(
        "/login?next=/admin/",
        {"email": admin.email, "password": "admins-supabase-password", "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_dry_run_changes_nothing(supabase_admin, admin):
    remote = supabase_admin.add_user(admin.email, PASSWORD)
    assert "Dry run" in link("--email", admin.email, "--supabase-id", remote.id, "--dry-run")
    assert User.objects.get(pk=admin.pk).supabase_uid is None


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_email", "has the email someone@example.com"),
        ("unknown_id", "Supabase has no account"),
        ("no_account", "There is no Kairo account"),
        ("bad_uuid", "is not a Supabase User UID"),
        ("no_service_key", "SUPABASE_SERVICE_KEY"),
    ],
)
def test_refuses_and_changes_nothing(supabase_admin, admin, settings, case, message):
    someone = supabase_admin.add_user("someone@example.com", PASSWORD)
    args = {
        "other_email": ("--email", admin.email, "--supabase-id", someone.id),
        "unknown_id": ("--email", admin.email, "--supabase-id", str(uuid.uuid4())),
        "no_account": ("--email", "ghost@example.com", "--supabase-id", someone.id),
        "bad_uuid": ("--email", admin.email, "--supabase-id", "admin"),
        "no_service_key": ("--email", admin.email, "--supabase-id", someone.id),
    }[case]
    if case == "no_service_key":
        settings.SUPABASE_SERVICE_KEY = ""
    with pytest.raises(CommandError, match=message):
        link(*args)
    assert User.objects.get(pk=admin.pk).supabase_uid is None


def test_an_account_linked_elsewhere_is_not_moved(supabase_admin, admin):
    admin.supabase_uid = uuid.uuid4()
    admin.save()
    remote = supabase_admin.add_user(admin.email, PASSWORD)
    with pytest.raises(CommandError, match="linked to another Supabase account"):
        link("--email", admin.email, "--supabase-id", remote.id)
