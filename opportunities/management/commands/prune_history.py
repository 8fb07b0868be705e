"""`python manage.py prune_history [--days N] [--dry-run]`: delete finished runs older
than BOARD_RETENTION_DAYS (default 90) with their opportunities and evidence.

Each brand's current board is never deleted, however old, so Today never goes blank.
Run it daily (a Railway cron service, see docs/deploy.md); it is safe to run anywhere,
any number of times.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opportunities.history import prune_history


class Command(BaseCommand):
    help = "Delete board history (runs, opportunities, evidence) older than the retention."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days (default BOARD_RETENTION_DAYS={settings.BOARD_RETENTION_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, days: int | None, dry_run: bool, **options) -> None:
        days = settings.BOARD_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1: the current day's runs always stay.")
        cutoff = timezone.now() - timedelta(days=days)
        result = prune_history(older_than=cutoff, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {result.jobs} runs, {result.opportunities} opportunities and "
            f"{result.evidence} evidence items older than {days} days "
            f"({cutoff:%Y-%m-%d %H:%M} UTC); each brand's current board is kept."
        )
