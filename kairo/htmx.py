"""HX-Trigger events on a response: read what it carries, add more (one place, so the
toasts of kairo/middleware.py and a view's own events end up in the same header)."""

from __future__ import annotations

import json
from typing import Any

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
