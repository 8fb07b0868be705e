"""Secret redaction for every log record.

Installed twice: as a handler filter (LOGGING) and as the process-wide log record
factory (KairoConfig.ready), so records captured by any handler — including test
capture and error reporters — are already clean. Known stored keys are registered
with `remember_secret` when they are decrypted, the server's own secrets at startup;
anything key-shaped is masked too.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

KEY_SHAPED = re.compile(
    r"(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,}"  # OpenAI keys
    r"|apify_api_[A-Za-z0-9]{20,}"  # Apify tokens
    r"|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})"  # JWTs
)
BEARER = re.compile(r"(?i)(bearer\s+)[^\s'\",]+")
MASK = "[REDACTED]"

_known_secrets: set[str] = set()
_lock = threading.Lock()


def remember_secret(secret: str) -> None:
    """Make sure `secret` is masked in every later log line, whatever its shape."""
    if secret and len(secret) >= 8:
        with _lock:
            _known_secrets.add(secret)


def remember_server_secrets() -> None:
    """The server's own secrets are masked like users' keys: an exception message that
    echoes configuration (a library error, a failed connection) must not carry them."""
    from django.conf import settings

    names = (
        "SECRET_KEY",
        "SUPABASE_JWT_SECRET",
        "SUPABASE_SERVICE_KEY",
        "OPENAI_API_KEY",
        "APIFY_TOKEN",
        "EMAIL_HOST_PASSWORD",
    )
    values = [str(getattr(settings, name, "") or "") for name in names]
    values += [str(key) for key in getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    values += str(getattr(settings, "ENCRYPTION_KEY", "") or "").split(",")
    values += [str(db.get("PASSWORD") or "") for db in settings.DATABASES.values()]
    for value in values:
        remember_secret(value.strip())


def redact(text: str) -> str:
    for secret in tuple(_known_secrets):
        if secret in text:
            text = text.replace(secret, MASK)
    text = BEARER.sub(r"\1" + MASK, text)
    return KEY_SHAPED.sub(MASK, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, "_kairo_redacted", False):
        return record
    message = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    record.msg = redact(message)
    record.args = None
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    record._kairo_redacted = True
    return record


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


_original_factory = logging.getLogRecordFactory()


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _original_factory(*args, **kwargs)
    try:
        return redact_record(record)
    except Exception:  # a broken format string must not lose the record
        return record


def install_record_factory() -> None:
    if logging.getLogRecordFactory() is not _redacting_factory:
        logging.setLogRecordFactory(_redacting_factory)


class OneLineFormatter(logging.Formatter):
    """One log line per event: tracebacks and multi-line messages keep their newlines as
    a literal `\\n`, so log platforms (Railway) do not split one event into many."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r\n", "\n").replace("\n", "\\n")
