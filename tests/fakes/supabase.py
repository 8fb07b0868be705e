"""Loopback double of Supabase Auth (GoTrue) under `/auth/v1`, for Kairo's httpx client.

It issues really signed access tokens (ES256 or RS256 with a JWKS endpoint and `kid`,
or HS256 with a shared secret) carrying the claims GoTrue sets, rotates refresh tokens
(with GoTrue's reuse interval), and answers errors in the documented shapes: the
`{"code": "<error_code>", "message": …}` shape when `X-Supabase-Api-Version:
2024-01-01` is sent, the older `{"code": <status>, "error_code", "msg"}` shape
otherwise, OAuth-style `{"error", "error_description"}` for a refresh without a
token, and the API gateway's `{"message", "hint"}` for a missing/wrong `apikey`.

Switches for tests: `confirm_email` (email confirmation on/off), `min_password_length`,
`required_characters`, `pwned_passwords`, `email_quota` (emails before
`over_email_send_rate_limit`), `rate_limited` (paths answering `over_request_rate_limit`),
`failing` (path -> HTTP status it answers with, e.g. a JWKS outage), `reuse_interval`,
`access_token_ttl`, `forged_access_token` (served instead of a real one), `delays`
(seconds per path, or a threading.Event: held until it is set) and `latency`.
Sent emails (sign-up, recovery, magic link) land in `outbox`.
"""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any

import jwt

from tests.fakes.server import FakeService, Request, Response
from tests.fakes.supabase_model import (
    ERRORS,
    FakeUser,
    Mail,
    RefreshToken,
    SigningKey,
    new_signing_key,
    user_json,
)

ANON_KEY = "sb_publishable_test_anon_key"
API_VERSION = "2024-01-01"
PREFIX = r"/auth/v1"


class FakeSupabaseAuth(FakeService):
    def __init__(self, algorithm: str = "ES256") -> None:
        super().__init__()
        assert algorithm in {"ES256", "RS256", "HS256"}
        self.algorithm = algorithm
        self.reset()
        for method, path, handler in [
            ("POST", "/signup", self.signup),
            ("POST", "/token", self.token),
            ("POST", "/logout", self.logout),
            ("POST", "/recover", self.recover),
            ("POST", "/otp", self.otp),
            ("POST", "/verify", self.verify),
            ("GET", "/user", self.get_user),
            ("PUT", "/user", self.update_user),
            ("GET", r"/\.well-known/jwks\.json", self.jwks),
        ]:
            self.route(method, PREFIX + path, handler)

    def reset(self) -> None:
        """Fresh state and keys (the server keeps running): lets one double serve many tests."""
        with self._lock:
            self.requests.clear()
        self.anon_key = ANON_KEY
        self.jwt_secret = "super-secret-jwt-token-with-at-least-32-characters-long"
        self.keys: list[SigningKey] = (
            [] if self.algorithm == "HS256" else [new_signing_key(self.algorithm)]
        )
        self.users: dict[str, FakeUser] = {}  # by email
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.sessions: dict[str, str] = {}  # session_id -> user_id
        self.otps: dict[str, tuple[str, str]] = {}  # token_hash -> (type, email)
        self.outbox: list[Mail] = []
        # Switches (see module docstring).
        self.confirm_email = True
        self.min_password_length = 6
        self.required_characters: list[str] = []
        self.pwned_passwords: set[str] = set()
        self.email_quota: int | None = None
        self.rate_limited: set[str] = set()
        self.failing: dict[str, int] = {}
        self.reuse_interval = 10.0
        self.access_token_ttl = 3600
        self.forged_access_token: str | None = None
        self.delays: dict[str, float] = {}
        self.latency = 0.0

    # --- test helpers ----------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return f"{self.url}/auth/v1"

    @property
    def signing_key(self) -> SigningKey:
        return self.keys[-1]

    def add_user(self, email: str, password: str, *, confirmed: bool = True) -> FakeUser:
        user = FakeUser(email=email.lower(), password=password, confirmed=confirmed)
        self.users[user.email] = user
        return user

    def rotate_signing_key(self) -> SigningKey:
        """A new current key; the previous one stays published (as during rotation)."""
        key = new_signing_key(self.algorithm)
        self.keys.append(key)
        return key

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path.rstrip("/") == PREFIX + path]

    def claims_for(self, user: FakeUser, session_id: str | None = None, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": user.id,
            "aud": "authenticated",
            "exp": now + self.access_token_ttl,
            "iat": now,
            "email": user.email,
            "phone": "",
            "app_metadata": {"provider": "email", "providers": ["email"]},
            "user_metadata": {"email_verified": user.confirmed},
            "role": "authenticated",
            "aal": "aal1",
            "amr": [{"method": "password", "timestamp": now}],
            "session_id": session_id or str(uuid.uuid4()),
            "is_anonymous": False,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict, key: SigningKey | None = None) -> str:
        """Signs with the configured key (HS256: the project secret)."""
        if self.algorithm == "HS256" and key is None:
            return jwt.encode(claims, self.jwt_secret, algorithm="HS256", headers={"typ": "JWT"})
        key = key or self.signing_key
        headers = {"kid": key.kid, "typ": "JWT"}
        return jwt.encode(claims, key.private, algorithm=key.algorithm, headers=headers)

    def mint(self, user: FakeUser, **overrides) -> str:
        return self.sign(self.claims_for(user, **overrides))

    # --- wire helpers ----------------------------------------------------------------
    def error(self, request: Request, status: int, code: str, message: str, **extra) -> Response:
        if request.headers.get("x-supabase-api-version", "") >= API_VERSION:
            headers = {} if code == "weak_password" else {"x-sb-error-code": code}
            return Response(status, {"code": code, "message": message, **extra}, headers)
        body = {"code": status, "error_code": code, "msg": message, **extra}
        return Response(status, body, {"x-sb-error-code": code})

    def fail(self, request: Request, name: str) -> Response:
        status, code, message = ERRORS[name]
        return self.error(request, status, code, message)

    def dispatch(self, request: Request) -> Response:
        if not request.path.endswith("jwks.json"):
            apikey = request.headers.get("apikey")
            if not apikey:
                hint = "No `apikey` request header or url param was found."
                return Response(401, {"message": "No API key found in request", "hint": hint})
            if apikey != self.anon_key:
                hint = "Double check your Supabase `anon` or `service_role` API key."
                return Response(401, {"message": "Invalid API key", "hint": hint})
        endpoint = request.path.removeprefix(PREFIX).strip("/")
        self.sleep()
        self.sleep(self.delays.get(endpoint, 0.0))
        if endpoint in self.rate_limited:
            return self.fail(request, "rate_limited")
        if endpoint in self.failing:
            return Response(
                self.failing[endpoint], b"upstream unavailable", {"Content-Type": "text/plain"}
            )
        with self._lock:
            return super().dispatch(request)

    def _body(self, request: Request) -> dict[str, Any]:
        try:
            body = request.json()
        except ValueError:
            body = None
        return body if isinstance(body, dict) else {}

    def user_json(self, user: FakeUser) -> dict[str, Any]:
        return user_json(user)

    def issue_session(self, user: FakeUser, session_id: str | None = None) -> dict[str, Any]:
        session_id = session_id or str(uuid.uuid4())
        self.sessions[session_id] = user.id
        refresh = RefreshToken(secrets.token_urlsafe(9), user.id, session_id)
        self.refresh_tokens[refresh.token] = refresh
        return self._token_response(user, refresh)

    def _token_response(self, user: FakeUser, refresh: RefreshToken) -> dict[str, Any]:
        access = self.forged_access_token or self.mint(user, session_id=refresh.session_id)
        now = int(time.time())
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": self.access_token_ttl,
            "expires_at": now + self.access_token_ttl,
            "refresh_token": refresh.token,
            "user": self.user_json(user),
        }

    def _weak_password(self, request: Request, password: str) -> Response | None:
        reasons, messages = [], []
        if len(password) < self.min_password_length:
            reasons.append("length")
            messages.append(f"Password should be at least {self.min_password_length} characters.")
        if any(not set(group) & set(password) for group in self.required_characters):
            reasons.append("characters")
            groups = ", ".join(self.required_characters)
            messages.append(f"Password should contain at least one character of each: {groups}.")
        if password in self.pwned_passwords:
            reasons.append("pwned")
            messages.append(
                "Password is known to be weak and easy to guess, please choose a different one."
            )
        if not reasons:
            return None
        return self.error(
            request, 422, "weak_password", " ".join(messages), weak_password={"reasons": reasons}
        )

    def _send_mail(self, request: Request, kind: str, email: str) -> Response | None:
        if self.email_quota is not None and len(self.outbox) >= self.email_quota:
            return self.fail(request, "email_rate_limited")
        token_hash = secrets.token_hex(28)
        self.otps[token_hash] = (kind, email)
        self.outbox.append(Mail(kind, email, token_hash))
        return None

    def _bearer_user(self, request: Request) -> tuple[FakeUser, dict] | Response:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            return self.fail(request, "no_authorization")
        try:
            claims = self.verify_token(header[7:].strip())
        except jwt.PyJWTError as exc:
            return self.error(
                request, 403, "bad_jwt", f"invalid JWT: unable to parse or verify signature, {exc}"
            )
        if claims.get("session_id") not in self.sessions:
            return self.fail(request, "session_gone")
        user = next((u for u in self.users.values() if u.id == claims["sub"]), None)
        if user is None:
            return self.fail(request, "user_gone")
        return user, claims

    def verify_token(self, token: str) -> dict:
        if self.algorithm == "HS256":
            key: Any = self.jwt_secret
        else:
            kid = jwt.get_unverified_header(token).get("kid")
            match = next((k for k in self.keys if k.kid == kid), None)
            if match is None:
                raise jwt.InvalidTokenError("unknown kid")
            key = match.private.public_key()
        return jwt.decode(token, key, algorithms=[self.algorithm], audience="authenticated")

    # --- endpoints -------------------------------------------------------------------
    def signup(self, request: Request) -> Response:
        body = self._body(request)
        email, password = str(body.get("email") or "").strip().lower(), body.get("password")
        if not email:
            return self.fail(request, "no_email")
        if "@" not in email or "." not in email.rsplit("@", 1)[-1]:
            return self.fail(request, "bad_email")
        if not password:
            return self.fail(request, "no_password")
        if weak := self._weak_password(request, password):
            return weak
        existing = self.users.get(email)
        if existing and not self.confirm_email:
            return self.fail(request, "user_already_exists")
        if existing and existing.confirmed:  # GoTrue hides the account behind a fake user
            return Response(200, {**self.user_json(FakeUser(email, "")), "identities": []})
        user = existing or self.add_user(email, password, confirmed=not self.confirm_email)
        if not self.confirm_email:
            return Response(200, self.issue_session(user))
        if failure := self._send_mail(request, "signup", email):
            return failure
        return Response(200, self.user_json(user))

    def token(self, request: Request) -> Response:
        grant = request.param("grant_type")
        body = self._body(request)
        if grant == "password":
            user = self.users.get(str(body.get("email") or "").strip().lower())
            if user is None or not body.get("password") or body["password"] != user.password:
                return self.fail(request, "invalid_credentials")
            if not user.confirmed:
                return self.fail(request, "email_not_confirmed")
            return Response(200, self.issue_session(user))
        if grant == "refresh_token":
            return self._refresh(request, body.get("refresh_token"))
        return self.fail(request, "unsupported_grant")

    def _refresh(self, request: Request, token: Any) -> Response:
        if not token:
            return Response(
                400, {"error": "invalid_request", "error_description": "refresh_token required"}
            )
        record = self.refresh_tokens.get(token)
        if record is None:
            return self.fail(request, "refresh_token_not_found")
        if record.session_id not in self.sessions:
            return self.fail(request, "refresh_session_gone")
        user = next(u for u in self.users.values() if u.id == record.user_id)
        if record.revoked_at is not None:
            active = [
                r
                for r in self.refresh_tokens.values()
                if r.session_id == record.session_id and r.revoked_at is None
            ]
            if active and time.monotonic() - record.revoked_at <= self.reuse_interval:
                return Response(200, self._token_response(user, active[-1]))
            self._end_sessions([record.session_id])
            return self.fail(request, "refresh_token_already_used")
        record.revoked_at = time.monotonic()
        return Response(200, self.issue_session(user, record.session_id))

    def _end_sessions(self, session_ids: list[str]) -> None:
        for session_id in session_ids:
            self.sessions.pop(session_id, None)
        self.refresh_tokens = {
            t: r for t, r in self.refresh_tokens.items() if r.session_id in self.sessions
        }

    def logout(self, request: Request) -> Response:
        found = self._bearer_user(request)
        if isinstance(found, Response):
            return found
        user, claims = found
        scope = request.param("scope", "global")
        mine = [s for s, uid in self.sessions.items() if uid == user.id]
        if scope == "local":
            mine = [claims["session_id"]]
        elif scope == "others":
            mine = [s for s in mine if s != claims["session_id"]]
        self._end_sessions(mine)
        return Response(204, None)

    def recover(self, request: Request) -> Response:
        email = str(self._body(request).get("email") or "").strip().lower()
        if not email:
            return self.fail(request, "recover_no_email")
        if email in self.users and (failure := self._send_mail(request, "recovery", email)):
            return failure
        return Response(200, {})

    def otp(self, request: Request) -> Response:
        """A magic link; with `create_user: false` only for an existing account."""
        body = self._body(request)
        email = str(body.get("email") or "").strip().lower()
        if email not in self.users:
            return self.fail(request, "otp_disabled" if email else "recover_no_email")
        return self._send_mail(request, "magiclink", email) or Response(200, {})

    def verify(self, request: Request) -> Response:
        body = self._body(request)
        kind, token_hash = body.get("type"), body.get("token_hash")
        if kind not in {"signup", "recovery", "email", "invite", "magiclink", "email_change"}:
            return self.fail(request, "verify_no_type")
        found = self.otps.get(str(token_hash or ""))
        matches = found and (
            found[0] == kind
            or (kind == "email" and found[0] in {"signup", "recovery", "magiclink"})
        )
        if not matches:
            return self.fail(request, "otp_expired")
        del self.otps[token_hash]
        user = self.users[found[1]]
        user.confirmed = True
        return Response(200, self.issue_session(user))

    def get_user(self, request: Request) -> Response:
        found = self._bearer_user(request)
        return found if isinstance(found, Response) else Response(200, self.user_json(found[0]))

    def update_user(self, request: Request) -> Response:
        found = self._bearer_user(request)
        if isinstance(found, Response):
            return found
        user, password = found[0], self._body(request).get("password")
        if password:
            if password == user.password:
                return self.fail(request, "same_password")
            if weak := self._weak_password(request, password):
                return weak
            user.password = password
        return Response(200, self.user_json(user))

    def jwks(self, request: Request) -> Response:
        keys = [key.public_jwk() for key in self.keys]
        return Response(200, {"keys": keys}, {"Cache-Control": "public, max-age=600"})
