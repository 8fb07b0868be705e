"""A private, throw-away PostgreSQL cluster for fault tests.

The shared server on 127.0.0.1:5432 is never touched: these tests stop and restart
their own cluster (initdb in a temporary directory, a free port, trust auth, fsync off).
As root the server runs as the `postgres` user through runuser, as PostgreSQL requires.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

import psycopg

from tests.faults.processes import free_port


def postgres_bin_dir() -> Path | None:
    """The server binaries (initdb, pg_ctl): PATH first, else the newest Debian layout."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return versions[0].parent if versions else None


def unavailable_reason() -> str | None:
    """Why a private cluster cannot be made here (None when it can)."""
    if postgres_bin_dir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root without runuser to start PostgreSQL as another user"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server"
    return None


class PrivateCluster:
    def __init__(self, base_dir: Path) -> None:
        self.bin = postgres_bin_dir()
        assert self.bin is not None, unavailable_reason()
        self.base = base_dir
        self.data = base_dir / "data"
        self.log = base_dir / "server.log"
        self.port = free_port()

    # --- lifecycle -------------------------------------------------------------------
    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}\n{self._log_tail()}")

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def _options(self) -> str:
        return (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )

    def init(self) -> PrivateCluster:
        if os.geteuid() == 0:
            shutil.chown(self.base, user="postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            self._options(),
            "-l",
            str(self.log),
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Fast shutdown: every client connection is cut, as in a real crash/restart."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    # --- databases -------------------------------------------------------------------
    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)


JOB_COLUMNS = ("status", "stage", "error_code", "error_message", "attempts", "worker_id")


def job_rows(database_url: str, job_ids: list[str]) -> dict[str, dict]:
    """The jobs' rows, read over a fresh connection (works across server restarts)."""
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        rows = conn.execute(
            f"SELECT id::text, {', '.join(JOB_COLUMNS)}, "  # noqa: S608 (fixed column names)
            "(SELECT count(*) FROM opportunities_opportunity o WHERE o.job_id = j.id) "
            "FROM opportunities_opportunitiesjob j WHERE id = ANY(%s::uuid[])",
            [job_ids],
        ).fetchall()
    return {
        row[0]: dict(zip((*JOB_COLUMNS, "opportunities"), row[1:], strict=True)) for row in rows
    }
