"""Supabase Auth's admin API (service-role key), for operator commands only — never in a
request. `manage.py link_supabase_account` reads one user with it, `manage.py
migrate_goodie` (brands/legacy.py) finds one by email."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
USERS_PAGE_SIZE = 1000
USERS_MAX_PAGES = 50


class SupabaseAdminError(Exception):
    """The admin API could not answer; the message says what to do."""


def _get(client: httpx.Client, path: str, params: dict[str, str | int] | None = None) -> Any:
    """One admin GET: its JSON body, or None for a 404."""
    try:
        response = client.get(f"{settings.SUPABASE_URL}/auth/v1{path}", params=params)
    except httpx.HTTPError as exc:
        raise SupabaseAdminError(f"Could not reach Supabase ({type(exc).__name__}).") from None
    if response.status_code == 404:
        return None
    if response.status_code in (401, 403):
        raise SupabaseAdminError(
            f"Supabase refused SUPABASE_SERVICE_KEY (HTTP {response.status_code}): "
            "use the service-role (secret) key."
        )
    if response.status_code != 200:
        raise SupabaseAdminError(f"Supabase answered HTTP {response.status_code}; try again.")
    try:
        return response.json()
    except ValueError:
        raise SupabaseAdminError("Supabase answered with something other than JSON.") from None


def _client() -> httpx.Client:
    if not settings.SUPABASE_URL or not settings.SUPABASE_SERVICE_KEY:
        raise SupabaseAdminError(
            "The service-role key SUPABASE_SERVICE_KEY is needed (with SUPABASE_URL) to look "
            "the account up. Set it for this one command and run it again."
        )
    key = settings.SUPABASE_SERVICE_KEY
    headers = {"apikey": key, "Authorization": f"Bearer {key}"}
    return httpx.Client(timeout=TIMEOUT, headers=headers, follow_redirects=False)


def get_user(uid: uuid.UUID) -> dict[str, Any] | None:
    """GoTrue's User object for `uid` (GET /auth/v1/admin/users/<id>), None if none."""
    with _client() as client:
        body = _get(client, f"/admin/users/{uid}")
    return body if isinstance(body, dict) else None


def find_user_by_email(email: str) -> dict[str, Any] | None:
    """GoTrue's User object with exactly this email (GET /auth/v1/admin/users, filtered
    and paged), None if there is none."""
    wanted = email.lower()
    with _client() as client:
        for page in range(1, USERS_MAX_PAGES + 1):
            params: dict[str, str | int] = {
                "filter": email,
                "page": page,
                "per_page": USERS_PAGE_SIZE,
            }
            body = _get(client, "/admin/users", params)
            users = body.get("users") if isinstance(body, dict) else None
            users = users if isinstance(users, list) else []
            for user in users:
                if isinstance(user, dict) and str(user.get("email") or "").lower() == wanted:
                    return user
            if len(users) < USERS_PAGE_SIZE:
                return None
    return None
