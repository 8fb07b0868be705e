"""Login attempt limiting per account and per client IP (fixed window in the cache)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind Railway's proxy the client is the first X-Forwarded-For entry.
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and not settings.DEBUG:
        return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _keys(request: HttpRequest, email: str) -> list[str]:
    return [f"login-rate:ip:{client_ip(request)}", f"login-rate:acct:{email.strip().lower()}"]


def login_rate_limited(request: HttpRequest, email: str) -> bool:
    return any(cache.get(key, 0) >= settings.LOGIN_RATE_LIMIT for key in _keys(request, email))


def record_failed_login(request: HttpRequest, email: str) -> None:
    for key in _keys(request, email):
        cache.add(key, 0, timeout=settings.LOGIN_RATE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW)


def clear_failed_logins(request: HttpRequest, email: str) -> None:
    cache.delete(f"login-rate:acct:{email.strip().lower()}")
