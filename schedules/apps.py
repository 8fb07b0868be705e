from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = "Daily schedules and digests"
    default_auto_field = "django.db.models.BigAutoField"
