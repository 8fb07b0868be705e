"""Topic phrases: the two- and three-word phrases an item talks about, per language.

"oat milk" and "oat milk foam" are topics; "actually" and "foams" are not. A caption is
lower-cased, stripped of links, #hashtags and @mentions (hashtags are their own signal),
and cut at punctuation, numbers and stop words of its language; phrases are the runs of
two or three content words left, and three-word phrases may carry one connector in the
middle ("cost of living", "leche de avena"); a short number may sit in the middle
("zone 2 training"), never at an edge ("3 mistakes", "tracked 1"). English plurals fold into one key ("oat
milk latte" = "oat milk lattes"), so counts do not split on an "s".

The language of an item is the one its platform reports (TikTok's `textLanguage`),
else the language whose stop words its text uses most, else the brand's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from opportunities.stopwords import BOILERPLATE_PHRASES, CONNECTORS, STOPWORDS

LANGUAGE_FIELDS = ("textLanguage", "language", "lang", "defaultLanguage")
MIN_GUESS_HITS = 2
MAX_NUMBER_DIGITS = 4
LETTER_HINTS = {"ñ": "es", "¿": "es", "¡": "es", "ã": "pt", "õ": "pt", "ß": "de"}
_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_TAG_OR_MENTION = re.compile(r"[#@][\w.]+", re.UNICODE)
_BREAK = re.compile(r"[^\w\s'’\-]+|\s-+\s|_", re.UNICODE)
_TOKEN = re.compile(r"\w[\w'’\-]*", re.UNICODE)


def reported_language(raw: Mapping[str, Any] | None) -> str:
    """The two-letter language an actor reported for the item's text, or ""."""
    for name in LANGUAGE_FIELDS:
        value = (raw or {}).get(name)
        if isinstance(value, str):
            code = value.strip().lower()[:2]
            if code.isalpha() and code != "un":  # "un"/"und": undetermined
                return code
    return ""


def guess_language(text: str, default: str) -> str:
    """The language whose stop words (and letters only it uses: ñ, ã, ß) the text has
    most — at least MIN_GUESS_HITS, and strictly more than any other — else `default`."""
    lowered = text.lower()
    words = [w.replace("’", "'") for w in _TOKEN.findall(lowered)]
    letters = [LETTER_HINTS[c] for c in lowered if c in LETTER_HINTS]
    hits = sorted(
        (
            (sum(w in stop for w in words) + letters.count(language), language)
            for language, stop in STOPWORDS.items()
        ),
        reverse=True,
    )
    (best, language), (second, _) = hits[0], hits[1]
    return language if best >= MIN_GUESS_HITS and best > second else default


def content_language(text: str, raw: Mapping[str, Any] | None, default: str) -> str:
    return reported_language(raw) or guess_language(text, default or "en")


def _runs(text: str) -> Iterable[list[str]]:
    """Word runs between punctuation, links, hashtags, single letters and long numbers;
    a short number stays in its run, to sit inside a phrase ("zone 2 training")."""
    cleaned = _TAG_OR_MENTION.sub(" . ", _LINK.sub(" . ", text.lower().replace("’", "'")))
    for chunk in _BREAK.split(cleaned):
        run: list[str] = []
        for token in _TOKEN.findall(chunk):
            token = token.strip("'-")
            if _is_number(token) and len(token) <= MAX_NUMBER_DIGITS:
                run.append(token)
            elif len(token) < 2 or not any(c.isalpha() for c in token):
                yield run
                run = []
            else:
                run.append(token)
        yield run


def _is_number(token: str) -> bool:
    return token.isdigit()


def fold(token: str, language: str) -> str:
    """English plurals to singular ("lattes" -> "latte"); other languages as written."""
    if language == "en" and len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def phrases_in(text: str, language: str) -> dict[str, str]:
    """{phrase key: phrase as written} for every two- and three-word phrase in `text`."""
    stop = STOPWORDS.get(language, STOPWORDS["en"])
    connectors = CONNECTORS.get(language, frozenset())
    found: dict[str, str] = {}
    for run in _runs(text or ""):
        for size in (2, 3):
            for start in range(len(run) - size + 1):
                words = run[start : start + size]
                inner = words[1:-1]
                if (
                    words[0] in stop
                    or words[-1] in stop
                    or _is_number(words[0])
                    or _is_number(words[-1])
                ):
                    continue
                if any(w in stop and w not in connectors for w in inner):
                    continue
                if size == 2 and any(w in connectors for w in words):
                    continue
                surface = " ".join(words)
                if surface in BOILERPLATE_PHRASES:
                    continue
                key = " ".join(fold(w, language) for w in words)
                found.setdefault(key, surface)
    return found


def phrase_key(text: str, language: str) -> str:
    """The key of a whole phrase (a watched keyword such as "AI search")."""
    return " ".join(fold(w, language) for run in _runs(text) for w in run)
