"""Template hooks for the Today board's templates (issue 18): `{% idea_actions card %}`
renders a card's action row, `{% board_tools %}` the filters and the pillar balance.
Both read the `marks` that opportunities.views.today and the finished-run poll put in
the context (workspace.marks.mark_board); a page without them still shows each card's
true state (looked up per card) but no filters.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.utils import timezone

from brands.models import Brand
from opportunities.cards import Card
from workspace.briefs import brief_from_card
from workspace.marks import NEW_MARK, BoardMarks, IdeaMark, marks_for_opportunities
from workspace.models import DismissReason

register = template.Library()


def _page_path(request: HttpRequest | None) -> str:
    """The page a plain form post returns to (an HTMX request's page, not its own URL)."""
    if request is None:
        return ""
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return str(htmx.current_url_abs_path)
    return request.get_full_path()


def action_row_context(
    *,
    brand: Brand,
    card: Card,
    mark: IdeaMark | None,
    request: HttpRequest | None,
    errors: dict[str, str] | None = None,
    open_form: str = "",
) -> dict[str, Any]:
    return {
        "brand": brand,
        "card": card,
        "mark": mark or NEW_MARK,
        "brief": brief_from_card(card),
        "today": timezone.localdate().isoformat(),
        "next_url": _page_path(request),
        "reasons": DismissReason.choices,
        "errors": errors or {},
        "open_form": open_form,
    }


@register.inclusion_tag("workspace/partials/idea_actions.html", takes_context=True)
def idea_actions(context: template.Context, card: Card) -> dict[str, Any]:
    if card.sample or "brand" not in context:
        return {"hidden": True}
    marks = context.get("marks")
    mark: IdeaMark | None
    if isinstance(marks, BoardMarks):
        mark = marks.mark_for(card.key)
    else:  # a page that didn't mark its board (one query per card, so hook it if hot)
        mark = marks_for_opportunities(context["brand"], [card.key]).get(card.key)
    return action_row_context(
        brand=context["brand"], card=card, mark=mark, request=context.get("request")
    )


@register.inclusion_tag("workspace/partials/board_tools.html", takes_context=True)
def board_tools(context: template.Context) -> dict[str, Any]:
    marks = context.get("marks")
    if not isinstance(marks, BoardMarks) or marks.balance is None:
        return {"hidden": True}
    return {"brand": context["brand"], "marks": marks, "filters": marks.filters}
