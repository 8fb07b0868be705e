"""A brand's calendar feed: a secret URL calendar apps subscribe to without signing in.

The token (32 random bytes, URL-safe) is the feed's only key, so it is stored as it is
(to show the URL again on the plan page) and is never logged; rotating replaces it,
which makes the old URL a 404 at once, and turning the feed off deletes it. The feed
shows ideas only (no account data), so a leaked URL costs little and is undone by
rotating.
"""

from __future__ import annotations

import re
import secrets

from django.db import transaction

from brands.models import Brand
from workspace.models import CalendarFeed

TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def feed_for(brand: Brand) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(brand=brand).first()


def turn_on_feed(brand: Brand) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(
        brand=brand, defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)}
    )
    return feed


def rotate_feed(brand: Brand) -> CalendarFeed:
    """A new secret URL; the old one stops working."""
    with transaction.atomic():
        feed = turn_on_feed(brand)
        feed.token = secrets.token_urlsafe(TOKEN_BYTES)
        feed.save(update_fields=["token", "rotated_at"])
    return feed


def turn_off_feed(brand: Brand) -> bool:
    deleted, _ = CalendarFeed.objects.filter(brand=brand).delete()
    return bool(deleted)


def brand_for_feed_token(token: str) -> Brand | None:
    # Only what token_urlsafe makes gets as far as the database (PostgreSQL refuses a
    # NUL in a query parameter, and nothing else can match).
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    feed = CalendarFeed.objects.select_related("brand").filter(token=token).first()
    return feed.brand if feed else None
