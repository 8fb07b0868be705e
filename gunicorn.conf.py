"""gunicorn settings read automatically from the working directory (Procfile `web`).

Each worker process starts its own job runner after the fork — never in the master,
so threads and database connections are not shared across processes. Each worker
also refuses to boot (which stops gunicorn) when several workers would each keep a
per-process cache (kairo/cache_check.py). The access log masks secrets in URLs
(kairo/access_log.py): email links carry one-time tokens in their query.
"""

import os

accesslog = "-"
errorlog = "-"
logger_class = "kairo.access_log.RedactingLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
graceful_timeout = 30
# Longer than the proxy's idle timeout, so the proxy, not gunicorn, closes idle
# keep-alive connections (no request races a close).
keepalive = 75
timeout = 60
# Only X-Forwarded-Proto (HTTPS behind the proxy) is taken from these; the client
# address for rate limits is users/ratelimit.py's (TRUSTED_PROXY_COUNT), never this.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")


def post_fork(server, worker):
    os.environ["KAIRO_GUNICORN_WORKER"] = "1"


def post_worker_init(worker):
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from kairo.cache_check import per_process_cache_problem

    problem = per_process_cache_problem(
        debug=settings.DEBUG,
        backend=settings.CACHES["default"]["BACKEND"],
        workers=worker.cfg.workers,
    )
    if problem:
        raise ImproperlyConfigured(problem)  # before boot: gunicorn halts altogether
    if settings.JOB_RUNNER_AUTOSTART:
        from opportunities.pipeline import run_job
        from opportunities.runner import start_runner

        start_runner(run_job)


def worker_exit(server, worker):
    from opportunities.runner import stop_runner

    stop_runner(grace_seconds=20)
