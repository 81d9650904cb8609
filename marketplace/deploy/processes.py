"""Start, find, wait for and stop the rehearsal's processes by their pid files; nothing else is touched."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from marketplace.deploy.layout import BASE_DIR


class ClusterError(RuntimeError):
    pass


def read_pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def alive(pid: int | None) -> bool:
    """Whether `pid` runs (a zombie that nobody reaped counts as gone)."""
    if pid is None or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def running(pidfile: Path) -> int | None:
    """The pid in `pidfile` when that process runs, else None (a stale file is removed)."""
    pid = read_pid(pidfile)
    if alive(pid):
        return pid
    pidfile.unlink(missing_ok=True)
    return None


def wait_for(check: Callable[[], bool], *, what: str, timeout: float, interval: float = 0.2) -> float:
    """Seconds until `check()` held; ClusterError after `timeout`."""
    start = time.monotonic()
    while True:
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        if time.monotonic() - start > timeout:
            raise ClusterError(f"{what}: no answer within {timeout:.0f} s")
        time.sleep(interval)


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_keys(port: int) -> int:
    """How many keys the Redis on `port` holds (DBSIZE of database 0)."""
    with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
        connection.sendall(b"DBSIZE\r\n")
        answer = connection.recv(64)
    if not answer.startswith(b":"):
        raise OSError(f"unexpected answer to DBSIZE: {answer!r}")
    return int(answer[1:].split(b"\r\n")[0])


def start_detached(
    command: list[str], *, env: dict[str, str], log: Path, pidfile: Path | None = None
) -> subprocess.Popen:
    """Start `command` in a session of its own (so its whole process group can be signalled), output to
    `log`; with `pidfile`, write its pid there (for programs that do not write one themselves)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - a fixed command of this package
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    if pidfile is not None:
        pidfile.write_text(f"{process.pid}\n")
    return process


def signal_group(pid: int, signum: int) -> None:
    """Send `signum` to the process group `pid` leads (a gunicorn master and its workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(os.getpgid(pid), signum)


def group_members(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def stop_group(pidfile: Path, *, timeout: float = 20.0) -> bool:
    """SIGTERM the process group of the pid in `pidfile`, SIGKILL what is left after `timeout`; True when
    something was running."""
    pid = running(pidfile)
    if pid is None:
        return False
    pgid = os.getpgid(pid)
    signal_group(pid, signal.SIGTERM)
    try:
        wait_for(lambda: not group_members(pgid), what="stop", timeout=timeout)
    except ClusterError:
        signal_group(pid, signal.SIGKILL)
        wait_for(lambda: not group_members(pgid), what=f"kill of process group {pgid}", timeout=5)
    pidfile.unlink(missing_ok=True)
    return True


def kill_group(pidfile: Path) -> int:
    """SIGKILL the whole process group of the pid in `pidfile` at once (a crash, not a shutdown); returns
    how many processes it held."""
    pid = running(pidfile)
    if pid is None:
        raise ClusterError(f"nothing runs with the pid in {pidfile}")
    pgid = os.getpgid(pid)
    count = len(group_members(pgid))
    signal_group(pid, signal.SIGKILL)
    wait_for(lambda: not group_members(pgid), what=f"kill of process group {pgid}", timeout=5)
    pidfile.unlink(missing_ok=True)
    return count


def run(command: list[str], *, env: dict[str, str] | None = None, what: str = "") -> str:
    """Run `command` to its end; its output, or ClusterError with the output when it failed."""
    result = subprocess.run(  # noqa: S603 - fixed commands of this package
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ClusterError(
            f"{what or command[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def succeeds(command: list[str]) -> bool:
    """Whether `command` exits with 0 (its output is dropped)."""
    result = subprocess.run(command, cwd=BASE_DIR, capture_output=True, check=False)  # noqa: S603
    return result.returncode == 0


def process_age(pid: int) -> float:
    """Seconds since `pid` started (from /proc)."""
    start_ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
