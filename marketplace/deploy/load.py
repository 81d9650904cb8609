"""A load run: threads of GET requests for some seconds, with one event (e.g. a server killed) in between.

Every request is one `Sample`; `LoadResult` sums them up. An error is a request that raised (connection
reset, timeout), answered outside 2xx/3xx, or whose body was cut off. A cut-off body is counted apart
(`truncated`): the proxy had passed the status line on before the app server died, so no proxy can retry
that request; every other error is one a proxy could have retried.
"""

from __future__ import annotations

import http.client
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

TRUNCATED = "truncated"


class Truncated(Exception):
    """The answer began (status `status`) but its body ended early."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Sample:
    started: float  # seconds after the run began
    seconds: float
    path: str
    status: int | None  # None: no answer
    error: str = ""

    @property
    def truncated(self) -> bool:
        return self.error == TRUNCATED

    @property
    def failed(self) -> bool:
        return self.truncated or self.status is None or not 200 <= self.status < 400


@dataclass
class LoadResult:
    samples: list[Sample]
    seconds: float
    event_at: float | None = None
    event_error: str = ""
    statuses: Counter = field(init=False)

    def __post_init__(self):
        self.statuses = Counter(
            str(sample.status) if sample.status is not None else sample.error for sample in self.samples
        )

    @property
    def requests(self) -> int:
        return len(self.samples)

    @property
    def errors(self) -> int:
        return sum(sample.failed for sample in self.samples)

    @property
    def truncated(self) -> int:
        return sum(sample.truncated for sample in self.samples)

    @property
    def retryable_errors(self) -> int:
        """Errors a proxy could have retried on another server: all but the cut-off bodies."""
        return self.errors - self.truncated

    def after_event(self) -> list[Sample]:
        if self.event_at is None:
            return []
        return [sample for sample in self.samples if sample.started + sample.seconds >= self.event_at]

    def percentile(self, share: float) -> float:
        """The `share` (0..1) percentile of the request durations in seconds (nearest rank)."""
        durations = sorted(sample.seconds for sample in self.samples)
        if not durations:
            return 0.0
        rank = max(1, min(len(durations), round(share * len(durations) + 0.5)))
        return durations[rank - 1]

    def line(self) -> str:
        parts = [
            _count(self.requests, "request"),
            _count(self.errors, "error")
            + (f" ({self.truncated} cut off mid-body)" if self.truncated else ""),
            f"{self.seconds:.1f} s",
            f"{self.requests / self.seconds:.0f} req/s" if self.seconds else "0 req/s",
            f"p50 {self.percentile(0.5) * 1000:.0f} ms",
            f"p95 {self.percentile(0.95) * 1000:.0f} ms",
            f"max {self.percentile(1.0) * 1000:.0f} ms",
        ]
        if self.event_at is not None:
            parts.append(
                f"{len(self.after_event())} requests finished after the event at {self.event_at:.1f} s"
            )
        statuses = ", ".join(f"{key}: {count}" for key, count in sorted(self.statuses.items()))
        return "; ".join(parts) + f" (answers: {statuses})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class Fetcher:
    """GET over one kept-alive connection per thread; a broken connection is replaced before the next try."""

    def __init__(self, port: int, host_header: str, tls: ssl.SSLContext | None, timeout: float = 15.0):
        self.port, self.host_header, self.tls, self.timeout = port, host_header, tls, timeout
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            if self.tls is not None:
                connection = http.client.HTTPSConnection(
                    "127.0.0.1", self.port, context=self.tls, timeout=self.timeout
                )
            else:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (each thread calls it when its part of the run ends)."""
        connection = getattr(self.local, "connection", None)
        if connection is not None:
            connection.close()
            self.local.connection = None

    def __call__(self, path: str) -> int:
        connection = self._connection()
        try:
            connection.request("GET", path, headers={"Host": self.host_header, "Accept-Language": "de"})
            response = connection.getresponse()
            try:
                response.read()
            except http.client.IncompleteRead as cut:
                raise Truncated(response.status) from cut
        except Exception:
            connection.close()
            self.local.connection = None
            raise
        if response.will_close:
            connection.close()
            self.local.connection = None
        return response.status


def run_load(
    fetch: Callable[[str], int],
    paths: Sequence[str],
    *,
    threads: int,
    seconds: float,
    event: Callable[[], None] | None = None,
    event_at: float | None = None,
) -> LoadResult:
    """Call `fetch(path)` from `threads` threads in a loop over `paths` for `seconds`; `event()` once at
    `event_at` seconds (from its own thread, so the load goes on while it runs)."""
    samples: list[Sample] = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds
    event_error: list[str] = []

    def worker(offset: int) -> None:
        index = offset
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            index += 1
            began = time.monotonic()
            try:
                status, error = fetch(path), ""
            except Truncated as cut:
                status, error = cut.status, TRUNCATED
            except Exception as exc:  # every failure is a data point, not a crash of the run
                status, error = None, type(exc).__name__
            sample = Sample(began - start, time.monotonic() - began, path, status, error)
            with lock:
                samples.append(sample)
        if close := getattr(fetch, "close", None):
            close()

    def fire() -> None:
        time.sleep(max(0.0, start + (event_at or 0.0) - time.monotonic()))
        try:
            event()
        except Exception as exc:
            event_error.append(f"{type(exc).__name__}: {exc}")

    workers = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    if event is not None:
        workers.append(threading.Thread(target=fire, daemon=True))
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return LoadResult(
        samples=samples,
        seconds=time.monotonic() - start,
        event_at=event_at if event is not None else None,
        event_error="; ".join(event_error),
    )
