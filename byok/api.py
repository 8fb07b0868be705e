"""JSON API for a user's own keys: /api/user/api-keys/ (session + CSRF, or Bearer JWT).

Every view acts on request.user only: there is no id in any URL, so nobody can name
another user's keys. Responses carry last4 and status, never a key.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from byok.formats import KeyFormatError
from byok.keys import InvalidKeys, key_summaries
from byok.model_choice import UNSET, model_picker, refresh_after_test, save_keys_and_model
from byok.providers import spec_for
from byok.throttle import TOO_MANY_TESTS, allow_connection_test
from byok.validation import NoKeyToTest, check_connection
from users.http import api_user


def _private(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response


def _summaries_payload(request: Request) -> dict[str, object]:
    user = api_user(request)
    payload: dict[str, object] = {
        name: summary.as_api() for name, summary in key_summaries(user).items()
    }
    payload["openai_model"] = model_picker(user).as_api()
    return payload


@api_view(["GET", "PUT"])
def api_keys(request: Request) -> Response:
    """GET: what is stored. PUT {"apify_token"?, "openai_key"?, "openai_model"?}: left
    out = unchanged, "" = remove (the model: back to the default); any malformed value
    or a model the key can't use is a 400 and nothing is saved."""
    if request.method == "PUT":
        if not isinstance(request.data, dict):
            return _private(
                Response(
                    {"detail": 'Send a JSON object such as {"apify_token": "apify_api_…"}.'},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            )
        changes = dict(request.data)
        model = changes.pop("openai_model", UNSET)
        try:
            save_keys_and_model(user=api_user(request), changes=changes, model=model)
        except InvalidKeys as exc:
            errors = {name: [message] for name, message in exc.errors.items()}
            return _private(Response(errors, status=status.HTTP_400_BAD_REQUEST))
    return _private(Response(_summaries_payload(request)))


@api_view(["POST"])
def validate_api_key(request: Request) -> Response:
    """POST {"provider": "apify"|"openai", "key"?}: test the given key, else the stored one."""
    data = request.data if isinstance(request.data, dict) else {}
    try:
        spec = spec_for(str(data.get("provider", "")))
    except KeyError:
        return _private(
            Response(
                {"provider": ['Must be "apify" or "openai".']}, status=status.HTTP_400_BAD_REQUEST
            )
        )
    key = data.get("key")
    if key is not None and not isinstance(key, str):
        return _private(Response({"key": ["Must be a string."]}, status=400))
    if not allow_connection_test(api_user(request)):
        return _private(
            Response({"detail": TOO_MANY_TESTS}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        )
    try:
        outcome = check_connection(user=api_user(request), spec=spec, key=key or None)
    except (KeyFormatError, NoKeyToTest) as exc:
        return _private(Response({"key": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST))
    refresh_after_test(api_user(request), outcome)
    return _private(Response(outcome.as_api()))
