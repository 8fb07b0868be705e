"""`{{ messages|as_toasts }}`: the page's messages as the toasts an HTMX answer sends."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.contrib.messages.storage.base import Message

from kairo.htmx import toast_of

register = template.Library()


@register.filter
def as_toasts(messages: Iterable[Message] | None) -> list[dict[str, str]]:
    # None: a template rendered without the messages context processor.
    return [toast_of(message) for message in messages or ()]
