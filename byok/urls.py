from django.urls import path

from byok import api, model_views, views

app_name = "byok"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/keys/<str:provider>/test/", views.connection_test, name="test"),
    path("settings/keys/<str:provider>/remove/", views.remove_key, name="remove"),
    path("settings/model/", model_views.model_panel, name="model"),
    path("settings/model/refresh/", model_views.refresh_models, name="model-refresh"),
    path("api/user/api-keys/", api.api_keys, name="api-keys"),
    path("api/user/api-keys/validate/", api.validate_api_key, name="api-keys-validate"),
]
