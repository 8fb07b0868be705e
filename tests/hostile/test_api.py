"""The JSON API fuzzed with every JSON type, broken bodies and oversized payloads: a 2xx,
or a 4xx JSON answer with a message; never a 500, never a key echoed back."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.support.hostile import HOSTILE, assert_handled, hostile_text, json_values, raw
from tests.support.keys import API, VALIDATE, connect_keys

pytestmark = pytest.mark.django_db

key_fields = st.sampled_from(["apify_token", "openai_key", "openai_model"])
key_changes = st.dictionaries(st.one_of(key_fields, st.text(max_size=10)), json_values, max_size=3)
validate_bodies = st.one_of(
    st.fixed_dictionaries(
        {"provider": st.one_of(st.sampled_from(["apify", "openai"]), json_values)},
        optional={"key": json_values, "extra": json_values},
    ),
    json_values,
)


def send(client: Client, method: str, url: str, body: bytes, content_type="application/json"):
    # generic(): the body goes out byte for byte (post() would re-encode it to the charset).
    return client.generic(method.upper(), url, body, content_type)


def as_json(value) -> bytes:
    # ensure_ascii keeps lone surrogates as \ud800 escapes: valid JSON, awkward strings.
    return json.dumps(value).encode()


@pytest.fixture
def keyed_client(alice, alice_client, fake_apify, fake_openai) -> Client:
    """Alice with both keys stored, and both providers answered by the loopback doubles."""
    connect_keys(alice)
    return alice_client


@HOSTILE
@given(body=st.one_of(key_changes, json_values))
def test_put_keys_with_any_json(keyed_client, body):
    response = send(keyed_client, "put", API, as_json(body))
    assert response.status_code in (200, 400)
    assert_handled(response, "PUT api-keys")
    summaries = keyed_client.get(API)
    assert summaries.status_code == 200
    assert set(summaries.json()) == {"apify_token", "openai_key", "openai_model"}


@HOSTILE
@given(body=validate_bodies)
def test_validate_with_any_json(keyed_client, body):
    response = send(keyed_client, "post", VALIDATE, as_json(body))
    assert response.status_code in (200, 400)
    assert_handled(response, "POST validate")
    if response.status_code == 200:
        assert response.json()["message"]


@HOSTILE
@given(
    method_url=st.sampled_from([("put", API), ("post", VALIDATE)]),
    body=st.one_of(
        st.binary(max_size=200),
        hostile_text.map(raw),
        st.sampled_from([b"", b"{", b"[1,", b'{"a":', b"\xff\xfe", b"NaN", b"1e999999", b"null"]),
        st.integers(1, 5000).map(lambda depth: b"[" * depth + b"]" * depth),
    ),
    content_type=st.sampled_from(
        [
            "application/json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin-1",
        ]
    ),
)
def test_broken_bodies_and_content_types(keyed_client, method_url, body, content_type):
    method, url = method_url
    response = send(keyed_client, method, url, body, content_type)
    assert response.status_code in (200, 400, 413, 415)
    assert_handled(response, f"{method} {url} {content_type}")


@pytest.mark.parametrize("method, url", [("put", API), ("post", VALIDATE)])
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(as_json({"openai_key": "sk-" + "a" * 1_100_000}), id="huge-string"),
        pytest.param(as_json({"provider": ["openai"] * 300_000}), id="huge-list"),
        pytest.param(b"[" * 600_000 + b"]" * 600_000, id="deep-nesting"),
    ],
)
def test_payloads_over_the_upload_limit_are_413_json(keyed_client, settings, method, url, body):
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = send(keyed_client, method, url, body)
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_deeply_nested_json_under_the_limit_is_a_400(keyed_client):
    body = b"[" * 100_000 + b"]" * 100_000  # 200 kB: more nesting than json can recurse
    response = send(keyed_client, "put", API, body)
    assert response.status_code == 400
    assert_handled(response, "deep nesting")
