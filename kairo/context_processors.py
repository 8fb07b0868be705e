from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def kairo(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: the auth mode. (Demo Mode is said only over sample cards,
    by the board itself, so no page pays a query to ask.)"""
    return {"AUTH_PROVIDER": settings.AUTH_PROVIDER}
