from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brands import onboarding, website_prefill
from brands.countries import locale_defaults
from brands.forms import STEP_FORMS, BrandCreateForm, avoid_conflicts
from brands.models import Brand, BrandBrainSnapshot, OnboardingAnswers
from brands.selectors import brands_for_user, get_brand_for_user
from brands.services import brand_create
from brands.snapshots import (
    OnboardingIncomplete,
    build_snapshot_data,
    compile_snapshot,
    current_snapshot,
    is_stale,
    readable,
    snapshot_history,
)
from brands.website_guard import WebsiteError
from users import ratelimit
from users.http import AuthenticatedHttpRequest


def brand_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # One query: each card shows its BrandBrain version (or that onboarding is unfinished).
    brands = brands_for_user(request.user).annotate(brainversion=Max("snapshots__version"))
    return render(request, "brands/list.html", {"brands": brands})


@require_http_methods(["GET", "POST"])
def brand_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BrandCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        brand = brand_create(owner=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"{brand.name} created. Let's teach Kairo about it.")
        return redirect("brands:onboarding", brand_id=brand.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "brands/new.html", {"form": form}, status=status)


@require_GET
def brand_home(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    snapshot = current_snapshot(brand)
    context = {
        "brand": brand,
        "snapshot": snapshot,
        "history": snapshot_history(brand),
        "stale": is_stale(brand, snapshot),
        "guard": onboarding.require_snapshot(brand) if snapshot is None else None,
        "snapshot_json": _pretty(snapshot.data) if snapshot else "",
        "readable": readable(snapshot.data) if snapshot else None,
        "today_url": reverse("opportunities:today", args=[brand.pk]),
        "onboarding_url": onboarding.first_unfinished_step_url(brand),
    }
    return render(request, "brands/home.html", context)


@require_GET
def snapshot_detail(
    request: AuthenticatedHttpRequest, brand_id: UUID, version: int
) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    snapshot = get_object_or_404(BrandBrainSnapshot, brand=brand, version=version)
    context = {
        "brand": brand,
        "snapshot": snapshot,
        "snapshot_json": _pretty(snapshot.data),
        "readable": readable(snapshot.data),
    }
    return render(request, "brands/snapshot_detail.html", context)


def _pretty(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


@require_GET
def onboarding_entry(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    return redirect(onboarding.first_unfinished_step_url(brand))


@require_http_methods(["GET", "POST"])
def onboarding_step(request: AuthenticatedHttpRequest, brand_id: UUID, step: str) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    if step not in onboarding.STEPS_BY_SLUG:
        raise Http404("No such onboarding step.")
    answers = onboarding.answers_for(brand)
    if not onboarding.is_reachable(answers, step):
        return redirect(onboarding.first_unfinished_step_url(brand))
    if step == "compile":
        return _compile_step(request, brand, answers)

    form_class = STEP_FORMS[step]
    validate_url = reverse("brands:onboarding_validate", args=[brand.pk, step])
    previous = onboarding.previous_step(step)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, validate_url=validate_url)
        back_to = previous if request.POST.get("action") == "back" else None
        if form.is_valid():
            onboarding.save_step(brand, step, form.cleaned_data)
            target = back_to or onboarding.next_step(step)
            return redirect(onboarding.step_url(brand, target.slug))
        # PostgreSQL JSON can't hold NUL characters: a draft keeps everything else.
        raw = {name: request.POST.get(name, "")[:4000].replace("\x00", "") for name in form.fields}
        onboarding.save_draft(answers, step, raw)
        if back_to is not None:
            return redirect(onboarding.step_url(brand, back_to.slug))
        status = 400
    else:
        draft = onboarding.draft_for(answers, step)
        if draft is not None:
            form = form_class(draft, validate_url=validate_url)
        else:
            initial = onboarding.step_initial(brand, answers, step)
            if step == "basics":  # a new brand's market starts as the browser's
                locale = locale_defaults(request.headers.get("Accept-Language", ""))
                initial = locale | {key: value for key, value in initial.items() if value}
            form = form_class(initial=initial, validate_url=validate_url)
    context = _wizard_context(brand, answers, step) | {"form": form, "previous": previous}
    return render(request, f"brands/onboarding/{step}.html", context, status=status)


def _wizard_context(brand: Brand, answers: OnboardingAnswers, step: str) -> dict[str, Any]:
    return {
        "brand": brand,
        "step": onboarding.STEPS_BY_SLUG[step],
        "progress": onboarding.wizard_progress(brand, answers, step),
    }


def _compile_step(
    request: AuthenticatedHttpRequest, brand: Brand, answers: OnboardingAnswers
) -> HttpResponse:
    if request.method == "POST":
        before = current_snapshot(brand)
        try:
            snapshot = compile_snapshot(brand)
        except OnboardingIncomplete as incomplete:
            messages.error(request, str(incomplete))
            return redirect(onboarding.step_url(brand, incomplete.step))
        if before is not None and snapshot.pk == before.pk:
            messages.success(request, f"Nothing changed since version {snapshot.version}.")
        else:
            messages.success(request, f"BrandBrain compiled: version {snapshot.version}.")
        # Straight to the board: compiling is the last step before the first ideas.
        return redirect("opportunities:today", brand.pk)
    current = current_snapshot(brand)
    summary = build_snapshot_data(brand)
    context = _wizard_context(brand, answers, "compile") | {
        "summary": summary,
        "readable": readable(summary),
        "warnings": avoid_conflicts(answers.pillars, answers.avoid),
        "snapshot": current,
        "stale": is_stale(brand, current),
        "unsaved_steps": [
            onboarding.STEPS_BY_SLUG[slug]
            for slug in onboarding.FORM_STEPS
            if onboarding.draft_for(answers, slug) is not None
        ],
        "previous": onboarding.previous_step("compile"),
    }
    return render(request, "brands/onboarding/compile.html", context)


@require_POST
def onboarding_validate(
    request: AuthenticatedHttpRequest, brand_id: UUID, step: str
) -> HttpResponse:
    """One field's feedback for live validation: the whole step's form is bound (so
    duplicates and cross-field rules see everything) and only that field's errors (or,
    when it is valid, how it will be saved) are returned, as the HTML that goes in its
    error area, plus the step's warnings for the area under the form."""
    get_brand_for_user(request.user, brand_id)
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404("No such onboarding step.")
    field = request.GET.get("field") or getattr(request.htmx, "trigger_name", None) or ""
    if field not in form_class.base_fields:
        return HttpResponseBadRequest("Unknown field.", content_type="text/plain")
    form = form_class(request.POST)
    form.is_valid()
    errors = list(form.errors.get(field, []))
    saved_as = "" if errors else form.saved_as(field)
    context = {
        "errors": errors,
        "saved_as": saved_as,
        "refresh_warnings": field in form.warning_fields,
        "warnings": form.warnings(),
    }
    return render(request, "brands/partials/field_feedback.html", context)


@require_POST
def onboarding_from_website(request: AuthenticatedHttpRequest, brand_id: UUID) -> HttpResponse:
    """The "Start from your website" box on Basics: fetch the page, pre-fill, back to Basics.
    With HTMX the redirect is followed and the box swaps in the pre-filled step."""
    brand = get_brand_for_user(request.user, brand_id)
    url = request.POST.get("url", "").strip()[:2000]
    error = notice = ""
    limit = website_prefill.fetch_limit()
    if not url:
        error = "Enter your website's address, e.g. yourbrand.com."
    elif not ratelimit.attempt(request, limit, str(request.user.pk)):
        error = limit.message
    else:
        try:
            notice = website_prefill.notice_for(website_prefill.prefill_from_website(brand, url))
        except WebsiteError as refused:
            error = str(refused)
    website_prefill.flash(request.session, brand, url=url, error=error, notice=notice)
    return redirect(onboarding.step_url(brand, "basics") + "#website-prefill")
