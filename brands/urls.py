from django.urls import path

from brands import views

app_name = "brands"

urlpatterns = [
    path("", views.brand_list, name="list"),
    path("new/", views.brand_new, name="new"),
    path("<uuid:brand_id>/", views.brand_home, name="home"),
]
