"""HX-Trigger events on a response: read what it carries, add more (one place, so the
toasts of kairo/middleware.py and a view's own events end up in the same header)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.messages.storage.base import Message
from django.http import HttpResponse


def triggers_of(response: HttpResponse) -> dict[str, Any]:
    """The events in the response's HX-Trigger (JSON, or a plain list of names)."""
    raw = response.headers.get("HX-Trigger") or ""
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {name.strip(): None for name in raw.split(",") if name.strip()}
    return parsed if isinstance(parsed, dict) else {str(parsed): None}


def add_trigger(response: HttpResponse, event: str, detail: Any = None) -> HttpResponse:
    """Send `event` (with `detail`) too, keeping the events already there."""
    triggers = triggers_of(response)
    triggers[event] = detail
    response.headers["HX-Trigger"] = json.dumps(triggers)
    return response


# --- Toasts -------------------------------------------------------------------------------
# A Django message becomes a toast: on the next page (templates/partials/toasts.html) or,
# for an HTMX answer, in its HX-Trigger `toasts` event (kairo/middleware.py). Both carry
# the same fields, and static/js/kairo.js shows, replaces and dismisses them.

TOAST_KEY_TAG = "toast-key:"
TOAST_LEVELS = ("error", "warning", "info", "success")  # the first tag that matches wins


def toast_key(key: str) -> str:
    """`extra_tags` for a message whose toast replaces the shown toast with the same key
    (so "Regeneration started." gives way to "Your board is ready.")."""
    return f"{TOAST_KEY_TAG}{key}"


def toast_of(message: Message) -> dict[str, str]:
    """{"message", "level"} and, when the message has one, "key"."""
    tags = message.tags.split()
    level = next((name for name in TOAST_LEVELS if name in tags), "success")
    toast = {"message": str(message), "level": level}
    key = next(
        (
            tag[len(TOAST_KEY_TAG) :]
            for tag in (message.extra_tags or "").split()
            if tag.startswith(TOAST_KEY_TAG)
        ),
        "",
    )
    if key:
        toast["key"] = key
    return toast
