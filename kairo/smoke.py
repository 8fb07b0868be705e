"""A view that fails on purpose, mounted at /smoke/error/ only when SMOKE_ERROR_URL=true.

The production smoke test (.ci/smoke) requests it to prove that an unhandled exception
under production settings shows the custom 500 page, never a debug page or traceback.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse


class SmokeTestError(RuntimeError):
    """Raised on purpose; its message must never reach the browser."""


@login_not_required
def raise_error(request: HttpRequest) -> HttpResponse:
    raise SmokeTestError("forced failure for the production smoke test")
