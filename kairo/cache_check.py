"""One rule: with DEBUG off, several processes must not each keep their own cache.

Refresh locks (users/supabase_session.py), connection-test limits (byok/throttle.py)
and the last good JWKS live in the cache; a per-process cache would split them per
gunicorn worker. (Sign-in limits live in the database whatever the cache is:
users/ratelimit.py.) Checked by settings.py (WEB_CONCURRENCY) and by gunicorn.conf.py
in each worker (the real worker count), which then refuses to start.
"""

from __future__ import annotations

PER_PROCESS_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


def per_process_cache_problem(*, debug: bool, backend: str, workers: int) -> str | None:
    if debug or workers <= 1 or backend not in PER_PROCESS_BACKENDS:
        return None
    return (
        f"CACHE_URL selects a per-process cache ({backend.rsplit('.', 1)[-1]}) while "
        f"{workers} web workers may run: each would keep its own refresh locks and limits. "
        "Unset CACHE_URL (production default: dbcache://kairo_cache, shared through the "
        "database) or point it at a shared cache (e.g. redis://…). See docs/deploy.md."
    )
