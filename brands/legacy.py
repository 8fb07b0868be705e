"""Hand ownerless legacy brands (the Goodie AI data from before accounts) to an account.

`migrate_legacy_brand` is what `manage.py migrate_goodie` runs. It finds the ownerless
brand(s) with a name, finds or creates the account for an email, assigns the brands and
proves nothing was lost by counting everything that hangs off each brand before and after
(inside one transaction, which is rolled back if a count differs). Running it again is a
no-op; a dry run rolls everything back; a brand owned by another account is refused.

Accounts: in local mode a new account gets an unusable password and sets one through
"Forgot password?" (/password-reset/). In Supabase mode the email must belong to a
Supabase account that Supabase reports as confirmed (admin API, service-role key); the
Kairo account is linked to it by its Supabase id, so the owner's first login finds it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction

from brands.models import Brand
from users.models import User
from users.supabase_admin import SupabaseAdminError, find_user_by_email


class MigrationRefused(Exception):
    """The migration cannot proceed; the message says why and what to do."""


class _DryRunRollback(Exception):
    pass


@dataclass(frozen=True)
class BrandCounts:
    onboarding_answers: int
    sources: int
    snapshots: int
    jobs: int
    evidence: int
    opportunities: int
    citations: int

    def as_rows(self) -> list[tuple[str, int]]:
        return [(name.replace("_", " "), value) for name, value in vars(self).items()]


@dataclass
class BrandMove:
    brand_id: uuid.UUID
    name: str
    previous_owner: str | None
    before: BrandCounts
    after: BrandCounts

    @property
    def unchanged(self) -> bool:
        return self.before == self.after


@dataclass
class MigrationReport:
    email: str
    dry_run: bool
    account: str  # "existing", "created", "linked to Supabase", "would be created", …
    moves: list[BrandMove] = field(default_factory=list)
    already_owned: list[BrandMove] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SupabaseAccount:
    id: uuid.UUID
    email: str
    confirmed: bool


def count_brand_data(brand: Brand) -> BrandCounts:
    # Dependent apps' models by label: brands must not import opportunities/evidence.
    evidence_item = apps.get_model("evidence", "EvidenceItem")
    opportunities_job = apps.get_model("opportunities", "OpportunitiesJob")
    opportunity = apps.get_model("opportunities", "Opportunity")
    citation = apps.get_model("opportunities", "OpportunityEvidence")
    onboarding = apps.get_model("brands", "OnboardingAnswers")
    return BrandCounts(
        onboarding_answers=onboarding.objects.filter(brand=brand).count(),
        sources=brand.sources.count(),
        snapshots=brand.snapshots.count(),
        jobs=opportunities_job.objects.filter(brand=brand).count(),
        evidence=evidence_item.objects.filter(brand=brand).count(),
        opportunities=opportunity.objects.filter(brand=brand).count(),
        citations=citation.objects.filter(opportunity__brand=brand).count(),
    )


# --- Supabase admin API -------------------------------------------------------------------
def find_supabase_account(email: str) -> SupabaseAccount | None:
    """The Supabase Auth user with exactly this email (users/supabase_admin.py)."""
    try:
        user = find_user_by_email(email)
    except SupabaseAdminError as exc:
        raise MigrationRefused(f"{exc} Nothing was changed.") from None
    if user is None:
        return None
    return SupabaseAccount(
        id=uuid.UUID(str(user["id"])),
        email=email.lower(),
        confirmed=bool(user.get("email_confirmed_at")),
    )


# --- the owner's account ------------------------------------------------------------------
def _owner_for_local(email: str) -> tuple[User, str]:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, "existing"
    # No password yet: the owner sets one with "Forgot password?" on the login page.
    return User.objects.create_user(email=email), "created (no password yet)"


def _owner_for_supabase(email: str) -> tuple[User, str]:
    account = find_supabase_account(email)
    if account is None:
        raise MigrationRefused(
            f"There is no Supabase account for {email}. Ask the owner to sign up on the live "
            "site and confirm their email, then run this again."
        )
    if not account.confirmed:
        raise MigrationRefused(
            f"Supabase reports {email} as not confirmed yet. Ask the owner to open the "
            "confirmation email, then run this again."
        )
    by_uid = User.objects.filter(supabase_uid=account.id).first()
    by_email = User.objects.filter(email__iexact=email).first()
    if by_uid is not None and by_email is not None and by_uid.pk != by_email.pk:
        raise MigrationRefused(
            f"The Supabase account of {email} is linked to another Kairo account "
            f"({by_uid.email}); resolve that by hand first."
        )
    user = by_uid or by_email
    if user is None:
        user = User.objects.create_user(email=email, supabase_uid=account.id)
        return user, "created and linked to its confirmed Supabase account"
    if user.supabase_uid is None:
        user.supabase_uid = account.id
        user.save(update_fields=["supabase_uid"])
        return user, "existing, now linked to its confirmed Supabase account"
    if user.supabase_uid != account.id:
        raise MigrationRefused(
            f"The Kairo account {user.email} is linked to a different Supabase account; "
            "resolve that by hand first."
        )
    return user, "existing (confirmed in Supabase)"


def _owner(email: str) -> tuple[User, str]:
    if settings.AUTH_PROVIDER == "supabase":
        return _owner_for_supabase(email)
    return _owner_for_local(email)


# --- the migration ------------------------------------------------------------------------
def migrate_legacy_brand(
    *, email: str, brand_name: str = "Goodie AI", dry_run: bool = False
) -> MigrationReport:
    """Assigns the ownerless brand(s) named `brand_name` to the account for `email`."""
    email = User.objects.normalize_email(email.strip()).lower()
    if "@" not in email:
        raise MigrationRefused(f"{email!r} is not an email address.")
    try:
        with transaction.atomic():
            report = _migrate(email, brand_name.strip(), dry_run)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def _migrate(email: str, brand_name: str, dry_run: bool) -> MigrationReport:
    brands = list(
        Brand.objects.select_for_update(of=("self",))
        .filter(name__iexact=brand_name)
        .select_related("owner")
        .order_by("created_at")
    )
    if not brands:
        raise MigrationRefused(f'No brand named "{brand_name}" exists; nothing to migrate.')
    ownerless = [brand for brand in brands if brand.owner_id is None]
    owned_by_target = [b for b in brands if b.owner is not None and b.owner.email.lower() == email]
    owned_by_others = [b for b in brands if b.owner is not None and b.owner.email.lower() != email]
    if not ownerless and not owned_by_target:
        owners = ", ".join(sorted({b.owner.email for b in owned_by_others if b.owner}))
        raise MigrationRefused(
            f'The brand "{brand_name}" already belongs to another account ({owners}); '
            "nothing was changed."
        )

    user, account = _owner(email)
    report = MigrationReport(email=email, dry_run=dry_run, account=account)
    if dry_run and account.startswith("created"):
        report.account = "would be " + account
    for brand in owned_by_target:
        counts = count_brand_data(brand)
        report.already_owned.append(BrandMove(brand.id, brand.name, email, counts, counts))
    for brand in ownerless:
        report.moves.append(_assign(brand, user))
    if owned_by_others:
        report.notes.append(
            f"{len(owned_by_others)} other brand(s) with this name belong to other accounts "
            "and were left alone."
        )
    if any(not move.unchanged for move in report.moves):
        raise MigrationRefused("Counts changed during the migration; everything was rolled back.")
    return report


def _assign(brand: Brand, user: User) -> BrandMove:
    before = count_brand_data(brand)
    brand.owner = user
    brand.save(update_fields=["owner", "updated_at"])
    # Legacy regenerations were run by no real account; they are the owner's now.
    jobs = apps.get_model("opportunities", "OpportunitiesJob")
    jobs.objects.filter(brand=brand).exclude(user=user).update(user=user)
    return BrandMove(brand.id, brand.name, None, before, count_brand_data(brand))
