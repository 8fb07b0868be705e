"""`{% last_run brand %}`: on a brand list card, when the brand's board last ran, how it
went, and a link to its Today board (a tag of this app because the brands app, below it,
can't read jobs: dependencies point one way)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from brands.models import Brand
from kairo.wording import plural, time_ago
from opportunities.models import ACTIVE_STATUSES, JobStatus, OpportunitiesJob

register = template.Library()


def run_result(job: OpportunitiesJob) -> str:
    """ "8 ideas", "5 ideas, some sources failed", "Failed", "Running now"."""
    if job.status in ACTIVE_STATUSES:
        return "Running now"
    if job.status == JobStatus.FAILED:
        return "Failed"
    ideas = plural(job.opportunity_count, "idea")  # written with the board: no query
    return f"{ideas}, some sources failed" if job.status == JobStatus.PARTIAL else ideas


@register.inclusion_tag("opportunities/partials/brand_card_run.html")
def last_run(brand: Brand) -> dict[str, object]:
    job = OpportunitiesJob.objects.filter(brand=brand).order_by("-created_at").first()
    if job is None:
        return {"brand": brand, "job": None}
    return {
        "brand": brand,
        "job": job,
        "when": time_ago(job.finished_at or job.created_at, timezone.now()),
        "result": run_result(job),
        "failed": job.status == JobStatus.FAILED,
    }
