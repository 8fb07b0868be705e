"""Turns whatever a user pastes for a social account into one canonical handle and URL.

People paste `@name`, `name`, `instagram.com/name`, full URLs with tracking parameters,
mobile hosts, or a link to a single post. Each platform has its own username rules, so
each gets its own parser; every rejection says what to paste instead. Nothing here
touches the network: short links (vm.tiktok.com, youtu.be, lnkd.in) can't be resolved
offline, so they are refused with a clear message rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from brands.models import Platform

MAX_INPUT_LENGTH = 200

# host (without www./m.) -> the platform it belongs to
_PLATFORM_HOSTS = {
    "instagram.com": Platform.INSTAGRAM,
    "instagr.am": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK,
    "youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
    "linkedin.com": Platform.LINKEDIN,
    "lnkd.in": Platform.LINKEDIN,
}
_SHORT_LINK_HOSTS = {"vm.tiktok.com", "vt.tiktok.com", "youtu.be", "lnkd.in"}

_INSTAGRAM_USERNAME = re.compile(r"^(?!\.)(?!.*\.\.)[a-z0-9._]{1,30}(?<!\.)$")
_TIKTOK_USERNAME = re.compile(r"^[a-z0-9_.]{2,24}(?<!\.)$")
_YOUTUBE_HANDLE = re.compile(r"^[a-z0-9_.\-]{3,30}$")
_YOUTUBE_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_\-]{22}$")
_YOUTUBE_LEGACY_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")
_LINKEDIN_SLUG = re.compile(r"^[\w\-]{2,100}$")
_LOOKS_LIKE_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")

_INSTAGRAM_NON_PROFILE = {"p", "reel", "reels", "tv", "stories", "explore", "accounts", "direct"}
_YOUTUBE_VIDEO_PATHS = {"watch", "shorts", "playlist", "embed", "live", "results", "feed"}
_LINKEDIN_KINDS = {"company", "school", "showcase", "in"}

EXAMPLES: dict[str, str] = {
    Platform.INSTAGRAM: "@yourbrand or instagram.com/yourbrand",
    Platform.TIKTOK: "@yourbrand or tiktok.com/@yourbrand",
    Platform.YOUTUBE: "@yourbrand or youtube.com/@yourbrand",
    Platform.LINKEDIN: "linkedin.com/company/yourbrand",
}


class HandleError(ValueError):
    """A pasted handle or URL that can't be used; `str()` is the user-facing message."""


@dataclass(frozen=True)
class NormalizedHandle:
    platform: str
    handle: str
    url: str

    @property
    def display(self) -> str:
        """How the account is shown back to the user (and pre-filled in the form)."""
        if self.platform in (Platform.INSTAGRAM, Platform.TIKTOK):
            return f"@{self.handle}"
        return self.url


_CONSONANT_SOUNDING = ("uni", "use", "usu", "uti", "eu", "one")


def with_article(word: str) -> str:
    """ "an Instagram", "a TikTok", "a YouTube", "a LinkedIn": "an" before a vowel sound
    (so not before the "you" of "a Unicorn", "a user" or the "w" of "a one")."""
    lowered = word.lower()
    vowel_sound = lowered[:1] in "aeiou" and not lowered.startswith(_CONSONANT_SOUNDING)
    return f"{'an' if vowel_sound else 'a'} {word}"


def normalize_handle(platform: str, raw: str) -> NormalizedHandle:
    """The canonical handle and profile URL for `raw`, or HandleError with a message."""
    value = (raw or "").strip()
    if not value:
        raise HandleError("Enter a handle or a profile URL.")
    if len(value) > MAX_INPUT_LENGTH:
        raise HandleError(f"That's too long for a handle or profile URL (max {MAX_INPUT_LENGTH}).")
    if any(ch.isspace() for ch in value):
        raise HandleError("Handles and URLs can't contain spaces.")
    parser = _PARSERS.get(platform)
    if parser is None:
        raise HandleError("Unknown platform.")
    if _is_url(value):
        segments = _url_segments(platform, value)
        return parser(segments=segments, bare=None)
    return parser(segments=None, bare=value.removeprefix("@"))


def _is_url(value: str) -> bool:
    lowered = value.lower()
    if "://" in lowered or "/" in lowered:
        return True
    # "goodie.ai" is a valid Instagram username, so only known hosts count as links here.
    return _platform_for_host(lowered) is not None and bool(_LOOKS_LIKE_HOST.match(lowered))


def _platform_for_host(host: str) -> str | None:
    host = host.lower().rstrip(".")
    for known, platform in _PLATFORM_HOSTS.items():
        if host == known or host.endswith("." + known):
            return platform
    return None


def _url_segments(platform: str, value: str) -> list[str]:
    """The decoded, non-empty path segments of a link that must belong to `platform`."""
    label = Platform(platform).label
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise HandleError(f"That doesn't look like a link. Try {EXAMPLES[platform]}.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise HandleError(f"Use an http(s) link, e.g. {EXAMPLES[platform]}.")
    owner = _platform_for_host(host)
    if owner is None:
        raise HandleError(f"That isn't a link to {label}. Try {EXAMPLES[platform]}.")
    if owner != platform:
        raise HandleError(
            f"That's {with_article(Platform(owner).label)} link; this field is for {label}. "
            f"Try {EXAMPLES[platform]}."
        )
    if host in _SHORT_LINK_HOSTS:
        raise HandleError(
            f"Short links can't be checked. Open it and paste the profile instead, "
            f"e.g. {EXAMPLES[platform]}."
        )
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if not segments:
        raise HandleError(f"Add the account to the link, e.g. {EXAMPLES[platform]}.")
    return segments


def _instagram(*, segments: list[str] | None, bare: str | None) -> NormalizedHandle:
    if segments is not None:
        if segments[0].lower() in _INSTAGRAM_NON_PROFILE:
            raise HandleError(
                "That's a link to a post or page, not a profile. "
                "Paste instagram.com/yourbrand or @yourbrand."
            )
        bare = segments[0]
    username = (bare or "").lower()
    if not _INSTAGRAM_USERNAME.match(username):
        raise HandleError(
            "Instagram usernames are up to 30 letters, numbers, periods and underscores "
            "(no period at the start or end, no two in a row)."
        )
    return NormalizedHandle(Platform.INSTAGRAM, username, f"https://www.instagram.com/{username}/")


# TikTok paths that are pages of their own, never a profile without its "@".
_TIKTOK_RESERVED = {
    "tag", "music", "discover", "explore", "search", "video", "foryou", "following",
    "live", "t", "embed", "share", "trending", "upload", "setting", "settings", "login",
    "signup", "business", "about", "legal", "channel", "effect", "place",
}  # fmt: skip


def _tiktok(*, segments: list[str] | None, bare: str | None) -> NormalizedHandle:
    if segments is not None:
        first = segments[0]
        if first.startswith("@"):
            # A video link (tiktok.com/@name/video/123) names its author unambiguously.
            bare = first[1:]
        elif len(segments) == 1 and first.lower() not in _TIKTOK_RESERVED:
            bare = first  # tiktok.com/yourbrand: the "@" was left out
        else:
            raise HandleError(
                "That isn't a TikTok profile link. Profile links look like tiktok.com/@yourbrand."
            )
    username = (bare or "").lower()
    if not _TIKTOK_USERNAME.match(username):
        raise HandleError(
            "TikTok usernames are 2–24 letters, numbers, underscores and periods "
            "(no period at the end)."
        )
    return NormalizedHandle(Platform.TIKTOK, username, f"https://www.tiktok.com/@{username}")


def _youtube(*, segments: list[str] | None, bare: str | None) -> NormalizedHandle:
    if segments is None:
        if _YOUTUBE_CHANNEL_ID.match(bare or ""):
            return _youtube_channel(bare or "")
        return _youtube_handle(bare or "")
    first = segments[0]
    kind = first.lower()
    if first.startswith("@"):
        return _youtube_handle(first[1:])
    if kind in _YOUTUBE_VIDEO_PATHS:
        raise HandleError(
            "That's a link to a video or playlist. Paste the channel instead, "
            "e.g. youtube.com/@yourbrand."
        )
    if kind == "channel" and len(segments) > 1:
        if not _YOUTUBE_CHANNEL_ID.match(segments[1]):
            raise HandleError("Channel IDs start with UC and are 24 characters long.")
        return _youtube_channel(segments[1])
    if kind in ("c", "user") and len(segments) > 1:
        name = segments[1]
        if not _YOUTUBE_LEGACY_NAME.match(name):
            raise HandleError("That channel name has characters YouTube doesn't allow.")
        return NormalizedHandle(Platform.YOUTUBE, name, f"https://www.youtube.com/{kind}/{name}")
    raise HandleError(
        "Use the channel's @handle or its channel link, e.g. youtube.com/@yourbrand, "
        "youtube.com/channel/UC…, youtube.com/c/name or youtube.com/user/name."
    )


def _youtube_handle(name: str) -> NormalizedHandle:
    handle = name.lower()
    if not _YOUTUBE_HANDLE.match(handle):
        raise HandleError(
            "YouTube handles are 3–30 letters, numbers, underscores, hyphens and periods."
        )
    return NormalizedHandle(Platform.YOUTUBE, f"@{handle}", f"https://www.youtube.com/@{handle}")


def _youtube_channel(channel_id: str) -> NormalizedHandle:
    return NormalizedHandle(
        Platform.YOUTUBE, channel_id, f"https://www.youtube.com/channel/{channel_id}"
    )


def _linkedin(*, segments: list[str] | None, bare: str | None) -> NormalizedHandle:
    if segments is None:
        raise HandleError(
            "Paste the full LinkedIn link, e.g. linkedin.com/company/yourbrand "
            "or linkedin.com/in/yourname."
        )
    kind = segments[0].lower()
    if kind not in _LINKEDIN_KINDS or len(segments) < 2:
        raise HandleError(
            "Use a company or profile page, e.g. linkedin.com/company/yourbrand "
            "or linkedin.com/in/yourname (not a post or feed link)."
        )
    slug = segments[1].lower()
    if not _LINKEDIN_SLUG.match(slug):
        raise HandleError("That LinkedIn page name has characters LinkedIn doesn't allow.")
    return NormalizedHandle(
        Platform.LINKEDIN, f"{kind}/{slug}", f"https://www.linkedin.com/{kind}/{slug}"
    )


_PARSERS: dict[str, Callable[..., NormalizedHandle]] = {
    Platform.INSTAGRAM: _instagram,
    Platform.TIKTOK: _tiktok,
    Platform.YOUTUBE: _youtube,
    Platform.LINKEDIN: _linkedin,
}
