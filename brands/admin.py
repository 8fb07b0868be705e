from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from brands.models import Brand, BrandBrainSnapshot, OnboardingAnswers, SourceConnection


class SourceConnectionInline(admin.TabularInline):
    model = SourceConnection
    extra = 0


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name", "owner__email"]
    inlines = [SourceConnectionInline]


@admin.register(OnboardingAnswers)
class OnboardingAnswersAdmin(admin.ModelAdmin):
    list_display = ["brand", "industry", "country", "details_completed_at", "updated_at"]
    search_fields = ["brand__name"]
    raw_id_fields = ["brand"]


@admin.register(BrandBrainSnapshot)
class BrandBrainSnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are immutable; compiling makes a new version."""

    list_display = ["brand", "version", "created_at"]
    search_fields = ["brand__name"]
    readonly_fields = ["brand", "version", "data", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
