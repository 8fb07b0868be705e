"""Logs (one redacted line per event), optional Sentry, email and database settings."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from kairo.logging import OneLineFormatter, RedactSecretsFilter
from kairo.sentry import init_sentry, redact_event

ROOT = Path(__file__).resolve().parents[2]
OPENAI_KEY = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0" * 2
APIFY_TOKEN = "apify_api_" + "Z9y8X7w6V5u4T3s2R1q0"


def settings_in_subprocess(expression: str, **env: str):
    """Evaluates `expression` against kairo.settings imported fresh with `env`."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "EMAIL_", "RAILWAY_", "ALLOWED_HOSTS"))
    }
    base.update(env)
    code = f"import json, kairo.settings as s; print(json.dumps({expression}, default=str))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- logging ----------------------------------------------------------------------------
def test_logging_goes_to_stdout_through_redaction_and_one_line_formatter():
    handler = django_settings.LOGGING["handlers"]["stdout"]
    assert handler["stream"] == "ext://sys.stdout"
    assert handler["filters"] == ["redact"]
    formatter = django_settings.LOGGING["formatters"][handler["formatter"]]
    assert formatter["()"] == "kairo.logging.OneLineFormatter"


def test_an_exception_is_one_redacted_line():
    logger = logging.getLogger("kairo.test")
    try:
        raise ValueError(f"OpenAI refused key {OPENAI_KEY}")
    except ValueError:
        record = logger.makeRecord(
            "kairo.test",
            logging.ERROR,
            __file__,
            1,
            "job failed for %s",
            ("Goodie AI",),
            sys.exc_info(),
        )
    RedactSecretsFilter().filter(record)
    line = OneLineFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "\n" not in line
    assert line.startswith("ERROR kairo.test job failed for Goodie AI\\nTraceback")
    assert "ValueError: OpenAI refused key [REDACTED]" in line
    assert OPENAI_KEY not in line


# --- Sentry -----------------------------------------------------------------------------
def test_sentry_event_is_redacted_everywhere():
    event = {
        "message": f"token {APIFY_TOKEN}",
        "logentry": {"message": "key %s", "params": [OPENAI_KEY]},
        "exception": {
            "values": [
                {
                    "type": "AuthenticationError",
                    "value": f"Incorrect API key provided: {OPENAI_KEY}",
                    "stacktrace": {"frames": [{"vars": {"api_key": f"'{OPENAI_KEY}'"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": f"Authorization: Bearer {APIFY_TOKEN}"}]},
        "request": {"headers": {"Authorization": "Bearer abcdefghijklmnop"}},
        "level": "error",
    }
    cleaned = redact_event(event, {})
    dumped = json.dumps(cleaned)
    assert OPENAI_KEY not in dumped
    assert APIFY_TOKEN not in dumped
    assert "abcdefghijklmnop" not in dumped
    assert cleaned["level"] == "error"
    assert cleaned["exception"]["values"][0]["type"] == "AuthenticationError"


def test_sentry_is_off_when_the_sdk_is_not_installed(caplog, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # import now raises ImportError
    with caplog.at_level(logging.WARNING, logger="kairo.sentry"):
        assert init_sentry("https://public@o0.ingest.sentry.io/0") is False
    assert "sentry-sdk is not installed" in caplog.text


def test_sentry_init_sends_no_personal_data(monkeypatch):
    calls: list[dict] = []
    stand_in = types.ModuleType("sentry_sdk")
    stand_in.init = lambda **kwargs: calls.append(kwargs)
    monkeypatch.setitem(sys.modules, "sentry_sdk", stand_in)
    assert init_sentry("https://public@o0.ingest.sentry.io/0") is True
    (kwargs,) = calls
    assert kwargs["send_default_pii"] is False
    assert kwargs["before_send"] is redact_event
    assert kwargs["max_request_body_size"] == "never"


def test_settings_start_without_sentry_sdk_even_with_a_dsn():
    assert settings_in_subprocess("s.SENTRY_DSN", SENTRY_DSN="https://public@o0.ingest.sentry.io/0")


# --- email ------------------------------------------------------------------------------
def test_email_defaults_to_console():
    backend = settings_in_subprocess("s.EMAIL_BACKEND")
    assert backend == "django.core.mail.backends.console.EmailBackend"


def test_email_url_configures_smtp():
    values = settings_in_subprocess(
        "[s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER,"
        " s.DEFAULT_FROM_EMAIL]",
        EMAIL_URL="smtp+tls://resend:re_secret@smtp.resend.com:587",
        DEFAULT_FROM_EMAIL="Kairo <hello@kairo.example>",
    )
    assert values == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.resend.com",
        587,
        True,
        "resend",
        "Kairo <hello@kairo.example>",
    ]


# --- database ---------------------------------------------------------------------------
DB_EXPR = (
    "{k: s.DATABASES['default'].get(k) for k in "
    "('PORT', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'DISABLE_SERVER_SIDE_CURSORS', 'OPTIONS')}"
)
POOLER = "postgres://postgres.abcd:pw@aws-0-us-west-1.pooler.supabase.com"


def test_session_pooler_keeps_persistent_connections():
    db = settings_in_subprocess(DB_EXPR, DATABASE_URL=f"{POOLER}:5432/postgres")
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True
    assert not db["DISABLE_SERVER_SIDE_CURSORS"]
    assert db["OPTIONS"]["connect_timeout"] == 10


def test_transaction_pooler_turns_off_cursors_prepared_statements_and_persistence():
    db = settings_in_subprocess(
        DB_EXPR, DATABASE_URL=f"{POOLER}:6543/postgres", DB_CONN_MAX_AGE="600"
    )
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "prepare_threshold" in db["OPTIONS"]
    assert db["OPTIONS"]["prepare_threshold"] is None
    assert db["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    "line",
    [
        "release: python manage.py migrate --noinput",
        "web: gunicorn kairo.wsgi:application --bind 0.0.0.0:$PORT --workers 2 --threads 2",
    ],
)
def test_procfile_lines(line):
    assert line in (ROOT / "Procfile").read_text().splitlines()


def test_runtime_is_python_3_11_7():
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11.7"


# --- Railway ----------------------------------------------------------------------------
def test_railway_domain_and_healthcheck_host_are_allowed():
    hosts, origins = settings_in_subprocess(
        "[s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS]",
        ALLOWED_HOSTS="app.kairo.example",
        RAILWAY_PUBLIC_DOMAIN="kairo-production.up.railway.app",
        RAILWAY_ENVIRONMENT_NAME="production",
    )
    assert hosts == [
        "app.kairo.example",
        "kairo-production.up.railway.app",
        "healthcheck.railway.app",
    ]
    assert origins == ["https://kairo-production.up.railway.app"]


def test_off_railway_only_the_listed_hosts():
    hosts = settings_in_subprocess("s.ALLOWED_HOSTS", ALLOWED_HOSTS="app.kairo.example")
    assert hosts == ["app.kairo.example"]


def test_railway_config_runs_collectstatic_migrate_and_the_healthcheck():
    config = tomllib.loads((ROOT / "railway.toml").read_text())
    assert config["build"]["buildCommand"] == "python manage.py collectstatic --noinput"
    assert config["deploy"]["preDeployCommand"] == ["python manage.py migrate --noinput"]
    assert config["deploy"]["healthcheckPath"] == "/health/"
    assert "startCommand" not in config["deploy"]  # the Procfile's web line is the one
