from django.urls import path

from brands import views

app_name = "brands"

urlpatterns = [
    path("", views.brand_list, name="list"),
    path("new/", views.brand_new, name="new"),
    path("<uuid:brand_id>/", views.brand_home, name="home"),
    path(
        "<uuid:brand_id>/snapshots/<int:version>/",
        views.snapshot_detail,
        name="snapshot_detail",
    ),
    path("<uuid:brand_id>/onboarding/", views.onboarding_entry, name="onboarding"),
    path(
        "<uuid:brand_id>/onboarding/<slug:step>/",
        views.onboarding_step,
        name="onboarding_step",
    ),
    path(
        "<uuid:brand_id>/onboarding/<slug:step>/validate/",
        views.onboarding_validate,
        name="onboarding_validate",
    ),
    path(
        "<uuid:brand_id>/onboarding/basics/from-website/",
        views.onboarding_from_website,
        name="onboarding_from_website",
    ),
]
