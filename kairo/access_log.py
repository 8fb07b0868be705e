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
from urllib.parse import parse_qsl, urlencode

from gunicorn.glogging import Logger

MASK = "[REDACTED]"
# Query parameters whose values are kept in the log (they name no secret).
SAFE_QUERY_NAMES = frozenset({"next", "type", "page", "step", "platform", "status", "format"})
SECRET_PATHS = [
    # Django's password reset link: /password-reset/<uidb64>/<token>/ (not /set-password/).
    re.compile(r"^(/password-reset/[^/]+/)(?!set-password/)[^/]+(/.*)?$"),
]


def redact_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:
        return MASK
    kept = [(name, value if name in SAFE_QUERY_NAMES else MASK) for name, value in pairs]
    return urlencode(kept, safe="[]/")


def redact_path(path: str) -> str:
    for pattern in SECRET_PATHS:
        path = pattern.sub(lambda m: m.group(1) + MASK + (m.group(2) or ""), path)
    return path


def redact_uri(uri: str) -> str:
    path, sep, query = (uri or "").partition("?")
    path = redact_path(path)
    return f"{path}?{redact_query(query)}" if sep else path


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        uri = redact_uri(environ.get("RAW_URI", ""))
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {uri} {environ.get('SERVER_PROTOCOL')}"
        atoms["U"] = redact_path(environ.get("PATH_INFO", ""))
        atoms["q"] = redact_query(environ.get("QUERY_STRING", ""))
        atoms["f"] = redact_uri(environ.get("HTTP_REFERER", "-"))
        for name in ("{raw_uri}e", "{request_uri}e"):
            if name in atoms:
                atoms[name] = redact_uri(str(atoms[name]))
        for name in ("{query_string}e",):
            if name in atoms:
                atoms[name] = redact_query(str(atoms[name]))
        atoms["{referer}i"] = atoms["f"]
        return atoms
