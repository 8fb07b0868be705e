from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from workspace.models import CalendarFeed, FeedbackChange, IdeaFeedback


@admin.register(IdeaFeedback)
class IdeaFeedbackAdmin(admin.ModelAdmin):
    """Read-only: feedback is the marketer's; support looks, never edits."""

    list_display = ("title", "brand", "state", "planned_for", "reason", "decided_at")
    list_filter = ("state", "reason")
    search_fields = ("title", "brand__name")
    list_select_related = ("brand",)
    readonly_fields = [f.name for f in IdeaFeedback._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(FeedbackChange)
class FeedbackChangeAdmin(admin.ModelAdmin):
    list_display = ("feedback", "created_at", "undone_at")
    list_select_related = ("feedback",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Shows which brands have a feed, never its secret token."""

    list_display = ("brand", "created_at", "rotated_at")
    exclude = ("token",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
