"""Production defaults for the client address and the cache (docs/deploy.md, "Proxies,
client addresses and the shared cache"), read the way a deployment reads them."""

from __future__ import annotations

import os

import pytest

from tests.kairo.helpers import run_manage

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "Xy9!pQ" * 10,
    "ENCRYPTION_KEY": os.environ["ENCRYPTION_KEY"],
}
SHOW = (
    "from django.conf import settings; c = settings.CACHES['default']; "
    "print(c['BACKEND'].rsplit('.', 1)[-1], c.get('LOCATION', ''), settings.TRUSTED_PROXY_COUNT)"
)


def settings_line(**env: str) -> str:
    result = run_manage("shell", "-c", SHOW, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_shares_the_cache_through_the_database_behind_one_proxy():
    assert settings_line() == "DatabaseCache kairo_cache 1"


def test_a_developer_machine_has_a_process_cache_and_no_proxy():
    assert settings_line(DJANGO_DEBUG="true") == "LocMemCache  0"


def test_both_can_be_set():
    assert settings_line(CACHE_URL="locmemcache://", TRUSTED_PROXY_COUNT="2") == "LocMemCache  2"


@pytest.mark.parametrize("cache_url", ["locmemcache://", "dummycache://"])
def test_a_per_process_cache_with_several_workers_refuses_to_start(cache_url):
    result = run_manage("check", **PRODUCTION, CACHE_URL=cache_url, WEB_CONCURRENCY="3")
    assert result.returncode != 0
    assert "per-process cache" in result.stderr and "3 web workers" in result.stderr


def test_one_worker_may_use_a_process_cache():
    result = run_manage("check", **PRODUCTION, CACHE_URL="locmemcache://", WEB_CONCURRENCY="1")
    assert result.returncode == 0, result.stderr


def test_a_negative_proxy_count_is_refused():
    result = run_manage("check", **PRODUCTION, TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_empty_values_as_in_env_example_mean_the_defaults():
    assert settings_line(CACHE_URL="", TRUSTED_PROXY_COUNT="") == "DatabaseCache kairo_cache 1"
