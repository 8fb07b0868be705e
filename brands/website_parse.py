"""Reads what onboarding can use from a brand's home page: its name, a description, and
the social accounts it links to. Pure parsing (the stdlib's html.parser), no network;
the fetch is brands/website.py.

Handles go through brands.handles.normalize_handle, the parser of the Sources step, so
a handle found on a site is exactly what the user would get by pasting that link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from brands.handles import HandleError, NormalizedHandle, normalize_handle
from brands.models import Platform

NAME_MAX = 100  # BasicsForm.name
DESCRIPTION_MAX = 300  # BasicsForm.positioning
MAX_LINKS = 5000  # a page with more is read up to here
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:•»]\s+")
_GENERIC_TITLE_PARTS = {
    "home",
    "homepage",
    "home page",
    "welcome",
    "official site",
    "official website",
}
_DESCRIPTION_KEYS = ("og:description", "description", "twitter:description")
_NAME_KEYS = ("og:site_name", "application-name")


def _tidy(text: str) -> str:
    return " ".join(text.split())


class _PageReader(HTMLParser):
    """Collects the <title>, the <meta> name/property → content pairs and <a href>s."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: list[str] = []
        self._in_title = False
        self._title_done = False
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key.lower(): (value or "") for key, value in attrs}
        if tag == "svg":
            self._svg_depth += 1  # an <svg>'s <title> is an icon's, not the page's
        elif tag == "title" and not self._title_done and not self._svg_depth:
            self._in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            content = _tidy(values.get("content", ""))
            if key and content and key not in self.meta:
                self.meta[key] = content
        elif tag == "a" and values.get("href") and len(self.links) < MAX_LINKS:
            self.links.append(values["href"].strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        elif tag == "title" and self._in_title:
            self._in_title = False
            self._title_done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


@dataclass(frozen=True)
class SiteFacts:
    name: str = ""
    description: str = ""
    handles: dict[str, NormalizedHandle] = field(default_factory=dict)  # by platform

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.description or self.handles)


def read_site(html: str, page_url: str) -> SiteFacts:
    """What `html` (served at `page_url`) says about the brand."""
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return SiteFacts(
        name=_site_name(reader, page_url),
        description=_shorten(_first(reader.meta, _DESCRIPTION_KEYS), DESCRIPTION_MAX),
        handles=social_handles(reader.links, page_url),
    )


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((meta[key] for key in keys if meta.get(key)), "")


def _site_name(reader: _PageReader, page_url: str) -> str:
    named = _first(reader.meta, _NAME_KEYS)
    if named:
        return _shorten(named, NAME_MAX)
    title = _tidy(reader.title) or reader.meta.get("og:title", "")
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    parts = [p for p in parts if p.casefold() not in _GENERIC_TITLE_PARTS] or parts
    if not parts:
        return ""
    # "Latte art at home | Bean & Leaf": the part that matches the domain is the name.
    domain = _squash((urlsplit(page_url).hostname or "").removeprefix("www.").split(".")[0])
    matching = [p for p in parts if domain and domain in _squash(p)]
    return _shorten((matching or parts)[0], NAME_MAX)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    text = _tidy(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return f"{cut}…"


def social_handles(links: list[str], page_url: str) -> dict[str, NormalizedHandle]:
    """One account per platform among `links`: the one linked most often (a header and
    a footer link count twice), the first on the page on a tie; on LinkedIn a company
    page beats a person's profile."""
    counts: dict[NormalizedHandle, int] = {}
    for href in links:
        found = _handle_for_link(urljoin(page_url, href))
        if found is not None:
            counts[found] = counts.get(found, 0) + 1
    order = list(counts)  # first appearance
    best: dict[str, NormalizedHandle] = {}
    for platform in Platform:
        candidates = [h for h in order if h.platform == platform]
        if candidates:
            best[platform.value] = min(
                candidates,
                key=lambda h: (h.handle.startswith("in/"), -counts[h], order.index(h)),
            )
    return best


def _handle_for_link(url: str) -> NormalizedHandle | None:
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    for platform in Platform:
        try:
            return normalize_handle(platform, url)
        except HandleError:
            continue
    return None
