"""The schedule form on the brand page: on/off, local time, time zone, days, emails."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from schedules.models import DEFAULT_LOCAL_TIME, BrandSchedule, Days
from schedules.scheduler import ScheduleChoice
from schedules.slots import is_known_time_zone, time_zone_choices


class ScheduleForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Refresh the board every morning")
    local_time = forms.TimeField(
        label="Time",
        initial=DEFAULT_LOCAL_TIME,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time", "step": "60"}, format="%H:%M"),
        error_messages={
            "required": "Enter a time, like 07:00.",
            "invalid": "Enter a time like 07:00 (24-hour, hours and minutes).",
        },
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Where that time is. Preset from your browser; change it if you travel.",
        error_messages={
            "required": "Pick a time zone.",
            "invalid_choice": "Pick a time zone from the list.",
        },
    )
    days = forms.ChoiceField(
        label="Days",
        choices=Days.choices,
        initial=Days.EVERY_DAY,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose every day or weekdays."},
    )
    emails_enabled = forms.BooleanField(
        required=False,
        initial=True,
        label="Email me a digest after each scheduled refresh",
        help_text="The top 3 ideas, what changed and what the run cost. One-click unsubscribe.",
    )

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = self.fields["time_zone"]
        assert isinstance(zones, forms.ChoiceField)
        zones.choices = time_zone_choices(now or timezone.now())

    def clean_time_zone(self) -> str:
        name = str(self.cleaned_data["time_zone"])
        if not is_known_time_zone(name):  # ChoiceField checked already; the rule is here
            raise forms.ValidationError("Pick a time zone from the list.")
        return name

    def clean_local_time(self) -> time:
        value: time = self.cleaned_data["local_time"]
        return value.replace(second=0, microsecond=0)

    def choice(self) -> ScheduleChoice:
        data = self.cleaned_data
        return ScheduleChoice(
            enabled=data["enabled"],
            local_time=data["local_time"],
            time_zone=data["time_zone"],
            days=data["days"],
            emails_enabled=data["emails_enabled"],
        )

    @classmethod
    def for_schedule(cls, schedule: BrandSchedule) -> ScheduleForm:
        return cls(
            initial={
                "enabled": schedule.enabled,
                "local_time": schedule.local_time,
                "time_zone": schedule.time_zone,
                "days": schedule.days,
                "emails_enabled": schedule.emails_enabled,
            }
        )
