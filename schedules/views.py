"""The schedule panel's endpoints, the digest preview, and unsubscribe.

Schedule and preview views are the owner's (another user's brand is a 404). Unsubscribe
is the one public view: the signed token in its URL is the authority (schedules/tokens.py).
It answers GET with a confirmation page and POST by unsubscribing — the POST is what mail
clients send for RFC 8058 one-click (`List-Unsubscribe=One-Click`), and a GET never
unsubscribes because mail scanners follow links. It is exempt from CSRF because that POST
comes from the mail provider, without our cookie or token; forging it needs the signed
token, which only the owner's inbox has, and all it can do is stop emails.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from brands.models import Brand
from brands.selectors import get_brand_for_user
from opportunities.board import current_board_job
from schedules.digest import build_digest
from schedules.emails import EmailParts, build_message, digest_parts
from schedules.forms import ScheduleForm
from schedules.panel import schedule_panel
from schedules.scheduler import save_schedule, schedule_for, set_emails
from schedules.slots import local_slot_text
from schedules.tokens import brand_for_token
from users.http import AuthenticatedHttpRequest

PANEL = "schedules/partials/panel.html"
# The email's own HTML, shown in a sandboxed frame: its inline styles are allowed, scripts,
# forms and other origins are not, and only our own pages may frame it.
EMAIL_PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
PREVIEW_EMAILS_PER_MINUTE = 1


def _saved_message(brand: Brand) -> str:
    schedule = schedule_for(brand)
    if not schedule.enabled or schedule.next_run_at is None:
        return "Daily refresh is off."
    when = local_slot_text(schedule.next_run_at, schedule.time_zone)
    return f"Daily refresh is on. The next one runs {when} ({schedule.time_zone})."


@require_http_methods(["GET", "POST"])
def schedule_settings(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    if request.method == "GET":
        return render(request, "schedules/schedule_page.html", {"panel": schedule_panel(brand)})
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        panel = schedule_panel(brand, form=form)
        if request.htmx:  # HTMX swaps only 2xx answers; a plain post gets an honest 400
            return render(request, PANEL, {"panel": panel})
        return render(request, "schedules/schedule_page.html", {"panel": panel}, status=400)
    save_schedule(brand, form.choice())
    messages.success(request, _saved_message(brand))
    if request.htmx:
        return render(request, PANEL, {"panel": schedule_panel(brand)})
    return redirect("brands:home", brand_id=brand.pk)


def _preview_parts(brand: Brand) -> EmailParts | None:
    job = current_board_job(brand)
    if job is None:
        return None
    digest = build_digest(job, time_zone=schedule_for(brand).time_zone, now=timezone.now())
    return digest_parts(digest, preview=True)


@require_safe
def digest_preview(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    context = {"brand": brand, "parts": _preview_parts(brand)}
    return render(request, "schedules/digest_preview.html", context)


@require_safe
@xframe_options_sameorigin
def digest_email_html(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    """The HTML part exactly as it would be sent, for the preview frame."""
    brand = get_brand_for_user(request.user, brand_id)
    parts = _preview_parts(brand)
    if parts is None:
        response = render(request, "schedules/email/no_board.html", {"brand": brand})
    else:
        response = HttpResponse(parts.html)
    response.headers["Content-Security-Policy"] = EMAIL_PREVIEW_CSP
    return response


@require_POST
def send_digest_preview(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    parts = _preview_parts(brand)
    if parts is None:
        messages.error(request, "There is no board yet: regenerate once, then preview the digest.")
    elif not cache.add(f"digest-preview:{request.user.pk}", 1, timeout=60):
        messages.error(request, "A preview was sent less than a minute ago. Check your inbox.")
    else:
        build_message(brand, parts, request.user.email).send()
        messages.success(request, f"Preview sent to {request.user.email}.")
    return redirect("schedules:digest_preview", brand_id=brand.pk)


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, unsubscribe_token: str) -> HttpResponse:
    brand = brand_for_token(unsubscribe_token)
    if brand is None:
        return render(request, "schedules/unsubscribe_invalid.html", status=400)
    done = request.method == "POST"
    if done:
        set_emails(brand, enabled=False)
    return render(request, "schedules/unsubscribe.html", {"brand": brand, "done": done})
