"""The API's JSON parser: DRF's, plus a 400 (not a 500) for JSON nested too deeply.

Python's json module recurses once per nesting level, so `[[[[…]]]]` a few thousand
levels deep (a few kB, well under the upload limit) raises RecursionError, which DRF's
parser does not turn into a ParseError.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
