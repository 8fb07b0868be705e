"""Bounded polling, for tests that wait on threads or processes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(
    predicate: Callable[[], Any], timeout: float = 60.0, interval: float = 0.1, what: str = ""
) -> Any:
    """Poll until `predicate()` is truthy and return it; a failure says what it waited for
    (no timing is asserted, the bound only stops a broken run from hanging)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"waited {timeout:.0f}s for {what or 'a condition'}")
