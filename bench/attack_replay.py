"""The outside attack of issue 14, replayed against the real thing: the Procfile's gunicorn
(2 workers × 2 threads), production settings, Supabase mode against the Auth double.

Figures (before the fixes, as reported: 25/25, 30/30 then the right password, 30 sign-ups
in 2.6 s, the admin's account taken, JWKS hang 5 s → 26 s and /health/ 20 s):
- spoofed_checked: wrong passwords that reached Supabase out of 25, each request with
  invented X-Forwarded-For hops (limit 10);
- burst_checked: the same with 24 attempts sent at once;
- admin_password_checks: answers of /admin/login/ that checked a password, of 31;
- signups_reaching_supabase: of 30 sign-ups from one client;
- takeover: whether signing up with the superuser's address gave /admin/ or a token;
- jwks_hang_*: 8 bearer requests at once while the JWKS endpoint accepts and never
  answers (cold process), and /health/ meanwhile, in seconds.

    python bench/attack_replay.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.supabase import FakeSupabaseAuth  # noqa: E402
from tests.faults.processes import Web, manage, production_env

PASSWORD = "correct-horse-battery-staple"


def post_form(base: str, path: str, data: dict, headers: dict | None = None) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get("/login")
        data = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"]}
        return client.post(path, data=data, headers=headers or {})


def spoofed_logins(base: str, fake: FakeSupabaseAuth, count: int, parallel: bool) -> int:
    before = len(fake.requests_to("/token"))
    client = f"203.0.113.{77 + int(parallel)}"  # what the proxy appends: one real client

    def attempt(n: int) -> int:
        hop = {"X-Forwarded-For": f"198.51.{n}.{n}, 10.0.{n}.1, {client}"}
        data = {"email": f"target{int(parallel)}@example.com", "password": f"guess-{n}"}
        return post_form(base, "/login", data, hop).status_code

    if parallel:
        with ThreadPoolExecutor(max_workers=count) as pool:
            list(pool.map(attempt, range(count)))
    else:
        for n in range(count):
            attempt(n)
    return len(fake.requests_to("/token")) - before


def admin_brute_force(base: str) -> int:
    checked = 0
    for n in range(31):
        password = PASSWORD if n == 30 else f"guess-{n}"
        response = post_form(
            base, "/admin/login/", {"username": "admin@example.com", "password": password}
        )
        checked += not (
            response.status_code == 302 and response.headers["location"].startswith("/login")
        )
    return checked


def signup_flood(base: str, fake: FakeSupabaseAuth) -> int:
    before = len(fake.requests_to("/signup"))
    for n in range(30):
        post_form(base, "/signup", {"email": f"flood{n}@example.com", "password": PASSWORD})
    return len(fake.requests_to("/signup")) - before


def takeover(base: str, fake: FakeSupabaseAuth) -> str:
    fake.confirm_email = False
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get("/signup")
        token = client.cookies["csrftoken"]
        client.post(
            "/signup",
            data={
                "email": "admin@example.com",
                "password": "attackers-own-pass",
                "csrfmiddlewaretoken": token,
            },
            headers={"X-Forwarded-For": "192.0.2.200"},
        )
        admin = client.get("/admin/").status_code
    bearer = fake.mint(fake.users["admin@example.com"])
    api = httpx.get(
        f"{base}/api/user/api-keys/", headers={"Authorization": f"Bearer {bearer}"}, timeout=60
    )
    return (
        "refused"
        if admin == 302 and api.status_code == 401
        else f"TAKEN(admin={admin},api={api.status_code})"
    )


def jwks_hang(base: str, fake: FakeSupabaseAuth) -> tuple[float, float, list[int]]:
    user = fake.add_user("carol@example.com", PASSWORD)
    token = fake.mint(user)
    held = threading.Event()
    fake.delays[".well-known/jwks.json"] = held

    def api() -> tuple[int, float]:
        started = time.monotonic()
        response = httpx.get(
            f"{base}/api/user/api-keys/", headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        return response.status_code, time.monotonic() - started

    def health() -> float:
        time.sleep(0.2)  # while the others wait on the key server
        started = time.monotonic()
        httpx.get(f"{base}/health/", timeout=60)
        return time.monotonic() - started

    with ThreadPoolExecutor(max_workers=8) as pool:  # both workers past their first request
        list(pool.map(lambda _: httpx.get(f"{base}/login", timeout=60), range(16)))
    try:
        with ThreadPoolExecutor(max_workers=9) as pool:
            answers = [pool.submit(api) for _ in range(8)]
            health_seconds = pool.submit(health).result()
            results = [answer.result() for answer in answers]
    finally:
        held.set()
    return max(seconds for _, seconds in results), health_seconds, sorted({s for s, _ in results})


def start(workdir: Path, name: str) -> tuple[Web, FakeSupabaseAuth]:
    """A Supabase double and the Procfile's gunicorn against it, on a fresh database."""
    fake = FakeSupabaseAuth("ES256").start()
    env = production_env(
        AUTH_PROVIDER="supabase",
        SUPABASE_URL=fake.url,
        SUPABASE_ANON_KEY=fake.anon_key,
        SQLITE_PATH=str(workdir / f"{name}.sqlite3"),
        JOB_RUNNER_AUTOSTART="false",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    manage(env, "migrate", "--noinput")
    create_admin = "from users.models import User; User.objects.create_superuser("
    manage(env, "shell", "-c", f"{create_admin}'admin@example.com', '{PASSWORD}')")
    web = Web(env, workdir / f"{name}.log")
    web.wait_healthy()
    return web, fake


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kairo-attack-"))
    web, fake = start(workdir, "attacks")
    try:
        started = time.monotonic()
        spoofed = spoofed_logins(web.url, fake, 25, parallel=False)
        burst = spoofed_logins(web.url, fake, 24, parallel=True)
        admin_checks = admin_brute_force(web.url)
        signups = signup_flood(web.url, fake)
        taken = takeover(web.url, fake)
        elapsed = time.monotonic() - started
    finally:
        web.stop()
        fake.stop()
    web, fake = start(workdir, "jwks")  # fresh processes that never saw the keys
    try:
        hang_max, health_s, hang_statuses = jwks_hang(web.url, fake)
    finally:
        web.stop()
        fake.stop()
    print(
        f"RESULT spoofed_checked={spoofed}/25 burst_checked={burst}/24 "
        f"admin_password_checks={admin_checks}/31 signups_reaching_supabase={signups}/30 "
        f"takeover={taken} jwks_hang_max_s={hang_max:.2f} jwks_hang_statuses={hang_statuses} "
        f"health_during_hang_s={health_s:.2f} attack_seconds={elapsed:.1f}"
    )


if __name__ == "__main__":
    main()
