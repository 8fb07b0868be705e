"""Messages become toasts the same way on a page and in an HTMX answer: a level the
script times and announces by, and a key that lets a later toast replace an earlier one."""

from __future__ import annotations

import json

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory

from kairo.htmx import add_trigger, toast_key, toast_of
from kairo.middleware import HtmxMessagesMiddleware


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (messages.SUCCESS, "success"),
        (messages.INFO, "info"),
        (messages.WARNING, "warning"),
        (messages.ERROR, "error"),
        (messages.DEBUG, "success"),
    ],
)
def test_each_message_level_has_a_toast_level(level, expected):
    assert toast_of(Message(level, "Hi")) == {"message": "Hi", "level": expected}


def test_a_keyed_message_carries_its_key_and_other_tags_do_not_confuse_it():
    message = Message(messages.SUCCESS, "Done", extra_tags=f"error-ish {toast_key('run-7')}")
    assert toast_of(message) == {"message": "Done", "level": "success", "key": "run-7"}


def test_the_middleware_sends_keys_and_keeps_the_views_events():
    request = RequestFactory().post("/", HTTP_HX_REQUEST="true")
    request.htmx = True
    # What get_messages() reads: the storage the message middleware put on the request.
    request._messages = [Message(messages.INFO, "Started.", extra_tags=toast_key("run-1"))]

    def view(_request: HttpRequest) -> HttpResponse:
        return add_trigger(HttpResponse(), "openai-models-changed")

    events = json.loads(HtmxMessagesMiddleware(view)(request)["HX-Trigger"])
    assert events["openai-models-changed"] is None
    assert events["toasts"] == [{"message": "Started.", "level": "info", "key": "run-1"}]


def test_the_page_renders_the_same_toasts():
    page = render_to_string(
        "partials/toasts.html",
        {
            "messages": [
                Message(messages.ERROR, "Broke <b>", extra_tags=toast_key("run-9")),
                Message(messages.INFO, "FYI"),
            ]
        },
    )
    assert 'class="toast toast-error" role="alert" data-toast-key="run-9"' in page
    assert 'data-toast-level="error"' in page and "Broke &lt;b&gt;" in page
    assert 'class="toast toast-info" role="status" data-toast-level="info"' in page
    assert 'aria-live="polite"' in page


def test_a_page_rendered_without_messages_has_an_empty_region():
    page = render_to_string("partials/toasts.html", {})
    assert 'id="toasts"' in page and 'class="toast ' not in page
