"""The marketer's workspace pages: acting on a card (and undoing it), the plan, its
exports (CSV, the calendar feed and its secret URL) and an idea's brief.

Card actions answer HTMX with the card's action row and an `ideaChanged` trigger whose
toast carries Undo (static/js/workspace.js); a plain form post redirects back to the
page it came from with a message. Every brand-scoped view looks the brand up through
`get_brand_for_user` (another user's is a 404); the feed is the one view without a
sign-in, and its token is its authority.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from brands.models import Brand
from brands.selectors import get_brand_for_user
from opportunities.cards import card_from_opportunity
from opportunities.models import Opportunity
from users.http import AuthenticatedHttpRequest
from workspace.actions import (
    InvalidAction,
    NothingToUndo,
    done_message,
    opportunity_for_brand,
    parse_action,
    record_action,
    undo_change,
)
from workspace.briefs import brief_from_card
from workspace.exports import plan_csv, plan_ics
from workspace.feeds import brand_for_feed_token, rotate_feed, turn_off_feed, turn_on_feed
from workspace.marks import marks_for_opportunities
from workspace.plan import build_plan, month_from_param, planned_ideas
from workspace.templatetags.ideas import action_row_context

MARKDOWN = "text/markdown; charset=utf-8"


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Where a plain form post returns: its `next` if it's one of our pages."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe and target.startswith("/") else fallback)


def _idea_or_404(
    request: AuthenticatedHttpRequest, brand_id: UUID, opportunity_id: UUID
) -> tuple[Brand, Opportunity]:
    brand = get_brand_for_user(request.user, brand_id)
    opportunity = opportunity_for_brand(brand, opportunity_id)
    if opportunity is None:
        raise Http404("No such idea.")
    return brand, opportunity


def _action_row(
    request: AuthenticatedHttpRequest, brand: Brand, opportunity: Opportunity, **extra: Any
) -> HttpResponse:
    card = card_from_opportunity(opportunity, timezone.now())
    mark = marks_for_opportunities(brand, [card.key]).get(card.key)
    context = action_row_context(brand=brand, card=card, mark=mark, request=request, **extra)
    return render(request, "workspace/partials/idea_actions.html", context)


@require_POST
def idea_feedback(
    request: AuthenticatedHttpRequest, brand_id: UUID, opportunity_id: UUID
) -> HttpResponse:
    brand, opportunity = _idea_or_404(request, brand_id, opportunity_id)
    today_url = reverse("opportunities:today", args=[brand.pk])
    now = timezone.now()
    try:
        action = parse_action(request.POST, timezone.localdate(now))
    except InvalidAction as invalid:
        if not request.htmx:
            messages.error(request, " ".join(invalid.errors.values()))
            return _back(request, today_url)
        asked = request.POST.get("state", "")
        return _action_row(request, brand, opportunity, errors=invalid.errors, open_form=asked)
    change = record_action(brand=brand, opportunity=opportunity, action=action, now=now)
    message = done_message(change)
    if not request.htmx:
        messages.success(request, message)
        return _back(request, today_url)
    response = _action_row(request, brand, opportunity)
    undo_url = reverse("workspace:undo", args=[brand.pk, change.pk])
    trigger = {"message": message, "undo_url": undo_url, "target": f"#idea-{opportunity.pk}"}
    response["HX-Trigger"] = json.dumps({"ideaChanged": trigger})
    return response


@require_POST
def undo_feedback(
    request: AuthenticatedHttpRequest, brand_id: UUID, change_id: UUID
) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    fallback = reverse("opportunities:today", args=[brand.pk])
    try:
        change = undo_change(brand=brand, change_id=change_id, now=timezone.now())
    except NothingToUndo as nothing:
        messages.error(request, nothing.message)
        if request.htmx:  # the toast says why; the row stays as it is
            return HttpResponse(status=204)
        return _back(request, fallback)
    messages.success(request, f"Undone: “{change.feedback.title}” is as it was.")
    opportunity = change.feedback.opportunity
    if not request.htmx or opportunity is None:
        return _back(request, fallback)
    return _action_row(request, brand, opportunity)


@require_safe
def idea_brief(
    request: AuthenticatedHttpRequest, brand_id: UUID, opportunity_id: UUID
) -> HttpResponse:
    """The card's brief as a Markdown file (what "Copy as brief" copies)."""
    _, opportunity = _idea_or_404(request, brand_id, opportunity_id)
    text = brief_from_card(card_from_opportunity(opportunity, timezone.now()))
    return HttpResponse(text, content_type=MARKDOWN)


@require_safe
def plan_page(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    now = timezone.now()
    today = timezone.localdate(now)
    month = month_from_param(request.GET.get("month"), today)
    plan = build_plan(brand, month, now, today)
    feed_url = (
        request.build_absolute_uri(reverse("workspace:calendar_feed", args=[plan.feed.token]))
        if plan.feed
        else ""
    )
    context = {"brand": brand, "plan": plan, "feed_url": feed_url, "today": today}
    return render(request, "workspace/plan.html", context)


@require_safe
def plan_export_csv(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    response = HttpResponse(plan_csv(planned_ideas(brand)), content_type="text/csv; charset=utf-8")
    filename = f"kairo-plan-{brand.slug or 'brand'}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FEED_ACTIONS = {
    "on": (turn_on_feed, "Your calendar feed is on. Subscribe to its link in your calendar app."),
    "rotate": (rotate_feed, "New feed link made. The old link no longer works."),
}


@require_POST
def calendar_feed_settings(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    """Turn the feed on, rotate its secret URL, or turn it off."""
    brand = get_brand_for_user(request.user, brand_id)
    action = request.POST.get("action", "")
    if action in FEED_ACTIONS:
        change, message = FEED_ACTIONS[action]
        change(brand)
        messages.success(request, message)
    elif action == "off":
        turn_off_feed(brand)
        messages.success(request, "Calendar feed turned off. Its link no longer works.")
    else:
        messages.error(request, "Choose to turn the feed on, make a new link, or turn it off.")
    return redirect(reverse("workspace:plan", args=[brand.pk]) + "#calendar-feed")


@never_cache
@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    brand = brand_for_feed_token(feed_token)
    if brand is None:
        raise Http404("No such calendar feed.")
    plan_url = request.build_absolute_uri(reverse("workspace:plan", args=[brand.pk]))
    response = HttpResponse(plan_ics(brand, plan_url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kairo-plan.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
