"""Where the website fetch (brands/website.py) may connect: the SSRF guard.

The URL comes from the user and the request leaves from Kairo's servers, so before any
connection (docs/reference/website-fetch.md has the rules and their sources):

- http or https only, on port 80 or 443 only, no user name or password in the URL;
- a host that is a DNS name (at least two labels, the last not a number) or a literal
  IP address in its standard form; decimal, octal or hex spellings are refused;
- Kairo resolves the name itself and refuses unless EVERY address it resolves to is
  public (`is_public_address`); the fetch then connects to one of those addresses.

Tests serve pages from loopback: a FetchPolicy can trust extra networks and ports and
swap the resolver. Production's policy (`policy_from_settings`) trusts nothing extra.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import ssl
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

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
NOT_FOUND = "We couldn't find that site. Check the address for typos."


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
        raise WebsiteError("dns", NOT_FOUND) from None


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


def is_public_address(ip: IPAddress) -> bool:
    """True only for a globally routable unicast address. `is_global` already excludes
    private, loopback, link-local (169.254.169.254, the cloud metadata address, too),
    CGNAT 100.64/10, 0.0.0.0/8 and the documentation ranges; the rest are spelled out
    so the rule doesn't hang on one attribute's definition (it has changed between
    Python releases)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None or ip.sixtofour is not None or ip.teredo is not None:
            # IPv4-mapped, 6to4 and Teredo addresses reach an IPv4 host; no resolver answers
            # with them for a real site, and Python releases disagree on what `is_global`
            # says about them (CVE-2024-4032). Refused whatever they carry.
            return False
        if ip in _NAT64:  # a DNS64 answer: judged by the IPv4 address it carries
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
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
            raise WebsiteError("dns", NOT_FOUND) from None
    if not addresses:
        raise WebsiteError("dns", NOT_FOUND)
    if not all(_allowed(ip, policy) for ip in addresses):
        logger.info("Website fetch refused: %s resolves to a non-public address", target.host)
        raise WebsiteError("private", PRIVATE)
    return sorted(set(addresses), key=lambda ip: (ip.version, addresses.index(ip)))
