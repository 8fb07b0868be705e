from django.contrib import admin

from users.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "is_staff", "created_at"]
    search_fields = ["email"]
    readonly_fields = ["id", "supabase_uid", "created_at", "last_login"]
    exclude = ["password", "groups", "user_permissions"]
