"""Form error messages in Kairo's own voice.

Django's stock messages ("This field is required.", "Ensure this value has at least 8
characters (it has 3).", "Enter a valid URL.") read like a database talking. Every form
calls `plain_messages(self, ...)` at the end of its `__init__`, so each field says what
to do in plain words, with the same text for live validation and for submit; a form
names its own `required` wording where it knows better than the generic one.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from django import forms

NULL_CHARACTERS = "Remove the invisible characters pasted with the text."
# Keys are Django's error codes; a field's own message for a code always wins.
_BY_CODE = {
    "min_length": "A little more, please: at least %(limit_value)d characters (you have %(show_value)d).",
    "max_length": "That's too long: keep it to %(limit_value)d characters (you have %(show_value)d).",
    "invalid_choice": "Pick one of the options in the list.",
    "null_characters_not_allowed": NULL_CHARACTERS,
    "min_value": "Use %(limit_value)s or more.",
    "max_value": "Use %(limit_value)s or less.",
}
_INVALID = (
    (forms.URLField, "That doesn't look like a web address. Try https://yourbrand.com."),
    (forms.EmailField, "That doesn't look like an email address, e.g. you@yourbrand.com."),
    (forms.IntegerField, "Enter a whole number, e.g. 3."),
    (forms.TimeField, "Enter a time, e.g. 08:30."),
)


@cache
def _stock_texts() -> frozenset[str]:
    """Django's own wording, to tell an untouched message from one a form chose."""
    fields = (
        forms.CharField(),
        forms.ChoiceField(),
        forms.URLField(assume_scheme="https"),
        forms.EmailField(),
        forms.IntegerField(),
        forms.TimeField(),
    )
    return frozenset(str(text) for field in fields for text in field.error_messages.values())


def _is_stock(messages: Mapping[str, object], code: str) -> bool:
    return code not in messages or str(messages[code]) in _stock_texts()


def plain_messages(form: forms.BaseForm, required: dict[str, str] | None = None) -> None:
    """Replace Django's stock error messages on every field of `form`.

    `required` maps field names to what to say when that field is left empty; any other
    required field says "<Label> is needed." Messages a form already set are kept.
    """
    for name, field in form.fields.items():
        messages = field.error_messages
        for code, text in _BY_CODE.items():
            if _is_stock(messages, code):
                messages[code] = text
        for field_type, text in _INVALID:
            if isinstance(field, field_type) and _is_stock(messages, "invalid"):
                messages["invalid"] = text
                break
        if name in (required or {}):
            messages["required"] = (required or {})[name]
        elif _is_stock(messages, "required"):
            label = str(field.label or name.replace("_", " ").capitalize())
            messages["required"] = f"{label} is needed."
