"""The OpenAI model a user's runs use, picked on Settings from those their key can use.

- **The list** is what `models.list()` names for the user's saved OpenAI key (a staff
  user without one: the operator's key). It is loaded when the key is saved, when the
  saved key passes Test Connection, and on "Refresh list" — never on a page view: the ids
  are kept on the key's row (`UserAPIKeys.openai_key_models`) as listed, and filtered
  when shown (`byok.openai_models.usable_models`: Structured Outputs, and a price Kairo
  knows), so a family added to the price table is offered without loading it again.
- **The pick** is one of those, or "" for the server's default (`OPENAI_MODEL`).
  Anything else is refused, saying why (no Structured Outputs or no price; not on this
  key; the list not loaded yet). Ids match case-insensitively and are stored as listed.
- A new key clears its predecessor's list (byok/keys.py). A list loaded later that
  lacks the pick clears the pick, so runs never ask for a model the key can't use; a
  list that could not be loaded (network, a bad key) changes neither.
- Runs get the pick through `byok.keys.get_usable_keys` (`openai_model`); what a run
  cost comes from the same price table (`byok.openai_models.cost_usd`).

Loading the list after Test Connection is a second `GET /models` (free, bounded like the
test) rather than a change to how a test reports: Test Connection stays one question.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from byok.crypto import KeyDecryptionError, decrypt_secret
from byok.keys import (
    InvalidKeys,
    check_key_changes,
    model_for_runs,
    operator_key_for,
    save_user_keys,
    user_keys_row,
)
from byok.messages import message_for
from byok.models import UserAPIKeys
from byok.models import ValidationStatus as S
from byok.openai_models import ModelPrice, price_for, supports_structured_outputs, usable_models
from byok.providers import OPENAI, SPECS
from byok.validation import ConnectionTest, openai_models_listed
from kairo.wording import time_ago
from users.models import User

logger = logging.getLogger(__name__)

MODEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}")
MAX_LISTED = 1000  # a key lists ~100 models; anything past this is not a real answer


class _Unset:
    """No model in the request (as opposed to "", which asks for the default)."""


UNSET: Final = _Unset()


class ModelRefused(ValueError):
    """A pick that is not one of the models offered; the message says why."""


@dataclass(frozen=True)
class ModelOption:
    model: str
    price: ModelPrice
    is_default: bool

    @property
    def label(self) -> str:
        """ "gpt-4o-mini — $0.15 / $0.60": USD per million tokens in / out."""
        default = " (default)" if self.is_default else ""
        price = self.price
        return f"{self.model}{default} — ${price.input_per_mtok:.2f} / ${price.output_per_mtok:.2f}"

    def as_api(self) -> dict[str, object]:
        return {
            "id": self.model,
            "default": self.is_default,
            "input_usd_per_mtok": str(self.price.input_per_mtok),
            "output_usd_per_mtok": str(self.price.output_per_mtok),
        }


@dataclass(frozen=True)
class ModelPicker:
    """What Settings and the API show about the model: never calls OpenAI."""

    has_key: bool  # an OpenAI key to list models with (the user's, or staff: the operator's)
    chosen: str  # the stored pick, "" = the default
    model: str  # what runs use
    default: str
    options: list[ModelOption]  # usable models of the loaded list, the default first
    listed_at: datetime | None  # when the list was loaded (None: never)
    list_status: str  # how the last load went (a ValidationStatus value, "" = never)
    error: str = ""  # a refused pick, for the form

    @property
    def list_message(self) -> str:
        """Why the last load failed, in Kairo's words ("" when it worked)."""
        if not self.list_status or self.list_status == S.OK:
            return ""
        return message_for(OPENAI, self.list_status)

    @property
    def listed_ago(self) -> str:
        """ "just now", "5 minutes ago"; "" when never listed."""
        return time_ago(self.listed_at)

    @property
    def price(self) -> ModelPrice | None:
        """The price of the model runs use (None for a default the table lacks)."""
        return price_for(self.model)

    @property
    def default_offered(self) -> bool:
        return any(option.model == self.default for option in self.options)

    def as_api(self) -> dict[str, object]:
        return {
            "model": self.model,
            "chosen": self.chosen or None,
            "default": self.default,
            "available": [option.as_api() for option in self.options],
            "listed_at": self.listed_at.isoformat() if self.listed_at else None,
            "last_listing": (
                {
                    "ok": self.list_status == S.OK,
                    "status": self.list_status,
                    "message": self.list_message or None,
                }
                if self.list_status
                else None
            ),
        }


def model_picker(user: User, *, error: str = "") -> ModelPicker:
    row = user_keys_row(user)
    has_own_key = row is not None and row.has_key(OPENAI.field)
    listed = _loaded_list(row)
    default = settings.OPENAI_MODEL
    options = []
    for model in usable_models(listed or []):
        price = price_for(model)
        if price is not None:  # always, for a usable model: the table says both
            options.append(ModelOption(model, price, model.lower() == default.lower()))
    return ModelPicker(
        has_key=has_own_key or bool(operator_key_for(user, OPENAI)),
        chosen=row.openai_model if row is not None else "",
        model=model_for_runs(row),
        default=default,
        options=options,
        listed_at=row.openai_key_models_listed_at if row is not None else None,
        list_status=row.openai_key_models_status if row is not None else "",
        error=error,
    )


def _loaded_list(row: UserAPIKeys | None) -> list[str] | None:
    if row is None or row.openai_key_models_listed_at is None:
        return None
    return [m for m in row.openai_key_models if isinstance(m, str)]


def check_model_choice(model: object, listed: list[str] | None) -> str:
    """The pick to store for `model` ("" = the default), given the key's listed models
    (None: not loaded); raises ModelRefused with the reason otherwise."""
    if not isinstance(model, str):
        raise ModelRefused('Send the model\'s id as a string, such as "gpt-4.1-mini".')
    model = model.strip()
    if not model:
        return ""
    if any(spec.pattern.fullmatch(model) for spec in SPECS.values()):  # never echo a key
        raise ModelRefused("That's an API key, not a model: keys go in the fields above.")
    if not MODEL_ID.fullmatch(model):
        raise ModelRefused("That isn't an OpenAI model id (such as gpt-4.1-mini).")
    offered = {m.lower(): m for m in usable_models(listed or [])}
    if model.lower() in offered:
        return offered[model.lower()]
    default = settings.OPENAI_MODEL
    if listed is None and model.lower() == default.lower():
        return ""  # nothing known about the key yet: following the default is all it can be
    if not supports_structured_outputs(model):
        raise ModelRefused(
            f"Kairo can't run on {model}: it needs a model with Structured Outputs whose "
            f"price Kairo knows, such as {default}. Pick one from the list."
        )
    if listed is None:
        raise ModelRefused(
            "Kairo hasn't loaded the models your OpenAI key can use yet. Refresh the list, "
            "then pick one."
        )
    raise ModelRefused(
        f"Your OpenAI key can't use {model}: OpenAI doesn't list it for this key. Pick one "
        "from the list, or refresh the list if you were given access just now."
    )


def choose_model(*, user: User, model: object) -> str:
    """Store the user's pick (checked against their key's loaded list) and return it.

    Raises ModelRefused (and stores nothing) for a model that is not offered."""
    with transaction.atomic():
        row = UserAPIKeys.objects.select_for_update().filter(user=user).first()
        chosen = check_model_choice(model, _loaded_list(row))
        if row is not None and row.openai_model != chosen:
            row.openai_model = chosen
            row.save(update_fields=["openai_model", "updated_at"])
    return chosen


def refresh_model_list(user: User) -> ModelPicker:
    """Load the models the user's OpenAI key can use (one `GET /models`) and keep them.

    Nothing to list with (no key) is not an error: the picker says so."""
    ciphertext = _ciphertext(user_keys_row(user))
    if ciphertext is not None:
        try:
            key = decrypt_secret(ciphertext)
        except KeyDecryptionError:
            _keep_list(user, ciphertext, S.UNREADABLE, [])
            return model_picker(user)
    else:
        key = operator_key_for(user, OPENAI)
        if not key:
            return model_picker(user)
    status, listed = openai_models_listed(key)
    _keep_list(user, ciphertext, status, listed)
    return model_picker(user)


def refresh_after_test(user: User, test: ConnectionTest) -> bool:
    """After Test Connection: a saved (or operator) OpenAI key that works gets its list
    loaded. Returns whether it was."""
    if test.result.spec is not OPENAI or test.tested == "given" or not test.result.ok:
        return False
    refresh_model_list(user)
    return True


def save_keys_and_model(
    *, user: User, changes: Mapping[str, object], model: object = UNSET
) -> None:
    """Save keys as `save_user_keys` does and, when given, the model pick: all or nothing
    (a malformed key or a refused model raises InvalidKeys; nothing is saved).

    A new OpenAI key's models are listed first (one `GET /models`, outside any
    transaction), so a model sent with the key is checked against that key's list and
    the list is there when the page shows.
    """
    checked = check_key_changes(changes)
    new_key = checked.get(OPENAI.field)
    fresh = openai_models_listed(new_key) if new_key else None
    chosen: str | _Unset = UNSET
    if not isinstance(model, _Unset):
        if fresh is not None:
            listed = fresh[1] if fresh[0] == S.OK else None
        elif OPENAI.field in checked:  # the key is being removed
            listed = None
        else:
            listed = _loaded_list(user_keys_row(user))
        try:
            chosen = check_model_choice(model, listed)
        except ModelRefused as exc:
            raise InvalidKeys({"openai_model": str(exc)}) from None
    with transaction.atomic():
        if checked:
            row = save_user_keys(user=user, changes=checked)
            if fresh is not None:
                _keep_list(user, _ciphertext(row), *fresh)
        if not isinstance(chosen, _Unset):
            UserAPIKeys.objects.filter(user=user).update(
                openai_model=chosen, updated_at=timezone.now()
            )


def _keep_list(user: User, ciphertext: bytes | None, status: str, listed: list[str]) -> None:
    """Store a load's outcome on the key it was made with (`ciphertext`; None = the
    operator's key): a key replaced meanwhile keeps its own (empty) list."""
    with transaction.atomic():
        row, _ = UserAPIKeys.objects.select_for_update().get_or_create(user=user)
        if _ciphertext(row) != ciphertext:
            return
        logger.info("OpenAI models of user %s's key listed: %s", user.pk, status)
        fields = ["openai_key_models_status", "updated_at"]
        row.openai_key_models_status = status
        if status == S.OK:
            row.openai_key_models = _clean(listed)
            row.openai_key_models_listed_at = timezone.now()
            fields += ["openai_key_models", "openai_key_models_listed_at"]
            offered = {m.lower() for m in usable_models(row.openai_key_models)}
            if row.openai_model and row.openai_model.lower() not in offered:
                row.openai_model = ""  # the key can't use the pick any more
                fields.append("openai_model")
        row.save(update_fields=fields)


def _ciphertext(row: UserAPIKeys | None) -> bytes | None:
    encrypted = row.openai_key_encrypted if row is not None else None
    return bytes(encrypted) if encrypted else None


def _clean(listed: list[str]) -> list[str]:
    """The ids as listed, de-duplicated, only the ones that can be model ids."""
    ids = (m.strip() for m in listed if isinstance(m, str))
    return list(dict.fromkeys(m for m in ids if MODEL_ID.fullmatch(m)))[:MAX_LISTED]
