"""The Settings page: paste, test, save and remove the user's own keys.

Works with HTMX (inline results, toasts) and without JavaScript (plain form posts).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from byok.formats import KeyFormatError
from byok.forms import ApiKeysForm
from byok.keys import (
    is_demo_mode,
    key_summaries,
    remove_user_key,
    scraping_unavailable_reason,
)
from byok.model_choice import model_picker, refresh_after_test, save_keys_and_model
from byok.model_views import announce_model_list_change
from byok.providers import SPECS, SPECS_BY_FIELD, ProviderSpec, spec_for
from byok.tested import apply_remembered_tests, remember_test
from byok.throttle import TOO_MANY_TESTS, allow_connection_test
from byok.validation import NoKeyToTest, check_connection
from users.http import AuthenticatedHttpRequest


def _spec_or_404(provider: str) -> ProviderSpec:
    try:
        return spec_for(provider)
    except KeyError:
        raise Http404("No such provider.") from None


def _page(
    request: AuthenticatedHttpRequest,
    form: ApiKeysForm | None = None,
    *,
    test_results: dict[str, dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    summaries = key_summaries(request.user)
    form = form or ApiKeysForm(summaries=summaries)
    keys = [
        {
            "spec": spec,
            "field": form[spec.field],
            "summary": summaries[spec.field],
            "test": (test_results or {}).get(spec.field),
        }
        for spec in SPECS.values()
    ]
    context = {
        "form": form,
        "keys": keys,
        "scraping_disabled": scraping_unavailable_reason(),
        "picker": model_picker(request.user),
    }
    template = "byok/_keys_panel.html" if request.htmx else "byok/settings.html"
    return render(request, template, context, status=status)


def _saved_message(changes: dict[str, str]) -> str:
    names = [SPECS_BY_FIELD[name].key_label for name in changes]
    return "Saved your " + " and ".join(names) + "."


@never_cache
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    form = ApiKeysForm(request.POST, summaries=key_summaries(request.user))
    if not form.is_valid():
        # HTMX swaps only 2xx answers; a plain form post gets an honest 400.
        return _page(request, form, status=200 if request.htmx else 400)
    was_demo = is_demo_mode(request.user)
    if form.changes:
        save_keys_and_model(user=request.user, changes=form.changes)
        apply_remembered_tests(request.session, request.user, form.changes)
        messages.success(request, _saved_message(form.changes))
    else:
        messages.info(request, "Nothing to save: paste a key first.")
    if request.htmx and was_demo == is_demo_mode(request.user):
        if "openai_key" in form.changes:
            return announce_model_list_change(_page(request))
        return _page(request)
    if request.htmx:
        # Demo Mode started or ended: the banner and every page change, so reload
        # (the toast is shown by the reloaded page).
        return HttpResponse(headers={"HX-Refresh": "true"})
    return redirect("byok:settings")


@never_cache
@require_POST
def connection_test(request: AuthenticatedHttpRequest, provider: str) -> HttpResponse:
    """Test Connection: the typed key if any, else the saved one. Answers a fragment."""
    spec = _spec_or_404(provider)
    typed = request.POST.get(spec.field, "")
    result: dict[str, Any]
    models_loaded = False
    if not allow_connection_test(request.user):
        result = {"ok": False, "message": TOO_MANY_TESTS, "tested": "given"}
        if request.htmx:
            return render(request, "byok/_test_result.html", {"test": result})
        return _page(request, test_results={spec.field: result}, status=429)
    try:
        outcome = check_connection(user=request.user, spec=spec, key=typed or None)
    except (KeyFormatError, NoKeyToTest) as exc:
        result = {"ok": False, "message": str(exc), "tested": "given"}
    else:
        if outcome.tested == "given":
            remember_test(request.session, spec, typed, outcome.result.status)
        models_loaded = refresh_after_test(request.user, outcome)
        result = {
            "ok": outcome.result.ok,
            "message": outcome.result.message,
            "tested": outcome.tested,
        }
    if request.htmx:
        response = render(request, "byok/_test_result.html", {"test": result})
        return announce_model_list_change(response) if models_loaded else response
    return _page(request, test_results={spec.field: result})


@require_POST
def remove_key(request: AuthenticatedHttpRequest, provider: str) -> HttpResponse:
    spec = _spec_or_404(provider)
    if remove_user_key(user=request.user, spec=spec):
        messages.success(request, f"Removed your {spec.key_label}.")
    else:
        messages.info(request, f"No {spec.key_label} was saved.")
    return redirect("byok:settings")
