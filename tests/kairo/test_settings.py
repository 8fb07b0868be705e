"""Production settings refuse to start without their secrets; check --deploy is clean."""

from __future__ import annotations

import os

from tests.kairo.helpers import run_manage


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
