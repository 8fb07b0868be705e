"""Kairo settings: one module, every value read from the environment (see .env.example).

The embedded default (nothing set) is SQLite, local accounts and the in-process job
runner. Production sets DJANGO_DEBUG=false and must provide DJANGO_SECRET_KEY and
ENCRYPTION_KEY, or the app refuses to start.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from kairo.cache_check import per_process_cache_problem

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# OS environment wins over the file; the file is only a convenience for `make run`.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True) and (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-kairo-dev-only"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is false."
    )

# Keys of users' Apify/OpenAI accounts are encrypted with these (MultiFernet, newest first).
ENCRYPTION_KEY = env.str("ENCRYPTION_KEY", default="")
if not DEBUG and not ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "ENCRYPTION_KEY must be set when DJANGO_DEBUG is false "
        "(generate one with: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())')."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# On Railway: the service's own *.up.railway.app domain, and the host its deploy
# healthcheck sends (without it every deploy waits on a 400 from /health/ and fails).
if _railway_domain := env.str("RAILWAY_PUBLIC_DOMAIN", default=""):
    ALLOWED_HOSTS.append(_railway_domain)
    CSRF_TRUSTED_ORIGINS.append(f"https://{_railway_domain}")
if env.str("RAILWAY_ENVIRONMENT_NAME", default=""):
    ALLOWED_HOSTS.append("healthcheck.railway.app")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "kairo.apps.KairoConfig",
    "rest_framework",
    "django_htmx",
    "users",
    "brands",
    "byok",
    "evidence",
    "opportunities",
    "schedules",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kairo.middleware.ApiCorsMiddleware",
    "kairo.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "users.middleware.SupabaseAuthMiddleware",
    "users.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kairo.middleware.HtmxMessagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kairo.urls"
WSGI_APPLICATION = "kairo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kairo.context_processors.kairo",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL unset: a SQLite file (the embedded default). Set: PostgreSQL (Supabase).
SQLITE_PATH = env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))
if env.str("DATABASE_URL", default=""):
    _db = env.db("DATABASE_URL")
    _db["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
    _options = _db.setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", 10)
    # Supabase's transaction pooler (port 6543) hands each transaction to any server
    # connection: server-side cursors and prepared statements would break there.
    if str(_db.get("PORT", "")) == "6543" or env.bool("DB_TRANSACTION_POOLER", default=False):
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
        _options["prepare_threshold"] = None
        _db["CONN_MAX_AGE"] = 0
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SQLITE_PATH,
        # Web requests and job threads write at once: WAL + busy timeout + IMMEDIATE
        # transactions mean nobody sees "database is locked".
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # Tests use a file too (not shared-cache memory), so job threads and subprocesses
        # see the same database with the same locking as `make run`.
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"kairo-test-{os.getpid()}.sqlite3")},
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
SUPABASE_URL = env.str("SUPABASE_URL", default="").rstrip("/")
SUPABASE_ANON_KEY = env.str("SUPABASE_ANON_KEY", default="")
SUPABASE_SERVICE_KEY = env.str("SUPABASE_SERVICE_KEY", default="")
SUPABASE_JWT_SECRET = env.str("SUPABASE_JWT_SECRET", default="")
AUTH_PROVIDER = env.str("AUTH_PROVIDER", default="supabase" if SUPABASE_URL else "local")
if AUTH_PROVIDER not in {"local", "supabase"}:
    raise ImproperlyConfigured("AUTH_PROVIDER must be 'local' or 'supabase'.")
if AUTH_PROVIDER == "supabase" and not (SUPABASE_URL and SUPABASE_ANON_KEY):
    raise ImproperlyConfigured("AUTH_PROVIDER=supabase needs SUPABASE_URL and SUPABASE_ANON_KEY.")

LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/brands/"
LOGOUT_REDIRECT_URL = "/login"
# Django's rules in Kairo's words (users/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "users.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "users.passwords.MinimumLengthValidator"},
    {"NAME": "users.passwords.CommonPasswordValidator"},
    {"NAME": "users.passwords.NumericPasswordValidator"},
]
# Login attempts allowed per account and per IP in LOGIN_RATE_WINDOW seconds. These and
# the sign-up/reset/magic-link limits are counted in the database (users/ratelimit.py).
LOGIN_RATE_LIMIT = env.int("LOGIN_RATE_LIMIT", default=10)
LOGIN_RATE_WINDOW = env.int("LOGIN_RATE_WINDOW", default=300)
# Proxies in front of the app that each append the address they saw to X-Forwarded-For:
# the client is that many entries from the right. Railway's edge is one (docs/deploy.md).
_proxies = env.str("TRUSTED_PROXY_COUNT", default="").strip()  # empty (.env.example): default
if _proxies and not _proxies.isdigit():
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number, 0 or more.")
TRUSTED_PROXY_COUNT = int(_proxies) if _proxies else (0 if DEBUG else 1)

# Connection-test limits, Supabase refresh locks and the last good JWKS live in the
# cache. Production (DEBUG off) shares it between every process through the database
# (the table is created by users' migration 0002); a per-process cache there is refused
# when more than one web worker may run (kairo/cache_check.py, gunicorn.conf.py).
_cache_url = env.str("CACHE_URL", default="").strip()  # empty (.env.example): the default
CACHES = {
    "default": env.cache_url_config(
        _cache_url or ("locmemcache://" if DEBUG else "dbcache://kairo_cache")
    )
}
if _cache_problem := per_process_cache_problem(
    debug=DEBUG,
    backend=CACHES["default"]["BACKEND"],
    workers=env.int("WEB_CONCURRENCY", default=1),
):
    raise ImproperlyConfigured(_cache_problem)

# --- External services (BYOK) ---------------------------------------------------------
APIFY_API_URL = env.str("APIFY_API_URL", default="https://api.apify.com").rstrip("/")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="https://api.openai.com/v1").rstrip("/")
# A small current model with Structured Outputs; prices and the models offered are in
# byok/openai_models.py (its DEFAULT_MODEL).
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4.1-mini")
# A regeneration never waits for a source longer than this: runs still going are read
# and aborted (docs/architecture.md, "Collection"). Sized so the board lands in < 30 s.
COLLECTION_DEADLINE_SECONDS = env.float("COLLECTION_DEADLINE_SECONDS", default=20.0)
# Synthesis runs as this many parallel streamed calls (pillars split between them).
SYNTHESIS_PARALLEL_CALLS = env.int("SYNTHESIS_PARALLEL_CALLS", default=3)
SYNTHESIS_STREAM = env.bool("SYNTHESIS_STREAM", default=True)
# Operator keys: used only for staff users without keys of their own.
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
APIFY_TOKEN = env.str("APIFY_TOKEN", default="")
APIFY_ENABLED = env.bool("APIFY_ENABLED", default=True)

# --- Job runner -----------------------------------------------------------------------
JOB_RUNNER_THREADS = env.int("JOB_RUNNER_THREADS", default=2)
JOB_RUNNER_AUTOSTART = env.bool("JOB_RUNNER_AUTOSTART", default=True)
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=60)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# Run by every runner loop (web processes and `run_jobs` alike), each safe in many
# processes at once: daily schedules are enqueued and their emails sent from here.
JOB_RUNNER_PERIODIC_TASKS = ["schedules.tick.run_scheduled_work"]
JOB_RUNNER_PERIODIC_SECONDS = env.float("JOB_RUNNER_PERIODIC_SECONDS", default=15.0)

# --- Board history --------------------------------------------------------------------
# Finished runs (boards, evidence) older than this are removed by `manage.py prune_history`.
BOARD_RETENTION_DAYS = env.int("BOARD_RETENTION_DAYS", default=90)

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "users.api_auth.BearerJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["kairo.api_parsers.JSONParser"],  # deep nesting: 400
    "UNAUTHENTICATED_USER": None,
}

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files need `collectstatic` first; the test suite renders without it.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Email: password reset links, daily digests -------------------------------------
# e.g. smtp+tls://user:password@smtp.example.com:587; unset = printed to stdout (console).
globals().update(
    {k: v for k, v in env.email_url("EMAIL_URL", default="consolemail://").items() if v is not None}
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kairo <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in emails (digests, unsubscribe) point: the app's public address. Emails are
# sent from the runner, outside any request, so it can't be taken from a Host header.
SITE_URL = (
    env.str("SITE_URL", default="")  # empty (as in .env.example) means the default too
    or (f"https://{_railway_domain}" if _railway_domain else "http://127.0.0.1:8000")
).rstrip("/")

# --- Operations -----------------------------------------------------------------------
# Error reporting, only when SENTRY_DSN is set and sentry-sdk is installed (kairo/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from kairo.sentry import init_sentry

    init_sentry(SENTRY_DSN)
# Mounts /smoke/error/ (raises on purpose) for the production smoke test; never in production.
SMOKE_ERROR_URL = env.bool("SMOKE_ERROR_URL", default=False)

# --- Logging: stdout, one line per event, secrets redacted ----------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "kairo.logging.RedactSecretsFilter"}},
    "formatters": {
        "line": {
            "()": "kairo.logging.OneLineFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Client libraries must never log request headers (they carry users' keys).
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},  # the transport of openai>=3
        "httpcore2": {"level": "WARNING"},
        "openai": {"level": "WARNING"},
        "apify_client": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}

# --- "Start from your website" (onboarding; brands/website.py) ------------------------
# Kairo fetches one user-given page server-side; these bound that fetch. The SSRF rules
# themselves (public addresses only, ports 80/443, pinned connection) are not settings:
# docs/reference/website-fetch.md.
WEBSITE_FETCH_CONNECT_TIMEOUT = env.float("WEBSITE_FETCH_CONNECT_TIMEOUT", default=3.0)
WEBSITE_FETCH_TIMEOUT = env.float("WEBSITE_FETCH_TIMEOUT", default=5.0)  # the whole fetch
WEBSITE_FETCH_MAX_BYTES = env.int("WEBSITE_FETCH_MAX_BYTES", default=1_000_000)
WEBSITE_FETCH_MAX_REDIRECTS = env.int("WEBSITE_FETCH_MAX_REDIRECTS", default=3)
# Look-ups per user in WEBSITE_FETCH_RATE_WINDOW seconds (three times that per address).
WEBSITE_FETCH_RATE_LIMIT = env.int("WEBSITE_FETCH_RATE_LIMIT", default=10)
WEBSITE_FETCH_RATE_WINDOW = env.int("WEBSITE_FETCH_RATE_WINDOW", default=600)
