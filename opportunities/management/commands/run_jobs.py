"""`python manage.py run_jobs`: the job runner as its own process (Procfile `worker`).

Runs the same loop as the in-process runner. SIGTERM/SIGINT stop claiming, let jobs in
hand finish within --grace seconds, and release the rest to the queue.
"""

from __future__ import annotations

import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandParser

from opportunities.pipeline import run_job
from opportunities.runner import Runner


class Command(BaseCommand):
    help = "Run regeneration jobs from the database queue until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--threads", type=int, default=None, help="Jobs run at once.")
        parser.add_argument("--grace", type=float, default=25.0, help="Seconds to finish on stop.")
        parser.add_argument("--name", default=None, help="Worker id prefix (default host:pid).")

    def handle(
        self, *args: object, threads: int | None, grace: float, name: str | None, **options: object
    ) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        runner = Runner(run_job, threads=threads, worker_name=name).start()
        self.stdout.write(f"run_jobs: worker {runner.worker_id} with {runner.threads} threads")
        self.stdout.flush()
        while not stop.wait(1.0):
            pass
        self.stdout.write("run_jobs: stopping (finishing or releasing jobs in hand)")
        runner.stop(grace_seconds=grace)
        self.stdout.write(f"run_jobs: stopped after {runner.jobs_run} jobs")
        self.stdout.flush()
        # Jobs still running after the grace period were released to the queue; don't
        # let their abandoned threads hold the process open.
        os._exit(0)
