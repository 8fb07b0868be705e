"""The Today board, the Regenerate button and the progress panel it polls.

Regenerate's guards run in order, each answering with what to do next: the brand is the
user's (else 404), a BrandBrain snapshot exists, both API keys are connected, scraping
is on, and no run is already queued or running (then that run's progress is returned,
never a second run). HTMX requests get partials; plain form posts redirect to the board
with a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HTMX_STOP_POLLING, reswap, retarget

from brands.models import Brand
from brands.onboarding import require_snapshot
from brands.selectors import brands_for_user, get_brand_for_user
from brands.snapshots import current_snapshot
from byok.keys import is_demo_mode, scraping_unavailable_reason
from kairo.htmx import toast_key
from opportunities.board import build_board, job_progress
from opportunities.jobs import active_job_for_brand, enqueue_regeneration
from opportunities.models import JobStatus, OpportunitiesJob
from workspace.marks import mark_board

KEYS_MISSING_MESSAGE = "Connect your API keys to regenerate."
ALREADY_RUNNING_MESSAGE = "A regeneration is already running — showing its progress."
STARTED_MESSAGE = "Regeneration started."


@require_safe
def today(request: HttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    board = build_board(brand, request.user)
    # Hook (issue 18, workspace/marks.py): each card's feedback state, the filters.
    board.cards, marks = mark_board(brand, board.cards, request.GET, timezone.now())
    context = {"brand": brand, "board": board, "marks": marks}
    return render(request, "opportunities/today.html", context)


@dataclass(frozen=True)
class Blocked:
    """Why Regenerate can't start now, and where the user fixes it."""

    message: str
    link_label: str
    link_url: str


def regeneration_blocker(brand: Brand, request: HttpRequest) -> Blocked | None:
    guard = require_snapshot(brand)
    if guard is not None:
        return Blocked(guard.message, f"Continue with {guard.step_label}", guard.step_url)
    if is_demo_mode(request.user):
        return Blocked(KEYS_MISSING_MESSAGE, "Connect your API keys", reverse("byok:settings"))
    reason = scraping_unavailable_reason()
    if reason:
        return Blocked(reason, "Back to the board", reverse("opportunities:today", args=[brand.pk]))
    return None


@require_POST
def regenerate(request: HttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    blocked = regeneration_blocker(brand, request)
    if blocked is not None:
        if not request.htmx:
            messages.error(request, blocked.message)
            return redirect("opportunities:today", brand_id=brand.pk)
        response = render(request, "opportunities/partials/blocked.html", {"blocked": blocked})
        return reswap(retarget(response, "#regen-feedback"), "innerHTML")

    job = active_job_for_brand(brand)
    if job is None:
        snapshot = current_snapshot(brand)
        job, created = enqueue_regeneration(
            brand=brand, user=request.user, snapshot_version=snapshot.version if snapshot else None
        )
    else:
        created = False
    text = STARTED_MESSAGE if created else ALREADY_RUNNING_MESSAGE
    messages.success(request, text, extra_tags=toast_key(f"run-{brand.pk}"))
    if not request.htmx:
        return redirect("opportunities:today", brand_id=brand.pk)
    board = build_board(brand, request.user)
    board.cards, marks = mark_board(brand, board.cards, {}, timezone.now())  # issue 18
    return render(
        request,
        "opportunities/partials/board_live.html",
        {
            "brand": brand,
            "board": board,
            "marks": marks,
            "clear_feedback": True,
            "refresh_button": True,
        },
    )


FINISHED_TOASTS = {
    JobStatus.SUCCEEDED: (messages.SUCCESS, "Your board is ready."),
    JobStatus.PARTIAL: (messages.SUCCESS, "Your board is ready — some sources failed this time."),
    JobStatus.FAILED: (messages.ERROR, "The regeneration did not finish — see what to do."),
}


@require_safe
def job_progress_panel(request: HttpRequest, brand_id: UUID, job_id: UUID) -> HttpResponse:
    """Polled every second while the job runs. Once it has ended, an HTMX poll gets the
    finished board with status 286 (htmx 2 stops polling), swapped over the panel and the
    skeletons; the panel itself is never rendered with its trigger once terminal."""
    brand = get_brand_for_user(request.user, brand_id)
    job = get_object_or_404(OpportunitiesJob, pk=job_id, brand=brand)
    progress = job_progress(job)
    context = {"brand": brand, "progress": progress}
    if progress.polling or not request.htmx:
        return render(request, "opportunities/partials/progress_panel.html", context)
    level, text = FINISHED_TOASTS[JobStatus(job.status)]
    messages.add_message(request, level, text, extra_tags=toast_key(f"run-{brand.pk}"))
    board = build_board(brand, request.user)
    board.cards, marks = mark_board(brand, board.cards, {}, timezone.now())  # issue 18
    response = render(
        request,
        "opportunities/partials/board_live.html",
        {"brand": brand, "board": board, "refresh_button": True, "marks": marks},
        status=HTMX_STOP_POLLING,
    )
    return reswap(retarget(response, "#board-live"), "innerHTML")


@require_safe
def go_to_today(request: HttpRequest) -> HttpResponse:
    """Settings' "Go to Today →" after saving keys: the Today board of the user's only
    brand; with several (or none) the brand list, where each one is a click away."""
    brands = list(brands_for_user(request.user).order_by("-created_at")[:2])
    if len(brands) == 1:
        return redirect("opportunities:today", brand_id=brands[0].pk)
    return redirect("brands:list")
