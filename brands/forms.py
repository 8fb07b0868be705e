from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import URLValidator

from brands.countries import COUNTRIES, LANGUAGES
from brands.handles import EXAMPLES, HandleError, NormalizedHandle, normalize_handle
from brands.industries import INDUSTRY_CHOICES
from brands.models import Platform


class BrandCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Brand name",
        help_text="The name your audience knows you by.",
        widget=forms.TextInput(attrs={"autofocus": True, "placeholder": "e.g. Goodie AI"}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give your brand a name.")
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
            raise forms.ValidationError("Null characters are not allowed.")
        items = split_list(value or "", split_on_spaces=self.hashtags)
        if self.hashtags:
            items = [item.lstrip("#").lower() for item in items if item.lstrip("#")]
        return items

    def validate(self, value: list[str]) -> None:
        plural = f"{self.item_name}s"
        if self.required and not value:
            raise forms.ValidationError(f"Add at least {self.min_items} {self.item_name}.")
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
    (debounced) as the user types and swaps only that field's error area."""

    def __init__(self, *args: Any, validate_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _without_maxlength(self)
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


class BasicsForm(LiveValidationForm):
    name = forms.CharField(
        label="Brand name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Optional. e.g. https://yourbrand.com",
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    industry = forms.ChoiceField(
        label="Industry",
        choices=[("", "Choose an industry…"), *INDUSTRY_CHOICES],
        help_text="Picks which TikTok trend categories Kairo watches for you.",
    )
    positioning = forms.CharField(
        label="Positioning",
        min_length=15,
        max_length=300,
        help_text="One or two sentences: what you do, for whom, and why you're different.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    audience = forms.CharField(
        label="Primary audience",
        max_length=200,
        help_text="Who you want to reach, e.g. “Heads of marketing at B2B startups”.",
    )
    country = forms.ChoiceField(
        label="Main country",
        choices=[("", "Choose a country…"), *COUNTRIES],
        help_text="Trends and searches are localized to this market.",
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    language = forms.ChoiceField(
        label="Content language", choices=LANGUAGES, initial="en", help_text="What you post in."
    )

    error_messages_for = {
        "name": "Give your brand a name.",
        "industry": "Choose the industry closest to yours (or “Other”).",
        "positioning": "Describe what you do in a sentence or two.",
        "audience": "Say who you want to reach.",
        "country": "Choose your main country.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in self.error_messages_for.items():
            self.fields[name].error_messages["required"] = message
        self.fields["positioning"].error_messages["min_length"] = (
            "A bit more, please: at least %(limit_value)d characters (you have %(show_value)d)."
        )

    def clean_positioning(self) -> str:
        return " ".join(self.cleaned_data["positioning"].split())


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
        min_items=2,
        max_items=6,
        help_text=f"2–6 themes you always come back to, e.g. “AI search visibility”. {LIST_HELP}",
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
        min_items=1,
        max_items=15,
        max_item_length=50,
        hashtags=True,
        help_text="With or without #, separated by spaces, commas or lines.",
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

    def clean_tone(self) -> str:
        return " ".join(self.cleaned_data["tone"].split())


STEP_FORMS: dict[str, type[LiveValidationForm]] = {
    "basics": BasicsForm,
    "sources": SourcesForm,
    "details": DetailsForm,
}
