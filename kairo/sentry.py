"""Optional error reporting to Sentry.

Enabled only when SENTRY_DSN is set and `sentry-sdk` is installed (it is deliberately not
a dependency: `pip install sentry-sdk` on the server that wants it). Events never carry
personal data (send_default_pii=False) and every message and exception text passes through
the same redaction as the logs, so users' Apify/OpenAI keys cannot reach Sentry.
"""

from __future__ import annotations

import logging
from typing import Any

from kairo.logging import redact

logger = logging.getLogger(__name__)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_redact_value(item) for item in value)
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    return value


def redact_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry `before_send`: masks secrets in the message, log entry, exception values and
    stack-frame variables, breadcrumbs, request data and extras of an event."""
    for key in ("message", "logentry", "exception", "threads", "breadcrumbs", "request", "extra"):
        if key in event:
            event[key] = _redact_value(event[key])
    return event


def init_sentry(dsn: str, *, environment: str | None = None) -> bool:
    """Starts the Sentry SDK; False (and a warning) when the package is not installed."""
    try:
        import sentry_sdk
    except ImportError:
        logger.warning("SENTRY_DSN is set but sentry-sdk is not installed; error reporting off.")
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        before_send=redact_event,
        # Form bodies can hold a user's Apify/OpenAI key (the Settings page): never sent.
        max_request_body_size="never",
        traces_sample_rate=0.0,
    )
    return True
