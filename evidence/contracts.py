"""What each Apify actor really accepts: one contract per actor, with the source of each rule.

Apify validates a run's input against the actor's input schema when the run starts: a
wrong type or a value outside an enum is a 400 `invalid-input` ("Input is not valid:
Field input.X …"); unknown keys are dropped silently, so a misspelt field quietly falls
back to its default (docs/reference/apify.md §6.4). The input
builders in `inputs.py` are tested against these contracts, and the Apify double in
`tests/fakes/apify.py` enforces them the same way Apify does, so neither kind of
mistake can pass the suite.

`per` names the list a limit counts for each entry of ("resultsLimit counts per
hashtag"): `requested_items()` multiplies by it, which is how a builder proves it splits
a recipe's result limit across its terms instead of asking for N× the intended posts.
Sources are the public schemas and READMEs listed in docs/reference/apify.md (§4, §6.3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from brands.industries import CREATIVE_CENTER_INDUSTRIES

# TikTok Creative Center: hashtag lists exist for these countries (about 27,
# docs/reference/apify.md §6.3; M); sounds follow the same list. Creator and video lists cover
# far fewer (videos: US, JP, ID, TH, VN after the 2026 redesign), so Kairo doesn't ask
# for them (see inputs.tiktok_trends_input).
TIKTOK_TREND_COUNTRIES = frozenset(
    "AE AR AU BR CA CL CO DE EG ES FR GB ID IT JP KR MX MY NL PE PH SA SG TH TR TW US VN".split()
)


@dataclass(frozen=True)
class InputField:
    kind: type | tuple[type, ...]
    enum: tuple[Any, ...] | None = None
    item_kind: type | None = None  # for lists: the type of every element
    minimum: int | None = None
    maximum: int | None = None
    per: str | None = None  # this limit counts once per entry of that list field
    source: str = ""


@dataclass(frozen=True)
class ActorContract:
    actor: str
    fields: dict[str, InputField]
    required: tuple[str, ...]
    limit_field: str
    item_fields: tuple[str, ...]  # the item fields our normalizer reads
    source: str
    # Lists a run fetches at once (TikTok Trends: one `resultsPerPage` per list).
    list_switches: tuple[str, ...] = field(default_factory=tuple)

    def validation_error(self, run_input: Any) -> str | None:
        """Apify's 400 message for an input its schema rejects, else None."""
        if not isinstance(run_input, dict):
            return "Input is not valid: input must be an object"
        for name in self.required:
            if name not in run_input:
                return f"Input is not valid: Field input.{name} is required"
        for name, value in run_input.items():
            rule = self.fields.get(name)
            if rule is None:
                continue  # unknown keys are ignored, as Apify does
            problem = _field_problem(rule, value)
            if problem:
                return f"Input is not valid: Field input.{name} {problem}"
        return None

    def unknown_keys(self, run_input: dict) -> list[str]:
        """Keys Apify would drop silently (a builder must never send one)."""
        return sorted(set(run_input) - set(self.fields))

    def requested_items(self, run_input: dict) -> int:
        """How many items this input asks the actor for, counting per-term limits per term."""
        limit = int(run_input.get(self.limit_field) or 0)
        rule = self.fields[self.limit_field]
        multiplier = 1
        if rule.per:
            multiplier = max(1, _entry_count(run_input.get(rule.per)))
        if self.list_switches:
            multiplier *= max(1, sum(1 for name in self.list_switches if run_input.get(name)))
        return limit * multiplier


def _entry_count(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, str):  # instagram-search-scraper: terms comma separated
        return len([part for part in value.split(",") if part.strip()])
    return 0


def _field_problem(rule: InputField, value: Any) -> str | None:
    kinds = rule.kind if isinstance(rule.kind, tuple) else (rule.kind,)
    # bool is an int in Python, not in JSON schema.
    if isinstance(value, bool) and bool not in kinds:
        return f"must be {_kind_name(kinds)}"
    if not isinstance(value, kinds):
        return f"must be {_kind_name(kinds)}"
    if rule.enum is not None and value not in rule.enum:
        return f"must be equal to one of the allowed values: {', '.join(map(repr, rule.enum))}"
    item_kind = rule.item_kind
    mixed = (
        isinstance(value, list)
        and item_kind is not None
        and not all(isinstance(v, item_kind) and not isinstance(v, bool) for v in value)
    )
    if mixed and item_kind is not None:
        return f"must contain only {_kind_name((item_kind,))} items"
    if isinstance(value, int) and not isinstance(value, bool):
        if rule.minimum is not None and value < rule.minimum:
            return f"must be >= {rule.minimum}"
        if rule.maximum is not None and value > rule.maximum:
            return f"must be <= {rule.maximum}"
    return None


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


_STR_LIST = InputField(list, item_kind=str)
_BOOL = InputField(bool)

CONTRACTS: dict[str, ActorContract] = {
    contract.actor: contract
    for contract in (
        ActorContract(
            actor="apify/instagram-hashtag-scraper",
            source="apify.md §3.1; apify.md §6.3 (resultsLimit per hashtag; no date input)",
            fields={
                "hashtags": InputField(list, item_kind=str, source="strings without #"),
                "resultsType": InputField(str, enum=("posts", "reels")),
                "resultsLimit": InputField(int, minimum=1, maximum=1000, per="hashtags"),
                "addParentData": _BOOL,
            },
            required=("hashtags",),
            limit_field="resultsLimit",
            item_fields=tuple(
                "id shortCode type url caption hashtags timestamp ownerUsername ownerFullName "
                "likesCount commentsCount videoViewCount videoPlayCount productType".split()
            ),
        ),
        ActorContract(
            actor="apify/instagram-reel-scraper",
            source="apify.md §3.3; apify.md §6.3 (username takes /reel/ URLs; paid transcripts)",
            fields={
                "username": _STR_LIST,
                "resultsLimit": InputField(int, minimum=1, per="username"),
                "onlyPostsNewerThan": InputField(str),
                "skipPinnedPosts": _BOOL,
                "includeTranscript": _BOOL,
                "includeSharesCount": _BOOL,
                "includeDownloadedVideo": _BOOL,
            },
            required=("username",),
            limit_field="resultsLimit",
            item_fields=tuple("shortCode url inputUrl transcript videoPlayCount".split()),
        ),
        ActorContract(
            actor="apify/instagram-search-scraper",
            source="apify.md §3.2; apify.md §6.3 (searchLimit <= 250 per term, GH id 70142991385)",
            fields={
                "search": InputField(str, source="terms comma separated, no special characters"),
                "searchType": InputField(str, enum=("user", "hashtag", "place", "popular")),
                "searchLimit": InputField(int, minimum=1, maximum=250, per="search"),
            },
            required=("search",),
            limit_field="searchLimit",
            item_fields=tuple(
                "id shortCode type url caption hashtags timestamp ownerUsername likesCount "
                "commentsCount videoViewCount".split()
            ),
        ),
        ActorContract(
            actor="clockworks/tiktok-scraper",
            source="apify.md §3.4; apify.md §6.3 (resultsPerPage per query; searchDatePosted)",
            fields={
                "searchQueries": _STR_LIST,
                "hashtags": _STR_LIST,
                "profiles": _STR_LIST,
                "resultsPerPage": InputField(int, minimum=1, per="searchQueries"),
                "searchSection": InputField(str, enum=("", "/video", "/user")),
                "searchSorting": InputField(str, enum=("0", "1", "3")),
                "searchDatePosted": InputField(str, enum=("0", "1", "2", "3", "4", "5")),
                "shouldDownloadVideos": _BOOL,
                "shouldDownloadCovers": _BOOL,
                "shouldDownloadSubtitles": _BOOL,
                "shouldDownloadSlideshowImages": _BOOL,
                "shouldDownloadAvatars": _BOOL,
                "shouldDownloadMusicCovers": _BOOL,
                "proxyCountryCode": InputField(str),
            },
            required=(),
            limit_field="resultsPerPage",
            item_fields=tuple(
                "id text textLanguage createTimeISO isAd authorMeta.name authorMeta.nickName "
                "authorMeta.fans musicMeta.musicId musicMeta.musicName webVideoUrl playCount "
                "diggCount shareCount commentCount collectCount hashtags".split()
            ),
        ),
        ActorContract(
            actor="clockworks/tiktok-trends-scraper",
            source="apify.md §3.5; apify.md §6.3 (industry filters hashtags only; countries)",
            fields={
                "adsScrapeHashtags": _BOOL,
                "adsScrapeSounds": _BOOL,
                "adsScrapeCreators": _BOOL,
                "adsScrapeVideos": _BOOL,
                "adsCountryCode": InputField(str, enum=tuple(sorted(TIKTOK_TREND_COUNTRIES))),
                "adsSoundsCountryCode": InputField(str, enum=tuple(sorted(TIKTOK_TREND_COUNTRIES))),
                "adsCreatorsCountryCode": InputField(str, enum=("US", "GB", "JP", "ID", "TH")),
                "adsVideosCountryCode": InputField(str, enum=("US", "JP", "ID", "TH", "VN")),
                "adsTimeRange": InputField(str, enum=("7", "30", "120")),
                "adsHashtagIndustry": InputField(str, enum=CREATIVE_CENTER_INDUSTRIES),
                "adsRankType": InputField(str, enum=("popular", "surging")),
                "adsNewOnBoard": _BOOL,
                "adsApprovedForBusinessUse": _BOOL,
                "resultsPerPage": InputField(int, minimum=1, maximum=500),
            },
            required=(),
            limit_field="resultsPerPage",
            list_switches=(
                "adsScrapeHashtags",
                "adsScrapeSounds",
                "adsScrapeCreators",
                "adsScrapeVideos",
            ),
            item_fields=tuple(
                "type id name url countryCode rank rankDiff markedAsNew isPromoted videoCount "
                "viewCount industryName author".split()
            ),
        ),
        ActorContract(
            actor="streamers/youtube-scraper",
            source="apify.md §3.6; apify.md §6.3 (maxResults per term; subtitles on request)",
            fields={
                "searchQueries": _STR_LIST,
                "maxResults": InputField(int, minimum=0, per="searchQueries"),
                "maxResultsShorts": InputField(int, minimum=0),
                "maxResultStreams": InputField(int, minimum=0),
                "sortingOrder": InputField(str, enum=("relevance", "rating", "date", "views")),
                "dateFilter": InputField(str, enum=("hour", "today", "week", "month", "year")),
                "downloadSubtitles": _BOOL,
                "subtitlesLanguage": InputField(str),
                "subtitlesFormat": InputField(str, enum=("srt", "vtt", "xml", "plaintext")),
                "preferAutoGeneratedSubtitles": _BOOL,
            },
            required=("searchQueries",),
            limit_field="maxResults",
            item_fields=tuple(
                "id title url text date viewCount likes commentsCount channelName channelUrl "
                "numberOfSubscribers duration subtitles hashtags".split()
            ),
        ),
        ActorContract(
            actor="harvestapi/linkedin-post-search",
            source="HarvestAPI/apify-linkedin-post-search @3e0cedd; apify.md §6.3 (maxPosts per query)",
            fields={
                "searchQueries": _STR_LIST,
                "maxPosts": InputField(int, minimum=1, per="searchQueries", source="0 = all"),
                "sortBy": InputField(str, enum=("relevance", "date")),
                "postedLimit": InputField(
                    str, enum=("any", "1h", "24h", "week", "month", "3months", "6months", "year")
                ),
                "scrapeComments": _BOOL,
                "scrapeReactions": _BOOL,
            },
            required=("searchQueries",),
            limit_field="maxPosts",
            item_fields=tuple(
                "id linkedinUrl content postedAt author.name author.publicIdentifier "
                "author.universalName author.type engagement".split()
            ),
        ),
    )
}


def contract_for(actor: str) -> ActorContract:
    return CONTRACTS[actor]
