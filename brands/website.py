"""Fetches a brand's home page for onboarding ("Start from your website").

Every hop is checked by brands/website_guard.py first (scheme, port, host, every
resolved address public). Then, here:

- the connection goes to the vetted address: the URL carries the IP, the Host header
  and the TLS server name carry the name (so the certificate is still checked against
  the name), and the socket's peer address is checked again. Nothing resolves the name
  a second time, so a rebinding DNS server can't swap the address after the check;
- redirects are followed by hand, at most `max_redirects`, each hop checked again;
- one deadline for the whole fetch, a byte cap on the (decompressed) body, HTML only;
- no cookies (a fresh client per hop), no proxies or .netrc from the environment.

Never logs a page: only the host and why a fetch was refused.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import ssl
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from brands.website_guard import (
    PRIVATE,
    UNREACHABLE,
    FetchPolicy,
    IPAddress,
    Target,
    WebsiteError,
    parse_target,
    policy_from_settings,
    vet_addresses,
)

logger = logging.getLogger(__name__)

USER_AGENT = "KairoBot/1.0 (+reads one page to pre-fill a brand's onboarding)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class FetchedPage:
    url: str  # after redirects
    html: str
    truncated: bool = False  # the body was longer than the byte cap
    redirects: list[str] = field(default_factory=list)


def fetch_page(raw_url: str, policy: FetchPolicy | None = None) -> FetchedPage:
    """The HTML at `raw_url`, fetched under `policy`; WebsiteError says why not."""
    policy = policy or policy_from_settings()
    deadline = time.monotonic() + policy.total_timeout
    target = parse_target(raw_url, policy)
    redirects: list[str] = []
    while True:
        addresses = vet_addresses(target, policy, deadline)
        location, page = _fetch_hop(target, addresses, policy, deadline)
        if page is not None:
            page.redirects = redirects
            return page
        if len(redirects) >= policy.max_redirects:
            raise WebsiteError(
                "redirects",
                f"That site sent us through too many redirects (more than "
                f"{policy.max_redirects}). Enter the address it ends up at.",
            )
        redirects.append(target.url)
        target = parse_target(urljoin(target.url, location), policy)


def _timeout(policy: FetchPolicy, deadline: float) -> httpx.Timeout:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise WebsiteError("timeout", "That site took too long to answer. Try again later.")
    return httpx.Timeout(remaining, connect=min(policy.connect_timeout, remaining))


def _fetch_hop(
    target: Target, addresses: list[IPAddress], policy: FetchPolicy, deadline: float
) -> tuple[str, None] | tuple[None, FetchedPage]:
    """One request to the first vetted address that answers: a redirect's Location, or
    the page."""
    last_error: WebsiteError | None = None
    for ip in addresses:
        host = f"[{ip}]" if ip.version == 6 else str(ip)
        pinned = f"{target.scheme}://{host}:{target.port}{target.path}"
        headers = {
            "Host": target.host_header,
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9",
            "Accept-Encoding": "gzip, deflate",
        }
        # A fresh client per hop: no cookie set by one hop is sent to the next.
        with httpx.Client(
            timeout=_timeout(policy, deadline),
            follow_redirects=False,
            trust_env=False,
            verify=policy.verify,
        ) as client:
            try:
                request = client.build_request(
                    "GET", pinned, headers=headers, extensions={"sni_hostname": target.host}
                )
                response = client.send(request, stream=True)
            except httpx.ConnectError as error:
                last_error = _connect_error(error)
                continue
            except httpx.TimeoutException:
                raise WebsiteError("timeout", "That site took too long to answer.") from None
            except httpx.HTTPError:
                raise WebsiteError("unreachable", UNREACHABLE) from None
            try:
                return _read_response(response, target, ip, policy, deadline)
            finally:
                response.close()
    raise last_error or WebsiteError("unreachable", UNREACHABLE)


def _connect_error(error: httpx.ConnectError) -> WebsiteError:
    if isinstance(error.__context__, ssl.SSLError) or "CERTIFICATE" in str(error).upper():
        return WebsiteError(
            "tls", "That site's security certificate didn't check out, so Kairo didn't read it."
        )
    return WebsiteError("unreachable", UNREACHABLE)


def _read_response(
    response: httpx.Response,
    target: Target,
    ip: IPAddress,
    policy: FetchPolicy,
    deadline: float,
) -> tuple[str, None] | tuple[None, FetchedPage]:
    _check_peer(response, ip)
    if response.is_redirect:
        return response.headers["Location"], None
    if response.status_code >= 400:
        raise WebsiteError(
            "status",
            f"That site answered with an error ({response.status_code}). Check the address.",
        )
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in HTML_TYPES:
        raise WebsiteError(
            "not_html", "That address isn't a web page, so there's nothing to read from it."
        )
    body, truncated = _read_capped(response, policy.max_bytes, deadline)
    encoding = response.charset_encoding or _meta_charset(body) or "utf-8"
    try:
        html = body.decode(encoding, errors="replace")
    except LookupError:
        html = body.decode("utf-8", errors="replace")
    return None, FetchedPage(url=target.url, html=html, truncated=truncated)


def _check_peer(response: httpx.Response, ip: IPAddress) -> None:
    """The socket really is connected to the vetted address (belt and braces: the URL
    already names it, so nothing resolved the name again)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer or ipaddress.ip_address(str(peer[0]).split("%")[0]) != ip:
        logger.warning("Website fetch: connected to an unexpected peer; refused")
        raise WebsiteError("private", PRIVATE)


def _decoded_chunks(response: httpx.Response, limit: int) -> Iterator[bytes]:
    """The body, decompressed here (not by httpx) so a small gzip bomb can't expand
    beyond `limit` bytes in memory."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        yield from response.iter_raw()
        return
    if encoding not in ("gzip", "deflate"):
        raise WebsiteError("not_html", "That site sent its page in a form Kairo can't read.")
    # wbits 47: a gzip or a zlib header, whichever the server sent ("deflate" means zlib).
    inflater = zlib.decompressobj(47)
    try:
        for chunk in response.iter_raw():
            data = inflater.decompress(chunk, limit + 1)
            yield data
            if len(data) > limit or inflater.unconsumed_tail:
                return
    except zlib.error:
        raise WebsiteError("not_html", "That site sent a page Kairo couldn't read.") from None


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
    body = bytearray()
    try:
        for chunk in _decoded_chunks(response, max_bytes):
            body.extend(chunk)
            if len(body) > max_bytes:
                return bytes(body[:max_bytes]), True
            if time.monotonic() > deadline:
                raise WebsiteError("timeout", "That site took too long to answer.")
    except httpx.TimeoutException:
        raise WebsiteError("timeout", "That site took too long to answer.") from None
    except httpx.HTTPError:
        raise WebsiteError("unreachable", UNREACHABLE) from None
    return bytes(body), False


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None
