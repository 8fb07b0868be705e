from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from schedules.models import BrandSchedule, ScheduledRun


@admin.register(BrandSchedule)
class BrandScheduleAdmin(admin.ModelAdmin):
    list_display = ("brand", "enabled", "local_time", "time_zone", "days", "next_run_at")
    list_filter = ("enabled", "days", "emails_enabled")
    search_fields = ("brand__name", "brand__owner__email")
    list_select_related = ("brand",)
    readonly_fields = ("next_run_at",)


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """Read-only: the scheduler writes these; they are the record of each slot."""

    list_display = ("brand", "slot_at", "claimed_at", "outcome", "reason_code", "email_state")
    list_filter = ("outcome", "email_state", "reason_code")
    search_fields = ("brand__name",)
    list_select_related = ("brand",)
    date_hierarchy = "slot_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
