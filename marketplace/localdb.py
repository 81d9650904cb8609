"""The project-local PostgreSQL cluster used when no DATABASE_URL is set.

One rule, shared by settings.py, the Makefile (``python -m marketplace.localdb ensure``) and the tests:

* The cluster lives in ``.pg/`` of the checkout and is reached only over its own Unix socket (no TCP port,
  so it never collides with another server).
* PostgreSQL refuses to run as root. When we are root, the cluster runs as the unprivileged ``postgres``
  system user, which may not be able to enter the checkout (e.g. under ``/root``, mode 700). Unix socket
  paths are also limited to 107 bytes. In either case the cluster's files go to a short per-checkout
  directory under ``/tmp`` and ``.pg`` becomes a symlink to it.

Only the standard library is used here: the Makefile runs this before anything else is installed.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "marketplace"
DB_USER = "postgres"
PORT = 5432  # only names the socket file; TCP is switched off
SOCKET_LIMIT = 107
CLUSTER_USER = "postgres"


class LocalDatabaseError(RuntimeError):
    pass


def _is_root() -> bool:
    return os.geteuid() == 0


def _short_home() -> Path:
    digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]
    # A short, fixed place any system user can reach; the name is unique per checkout.
    return Path("/tmp") / f"scm-pg-{digest}"  # noqa: S108


def _needs_short_home(local: Path) -> bool:
    socket_path = local / "run" / f".s.PGSQL.{PORT}"
    return _is_root() or len(str(socket_path)) > SOCKET_LIMIT


def pg_home() -> Path:
    """Directory holding ``data/`` (the cluster) and ``run/`` (its socket)."""
    local = BASE_DIR / ".pg"
    if local.is_symlink() or _needs_short_home(local):
        return _short_home()
    return local


def socket_dir() -> Path:
    return pg_home() / "run"


def connection_settings() -> dict:
    """Django DATABASES entry for the local cluster."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DB_NAME,
        "USER": DB_USER,
        "HOST": str(socket_dir()),
        "PORT": str(PORT),
    }


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return str(candidates[-1]) if candidates else None


def _binaries() -> dict[str, str]:
    found = {name: find_binary(name) for name in ("initdb", "pg_ctl", "psql")}
    missing = [name for name, path in found.items() if not path]
    if missing:
        raise LocalDatabaseError(
            "No PostgreSQL server binaries found (missing: "
            + ", ".join(missing)
            + "): install them with 'apt-get install postgresql' or set DATABASE_URL."
        )
    return found  # type: ignore[return-value]


def as_cluster_user(cmd: list[str]) -> list[str]:
    """`cmd` run as the unprivileged cluster user when we are root (PostgreSQL refuses root)."""
    if not _is_root():
        return cmd
    try:
        pwd.getpwnam(CLUSTER_USER)
    except KeyError as exc:
        raise LocalDatabaseError(
            f"Running as root needs the unprivileged system user '{CLUSTER_USER}' for PostgreSQL: "
            "install the postgresql package or set DATABASE_URL."
        ) from exc
    return ["runuser", "-u", CLUSTER_USER, "--", *cmd]


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)  # noqa: S603


def _prepare_home(home: Path) -> None:
    local = BASE_DIR / ".pg"
    home.mkdir(parents=True, exist_ok=True)
    if home != local and (not local.is_symlink() or local.readlink() != home):
        if local.is_symlink():
            local.unlink()  # left over from a checkout that moved
        if not local.exists():
            local.symlink_to(home)
    (home / "run").mkdir(exist_ok=True)
    if _is_root():
        entry = pwd.getpwnam(CLUSTER_USER)
        for path in (home, home / "run"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)


def is_running() -> bool:
    bins = _binaries()
    data = pg_home() / "data"
    if not (data / "PG_VERSION").exists():
        return False
    result = _run(as_cluster_user([bins["pg_ctl"], "-D", str(data), "status"]))
    return result.returncode == 0


def ensure() -> None:
    """Create, start and provision the local cluster; idempotent."""
    bins = _binaries()
    home = pg_home()
    _prepare_home(home)
    data = home / "data"
    if not (data / "PG_VERSION").exists():
        result = _run(
            as_cluster_user(
                [
                    bins["initdb"],
                    "-D",
                    str(data),
                    "-U",
                    DB_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            )
        )
        if result.returncode != 0:
            raise LocalDatabaseError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
    if not is_running():
        options = f"-c listen_addresses='' -c unix_socket_directories='{home / 'run'}' -c port={PORT}"
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        result = _run(
            as_cluster_user(
                [
                    bins["pg_ctl"],
                    "-D",
                    str(data),
                    "-l",
                    str(home / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            )
        )
        if result.returncode != 0:
            log = (
                (home / "server.log").read_text(errors="replace")[-2000:]
                if (home / "server.log").exists()
                else ""
            )
            raise LocalDatabaseError(f"pg_ctl start failed:\n{result.stdout}\n{result.stderr}\n{log}")
    psql = [bins["psql"], "-h", str(home / "run"), "-p", str(PORT), "-U", DB_USER, "-d", "postgres", "-tAc"]
    for _ in range(50):
        probe = _run([*psql, "SELECT 1"])
        if probe.returncode == 0:
            break
        time.sleep(0.2)
    exists = _run([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"])  # noqa: S608 (constant)
    if exists.stdout.strip() != "1":
        created = _run([*psql, f'CREATE DATABASE "{DB_NAME}"'])
        if created.returncode != 0:
            raise LocalDatabaseError(f"could not create database {DB_NAME}: {created.stderr}")


def stop() -> None:
    bins = _binaries()
    data = pg_home() / "data"
    if is_running():
        _run(as_cluster_user([bins["pg_ctl"], "-D", str(data), "-m", "fast", "stop"]))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "ensure"
    if os.environ.get("DATABASE_URL"):
        if command == "ensure":
            print("DATABASE_URL is set; using it, no local cluster needed.")
        return 0
    try:
        if command == "ensure":
            ensure()
            print(f"PostgreSQL running, socket in {socket_dir()}, database '{DB_NAME}'.")
        elif command == "stop":
            stop()
        elif command == "socket":
            print(socket_dir())
        else:
            print(f"unknown command {command!r}; use ensure, stop or socket", file=sys.stderr)
            return 2
    except LocalDatabaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
