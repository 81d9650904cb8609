"""Properties under faults: an app server dies, the cache stops, the database is restored from a backup.

Each check leaves the cluster as it found it (A started again, Redis started again, the restored database
and its server removed), so `make cluster-check` can run again at once.
"""

from __future__ import annotations

import os
import time

from marketplace import localdb as local
from marketplace.deploy import processes
from marketplace.deploy.checks import card_slugs, facet_counts, require
from marketplace.deploy.client import tls_context
from marketplace.deploy.load import Fetcher, run_load
from marketplace.deploy.services import GUNICORN, GUNICORN_CONF, pg_binary

LOAD_SECONDS = float(os.environ.get("CLUSTER_LOAD_SECONDS", "8"))
LOAD_THREADS = int(os.environ.get("CLUSTER_LOAD_THREADS", "6"))


def public_paths(context) -> list[str]:
    slug = context.data.slug
    return ["/", "/loesungen/", f"/loesungen/{slug}/", "/pilotprojekte/", "/loesungen/?maturity=pilot"]


def kill_during_load(context) -> str:
    """GET load over TLS through nginx; after a third of the run, A's whole process group gets SIGKILL.
    nginx retries each GET that A cannot answer on B, so no request may fail, except one whose answer A
    had begun to send (nginx passed its status line on; no proxy can retry it), which is counted and
    shown. A is started again after."""
    cluster = context.cluster
    fetch = Fetcher(
        cluster.layout.https_port, cluster.layout.public_host, tls_context(cluster.layout.certificate)
    )
    killed = []
    result = run_load(
        fetch,
        public_paths(context),
        threads=LOAD_THREADS,
        seconds=LOAD_SECONDS,
        event=lambda: killed.append(cluster.kill_app("a")),
        event_at=LOAD_SECONDS / 3,
    )
    restart = cluster.start_app("a", quiet=True)
    require(not result.event_error, f"killing A failed: {result.event_error}")
    require(
        killed and killed[0] >= 2, f"A's process group held {killed} processes, expected master and workers"
    )
    require(len(result.after_event()) > 0, "no request ran after A was killed")
    require(result.retryable_errors == 0, f"{result.retryable_errors} requests failed: {result.line()}")
    return (
        f"{result.line()}; A ({killed[0]} processes) got SIGKILL at {result.event_at:.1f} s; "
        f"A started again and healthy after {restart:.1f} s"
    )


def _cache_warnings(cluster) -> int:
    logs = [cluster.layout.log_dir / name for name in ("app-a.log", "app-b.log", "worker.log")]
    return sum(log.read_text(errors="replace").count("Cache unreachable") for log in logs if log.exists())


def redis_stopped(context) -> str:
    """With Redis stopped, the pages (home, catalog, a detail page, a rate-limited form and its POST)
    answer through nginx without a 5xx; Redis is started again after."""
    cluster = context.cluster
    fetch = Fetcher(
        cluster.layout.https_port, cluster.layout.public_host, tls_context(cluster.layout.certificate)
    )
    paths = [*public_paths(context), "/konto/passwort-vergessen/", f"/suche/?q={context.data.word}"]
    warnings_before = _cache_warnings(cluster)
    require(cluster.stop_redis(), "Redis was not running")
    try:
        require(not processes.redis_answers(cluster.layout.redis_port), "Redis still answers after its stop")
        result = run_load(fetch, paths, threads=2, seconds=3.0)
        visitor = cluster.public()
        visitor.get("/konto/passwort-vergessen/")
        posted = visitor.post("/konto/passwort-vergessen/", {"email": "probe@example.invalid"})
    finally:
        cluster.start_redis(quiet=True)
    # Redis starts empty; the servers use it again once their pause after the outage is over.
    visitor = cluster.public()
    back = processes.wait_for(
        lambda: (
            visitor.get("/loesungen/").status == 200 and processes.redis_keys(cluster.layout.redis_port) > 0
        ),
        what="the cache in use again",
        timeout=20,
    )
    warned = _cache_warnings(cluster) - warnings_before
    server_errors = sum(1 for sample in result.samples if sample.status is None or sample.status >= 500)
    require(server_errors == 0, f"{server_errors} requests failed while Redis was stopped: {result.line()}")
    require(result.errors == 0, f"unexpected answers while Redis was stopped: {result.line()}")
    require(posted.status == 302, f"the password reset POST answered {posted.status} while Redis was stopped")
    return (
        f"Redis stopped: {result.line()} over {len(paths)} pages; password reset POST {posted.status} "
        f'(rate limit fails open); {warned} "Cache unreachable" warnings in the logs (one per process and '
        f"outage); Redis started again and filled by the app servers within {back:.1f} s"
    )


def backup_restores(context) -> str:
    """`pg_dump -Fc` of the cluster's database, `pg_restore` into a fresh one, a third app server on it:
    its catalog shows the same listings and facet counts as A's."""
    cluster = context.cluster
    layout = cluster.layout
    socket = ["-h", str(local.socket_dir()), "-p", str(local.PORT), "-U", "postgres"]
    dump = layout.state / "backup" / f"{layout.database}.dump"
    restored = f"{layout.database}_restore"

    start = time.monotonic()
    processes.run([pg_binary("pg_dump"), *socket, "-Fc", "-f", str(dump), layout.database], what="pg_dump")
    dumped = time.monotonic() - start
    cluster.drop_database(restored)
    cluster.create_database(restored)
    start = time.monotonic()
    processes.run(
        [pg_binary("pg_restore"), *socket, "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
        what="pg_restore",
    )
    restoring = time.monotonic() - start
    pidfile = cluster.pidfile("app-restore")
    env = cluster.env(
        DATABASE_URL=layout.database_url(restored),
        # Its own cache: pages cached from the live database must not answer for the restored one.
        CACHE_BACKEND="django.core.cache.backends.locmem.LocMemCache",
        CACHE_LOCATION="restore",
        GUNICORN_BIND=f"127.0.0.1:{layout.restore_port}",
        GUNICORN_PIDFILE=str(pidfile),
        GUNICORN_WORKERS="1",
    )
    processes.start_detached(
        [GUNICORN, "-c", str(GUNICORN_CONF), "marketplace.wsgi"],
        env=env,
        log=layout.log_dir / "app-restore.log",
    )
    try:
        restored_server = cluster.direct("a")
        restored_server.port = layout.restore_port
        booted = processes.wait_for(
            lambda: restored_server.get("/healthz/").status == 200, what="restore server", timeout=60
        )
        live_page = cluster.direct("a").get("/loesungen/?sort=title").body
        restored_page = restored_server.get("/loesungen/?sort=title").body
        probe = restored_server.get(f"/loesungen/{context.data.slug}/")
    finally:
        processes.stop_group(pidfile)
        cluster.drop_database(restored)
    live, copy = facet_counts(live_page), facet_counts(restored_page)
    require(
        live and live == copy, f"facet counts differ: {sorted(set(live.items()) ^ set(copy.items()))[:6]}"
    )
    require(card_slugs(live_page) == card_slugs(restored_page), "the catalog lists other solutions")
    require(probe.status == 200, f"the restored server answered {probe.status} for this run's listing")
    size = dump.stat().st_size / 1e6
    return (
        f"pg_dump -Fc {dumped:.1f} s ({size:.1f} MB), pg_restore into {restored} {restoring:.1f} s, "
        f"a third app server on it healthy after {booted:.1f} s: catalog page 1 the same "
        f"{len(card_slugs(live_page))} solutions and all {len(live)} facet counts equal; "
        f"this run's listing {probe.status}"
    )
