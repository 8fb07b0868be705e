"""A partial board's digest names the sources that failed by name (never blank, never
an internal recipe id)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from opportunities.models import JobStatus
from schedules.dispatch import send_pending_emails
from schedules.models import BrandSchedule
from tests.schedules.test_emails import board_job, scheduled_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://kairo.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_digest_names_the_sources_that_failed(alice_brand):
    BrandSchedule.objects.create(brand=alice_brand, enabled=True, time_zone="Europe/Berlin")
    job = board_job(
        alice_brand,
        status=JobStatus.PARTIAL,
        recipes={
            "IG-1": {"platform": "instagram", "label": "Instagram hashtags", "status": "succeeded"},
            "TT-TRENDS": {"platform": "tiktok", "label": "TikTok Trends", "status": "failed"},
            "LI-1": {"platform": "linkedin", "label": "LinkedIn", "status": "empty"},
        },
    )
    scheduled_run(alice_brand, job)
    send_pending_emails(timezone.now() + timedelta(hours=1))
    (email,) = mail.outbox
    assert "Some sources failed this time: TikTok Trends, LinkedIn." in email.body
    assert "TT-TRENDS" not in email.body and "LI-1" not in email.body
