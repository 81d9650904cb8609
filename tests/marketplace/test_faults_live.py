"""End to end: stop a real PostgreSQL under a running gunicorn, then start it again.

A throwaway cluster (initdb into a temporary directory; as root it runs as the `postgres` system user, as
marketplace/localdb.py does) gets the schema of the test database, the app runs against it in a gunicorn
subprocess with DEBUG off (tests/marketplace/live_settings.py), and the cluster is stopped and started under
it. Each page, a signed-in vendor's included, must answer the friendly 503 within 2 s while the database is
down, and the same process must serve pages again once it is back.
"""

import http.client
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from marketplace import localdb
from marketplace.faults import RETRY_AFTER_SECONDS
from tests.marketplace.outage import unavailable_heading

BINARIES = {name: localdb.find_binary(name) for name in ("initdb", "pg_ctl", "pg_dump", "psql")}
pytestmark = pytest.mark.skipif(
    not (BINARIES["initdb"] and BINARIES["pg_ctl"]),
    reason="needs the PostgreSQL server binaries (initdb, pg_ctl) to run a throwaway cluster",
)

MAX_SECONDS_503 = 2.0
MAX_SECONDS_RECOVERY = 10.0
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
# Creates the data the pages show; migrates first when the schema could not be copied.
PREPARE = """
import sys
import django
django.setup()
from django.core.management import call_command
if "--migrate" in sys.argv:
    call_command("migrate", verbosity=0)
from tests.factories import SolutionFactory, UserFactory
UserFactory(username="vendor@example.org", email="vendor@example.org")
print(SolutionFactory(title="Parkraum live").slug)
"""


class ThrowawayCluster:
    def __init__(self):
        # Under /tmp, short and reachable by the cluster user (pytest's tmp_path is private to root).
        self.home = Path(tempfile.mkdtemp(prefix="scm-fault-", dir="/tmp"))  # noqa: S108
        self.data, self.run = self.home / "data", self.home / "run"
        self.run.mkdir()
        if os.geteuid() == 0:
            user = pwd.getpwnam(localdb.CLUSTER_USER)
            for path in (self.home, self.run):
                os.chown(path, user.pw_uid, user.pw_gid)

    def _ctl(self, *args: str) -> None:
        command = localdb.as_cluster_user([BINARIES["pg_ctl"], "-D", str(self.data), *args])
        subprocess.run(command, check=True, capture_output=True)

    def init(self) -> None:
        command = [BINARIES["initdb"], "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync"]
        subprocess.run(localdb.as_cluster_user(command), check=True, capture_output=True)

    def start(self) -> None:
        options = f"-c listen_addresses='' -c unix_socket_directories='{self.run}' -c fsync=off"
        self._ctl("-l", str(self.home / "server.log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        with psycopg.connect(host=str(self.run), user="postgres", dbname="postgres", autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{name}"')

    def url(self, name: str) -> str:
        return f"postgres://postgres@{quote(str(self.run), safe='')}:5432/{name}"

    def remove(self) -> None:
        subprocess.run(
            localdb.as_cluster_user([BINARIES["pg_ctl"], "-D", str(self.data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.home, ignore_errors=True)


def copy_test_schema(cluster: ThrowawayCluster, name: str) -> bool:
    """Copy the migrated test database into the cluster (about 1 s; `migrate` takes about 10 s)."""
    if not (BINARIES["pg_dump"] and BINARIES["psql"]):
        return False
    source = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": source["PASSWORD"] or ""}
    dump = subprocess.run(
        [BINARIES["pg_dump"], "--no-owner", "--no-privileges", f"--dbname={source['NAME']}"]
        + [f"--{key.lower()}={source[key]}" for key in ("HOST", "PORT") if source[key]]
        + ([f"--username={source['USER']}"] if source["USER"] else []),
        env=env,
        capture_output=True,
        check=False,
    )
    if dump.returncode != 0:  # e.g. a remote server newer than the local pg_dump
        return False
    subprocess.run(
        [BINARIES["psql"], "-h", str(cluster.run), "-U", "postgres", "-d", name, "-qv", "ON_ERROR_STOP=1"],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """The app in a gunicorn process of its own, and a tiny HTTP client for it."""

    def __init__(self, database_url: str, log: Path):
        self.port = free_port()
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.marketplace.live_settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
        }
        command = [sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--workers", "1"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "1", "--error-logfile", "-"]
        with log.open("w") as output:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        started = time.monotonic()
        try:
            client.request(method, path, body=body, headers=headers or {})
            response = client.getresponse()
            content = response.read()
        finally:
            client.close()
        return response.status, response.headers, content.decode(), time.monotonic() - started

    def raw_head(self, path: str) -> tuple[bytes, bytes]:
        """Headers and whatever follows them on the wire (http.client never reads a body for HEAD)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=15) as raw:
            raw.sendall(f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            received = b"".join(iter(lambda: raw.recv(65536), b""))
        head, _, rest = received.partition(b"\r\n\r\n")
        return head, rest

    def wait_until_serving(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.request("GET", "/healthz/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not come up:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def live_site(django_db_setup):
    started = time.monotonic()
    cluster = ThrowawayCluster()
    site = None
    try:
        cluster.init()
        cluster.start()
        cluster.create_database("faults")
        copied = copy_test_schema(cluster, "faults")
        env = {**os.environ, "DATABASE_URL": cluster.url("faults"), "DEBUG": "1"}
        prepare = [sys.executable, "-c", PREPARE] + ([] if copied else ["--migrate"])
        slug = subprocess.run(
            prepare, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
        ).stdout.split()[-1]
        site = Site(cluster.url("faults"), cluster.home / "gunicorn.log")
        site.wait_until_serving()
        site.setup_seconds = time.monotonic() - started
        yield cluster, site, slug
    finally:
        if site is not None:
            site.stop()
        cluster.remove()


def csrf_cookie_and_token(site: Site, path: str) -> tuple[str, str]:
    status, headers, html, _ = site.request("GET", path)
    assert status == 200
    cookie = next(c.split(";")[0] for c in headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    return cookie, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def login_post(site: Site, username: str, password: str) -> tuple[str, dict]:
    cookie, token = csrf_cookie_and_token(site, "/konto/anmelden/")
    body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    return body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}


def test_database_outage_answers_503_fast_and_the_site_recovers_without_restart(live_site):
    cluster, site, slug = live_site
    pages = ["/", "/loesungen/", f"/loesungen/{slug}/", "/healthz/"]
    up = {path: site.request("GET", path)[0] for path in pages}
    signed_in = site.request("POST", "/konto/anmelden/", *login_post(site, "vendor@example.org", PASSWORD))
    session = {
        "Cookie": next(c.split(";")[0] for c in signed_in[1].get_all("Set-Cookie") if "sessionid" in c)
    }
    up["signed in: /anbieter/dashboard/"] = site.request("GET", "/anbieter/dashboard/", headers=session)[0]
    failed_login = login_post(site, "vendor@example.org", "not the password")
    head, after_head = site.raw_head("/")
    get_length = len(site.request("GET", "/")[2].encode())

    cluster.stop()
    down = {path: site.request("GET", path) for path in pages}
    # The session and user load in a middleware (before any view): the 500 handler's path.
    down["signed in: /anbieter/dashboard/"] = site.request("GET", "/anbieter/dashboard/", headers=session)
    down["signed in: /"] = site.request("GET", "/", headers=session)
    down["POST /konto/anmelden/"] = site.request("POST", "/konto/anmelden/", *failed_login)

    cluster.start()
    back_at = time.monotonic()
    deadline = back_at + MAX_SECONDS_RECOVERY
    while (status := site.request("GET", "/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    recovery = time.monotonic() - back_at

    print(  # the numbers worth watching; shown with pytest -s
        f"setup {site.setup_seconds:.1f} s; 503 after "
        + ", ".join(f"{name} {answer[3]:.2f} s" for name, answer in down.items())
        + f"; back after {recovery:.2f} s"
    )
    assert (signed_in[0], signed_in[1]["Location"]) == (302, "/anbieter/dashboard/")
    assert up == {**dict.fromkeys(pages, 200), "signed in: /anbieter/dashboard/": 200}
    assert (head.split(b"\r\n")[0], after_head) == (b"HTTP/1.1 200 OK", b"")
    assert f"content-length: {get_length}".encode() in head.lower()
    answers = {name: (code, elapsed < MAX_SECONDS_503) for name, (code, _, _, elapsed) in down.items()}
    assert answers == dict.fromkeys(down, (503, True))
    pages_down = [body for name, (_, _, body, _) in down.items() if name != "/healthz/"]
    assert [unavailable_heading() in body for body in pages_down] == [True] * len(pages_down)
    assert down["/healthz/"][2] == "database unavailable"
    assert {headers["Retry-After"] for _, headers, _, _ in down.values()} == {str(RETRY_AFTER_SECONDS)}
    assert (status, site.process.poll()) == (200, None)
