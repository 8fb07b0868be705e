"""Custom 404 and 500 pages under DEBUG=false: never a debug page or a traceback."""

from __future__ import annotations

import pytest
from django.test import Client

DEBUG_PAGE_MARKERS = ("Traceback", "Using the URLconf", "Request Method:", "SmokeTestError")


def assert_no_debug_output(html: str) -> None:
    for marker in DEBUG_PAGE_MARKERS:
        assert marker not in html


def test_debug_is_off(settings):
    assert settings.DEBUG is False


def test_unknown_page_shows_custom_404(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert_no_debug_output(html)


def test_another_users_brand_is_the_custom_404(alice_brand, bob_client):
    response = bob_client.get(f"/brands/{alice_brand.id}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert "Goodie AI" not in html


def test_unknown_api_path_is_json_404(db):
    response = Client().get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_smoke_error_url_is_not_mounted_by_default(db):
    assert Client().get("/smoke/error/").status_code == 404


@pytest.mark.urls("tests.kairo.error_urls")
def test_unhandled_exception_shows_custom_500(db, caplog):
    response = Client(raise_request_exception=False).get("/smoke/error/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "forced failure" not in html
    assert_no_debug_output(html)
    # The failure is still reported to the operator's logs.
    assert any("Internal Server Error: /smoke/error/" in r.getMessage() for r in caplog.records)


@pytest.mark.urls("tests.kairo.error_urls")
def test_api_exception_is_json_500(db):
    response = Client(raise_request_exception=False).get("/api/boom/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side."}
