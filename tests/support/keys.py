"""Well-formed Apify and OpenAI keys (accepted by tests/fakes), the keys API's URLs, and
connecting keys to a user."""

from __future__ import annotations

from django.test import Client

from byok.keys import save_user_keys
from tests.fakes.apify import VALID_TOKEN
from users.models import User

APIFY_TOKEN = VALID_TOKEN
OPENAI_KEY = "sk-proj-Kairo0test0key0AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-3Bvt"
OTHER_OPENAI_KEY = "sk-svcacct-another0key0for0bob0AbCdEfGhIjKlMnOpQrStUvWx9tYA"
OTHER_APIFY_TOKEN = "apify_api_BobsToken0123456789abcdefghijklmnopq"
API = "/api/user/api-keys/"
VALIDATE = "/api/user/api-keys/validate/"


def connect_keys(user: User, *, apify_token: str = APIFY_TOKEN, openai_key: str = OPENAI_KEY):
    """Both keys saved for `user` (listing the OpenAI models goes to whatever
    OPENAI_BASE_URL says: the double, or a closed loopback port)."""
    return save_user_keys(user=user, changes={"apify_token": apify_token, "openai_key": openai_key})


def csrf_token(client: Client) -> str:
    """The CSRF token a signed-in browser would send (from Settings' cookie)."""
    client.get("/settings/")
    return client.cookies["csrftoken"].value
