"""Fetches a brand's home page for onboarding, guarded against server-side request forgery.

The URL comes from the user, and the request leaves from Kairo's servers, so every hop
is checked before a byte is sent (docs/reference/website-fetch.md has the rules and
their sources):

- http or https only, on port 80 or 443 only, no user name or password in the URL;
- a host that is a DNS name (at least two labels, the last not a number) or a literal
  IP address; decimal, octal or hex spellings of an address are refused;
- Kairo resolves the name itself and refuses unless EVERY address it resolves to is
  public (`is_public_address`);
- the connection goes to the vetted address (the URL carries the IP; the Host header
  and TLS server name carry the name, so the certificate is still checked against the
  name), and the socket's peer address is checked again: no second DNS lookup, so a
  rebinding DNS server can't swap the address between the check and the connection;
- redirects are followed by hand, at most `max_redirects`, each hop checked the same way;
- one deadline for the whole fetch, a byte cap on the (decompressed) body, only HTML;
- no cookies (a fresh client per hop), no proxies or .netrc from the environment.

Never logs a page: only the host and why a fetch was refused.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

USER_AGENT = "KairoBot/1.0 (+reads one page to pre-fill a brand's onboarding)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int, float], list[str]]


class WebsiteError(Exception):
    """A fetch that was refused or failed; `str()` is what the user is told."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


NOT_A_URL = "That doesn't look like a website address. Try yourbrand.com."
PRIVATE = "That address points inside a private network, so Kairo won't fetch it."
UNREACHABLE = "We couldn't reach that site. Check the address, or fill in the details yourself."


def _resolve_with_getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


# getaddrinfo has no timeout of its own: it runs here and is waited for with one.
_dns_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="website-dns")


def resolve_host(host: str, port: int, timeout: float) -> list[str]:
    """Every address `host` resolves to (the system resolver), within `timeout` seconds."""
    future = _dns_pool.submit(_resolve_with_getaddrinfo, host, port)
    try:
        return future.result(timeout=max(timeout, 0.01))
    except FutureTimeout:
        raise WebsiteError("timeout", UNREACHABLE) from None
    except (OSError, UnicodeError):
        raise WebsiteError(
            "dns", "We couldn't find that site. Check the address for typos."
        ) from None


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of one fetch. `trusted_networks` and `verify` exist for tests, which
    serve pages from loopback; production builds this with `policy_from_settings`."""

    connect_timeout: float = 3.0
    total_timeout: float = 5.0
    max_bytes: int = 1_000_000
    max_redirects: int = 3
    allowed_ports: frozenset[int] = frozenset({80, 443})
    trusted_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver = resolve_host
    verify: ssl.SSLContext | bool = True


def policy_from_settings() -> FetchPolicy:
    return FetchPolicy(
        connect_timeout=settings.WEBSITE_FETCH_CONNECT_TIMEOUT,
        total_timeout=settings.WEBSITE_FETCH_TIMEOUT,
        max_bytes=settings.WEBSITE_FETCH_MAX_BYTES,
        max_redirects=settings.WEBSITE_FETCH_MAX_REDIRECTS,
    )


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo client, NAT64)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True only for a globally routable unicast address. `is_global` already excludes
    private, loopback, link-local (169.254.169.254, the cloud metadata address, too),
    CGNAT 100.64/10, 0.0.0.0/8, the documentation ranges and every IPv4-mapped IPv6
    address; the rest are spelled out so the rule doesn't hang on one attribute's
    definition, and IPv6 forms that carry an IPv4 address are checked by that address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None and not is_public_address(embedded):
            return False
        if ip.is_site_local:  # fec0::/10, deprecated but still routed inside some networks
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _allowed(ip: IPAddress, policy: FetchPolicy) -> bool:
    return is_public_address(ip) or any(ip in network for network in policy.trusted_networks)


@dataclass(frozen=True)
class Target:
    """One checked URL: what the user sees (`url`) and where the request goes."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) name or literal address
    port: int
    path: str  # path and query, as sent

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == _DEFAULT_PORTS[self.scheme] else f"{name}:{self.port}"


def parse_target(raw: str, policy: FetchPolicy) -> Target:
    """The URL checked for scheme, port, credentials and host spelling (no DNS yet)."""
    value = (raw or "").strip()
    if "://" not in value:
        value = "https://" + value
    try:
        url = httpx.URL(value)
        host = url.raw_host.decode("ascii").lower().rstrip(".")
    except (httpx.InvalidURL, UnicodeError, ValueError):
        raise WebsiteError("invalid", NOT_A_URL) from None
    if url.scheme not in _DEFAULT_PORTS:
        raise WebsiteError("scheme", "Kairo only opens web addresses (http:// or https://).")
    if url.userinfo:
        raise WebsiteError(
            "userinfo", "Leave the user name and password out; enter just the site's address."
        )
    port = url.port or _DEFAULT_PORTS[url.scheme]
    if port not in policy.allowed_ports:
        raise WebsiteError(
            "port", "Kairo only opens websites on the usual ports (80 and 443): leave the port out."
        )
    if not host:
        raise WebsiteError("invalid", NOT_A_URL)
    _check_host_spelling(host)
    path = url.raw_path.decode("ascii") or "/"
    return Target(str(url.copy_with(fragment=None)), url.scheme, host, port, path)


def _check_host_spelling(host: str) -> None:
    try:
        ipaddress.ip_address(host)
        return  # a literal address in its standard form: checked like a resolved one
    except ValueError:
        pass
    labels = host.split(".")
    if labels[-1].isdigit() or labels[-1].startswith("0x"):
        # 2130706433, 127.1, 0x7f.1: other spellings of an address, which resolvers
        # read differently from the check. A real top-level domain is never a number.
        raise WebsiteError("numeric", "Enter the site's name (like yourbrand.com), not a number.")
    if len(labels) < 2 or not all(_DNS_LABEL.match(label) for label in labels):
        raise WebsiteError("invalid", NOT_A_URL)


def vet_addresses(target: Target, policy: FetchPolicy, deadline: float) -> list[IPAddress]:
    """The addresses to connect to (IPv4 first), all of them allowed, or WebsiteError."""
    try:
        addresses = [ipaddress.ip_address(target.host)]
    except ValueError:
        remaining = deadline - time.monotonic()
        try:
            raw = policy.resolver(target.host, target.port, remaining)
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in raw]
        except ValueError:
            raise WebsiteError("dns", "We couldn't find that site. Check the address.") from None
    if not addresses:
        raise WebsiteError("dns", "We couldn't find that site. Check the address for typos.")
    if not all(_allowed(ip, policy) for ip in addresses):
        logger.info("Website fetch refused: %s resolves to a non-public address", target.host)
        raise WebsiteError("private", PRIVATE)
    return sorted(set(addresses), key=lambda ip: (ip.version, addresses.index(ip)))


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
    # wbits 47: gzip or zlib header, detected automatically; raw deflate as a fallback.
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
