"""The job runner: a small thread pool that claims regeneration jobs from the database.

One runner lives in each web process (started by gunicorn's `post_worker_init`, or by
`runserver`; never in `migrate`, `test` or other commands), and `manage.py run_jobs`
runs the same loop as a separate worker for scale-out. What a job does is handed in
(`run_job`, the pipeline's, by whoever starts the runner): the runner knows the queue,
not the pipeline, so enqueueing (opportunities/services.py) can wake it without an
import cycle. Shape after healthchecks'
`sendalerts` plus Procrastinate's leases: claim → lease → heartbeat → finish, and any
runner requeues jobs whose lease expired because their worker died.

The loop also runs the periodic tasks named in `JOB_RUNNER_PERIODIC_TASKS` (dotted
paths, so this app imports nothing above it) every `JOB_RUNNER_PERIODIC_SECONDS`, and
once at start: that is how every process enqueues due daily schedules (schedules/tick.py)
without a separate scheduler process. Each task must be safe to run in many processes
at once; a failing task is logged and never stops the claiming of jobs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

from opportunities import costs, jobs

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5  # other processes' enqueues are noticed within this
RECLAIM_EVERY_SECONDS = 5.0


JobFunction = Callable[[UUID, str], None]  # (job id, worker id): opportunities.pipeline.run_job


class Runner:
    def __init__(
        self, run_job: JobFunction, threads: int | None = None, worker_name: str | None = None
    ) -> None:
        self.run_job = run_job
        self.threads = threads or settings.JOB_RUNNER_THREADS
        self.worker_id = (
            worker_name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        )
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._in_hand: set[UUID] = set()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="kairo-job")
        self._loop_thread: threading.Thread | None = None
        self._heartbeat_thread: threading.Thread | None = None
        self.jobs_run = 0

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> Runner:
        self._loop_thread = threading.Thread(target=self._loop, name="kairo-runner", daemon=True)
        self._heartbeat_thread = threading.Thread(
            target=self._heartbeat, name="kairo-heartbeat", daemon=True
        )
        self._loop_thread.start()
        self._heartbeat_thread.start()
        logger.info("job runner %s started with %s threads", self.worker_id, self.threads)
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, grace_seconds: float = 25.0) -> None:
        """Stop claiming; let jobs in hand finish within the grace period, then release
        the rest to the queue so another worker picks them up (nothing is lost)."""
        self._stopping.set()
        self._wake.set()
        if self._loop_thread:
            self._loop_thread.join(timeout=5)
        deadline = threading.Event()
        timer = threading.Timer(grace_seconds, deadline.set)
        timer.start()
        while self._in_hand_snapshot() and not deadline.is_set():
            deadline.wait(0.1)
        timer.cancel()
        for job_id in self._in_hand_snapshot():
            if jobs.release_job(job_id, self.worker_id):
                logger.info("released job %s back to the queue on shutdown", job_id)
        self._executor.shutdown(wait=False, cancel_futures=True)
        close_old_connections()

    # --- loops -----------------------------------------------------------------------
    def _in_hand_snapshot(self) -> list[UUID]:
        with self._lock:
            return list(self._in_hand)

    def _has_capacity(self) -> bool:
        with self._lock:
            return len(self._in_hand) < self.threads

    def _loop(self) -> None:
        since_reclaim = RECLAIM_EVERY_SECONDS
        since_periodic = settings.JOB_RUNNER_PERIODIC_SECONDS  # run them once at start
        while not self._stopping.is_set():
            if since_periodic >= settings.JOB_RUNNER_PERIODIC_SECONDS:
                run_periodic_tasks()
                since_periodic = 0.0
            try:
                if since_reclaim >= RECLAIM_EVERY_SECONDS:
                    jobs.reclaim_expired_jobs()
                    since_reclaim = 0.0
                    # Costs are due ~10 s after a run; every 5 s is soon enough, and
                    # keeps a query off each half-second tick.
                    costs.settle_due_costs()
                while self._has_capacity() and not self._stopping.is_set():
                    job_id = jobs.claim_next_job(self.worker_id)
                    if job_id is None:
                        break
                    with self._lock:
                        self._in_hand.add(job_id)
                    self._executor.submit(self._run, job_id)
            except Exception:
                logger.exception("job runner loop error; retrying")
                connection.close()  # a broken connection (database restarted) is reopened
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            since_reclaim += POLL_SECONDS
            since_periodic += POLL_SECONDS
        connection.close()

    def _heartbeat(self) -> None:
        interval = max(0.5, settings.JOB_LEASE_SECONDS / 3)
        while not self._stopping.wait(interval):
            try:
                jobs.renew_leases(self.worker_id, self._in_hand_snapshot())
            except Exception:
                logger.exception("heartbeat failed; retrying")
                connection.close()
        connection.close()

    def _run(self, job_id: UUID) -> None:
        try:
            self.run_job(job_id, self.worker_id)
        except Exception:
            logger.exception("job %s crashed outside the pipeline's own handling", job_id)
        finally:
            with self._lock:
                self._in_hand.discard(job_id)
                self.jobs_run += 1
            connection.close()  # each job thread's connection is closed after each job
            self._wake.set()


def periodic_tasks() -> list[Callable[[], object]]:
    return [import_string(path) for path in settings.JOB_RUNNER_PERIODIC_TASKS]


def run_periodic_tasks() -> None:
    """Run each periodic task once; one failing (database restarting, SMTP down) is
    logged and the others, and the job claims after them, still run."""
    for task in periodic_tasks():
        try:
            task()
        except Exception:
            logger.exception("periodic task %s failed; it runs again next time", task)
            connection.close()


_runner: Runner | None = None
_runner_lock = threading.Lock()


def start_runner(run_job: JobFunction, threads: int | None = None) -> Runner:
    """Start this process's runner once (idempotent)."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = Runner(run_job, threads=threads).start()
        return _runner


def current_runner() -> Runner | None:
    return _runner


def wake_runner() -> None:
    """An enqueue in this process wakes its runner at once."""
    if _runner is not None:
        _runner.wake()


def stop_runner(grace_seconds: float = 25.0) -> None:
    global _runner
    with _runner_lock:
        if _runner is not None:
            _runner.stop(grace_seconds)
            _runner = None
