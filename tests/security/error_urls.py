"""The project's URLs plus views that fail the way a careless library would: with the
server's own secrets (and a bearer token) in the exception message and local variables."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from kairo.urls import handler400, handler404, handler500
from kairo.urls import urlpatterns as project_urlpatterns


class ConfigurationLeak(RuntimeError):
    pass


@login_not_required
def leaky_error(request):
    token = request.headers.get("Authorization", "")
    secret_key, encryption_key = settings.SECRET_KEY, settings.ENCRYPTION_KEY  # noqa: F841
    raise ConfigurationLeak(
        f"could not sign with SECRET_KEY={settings.SECRET_KEY} "
        f"ENCRYPTION_KEY={settings.ENCRYPTION_KEY} for {token}"
    )


urlpatterns = [
    *project_urlpatterns,
    path("security/leaky-error/", leaky_error),
    path("api/leaky-error/", leaky_error),
]

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]
