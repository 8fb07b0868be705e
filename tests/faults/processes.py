"""Start Kairo's real processes for fault and load runs: the Procfile's gunicorn `web`
command (on loopback) and `manage.py run_jobs`, with production settings.

Shared by tests/faults/ and bench/load.py, so both exercise exactly what Railway runs.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import httpx

from tests.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str = "", **extra: str) -> dict[str, str]:
    """Production settings with secrets made on the fly; no TLS on loopback, so the HTTPS
    redirect and secure-only cookies are off (as in .ci/smoke)."""
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kairo.settings",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "INFO",
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def procfile_web_command(port: int) -> list[str]:
    """The Procfile's `web:` line, verbatim except that it listens on loopback only."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            command = line.removeprefix("web:").strip()
            break
    else:
        raise RuntimeError("no web line in Procfile")
    command = command.replace("0.0.0.0:$PORT", f"127.0.0.1:{port}")
    args = shlex.split(command)
    args[0] = shutil.which(args[0], path=str(VENV_BIN)) or args[0]
    return args


class Web:
    """A running gunicorn master (the Procfile's web process) and its log."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log: IO[bytes] = log_path.open("ab")
        self.process = subprocess.Popen(
            procfile_web_command(self.port),
            cwd=ROOT,
            env={**env, "PORT": str(self.port)},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_healthy(self, timeout: float = 45.0) -> None:
        wait_for(lambda: self._answers_health(), timeout, what=f"{self.url}/health/ to answer 200")

    def _answers_health(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early; log:\n{self.log_text()[-3000:]}")
        return health_status(self.url) == 200

    def worker_pids(self) -> set[int]:
        return children_of(self.pid)

    def stop(self, timeout: float = 60.0) -> int | None:
        """SIGTERM (graceful, as the platform stops a deploy) and wait."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode

    def log_text(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")


def run_jobs(env: dict[str, str], name: str, *, threads: int = 1, grace: float = 25.0, log=None):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_jobs",
            "--threads",
            str(threads),
            "--name",
            name,
            "--grace",
            str(grace),
        ],
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def health_status(base_url: str) -> int | None:
    """/health/'s status, or None when nothing answers."""
    try:
        return httpx.get(f"{base_url}/health/", timeout=5).status_code
    except httpx.HTTPError:
        return None


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (2nd field) is in parentheses and may contain spaces.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.add(int(entry.name))
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler(threading.Thread):
    """Peak resident memory of a gunicorn master and its workers, sampled every 0.25 s."""

    def __init__(self, master_pid: int) -> None:
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.peak_workers_mb = 0.0  # the largest sum over the workers at one moment
        self.peak_master_mb = 0.0
        self.peak_per_worker: dict[int, float] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.25):
            workers = {pid: rss_mb(pid) for pid in children_of(self.master_pid)}
            self.peak_workers_mb = max(self.peak_workers_mb, sum(workers.values()))
            self.peak_master_mb = max(self.peak_master_mb, rss_mb(self.master_pid))
            for pid, mb in workers.items():
                self.peak_per_worker[pid] = max(self.peak_per_worker.get(pid, 0.0), mb)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)
