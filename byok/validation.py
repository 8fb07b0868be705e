"""Test Connection: does a key work with its provider right now?

Each check is one real request through the provider's official client, pointed at the
configurable base URL and bounded to VALIDATION_TIMEOUT_SECONDS with no retries:
Apify `GET /v2/users/me` (ApifyClient.user().get()) and OpenAI `GET /models`
(OpenAI.models.list(), which is free). Provider error bodies are classified into a
ValidationStatus by `providers.apify` / `providers.openai` (the classifiers runs use too);
the text users see is ours (byok/messages.py), never the provider's, so it can't echo a
key back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from apify_client import ApifyClient
from django.conf import settings
from openai import OpenAI, OpenAIError

from byok.crypto import KeyDecryptionError, decrypt_secret
from byok.formats import check_key_format
from byok.keys import operator_key_for, record_validation, stored_ciphertext
from byok.messages import message_for, validation_status
from byok.models import ValidationStatus as S
from byok.providers import APIFY, ProviderSpec
from providers import apify
from providers import openai as openai_errors
from providers.problems import Problem
from users.models import User

logger = logging.getLogger(__name__)

VALIDATION_TIMEOUT_SECONDS = 10


def _timeout_seconds() -> float:
    # A setting only so tests can exercise the timeout path without waiting 10 s.
    return float(getattr(settings, "KEY_VALIDATION_TIMEOUT_SECONDS", VALIDATION_TIMEOUT_SECONDS))


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


def apify_token_status(token: str) -> str:
    """One `GET /v2/users/me` with `token`, classified by providers.apify."""
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
    except Exception as exc:  # every apify-client failure is a classified problem
        problem = apify.classify(exc)
        if problem is Problem.PROVIDER_ERROR:
            logger.warning("Apify token check failed: %s", type(exc).__name__)
        return validation_status(problem)
    finally:
        client.http_client.close()
    # The client turns a 404 into None: no account behind this token.
    return S.INVALID_KEY if account is None else S.OK


# --- OpenAI -------------------------------------------------------------------------------


def openai_key_status(key: str) -> str:
    """One `GET /models` with `key`, classified."""
    return openai_models_listed(key)[0]


def openai_models_listed(key: str) -> tuple[str, list[str]]:
    """One `GET /models` with `key`: its status, and the ids listed when it worked."""
    try:
        with OpenAI(
            api_key=key,
            base_url=settings.OPENAI_BASE_URL,
            timeout=_timeout_seconds(),
            max_retries=0,
        ) as client:
            listed = [model.id for model in client.models.list()]
    except OpenAIError as exc:  # classified by providers.openai
        problem = openai_errors.classify(exc)
        if problem is Problem.PROVIDER_ERROR:
            logger.warning("OpenAI key check failed: %s", type(exc).__name__)
        return validation_status(problem), []
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
