"""The one way to look up brands: always filtered by owner."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from brands.models import Brand
from users.models import User


def brands_for_user(user: User) -> QuerySet[Brand]:
    if not user.is_authenticated:
        return Brand.objects.none()
    return Brand.objects.filter(owner=user)


def get_brand_for_user(user: User, brand_id: UUID | str) -> Brand:
    """The user's brand, or 404 — another user's brand is indistinguishable from none."""
    try:
        return brands_for_user(user).get(pk=brand_id)
    except (Brand.DoesNotExist, ValueError):
        raise Http404("No such brand.") from None
