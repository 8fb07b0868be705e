"""Load: signed-in users browsing while regenerations run, against the Procfile's gunicorn.

The app runs exactly as on Railway: the Procfile's `web` command (gunicorn, 2 workers x 2
threads, each worker with its in-process job runner) on loopback, production settings
(DJANGO_DEBUG=false, secrets generated for the run; no TLS on loopback, so
SECURE_SSL_REDIRECT and SECURE_COOKIES are off as in .ci/smoke; STATIC_MANIFEST=false,
the pages are measured, not static files).

- Database: with `DATABASE_URL` on PostgreSQL a fresh `<name>_bench_load` database is
  made beside it (bench/_setup.py). Without it the run falls back to a temporary SQLite
  file (the embedded default, WAL) and says so: the figures then describe `make run`,
  not production.
- Apify and OpenAI are the loopback doubles of tests/fakes, served by a separate process
  (tests/faults/doubles.py) with realistic latencies: every Apify actor run
  takes 1-2 s (fixed per actor), every OpenAI completion 1 s.
- Before starting, the ORM creates the users (both keys connected), a brand each with a
  compiled snapshot and an 8-card board. Then this process signs every user in over HTTP
  (login form, CSRF, cookies: one httpx.AsyncClient each) and drives them concurrently:
  every user browses (their Today board 40 %, /settings/, /brands/, brand home and the
  onboarding Basics step 15 % each) with 1-3 s of think time, while the first
  `regenerations` users press Regenerate (POST with CSRF + HX-Request, as htmx does) and
  poll the progress panel every second until it answers 286, as the page does. Clients
  drop idle connections after 1.5 s, under gunicorn's 2 s keep-alive, as a proxy in
  front must (else a request may race the server closing it: a client artifact).
- Figures: requests served (every request, sign-ins and polls included); errors (any 5xx,
  any status other than the expected one, any connection error or timeout; target 0);
  p50/p95/p99 of the browsed pages' latency; jobs done (regenerations that ended with a
  board: succeeded or partial); peak RSS = the largest sum of the gunicorn workers'
  VmRSS seen (sampled every 0.25 s; the master's is printed apart).

    .venv/bin/python bench/load.py [--quick] [--users N] [--regenerations N] [--seconds S]

--quick (CI, tests/faults/test_load_quick.py): 8 users, 3 regenerations, 8 s of browsing.
Last line: RESULT requests=<n> errors=<n> p50_ms=<x> p95_ms=<x> p99_ms=<x> jobs_done=<n>
peak_rss_mb=<x>
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from _setup import percentile, setup_django

from tests.faults.doubles import start as start_doubles
from tests.faults.doubles import stop as stop_doubles
from tests.faults.processes import RssSampler, Web, production_env

PASSWORD = "load-password-123"
BOARD_CARDS = 8
APIFY_SECONDS = "1-2"  # per actor run, fixed per actor
OPENAI_SECONDS = 1.0
THINK_SECONDS = (1.0, 3.0)
KEEPALIVE_SECONDS = 1.5
POLL_SECONDS = 1.0  # the progress panel's hx-trigger="every 1s"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROGRESS_URL = re.compile(r'hx-get="([^"]+/progress/)"')
HTMX_STOP_POLLING = 286


@dataclass
class Stats:
    requests: int = 0
    errors: Counter = field(default_factory=Counter)
    page_ms: list[float] = field(default_factory=list)
    by_page_ms: dict[str, list[float]] = field(default_factory=dict)
    regenerations_seen_done: int = 0
    sign_in_requests: int = 0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


# --------------------------------------------------------------------------- data
def create_users(count: int) -> list[tuple[str, str]]:
    """Users with keys, each with an onboarded brand and a board: [(email, brand_id)]."""
    from board import make_board
    from django.contrib.auth.hashers import make_password

    from brands.models import Brand
    from tests.support.keys import connect_keys
    from tests.support.snapshots import make_snapshot
    from users.models import User

    hashed = make_password(PASSWORD)  # hashed once: signing in still costs the full hash
    accounts = []
    for n in range(count):
        user = User.objects.create(email=f"load{n}@example.com", password=hashed)
        connect_keys(user)
        brand = Brand.objects.create(owner=user, name=f"Load brand {n}")
        make_snapshot(brand)
        make_board(brand, user, BOARD_CARDS)
        accounts.append((user.email, str(brand.pk)))
    return accounts


# --------------------------------------------------------------------------- driving
async def send(client, stats: Stats, method: str, url: str, expected: set[int], **kwargs):
    """One request, counted; an unexpected status or a transport error is an error."""
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        stats.errors[f"{type(exc).__name__} {method} {url}"] += 1
        return None, 0.0
    elapsed_ms = (time.perf_counter() - started) * 1000
    stats.requests += 1
    if response.status_code not in expected:
        stats.errors[f"{response.status_code} {method} {url}"] += 1
    return response, elapsed_ms


async def sign_in(client, stats: Stats, email: str, gate: asyncio.Semaphore) -> bool:
    async with gate:
        page, _ = await send(client, stats, "GET", "/login", {200})
        match = CSRF_INPUT.search(page.text) if page is not None else None
        if match is None:
            return False
        data = {"csrfmiddlewaretoken": match.group(1), "email": email, "password": PASSWORD}
        response, _ = await send(client, stats, "POST", "/login", {302}, data=data)
        return response is not None and response.status_code == 302


def pages_for(brand_id: str) -> list[tuple[str, str, int]]:
    """(label, path, weight) of what a signed-in user browses."""
    return [
        ("today", f"/brands/{brand_id}/today/", 40),
        ("settings", "/settings/", 15),
        ("brands", "/brands/", 15),
        ("brand_home", f"/brands/{brand_id}/", 15),
        ("onboarding", f"/brands/{brand_id}/onboarding/basics/", 15),
    ]


async def browse(client, stats: Stats, brand_id: str, stop: asyncio.Event, seed: int) -> None:
    chooser = random.Random(seed)
    pages = pages_for(brand_id)
    weights = [weight for *_, weight in pages]
    await asyncio.sleep(chooser.uniform(0, THINK_SECONDS[1]))  # users don't arrive at once
    while not stop.is_set():
        label, path, _ = chooser.choices(pages, weights)[0]
        response, elapsed_ms = await send(client, stats, "GET", path, {200})
        if response is not None and response.status_code == 200:
            stats.page_ms.append(elapsed_ms)
            stats.by_page_ms.setdefault(label, []).append(elapsed_ms)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), chooser.uniform(*THINK_SECONDS))


async def regenerate(client, stats: Stats, brand_id: str, delay: float, deadline: float) -> None:
    await asyncio.sleep(delay)
    headers = {"HX-Request": "true", "X-CSRFToken": client.cookies.get("csrftoken", "")}
    response, _ = await send(
        client, stats, "POST", f"/brands/{brand_id}/regenerate/", {200}, headers=headers
    )
    match = PROGRESS_URL.search(response.text) if response is not None else None
    if match is None:
        stats.errors[f"no progress panel after Regenerate for {brand_id}"] += 1
        return
    while time.monotonic() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        response, _ = await send(
            client, stats, "GET", match.group(1), {200, HTMX_STOP_POLLING}, headers=headers
        )
        if response is not None and response.status_code == HTMX_STOP_POLLING:
            stats.regenerations_seen_done += 1
            return


async def drive(base_url: str, accounts, regenerations: int, seconds: float, cap: float):
    stats = Stats()
    # Idle connections are dropped before gunicorn's 2 s keep-alive closes them, as a proxy
    # in front must: else a request can race the server's close (a client artifact).
    limits = httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS)
    clients = [httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) for _ in accounts]
    try:
        gate = asyncio.Semaphore(4)
        signed_in = await asyncio.gather(
            *(
                sign_in(c, stats, email, gate)
                for c, (email, _) in zip(clients, accounts, strict=True)
            )
        )
        print(f"signed in: {sum(signed_in)}/{len(accounts)}", flush=True)
        stats.sign_in_requests = stats.requests
        started = time.monotonic()
        stop = asyncio.Event()
        browsers = [
            asyncio.create_task(browse(client, stats, brand_id, stop, seed=n))
            for n, (client, (_, brand_id)) in enumerate(zip(clients, accounts, strict=True))
        ]
        spread = min(10.0, seconds / 2)
        regens = [
            asyncio.create_task(
                regenerate(
                    clients[n], stats, accounts[n][1], spread * n / regenerations, started + cap
                )
            )
            for n in range(min(regenerations, len(accounts)))
        ]
        # Browse for `seconds`, and on until every regeneration has ended (at most `cap`).
        await asyncio.sleep(seconds)
        remaining = max(0.0, started + cap - time.monotonic())
        if regens:
            await asyncio.wait(regens, timeout=remaining)
        stop.set()
        await asyncio.gather(*browsers)
        for task in regens:
            task.cancel()
        load_seconds = time.monotonic() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return stats, load_seconds


# --------------------------------------------------------------------------- report
def job_outcomes(before: set) -> tuple[Counter, list[float]]:
    """Statuses of the regenerations run under load, and their durations (queue wait
    included: created to finished)."""
    from opportunities.models import OpportunitiesJob

    jobs = list(OpportunitiesJob.objects.exclude(pk__in=before))
    durations = [
        (job.finished_at - job.created_at).total_seconds() for job in jobs if job.finished_at
    ]
    return Counter(job.status for job in jobs), durations


def log_errors(log_text: str) -> list[str]:
    return [
        line
        for line in log_text.splitlines()
        if " ERROR " in line or " CRITICAL " in line or "[ERROR]" in line
    ]


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few users, short (CI)")
    parser.add_argument("--users", type=int)
    parser.add_argument("--regenerations", type=int)
    parser.add_argument("--seconds", type=float, help="browsing time (at least)")
    options = parser.parse_args()
    quick = options.quick
    options.users = options.users or (8 if quick else 50)
    if options.regenerations is None:
        options.regenerations = 3 if quick else 20
    options.seconds = options.seconds or (8.0 if quick else 40.0)
    options.cap = options.seconds + (40.0 if quick else 50.0)  # the load phase's hard end
    return options


def print_details(stats: Stats, load_seconds: float, sampler: RssSampler | None) -> None:
    browsing = stats.requests - stats.sign_in_requests
    print(
        f"load phase {load_seconds:.1f}s: {browsing} requests ({browsing / load_seconds:.1f}/s), "
        f"after {stats.sign_in_requests} for signing in"
    )
    for label, values in sorted(stats.by_page_ms.items()):
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"  {label:11s} n={len(values):5d} p50={p50:7.1f}ms p95={p95:7.1f}ms")
    print(f"errors: {stats.error_count}")
    for what, count in stats.errors.most_common(10):
        print(f"  {count:4d} x {what}")
    if sampler is not None:
        print(
            f"memory: peak of the workers' sum {sampler.peak_workers_mb:.1f} MB (one worker "
            f"at most {max(sampler.peak_per_worker.values(), default=0):.1f} MB), master "
            f"{sampler.peak_master_mb:.1f} MB"
        )


def main() -> None:
    options = parse_options()
    import secrets

    from cryptography.fernet import Fernet

    # Made for this run and shared with gunicorn (it decrypts the keys saved here).
    secret_key, encryption_key = secrets.token_urlsafe(50), Fernet.generate_key().decode()
    os.environ.update(DJANGO_SECRET_KEY=secret_key, ENCRYPTION_KEY=encryption_key)
    database_url = setup_django("load")
    from django.db import connection

    from opportunities.models import OpportunitiesJob

    print(
        f"database: {'postgresql' if database_url else 'sqlite (fallback: no PostgreSQL DATABASE_URL)'}"
    )
    accounts = create_users(options.users)
    jobs_before = set(OpportunitiesJob.objects.values_list("pk", flat=True))
    connection.close()

    doubles, urls = start_doubles(APIFY_SECONDS, OPENAI_SECONDS)
    env = production_env(
        database_url,
        DJANGO_SECRET_KEY=secret_key,
        ENCRYPTION_KEY=encryption_key,
        APIFY_API_URL=urls["apify"],
        OPENAI_BASE_URL=urls["openai"],
        JOB_RUNNER_AUTOSTART="true",
        LOG_LEVEL="WARNING",
    )
    log_dir = Path(tempfile.mkdtemp(prefix="kairo-load-"))
    web = Web(env, log_dir / "gunicorn.log")
    sampler = None
    try:
        web.wait_healthy()
        sampler = RssSampler(web.pid)
        sampler.start()
        print(
            f"gunicorn {web.url}: {len(web.worker_pids())} workers; {options.users} users, "
            f"{options.regenerations} regenerations, browsing {options.seconds:.0f}s+",
            flush=True,
        )
        stats, load_seconds = asyncio.run(
            drive(web.url, accounts, options.regenerations, options.seconds, options.cap)
        )
    finally:
        web.stop()  # first: a gunicorn left running would outlive this script
        if sampler is not None:
            sampler.stop()
        served = stop_doubles(doubles)

    print_details(stats, load_seconds, sampler)
    outcomes, durations = job_outcomes(jobs_before)
    jobs_done = outcomes.get("succeeded", 0) + outcomes.get("partial", 0)
    print(
        f"regenerations: {dict(outcomes)}; seen ending by the pollers: "
        f"{stats.regenerations_seen_done}/{options.regenerations}; queued to done "
        f"p50 {percentile(durations, 50):.1f}s, max {max(durations, default=0):.1f}s"
    )
    print(f"doubles served: {served}")
    problems = log_errors(web.log_text())
    print(f"log errors: {len(problems)}")
    for line in problems[:5]:
        print(f"  {line[:300]}")
    if problems or stats.error_count:
        print(f"gunicorn log kept: {web.log_path}")
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    p50, p95, p99 = (round(percentile(stats.page_ms, p), 1) for p in (50, 95, 99))
    print(
        f"RESULT requests={stats.requests} errors={stats.error_count} p50_ms={p50} "
        f"p95_ms={p95} p99_ms={p99} jobs_done={jobs_done} "
        f"peak_rss_mb={round(sampler.peak_workers_mb, 1) if sampler else 0.0}"
    )


if __name__ == "__main__":
    main()
