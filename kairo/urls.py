from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from kairo.api_schema import api_schema
from kairo.health import HEALTH_PATH, health
from users.views import admin_login_view

urlpatterns = [
    path("", login_not_required(RedirectView.as_view(url="/brands/", permanent=False))),
    path(HEALTH_PATH.strip("/") + "/", health, name="health"),
    path("api/schema/", api_schema, name="api-schema"),
    path("", include("users.urls")),
    path("brands/", include("brands.urls")),
    path("brands/", include("opportunities.urls")),
    path("", include("schedules.urls")),
    path("", include("byok.urls")),
    # Before admin.site.urls: the admin's own password form is never served.
    path("admin/login/", admin_login_view, name="admin-login"),
    path("admin/", admin.site.urls),
]

if settings.SMOKE_ERROR_URL:  # the production smoke test's forced 500; off by default
    from kairo.smoke import raise_error

    urlpatterns.append(path("smoke/error/", raise_error))

handler400 = "kairo.errors.bad_request"
handler404 = "kairo.errors.not_found"
handler500 = "kairo.errors.server_error"
