"""Walks every URL pattern that takes a brand id: another user's brand is always a 404.

New views under /brands/<id>/ are covered automatically; patterns with more parameters
get a placeholder value of the right type.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PLACEHOLDERS = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "str": "x", "path": "x"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def brand_urls(brand_id) -> list[str]:
    import re

    urls = []
    for route in _walk(get_resolver().url_patterns):
        if "<uuid:brand_id>" not in route or route.startswith("^"):
            continue
        url = route.replace("<uuid:brand_id>", str(brand_id))
        url = re.sub(r"<(\w+):\w+>", lambda m: PLACEHOLDERS[m.group(1)], url)
        url = re.sub(r"<\w+>", "x", url)
        urls.append("/" + url)
    return urls


def test_there_are_brand_urls_to_walk(alice_brand):
    assert f"/brands/{alice_brand.pk}/" in brand_urls(alice_brand.pk)


def test_other_users_brand_is_404_on_every_url(alice_brand, bob_client):
    for url in brand_urls(alice_brand.pk):
        for method in ("get", "post"):
            response = getattr(bob_client, method)(url)
            assert response.status_code in (404, 405), (method, url, response.status_code)
            assert b"Goodie AI" not in response.content, (method, url)


def test_anonymous_is_sent_to_login_on_every_brand_url(alice_brand, client):
    for url in brand_urls(alice_brand.pk):
        response = client.get(url)
        if url.startswith("/api/"):  # the API answers instead of redirecting
            assert response.status_code == 401, url
            continue
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login?next=")
