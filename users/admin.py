from django.contrib import admin

from users.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "is_staff", "created_at"]
    search_fields = ["email"]
    # The Supabase link is made only with proof (users/linking.py), never by hand here.
    readonly_fields = [
        "id",
        "supabase_uid",
        "supabase_linked_at",
        "supabase_link_session",
        "created_at",
        "last_login",
    ]
    exclude = ["password", "groups", "user_permissions"]
