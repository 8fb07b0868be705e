"""gunicorn settings read automatically from the working directory (Procfile `web`).

Each worker process starts its own job runner after the fork — never in the master,
so threads and database connections are not shared across processes.
"""

import os

accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
graceful_timeout = 30
# Longer than the proxy's idle timeout, so the proxy, not gunicorn, closes idle
# keep-alive connections (no request races a close).
keepalive = 75
timeout = 60
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")


def post_fork(server, worker):
    os.environ["KAIRO_GUNICORN_WORKER"] = "1"


def post_worker_init(worker):
    from django.conf import settings

    if settings.JOB_RUNNER_AUTOSTART:
        from opportunities.runner import start_runner

        start_runner()


def worker_exit(server, worker):
    from opportunities.runner import stop_runner

    stop_runner(grace_seconds=20)
