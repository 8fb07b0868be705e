"""Project-wide middleware: CORS for /api/ only, security headers, HTMX toasts."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from kairo.htmx import add_trigger, toast_of, triggers_of

Handler = Callable[[HttpRequest], HttpResponse]

# Only the app's own static files and inline-free markup: no third-party origins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated) or getattr(request, "auth_unavailable", False)
        # ^ users.supabase_session.AUTH_UNAVAILABLE: a session whose token can't be checked
    )


class SecurityHeadersMiddleware:
    """CSP and friends on every answer; `Cache-Control: private, no-store` on every answer
    to a signed-in request, so no shared cache keeps it and the back button after logout
    does not show it again."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class ApiCorsMiddleware:
    """CORS for /api/ only, and only for origins listed in CORS_ALLOWED_ORIGINS (never *)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request.headers.get("Origin", "")
        allowed = (
            bool(origin)
            and request.path.startswith("/api/")
            and origin in settings.CORS_ALLOWED_ORIGINS
        )
        if allowed and request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Credentials"] = "true"
            response["Access-Control-Allow-Methods"] = "GET, PUT, POST, DELETE, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-CSRFToken"
            response["Access-Control-Max-Age"] = "600"
            response.headers["Vary"] = "Origin"
        return response


class HtmxMessagesMiddleware:
    """Moves Django messages into an HX-Trigger `toast` event on HTMX responses."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or 300 <= response.status_code < 400:
            return response
        if "HX-Redirect" in response.headers or "HX-Refresh" in response.headers:
            return response
        toasts = [toast_of(m) for m in get_messages(request)]
        if not toasts:
            return response
        return add_trigger(
            response, "toasts", list(triggers_of(response).get("toasts") or []) + toasts
        )
