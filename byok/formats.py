"""Checks that a pasted key has the right shape before it is stored or sent anywhere.

Messages never repeat the value: a key pasted into the wrong field is still a secret.
"""

from __future__ import annotations

from byok.providers import APIFY, OPENAI, ProviderSpec

MAX_INPUT_LENGTH = 400


class KeyFormatError(ValueError):
    """The value can't be a key of this provider; `str(error)` is the message for the field."""


def check_key_format(spec: ProviderSpec, value: object) -> str:
    """Return `value` if it is a well-formed key for `spec`, else raise KeyFormatError."""
    if not isinstance(value, str):
        raise KeyFormatError("Must be a string.")
    if not value:
        raise KeyFormatError(f"Paste your {spec.key_label}.")
    if len(value) > MAX_INPUT_LENGTH:
        raise KeyFormatError(f"That is far too long for an {spec.key_label}.")
    if any(ch.isspace() for ch in value):
        raise KeyFormatError(
            "Remove the spaces or line breaks: keys never contain whitespace "
            "(they often sneak in when copying)."
        )
    if spec is APIFY and value.startswith("sk-"):
        raise KeyFormatError("That looks like an OpenAI key. Paste it in the OpenAI field.")
    if spec is OPENAI and value.startswith("apify_api_"):
        raise KeyFormatError("That looks like an Apify token. Paste it in the Apify field.")
    if spec.pattern.fullmatch(value):
        return value
    if spec is APIFY:
        if not value.startswith("apify_api_"):
            raise KeyFormatError(
                f"Apify API tokens start with “apify_api_”. Copy yours from {spec.where_to_find}."
            )
        raise KeyFormatError(
            "That doesn't look like a complete Apify token: expected “apify_api_” followed by "
            "about 36 letters and digits."
        )
    if not value.startswith("sk-"):
        raise KeyFormatError(
            f"OpenAI API keys start with “sk-” (for example sk-proj-…). "
            f"Create one at {spec.where_to_find}."
        )
    raise KeyFormatError(
        "That doesn't look like a complete OpenAI key: expected “sk-” followed by 40 to 200 "
        "letters, digits, “-” or “_”."
    )
