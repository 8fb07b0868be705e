from django.urls import path

from opportunities import history_views, views

app_name = "opportunities"

urlpatterns = [
    path("today/", views.go_to_today, name="go_to_today"),
    path("<uuid:brand_id>/today/", views.today, name="today"),
    path("<uuid:brand_id>/regenerate/", views.regenerate, name="regenerate"),
    path(
        "<uuid:brand_id>/jobs/<uuid:job_id>/progress/",
        views.job_progress_panel,
        name="job_progress",
    ),
    path("<uuid:brand_id>/boards/", history_views.board_history, name="board_history"),
    path("<uuid:brand_id>/boards/<uuid:job_id>/", history_views.board_detail, name="board_detail"),
]
