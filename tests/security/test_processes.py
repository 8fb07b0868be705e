"""The attacks again, against the real thing: the Procfile's gunicorn (2 workers × 2
threads) with production settings and the production default cache, started as
separate processes (tests/faults/processes.py).

- Two gunicorn servers share one database: login attempts alternate between them,
  each with invented X-Forwarded-For hops, and the limit still holds exactly.
- gunicorn refuses to start several workers on a per-process cache.
- The access log never shows an email link's token.
- Supabase mode with a JWKS endpoint that accepts connections and never answers:
  concurrent bearer requests get 503 from our own short timeout, at most one fetch per
  process, and /health/ answers — all while the key server still hangs.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest

from tests.fakes.supabase import FakeSupabaseAuth
from tests.faults.processes import Web, manage, production_env
from tests.support.waiting import wait_for

CLIENT = "203.0.113.50"  # what the trusted proxy appends
LOGIN_LIMIT = 10  # settings.LOGIN_RATE_LIMIT's default


@pytest.fixture(scope="module")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A fresh database for the processes: on the PostgreSQL server when the suite runs
    on one (CI), else a SQLite file (SQLITE_PATH)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield "sqlite:" + str(tmp_path_factory.mktemp("procs") / "kairo.sqlite3")
        return
    server = configured.rsplit("/", 1)[0]
    name = f"kairo_security_procs_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    env = production_env("" if database_url.startswith("sqlite:") else database_url, **extra)
    env.pop("CACHE_URL", None)  # the production default: the database cache
    if database_url.startswith("sqlite:"):
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = database_url.removeprefix("sqlite:")
    return env


@pytest.fixture(scope="module")
def local_env(database_url) -> dict[str, str]:
    env = app_env(database_url, AUTH_PROVIDER="local")
    manage(env, "migrate", "--noinput")
    return env


@pytest.fixture(scope="module")
def two_servers(local_env, tmp_path_factory) -> Iterator[list[Web]]:
    logs = tmp_path_factory.mktemp("logs")
    servers = [Web(local_env, logs / f"web{n}.log") for n in range(2)]
    try:
        for server in servers:
            server.wait_healthy()
        yield servers
    finally:
        for server in servers:
            server.stop()


def wrong_login(server: Web, email: str, invented_hop: str) -> int:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        client.get("/login")
        token = client.cookies["csrftoken"]
        response = client.post(
            "/login",
            data={"email": email, "password": "wrong-password", "csrfmiddlewaretoken": token},
            headers={"X-Forwarded-For": f"{invented_hop}, {CLIENT}"},
        )
    return response.status_code


def test_two_servers_share_one_limit_whatever_the_client_claims(two_servers):
    statuses = [
        wrong_login(two_servers[n % 2], f"victim{n}@example.com", f"198.51.100.{n}")
        for n in range(LOGIN_LIMIT + 6)
    ]
    assert statuses == [400] * LOGIN_LIMIT + [429] * 6


def test_the_access_log_shows_no_email_link_token(two_servers):
    server = two_servers[0]
    secret = "9f8e7d6c5b4a39281706f5e4d3c2b1a0secret"
    httpx.get(f"{server.url}/auth/confirm?token_hash={secret}&type=email", timeout=30)
    httpx.get(f"{server.url}/password-reset/MQ/{secret}/", timeout=30)
    httpx.get(f"{server.url}/login?next=/brands/&code={secret}", timeout=30)

    def logged() -> list[str]:
        return [line for line in server.log_text().splitlines() if "GET /" in line]

    wait_for(lambda: len([line for line in logged() if "[REDACTED]" in line]) >= 3, 30)
    lines = "\n".join(logged())
    assert secret not in lines
    assert re.search(r"GET /auth/confirm\?token_hash=\[REDACTED\]&type=email ", lines)
    assert "GET /password-reset/MQ/[REDACTED]/ " in lines
    assert "next=/brands/&code=[REDACTED]" in lines


def test_gunicorn_refuses_several_workers_on_a_per_process_cache(local_env, tmp_path):
    server = Web({**local_env, "CACHE_URL": "locmemcache://"}, tmp_path / "refused.log")
    try:
        wait_for(lambda: server.process.poll() is not None, 60, what="gunicorn to stop")
        assert server.process.returncode != 0
        log = server.log_text()
        assert "per-process cache" in log and "Worker failed to boot" in log  # master halted
        assert "Listening at" in log and "GET /" not in log  # it never served a request
    finally:
        server.stop()


@pytest.fixture
def supabase_server(database_url, tmp_path) -> Iterator[tuple[Web, FakeSupabaseAuth]]:
    fake = FakeSupabaseAuth("ES256").start()
    env = app_env(
        database_url,
        AUTH_PROVIDER="supabase",
        SUPABASE_URL=fake.url,
        SUPABASE_ANON_KEY=fake.anon_key,
    )
    manage(env, "migrate", "--noinput")
    server = Web(env, tmp_path / "supabase-web.log")
    try:
        server.wait_healthy()
        yield server, fake
    finally:
        server.stop()
        fake.stop()


def test_a_hanging_key_server_is_not_an_outage(supabase_server):
    server, fake = supabase_server
    user = fake.add_user("carol@example.com", "correct-horse-battery-staple")
    token = fake.mint(user)
    held = threading.Event()
    fake.delays[".well-known/jwks.json"] = held
    try:

        def api() -> int:
            headers = {"Authorization": f"Bearer {token}"}
            url = f"{server.url}/api/user/api-keys/"
            return httpx.get(url, headers=headers, timeout=60).status_code

        with ThreadPoolExecutor(max_workers=9) as pool:
            answers = [pool.submit(api) for _ in range(8)]
            health = pool.submit(lambda: httpx.get(f"{server.url}/health/", timeout=60))
            statuses = [answer.result() for answer in answers]
            assert health.result().status_code == 200
        assert statuses == [503] * 8  # "try again", not 401, for a token that may be fine
        assert not held.is_set()  # all answered while the key server still hung
        fetches = len(fake.requests_to("/.well-known/jwks.json"))
        assert 1 <= fetches <= 2  # one per worker process at most, not one per request
    finally:
        held.set()
