"""A loopback double of the Apify API v2 that the real apify-client 3.4.0 talks to.

What it models (docs/reference/apify.md §2 and §6):
- `GET /v2/users/me` (token check) and `/v2/users/me/limits`;
- `POST /v2/actors/{user~name}/runs` and the legacy `/v2/acts/…` alias (also by actor id),
  validating the input against the actor's contract (`evidence/contracts.py`) as Apify
  does: 400 `invalid-input` for a wrong type or a value outside an enum, unknown keys
  dropped silently (and recorded in `ignored_keys`, so a test can catch them);
- how many items a run produces: what the input asks for (limits counted per term where
  the actor counts them so), capped by `maxItems`, and only as many as exist;
- a latency profile: a run starts after `start` seconds, then pushes one item every
  `per_item` seconds into its dataset, readable while RUNNING (`PROFILE`, from the
  published timings, times `time_scale`); a `stuck` actor stops pushing half way and
  never ends; `POST /v2/actor-runs/{id}/abort` ends a run ABORTED keeping what it pushed;
  a run past its `timeout` ends TIMED-OUT with what it pushed;
- `GET /v2/actor-runs/{id}` honouring `waitForFinish` (held until the run ends, at most
  60 s);
- `GET /v2/datasets/{id}/items` and `/v2/actor-runs/{id}/dataset/items`: a bare JSON
  array with all five `x-apify-pagination-*` headers and `offset`/`limit`;
- billing: a start fee plus a price per pushed item (per transcript for reels); while a
  run goes, and until `settle_seconds` after it ends, `usageTotalUsd` shows only the start
  fee (Apify: "wait about 10 seconds and call the endpoint again");
- account memory: each run holds `RUN_MEMORY_MB`; past `memory_limit_mb` a start is
  refused with 402 `actor-memory-limit-exceeded`.

Items come from tests/fixtures/apify/<user>~<name>.json unless a test overrides them.
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

from evidence.contracts import CONTRACTS
from tests.fakes.server import FakeService, Request, Response

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "apify"


def fixture_items(actor_id: str) -> list[dict]:
    """The recorded output of `actor_id` in tests/fixtures/apify/ (none: an empty list)."""
    path = FIXTURES_DIR / f"{actor_id.replace('/', '~')}.json"
    if not path.exists():
        return []
    return json.loads(path.read_text())


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

# (start seconds, seconds per item): docs/reference/apify.md §6.1 (published timings
# where there are any, assumptions marked there).
PROFILE: dict[str, tuple[float, float]] = {
    "apify/instagram-hashtag-scraper": (8.0, 0.25),
    "apify/instagram-reel-scraper": (10.0, 1.5),
    "apify/instagram-search-scraper": (15.0, 0.26),
    "clockworks/tiktok-scraper": (8.0, 0.4),
    "clockworks/tiktok-trends-scraper": (12.0, 0.15),
    "streamers/youtube-scraper": (12.0, 0.6),
    "harvestapi/linkedin-post-search": (3.0, 0.25),
}
# (start fee, price per pushed item) in USD; reels are priced per transcript.
PRICES: dict[str, tuple[float, float]] = {
    "apify/instagram-hashtag-scraper": (0.005, 0.0023),
    "apify/instagram-reel-scraper": (0.005, 0.041),
    "apify/instagram-search-scraper": (0.005, 0.0023),
    "clockworks/tiktok-scraper": (0.005, 0.003),
    "clockworks/tiktok-trends-scraper": (0.005, 0.003),
    "streamers/youtube-scraper": (0.005, 0.005),
    "harvestapi/linkedin-post-search": (0.00005, 0.002),
}
RUN_MEMORY_MB = 1024
TREND_LIST_TYPES = {
    "adsScrapeHashtags": "hashtag",
    "adsScrapeSounds": "sound",
    "adsScrapeCreators": "creator",
    "adsScrapeVideos": "video",
}


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
    """A run's whole timeline is fixed when it starts: when each item is pushed, when it
    ends (None: never), and how. Abort and timeout cut it short."""

    id: str
    actor_id: str
    run_input: Any
    items: list[dict]
    started: float
    push_times: list[float]
    ends_at: float | None
    final_status: str
    start_fee: float
    item_price: float
    settle_seconds: float
    timeout_secs: int
    usage_override: float | None = None
    aborted_at: float | None = None

    @property
    def dataset_id(self) -> str:
        return f"ds{self.id}"

    @property
    def aborted(self) -> bool:
        return self.aborted_at is not None

    def end_time(self) -> float | None:
        ends = [t for t in (self.ends_at, self.aborted_at) if t is not None]
        ends.append(self.started + self.timeout_secs)
        return min(ends)

    def is_finished(self, now: float) -> bool:
        end = self.end_time()
        return end is not None and now >= end

    def status(self, now: float) -> str:
        if not self.is_finished(now):
            return "READY" if now - self.started < 0.05 else "RUNNING"
        end = self.end_time()
        if self.aborted_at is not None and end == self.aborted_at:
            return "ABORTED"
        if self.ends_at is not None and end == self.ends_at:
            return self.final_status
        return "TIMED-OUT"

    def pushed(self, now: float) -> list[dict]:
        moment = min(now, self.end_time() or now)
        return [item for item, at in zip(self.items, self.push_times, strict=False) if at <= moment]

    def usage(self, now: float) -> float:
        end = self.end_time()
        if end is None or now < end + self.settle_seconds:
            return self.start_fee
        if self.usage_override is not None:
            return self.usage_override
        return round(self.start_fee + self.item_price * len(self.pushed(now)), 6)


@dataclass
class FakeApify(FakeService):
    """The double. Configure with the helpers below; inspect `inputs` / `runs` / `requests`."""

    valid_tokens: set[str] = field(default_factory=lambda: {VALID_TOKEN})
    default_latency: float = 0.0
    latencies: dict[str, float] = field(default_factory=dict)
    items: dict[str, list[dict]] = field(default_factory=dict)
    final_statuses: dict[str, str] = field(default_factory=dict)
    pushed_before_failure: dict[str, int] = field(default_factory=dict)
    usage_usd: dict[str, float] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
    inputs: dict[str, list[Any]] = field(default_factory=dict)
    ignored_keys: dict[str, list[str]] = field(default_factory=dict)
    runs: dict[str, FakeRun] = field(default_factory=dict)
    profile: dict[str, tuple[float, float]] = field(default_factory=dict)
    time_scale: float = 1.0
    stuck: set[str] = field(default_factory=set)
    settle_seconds: float = 0.0
    memory_limit_mb: int | None = None
    enforce_contracts: bool = True

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

    def finish_as(self, actor_id: str, status: str, pushed_first: int = 0) -> None:
        """Runs of this actor end with `status` (FAILED, TIMED-OUT, ABORTED…), after
        pushing `pushed_first` items."""
        self.final_statuses[actor_id] = status
        self.pushed_before_failure[actor_id] = pushed_first

    def use_profile(self, scale: float = 1.0, transcript_seconds: float | None = None) -> None:
        """Take the published latency profile, times `scale` (tests use a small one)."""
        self.time_scale = scale
        self.profile = dict(PROFILE)
        if transcript_seconds is not None:
            start, _ = PROFILE["apify/instagram-reel-scraper"]
            self.profile["apify/instagram-reel-scraper"] = (start, transcript_seconds)

    def get_stuck(self, actor_id: str) -> None:
        """Runs of this actor push half their items, then hang RUNNING until stopped."""
        self.stuck.add(actor_id)

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
        return fixture_items(actor_id)

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
        spent = sum(run.usage(time.time()) for run in self.runs.values())
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
        contract = CONTRACTS.get(actor_id)
        if contract and self.enforce_contracts:
            problem = contract.validation_error(run_input)
            if problem:
                return error_response(400, "invalid-input", problem)
        with self._lock:
            self.inputs.setdefault(actor_id, []).append(run_input)
            if contract and isinstance(run_input, dict):
                self.ignored_keys.setdefault(actor_id, []).extend(contract.unknown_keys(run_input))
            now = time.time()
            if refused := self._memory_refusal(now):
                return refused
            items = self._items_for(actor_id, run_input, request.param("maxItems"))
            run = self._new_run(actor_id, run_input, items, now, request.param("timeout"))
            self.runs[run.id] = run
        return self._answer_run(run, wait=request.param("waitForFinish"), status=201)

    def _memory_refusal(self, now: float) -> Response | None:
        if self.memory_limit_mb is None:
            return None
        used = RUN_MEMORY_MB * sum(1 for r in self.runs.values() if not r.is_finished(now))
        if used + RUN_MEMORY_MB <= self.memory_limit_mb:
            return None
        return error_response(
            402,
            "actor-memory-limit-exceeded",
            f"By launching this job you will exceed the memory limit of "
            f"{self.memory_limit_mb}MB for all your Actor runs and builds (currently used: "
            f"{used}MB, requested: {RUN_MEMORY_MB}MB).",
        )

    def _items_for(self, actor_id: str, run_input: Any, max_items: str | None) -> list[dict]:
        """What the input asks for, as many as exist, capped by `maxItems`."""
        source = self.items[actor_id] if actor_id in self.items else self.fixture_items(actor_id)
        items = copy.deepcopy(source)
        if not isinstance(run_input, dict):
            return items
        if actor_id == "clockworks/tiktok-trends-scraper":
            wanted = {t for name, t in TREND_LIST_TYPES.items() if run_input.get(name)}
            per_list = int(run_input.get("resultsPerPage") or 0) or NO_LIMIT
            chosen: list[dict] = []
            for trend_type in ("hashtag", "sound", "creator", "video"):
                if trend_type in wanted:
                    chosen += [i for i in items if i.get("type") == trend_type][:per_list]
            items = chosen
        elif actor_id == "apify/instagram-reel-scraper":
            items = _reels_for(run_input, items)
        elif (contract := CONTRACTS.get(actor_id)) and self.enforce_contracts:
            asked = contract.requested_items(run_input)
            items = items[:asked] if asked else items
        cap = int(max_items) if max_items and max_items.isdigit() else NO_LIMIT
        return items[:cap]

    def _new_run(
        self, actor_id: str, run_input: Any, items: list[dict], now: float, timeout: str | None
    ) -> FakeRun:
        start, per_item = self.profile.get(actor_id, (0.0, 0.0))
        start, per_item = start * self.time_scale, per_item * self.time_scale
        # A plain `set_latency` run takes that long and pushes everything at the end.
        latency = self.latencies.get(actor_id, self.default_latency)
        if actor_id in self.latencies or not self.profile:
            start, per_item = latency, 0.0
        final_status = self.final_statuses.get(actor_id, "SUCCEEDED")
        if final_status != "SUCCEEDED":
            items = items[: self.pushed_before_failure.get(actor_id, 0)]
        push_times = [now + start + per_item * (k + 1) for k in range(len(items))]
        ends_at: float | None = push_times[-1] if push_times else now + start
        if actor_id in self.stuck:
            push_times = push_times[: len(push_times) // 2] + [float("inf")] * (
                len(push_times) - len(push_times) // 2
            )
            ends_at = None
        fee, price = PRICES.get(actor_id, (0.005, 0.0023))
        return FakeRun(
            id=f"run{next(self._ids):06d}",
            actor_id=actor_id,
            run_input=run_input,
            items=items,
            started=now,
            push_times=push_times,
            ends_at=ends_at,
            final_status=final_status,
            start_fee=fee,
            item_price=price,
            settle_seconds=self.settle_seconds,
            timeout_secs=int(timeout) if timeout and timeout.isdigit() else 300,
            usage_override=self.usage_usd.get(actor_id),
        )

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
        now = time.time()
        if not run.is_finished(now):
            run.aborted_at = now
        return self._answer_run(run, wait=None)

    def _answer_run(self, run: FakeRun, *, wait: str | None, status: int = 200) -> Response:
        # waitForFinish: hold the request until the run ends (max 60 s, like the API).
        until = time.time() + min(float(wait or 0), 60.0)
        while time.time() < until and not run.is_finished(time.time()):
            end = run.end_time()
            time.sleep(max(0.005, min(0.05, until - time.time(), (end or until) - time.time())))
        return Response(status, {"data": self._run_json(run)})

    def _run_json(self, run: FakeRun) -> dict[str, Any]:
        now = time.time()
        finished = run.is_finished(now)
        status = run.status(now)
        pushed = len(run.pushed(now))
        return {
            "id": run.id,
            "actId": run.actor_id.replace("/", "~"),
            "userId": "fakeUserId0001",
            "startedAt": iso(run.started),
            "finishedAt": iso(run.end_time() or now) if finished else None,
            "status": status,
            "statusMessage": {"SUCCEEDED": "Finished!", "FAILED": "The Actor failed"}.get(status),
            "isStatusMessageTerminal": finished,
            "meta": {"origin": "API"},
            "stats": {"restartCount": 0, "resurrectCount": 0, "computeUnits": 0.01},
            "options": {
                "build": "latest",
                "timeoutSecs": run.timeout_secs,
                "memoryMbytes": RUN_MEMORY_MB,
                "diskMbytes": 2048,
            },
            "chargedEventCounts": {"actor-start": 1, "result": pushed},
            "buildId": "fakeBuildId0001",
            "buildNumber": "0.0.1",
            "generalAccess": "RESTRICTED",
            "defaultKeyValueStoreId": f"kv{run.id}",
            "defaultDatasetId": run.dataset_id,
            "defaultRequestQueueId": f"rq{run.id}",
            "usageTotalUsd": run.usage(now),
        }

    def _run_items(self, request: Request) -> Response:
        injected = self._auth_error(request) or self._injected("datasets")
        if injected:
            return injected
        run = self.runs.get(request.match["run"])
        if run is None:
            return error_response(404, "record-not-found", "Actor run was not found")
        return self._page(run.pushed(time.time()), request)

    def _dataset_items(self, request: Request) -> Response:
        injected = self._auth_error(request) or self._injected("datasets")
        if injected:
            return injected
        dataset_id = request.match["dataset"]
        run = next((r for r in self.runs.values() if r.dataset_id == dataset_id), None)
        if run is None:
            return error_response(404, "record-not-found", "Dataset was not found")
        return self._page(run.pushed(time.time()), request)

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


def _reels_for(run_input: dict, templates: list[dict]) -> list[dict]:
    """The reel scraper answers per entry of `username`: a reel URL gives that reel (a
    `/p/` URL is not a reel URL: an error item), a username that many of its reels."""
    if not templates:
        return []
    per_user = int(run_input.get("resultsLimit") or 1)
    items: list[dict] = []
    cursor = itertools.cycle(templates)
    for entry in run_input.get("username") or []:
        entry = str(entry)
        if "/p/" in entry:
            items.append({"url": entry, "error": "not_found", "errorDescription": "Not a reel"})
        elif "/reel/" in entry:
            code = entry.rstrip("/").rsplit("/", 1)[-1]
            reel = copy.deepcopy(next(cursor))
            reel.update(shortCode=code, url=entry, inputUrl=entry, id=f"reel-{code}")
            items.append(reel)
        else:
            items += [copy.deepcopy(next(cursor)) for _ in range(per_user)]
    return items


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
