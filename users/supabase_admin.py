"""Supabase Auth's admin API (service-role key), for operator commands only — never in a
request. `manage.py link_supabase_account` reads one user with it."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class SupabaseAdminError(Exception):
    """The admin API could not answer; the message says what to do."""


def get_user(uid: uuid.UUID) -> dict[str, Any] | None:
    """GoTrue's User object for `uid` (GET /auth/v1/admin/users/<id>), None if none."""
    if not settings.SUPABASE_URL or not settings.SUPABASE_SERVICE_KEY:
        raise SupabaseAdminError(
            "SUPABASE_URL and SUPABASE_SERVICE_KEY are needed to look the account up. "
            "Set the service-role key for this one command and run it again."
        )
    key = settings.SUPABASE_SERVICE_KEY
    headers = {"apikey": key, "Authorization": f"Bearer {key}"}
    url = f"{settings.SUPABASE_URL}/auth/v1/admin/users/{uid}"
    try:
        response = httpx.get(url, headers=headers, timeout=TIMEOUT)
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
        body = response.json()
    except ValueError:
        raise SupabaseAdminError("Supabase answered with something other than JSON.") from None
    return body if isinstance(body, dict) else None
