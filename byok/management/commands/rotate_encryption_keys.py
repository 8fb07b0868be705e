"""Re-encrypt every stored key under the newest ENCRYPTION_KEY entry: users' API keys,
and the Supabase tokens kept in sessions (users/supabase_session.py).

Rotation: put a new key in front of ENCRYPTION_KEY ("new,old"), deploy, run this
command, then remove the old key. Rows are re-encrypted one at a time under a row lock,
so it is safe while the app is serving.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from byok.crypto import KeyDecryptionError, check_configuration, reencrypt_secret
from byok.models import UserAPIKeys
from byok.providers import SPECS
from users.supabase_session import rotate_stored_tokens


def rotate_all_keys() -> tuple[int, list[str]]:
    """Returns (keys re-encrypted, ids of users whose keys could not be decrypted)."""
    rotated = 0
    failed: list[str] = []
    for pk in UserAPIKeys.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            row = UserAPIKeys.objects.select_for_update().get(pk=pk)
            updates = {}
            try:
                for spec in SPECS.values():
                    column = f"{spec.field}_encrypted"
                    if row.has_key(spec.field):
                        updates[column] = reencrypt_secret(getattr(row, column))
            except KeyDecryptionError:
                failed.append(str(row.user_id))
                continue
            if updates:
                UserAPIKeys.objects.filter(pk=pk).update(**updates)
                rotated += len(updates)
    return rotated, failed


class Command(BaseCommand):
    help = "Re-encrypt every stored API key under the first (newest) key in ENCRYPTION_KEY."

    def handle(self, *args, **options) -> None:
        check_configuration()
        rotated, failed = rotate_all_keys()
        self.stdout.write(f"Re-encrypted {rotated} key(s) under the newest ENCRYPTION_KEY.")
        sessions, unreadable = rotate_stored_tokens()
        self.stdout.write(f"Re-encrypted the sign-in tokens of {sessions} session(s).")
        if unreadable:
            self.stdout.write(
                f"{unreadable} session(s) hold tokens no listed key opens; "
                "those users will simply log in again."
            )
        if failed:
            raise CommandError(
                f"{len(failed)} user(s) have keys no listed ENCRYPTION_KEY can decrypt "
                f"(user ids: {', '.join(failed)}). They must paste those keys again; "
                "keep every old key listed until they do or you accept that."
            )
