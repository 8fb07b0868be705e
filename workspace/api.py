"""The workspace's JSON API: a brand's current board (evidence, score parts and the
marketer's feedback on each idea) and feedback on one idea.

    GET  /api/brands/<id>/opportunities/[?platform=&pillar=&state=]
    POST /api/brands/<id>/opportunities/<opportunity_id>/feedback/
         {"state": "used"|"saved"|"dismissed"|"posted"|"new", "planned_for"?, "reason"?,
          "reason_text"?}

Session (+ CSRF) or bearer auth, as every /api/ view (settings.REST_FRAMEWORK); another
user's brand or idea is a 404. Bad input is a 400 with a message per field, from the same
parser as the board's forms (workspace.actions.parse_action). Documented in
kairo/openapi/api.json.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import timezone
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from brands.onboarding import require_snapshot
from brands.selectors import get_brand_for_user
from opportunities.board import board_opportunities as ranked_opportunities
from opportunities.board import current_board_job
from opportunities.cards import safe_link
from opportunities.models import Opportunity
from users.http import api_user
from workspace.actions import InvalidAction, opportunity_for_brand, parse_action, record_action
from workspace.learning import fit_view
from workspace.marks import NEW_MARK, IdeaMark, board_filters, marks_for_opportunities
from workspace.models import IDEA_FIELDS, IdeaFeedback


def _private(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response


def _feedback_json(mark: IdeaMark, decided_at: Any = None) -> dict[str, Any]:
    return {
        "state": mark.state,
        "planned_for": mark.planned_for.isoformat() if mark.planned_for else None,
        "reason": mark.reason,
        "reason_text": mark.reason_text,
        "decided_at": decided_at.isoformat() if decided_at else None,
    }


def _numbers(parts: Any) -> dict[str, float]:
    if not isinstance(parts, dict):
        return {}
    return {
        str(k): float(v)
        for k, v in parts.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def _fit_json(opportunity: Opportunity) -> dict[str, Any] | None:
    fit = fit_view(
        opportunity.score_parts, opportunity.pillar, opportunity.format, opportunity.platform
    )
    return {"value": fit.value, "points": fit.points, "words": fit.words} if fit else None


def _opportunity_json(opportunity: Opportunity, mark: IdeaMark, decided_at: Any) -> dict[str, Any]:
    evidence = [
        {
            "id": str(c.evidence.pk),
            "platform": c.evidence.platform,
            "url": safe_link(c.evidence.url) or None,
            "author": c.evidence.author_handle or c.evidence.author_name,
            "text": c.evidence.text,
            "published_at": c.evidence.published_at.isoformat()
            if c.evidence.published_at
            else None,
            "metrics": _numbers(c.evidence.metrics),
        }
        for c in getattr(opportunity, "citations", [])
    ]
    return {
        "id": str(opportunity.pk),
        "rank": opportunity.rank,
        **{name: getattr(opportunity, name) for name in IDEA_FIELDS},
        "confidence": opportunity.confidence,
        "score": opportunity.score,
        "score_parts": _numbers(opportunity.score_parts),
        "feedback_fit": _fit_json(opportunity),
        "evidence": evidence,
        "feedback": _feedback_json(mark, decided_at),
    }


class _Filterable:
    """An opportunity as workspace.marks' filters read a card."""

    def __init__(self, opportunity: Opportunity) -> None:
        self.key = str(opportunity.pk)
        self.platform = opportunity.platform
        self.platform_label = opportunity.platform
        self.pillar = opportunity.pillar
        self.sample = False


@api_view(["GET"])
def board_opportunities(request: Request, brand_id: UUID) -> Response:
    brand = get_brand_for_user(api_user(request), brand_id)
    guard = require_snapshot(brand)
    if guard is not None:
        return _private(Response(guard.as_dict(), status=status.HTTP_409_CONFLICT))
    job = current_board_job(brand)
    opportunities = ranked_opportunities(job) if job else []
    rows = [_Filterable(o) for o in opportunities]
    marks = marks_for_opportunities(brand, [r.key for r in rows])
    decided = dict(
        IdeaFeedback.objects.filter(opportunity__in=opportunities).values_list(
            "opportunity_id", "decided_at"
        )
    )
    filters = board_filters(request.query_params, rows)
    kept = [
        _opportunity_json(o, marks.get(r.key, NEW_MARK), decided.get(o.pk))
        for o, r in zip(opportunities, rows, strict=True)
        if filters.keeps(r, marks.get(r.key, NEW_MARK))
    ]
    board = (
        {
            "job_id": str(job.pk),
            "status": job.status,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        }
        if job
        else None
    )
    payload = {
        "brand": {"id": str(brand.pk), "name": brand.name},
        "board": board,
        "opportunities": kept,
    }
    return _private(Response(payload))


@api_view(["POST"])
def opportunity_feedback(request: Request, brand_id: UUID, opportunity_id: UUID) -> Response:
    brand = get_brand_for_user(api_user(request), brand_id)
    opportunity = opportunity_for_brand(brand, opportunity_id)
    if opportunity is None:
        raise NotFound("No such opportunity.")
    if not isinstance(request.data, dict):
        return _private(
            Response(
                {"detail": 'Send a JSON object such as {"state": "saved"}.'},
                status=status.HTTP_400_BAD_REQUEST,
            )
        )
    now = timezone.now()
    try:
        action = parse_action(request.data, timezone.localdate(now))
    except InvalidAction as invalid:
        errors = {name: [message] for name, message in invalid.errors.items()}
        return _private(Response(errors, status=status.HTTP_400_BAD_REQUEST))
    change = record_action(brand=brand, opportunity=opportunity, action=action, now=now)
    feedback = change.feedback
    mark = IdeaMark(feedback.state, feedback.planned_for, feedback.reason, feedback.reason_text)
    payload = {"opportunity_id": str(opportunity.pk), **_feedback_json(mark, feedback.decided_at)}
    return _private(Response(payload))
