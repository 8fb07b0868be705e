"""The project's URLs plus the smoke test's failing view (as with SMOKE_ERROR_URL=true)."""

from django.urls import path

from kairo.smoke import raise_error
from kairo.urls import handler404, handler500
from kairo.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("smoke/error/", raise_error),
    path("api/boom/", raise_error),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
