"""Loads the embedded default's demo account so a newcomer can look around at once.

Idempotent. The account is local-mode only; in Supabase mode people sign up instead.
The demo brand comes fully onboarded, with a compiled BrandBrain snapshot, so the Today
board has something to read from the first click.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from brands.forms import STEP_FORMS
from brands.models import Brand
from brands.onboarding import FORM_STEPS, save_step
from brands.snapshots import compile_snapshot, current_snapshot
from users.models import User

DEMO_EMAIL = "demo@kairo.local"
DEMO_PASSWORD = "kairo-demo-2026"
DEMO_BRAND = "Northwind Coffee"

# Exactly what a user would type into each wizard step.
DEMO_ANSWERS: dict[str, dict[str, str]] = {
    "basics": {
        "name": DEMO_BRAND,
        "website": "northwind.coffee",
        "industry": "food",
        "positioning": (
            "Small-batch specialty coffee roasted weekly and delivered fresh to remote "
            "workers who care about what's in their cup."
        ),
        "audience": "Remote workers and home baristas aged 25–40",
        "country": "US",
        "language": "en",
    },
    "sources": {
        "instagram": "@northwind.coffee",
        "tiktok": "https://www.tiktok.com/@northwindcoffee?lang=en",
        "youtube": "youtube.com/@northwindcoffee",
        "linkedin": "",
    },
    "details": {
        "pillars": "Brewing at home\nBean origins\nRemote work rituals\nSustainability",
        "keywords": "pour over, cold brew recipe, home barista, specialty coffee",
        "hashtags": "#coffee #homebarista #pourover #specialtycoffee",
        "competitors": "Blue Bottle, Trade Coffee",
        "tone": "Warm, curious, a little nerdy about coffee",
        "avoid": "politics, health claims",
    },
}


def onboard_demo_brand(brand: Brand) -> None:
    """Run the demo answers through the real wizard forms and compile a snapshot."""
    for step in FORM_STEPS:
        form = STEP_FORMS[step](DEMO_ANSWERS[step])
        if not form.is_valid():
            raise CommandError(f"Demo answers for {step} are invalid: {form.errors.as_json()}")
        save_step(brand, step, form.cleaned_data)
    compile_snapshot(brand)


class Command(BaseCommand):
    help = "Create the demo account and its onboarded sample brand (local accounts only)."

    def handle(self, *args, **options) -> None:
        if settings.AUTH_PROVIDER != "local":
            self.stdout.write("Supabase accounts: no demo account created; sign up instead.")
            return
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD)
        brand = Brand.objects.filter(owner=user).order_by("created_at").first()
        if brand is None:
            brand = Brand.objects.create(owner=user, name=DEMO_BRAND)
        if current_snapshot(brand) is None:
            onboard_demo_brand(brand)
        self.stdout.write(
            f"Demo account ready: {DEMO_EMAIL} / {DEMO_PASSWORD} — or sign up with your own email."
        )
