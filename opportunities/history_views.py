"""Board history: `/brands/<id>/boards/` lists every finished run, and
`/brands/<id>/boards/<job_id>/` shows one run's board, read-only. Owner-scoped like every
brand page: another user's brand or run is a 404."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from brands.selectors import get_brand_for_user
from opportunities.board import current_board_job
from opportunities.models import ACTIVE_STATUSES, OpportunitiesJob
from opportunities.past_boards import finished_runs, history_rows, past_board
from users.http import AuthenticatedHttpRequest

RUNS_PER_PAGE = 25


@require_safe
def board_history(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    page = Paginator(finished_runs(brand), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    current = current_board_job(brand)
    context = {
        "brand": brand,
        "page": page,
        "rows": history_rows(list(page), current.pk if current else None),
        "retention_days": settings.BOARD_RETENTION_DAYS,
    }
    return render(request, "opportunities/history.html", context)


@require_safe
def board_detail(request: AuthenticatedHttpRequest, brand_id: UUID, job_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    job = get_object_or_404(
        OpportunitiesJob.objects.exclude(status__in=ACTIVE_STATUSES), pk=job_id, brand=brand
    )
    board = past_board(job, brand, timezone.now())
    return render(request, "opportunities/board_detail.html", {"brand": brand, "board": board})
