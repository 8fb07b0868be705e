"""Test Connection: does a key work with its provider right now?

Each check is one real request through the provider's official client, pointed at the
configurable base URL and bounded to VALIDATION_TIMEOUT_SECONDS with no retries:
Apify `GET /v2/users/me` (ApifyClient.user().get()) and OpenAI `GET /models`
(OpenAI.models.list(), which is free). Provider error bodies are classified into a
ValidationStatus; the text users see is ours (MESSAGES), never the provider's, so it
can't echo a key back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import impit
import openai
from apify_client import ApifyClient
from apify_client.errors import ApifyApiError, ApifyClientError
from django.conf import settings

from byok.crypto import KeyDecryptionError, decrypt_secret
from byok.formats import check_key_format
from byok.keys import operator_key_for, record_validation, stored_ciphertext
from byok.models import ValidationStatus as S
from byok.providers import APIFY, ProviderSpec
from users.models import User

logger = logging.getLogger(__name__)

VALIDATION_TIMEOUT_SECONDS = 10


def _timeout_seconds() -> float:
    # A setting only so tests can exercise the timeout path without waiting 10 s.
    return float(getattr(settings, "KEY_VALIDATION_TIMEOUT_SECONDS", VALIDATION_TIMEOUT_SECONDS))


# Apify error types that mean "the account can't pay for more work".
APIFY_NO_CREDIT_TYPES = {"not-enough-usage-to-run-paid-actor"}
APIFY_USAGE_LIMIT_TYPES = {"platform-feature-disabled"}
# OpenAI error codes/types that mean the same (both arrive as HTTP 429 or 400).
OPENAI_NO_CREDIT_CODES = {"insufficient_quota", "billing_hard_limit_reached", "billing_not_active"}

MESSAGES: dict[tuple[str, str], str] = {
    ("apify", S.OK): "Connected to your Apify account.",
    ("apify", S.INVALID_KEY): (
        "Apify doesn't recognise this token. Copy it again from Apify Console → Settings → "
        "API & Integrations (a token stops working when it is regenerated or deleted)."
    ),
    ("apify", S.NO_CREDIT): (
        "Your Apify account is out of usage credit. Add credit or upgrade your plan in "
        "Apify Console → Billing, then test again."
    ),
    ("apify", S.USAGE_LIMIT): (
        "Your Apify account has reached its monthly usage hard limit. Raise the limit in "
        "Apify Console → Billing → Limits, or wait for the next billing cycle."
    ),
    ("apify", S.FORBIDDEN): (
        "Apify refused access with this token. If it is a scoped token, give it access to "
        "your account and to running Actors."
    ),
    ("apify", S.RATE_LIMITED): (
        "Apify is rate-limiting requests from this account right now. Wait a minute and test again."
    ),
    ("apify", S.TIMEOUT): (
        f"Apify didn't answer within {VALIDATION_TIMEOUT_SECONDS} seconds. Try again in a moment; "
        "if it keeps happening, check status.apify.com."
    ),
    ("apify", S.UNREACHABLE): (
        "Kairo couldn't reach Apify (network error). Try again in a moment; if it keeps "
        "happening, check status.apify.com."
    ),
    ("apify", S.PROVIDER_ERROR): (
        "Apify answered with an unexpected error. Try again in a few minutes."
    ),
    ("openai", S.OK): "Connected to your OpenAI account.",
    ("openai", S.INVALID_KEY): (
        "OpenAI doesn't recognise this key. Create a new secret key at "
        "platform.openai.com/api-keys and paste it here."
    ),
    ("openai", S.NO_CREDIT): (
        "Your OpenAI account has no credit left (insufficient quota). Add credit or a payment "
        "method at platform.openai.com → Settings → Billing, then test again."
    ),
    ("openai", S.USAGE_LIMIT): (
        "Your OpenAI account has reached its usage limit. Raise it at platform.openai.com → "
        "Settings → Limits."
    ),
    ("openai", S.FORBIDDEN): (
        "OpenAI accepted the key but refused to list models. If it is a restricted key, give "
        "it read access to Models (and write access to Model capabilities)."
    ),
    ("openai", S.RATE_LIMITED): (
        "OpenAI is rate-limiting this key right now. Wait a minute and test again."
    ),
    ("openai", S.TIMEOUT): (
        f"OpenAI didn't answer within {VALIDATION_TIMEOUT_SECONDS} seconds. Try again in a "
        "moment; if it keeps happening, check status.openai.com."
    ),
    ("openai", S.UNREACHABLE): (
        "Kairo couldn't reach OpenAI (network error). Try again in a moment; if it keeps "
        "happening, check status.openai.com."
    ),
    ("openai", S.PROVIDER_ERROR): (
        "OpenAI answered with an unexpected error. Try again in a few minutes."
    ),
}
UNREADABLE_MESSAGE = (
    "Kairo can no longer read the saved key (the server's encryption key changed). "
    "Paste the key again and save it."
)


def message_for(spec: ProviderSpec, status: str) -> str:
    if status == S.UNREADABLE:
        return UNREADABLE_MESSAGE
    return MESSAGES.get(
        (spec.provider.value, status), MESSAGES[(spec.provider.value, "provider_error")]
    )


@dataclass(frozen=True)
class ValidationResult:
    spec: ProviderSpec
    status: str

    @property
    def ok(self) -> bool:
        return self.status == S.OK

    @property
    def message(self) -> str:
        return message_for(self.spec, self.status)


# --- Apify --------------------------------------------------------------------------------


def _classify_apify_error(exc: ApifyApiError) -> str:
    if exc.type in APIFY_NO_CREDIT_TYPES:
        return S.NO_CREDIT
    if exc.type in APIFY_USAGE_LIMIT_TYPES:
        return S.USAGE_LIMIT
    status = exc.status_code
    if status == 401:
        return S.INVALID_KEY
    if status == 402:
        return S.NO_CREDIT
    if status == 403:
        return S.FORBIDDEN
    if status == 429:
        return S.RATE_LIMITED
    return S.PROVIDER_ERROR


def apify_token_status(token: str) -> str:
    """One `GET /v2/users/me` with `token`, classified."""
    bound = timedelta(seconds=_timeout_seconds())
    client = ApifyClient(
        token,
        api_url=settings.APIFY_API_URL,
        max_retries=0,
        timeout_short=bound,
        timeout_max=bound,
    )
    try:
        account = client.user().get()
    except ApifyApiError as exc:
        return _classify_apify_error(exc)
    except (impit.TimeoutException, TimeoutError):
        return S.TIMEOUT
    except impit.HTTPError:
        return S.UNREACHABLE
    except ApifyClientError as exc:  # an unparsable answer
        logger.warning("Apify token check failed: %s", type(exc).__name__)
        return S.PROVIDER_ERROR
    finally:
        client.http_client.close()
    # The client turns a 404 into None: no account behind this token.
    return S.INVALID_KEY if account is None else S.OK


# --- OpenAI -------------------------------------------------------------------------------


def _classify_openai_error(exc: openai.APIStatusError) -> str:
    if exc.code in OPENAI_NO_CREDIT_CODES or exc.type in OPENAI_NO_CREDIT_CODES:
        return S.NO_CREDIT
    if isinstance(exc, openai.AuthenticationError):
        return S.INVALID_KEY
    if isinstance(exc, openai.PermissionDeniedError):
        return S.FORBIDDEN
    if isinstance(exc, openai.RateLimitError):
        return S.RATE_LIMITED
    return S.PROVIDER_ERROR


def openai_key_status(key: str) -> str:
    """One `GET /models` with `key`, classified."""
    return openai_models_listed(key)[0]


def openai_models_listed(key: str) -> tuple[str, list[str]]:
    """One `GET /models` with `key`: its status, and the ids listed when it worked."""
    try:
        with openai.OpenAI(
            api_key=key,
            base_url=settings.OPENAI_BASE_URL,
            timeout=_timeout_seconds(),
            max_retries=0,
        ) as client:
            listed = [model.id for model in client.models.list()]
    except openai.APIStatusError as exc:
        return _classify_openai_error(exc), []
    except openai.APITimeoutError:  # a subclass of APIConnectionError: first
        return S.TIMEOUT, []
    except openai.APIConnectionError:
        return S.UNREACHABLE, []
    except openai.OpenAIError as exc:
        logger.warning("OpenAI key check failed: %s", type(exc).__name__)
        return S.PROVIDER_ERROR, []
    return S.OK, listed


def validate_key(spec: ProviderSpec, key: str) -> ValidationResult:
    """Ask the provider whether `key` works. Never raises for a provider failure."""
    status = apify_token_status(key) if spec is APIFY else openai_key_status(key)
    logger.info("%s key check: %s", spec.name, status)
    return ValidationResult(spec=spec, status=status)


# --- Test Connection for a user -------------------------------------------------------------


class NoKeyToTest(LookupError):
    """Nothing was typed and nothing is stored."""


@dataclass(frozen=True)
class ConnectionTest:
    result: ValidationResult
    tested: str  # "given", "stored" or "operator"
    validated_at: datetime | None  # set when the result was stored on the saved key

    def as_api(self) -> dict[str, object]:
        return {
            "provider": self.result.spec.provider.value,
            "ok": self.result.ok,
            "status": self.result.status,
            "message": self.result.message,
            "tested": self.tested,
            "validated_at": self.validated_at.isoformat() if self.validated_at else None,
        }


def check_connection(*, user: User, spec: ProviderSpec, key: str | None = None) -> ConnectionTest:
    """Test `key` (checked for shape first: KeyFormatError), or else the user's stored key.

    The result is stored on the saved key when that is what was tested (also when the
    typed key equals it). Raises NoKeyToTest when there is nothing to test.
    """
    ciphertext = stored_ciphertext(user, spec)
    stored: str | None = None
    unreadable = False
    if ciphertext is not None:
        try:
            stored = decrypt_secret(ciphertext)
        except KeyDecryptionError:
            logger.error("Stored %s key of user %s can't be decrypted", spec.name, user.pk)
            unreadable = True

    if key:
        key = check_key_format(spec, key)
        result = validate_key(spec, key)
        tested = "stored" if key == stored else "given"
    elif unreadable:
        result, tested = ValidationResult(spec=spec, status=S.UNREADABLE), "stored"
    elif stored:
        result, tested = validate_key(spec, stored), "stored"
    elif operator := operator_key_for(user, spec):
        result, tested = validate_key(spec, operator), "operator"
    else:
        raise NoKeyToTest(f"No {spec.key_label} is saved yet. Paste one to test it.")

    validated_at = None
    if tested == "stored" and ciphertext is not None:
        validated_at = record_validation(
            user=user, spec=spec, ciphertext=ciphertext, status=result.status
        )
    return ConnectionTest(result=result, tested=tested, validated_at=validated_at)
