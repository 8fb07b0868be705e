from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import URLValidator

from brands.countries import COUNTRIES, DEFAULT_COUNTRY, DEFAULT_LANGUAGE, LANGUAGES
from brands.handles import EXAMPLES, HandleError, NormalizedHandle, normalize_handle
from brands.industries import INDUSTRY_CHOICES
from brands.models import Platform
from kairo.forms import NULL_CHARACTERS, plain_messages

BRAND_NAME_REQUIRED = "Give your brand a name."


class BrandCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Brand name",
        help_text="The name your audience knows you by.",
        widget=forms.TextInput(attrs={"autofocus": True, "placeholder": "e.g. Goodie AI"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_messages(self, {"name": BRAND_NAME_REQUIRED})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(BRAND_NAME_REQUIRED)
        return name


def split_list(text: str, *, split_on_spaces: bool = False) -> list[str]:
    """Items typed one per line or comma-separated, trimmed, blanks dropped."""
    separators = r"[\n,\s]+" if split_on_spaces else r"[\n,]+"
    return [" ".join(item.split()) for item in re.split(separators, text or "") if item.strip()]


def duplicate_key(item: str) -> str:
    """Two items are the same if they differ only in case, spacing or a leading #."""
    return " ".join(item.lstrip("#").split()).casefold()


class ListField(forms.Field):
    """A textarea holding a list; validates count, item length and duplicates."""

    widget = forms.Textarea(attrs={"rows": 3})
    max_text_length = 4000

    def __init__(
        self,
        *,
        item_name: str,
        min_items: int = 0,
        max_items: int = 10,
        max_item_length: int = 60,
        hashtags: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", min_items > 0)
        super().__init__(**kwargs)
        self.item_name = item_name
        self.min_items = min_items
        self.max_items = max_items
        self.max_item_length = max_item_length
        self.hashtags = hashtags

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"#{v}" if self.hashtags else v for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        if value and len(value) > self.max_text_length:
            raise forms.ValidationError(f"That's too much text (max {self.max_text_length}).")
        if value and "\x00" in value:  # as Django's CharField; PostgreSQL can't store them
            raise forms.ValidationError(NULL_CHARACTERS)
        items = split_list(value or "", split_on_spaces=self.hashtags)
        if self.hashtags:
            items = [item.lstrip("#").lower() for item in items if item.lstrip("#")]
        return items

    def preview(self, value: list[str]) -> str:
        """How the items will be saved, shown as the user types ("#latte art" → #latte #art)."""
        return " ".join(f"#{v}" for v in value) if self.hashtags else " · ".join(value)

    def validate(self, value: list[str]) -> None:
        plural = f"{self.item_name}s"
        if self.required and not value:
            raise forms.ValidationError(
                f"Add at least one {self.item_name}."
                if self.min_items == 1
                else f"Add at least {self.min_items} {plural}."
            )
        errors: list[str] = []
        if value and len(value) < self.min_items:
            errors.append(f"Add at least {self.min_items} {plural} (you have {len(value)}).")
        if len(value) > self.max_items:
            errors.append(f"Keep it to {self.max_items} {plural} at most (you have {len(value)}).")
        for item in value:
            if len(item) > self.max_item_length:
                errors.append(
                    f"“{item[:30]}…” is too long: keep each {self.item_name} "
                    f"under {self.max_item_length} characters."
                )
            elif self.hashtags and not re.fullmatch(r"\w+", item):
                errors.append(
                    f"“#{item}” isn't a hashtag: use letters, numbers and underscores only."
                )
        seen: set[str] = set()
        for item in value:
            key = duplicate_key(item)
            if key in seen:
                errors.append(f"“{item}” is listed twice.")
            seen.add(key)
        if errors:
            raise forms.ValidationError(errors)


def _without_maxlength(form: forms.Form) -> None:
    """Over-long input gets a message next to the field instead of being silently
    truncated by the browser's maxlength on paste."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class LiveValidationForm(forms.Form):
    """Wires every field to the step's validation endpoint: HTMX posts the form
    (debounced) as the user types and swaps only that field's error area.

    The endpoint and a submit bind the same form, so they say the same thing: a field's
    errors (in Kairo's words, see kairo/forms.py), else how its value will be saved
    (`saved_as`); the step's `warnings()` (allowed, but worth a second look) are shown
    once, under the form.
    """

    required_messages: dict[str, str] = {}
    # Fields whose live feedback also refreshes the step's warnings.
    warning_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, validate_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _without_maxlength(self)
        plain_messages(self, self.required_messages)
        # Every step starts with the cursor in its first field (keyboard users included).
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.widget.attrs.setdefault("autofocus", True)
        if not validate_url:
            return
        for name, field in self.fields.items():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.update(
                {
                    "hx-post": f"{validate_url}?field={name}",
                    "hx-trigger": "change" if is_select else "input changed delay:400ms",
                    "hx-target": f"#{str(self.auto_id) % self.add_prefix(name)}_errors",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )

    def saved_as(self, name: str) -> str:
        """How a valid field's value will be saved, when that differs from what was typed."""
        value = self.cleaned_data.get(name)
        field = self.fields[name]
        if isinstance(value, NormalizedHandle):
            return value.display
        if isinstance(field, ListField) and value and (field.hashtags or len(value) > 1):
            return field.preview(value)  # shows how the text was split (and tags tidied)
        return ""

    def warnings(self) -> list[str]:
        return []


class WebsiteField(forms.URLField):
    """http(s) only. Replacing (not adding to) URLField's validator keeps a bad address
    to one message instead of one per validator."""

    default_validators = [URLValidator(schemes=["http", "https"])]


# Required is only what the pipeline needs (docs/design.md, "Onboarding"): the name and
# the market here, pillars and keywords on Details. Everything else sharpens the brief.
class BasicsForm(LiveValidationForm):
    name = forms.CharField(
        label="Brand name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    website = WebsiteField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Optional. e.g. https://yourbrand.com",
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    industry = forms.ChoiceField(
        label="Industry",
        required=False,
        choices=[("", "Choose an industry…"), *INDUSTRY_CHOICES],
        help_text="Optional. Picks which TikTok trend categories Kairo watches for you.",
    )
    positioning = forms.CharField(
        label="Positioning",
        required=False,
        max_length=300,
        help_text="Recommended. One or two sentences: what you do, for whom, and why "
        "you're different. Every idea is written from this.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    audience = forms.CharField(
        label="Primary audience",
        required=False,
        max_length=200,
        help_text="Optional. Who you want to reach, e.g. “Heads of marketing at B2B startups”.",
    )
    country = forms.ChoiceField(
        label="Main country",
        choices=COUNTRIES,
        initial=DEFAULT_COUNTRY,
        help_text="Trends and searches are localized to this market.",
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    language = forms.ChoiceField(
        label="Content language",
        choices=LANGUAGES,
        initial=DEFAULT_LANGUAGE,
        help_text="What you post in.",
    )

    required_messages = {
        "name": BRAND_NAME_REQUIRED,
        "country": "Choose your main country.",
        "language": "Choose the language you post in.",
    }

    def clean_positioning(self) -> str:
        return " ".join(self.cleaned_data["positioning"].split())

    def clean_audience(self) -> str:
        return " ".join(self.cleaned_data["audience"].split())


SOURCE_HELP = {
    Platform.INSTAGRAM: "Kairo learns from what already works on your feed and reels.",
    Platform.TIKTOK: "Lets Kairo compare TikTok trends with the videos you already make.",
    Platform.YOUTUBE: "Your videos tell Kairo which long-form topics land with your audience.",
    Platform.LINKEDIN: "Your company or founder page shows Kairo your B2B voice and topics.",
}


class SourcesForm(LiveValidationForm):
    instagram = forms.CharField(required=False, max_length=200, label="Instagram")
    tiktok = forms.CharField(required=False, max_length=200, label="TikTok")
    youtube = forms.CharField(required=False, max_length=200, label="YouTube")
    linkedin = forms.CharField(required=False, max_length=200, label="LinkedIn")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for platform in Platform:
            field = self.fields[platform.value]
            field.help_text = f"e.g. {EXAMPLES[platform]}. {SOURCE_HELP[platform]}"
            field.widget.attrs.update(
                {"placeholder": EXAMPLES[platform].split(" or ")[0], "autocapitalize": "off"}
            )
            field.widget.attrs["spellcheck"] = "false"

    def _clean_handle(self, platform: str) -> NormalizedHandle | None:
        # Handles get their own messages (brands/handles.py), never "Enter a valid …".
        raw = self.cleaned_data.get(platform, "")
        if not raw:
            return None
        try:
            return normalize_handle(platform, raw)
        except HandleError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_instagram(self) -> NormalizedHandle | None:
        return self._clean_handle(Platform.INSTAGRAM)

    def clean_tiktok(self) -> NormalizedHandle | None:
        return self._clean_handle(Platform.TIKTOK)

    def clean_youtube(self) -> NormalizedHandle | None:
        return self._clean_handle(Platform.YOUTUBE)

    def clean_linkedin(self) -> NormalizedHandle | None:
        return self._clean_handle(Platform.LINKEDIN)


LIST_HELP = "One per line, or separated by commas."


class DetailsForm(LiveValidationForm):
    pillars = ListField(
        label="Content pillars",
        item_name="pillar",
        min_items=1,
        max_items=6,
        help_text=f"1–6 themes you always come back to, e.g. “AI search visibility”. "
        f"Every idea is filed under one. {LIST_HELP}",
    )
    keywords = ListField(
        label="Keywords to watch",
        item_name="keyword",
        min_items=1,
        max_items=15,
        help_text=f"What your audience searches for. Kairo searches every platform for these. {LIST_HELP}",
    )
    hashtags = ListField(
        label="Hashtags to watch",
        item_name="hashtag",
        required=False,
        max_items=15,
        max_item_length=50,
        hashtags=True,
        help_text="Optional (Kairo uses your keywords otherwise). With or without #, "
        "separated by spaces, commas or lines.",
    )
    competitors = ListField(
        label="Competitors",
        item_name="competitor",
        required=False,
        max_items=10,
        max_item_length=100,
        help_text=f"Optional. Brands you're compared with. {LIST_HELP}",
    )
    tone = forms.CharField(
        label="Tone of voice",
        required=False,
        max_length=200,
        help_text="Optional. e.g. “Confident, plain-spoken, a little playful”.",
    )
    avoid = ListField(
        label="Topics to avoid",
        item_name="topic",
        required=False,
        max_items=20,
        help_text=f"Optional. Kairo won't suggest these. {LIST_HELP}",
    )

    warning_fields = ("pillars", "avoid")

    def clean_tone(self) -> str:
        return " ".join(self.cleaned_data["tone"].split())

    def warnings(self) -> list[str]:
        answers: Mapping[str, Any] = self.initial
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps every field that is valid
            answers = self.cleaned_data
        return avoid_conflicts(answers.get("pillars") or [], answers.get("avoid") or [])


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", duplicate_key(text)))


def avoid_conflicts(pillars: list[str], avoid: list[str]) -> list[str]:
    """A topic to avoid that is, or is part of, a pillar (or the other way round) would
    hold back that pillar's ideas: allowed, but worth saying."""
    found = []
    for topic in avoid:
        for pillar in pillars:
            a, b = f" {_words(topic)} ", f" {_words(pillar)} "
            if a.strip() and b.strip() and (a in b or b in a):
                found.append(
                    f"“{topic}” is a topic to avoid, but it matches your pillar “{pillar}”: "
                    "Kairo would hold back ideas for that pillar. Remove it from one of the lists."
                )
                break
    return found


STEP_FORMS: dict[str, type[LiveValidationForm]] = {
    "basics": BasicsForm,
    "sources": SourcesForm,
    "details": DetailsForm,
}
