"""The HTTP part of `make bench` (issue 17): the production server under load, next to the layout floor.

Starts the server of ``server.py`` against the database the benchmark is connected to, loads each page
with wrk (``-t2 -c4 --latency``) and reads each worker's memory from ``/proc`` before stopping the server.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db import connections
from django.urls import NoReverseMatch, reverse

from .rows import Row
from .server import (
    WORKERS,
    Server,
    collectstatic,
    fetch_status,
    server_environment,
    terminated_as_exit,
    worker_memory,
)

THREADS = 2
CONNECTIONS = 4
# Pages are loaded in turns, a round of this many seconds each, so that a slow spell of the shared machine
# weighs on every row (and on the layout floor they are compared with) alike.
ROUND_SECONDS = 2
# Issue 17: shares of the layout floor's requests per second.
CATALOG_SHARE = 0.70
SEARCH_SHARE = 0.50
HOME_SHARE = 0.70
LAYOUT_LABEL = "Floor: base layout only"
# The in-process rows whose addresses the HTTP table loads, in its order, with their targets.
PAGES = (
    ("Floor: minimal Django view", None),
    (LAYOUT_LABEL, None),
    ("Solutions catalog", CATALOG_SHARE),
    ("… filtered (category + size)", CATALOG_SHARE),
    ("… searched (q=Parkplatz)", SEARCH_SHARE),
    ("Home", HOME_SHARE),
    ("Solution detail", None),
    ("Pilots catalog", None),
    ("Municipalities catalog", None),
    ("API: 100 solutions", None),
)
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class HttpRow:
    label: str
    path: str
    target_share: float | None = None
    status: int | None = None
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    non_2xx: int = 0
    socket_errors: int = 0
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.status == 200 and not self.note

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int = 0
    socket_errors: int = 0

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def combine(results: list[WrkResult]) -> WrkResult:
    """Several rounds of one page: all their requests over all their time; the latency percentiles are the
    median of the rounds' (wrk reports percentiles, not the latencies to merge)."""
    return WrkResult(
        requests=sum(r.requests for r in results),
        seconds=sum(r.seconds for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        non_2xx=sum(r.non_2xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
    )


def rounds_of(seconds: int) -> tuple[int, int]:
    """(rounds, seconds per round) for about ``seconds`` of load per page."""
    if seconds <= ROUND_SECONDS:
        return 1, seconds
    return max(1, round(seconds / ROUND_SECONDS)), ROUND_SECONDS


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * UNITS_MS[match[2]]


def parse_wrk(output: str) -> WrkResult:
    """Requests and seconds, the 50th and 99th latency percentiles (``--latency``) and the errors."""
    total = re.search(r"^\s+(\d+) requests in ([\d.]+(?:us|ms|s|m))", output, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (total and p50 and p99):
        raise ValueError(f"unexpected wrk output: {output[-300:]!r}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        requests=int(total[1]),
        seconds=_duration_ms(total[2]) / 1000,
        p50_ms=_duration_ms(p50[1]),
        p99_ms=_duration_ms(p99[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def run_wrk(url: str, seconds: int) -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments and our own server's address, no shell
        [shutil.which("wrk") or "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    if done.returncode:
        raise ValueError(f"wrk exited with {done.returncode}: {done.stderr.strip()[-200:]}")
    return done.stdout


def http_rows(rows: list[Row]) -> list[HttpRow]:
    """The HTTP table's rows, with the addresses the in-process table measured."""
    paths = {row.label: row.path for row in rows}
    try:
        paths[LAYOUT_LABEL] = reverse("bench_layout", urlconf="marketplace.demo.bench_urls")
        paths.setdefault(
            "Floor: minimal Django view", reverse("bench_floor", urlconf="marketplace.demo.bench_urls")
        )
    except NoReverseMatch:
        pass
    return [HttpRow(label, paths.get(label, ""), target_share=share) for label, share in PAGES]


def measure_http(
    rows: list[Row], *, seconds: int, warmup_seconds: int, port: int = 0, log=None
) -> tuple[list[HttpRow], list[tuple[int, int, int]]]:
    """Each page under wrk load on a fresh gunicorn; the workers' memory after the last page."""
    if shutil.which("wrk") is None:
        raise CommandError("wrk is missing: run 'make bench' (it installs wrk) or apt-get install wrk.")
    env = server_environment(connections["default"].settings_dict)
    collectstatic(env)
    table = http_rows(rows)
    rounds, round_seconds = rounds_of(seconds)
    results: dict[str, list[WrkResult]] = {}
    with terminated_as_exit(), Server(env, port) as server:
        if log:
            log(f"HTTP: gunicorn on {server.url('/')} (workers {server.workers()})")
        for row in table:
            if not row.path:
                row.note = "no URL"
                continue
            row.status = fetch_status(server.url(row.path))
            if row.status == 200:
                results[row.label] = []
        if warmup_seconds:
            for row in table:
                if row.label in results:
                    _load(row, server, warmup_seconds, [])
        for _ in range(rounds):
            for row in table:
                if row.label in results and not row.note:
                    _load(row, server, round_seconds, results[row.label])
        for row in table:
            if results.get(row.label) and not row.note:
                result = combine(results[row.label])
                row.requests_per_s = result.requests_per_s
                row.p50_ms, row.p99_ms = result.p50_ms, result.p99_ms
                row.non_2xx, row.socket_errors = result.non_2xx, result.socket_errors
                if log:
                    log(f"HTTP: {row.label}: {row.requests_per_s:.1f} req/s")
        memory = worker_memory(server.workers())
    return table, memory


def _load(row: HttpRow, server: Server, seconds: int, results: list[WrkResult]) -> None:
    """One wrk run on ``row``'s page; a failure becomes the row's note."""
    try:
        results.append(parse_wrk(run_wrk(server.url(row.path), seconds)))
    except (ValueError, subprocess.TimeoutExpired) as exc:
        row.note = str(exc)[:80].replace("|", "/")


def render_http(
    table: list[HttpRow], memory: list[tuple[int, int, int]], *, seconds: int, warmup_seconds: int
) -> str:
    rounds, round_seconds = rounds_of(seconds)
    layout = next((row for row in table if row.label == LAYOUT_LABEL and row.measured), None)
    lines = [
        "### Over HTTP (issue 17)",
        "",
        "| Page | URL | Req/s | Share of layout | p50 ms | p99 ms | Errors | Target | Met |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in table:
        escaped = row.path.replace("|", "\\|")
        path = f"`{escaped}`" if row.path else "–"
        target = f"≥ {row.target_share:.0%} of the layout" if row.target_share is not None else "–"
        if not row.measured:
            reason = row.note or ("no URL" if not row.path else f"status {row.status or 'none (no answer)'}")
            lines.append(f"| {row.label} | {path} | – | – | – | – | – | {target} | not measured: {reason} |")
            continue
        share = row.requests_per_s / layout.requests_per_s if layout and layout.requests_per_s else None
        if row.target_share is None:
            met = "–" if not row.errors else "**no** (errors)"
        else:
            met = "yes" if share is not None and share >= row.target_share and not row.errors else "**no**"
        errors = str(row.errors)
        if row.errors:
            errors = f"**{row.errors}** ({row.non_2xx} non-2xx, {row.socket_errors} socket)"
        lines.append(
            f"| {row.label} | {path} | {row.requests_per_s:,.1f} | "
            f"{f'{share:.0%}' if share is not None else '–'} | {row.p50_ms:.1f} | {row.p99_ms:.1f} | "
            f"{errors} | {target} | {met} |"
        )
    lines += [
        "",
        f"wrk -t{THREADS} -c{CONNECTIONS} per page for {warmup_seconds} s of warm-up, then {rounds} × "
        f"{round_seconds} s, the pages in turns (req/s over all rounds, p50 and p99 the median of the "
        f"rounds'), "
        f"against gunicorn ({WORKERS} sync workers, DEBUG off, whitenoise with the manifest storage) on "
        f"127.0.0.1 with the benchmark database; load generator and server share the machine's "
        f"{os.cpu_count()} CPUs. Errors: non-2xx/3xx responses and socket errors (connect, read, write, "
        f"timeout).",
        "",
        memory_line(memory),
    ]
    return "\n".join(lines)


def memory_line(memory: list[tuple[int, int, int]]) -> str:
    if not memory:
        return "Memory per worker: not measured (no worker found)."
    parts = [f"pid {pid}: {rss / 1024:.0f} MB now, {hwm / 1024:.0f} MB peak" for pid, rss, hwm in memory]
    return f"Memory per worker after the HTTP runs (VmRSS now, VmHWM peak, from /proc): {'; '.join(parts)}."
