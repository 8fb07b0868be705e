"""A loopback double of the Apify API v2 that the real apify-client 3.4.0 talks to.

What it models (see docs/reference/apify.md §1–§3):
- `GET /v2/users/me` (token check) and `/v2/users/me/limits`;
- `POST /v2/actors/{user~name}/runs` and the legacy `/v2/acts/…` alias (also by actor id);
- `GET /v2/actor-runs/{id}` honouring `waitForFinish` (held until the run ends, at most
  60 s, answered the moment it ends so client polling adds no latency);
- `GET /v2/datasets/{id}/items` and `/v2/actor-runs/{id}/dataset/items`: a bare JSON
  array with all five `x-apify-pagination-*` headers and `offset`/`limit`;
- `{"data": …}` envelopes and the documented `{"error": {type, message}}` bodies;
- runs READY/RUNNING -> SUCCEEDED/FAILED/TIMED-OUT after a per-actor latency;
- `usageTotalUsd` that settles late: the first read of a finished run shows a
  preliminary figure, later reads the final one.

Items come from tests/fixtures/apify/<user>~<name>.json (see tests/fixtures/README.md)
unless a test overrides them.
Every actor input is recorded in `inputs[actor_id]`.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.server import FakeService, Request, Response

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "apify"

VALID_TOKEN = "apify_api_FAKEtoken0123456789abcdefghijklmnop"

# Store ids of the actors Kairo uses, so `/v2/acts/<id>/runs` works as well as `user~name`.
ACTOR_IDS = {
    "reGe1ST3OBgYZSsZJ": "apify/instagram-hashtag-scraper",
    "DrF9mzPPEuVizVF4l": "apify/instagram-search-scraper",
    "xMc5Ga1oCONPmWJIa": "apify/instagram-reel-scraper",
    "GdWCkxBtKWOsKjdch": "clockworks/tiktok-scraper",
    "sDvA9jM4WRTDX4Syr": "clockworks/tiktok-trends-scraper",
    "h7sDV53CddomktSi5": "streamers/youtube-scraper",
    "buIWk2uOUzTmcLsuB": "harvestapi/linkedin-post-search",
}

# The documented error bodies, by (status, type); the first of a status is its default.
ERRORS: dict[tuple[int, str], str] = {
    (400, "invalid-input"): "Input is not valid: Field input.search is required",
    (401, "user-or-token-not-found"): "User was not found or authentication token is not valid",
    (401, "token-not-provided"): "Authentication token was not provided",
    (402, "not-enough-usage-to-run-paid-actor"): (
        "By launching this job you will exceed your remaining usage of $0.04. "
        "Please upgrade your plan or add credit."
    ),
    (402, "actor-memory-limit-exceeded"): "By launching this job you will exceed the memory limit.",
    (403, "platform-feature-disabled"): "Monthly usage hard limit exceeded",
    (403, "actor-is-not-rented"): "You need to rent this Actor to run it.",
    (404, "record-not-found"): "Actor was not found",
    (408, "run-timeout-exceeded"): "The run did not finish in time.",
    (429, "rate-limit-exceeded"): "You have exceeded the rate limit of 30 requests per second",
    (500, "internal-server-error"): "Internal server error",
    (502, "bad-gateway"): "Bad gateway",
    (503, "service-unavailable"): "Service temporarily unavailable",
}
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED"}
NO_LIMIT = 999_999_999_999


def error_response(
    status: int, error_type: str | None = None, message: str | None = None
) -> Response:
    """An Apify error body; type and message default to the documented ones for the status."""
    if error_type is None:
        error_type = next((t for (s, t) in ERRORS if s == status), "unknown-error")
    if message is None:
        message = ERRORS.get((status, error_type), f"Error {status}")
    return Response(status, {"error": {"type": error_type, "message": message}})


def iso(moment: float) -> str:
    return (
        datetime.fromtimestamp(moment, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


@dataclass
class Failure:
    """An error to answer with; `times=None` means every time, else that many times."""

    status: int
    error_type: str | None = None
    message: str | None = None
    times: int | None = None

    def take(self) -> Response | None:
        if self.times is not None:
            if self.times <= 0:
                return None
            self.times -= 1
        return error_response(self.status, self.error_type, self.message)


@dataclass
class FakeRun:
    id: str
    actor_id: str
    run_input: Any
    items: list[dict]
    started: float
    latency: float
    final_status: str
    usage_usd: float
    preliminary_usage_usd: float
    timeout_secs: int
    terminal_reads: int = 0
    aborted: bool = False

    @property
    def finishes_at(self) -> float:
        return self.started + self.latency

    def is_finished(self, now: float) -> bool:
        return self.aborted or now >= self.finishes_at

    @property
    def dataset_id(self) -> str:
        return f"ds{self.id}"


@dataclass
class FakeApify(FakeService):
    """The double. Configure with the helpers below; inspect `inputs` / `runs` / `requests`."""

    valid_tokens: set[str] = field(default_factory=lambda: {VALID_TOKEN})
    default_latency: float = 0.0
    latencies: dict[str, float] = field(default_factory=dict)
    items: dict[str, list[dict]] = field(default_factory=dict)
    final_statuses: dict[str, str] = field(default_factory=dict)
    usage_usd: dict[str, float] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
    inputs: dict[str, list[Any]] = field(default_factory=dict)
    runs: dict[str, FakeRun] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self.route("GET", r"/v2/users/me", self._user_me)
        self.route("GET", r"/v2/users/me/limits", self._user_limits)
        self.route("POST", r"/v2/(?:actors|acts)/(?P<actor>[^/]+)/runs", self._start_run)
        self.route("GET", r"/v2/(?:actors|acts)/(?P<actor>[^/]+)", self._get_actor)
        self.route("GET", r"/v2/actor-runs/(?P<run>[^/]+)", self._get_run)
        self.route("POST", r"/v2/actor-runs/(?P<run>[^/]+)/abort", self._abort_run)
        self.route("GET", r"/v2/actor-runs/(?P<run>[^/]+)/dataset/items", self._run_items)
        self.route("GET", r"/v2/datasets/(?P<dataset>[^/]+)/items", self._dataset_items)

    # --- configuration helpers ---------------------------------------------------------
    def set_latency(self, actor_id: str, seconds: float) -> None:
        """How long a run of this actor takes (RUNNING until then)."""
        self.latencies[actor_id] = seconds

    def set_items(self, actor_id: str, items: list[dict]) -> None:
        """Serve these dataset items instead of the fixture file."""
        self.items[actor_id] = items

    def finish_as(self, actor_id: str, status: str) -> None:
        """Runs of this actor end with `status` (FAILED, TIMED-OUT, ABORTED…)."""
        self.final_statuses[actor_id] = status

    def fail(
        self,
        key: str,
        status: int,
        error_type: str | None = None,
        message: str | None = None,
        times: int | None = None,
    ) -> None:
        """Answer an error. `key` is an actor id (its run start), "users/me", "runs" or "datasets"."""
        self.failures[key] = Failure(status, error_type, message, times)

    def input_for(self, actor_id: str) -> Any:
        """The input of the last run of `actor_id` (fails loudly if it never ran)."""
        return self.inputs[actor_id][-1]

    def fixture_items(self, actor_id: str) -> list[dict]:
        path = FIXTURES_DIR / f"{actor_id.replace('/', '~')}.json"
        if not path.exists():
            return []
        return json.loads(path.read_text())

    # --- request plumbing ------------------------------------------------------------------
    def _injected(self, key: str) -> Response | None:
        with self._lock:
            failure = self.failures.get(key)
            return failure.take() if failure else None

    def _auth_error(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        token = token or (request.param("token") or "")
        if not token:
            return error_response(401, "token-not-provided")
        if token not in self.valid_tokens:
            return error_response(401, "user-or-token-not-found")
        return None

    def _resolve_actor(self, path_id: str) -> str:
        return ACTOR_IDS.get(path_id, path_id.replace("~", "/"))

    def _knows(self, actor_id: str) -> bool:
        return (
            actor_id in self.items or (FIXTURES_DIR / f"{actor_id.replace('/', '~')}.json").exists()
        )

    # --- handlers ----------------------------------------------------------------------------
    def _user_me(self, request: Request) -> Response:
        injected = self._auth_error(request) or self._injected("users/me")
        if injected:
            return injected
        return Response(
            200,
            {
                "data": {
                    "id": "fakeUserId0001",
                    "username": "kairo-tester",
                    "email": "tester@example.com",
                    "isPaying": False,
                }
            },
        )

    def _user_limits(self, request: Request) -> Response:
        injected = self._auth_error(request) or self._injected("users/me")
        if injected:
            return injected
        spent = sum(run.usage_usd for run in self.runs.values())
        return Response(
            200,
            {
                "data": {
                    "current": {"monthlyUsageUsd": round(spent, 5)},
                    "limits": {"maxMonthlyUsageUsd": 5.0},
                }
            },
        )

    def _get_actor(self, request: Request) -> Response:
        injected = self._auth_error(request)
        if injected:
            return injected
        actor_id = self._resolve_actor(request.match["actor"])
        if not self._knows(actor_id):
            return error_response(404, "record-not-found")
        username, name = actor_id.split("/", 1)
        return Response(200, {"data": {"id": actor_id, "username": username, "name": name}})

    def _start_run(self, request: Request) -> Response:
        actor_id = self._resolve_actor(request.match["actor"])
        injected = self._auth_error(request) or self._injected(actor_id)
        if injected:
            return injected
        if not self._knows(actor_id):
            return error_response(404, "record-not-found")
        run_input = request.json()
        latency = self.latencies.get(actor_id, self.default_latency)
        with self._lock:
            self.inputs.setdefault(actor_id, []).append(run_input)
            source = (
                self.items[actor_id] if actor_id in self.items else self.fixture_items(actor_id)
            )
            items = copy.deepcopy(source)
            final_status = self.final_statuses.get(actor_id, "SUCCEEDED")
            run = FakeRun(
                id=f"run{next(self._ids):06d}",
                actor_id=actor_id,
                run_input=run_input,
                items=items if final_status == "SUCCEEDED" else [],
                started=time.time(),
                latency=latency,
                final_status=final_status,
                usage_usd=self.usage_usd.get(actor_id, round(0.005 + 0.0023 * len(items), 5)),
                preliminary_usage_usd=0.0,
                timeout_secs=int(request.param("timeout") or 300),
            )
            self.runs[run.id] = run
        return self._answer_run(run, wait=request.param("waitForFinish"), status=201)

    def _get_run(self, request: Request) -> Response:
        injected = self._auth_error(request) or self._injected("runs")
        if injected:
            return injected
        run = self.runs.get(request.match["run"])
        if run is None:
            return error_response(404, "record-not-found", "Actor run was not found")
        return self._answer_run(run, wait=request.param("waitForFinish"))

    def _abort_run(self, request: Request) -> Response:
        injected = self._auth_error(request)
        if injected:
            return injected
        run = self.runs.get(request.match["run"])
        if run is None:
            return error_response(404, "record-not-found", "Actor run was not found")
        if not run.is_finished(time.time()):
            run.aborted = True
        return self._answer_run(run, wait=None)

    def _answer_run(self, run: FakeRun, *, wait: str | None, status: int = 200) -> Response:
        # waitForFinish: hold the request until the run ends (max 60 s, like the API).
        seconds = min(float(wait or 0), 60.0)
        remaining = run.finishes_at - time.time()
        if seconds > 0 and remaining > 0 and not run.aborted:
            time.sleep(min(seconds, remaining))
        return Response(status, {"data": self._run_json(run)})

    def _run_json(self, run: FakeRun) -> dict[str, Any]:
        now = time.time()
        finished = run.is_finished(now)
        if finished:
            status = "ABORTED" if run.aborted else run.final_status
            with self._lock:
                run.terminal_reads += 1
                settled = run.terminal_reads > 1
            usage = run.usage_usd if settled else run.preliminary_usage_usd
        else:
            status = "READY" if now - run.started < 0.05 else "RUNNING"
            usage = 0.0
        return {
            "id": run.id,
            "actId": run.actor_id.replace("/", "~"),
            "userId": "fakeUserId0001",
            "startedAt": iso(run.started),
            "finishedAt": iso(min(now, run.finishes_at)) if finished else None,
            "status": status,
            "statusMessage": {"SUCCEEDED": "Finished!", "FAILED": "The Actor failed"}.get(status),
            "isStatusMessageTerminal": finished,
            "meta": {"origin": "API"},
            "stats": {"restartCount": 0, "resurrectCount": 0, "computeUnits": 0.01},
            "options": {
                "build": "latest",
                "timeoutSecs": run.timeout_secs,
                "memoryMbytes": 1024,
                "diskMbytes": 2048,
            },
            "buildId": "fakeBuildId0001",
            "buildNumber": "0.0.1",
            "generalAccess": "RESTRICTED",
            "defaultKeyValueStoreId": f"kv{run.id}",
            "defaultDatasetId": run.dataset_id,
            "defaultRequestQueueId": f"rq{run.id}",
            "usageTotalUsd": usage,
        }

    def _run_items(self, request: Request) -> Response:
        injected = self._auth_error(request) or self._injected("datasets")
        if injected:
            return injected
        run = self.runs.get(request.match["run"])
        if run is None:
            return error_response(404, "record-not-found", "Actor run was not found")
        return self._page(run.items, request)

    def _dataset_items(self, request: Request) -> Response:
        injected = self._auth_error(request) or self._injected("datasets")
        if injected:
            return injected
        dataset_id = request.match["dataset"]
        run = next((r for r in self.runs.values() if r.dataset_id == dataset_id), None)
        if run is None:
            return error_response(404, "record-not-found", "Dataset was not found")
        return self._page(run.items, request)

    def _page(self, items: list[dict], request: Request) -> Response:
        offset = int(request.param("offset") or 0)
        limit = int(request.param("limit") or 0) or NO_LIMIT
        desc = (request.param("desc") or "").lower() in {"1", "true"}
        ordered = list(reversed(items)) if desc else items
        page = ordered[offset : offset + limit]
        headers = {
            "x-apify-pagination-total": str(len(items)),
            "x-apify-pagination-offset": str(offset),
            "x-apify-pagination-count": str(len(page)),
            "x-apify-pagination-limit": str(limit),
            "x-apify-pagination-desc": "true" if desc else "false",
        }
        return Response(200, page, headers)


@pytest.fixture
def fake_apify(settings) -> Iterator[FakeApify]:
    """A started Apify double; `settings.APIFY_API_URL` points at it for the test."""
    fake = FakeApify()
    fake.start()
    settings.APIFY_API_URL = fake.url
    try:
        yield fake
    finally:
        fake.stop()
