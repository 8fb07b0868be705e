from django.urls import include, path

from users import password_reset, supabase_views, views

app_name = "users"

urlpatterns = [
    path("login", views.login_view, name="login"),
    path("signup", views.signup_view, name="signup"),
    path("logout", views.logout_view, name="logout"),
    path("password-reset/", include(password_reset.urlpatterns)),
    path("auth/", include(supabase_views.urlpatterns)),
]
