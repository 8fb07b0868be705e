from __future__ import annotations

from django.conf import settings
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed


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
        from users.jwt import InvalidToken, user_for_access_token

        try:
            user = user_for_access_token(parts[1].decode("ascii", "replace"))
        except InvalidToken as exc:
            raise AuthenticationFailed(str(exc)) from None
        return (user, None)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
