"""Typed requests for views (the pattern of django-htmx's docs and healthchecks).

Every page is behind `users.middleware.LoginRequiredMiddleware` unless it is marked
`@login_not_required`, and every API view behind DRF's `IsAuthenticated`. So a page view
that is not exempt annotates its request as `AuthenticatedHttpRequest` and reads
`request.user` as a `User`, never `AnonymousUser`; an API view asks `api_user(request)`.
`request.htmx` is set by django-htmx's middleware.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from users.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User


def api_user(request: Request) -> User:
    """The signed-in user of an API request. DRF's `IsAuthenticated` lets no one else
    in; if a view were ever opened up, this answers 401 instead of acting for nobody."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
