"""Attempt limits per client address and per email, shared by every process.

Login, sign-up, password reset and the magic links Kairo sends each count attempts in a
fixed window, per client address and per email address. The counts live in the
database (users.models.AttemptCounter, one atomic upsert per count), so every gunicorn
worker, thread and replica counts together whatever cache is configured. An attempt is
counted before it is made, so a burst of parallel requests cannot all pass the check
while the count is still low; a successful login is then forgiven (`forgive`).

The client address. REMOTE_ADDR is the last hop: behind a proxy, the proxy itself.
Each trusted proxy appends the address it received the request from to
X-Forwarded-For, so behind TRUSTED_PROXY_COUNT of them the client is that many entries
from the right; anything further left was written by the client and is ignored.
Railway's edge is one such proxy (the default when DEBUG is off; docs/deploy.md).
IPv6 clients count per /64, the block one subscriber usually holds.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F
from django.http import HttpRequest

from users.models import AttemptCounter

logger = logging.getLogger(__name__)

SWEEP_PROBABILITY = 0.01  # share of new counts that also delete every expired one


@dataclass(frozen=True)
class Limit:
    name: str
    per_ip: int
    per_email: int
    window: int  # seconds
    message: str


def login_limit() -> Limit:
    return Limit(
        "login",
        per_ip=settings.LOGIN_RATE_LIMIT,
        per_email=settings.LOGIN_RATE_LIMIT,
        window=settings.LOGIN_RATE_WINDOW,
        message="Too many login attempts. Wait a few minutes and try again.",
    )


# Each of these makes Supabase send an email (or create an account) from the server's
# address, which shares one per-IP quota at Supabase: one client must not use it up.
SIGNUP = Limit(
    "signup",
    per_ip=10,
    per_email=3,
    window=3600,
    message="Too many sign-ups from here. Wait a while and try again.",
)
PASSWORD_RESET = Limit(
    "reset",
    per_ip=5,
    per_email=5,
    window=900,
    message="Too many reset requests. Wait a few minutes and try again.",
)
MAGIC_LINK = Limit(
    "magic-link",
    per_ip=5,
    per_email=3,
    window=900,
    message="We sent this address a link a moment ago. Check your inbox, or wait a few "
    "minutes before asking again.",
)


def client_ip(request: HttpRequest) -> str:
    """The address limits count against (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    candidate = remote
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    return _bucket(candidate) or _bucket(remote) or "unknown"


def _bucket(address: str) -> str | None:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def _key(limit: Limit, kind: str, value: str) -> str:
    return hashlib.sha256(f"{limit.name}:{kind}:{value}".encode()).hexdigest()


def _keys(request: HttpRequest, limit: Limit, email: str) -> list[tuple[str, int]]:
    return [
        (_key(limit, "ip", client_ip(request)), limit.per_ip),
        (_key(limit, "email", email.strip().lower()), limit.per_email),
    ]


def count_attempt(key: str, window: int) -> int:
    """Adds one to `key`'s count in its current window (a new window if it ran out) and
    returns the new count. One statement, so concurrent callers never lose a count."""
    now = time.time()
    quote = connection.ops.quote_name
    table, key_, count, expires = (
        quote(name) for name in (AttemptCounter._meta.db_table, "key", "count", "expires_at")
    )
    # Only quoted identifiers are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({key_}, {count}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key_}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} > %s THEN {table}.{count} + 1 ELSE 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} > %s THEN {table}.{expires} "
        f"ELSE excluded.{expires} END RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, now + window, now, now])
        (value,) = cursor.fetchone()
    if random.random() < SWEEP_PROBABILITY:
        _sweep(now)
    return int(value)


def _sweep(now: float) -> None:
    try:
        AttemptCounter.objects.filter(expires_at__lte=now).delete()
    except DatabaseError as exc:  # e.g. two sweeps at once; the next one catches up
        logger.info("Expired attempt counts not swept: %s", type(exc).__name__)


def attempt(request: HttpRequest, limit: Limit, email: str) -> bool:
    """Counts one attempt at `limit` for this client and email. False when either is over
    its limit: then the caller must not make the attempt."""
    allowed = True
    for key, maximum in _keys(request, limit, email):
        allowed = count_attempt(key, limit.window) <= maximum and allowed
    if not allowed:
        logger.info("Rate limit %s reached", limit.name)
    return allowed


def forgive(request: HttpRequest, limit: Limit, email: str) -> None:
    """After a success: the account starts afresh, and this attempt stops counting against
    the address (so an office behind one address is limited by its failures only)."""
    (ip_key, _), (email_key, _) = _keys(request, limit, email)
    AttemptCounter.objects.filter(key=email_key).delete()
    AttemptCounter.objects.filter(key=ip_key, count__gt=0).update(count=F("count") - 1)
