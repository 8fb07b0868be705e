from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def kairo(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: auth mode and whether the user is in demo mode."""
    user = getattr(request, "user", None)
    demo_mode = False
    if user is not None and user.is_authenticated:
        from byok.keys import is_demo_mode

        demo_mode = is_demo_mode(user)
    return {"AUTH_PROVIDER": settings.AUTH_PROVIDER, "demo_mode": demo_mode}
