"""GET /api/schema/: the hand-written OpenAPI 3.1 document of the JSON API (kairo/openapi/).

Hand-written rather than generated (no drf-spectacular): the API is three operations of
function views whose bodies are plain dicts, so a generator would need as many
annotations as the schema itself. tests/hostile/test_schemathesis.py keeps it honest by
fuzzing the app against it. Public: it documents shapes, never data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

SCHEMA_PATH = Path(__file__).resolve().parent / "openapi" / "api.json"


@cache
def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


@login_not_required
@require_GET
def api_schema(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(schema_bytes(), content_type="application/json")
    response["Cache-Control"] = "public, max-age=300"
    return response
