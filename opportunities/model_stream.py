"""One structured-output call to the user's OpenAI account, streamed or not.

Streaming: the Chat Completions API sends the answer as server-sent events; the JSON is
written left to right, so `ArrayElements` can hand over each opportunity the moment its
object closes, long before the whole answer is done (docs/reference/openai.md §5).
Errors are classified by providers/openai.py (the classifier Settings' Test Connection
uses too) into the job's error codes (opportunities/errors.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import openai
from django.conf import settings

from byok.openai_models import accepts_temperature
from opportunities.errors import JobErrorCode, JobFailed, openai_code
from providers import openai as openai_errors

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT_SECONDS = 90.0
RETRY_DELAYS_SECONDS = (1.0, 3.0)  # our own bounded backoff; the client's retries are off


class SynthesisError(JobFailed):
    """The model call failed: a run that meets it fails with its code and message."""


@dataclass
class ModelAnswer:
    elements: list[str]  # the raw JSON text of each opportunity object, in order
    model: str
    prompt_tokens: int
    completion_tokens: int


class ArrayElements:
    """Feed JSON text as it arrives; `feed()` returns the objects of the first array
    that have just closed. String contents (and escapes) never confuse the depth."""

    def __init__(self) -> None:
        self.buffer = ""
        self.position = 0
        self.depth = 0
        self.in_string = False
        self.escaped = False
        self.array_depth: int | None = None
        self.element_start: int | None = None

    def feed(self, text: str) -> list[str]:
        self.buffer += text
        done: list[str] = []
        while self.position < len(self.buffer):
            char = self.buffer[self.position]
            if self.in_string:
                if self.escaped:
                    self.escaped = False
                elif char == "\\":
                    self.escaped = True
                elif char == '"':
                    self.in_string = False
            elif char == '"':
                self.in_string = True
            elif char in "[{":
                self.depth += 1
                if char == "[" and self.array_depth is None:
                    self.array_depth = self.depth
                elif char == "{" and self.depth == (self.array_depth or -1) + 1:
                    self.element_start = self.position
            elif char in "]}":
                closes_element = (
                    char == "}"
                    and self.element_start is not None
                    and self.depth == (self.array_depth or -1) + 1
                )
                if closes_element:
                    done.append(self.buffer[self.element_start : self.position + 1])
                    self.element_start = None
                self.depth -= 1
            self.position += 1
        return done


def _classify(exc: Exception) -> SynthesisError:
    """Any failure of a call, in the one OpenAI vocabulary (providers/openai.py)."""
    if isinstance(exc, SynthesisError):
        return exc
    code = openai_code(openai_errors.classify(exc))
    failed = JobFailed.from_provider(code)
    return SynthesisError(failed.code, failed.message)


RETRYABLE = frozenset(
    {JobErrorCode.OPENAI_RATE_LIMITED, JobErrorCode.OPENAI_UNAVAILABLE, JobErrorCode.OPENAI_TIMEOUT}
)


def _retryable(error: SynthesisError) -> bool:
    return error.code in RETRYABLE


def _incomplete() -> SynthesisError:
    return SynthesisError(
        JobErrorCode.OPENAI_INCOMPLETE, "OpenAI returned an incomplete answer. Try regenerating."
    )


def _refused() -> SynthesisError:
    return SynthesisError(
        JobErrorCode.OPENAI_REFUSED, "OpenAI declined to answer. Try regenerating."
    )


def ask_model(
    api_key: str,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    *,
    model: str,
    stream: bool,
    on_element: Callable[[str], None] | None = None,
) -> ModelAnswer:
    """Ask `model` once (with bounded retries before anything arrived); `on_element`
    gets each opportunity's JSON as soon as it is complete."""
    client = openai.OpenAI(
        api_key=api_key,
        base_url=settings.OPENAI_BASE_URL,
        timeout=REQUEST_TIMEOUT_SECONDS,
        max_retries=0,
    )
    request: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "opportunities", "strict": True, "schema": schema},
        },
    }
    if accepts_temperature(model):  # reasoning models refuse anything but the default
        request["temperature"] = 0.4
    delays = list(RETRY_DELAYS_SECONDS)
    while True:
        try:
            if stream:
                return _streamed(client, request, on_element)
            return _whole(client, request, on_element)
        except _Started as started:  # part of the answer was shown: never silently redo it
            raise _classify(started.cause) from started.cause
        except Exception as exc:  # classified below; never shown raw to the user
            error = _classify(exc)
            if not delays or not _retryable(error):
                logger.warning("synthesis failed: %s (%s)", error.code, type(exc).__name__)
                raise error from exc
            time.sleep(delays.pop(0))


class _Started(Exception):
    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _whole(
    client: Any, request: dict[str, Any], on_element: Callable[[str], None] | None
) -> ModelAnswer:
    completion = client.chat.completions.create(**request)
    choice = completion.choices[0]
    if choice.finish_reason in {"length", "content_filter"}:
        raise _incomplete()
    if choice.message.refusal or not choice.message.content:
        raise _refused()
    elements = ArrayElements().feed(choice.message.content)
    for element in elements:
        if on_element:
            on_element(element)
    usage = completion.usage
    return ModelAnswer(
        elements,
        completion.model or request["model"],
        getattr(usage, "prompt_tokens", 0) or 0,
        getattr(usage, "completion_tokens", 0) or 0,
    )


def _streamed(
    client: Any, request: dict[str, Any], on_element: Callable[[str], None] | None
) -> ModelAnswer:
    chunks: Iterator[Any] = client.chat.completions.create(
        **request, stream=True, stream_options={"include_usage": True}
    )
    scanner = ArrayElements()
    elements: list[str] = []
    model, usage, finish, refusal = request["model"], None, None, ""
    try:
        for chunk in chunks:
            model = chunk.model or model
            usage = chunk.usage or usage
            for choice in chunk.choices:
                finish = choice.finish_reason or finish
                refusal += choice.delta.refusal or ""
                for element in scanner.feed(choice.delta.content or ""):
                    elements.append(element)
                    if on_element:
                        on_element(element)
    except Exception as exc:
        if elements:
            raise _Started(exc) from exc
        raise
    if finish in {"length", "content_filter"}:
        raise _incomplete()
    if refusal and not elements:
        raise _refused()
    return ModelAnswer(
        elements,
        model,
        getattr(usage, "prompt_tokens", 0) or 0,
        getattr(usage, "completion_tokens", 0) or 0,
    )
