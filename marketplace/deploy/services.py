"""The parts of the rehearsal cluster: certificate, database, Redis, app servers A and B, the task worker
and nginx. Each part starts only when it is not running yet, so `up` twice leaves one of everything."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from marketplace import localdb
from marketplace.deploy import processes
from marketplace.deploy.client import Client, tls_context
from marketplace.deploy.layout import PACKAGE_DIR, Layout
from marketplace.deploy.processes import ClusterError

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GUNICORN_CONF = PACKAGE_DIR / "gunicorn.conf.py"
APP_NAMES = ("a", "b")
START_TIMEOUT = 60.0
DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def binary(name: str, package: str) -> str:
    found = shutil.which(name) or next(
        (str(path) for path in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if path.exists()), None
    )
    if not found:
        raise ClusterError(f"{name} is missing: install the Debian package {package} (make cluster does).")
    return found


def pg_binary(name: str) -> str:
    found = localdb.find_binary(name)
    if not found:
        raise ClusterError(f"{name} is missing: install the Debian package postgresql.")
    return found


class Cluster:
    def __init__(self, layout: Layout, *, out=print):
        self.layout = layout
        self.out = out

    # ----- files and environment -----
    def pidfile(self, part: str) -> Path:
        return {
            "redis": self.layout.state / "redis" / "redis.pid",
            "nginx": self.layout.state / "nginx" / "nginx.pid",
        }.get(part, self.layout.run_dir / f"{part}.pid")

    def env(self, **overrides: str) -> dict[str, str]:
        return self.layout.app_environment(**overrides)

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        return processes.run([PYTHON, "manage.py", *args], env=env or self.env(), what=f"manage.py {args[0]}")

    def app_port(self, name: str) -> int:
        return self.layout.app_ports[APP_NAMES.index(name)]

    def direct(self, name: str, **kwargs) -> Client:
        """A client that talks to app server `name` the way nginx does."""
        return Client(self.app_port(name), self.layout.public_host, **kwargs)

    def public(self) -> Client:
        """A client of the public site: TLS through nginx, the certificate checked."""
        return Client(
            self.layout.https_port, self.layout.public_host, tls=tls_context(self.layout.certificate)
        )

    # ----- certificate and database -----
    def ensure_certificate(self) -> None:
        openssl = binary("openssl", "openssl")
        cert, key = self.layout.certificate, self.layout.certificate_key
        checkend = [openssl, "x509", "-checkend", "86400", "-noout", "-in", str(cert)]
        if cert.exists() and key.exists() and processes.succeeds(checkend):
            return
        processes.run(
            [
                openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={self.layout.server_name}",
                "-addext", f"subjectAltName=DNS:{self.layout.server_name},IP:127.0.0.1",
            ],
            what="openssl req",
        )  # fmt: skip
        key.chmod(0o600)
        self.out(f"  certificate    made {cert} (self-signed, 30 days)")

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [
            pg_binary("psql"), "-h", str(localdb.socket_dir()), "-p", str(localdb.PORT), "-U", "postgres",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql,
        ]  # fmt: skip
        return processes.run(command, what="psql").strip()

    def create_database(self, name: str) -> bool:
        if not DATABASE_NAME.match(name) or name in {localdb.DB_NAME, f"{localdb.DB_NAME}_bench"}:
            raise ClusterError(f"refusing to use the database {name!r} for the rehearsal")
        if self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1":  # noqa: S608 (checked name)
            return False
        self.psql(f'CREATE DATABASE "{name}"')
        return True

    def drop_database(self, name: str) -> None:
        if not DATABASE_NAME.match(name) or not name.startswith(self.layout.database):
            raise ClusterError(f"refusing to drop the database {name!r}")
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def prepare_database(self) -> None:
        localdb.ensure()
        created = self.create_database(self.layout.database)
        self.out(f"  database       {self.layout.database} ({'created' if created else 'exists'})")
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("load_default_register")
        solutions = os.environ.get("CLUSTER_SOLUTIONS", "60")
        self.out(
            "  demo content   " + self.manage("seed_demo", "--if-empty", "--solutions", solutions).strip()
        )
        self.manage("collectstatic", "--noinput", "-v", "0")
        # Django's production checklist on the app servers' environment; only the mail backend differs
        # (the rehearsal prints mail instead of sending it, which the checklist rightly calls an error).
        self.manage(
            "check", "--deploy", "--fail-level", "WARNING", env=self.env(EMAIL_URL="smtp://localhost:25")
        )
        self.out("  settings       manage.py check --deploy: no issues (DEBUG off, TLS behind the proxy)")

    # ----- Redis -----
    def start_redis(self, *, quiet: bool = False) -> None:
        if processes.running(self.pidfile("redis")) is None:
            processes.run([binary("redis-server", "redis-server"), str(self.layout.redis_conf)], what="redis")
        seconds = processes.wait_for(
            lambda: processes.redis_answers(self.layout.redis_port), what="redis", timeout=START_TIMEOUT
        )
        if not quiet:
            self.out(f"  redis          127.0.0.1:{self.layout.redis_port} answers PING ({seconds:.1f} s)")

    def stop_redis(self) -> bool:
        return processes.stop_group(self.pidfile("redis"))

    # ----- app servers -----
    def app_healthy(self, name: str) -> bool:
        response = self.direct(name, timeout=5).get("/healthz/")
        return response.status == 200 and response.body == "ok"

    def app_answers(self, name: str) -> bool:
        try:
            return self.app_healthy(name)
        except OSError:
            return False

    def start_app(self, name: str, *, quiet: bool = False) -> float:
        pidfile = self.pidfile(f"app-{name}")
        if processes.running(pidfile) is None:
            env = self.env(
                GUNICORN_BIND=f"127.0.0.1:{self.app_port(name)}",
                GUNICORN_PIDFILE=str(pidfile),
                GUNICORN_NAME=f"marketplace-{name}",
            )
            processes.start_detached(
                [GUNICORN, "-c", str(GUNICORN_CONF), "marketplace.wsgi"],
                env=env,
                log=self.layout.log_dir / f"app-{name}.log",
            )
        seconds = processes.wait_for(
            lambda: self.app_healthy(name), what=f"app server {name.upper()}", timeout=START_TIMEOUT
        )
        if not quiet:
            port = self.app_port(name)
            self.out(f"  app server {name.upper()}   127.0.0.1:{port} /healthz/ ok ({seconds:.1f} s)")
        return seconds

    def kill_app(self, name: str) -> int:
        return processes.kill_group(self.pidfile(f"app-{name}"))

    def stop_app(self, name: str) -> bool:
        return processes.stop_group(self.pidfile(f"app-{name}"))

    # ----- task worker -----
    def start_worker(self) -> None:
        pidfile = self.pidfile("worker")
        if processes.running(pidfile) is None:
            processes.start_detached(
                [PYTHON, "manage.py", "db_worker"],
                env=self.env(),
                log=self.layout.log_dir / "worker.log",
                pidfile=pidfile,
            )
        # The worker has no port; it counts as up once it survived its start-up (settings, database).
        processes.wait_for(lambda: _survived(pidfile, 3.0), what="task worker", timeout=START_TIMEOUT)
        self.out(f"  task worker    pid {processes.read_pid(pidfile)} (manage.py db_worker)")

    def stop_worker(self) -> bool:
        return processes.stop_group(self.pidfile("worker"))

    # ----- nginx -----
    def nginx_command(self, *extra: str) -> list[str]:
        state, log = self.layout.state, self.layout.log_dir / "nginx-error.log"
        return [
            binary("nginx", "nginx"), "-p", f"{state}/nginx/", "-e", str(log),
            "-c", str(self.layout.nginx_conf), *extra,
        ]  # fmt: skip

    def public_healthy(self) -> bool:
        response = self.public().get("/healthz/")
        return response.status == 200 and response.body == "ok"

    def start_nginx(self) -> None:
        processes.run(self.nginx_command("-t", "-q"), what="nginx -t")
        if processes.running(self.pidfile("nginx")) is None:
            processes.run(self.nginx_command("-g", "daemon on;"), what="nginx")
        else:
            processes.run(self.nginx_command("-s", "reload"), what="nginx -s reload")
        seconds = processes.wait_for(self.public_healthy, what="nginx", timeout=START_TIMEOUT)
        self.out(f"  nginx          {self.layout.public_url}/healthz/ ok over TLS ({seconds:.1f} s)")

    def stop_nginx(self) -> bool:
        return processes.stop_group(self.pidfile("nginx"))

    # ----- the whole cluster -----
    def up(self) -> None:
        self.layout.write_configs()
        self.out(f"state in {self.layout.state}")
        self.ensure_certificate()
        self.prepare_database()
        self.start_redis()
        for name in APP_NAMES:
            self.start_app(name)
        self.start_worker()
        self.start_nginx()
        self.out(f"cluster up: {self.layout.public_url}/ (certificate {self.layout.certificate})")

    def down(self) -> None:
        stopped = []
        for part, stop in (
            ("nginx", self.stop_nginx),
            ("app server A", lambda: self.stop_app("a")),
            ("app server B", lambda: self.stop_app("b")),
            ("restore server", lambda: self.stop_app("restore")),
            ("task worker", self.stop_worker),
            ("redis", self.stop_redis),
        ):
            if stop():
                stopped.append(part)
        self.out("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))


def _survived(pidfile: Path, seconds: float) -> bool:
    pid = processes.running(pidfile)
    if pid is None:
        raise ClusterError(f"the process of {pidfile.name} ended; see its log in .cluster/log/")
    return processes.process_age(pid) >= seconds
