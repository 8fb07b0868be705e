from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

TOO_LARGE = "That request is too large (the limit is 1 MB). Shorten what you sent and try again."
MALFORMED = "That request could not be read. Reload the page and try again."


def _signed_in(request: HttpRequest) -> bool | None:
    """Whether the visitor is signed in, if that is known already (None if not): an error
    page never loads the user itself, since the failure may be the session or database."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):  # Django's lazy user: known once something asked
        user = request.__dict__.get("_cached_user")
    return None if user is None else bool(user.is_authenticated)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Oversized or malformed requests (Django's SuspiciousOperation): a message, not a
    bare "Bad Request (400)"; JSON under /api/. 413 when the body is over the limit."""
    too_large = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    message, status = (TOO_LARGE, 413) if too_large else (MALFORMED, 400)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    # No request context: the request's own body is what could not be read.
    context = {"message": message, "signed_in": _signed_in(request)}
    return HttpResponse(render_to_string("400.html", context), status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return HttpResponse(render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    # No request context: the failure may be in a context processor or middleware.
    context = {"signed_in": _signed_in(request)}
    return HttpResponse(render_to_string("500.html", context), status=500)
