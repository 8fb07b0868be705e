from __future__ import annotations

from brands.models import Brand
from users.models import User


def brand_create(*, owner: User, name: str) -> Brand:
    brand = Brand(owner=owner, name=name.strip())
    brand.full_clean()
    brand.save()
    return brand
