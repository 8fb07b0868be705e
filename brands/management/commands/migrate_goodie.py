"""Give the legacy Goodie AI brand (and everything hanging off it) to its owner's account.

    python manage.py migrate_goodie --email owner@example.com [--brand "Goodie AI"] [--dry-run]

Prints the counts before and after (they must be equal); safe to run twice; refuses if
the brand belongs to another account. The logic is brands.legacy.migrate_legacy_brand.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from brands.legacy import BrandMove, MigrationRefused, MigrationReport, migrate_legacy_brand


class Command(BaseCommand):
    help = "Assign the ownerless legacy brand (default: Goodie AI) to the account for an email."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the owner's email address")
        parser.add_argument("--brand", default="Goodie AI", help='brand name (default "Goodie AI")')
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would happen; change nothing"
        )

    def handle(self, *args, email: str, brand: str, dry_run: bool, **options) -> None:
        try:
            report = migrate_legacy_brand(email=email, brand_name=brand, dry_run=dry_run)
        except MigrationRefused as exc:
            raise CommandError(str(exc)) from None
        self._print(report)

    def _print(self, report: MigrationReport) -> None:
        out = self.stdout
        if report.dry_run:
            out.write(self.style.WARNING("Dry run: nothing was changed."))
        out.write(f"Account {report.email}: {report.account}")
        for move in report.already_owned:
            out.write(f'"{move.name}" ({move.brand_id}) already belongs to {report.email}.')
            self._table(move)
        verb = "would be assigned" if report.dry_run else "assigned"
        for move in report.moves:
            out.write(f'"{move.name}" ({move.brand_id}): no owner -> {report.email} ({verb})')
            self._table(move)
        for note in report.notes:
            out.write(note)
        if report.moves and not report.dry_run:
            out.write(self.style.SUCCESS("Done: every count is unchanged."))
            if settings.AUTH_PROVIDER == "local" and report.account.startswith("created"):
                out.write(
                    "The account has no password yet: the owner sets one with "
                    '"Forgot password?" on the login page (/password-reset/).'
                )
        elif not report.moves and not report.dry_run:
            out.write("Nothing to do: already migrated.")

    def _table(self, move: BrandMove) -> None:
        self.stdout.write(f"  {'':<20}{'before':>8}{'after':>8}")
        for (label, before), (_, after) in zip(
            move.before.as_rows(), move.after.as_rows(), strict=True
        ):
            mark = "" if before == after else "  CHANGED"
            self.stdout.write(f"  {label:<20}{before:>8}{after:>8}{mark}")
