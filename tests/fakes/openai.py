"""Loopback double of the OpenAI API (the parts Kairo uses), for the real `openai` client.

- `GET /v1/models` (key check) and `POST /v1/chat/completions` with a strict
  `json_schema` response format. The answer is generated from the request's own schema
  (so it always fits it) and cites evidence ids found in the prompt (`"id": "…"`).
- Error bodies as OpenAI sends them: 401 invalid_api_key, 429 rate_limit_exceeded,
  429 insufficient_quota, 500 server_error; latency on demand; made-up citations on
  demand (`bogus_citations`).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.server import FakeService, Request, Response

GOOD_KEY_PREFIX = "sk-"
ERRORS: dict[str, tuple[int, dict[str, Any]]] = {
    "invalid_api_key": (
        401,
        {
            "message": "Incorrect API key provided: sk-****. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        },
    ),
    "rate_limit_exceeded": (
        429,
        {
            "message": "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        },
    ),
    "insufficient_quota": (
        429,
        {
            "message": "You exceeded your current quota, please check your plan and billing details.",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        },
    ),
    "server_error": (
        500,
        {
            "message": "The server had an error while processing your request.",
            "type": "server_error",
            "param": None,
            "code": None,
        },
    ),
}
EVIDENCE_ID = re.compile(r'"id":\s*"([A-Za-z0-9_\-:.]+)"')


class FakeOpenAI(FakeService):
    def __init__(self) -> None:
        super().__init__()
        self.invalid_keys: set[str] = set()
        # Error code (a key of ERRORS) returned by every call, or per endpoint.
        self.fail_with: str | None = None
        self.fail_completions_with: str | None = None
        self.completion_latency: float = 0.0
        self.bogus_citations = False
        self.opportunity_count = 6
        self.completion_calls = 0
        self._ids = itertools.count(1)
        self._citations = itertools.count()
        self.route("GET", r"/v1/models", self.models)
        self.route("POST", r"/v1/chat/completions", self.chat_completions)

    # --- helpers ---------------------------------------------------------------------
    def _auth_error(self, request: Request) -> Response | None:
        key = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not key.startswith(GOOD_KEY_PREFIX) or key in self.invalid_keys:
            return self._error("invalid_api_key")
        return None

    def _error(self, code: str) -> Response:
        status, body = ERRORS[code]
        headers = {"x-should-retry": "false"} if code == "insufficient_quota" else {}
        return Response(status, {"error": body}, headers)

    # --- routes ----------------------------------------------------------------------
    def models(self, request: Request) -> Response:
        self.sleep()
        if error := self._auth_error(request):
            return error
        if self.fail_with:
            return self._error(self.fail_with)
        models = [
            {"id": name, "object": "model", "created": 1715367049, "owned_by": "system"}
            for name in ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini")
        ]
        return Response(200, {"object": "list", "data": models})

    def chat_completions(self, request: Request) -> Response:
        self.sleep()
        self.sleep(self.completion_latency)
        self.completion_calls += 1
        if error := self._auth_error(request):
            return error
        if self.fail_with or self.fail_completions_with:
            return self._error(self.fail_with or self.fail_completions_with)
        body = request.json()
        prompt = "\n".join(
            m["content"] if isinstance(m["content"], str) else json.dumps(m["content"])
            for m in body["messages"]
        )
        evidence_ids = list(dict.fromkeys(EVIDENCE_ID.findall(prompt)))
        schema = body["response_format"]["json_schema"]["schema"]
        content = _fill(schema, schema, "root", evidence_ids, self)
        prompt_tokens = max(1, len(prompt) // 4)
        completion_text = json.dumps(content)
        completion_tokens = max(1, len(completion_text) // 4)
        return Response(
            200,
            {
                "id": f"chatcmpl-fake{next(self._ids)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "gpt-4o-mini"),
                "choices": [
                    {
                        "index": 0,
                        "message": {
                            "role": "assistant",
                            "content": completion_text,
                            "refusal": None,
                        },
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
                "system_fingerprint": "fp_fake",
            },
        )


def _resolve(root: dict, schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        node: Any = root
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node
    if "anyOf" in schema:
        return next(s for s in schema["anyOf"] if s.get("type") != "null")
    return schema


def _fill(root: dict, schema: dict, name: str, ids: list[str], fake: FakeOpenAI) -> Any:
    """A value that fits `schema`, made from the property name and the evidence ids."""
    schema = _resolve(root, schema)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][hash(name) % len(schema["enum"])]
    if kind == "object":
        return {
            prop: _fill(root, sub, prop, ids, fake)
            for prop, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        items = schema.get("items", {})
        if "id" in name.lower() or "evidence" in name.lower():
            return _cite(ids, fake)
        count = fake.opportunity_count if _resolve(root, items).get("type") == "object" else 2
        return [_fill(root, items, f"{name}{i}", ids, fake) for i in range(count)]
    if kind == "integer":
        return 3
    if kind == "number":
        return 0.8
    if kind == "boolean":
        return True
    return f"Sample {name.replace('_', ' ')} {next(_cursor)}"


_cursor = itertools.count()


def _cite(ids: list[str], fake: FakeOpenAI) -> list[str]:
    """Up to 3 real ids; with `bogus_citations`, alternately one real id plus a made-up
    one, and only made-up ids (that opportunity must be dropped)."""
    nth = next(fake._citations)
    start = nth * 3
    chosen = [ids[(start + k) % len(ids)] for k in range(min(3, len(ids)))] if ids else []
    if fake.bogus_citations:
        return chosen[:1] + ["made-up-evidence-id"] if nth % 2 == 0 else ["not-a-real-id"]
    return chosen


@pytest.fixture
def fake_openai(settings) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI().start()
    settings.OPENAI_BASE_URL = f"{fake.url}/v1"
    try:
        yield fake
    finally:
        fake.stop()
