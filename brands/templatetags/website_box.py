"""`{% website_box brand form as box %}`: the state of Basics' "Start from your website"
box (templates/brands/partials/website_prefill.html), and a "Found on your site" hint on
each Basics field still holding what the site said."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import Form

from brands import onboarding
from brands.models import Brand
from brands.website_prefill import BoxState, box_state, found_fields

register = template.Library()

FOUND_HINT = "Found on your site."


@register.simple_tag(takes_context=True)
def website_box(context: dict[str, Any], brand: Brand, form: Form) -> BoxState:
    answers = onboarding.answers_for(brand)
    for name, value in found_fields(answers).items():
        if name in form.fields and str(form[name].value() or "") == value:
            bound = form[name]  # what the field template reads
            bound.help_text = f"{FOUND_HINT} {bound.help_text}".strip()
    return box_state(context["request"].session, answers)
