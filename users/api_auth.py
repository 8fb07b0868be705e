from __future__ import annotations

from django.conf import settings
from rest_framework import status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import APIException, AuthenticationFailed

AUTH_RETRY_SECONDS = 5


class AuthUnavailable(APIException):
    """The token could not be checked (the key server is down): 503, never 401, since the
    token may well be good. DRF adds Retry-After from `wait`."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Sign-in can't be checked right now. Try again in a few seconds."
    default_code = "auth_unavailable"
    wait = AUTH_RETRY_SECONDS


class BearerJWTAuthentication(BaseAuthentication):
    """`Authorization: Bearer <Supabase access token>` for /api/ clients (Supabase mode)."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if settings.AUTH_PROVIDER != "supabase":
            raise AuthenticationFailed("Bearer tokens are only accepted with Supabase accounts.")
        if len(parts) != 2:
            raise AuthenticationFailed("Malformed Authorization header.")
        from users.jwt import InvalidToken, KeysUnavailable
        from users.linking import LinkRequired, user_for_access_token

        try:
            user = user_for_access_token(parts[1].decode("ascii", "replace"))
        except KeysUnavailable:
            raise AuthUnavailable() from None
        except (InvalidToken, LinkRequired) as exc:
            raise AuthenticationFailed(str(exc)) from None
        return (user, None)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
