"""The Settings page: paste, test, save and remove the user's own keys.

Works with HTMX (inline results, toasts) and without JavaScript (plain form posts).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from byok.formats import KeyFormatError
from byok.forms import ApiKeysForm
from byok.keys import (
    is_demo_mode,
    key_summaries,
    remove_user_key,
    scraping_unavailable_reason,
)
from byok.messages import message_for
from byok.model_choice import model_picker, refresh_after_test, save_keys_and_model
from byok.model_views import announce_model_list_change
from byok.providers import SPECS, SPECS_BY_FIELD, ProviderSpec, spec_for
from byok.tested import (
    apply_remembered_tests,
    failed_tests,
    hold_for_confirmation,
    remember_test,
    take_held,
)
from byok.throttle import TOO_MANY_TESTS, allow_connection_test
from byok.validation import NoKeyToTest, check_connection
from kairo.htmx import toast_key
from users.http import AuthenticatedHttpRequest

CONFIRM_FIELD = "save_failed_key"  # "Save anyway": the user saw the failed test
SAVED_FLAG = "saved"  # ?saved=1: the page after a save offers "Go to Today →"
KEYS_TOAST = toast_key("api-keys")  # a second save's toast replaces the first's


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
    confirm: list[dict[str, Any]] | None = None,
    saved: bool = False,
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
        "confirm": confirm,
        "confirm_field": CONFIRM_FIELD,
        "saved": saved or request.GET.get(SAVED_FLAG) == "1",
        "scraping_disabled": scraping_unavailable_reason(),
        "picker": model_picker(request.user),
    }
    template = "byok/_keys_panel.html" if request.htmx else "byok/settings.html"
    return render(request, template, context, status=status)


def _saved_message(changes: dict[str, str]) -> str:
    names = [SPECS_BY_FIELD[name].key_label for name in changes]
    return "Saved your " + " and ".join(names) + "."


def _changes_to_save(
    request: AuthenticatedHttpRequest, form: ApiKeysForm, *, confirmed: bool
) -> dict[str, str]:
    """The typed keys; after "Save anyway", the keys held while asking fill in the
    fields a page without JavaScript came back with empty."""
    held = take_held(request.session)
    return {**held, **form.changes} if confirmed else form.changes


def _ask_to_confirm(
    request: AuthenticatedHttpRequest, changes: dict[str, str], failed: dict[str, str]
) -> HttpResponse:
    """A key that just failed its test is about to be saved: ask first."""
    hold_for_confirmation(request.session, changes)
    # With HTMX the test's reason is still on the field, right above: say it once.
    confirm = [
        {
            "spec": SPECS_BY_FIELD[field],
            "message": "" if request.htmx else message_for(SPECS_BY_FIELD[field], status),
        }
        for field, status in failed.items()
    ]
    if request.htmx:  # under the typed keys, which stay as they are
        context = {"confirm": confirm, "confirm_field": CONFIRM_FIELD}
        response = render(request, "byok/_confirm_failed.html", context)
        return reswap(retarget(response, "#keys-confirm"), "innerHTML")
    return _page(request, confirm=confirm)


@never_cache
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    form = ApiKeysForm(request.POST, summaries=key_summaries(request.user))
    if not form.is_valid():
        # HTMX swaps only 2xx answers; a plain form post gets an honest 400.
        return _page(request, form, status=200 if request.htmx else 400)
    confirmed = request.POST.get(CONFIRM_FIELD) == "1"
    changes = _changes_to_save(request, form, confirmed=confirmed)
    failed = failed_tests(request.session, changes)
    if failed and not confirmed:
        return _ask_to_confirm(request, changes, failed)
    was_demo = is_demo_mode(request.user)
    if not changes:
        messages.info(request, "Nothing to save: paste a key first.", extra_tags=KEYS_TOAST)
        return _page(request) if request.htmx else redirect("byok:settings")
    save_keys_and_model(user=request.user, changes=changes)
    apply_remembered_tests(request.session, request.user, changes)
    messages.success(request, _saved_message(changes), extra_tags=KEYS_TOAST)
    saved_url = f"{reverse('byok:settings')}?{SAVED_FLAG}=1"
    if not request.htmx:
        return redirect(saved_url)
    if was_demo != is_demo_mode(request.user):
        # Demo Mode started or ended: load the whole page again, so all of it (the model
        # card too) reflects the keys; it shows the toast and "Go to Today →".
        return HttpResponse(headers={"HX-Redirect": saved_url})
    if "openai_key" in changes:
        return announce_model_list_change(_page(request, saved=True))
    return _page(request, saved=True)


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
        context = {"test": result, "spec": spec, "summary": key_summaries(request.user)[spec.field]}
        response = render(request, "byok/_test_answer.html", context)
        return announce_model_list_change(response) if models_loaded else response
    return _page(request, test_results={spec.field: result})


@require_POST
def remove_key(request: AuthenticatedHttpRequest, provider: str) -> HttpResponse:
    spec = _spec_or_404(provider)
    if remove_user_key(user=request.user, spec=spec):
        messages.success(request, f"Removed your {spec.key_label}.", extra_tags=KEYS_TOAST)
    else:
        messages.info(request, f"No {spec.key_label} was saved.", extra_tags=KEYS_TOAST)
    return redirect("byok:settings")
