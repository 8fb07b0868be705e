"""`{% schedule_panel brand %}`: the Daily refresh panel, for the brand page (a template
of the brands app, which can't import this app's views: dependencies point one way)."""

from __future__ import annotations

from django import template

from brands.models import Brand
from schedules.panel import schedule_panel as build_panel

register = template.Library()


@register.inclusion_tag("schedules/partials/panel.html", takes_context=True)
def schedule_panel(context: template.Context, brand: Brand) -> dict[str, object]:
    return {
        "panel": build_panel(brand),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
