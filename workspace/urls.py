from django.urls import path

from workspace import api, views

app_name = "workspace"

urlpatterns = [
    path("brands/<uuid:brand_id>/plan/", views.plan_page, name="plan"),
    path("brands/<uuid:brand_id>/plan.csv", views.plan_export_csv, name="plan_csv"),
    path("brands/<uuid:brand_id>/plan/feed/", views.calendar_feed_settings, name="feed_settings"),
    path(
        "brands/<uuid:brand_id>/ideas/<uuid:opportunity_id>/feedback/",
        views.idea_feedback,
        name="feedback",
    ),
    path(
        "brands/<uuid:brand_id>/ideas/<uuid:opportunity_id>/brief.md",
        views.idea_brief,
        name="brief",
    ),
    path(
        "brands/<uuid:brand_id>/feedback/<uuid:change_id>/undo/",
        views.undo_feedback,
        name="undo",
    ),
    path("calendar/<str:feed_token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "api/brands/<uuid:brand_id>/opportunities/",
        api.board_opportunities,
        name="api-opportunities",
    ),
    path(
        "api/brands/<uuid:brand_id>/opportunities/<uuid:opportunity_id>/feedback/",
        api.opportunity_feedback,
        name="api-feedback",
    ),
]
