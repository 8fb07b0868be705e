from django.urls import path

from schedules import views

app_name = "schedules"

urlpatterns = [
    path("brands/<uuid:brand_id>/schedule/", views.schedule_settings, name="schedule"),
    path("brands/<uuid:brand_id>/digest/", views.digest_preview, name="digest_preview"),
    path(
        "brands/<uuid:brand_id>/digest/email.html",
        views.digest_email_html,
        name="digest_email",
    ),
    path(
        "brands/<uuid:brand_id>/digest/send/",
        views.send_digest_preview,
        name="send_digest_preview",
    ),
    path("unsubscribe/<str:unsubscribe_token>/", views.unsubscribe, name="unsubscribe"),
]
