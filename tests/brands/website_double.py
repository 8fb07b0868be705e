"""A brand's website on loopback, for the "Start from your website" tests.

Loopback is exactly what the fetch refuses, so the tests fetch it under a FetchPolicy
that trusts 127.0.0.0/8 and the double's port (`policy()`), with a fake resolver mapping
test names to addresses: the same code path as production, only the address rule and
the resolver are swapped.
"""

from __future__ import annotations

import contextlib
import ipaddress
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from brands.website_guard import FetchPolicy

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class SiteDouble:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.sent_bytes = 0
        self.release = threading.Event()  # ends a slow answer early at teardown
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                double.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = double.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                # The client may stop reading early: that is what the byte cap does.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    # --- pages -------------------------------------------------------------------------
    def page(
        self,
        path: str,
        body: str | bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
            self.sent_bytes += len(data)

        self.routes[path] = route

    def redirect(self, path: str, location: str, *, cookie: str | None = None) -> None:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", location)
            if cookie:
                handler.send_header("Set-Cookie", cookie)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = route

    def endless(self, path: str, *, chunk: bytes = b"<p>" + b"x" * 8189 + b"</p>") -> None:
        """An HTML page that never ends (no Content-Length; the server stops at 50 MB)."""

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            handler.wfile.write(b"<html><head><title>Huge | Bean & Leaf</title></head><body>")
            for _ in range(50_000_000 // len(chunk)):
                handler.wfile.write(chunk)
                self.sent_bytes += len(chunk)

        self.routes[path] = route

    def slow(self, path: str, *, seconds: float) -> None:
        """Answers only after `seconds` (or at teardown)."""

        def route(handler: BaseHTTPRequestHandler) -> None:
            self.release.wait(seconds)
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            handler.wfile.write(b"<title>Late</title>")

        self.routes[path] = route

    def url(self, path: str = "/", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"


@dataclass
class FakeResolver:
    """Test names -> addresses; each lookup is recorded. A list of answers per name is
    served in turn (the last one repeats): a rebinding DNS server."""

    answers: dict[str, list[list[str]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def __call__(self, host: str, port: int, timeout: float) -> list[str]:
        self.calls.append(host)
        turns = self.answers.get(host, [["93.184.216.34"]])
        return turns[min(self.calls.count(host), len(turns)) - 1]


LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"),)


def policy(
    site: SiteDouble | None = None, resolver: FakeResolver | None = None, **limits
) -> FetchPolicy:
    ports = {80, 443} | ({site.port} if site else set())
    return FetchPolicy(
        allowed_ports=frozenset(ports),
        trusted_networks=LOOPBACK,
        resolver=resolver or FakeResolver(),
        **{"connect_timeout": 2.0, "total_timeout": 4.0, **limits},
    )


# A home page as a small brand's site builder writes it: social links in the header and
# again in the footer, relative links, an icon <svg> with its own <title>, entities.
BRAND_PAGE = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Latte art at home &amp; more | Bean &amp; Leaf</title>
<meta name="description" content="Small-batch coffee roasted in Leeds, for people who make   their flat white at home.">
<meta property="og:site_name" content="Bean &amp; Leaf">
<meta property="og:description" content="Small-batch coffee roasted in Leeds for home baristas: beans, kit and latte-art lessons.">
<link rel="icon" href="/favicon.ico">
</head><body>
<header>
  <svg><title>Menu icon</title></svg>
  <a href="/">Home</a> <a href="/shop/">Shop</a> <a href="about">About</a>
  <a href="https://www.instagram.com/BeanAndLeaf/?hl=en">Instagram</a>
  <a href="//tiktok.com/@beanandleaf">TikTok</a>
</header>
<main>
  <a href="https://www.instagram.com/p/Cx1abc/">Our latest post</a>
  <a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Watch the video</a>
  <a href="https://www.tiktok.com/tag/latteart">#latteart</a>
  <a href="https://www.linkedin.com/shareArticle?mini=true&url=x">Share</a>
  <a href="mailto:hello@beanandleaf.example">Email us</a>
  <a href="javascript:void(0)">Open menu</a>
</main>
<footer>
  <a href="https://instagram.com/beanandleaf">Instagram</a>
  <a href="https://www.tiktok.com/@beanandleaf/video/7234567890123456789">Our TikTok</a>
  <a href="https://www.youtube.com/@BeanAndLeafCoffee">YouTube</a>
  <a href="https://www.linkedin.com/in/jo-founder/">Jo, our founder</a>
  <a href="https://www.linkedin.com/company/bean-and-leaf/">LinkedIn</a>
</footer>
</body></html>
"""


@contextlib.contextmanager
def brand_site(monkeypatch) -> Iterator[SiteDouble]:
    """A double serving BRAND_PAGE at "/", which the website box's fetch may reach."""
    from brands import website

    double = SiteDouble()
    double.page("/", BRAND_PAGE)
    monkeypatch.setattr(website, "policy_from_settings", lambda: policy(double))
    try:
        yield double
    finally:
        double.stop()
