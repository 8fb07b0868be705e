"""Loopback double of the OpenAI API (the parts Kairo uses), for the real `openai` client.

- `GET /v1/models` (key check) and `POST /v1/chat/completions` with a strict
  `json_schema` response format. The answer is generated from the request's own schema
  (so it always fits it: enums, `anyOf` variants), deterministically from the request,
  cites evidence ids found in the prompt (`"id": "…"`) and gives as many opportunities as
  the prompt asks for ("Return exactly N opportunities").
- Timing as a real model writes: `time_to_first_token` seconds, then
  `tokens_per_second` (a token is ~4 characters); with `"stream": true` the answer comes
  as server-sent `chat.completion.chunk` events, then a usage chunk
  (`stream_options.include_usage`) and `data: [DONE]`, as the Chat Completions API sends.
- Error bodies as OpenAI sends them: 401 invalid_api_key, 429 rate_limit_exceeded,
  429 insufficient_quota, 500 server_error; latency on demand; made-up citations on
  demand (`bogus_citations`).
- Models as a key sees them: `GET /v1/models` lists `model_ids` (a realistic mix: chat
  models with and without Structured Outputs, dated snapshots, embeddings, audio,
  images); a completion asking for a model not listed is a 404 `model_not_found`, one
  sending `temperature` to a reasoning model (o-series, gpt-5) a 400
  `unsupported_value`, and an alias answers as its dated snapshot (`answers_as`).
  Which models take what is written here from OpenAI's docs, not read from Kairo.
"""

from __future__ import annotations

import hashlib
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
# What `models.list()` returns for a typical project key (in its own, arbitrary order).
MODEL_IDS = (
    "gpt-4o-mini",
    "gpt-4o-mini-2024-07-18",
    "gpt-4o",
    "gpt-4o-2024-05-13",  # before Structured Outputs came to gpt-4o
    "gpt-4o-2024-08-06",
    "gpt-4.1-mini",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano",
    "gpt-5-mini",
    "gpt-3.5-turbo",  # no Structured Outputs
    "o1-mini",  # no Structured Outputs
    "text-embedding-3-small",
    "whisper-1",
    "tts-1",
    "dall-e-3",
    "gpt-4o-realtime-preview",
    "omni-moderation-latest",
)
# Aliases OpenAI answers as a dated snapshot (the `model` of a completion).
ANSWERS_AS = {
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
}
REASONING_MODEL = re.compile(r"^(o\d|gpt-5)")  # only the default temperature (1)
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
        self.time_to_first_token = 0.0
        self.tokens_per_second = 0.0  # 0: the whole answer at once
        # Stop a stream after this many characters (a dropped connection mid-answer).
        self.cut_stream_after: int | None = None
        # Texts as long as a real model writes them (~150-250 tokens per opportunity).
        self.realistic_lengths = False
        self.model_ids: list[str] = list(MODEL_IDS)
        self.answers_as: dict[str, str] = dict(ANSWERS_AS)
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
            for name in self.model_ids
        ]
        return Response(200, {"object": "list", "data": models})

    def _model_error(self, body: dict) -> Response | None:
        """OpenAI's answer to a model this key can't use, or a temperature it refuses."""
        model = body.get("model", "")
        if model not in self.model_ids:
            error = {
                "message": f"The model `{model}` does not exist or you do not have access to it.",
                "type": "invalid_request_error",
                "param": None,
                "code": "model_not_found",
            }
            return Response(404, {"error": error})
        if "temperature" in body and body["temperature"] != 1 and REASONING_MODEL.match(model):
            error = {
                "message": f"Unsupported value: 'temperature' does not support "
                f"{body['temperature']} with this model. Only the default (1) value is supported.",
                "type": "invalid_request_error",
                "param": "temperature",
                "code": "unsupported_value",
            }
            return Response(400, {"error": error})
        return None

    def chat_completions(self, request: Request) -> Response:
        self.sleep()
        self.sleep(self.completion_latency)
        self.completion_calls += 1
        if error := self._auth_error(request):
            return error
        if self.fail_with or self.fail_completions_with:
            return self._error(self.fail_with or self.fail_completions_with)
        body = request.json()
        if error := self._model_error(body):
            return error
        prompt = "\n".join(
            m["content"] if isinstance(m["content"], str) else json.dumps(m["content"])
            for m in body["messages"]
        )
        evidence_ids = list(dict.fromkeys(EVIDENCE_ID.findall(prompt)))
        schema = body["response_format"]["json_schema"]["schema"]
        asked = ASKED_COUNT.search(prompt)
        answer = _Answer(
            evidence_ids,
            int(asked.group(1)) if asked else self.opportunity_count,
            seed=hashlib.sha256(prompt.encode()).hexdigest(),
            bogus=self.bogus_citations,
            realistic=self.realistic_lengths,
        )
        completion_text = json.dumps(self.shape_answer(answer.fill(schema, schema, "root")))
        prompt_tokens = max(1, len(prompt) // 4)
        completion_tokens = max(1, len(completion_text) // 4)
        meta = {
            "id": f"chatcmpl-fake{next(self._ids)}",
            "created": int(time.time()),
            "model": self.answers_as.get(body["model"], body["model"]),
            "system_fingerprint": "fp_fake",
        }
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        if body.get("stream"):
            return Response(
                200,
                headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
                stream=self._events(completion_text, meta, usage),
            )
        self.sleep(self.time_to_first_token)
        if self.tokens_per_second:
            self.sleep(completion_tokens / self.tokens_per_second)
        return Response(
            200,
            {
                **meta,
                "object": "chat.completion",
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
                "usage": usage,
            },
        )

    def shape_answer(self, content: dict) -> dict:
        """Subclasses change the answer here (a model that misbehaves), streamed or not."""
        return content

    def _events(self, text: str, meta: dict, usage: dict) -> Iterator[bytes]:
        """The answer as SSE chunks of ~4 tokens, at the configured pace."""

        def event(delta: dict, finish: str | None = None, chunk_usage: Any = None) -> bytes:
            choices = (
                []
                if chunk_usage
                else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
            )
            chunk = {**meta, "object": "chat.completion.chunk", "choices": choices}
            if chunk_usage:
                chunk["usage"] = chunk_usage
            return f"data: {json.dumps(chunk)}\n\n".encode()

        self.sleep(self.time_to_first_token)
        yield event({"role": "assistant", "content": "", "refusal": None})
        step = 16  # characters: ~4 tokens
        limit = len(text) if self.cut_stream_after is None else self.cut_stream_after
        for start in range(0, limit, step):
            if self.tokens_per_second:
                time.sleep((step / 4) / self.tokens_per_second)
            yield event({"content": text[start : min(start + step, limit)]})
        if self.cut_stream_after is not None:
            raise ConnectionResetError("stream cut on purpose")
        yield event({}, finish="stop")
        yield event({}, chunk_usage=usage)
        yield b"data: [DONE]\n\n"


VOCABULARY = (
    "audience saves posts result steps reel carousel creators trend week brand answer "
    "search buyers proof story hook demo myth test compare launch guide mistakes tips "
    "behind scenes data chart numbers founders customers review before after routine "
    "question thread quote clip sound duet stitch series checklist template teardown"
).split()
ASKED_COUNT = re.compile(r"Return exactly (\d+) opportunities")


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


class _Answer:
    """A value that fits the schema, made deterministically from the request."""

    WORDS = {"title": 8, "hook": 24, "angle": 40, "why_now": 36}

    def __init__(
        self, ids: list[str], count: int, *, seed: str, bogus: bool, realistic: bool = False
    ) -> None:
        self.ids, self.count, self.seed, self.bogus = ids, count, seed, bogus
        self.realistic = realistic
        self.strings = itertools.count()
        self.citations = itertools.count()
        self.objects = itertools.count()

    def _pick(self, name: str, options: list) -> Any:
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return options[digest[0] % len(options)]

    def fill(self, root: dict, schema: dict, name: str) -> Any:
        if "anyOf" in schema:
            variants = [s for s in schema["anyOf"] if s.get("type") != "null"]
            return self.fill(root, self._pick(f"{name}:{next(self.objects)}", variants), name)
        schema = _resolve(root, schema)
        kind = schema.get("type")
        if "enum" in schema and kind != "array":
            return self._pick(f"{name}:{next(self.strings)}", schema["enum"])
        if kind == "object":
            return {
                prop: self.fill(root, sub, prop)
                for prop, sub in schema.get("properties", {}).items()
            }
        if kind == "array":
            items = schema.get("items", {})
            if "id" in name.lower() or "evidence" in name.lower():
                return self._cite(items.get("enum"))
            is_objects = "anyOf" in items or _resolve(root, items).get("type") == "object"
            count = self.count if is_objects else 2
            return [self.fill(root, items, f"{name}{i}") for i in range(count)]
        if kind == "integer":
            return 3
        if kind == "number":
            return 0.8
        if kind == "boolean":
            return True
        # The request's own tag keeps ideas from parallel calls apart.
        text = f"Sample {name.replace('_', ' ')} {next(self.strings)}-{self.seed[:4]}"
        if self.realistic:
            # Words drawn from the request's seed: ideas of one run read differently.
            digest = hashlib.sha256(f"{self.seed}:{text}".encode()).digest() * 2
            count = self.WORDS.get(name, 12)
            words = [VOCABULARY[b % len(VOCABULARY)] for b in digest[:count]]
            text = f"{text} {' '.join(words)}"
        return text

    def _cite(self, allowed: list[str] | None) -> list[str]:
        """Up to 3 ids from the prompt (within the schema's enum when it has one); with
        `bogus`, alternately one real id plus a made-up one, and only made-up ids."""
        ids = [i for i in self.ids if allowed is None or i in allowed]
        nth = next(self.citations)
        start = nth * 3
        chosen = [ids[(start + k) % len(ids)] for k in range(min(3, len(ids)))] if ids else []
        if self.bogus:
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
