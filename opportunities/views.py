"""The Today board, the Regenerate button and the progress panel it polls.

Regenerate: the brand is the user's (else 404); then the rules of
opportunities/services.py (a BrandBrain snapshot, both API keys, scraping on), each
answering with what to do next; a run already queued or running is joined (its progress
is returned, never a second run). HTMX requests get partials; plain form posts redirect
to the board with a message.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HTMX_STOP_POLLING, reswap, retarget

from brands.selectors import brands_for_user, get_brand_for_user
from kairo.htmx import toast_key
from opportunities.board import build_board, job_progress
from opportunities.models import JobStatus, OpportunitiesJob
from opportunities.services import regeneration_blocker, start_regeneration
from users.http import AuthenticatedHttpRequest
from workspace.marks import mark_board

ALREADY_RUNNING_MESSAGE = "A regeneration is already running — showing its progress."
STARTED_MESSAGE = "Regeneration started."


@require_safe
def today(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    board = build_board(brand, request.user)
    # Hook (issue 18, workspace/marks.py): each card's feedback state, the filters.
    board.cards, marks = mark_board(brand, board.cards, request.GET, timezone.now())
    context = {"brand": brand, "board": board, "marks": marks}
    return render(request, "opportunities/today.html", context)


@require_POST
def regenerate(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    blocked = regeneration_blocker(brand, request.user)
    if blocked is not None:
        if not request.htmx:
            messages.error(request, blocked.message)
            return redirect("opportunities:today", brand_id=brand.pk)
        response = render(request, "opportunities/partials/blocked.html", {"blocked": blocked})
        return reswap(retarget(response, "#regen-feedback"), "innerHTML")

    started = start_regeneration(brand=brand, user=request.user)
    text = STARTED_MESSAGE if started.created else ALREADY_RUNNING_MESSAGE
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
def job_progress_panel(
    request: AuthenticatedHttpRequest, brand_id: UUID, job_id: UUID
) -> HttpResponse:
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
def go_to_today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Settings' "Go to Today →" after saving keys: the Today board of the user's only
    brand; with several (or none) the brand list, where each one is a click away."""
    brands = list(brands_for_user(request.user).order_by("-created_at")[:2])
    if len(brands) == 1:
        return redirect("opportunities:today", brand_id=brands[0].pk)
    return redirect("brands:list")
