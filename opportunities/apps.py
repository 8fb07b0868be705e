import os
import sys

from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `make run` (runserver): start the in-process runner in the autoreloader's child
        # only. gunicorn starts it in post_worker_init (gunicorn.conf.py); migrate, test
        # and every other command never start one.
        from django.conf import settings

        if (
            settings.JOB_RUNNER_AUTOSTART
            and len(sys.argv) > 1
            and sys.argv[1] == "runserver"
            and os.environ.get("RUN_MAIN") == "true"
        ):
            from opportunities.pipeline import run_job
            from opportunities.runner import start_runner

            start_runner(run_job)
