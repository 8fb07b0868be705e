"""The emails a schedule sends, built from Django templates as a text part and an HTML
part: the digest after a scheduled run, and a short "needs attention" note when a
scheduled refresh failed or was skipped for something the user can fix.

Every email carries a one-click unsubscribe for its brand (RFC 8058): `List-Unsubscribe`
with the signed link and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, plus the
same link in the footer. They go out through EMAIL_URL (printed to the log when unset).
HTML lines are kept short so the console backend prints them as plain 8-bit text that
can be copied into a file and opened in a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from brands.models import Brand
from opportunities.last_run import error_help
from opportunities.models import OpportunitiesJob
from schedules.digest import Digest, absolute_url
from schedules.eligibility import KEY_SKIP_CODES
from schedules.tokens import unsubscribe_token


def unsubscribe_url(brand: Brand) -> str:
    return absolute_url(reverse("schedules:unsubscribe", args=[unsubscribe_token(brand)]))


@dataclass(frozen=True)
class EmailParts:
    subject: str
    text: str
    html: str


def render_parts(kind: str, subject: str, context: dict[str, Any]) -> EmailParts:
    brand = context["brand"]
    context = {
        **context,
        "subject": subject,
        "unsubscribe_url": unsubscribe_url(brand),
        "brand_url": absolute_url(reverse("brands:home", args=[brand.pk])),
        "site_url": settings.SITE_URL,
    }
    return EmailParts(
        subject=subject,
        text=render_to_string(f"schedules/email/{kind}.txt", context),
        html=render_to_string(f"schedules/email/{kind}.html", context),
    )


def build_message(brand: Brand, parts: EmailParts, to: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=parts.subject,
        body=parts.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url(brand)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(parts.html, "text/html")
    return message


def digest_parts(digest: Digest, *, preview: bool = False) -> EmailParts:
    subject = ("[Preview] " if preview else "") + digest.subject
    return render_parts(
        "digest", subject, {"brand": digest.brand, "digest": digest, "preview": preview}
    )


# ---------------------------------------------------------------- needs attention


@dataclass(frozen=True)
class Problem:
    """What went wrong with a scheduled refresh and what to do about it."""

    headline: str
    detail: str
    links: tuple[tuple[str, str], ...]  # (label, absolute url)


def problem_from_failure(job: OpportunitiesJob) -> Problem:
    help = error_help(job, job.brand)
    links = tuple((label, absolute_url(url)) for label, url in help.links)
    return Problem(help.title, help.detail if help.show_detail else "", links)


def problem_from_skip(reason_code: str, reason_message: str) -> Problem:
    fix = reverse("byok:settings") if reason_code in KEY_SKIP_CODES else None
    links = (("Open Settings", absolute_url(fix)),) if fix else ()
    return Problem("Today's refresh was skipped", reason_message, links)


def problem_parts(brand: Brand, problem: Problem) -> EmailParts:
    subject = f"{brand.name}: today's refresh needs your attention"
    return render_parts("problem", subject, {"brand": brand, "problem": problem})
