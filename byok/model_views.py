"""The OpenAI model card on Settings: pick the model runs use, refresh the key's list.

The card (templates/byok/_model_picker.html) is its own HTMX island: its forms swap it
whole, and it reloads itself on the `openai-models-changed` event, which the key views
send (`announce_model_list_change`) when saving or testing the OpenAI key loaded a new
list. Without JavaScript the forms post and come back to Settings with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from byok.model_choice import ModelPicker, ModelRefused, choose_model, model_picker
from byok.model_choice import refresh_model_list as load_model_list
from byok.throttle import TOO_MANY_TESTS, allow_connection_test
from kairo.htmx import add_trigger
from users.http import AuthenticatedHttpRequest

MODEL_LIST_CHANGED = "openai-models-changed"


def announce_model_list_change(response: HttpResponse) -> HttpResponse:
    """Tell the model card on the page to reload (an HX-Trigger event)."""
    return add_trigger(response, MODEL_LIST_CHANGED)


def _card(request: AuthenticatedHttpRequest, picker: ModelPicker) -> HttpResponse:
    return render(request, "byok/_model_picker.html", {"picker": picker})


def _back_to_settings() -> HttpResponse:
    return redirect(reverse("byok:settings") + "#openai-model-panel")


@never_cache
@require_http_methods(["GET", "POST"])
def model_panel(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the card. POST `openai_model`: use that model for runs ("" = the default)."""
    if request.method == "GET":
        return _card(request, model_picker(request.user)) if request.htmx else _back_to_settings()
    try:
        chosen = choose_model(user=request.user, model=request.POST.get("openai_model", ""))
    except ModelRefused as exc:
        if request.htmx:  # HTMX swaps 2xx answers only: the card shows the error
            return _card(request, model_picker(request.user, error=str(exc)))
        messages.error(request, str(exc))
        return _back_to_settings()
    picker = model_picker(request.user)
    default = "" if chosen else ", Kairo's default"
    messages.success(request, f"Your runs now use {picker.model}{default}.")
    return _card(request, picker) if request.htmx else _back_to_settings()


@require_POST
def refresh_models(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Load the models the saved OpenAI key can use (one call to OpenAI), then the card."""
    if not allow_connection_test(request.user):  # the same per-minute budget as tests
        if request.htmx:
            return _card(request, model_picker(request.user, error=TOO_MANY_TESTS))
        messages.error(request, TOO_MANY_TESTS)
        return _back_to_settings()
    picker = load_model_list(request.user)
    if picker.listed_at and not picker.list_message:  # a failure is shown on the card
        count = len(picker.options)
        messages.success(request, f"Loaded {count} model{'s' if count != 1 else ''} you can use.")
    return _card(request, picker) if request.htmx else _back_to_settings()
