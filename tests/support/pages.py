"""What no page or partial may ever show: template source. Django's `{# #}` comment is
single-line, so a two-line one (or a tag typo) is printed to the user as text."""

from __future__ import annotations

from django.http import HttpResponse

HTMX = {"HTTP_HX_REQUEST": "true"}
TEMPLATE_SOURCE = ("{#", "#}", "{%", "%}", "{{", "}}")


def body_text(response: HttpResponse) -> str:
    if response.streaming:
        return b"".join(response).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def template_source_in(html: str) -> list[str]:
    """Each template marker in `html`, with the text around it."""
    found = []
    for marker in TEMPLATE_SOURCE:
        start = html.find(marker)
        if start != -1:
            found.append(f"{marker!r} in …{html[max(0, start - 60) : start + 60]!r}…")
    return found


def assert_no_template_source(response: HttpResponse, where: str) -> None:
    problems = template_source_in(body_text(response))
    assert not problems, f"{where} shows template source: " + "; ".join(problems)
