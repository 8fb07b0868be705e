"""The Supabase Auth double plus the admin users listing migrate_goodie calls.

`GET /auth/v1/admin/users?filter=&page=&per_page=` answers `{"users": [...], "aud": …}`
like GoTrue's `adminUsers` (the filter matches emails case-insensitively by substring);
`GET /auth/v1/admin/users/<id>` answers one User, or 404 `user_not_found`.
Admin routes need the service-role key as both `apikey` and `Authorization: Bearer`.
"""

from __future__ import annotations

from tests.fakes.server import Request, Response
from tests.fakes.supabase import PREFIX, FakeSupabaseAuth

SERVICE_KEY = "sb_secret_test_service_role_key"


class FakeSupabaseWithAdmin(FakeSupabaseAuth):
    def __init__(self, algorithm: str = "ES256") -> None:
        super().__init__(algorithm)
        self.service_key = SERVICE_KEY
        self.route("GET", PREFIX + "/admin/users", self.admin_users)
        self.route("GET", PREFIX + r"/admin/users/(?P<user_id>[^/]+)", self.admin_user)

    def dispatch(self, request: Request) -> Response:
        if not request.path.startswith(PREFIX + "/admin/"):
            return super().dispatch(request)
        if request.headers.get("apikey") != self.service_key:
            return Response(401, {"message": "Invalid API key"})
        if request.headers.get("authorization") != f"Bearer {self.service_key}":
            return self.error(request, 403, "not_admin", "User not allowed")
        with self._lock:
            return super(FakeSupabaseAuth, self).dispatch(request)

    def admin_users(self, request: Request) -> Response:
        needle = (request.param("filter") or "").lower()
        page = int(request.param("page") or 1)
        per_page = int(request.param("per_page") or 50)
        matching = [u for email, u in sorted(self.users.items()) if needle in email]
        chunk = matching[(page - 1) * per_page : page * per_page]
        return Response(200, {"users": [self.user_json(u) for u in chunk], "aud": "authenticated"})

    def admin_user(self, request: Request) -> Response:
        user_id = request.match.group("user_id")
        user = next((u for u in self.users.values() if u.id == user_id), None)
        if user is None:
            return self.error(request, 404, "user_not_found", "User not found")
        return Response(200, self.user_json(user))
