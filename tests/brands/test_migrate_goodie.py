"""migrate_goodie on the legacy fixture: nothing lost, idempotent, dry run, refusals,
local and Supabase accounts, and the brand on its owner's pages only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from brands.legacy import BrandCounts, count_brand_data
from brands.models import Brand
from byok.keys import save_user_keys
from opportunities.models import OpportunitiesJob
from tests.fakes.supabase_admin import SERVICE_KEY
from tests.support.accounts import PASSWORD
from users.models import User

OWNER = "mohamedabdouelbermawy@gmail.com"
FIXTURE_COUNTS = BrandCounts(
    onboarding_answers=1, sources=4, snapshots=2, jobs=1, evidence=9, opportunities=2, citations=5
)


@pytest.fixture
def goodie(db) -> Brand:
    call_command("loaddata", "goodie_ai", verbosity=0)
    return Brand.objects.get(name="Goodie AI", owner__isnull=True)


def migrate(*args: str) -> str:
    out = StringIO()
    call_command("migrate_goodie", *args, stdout=out)
    return out.getvalue()


def test_fixture_is_an_ownerless_brand_with_a_finished_job(goodie):
    assert goodie.owner is None
    assert count_brand_data(goodie) == FIXTURE_COUNTS
    job = OpportunitiesJob.objects.get(brand=goodie)
    assert job.status == "succeeded"
    assert goodie.snapshots.count() >= 2
    assert job.opportunities.count() == 2


def test_local_mode_creates_the_account_and_keeps_everything(goodie):
    output = migrate("--email", OWNER)

    user = User.objects.get(email=OWNER)
    assert not user.has_usable_password()
    goodie.refresh_from_db()
    assert goodie.owner == user
    assert count_brand_data(goodie) == FIXTURE_COUNTS
    assert set(OpportunitiesJob.objects.filter(brand=goodie).values_list("user", flat=True)) == {
        user.pk
    }
    assert "created (no password yet)" in output
    for label, value in FIXTURE_COUNTS.as_rows():
        assert f"  {label:<20}{value:>8}{value:>8}\n" in output
    assert "CHANGED" not in output
    assert "Forgot password?" in output


def test_the_brand_appears_on_the_owners_pages_only(goodie, bob):
    owner = Client()
    assert Client().get("/brands/").status_code == 302  # nobody sees an ownerless brand
    migrate("--email", OWNER)
    owner.force_login(User.objects.get(email=OWNER))

    listing = owner.get("/brands/")
    assert listing.status_code == 200
    assert "Goodie AI" in listing.content.decode()
    assert owner.get(f"/brands/{goodie.id}/", follow=True).status_code == 200

    # With their own keys saved (no Demo Mode), the legacy board is the owner's board.
    save_user_keys(
        user=User.objects.get(email=OWNER),
        changes={"apify_token": "apify_api_" + "a1B2" * 9, "openai_key": "sk-proj-" + "x9Y8" * 12},
    )
    board = owner.get(f"/brands/{goodie.id}/today/")
    assert board.status_code == 200
    assert "Show how ChatGPT picks which brands to recommend" in board.content.decode()

    outsider = Client()
    outsider.force_login(bob)
    assert "Goodie AI" not in outsider.get("/brands/").content.decode()
    assert outsider.get(f"/brands/{goodie.id}/").status_code == 404
    assert outsider.get(f"/brands/{goodie.id}/today/").status_code == 404


def test_the_new_owner_sets_a_password_through_reset(goodie, mailoutbox):
    cache.clear()
    migrate("--email", OWNER)
    response = Client().post("/password-reset/", {"email": OWNER})
    assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [[OWNER]]


def test_running_twice_changes_nothing(goodie):
    migrate("--email", OWNER)
    second = migrate("--email", OWNER)
    assert "already belongs to" in second
    assert "Nothing to do" in second
    assert User.objects.filter(email=OWNER).count() == 1
    goodie.refresh_from_db()
    assert goodie.owner.email == OWNER
    assert count_brand_data(goodie) == FIXTURE_COUNTS


def test_dry_run_changes_nothing(goodie):
    output = migrate("--email", OWNER, "--dry-run")
    assert "Dry run: nothing was changed." in output
    assert "would be created" in output
    assert not User.objects.filter(email=OWNER).exists()
    goodie.refresh_from_db()
    assert goodie.owner is None
    assert count_brand_data(goodie) == FIXTURE_COUNTS


def test_refuses_a_brand_that_belongs_to_another_account(goodie, bob):
    goodie.owner = bob
    goodie.save()
    with pytest.raises(CommandError, match="already belongs to another account"):
        migrate("--email", OWNER)
    goodie.refresh_from_db()
    assert goodie.owner == bob
    assert not User.objects.filter(email=OWNER).exists()


def test_an_existing_account_keeps_its_password(goodie, alice):
    output = migrate("--email", "ALICE@example.com", "--brand", "goodie ai")
    assert "Account alice@example.com: existing" in output
    goodie.refresh_from_db()
    assert goodie.owner == alice
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_another_users_own_brand_with_that_name_is_left_alone(goodie, bob):
    bobs = Brand.objects.create(owner=bob, name="Goodie AI")
    output = migrate("--email", OWNER)
    goodie.refresh_from_db()
    bobs.refresh_from_db()
    assert goodie.owner.email == OWNER
    assert bobs.owner == bob
    assert "belong to other accounts and were left alone" in output


def test_unknown_brand_is_a_clear_error(db):
    with pytest.raises(CommandError, match='No brand named "Goodie AI"'):
        migrate("--email", OWNER)


def test_invalid_email_is_refused(goodie):
    with pytest.raises(CommandError, match="not an email address"):
        migrate("--email", "not-an-email")


# --- Supabase accounts ------------------------------------------------------------------
def test_supabase_links_a_confirmed_account_and_its_first_login_sees_the_brand(
    goodie, supabase_admin
):
    account = supabase_admin.add_user(OWNER, PASSWORD, confirmed=True)
    supabase_admin.add_user("other." + OWNER, PASSWORD, confirmed=True)  # a near match
    output = migrate("--email", OWNER)

    user = User.objects.get(email=OWNER)
    assert str(user.supabase_uid) == account.id
    assert "linked to its confirmed Supabase account" in output
    (admin_call,) = supabase_admin.requests_to("/admin/users")
    assert admin_call.headers["authorization"] == f"Bearer {SERVICE_KEY}"

    client = Client()
    response = client.post("/login", {"email": OWNER, "password": PASSWORD})
    assert response.status_code == 302
    assert "Goodie AI" in client.get("/brands/").content.decode()
    assert User.objects.filter(email=OWNER).count() == 1


def test_supabase_refuses_an_unconfirmed_email(goodie, supabase_admin):
    supabase_admin.add_user(OWNER, PASSWORD, confirmed=False)
    with pytest.raises(CommandError, match="not confirmed yet"):
        migrate("--email", OWNER)
    goodie.refresh_from_db()
    assert goodie.owner is None
    assert not User.objects.filter(email=OWNER).exists()


def test_supabase_refuses_an_email_without_an_account(goodie, supabase_admin):
    with pytest.raises(CommandError, match="no Supabase account"):
        migrate("--email", OWNER)
    goodie.refresh_from_db()
    assert goodie.owner is None


def test_supabase_needs_the_service_key(goodie, supabase_admin, settings):
    settings.SUPABASE_SERVICE_KEY = ""
    with pytest.raises(CommandError, match="SUPABASE_SERVICE_KEY is needed"):
        migrate("--email", OWNER)


def test_supabase_rejects_a_wrong_service_key(goodie, supabase_admin, settings):
    supabase_admin.add_user(OWNER, PASSWORD, confirmed=True)
    settings.SUPABASE_SERVICE_KEY = supabase_admin.anon_key
    with pytest.raises(CommandError, match="refused SUPABASE_SERVICE_KEY"):
        migrate("--email", OWNER)
    goodie.refresh_from_db()
    assert goodie.owner is None


def test_supabase_dry_run_checks_but_changes_nothing(goodie, supabase_admin):
    supabase_admin.add_user(OWNER, PASSWORD, confirmed=True)
    output = migrate("--email", OWNER, "--dry-run")
    assert "would be created" in output
    assert not User.objects.filter(email=OWNER).exists()
    goodie.refresh_from_db()
    assert goodie.owner is None
