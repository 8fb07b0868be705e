"""Production smoke test: drives a running Kairo (gunicorn, production settings) over HTTP.

Usage: python scripts/smoke.py http://127.0.0.1:PORT   (started by .ci/smoke)

Checks /health/, a hashed static file with a long cache lifetime, sign-up and login
through the real forms (CSRF token + cookies), security headers, the custom 404 page and
the custom 500 page for a forced error (/smoke/error/, mounted by SMOKE_ERROR_URL=true).
Exits non-zero with a message at the first failure.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DEBUG_MARKERS = ("Traceback", "Using the URLconf", "Request Method:", "SmokeTestError")
ONE_YEAR = 31_536_000


class SmokeFailure(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def ok(message: str) -> None:
    print(f"smoke: ok  {message}", flush=True)


def csrf_token(client: httpx.Client, path: str) -> str:
    response = client.get(path)
    check(response.status_code == 200, f"GET {path} answered {response.status_code}")
    match = CSRF_INPUT.search(response.text)
    check(match is not None, f"no CSRF token in the form at {path}")
    return match.group(1)


def check_health(client: httpx.Client) -> None:
    response = client.get("/health/")
    check(response.status_code == 200, f"/health/ answered {response.status_code}")
    check(response.json().get("database") == "ok", f"/health/ body {response.text}")
    ok("/health/ 200, database ok")


def check_static(client: httpx.Client) -> None:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/kairo.css"]
    check(hashed != "css/kairo.css", "css/kairo.css is not hashed in the manifest")
    login_page = client.get("/login").text
    check(f"/static/{hashed}" in login_page, "pages do not link the hashed stylesheet")
    response = client.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    check(response.status_code == 200, f"/static/{hashed} answered {response.status_code}")
    cache_control = response.headers.get("Cache-Control", "")
    max_age = re.search(r"max-age=(\d+)", cache_control)
    check(
        max_age is not None and int(max_age.group(1)) >= ONE_YEAR and "immutable" in cache_control,
        f"hashed static file cache header is {cache_control!r}",
    )
    check(response.headers.get("Content-Encoding") == "gzip", "static file is not compressed")
    ok(f"/static/{hashed} served gzip with '{cache_control}'")


def check_security_headers(client: httpx.Client) -> None:
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    headers = response.headers
    check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "no CSP")
    check(headers.get("X-Frame-Options") == "DENY", "X-Frame-Options missing")
    check(headers.get("X-Content-Type-Options") == "nosniff", "nosniff missing")
    check("max-age=" in headers.get("Strict-Transport-Security", ""), "no HSTS behind proxy")
    ok("security headers (CSP, HSTS behind the proxy, frame and sniffing protection)")


def check_signup_and_login(base_url: str) -> None:
    email = f"smoke-{secrets.token_hex(4)}@example.com"
    password = secrets.token_urlsafe(16)
    with httpx.Client(base_url=base_url, timeout=15) as client:
        token = csrf_token(client, "/signup")
        response = client.post(
            "/signup", data={"csrfmiddlewaretoken": token, "email": email, "password": password}
        )
        check(response.status_code == 302, f"sign-up answered {response.status_code}")
        brands = client.get("/brands/")
        check(brands.status_code == 200 and email in brands.text, "not signed in after sign-up")
        ok(f"sign-up over HTTP as {email}")

        token = csrf_token(client, "/brands/")
        response = client.post("/logout", data={"csrfmiddlewaretoken": token})
        check(response.status_code == 302, f"logout answered {response.status_code}")
        check(client.get("/brands/").status_code == 302, "still signed in after logout")

    with httpx.Client(base_url=base_url, timeout=15) as client:
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"csrfmiddlewaretoken": token, "email": email, "password": "wrong-pw"}
        )
        check(response.status_code == 400, f"wrong password answered {response.status_code}")
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"csrfmiddlewaretoken": token, "email": email, "password": password}
        )
        check(response.status_code == 302, f"login answered {response.status_code}")
        check(client.get("/brands/").status_code == 200, "brands page not shown after login")
        ok("logout, wrong password refused, login over HTTP")


def check_no_csrf_token_is_refused(client: httpx.Client) -> None:
    response = client.post("/login", data={"email": "a@example.com", "password": "x"})
    check(response.status_code == 403, f"POST without CSRF token answered {response.status_code}")
    ok("POST without CSRF token refused (403)")


def check_error_pages(client: httpx.Client) -> None:
    response = client.get("/this-page-does-not-exist/")
    check(response.status_code == 404, f"unknown page answered {response.status_code}")
    check("We couldn't find that page" in response.text, "404 is not the custom page")
    check(not any(m in response.text for m in DEBUG_MARKERS), "404 shows debug output")
    ok("404 shows the custom page")

    response = client.get("/smoke/error/")
    check(response.status_code == 500, f"forced error answered {response.status_code}")
    check("Something went wrong on our side" in response.text, "500 is not the custom page")
    check(not any(m in response.text for m in DEBUG_MARKERS), "500 shows debug output")
    check("forced failure" not in response.text, "500 leaks the exception message")
    ok("forced 500 shows the custom page, no traceback")


def main(base_url: str) -> int:
    try:
        with httpx.Client(base_url=base_url, timeout=15) as client:
            check_health(client)
            check_static(client)
            check_security_headers(client)
            check_no_csrf_token_is_refused(client)
            check_error_pages(client)
        check_signup_and_login(base_url)
    except (SmokeFailure, httpx.HTTPError, KeyError, OSError) as exc:
        print(f"smoke: FAILED {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/smoke.py BASE_URL")
    sys.exit(main(sys.argv[1]))
