"""Link an existing Kairo account to a Supabase account, on the operator's word.

    python manage.py link_supabase_account --email owner@example.com \\
        --supabase-id 6f1c…-uuid [--dry-run]

The one way to link a staff or superuser account (users/linking.py never links those by
email). The Supabase id is the "User UID" in the Supabase dashboard (Authentication →
Users); the command checks with the admin API (SUPABASE_SERVICE_KEY) that it is an
account with exactly this email. Every Supabase session of that account from before the
link must log in again.
"""

from __future__ import annotations

import uuid

from django.core.management.base import BaseCommand, CommandError, CommandParser

from users import linking
from users.jwt import InvalidToken
from users.models import User
from users.supabase_admin import SupabaseAdminError, get_user


class Command(BaseCommand):
    help = "Link the Kairo account for an email to a Supabase account (by its User UID)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the Kairo account's email")
        parser.add_argument("--supabase-id", required=True, help="the Supabase User UID")
        parser.add_argument("--dry-run", action="store_true", help="check only; change nothing")

    def handle(self, *args, email: str, supabase_id: str, dry_run: bool, **options) -> None:
        try:
            uid = uuid.UUID(supabase_id)
        except ValueError:
            raise CommandError(f"{supabase_id!r} is not a Supabase User UID.") from None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no Kairo account for {email}.")
        if user.supabase_uid == uid:
            self.stdout.write(f"{user.email} is already linked to {uid}. Nothing to do.")
            return
        if user.supabase_uid is not None:
            raise CommandError(
                f"{user.email} is linked to another Supabase account ({user.supabase_uid})."
            )
        try:
            remote = get_user(uid)
        except SupabaseAdminError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        if remote is None:
            raise CommandError(f"Supabase has no account {uid}. Nothing was changed.")
        remote_email = str(remote.get("email") or "").strip().lower()
        if remote_email != user.email.lower():
            raise CommandError(
                f"Supabase account {uid} has the email {remote_email or '(none)'}, "
                f"not {user.email}. Nothing was changed."
            )
        role = "superuser" if user.is_superuser else "staff" if user.is_staff else "user"
        self.stdout.write(f"Kairo account: {user.email} ({role})")
        self.stdout.write(
            f"Supabase account: {uid}, created {remote.get('created_at') or '?'}, "
            f"email confirmed {remote.get('email_confirmed_at') or 'never'}, "
            f"last sign-in {remote.get('last_sign_in_at') or 'never'}"
        )
        self.stdout.write(
            self.style.WARNING(
                "Link only if the owner of this address created that Supabase account: with "
                "'Confirm email' off, Supabase lets anyone register any address."
            )
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        try:
            linking.link(user.pk, uid, proving_session=None)
        except InvalidToken as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Linked. {user.email} logs in with that Supabase account from now on "
                "(earlier sessions of it must log in again)."
            )
        )
