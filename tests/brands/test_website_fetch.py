"""Fetching a user-given website: the SSRF guard, pinning, redirects and limits.

docs/reference/website-fetch.md lists the rules these tests hold the fetch to.
"""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import ssl
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from brands.website import USER_AGENT, _check_peer, fetch_page
from brands.website_guard import (
    FetchPolicy,
    WebsiteError,
    is_public_address,
    parse_target,
    vet_addresses,
)
from tests.brands.website_double import BRAND_PAGE, FakeResolver, SiteDouble, policy

FAR_FUTURE = 1e12  # a deadline that never passes (the address checks don't wait)


@pytest.fixture
def site():
    double = SiteDouble()
    yield double
    double.stop()


def refused(url: str, fetch_policy: FetchPolicy | None = None) -> WebsiteError:
    with pytest.raises(WebsiteError) as caught:
        fetch_page(url, fetch_policy or FetchPolicy(resolver=FakeResolver()))
    return caught.value


# --- the address rules (no network) ----------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.255.0.9", "10.0.0.5", "172.16.0.1", "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "169.254.1.1", "100.64.0.1", "100.127.255.254",  # CGNAT
        "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1",
        "255.255.255.255", "192.0.2.10", "198.18.0.1",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",  # IPv4-mapped
        "::ffff:8.8.8.8",  # mapped, even a public one: resolvers don't answer with these
        "::127.0.0.1",  # IPv4-compatible (deprecated)
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:808:808::1",  # 6to4, even of a public address
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:db8::1",  # documentation
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"]
)
def test_public_addresses_are_allowed(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1/", "private"),
        ("http://10.1.2.3/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "private"),
        ("http://[::1]/", "private"),
        ("http://[fe80::1]/", "private"),
        ("http://[::ffff:127.0.0.1]/", "private"),
        ("http://[::ffff:a9fe:a9fe]/", "private"),  # 169.254.169.254, mapped, in hex
        ("http://100.64.0.1/", "private"),
        ("http://0.0.0.0/", "private"),
        ("http://2130706433/", "numeric"),  # 127.0.0.1 as one decimal number
        ("http://017700000001/", "numeric"),  # ... in octal
        ("http://0x7f000001/", "numeric"),  # ... in hex
        ("http://0x7f.1/", "numeric"),
        ("http://127.1/", "numeric"),
        ("http://0177.0.0.1/", "invalid"),  # octal dotted quad
        ("http://evil@127.0.0.1/", "userinfo"),
        ("http://example.com@127.0.0.1/", "userinfo"),
        ("https://user:secret@example.com/", "userinfo"),
        ("ftp://example.com/", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://example.com:70/", "scheme"),
        ("http://example.com:8080/", "port"),
        ("https://example.com:22/", "port"),
        ("http://example.com:6379/", "port"),
        ("http://localhost/", "invalid"),  # a single label is an intranet name
        ("http://metadata/computeMetadata/v1/", "invalid"),
        ("http://exa mple.com/", "invalid"),
        ("", "invalid"),
    ],
)
def test_the_ssrf_matrix_is_refused_before_any_connection(url, kind):
    resolver = FakeResolver()
    error = refused(url, FetchPolicy(resolver=resolver))
    assert error.kind == kind
    assert "http" not in str(error).lower() or kind == "scheme"  # plain words, no echo
    if kind != "private":
        assert resolver.calls == []


def test_a_name_resolving_to_a_private_address_is_refused_in_plain_words():
    resolver = FakeResolver({"intranet.example.com": [["10.20.30.40"]]})
    error = refused("https://intranet.example.com/", FetchPolicy(resolver=resolver))
    assert str(error) == "That address points inside a private network, so Kairo won't fetch it."


def test_every_resolved_address_must_be_public():
    resolver = FakeResolver({"mixed.example.com": [["93.184.216.34", "127.0.0.1"]]})
    assert refused("https://mixed.example.com/", FetchPolicy(resolver=resolver)).kind == "private"
    resolver = FakeResolver({"v6.example.com": [["2606:4700::1", "::ffff:192.168.0.1"]]})
    assert refused("https://v6.example.com/", FetchPolicy(resolver=resolver)).kind == "private"


def test_a_name_that_resolves_to_nothing_is_not_found():
    resolver = FakeResolver({"gone.example.com": [[]]})
    error = refused("https://gone.example.com/", FetchPolicy(resolver=resolver))
    assert error.kind == "dns"
    assert "couldn't find that site" in str(error)


def test_addresses_are_tried_ipv4_first():
    resolver = FakeResolver({"dual.example.com": [["2606:4700::1", "93.184.216.34"]]})
    target = parse_target("dual.example.com", FetchPolicy())
    vetted = vet_addresses(target, FetchPolicy(resolver=resolver), FAR_FUTURE)
    assert [str(ip) for ip in vetted] == ["93.184.216.34", "2606:4700::1"]


def test_a_bare_domain_means_https():
    target = parse_target("Bean-and-Leaf.example/shop?x=1#top", FetchPolicy())
    assert (target.scheme, target.host, target.port, target.path) == (
        "https", "bean-and-leaf.example", 443, "/shop?x=1",
    )  # fmt: skip


def test_a_connection_to_another_peer_than_the_vetted_one_is_refused():
    stream = SimpleNamespace(get_extra_info=lambda name: ("10.0.0.9", 80))
    response = SimpleNamespace(extensions={"network_stream": stream})
    with pytest.raises(WebsiteError) as caught:
        _check_peer(response, ipaddress.ip_address("93.184.216.34"))
    assert caught.value.kind == "private"


# --- over the network, against the loopback double ------------------------------------


def test_a_page_is_fetched_with_a_descriptive_agent_and_nothing_else(site):
    site.page("/", BRAND_PAGE)
    page = fetch_page(site.url(), policy(site))
    assert "Bean &amp; Leaf" in page.html
    headers = site.seen[0].headers
    assert headers["user-agent"] == USER_AGENT
    assert headers["host"] == f"127.0.0.1:{site.port}"
    assert "cookie" not in headers and "authorization" not in headers


def test_dns_rebinding_cannot_swap_the_address(site):
    """The resolver answers loopback (allowed here) first and a private address after:
    the connection goes to the vetted address, and the name is never looked up again."""
    site.page("/", BRAND_PAGE)
    resolver = FakeResolver({"rebind.example.com": [["127.0.0.1"], ["10.0.0.1"]]})
    page = fetch_page(site.url(host="rebind.example.com"), policy(site, resolver))
    assert "Bean &amp; Leaf" in page.html
    assert resolver.calls == ["rebind.example.com"]
    assert site.seen[0].headers["host"] == f"rebind.example.com:{site.port}"


def test_each_redirect_hop_is_resolved_and_checked_again(site):
    site.redirect("/", "/home")
    site.page("/home", BRAND_PAGE)
    resolver = FakeResolver({"rebind.example.com": [["127.0.0.1"], ["10.0.0.1"]]})
    error = refused(site.url(host="rebind.example.com"), policy(site, resolver))
    assert error.kind == "private"
    assert resolver.calls == ["rebind.example.com", "rebind.example.com"]
    assert [seen.path for seen in site.seen] == ["/"]


def test_redirects_are_followed_up_to_the_limit(site):
    site.redirect("/", "/a")
    site.redirect("/a", site.url("/b"))
    site.redirect("/b", "c")  # relative to /b
    site.page("/c", BRAND_PAGE)
    page = fetch_page(site.url(), policy(site))
    assert page.url == site.url("/c")
    assert len(page.redirects) == 3


def test_too_many_redirects_are_refused(site):
    for step in range(4):
        site.redirect(f"/{step}", f"/{step + 1}")
    site.page("/4", BRAND_PAGE)
    error = refused(site.url("/0"), policy(site))
    assert error.kind == "redirects"
    assert "/4" not in [seen.path for seen in site.seen]


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://2130706433/",
        "file:///etc/passwd",
        "http://internal.example.com/",
    ],
)
def test_a_redirect_to_a_private_or_odd_address_is_refused(site, location):
    site.redirect("/", location)
    resolver = FakeResolver({"internal.example.com": [["192.168.0.10"]]})
    error = refused(site.url(), policy(site, resolver))
    assert error.kind in {"private", "numeric", "scheme"}
    assert len(site.seen) == 1


def test_cookies_set_by_one_hop_are_not_sent_to_the_next(site):
    site.redirect("/", "/home", cookie="session=abc; Path=/")
    site.page("/home", BRAND_PAGE)
    fetch_page(site.url(), policy(site))
    assert "cookie" not in site.seen[1].headers


def test_a_huge_page_is_read_only_up_to_the_cap(site):
    site.endless("/")
    page = fetch_page(site.url(), policy(site, max_bytes=200_000))
    assert page.truncated
    assert len(page.html.encode()) <= 200_000
    assert "<title>Huge" in page.html
    assert site.sent_bytes < 50_000_000  # the double was cut off, not drained


def test_a_compressed_bomb_is_inflated_only_up_to_the_cap(site):
    bomb = gzip.compress(b"<title>Bomb</title>" + b" " * 30_000_000)
    assert len(bomb) < 100_000
    site.page("/", bomb, headers={"Content-Encoding": "gzip"})
    page = fetch_page(site.url(), policy(site, max_bytes=100_000))
    assert page.truncated
    assert len(page.html) == 100_000
    assert page.html.startswith("<title>Bomb</title>")


def test_a_gzipped_page_is_read(site):
    site.page("/", gzip.compress(BRAND_PAGE.encode()), headers={"Content-Encoding": "gzip"})
    page = fetch_page(site.url(), policy(site))
    assert page.html == BRAND_PAGE
    assert not page.truncated


def test_a_slow_server_times_out(site):
    site.slow("/", seconds=10)
    error = refused(site.url(), policy(site, total_timeout=0.3))
    assert error.kind == "timeout"
    assert "took too long" in str(error)


@pytest.mark.parametrize(
    "content_type", ["application/json", "image/png", "application/pdf", "text/plain", ""]
)
def test_only_html_is_read(site, content_type):
    site.page("/", BRAND_PAGE, content_type=content_type)
    error = refused(site.url(), policy(site))
    assert error.kind == "not_html"
    assert str(error) == "That address isn't a web page, so there's nothing to read from it."


def test_an_error_status_is_said_plainly(site):
    error = refused(site.url("/missing"), policy(site))
    assert error.kind == "status"
    assert "(404)" in str(error)


def test_a_closed_port_is_unreachable():
    unused = SiteDouble()
    unused.stop()  # the port is free again: nothing listens
    error = refused(unused.url(), policy(unused))
    assert error.kind == "unreachable"
    assert str(error).startswith("We couldn't reach that site.")


def test_the_page_is_decoded_with_its_declared_charset(site):
    body = "<meta charset='iso-8859-1'><title>Café Crème</title>".encode("latin-1")
    site.page("/", body, content_type="text/html")
    assert "Café Crème" in fetch_page(site.url(), policy(site)).html


# --- TLS: connecting to the pinned address still checks the certificate by name --------


def _tls_contexts(name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for `name` signed by a throwaway CA, and a
    client context trusting only that CA."""
    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject: str, key, issuer_name, issuer_key, *, ca: bool, san: str | None):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if san:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False
            )
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = certificate("Test CA", ca_key, ca_name, ca_key, ca=True, san=None)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = certificate(name, leaf_key, ca_name, ca_key, ca=False, san=name)

    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    pem = leaf.public_bytes(serialization.Encoding.PEM)
    key_pem = leaf_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    import tempfile

    with tempfile.NamedTemporaryFile("wb", suffix=".pem") as bundle:
        bundle.write(pem + key_pem)
        bundle.flush()
        server.load_cert_chain(bundle.name)
    client = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return server, client


@pytest.mark.parametrize(
    ("certificate_for", "works"), [("shop.example.com", True), ("other.example.com", False)]
)
def test_https_to_the_pinned_address_checks_the_certificate_against_the_name(
    certificate_for, works
):
    server_tls, client_tls = _tls_contexts(certificate_for)
    site = SiteDouble(tls=server_tls)
    try:
        site.page("/", BRAND_PAGE)
        resolver = FakeResolver({"shop.example.com": [["127.0.0.1"]]})
        fetch_policy = FetchPolicy(
            allowed_ports=frozenset({site.port}),
            trusted_networks=(ipaddress.ip_network("127.0.0.0/8"),),
            resolver=resolver,
            verify=client_tls,
        )
        url = site.url(host="shop.example.com", scheme="https")
        if works:
            assert "Bean &amp; Leaf" in fetch_page(url, fetch_policy).html
            assert site.seen[0].headers["host"] == f"shop.example.com:{site.port}"
        else:
            error = refused(url, fetch_policy)
            assert error.kind == "tls"
            assert site.seen == []
    finally:
        site.stop()


def test_the_system_resolver_answers_within_its_timeout():
    from brands.website_guard import resolve_host

    addresses = {ipaddress.ip_address(a) for a in resolve_host("localhost", 80, 2.0)}
    assert addresses and all(ip.is_loopback for ip in addresses)
    # ... and its loopback answer is refused like any other private address:
    error = refused(
        "http://localhost.localdomain.test/", FetchPolicy(resolver=lambda *a: ["127.0.0.1"])
    )
    assert error.kind == "private"
