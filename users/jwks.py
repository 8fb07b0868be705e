"""The Supabase project's public signing keys (JWKS), kept usable through a key-server outage.

A key-server outage must not become an app outage, and a request that already has a
usable key must never wait on the network:

- A key set younger than REFRESH_AHEAD_SECONDS is used as is. Older, it is still used
  while ONE background thread fetches a new one (stale-while-revalidate), so in normal
  running the set is renewed before it is JWKS_TTL_SECONDS old (Supabase's 10 minutes).
- If those fetches fail, the last good set keeps serving, for at most
  MAX_STALE_SECONDS; a fetch is tried again every RETRY_SECONDS (negative cache).
- Only a request with no usable key waits: a process that never fetched the keys, a set
  past MAX_STALE_SECONDS, or a token naming a `kid` the set lacks (a rotation; at most one
  refetch per UNKNOWN_KID_REFETCH_SECONDS). Concurrent such requests share one fetch
  (single flight): the one that starts it waits at most TIMEOUT; the others wait only
  until the fetch is FOLLOWER_WAIT_SECONDS old (a healthy one takes far less), so a
  hanging key server ties up one thread per process, not all of them; inside the
  negative-cache window they fail at once.
- The last good set is also kept in the shared cache, so a process started during an
  outage begins with it instead of failing.
- The lock guards only the in-memory state; it is never held across the network call.
A check that cannot run raises KeysUnavailable: callers answer 503 (API) or keep the
session and say so (pages), never "invalid token" or a logout.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

ASYMMETRIC = {"ES256": ("EC", "P-256"), "RS256": ("RSA", None)}
JWKS_TTL_SECONDS = 600.0
REFRESH_AHEAD_SECONDS = 480.0
MAX_STALE_SECONDS = 24 * 3600.0
RETRY_SECONDS = 15.0
UNKNOWN_KID_REFETCH_SECONDS = 30.0
TIMEOUT = httpx.Timeout(2.0, connect=1.5)
FOLLOWER_WAIT_SECONDS = 0.5  # how old another's fetch may get while a request waits
SHARED_CACHE_PREFIX = "supabase-jwks:"


class KeysUnavailable(Exception):
    """The signing keys could not be loaded: the token may be fine, the check could not run."""


class UnknownKey(Exception):
    """The key set (freshly fetched) has no usable key with this `kid` and algorithm."""


@dataclass(frozen=True)
class KeySet:
    keys: dict[str, tuple[str, Any]]  # kid -> (algorithm, public key)
    jwks: list[Any]  # the raw entries, kept for the shared cache
    fetched_at: float


@dataclass
class _State:
    keyset: KeySet | None = None
    failed_at: float | None = None
    unknown_kid_fetch_at: float | None = None
    inflight: threading.Event | None = None
    inflight_until: float = 0.0  # time.monotonic() after which followers stop waiting
    last_result: KeySet | None = field(default=None, repr=False)


_clock: Callable[[], float] = time.time  # replaced in tests to step through the lifetimes
_lock = threading.Lock()
_states: dict[str, _State] = {}


def _spawn(target: Callable[[], object]) -> None:
    threading.Thread(target=target, name="jwks-refresh", daemon=True).start()


def reset() -> None:
    with _lock:
        _states.clear()


def parse_jwk(jwk: Any) -> tuple[str, str, Any] | None:
    """(kid, algorithm, public key) for a usable signing key, else None."""
    if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
        return None
    algorithm = next(
        (
            name
            for name, (kty, crv) in ASYMMETRIC.items()
            if jwk.get("kty") == kty and (crv is None or jwk.get("crv") == crv)
        ),
        None,
    )
    if algorithm is None:
        return None  # symmetric ("oct") or unsupported keys are never used
    if jwk.get("alg", algorithm) != algorithm or jwk.get("use", "sig") != "sig":
        return None
    if "key_ops" in jwk and "verify" not in (jwk["key_ops"] or []):
        return None
    try:
        return jwk["kid"], algorithm, jwt.PyJWK(jwk, algorithm=algorithm).key
    except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
        return None


def _keyset_from(entries: Any, fetched_at: float) -> KeySet:
    entries = entries if isinstance(entries, list) else []
    keys: dict[str, tuple[str, Any]] = {}
    for entry in entries:
        parsed = parse_jwk(entry)
        if parsed:
            keys[parsed[0]] = (parsed[1], parsed[2])
    return KeySet(keys=keys, jwks=entries, fetched_at=fetched_at)


def _download(url: str) -> KeySet:
    try:
        response = httpx.get(url, headers={"apikey": settings.SUPABASE_ANON_KEY}, timeout=TIMEOUT)
        response.raise_for_status()
        entries = response.json().get("keys")
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        logger.warning("Supabase JWKS fetch failed: %s", type(exc).__name__)
        raise KeysUnavailable from None
    keyset = _keyset_from(entries, _clock())
    try:
        cache.set(
            SHARED_CACHE_PREFIX + url,
            {"keys": keyset.jwks, "fetched_at": keyset.fetched_at},
            timeout=int(MAX_STALE_SECONDS),
        )
    except Exception as exc:  # the shared copy is a convenience; never fail a fetch on it
        logger.info("Could not share the JWKS through the cache: %s", type(exc).__name__)
    return keyset


def _shared_keyset(url: str) -> KeySet | None:
    try:
        stored = cache.get(SHARED_CACHE_PREFIX + url)
    except Exception:
        return None
    if not isinstance(stored, dict) or not isinstance(stored.get("fetched_at"), int | float):
        return None
    return _keyset_from(stored.get("keys"), float(stored["fetched_at"]))


def _fetch(url: str, state: _State, *, wait: bool) -> KeySet | None:
    """Single-flight fetch. The caller that starts it downloads (without the lock); with
    `wait`, the others wait for that result. None when it failed or was skipped."""
    with _lock:
        running = state.inflight
        if running is None:
            if state.failed_at is not None and _clock() - state.failed_at < RETRY_SECONDS:
                return None  # negative cache: the key server failed moments ago
            event = state.inflight = threading.Event()
            state.inflight_until = time.monotonic() + FOLLOWER_WAIT_SECONDS
        follow_for = state.inflight_until - time.monotonic()
    if running is not None:  # another caller is fetching
        if wait and follow_for > 0:
            running.wait(follow_for)
        with _lock:
            return state.last_result if running.is_set() else None
    keyset: KeySet | None = None
    try:
        keyset = _download(url)
    except KeysUnavailable:
        pass
    finally:
        with _lock:
            if keyset is not None:
                state.keyset, state.failed_at = keyset, None
            else:
                state.failed_at = _clock()
            state.last_result = keyset
            state.inflight = None
        event.set()
    return keyset


def _refresh_due(state: _State, now: float) -> bool:
    with _lock:
        recently_failed = state.failed_at is not None and now - state.failed_at < RETRY_SECONDS
        return state.inflight is None and not recently_failed


def _state(url: str) -> _State:
    with _lock:
        state = _states.get(url)
        if state is None:
            state = _states[url] = _State()
    if state.keyset is None:
        shared = _shared_keyset(url)
        if shared is not None:
            with _lock:
                state.keyset = state.keyset or shared
    return state


def _pick(keyset: KeySet, kid: str, algorithm: str) -> Any:
    found = keyset.keys.get(kid)
    if found is None:
        raise UnknownKey
    key_algorithm, key = found
    if key_algorithm != algorithm:
        raise UnknownKey
    return key


def public_key(url: str, kid: str, algorithm: str) -> Any:
    """The public key for (`kid`, `algorithm`). Raises UnknownKey when the project has
    no such key, KeysUnavailable when the key set cannot be loaded."""
    state = _state(url)
    keyset = state.keyset
    now = _clock()
    age = now - keyset.fetched_at if keyset is not None else None
    if keyset is not None and age is not None and age < MAX_STALE_SECONDS:
        if age >= REFRESH_AHEAD_SECONDS and _refresh_due(state, now):
            _spawn(lambda: _fetch(url, state, wait=False))
        if kid in keyset.keys:
            return _pick(keyset, kid, algorithm)
        # A kid this set lacks: maybe a new key (rotation). Refetch, but not for every
        # made-up kid an attacker sends.
        with _lock:
            last = state.unknown_kid_fetch_at
            if last is not None and now - last < UNKNOWN_KID_REFETCH_SECONDS:
                raise UnknownKey
            state.unknown_kid_fetch_at = now
        fresh = _fetch(url, state, wait=True)
        if fresh is None:
            raise KeysUnavailable  # the refetch failed: the kid may be a real new key
        return _pick(fresh, kid, algorithm)
    fresh = _fetch(url, state, wait=True)  # no usable set: this request has to wait
    if fresh is None:
        raise KeysUnavailable
    return _pick(fresh, kid, algorithm)
