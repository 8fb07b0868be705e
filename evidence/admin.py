from django.contrib import admin

from evidence.models import EvidenceItem


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    list_display = [
        "platform",
        "kind",
        "recipe_id",
        "author_handle",
        "published_at",
        "brand",
        "job_id",
    ]
    list_filter = ["platform", "kind", "recipe_id"]
    search_fields = ["external_id", "author_handle", "text", "brand__name", "job_id"]
    raw_id_fields = ["brand"]
    readonly_fields = ["created_at"]
    date_hierarchy = "published_at"
