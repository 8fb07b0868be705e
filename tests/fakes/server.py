"""A tiny loopback HTTP server the doubles of Apify, OpenAI and Supabase Auth build on.

Each double subclasses `FakeService`, registers routes with `route(method, regex)`, and
is started on 127.0.0.1 with an OS-chosen port. Real clients (apify-client, openai,
httpx) talk to it over real HTTP. Every request is recorded (method, path, query,
headers, decoded JSON body) so tests can assert what was sent.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: re.Match | None = None

    def json(self) -> Any:
        if not self.body:
            return None
        return json.loads(self.body)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # Sent with chunked transfer encoding, each part flushed as it comes (server-sent events).
    stream: Iterator[bytes] | None = None

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


Handler = Callable[[Request], Response]


HOLD_LIMIT_SECONDS = 30.0  # a held request is answered after this even if never released


class FakeService:
    """Base class: routes, recording, latency and the server thread."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, Handler]] = []
        self.requests: list[Request] = []
        self.latency: float = 0.0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- routing ---------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method.upper(), re.compile(pattern + r"/?$"), handler))

    def dispatch(self, request: Request) -> Response:
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                request.match = match
                return handler(request)
        return self.not_found(request)

    def not_found(self, request: Request) -> Response:
        return Response(404, {"error": {"type": "not-found", "message": "No such route."}})

    # --- lifecycle -------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeService:
        service = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.headers.get("Content-Encoding", "").lower() == "gzip" and body:
                    body = gzip.decompress(body)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                with service._lock:
                    service.requests.append(request)
                try:
                    response = service.dispatch(request)
                except Exception as exc:  # a bug in the double shows as a 500, loudly
                    response = Response(500, {"error": {"message": f"fake crashed: {exc!r}"}})
                self.send_response(response.status)
                headers = {"Content-Type": "application/json", **response.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                if response.stream is not None:
                    self._send_stream(response.stream)
                    return
                payload = response.encode()
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _send_stream(self, parts: Iterator[bytes]) -> None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for part in parts:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        class _Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                # A client that went away (a worker stopped mid-request) is not news.
                import sys

                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)

        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def sleep(self, seconds: float | threading.Event | None = None) -> None:
        """Waits `seconds`, or, given an Event, until a test sets it (a server that
        accepts the connection and answers nothing until released)."""
        delay = self.latency if seconds is None else seconds
        if isinstance(delay, threading.Event):
            delay.wait(HOLD_LIMIT_SECONDS)
        elif delay:
            time.sleep(delay)

    def __enter__(self) -> FakeService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
