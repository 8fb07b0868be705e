"""Loads the embedded default's demo account so a newcomer can look around at once.

Idempotent. The account is local-mode only; in Supabase mode people sign up instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from brands.models import Brand
from users.models import User

DEMO_EMAIL = "demo@kairo.local"
DEMO_PASSWORD = "kairo-demo-2026"


class Command(BaseCommand):
    help = "Create the demo account and its sample brand (local accounts only)."

    def handle(self, *args, **options) -> None:
        if settings.AUTH_PROVIDER != "local":
            self.stdout.write("Supabase accounts: no demo account created; sign up instead.")
            return
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD)
        if not Brand.objects.filter(owner=user).exists():
            Brand.objects.create(owner=user, name="Northwind Coffee")
        self.stdout.write(
            f"Demo account ready: {DEMO_EMAIL} / {DEMO_PASSWORD} — or sign up with your own email."
        )
