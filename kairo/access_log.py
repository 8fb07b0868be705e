"""gunicorn's access log without secrets: request lines are logged with every query value
masked except a few harmless ones, and with the token of a local password-reset link
masked. Email links carry one-time secrets in the URL (`/auth/confirm?token_hash=…`,
`/password-reset/<uid>/<token>/`), and a log line outlives the link's one use.

A new URL that carries a secret in its query needs nothing here (unknown names are
masked); one that carries it in its path needs a pattern in SECRET_PATHS.
Used by gunicorn.conf.py (`logger_class`); imports nothing from Django.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

MASK = "[REDACTED]"
# Query parameters whose values are kept in the log (they name no secret).
SAFE_QUERY_NAMES = frozenset({"next", "type", "page", "step", "platform", "status", "format"})
SECRET_PATHS = [
    # Django's password reset link: /password-reset/<uidb64>/<token>/ (not /set-password/).
    re.compile(r"^(/password-reset/[^/]+/)(?!set-password/)[^/]+(/.*)?$"),
    # A brand's calendar feed: /calendar/<token>.ics (workspace/feeds.py; the token is its key).
    re.compile(r"^(/calendar/)[^/]+?(\.ics)?$"),
]


def redact_query(query: str) -> str:
    """Each `name=value` keeps its value only for SAFE_QUERY_NAMES; a bare piece (no
    `=`) may itself be a secret and is masked whole."""
    if not query:
        return ""
    pieces = []
    for piece in query.split("&"):
        name, has_value, _ = piece.partition("=")
        if not has_value:
            pieces.append(MASK if piece else "")
        elif unquote_plus(name) in SAFE_QUERY_NAMES:
            pieces.append(piece)
        else:
            pieces.append(f"{name}={MASK}")
    return "&".join(pieces)


def redact_path(path: str) -> str:
    for pattern in SECRET_PATHS:
        path = pattern.sub(lambda m: m.group(1) + MASK + (m.group(2) or ""), path)
    return path


def redact_uri(uri: str) -> str:
    path, sep, query = (uri or "").partition("?")
    path = redact_path(path)
    return f"{path}?{redact_query(query)}" if sep else path


# Atoms a custom access_log_format could name that carry credentials: never logged.
CREDENTIAL_ATOMS = frozenset(
    {"{authorization}i", "{cookie}i", "{set-cookie}o", "{http_authorization}e", "{http_cookie}e"}
)
URI_ATOMS = frozenset({"f", "{referer}i", "{raw_uri}e", "{request_uri}e", "{http_referer}e"})


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta
    ) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        uri = redact_uri(environ.get("RAW_URI", ""))
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {uri} {environ.get('SERVER_PROTOCOL')}"
        atoms["U"] = atoms["{path_info}e"] = redact_path(environ.get("PATH_INFO", ""))
        atoms["q"] = atoms["{query_string}e"] = redact_query(environ.get("QUERY_STRING", ""))
        for name in URI_ATOMS & atoms.keys():
            atoms[name] = redact_uri(str(atoms[name]))
        for name in CREDENTIAL_ATOMS & atoms.keys():
            atoms[name] = MASK
        return atoms
