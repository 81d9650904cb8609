"""The production server of the HTTP table (issue 17): gunicorn with ``marketplace.demo.bench_wsgi``, 2 sync
workers, DEBUG off, whitenoise with the manifest storage, on 127.0.0.1 against the benchmark's database."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.management.base import CommandError

WORKERS = 2
# The server answers hundreds of requests a second from one address: its limits are not what is measured.
UNLIMITED_ENV = {
    "API_LIMIT": str(10**9),
    "OPEN_DATA_EXPORT_LIMIT": str(10**9),
    "MUNICIPALITY_FIND_LIMIT": str(10**9),
}
READY_TIMEOUT = 60


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for ``settings_dict`` (a Unix socket directory as the host is percent-encoded)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = {
        key: value
        for key, value in (settings_dict.get("OPTIONS") or {}).items()
        if key in {"sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"}
    }
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}{query}"


def server_environment(settings_dict: dict) -> dict[str, str]:
    """The production settings with the benchmark's database, a throw-away key and no rate limits."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url(settings_dict),
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "WARNING",
        **UNLIMITED_ENV,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collectstatic(env: dict[str, str]) -> None:
    """Fill STATIC_ROOT with the hashed files and manifest whitenoise serves with DEBUG off."""
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py, no shell
        [sys.executable, manage, "collectstatic", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise CommandError(f"collectstatic failed: {(done.stderr or done.stdout)[-800:]}")


class Server:
    """gunicorn in its own process group, stopped (the whole group) when the ``with`` block ends."""

    def __init__(self, env: dict[str, str], port: int = 0):
        self.env = env
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        # The server's log, shown when it fails to start; closed by stop().
        self.log = tempfile.TemporaryFile(mode="w+", prefix="bench-gunicorn-")  # noqa: SIM115

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [
                sys.executable,
                "-m",
                "gunicorn",
                "marketplace.demo.bench_wsgi",
                f"--workers={WORKERS}",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{self.port}",
                "--no-control-socket",
                f"--chdir={settings.BASE_DIR}",
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            # Ready when both workers run and one of them answers.
            if len(self.workers()) >= WORKERS and fetch_status(self.url("/__bench__/floor/")) == 200:
                return
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within {READY_TIMEOUT} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self.log.close()

    def log_tail(self, chars: int = 2000) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-chars:]

    def workers(self) -> list[int]:
        """The master's children (the workers), from /proc."""
        if self.process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # the process ended meanwhile
                continue
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)


@contextlib.contextmanager
def terminated_as_exit():
    """SIGTERM raises SystemExit meanwhile, so a terminated benchmark still stops its server."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def fetch_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own http://127.0.0.1
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def worker_memory(pids: list[int]) -> list[tuple[int, int, int]]:
    """(pid, VmRSS kB, VmHWM kB) of each process still running."""
    found = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
        found.append((pid, int(values.get("VmRSS", 0)), int(values.get("VmHWM", 0))))
    return found
