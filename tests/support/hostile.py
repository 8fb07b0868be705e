"""Hostile input: strategies, a raw form poster and the checks every answer must pass.

Every answer to hostile input is either a normal 2xx/3xx or a 4xx that says what is
wrong (a field error, an alert, or a JSON message) — never a 500 — and no page echoes
markup unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote, urlencode

from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.support.pages import body_text

# Modest example counts keep the whole hostile suite well under a minute.
HOSTILE = settings(
    max_examples=15,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCRIPT_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(document.cookie)</script>',
    "<img src=x onerror=alert(1)>",
    "'><svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{ request.user.password }}{% debug %}",
    "' OR 1=1 --",
    "%s%s%n%x",
    "\r\nSet-Cookie: injected=1",
    "\u202egnp.exe\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "😀👍🏽👨‍👩‍👧 🇺🇸",
    "a\x00b",
    "\ud800\udfff",
    "\ufeff\u200b\u200d",
    "#" * 300,
]

# Control, format, combining and surrogate code points: the awkward corners of unicode.
awkward_chars = st.characters(categories=["Cc", "Cf", "Cs", "Mn", "Zl", "Zp", "So"])

hostile_text = st.one_of(
    st.text(max_size=120),
    st.sampled_from(SCRIPT_PAYLOADS),
    st.text(awkward_chars, max_size=40),
    st.lists(st.one_of(st.sampled_from(SCRIPT_PAYLOADS), st.text(max_size=12)), max_size=6).map(
        "".join
    ),
    # Long enough to cross every max_length (but under the 1 MB body limit).
    st.builds(lambda chunk, n: chunk * n, st.sampled_from(SCRIPT_PAYLOADS), st.integers(10, 600)),
)

# JSON values of every type, for fields that expect a string.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def value_or_hostile(valid: str):
    """Mostly hostile, sometimes the valid answer: so valid saves (and their pages) happen."""
    return st.one_of(st.just(valid), hostile_text)


def form_body(fields: Mapping[str, str | list[str]]) -> bytes:
    """An x-www-form-urlencoded body; lone surrogates go out as the invalid UTF-8 bytes a
    hostile client can send (the test client itself refuses to encode them)."""
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((raw(name), raw(item)))
    return urlencode(pairs).encode("ascii")


def raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def post_form(client: Client, url: str, fields: Mapping[str, str | list[str]], **extra):
    return client.post(
        url, data=form_body(fields), content_type="application/x-www-form-urlencoded", **extra
    )


def quoted(text: str) -> str:
    """`text` as it may appear in a URL path or query (surrogates as their raw bytes)."""
    return quote(raw(text), safe="")


ERROR_MARKERS = ('<p class="error">', 'class="alert alert-error"', "couldn't accept that request")
UNSAFE_MARKUP = [
    re.compile(r"<script(?![^>]*\ssrc=\"/static/)", re.I),  # only our own script files
    re.compile(r"<(?:img|svg|a)\b[^>]*\s(?:onerror|onload)\s*=", re.I),
    re.compile(r"""href\s*=\s*["']?\s*javascript:""", re.I),
    re.compile(r"</textarea><script", re.I),
]


def assert_no_injected_markup(html: str, where: str = "") -> None:
    for pattern in UNSAFE_MARKUP:
        match = pattern.search(html)
        assert match is None, f"unescaped markup {match.group(0)!r} in {where}"


def assert_handled(response: HttpResponse, where: str = "") -> None:
    """Never a 500; a 4xx carries a message; nothing hostile is echoed unescaped."""
    status = response.status_code
    assert status < 500, f"{where}: server error {status}"
    text = body_text(response)
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        if status >= 400:
            assert data and isinstance(data, dict), f"{where}: {status} without a message"
            messages = [m for v in data.values() for m in (v if isinstance(v, list) else [v])]
            assert all(isinstance(m, str) and m.strip() for m in messages), (where, data)
        return
    if response.get("Content-Type", "").startswith("text/plain"):
        assert status < 400 or text.strip(), f"{where}: {status} without a message"
        return
    if 400 <= status < 500 and status not in (404, 405):
        assert any(m in text for m in ERROR_MARKERS), f"{where}: {status} without a message"
    assert_no_injected_markup(text, where)
