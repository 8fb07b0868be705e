"""A per-user limit on connection tests (page and API).

Each test makes an outbound call to Apify or OpenAI, so without a limit Kairo could be
used to check stolen keys in bulk. Fixed one-minute windows in the default cache.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from users.models import User

TOO_MANY_TESTS = "Too many connection tests. Wait a minute, then try again."


def allow_connection_test(user: User) -> bool:
    """Count one test for `user`; False when this minute's allowance is used up."""
    limit = getattr(settings, "KEY_TESTS_PER_MINUTE", 20)
    key = f"byok-tests:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=70)
        count = 1
    return count <= limit
