from __future__ import annotations

from django.contrib import admin

from opportunities.models import OpportunitiesJob, Opportunity, OpportunityEvidence


@admin.register(OpportunitiesJob)
class OpportunitiesJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by the runner; editing one by hand would confuse it."""

    list_display = (
        "brand",
        "user",
        "status",
        "stage",
        "evidence_count",
        "opportunity_count",
        "attempts",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "stage")
    search_fields = ("brand__name", "user__email", "error_code")
    list_select_related = ("brand", "user")
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CitationInline(admin.TabularInline):
    model = OpportunityEvidence
    raw_id_fields = ("evidence",)
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "brand", "rank", "platform", "format", "score", "created_at")
    list_filter = ("platform", "format")
    search_fields = ("title", "brand__name", "pillar")
    list_select_related = ("brand",)
    raw_id_fields = ("brand", "job")
    inlines = (CitationInline,)
