from django.urls import path

from byok import api, views

app_name = "byok"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/keys/<str:provider>/test/", views.connection_test, name="test"),
    path("settings/keys/<str:provider>/remove/", views.remove_key, name="remove"),
    path("api/user/api-keys/", api.api_keys, name="api-keys"),
    path("api/user/api-keys/validate/", api.validate_api_key, name="api-keys-validate"),
]
