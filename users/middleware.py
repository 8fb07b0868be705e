from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from users.api_auth import AUTH_RETRY_SECONDS, AuthUnavailable
from users.supabase_session import AUTH_UNAVAILABLE


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs login (redirect to /login?next=…) except views marked
    `@login_not_required`. /api/ is left to DRF, which answers 401 with JSON.
    A signed-in session whose token can't be checked right now (Supabase's keys
    unreachable) gets 503 "try again", not a trip to the login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, AUTH_UNAVAILABLE, False):
            if request.path.startswith("/api/"):
                response: HttpResponse = JsonResponse(
                    {"detail": str(AuthUnavailable.default_detail)}, status=503
                )
            elif not getattr(view_func, "login_required", True):
                return None  # public pages (the login page, /health/) work as usual
            else:
                response = render(request, "users/auth_unavailable.html", status=503)
            response["Retry-After"] = str(AUTH_RETRY_SECONDS)
            return response
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SupabaseAuthMiddleware:
    """In Supabase mode, verifies the access token on every request and attaches the user
    (users/supabase.py). In local mode it does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.AUTH_PROVIDER != "supabase":
            return self.get_response(request)
        from users import supabase

        return supabase.handle_request(request, self.get_response)
