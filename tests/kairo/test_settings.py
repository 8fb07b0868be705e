"""Production settings refuse to start without their secrets; check --deploy is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process only.
    dropped = {"DJANGO_SECRET_KEY", "ENCRYPTION_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false", ENCRYPTION_KEY=os.environ["ENCRYPTION_KEY"])
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_refuses_default_secret_key():
    result = run_manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="django-insecure-kairo-dev-only",
        ENCRYPTION_KEY=os.environ["ENCRYPTION_KEY"],
    )
    assert result.returncode != 0


def test_refuses_to_start_without_encryption_key():
    result = run_manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ENCRYPTION_KEY must be set" in result.stderr


def test_check_deploy_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 20 + "Xy9!pQ" * 10,
        ENCRYPTION_KEY=os.environ["ENCRYPTION_KEY"],
        SECURE_SSL_REDIRECT="true",
        ALLOWED_HOSTS="kairo.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
