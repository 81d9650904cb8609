"""The open-data part of `make bench` (issue 14): a page of 100 solutions from the API, and the peak memory
growth of exporting every published solution (streamed; the target is under 50 MB for 10,000)."""

import time
import tracemalloc

from django.test import Client, override_settings

from .rows import Row, url

API_TARGET_MS = 50
EXPORT_MEMORY_TARGET_MB = 50
# The benchmark asks hundreds of times from one address; the limits are not what it measures.
UNLIMITED = {"API_RATE": (10**9, 60), "OPEN_DATA_EXPORT_RATE": (10**9, 60)}


def rows() -> list[Row]:
    api = url("api:docs") + "solutions/" if url("api:docs") else ""
    return [
        Row("API: 100 solutions", f"{api}?page_size=100" if api else "", target_ms=API_TARGET_MS),
        Row(
            "API: 100 solutions, filtered",
            f"{api}?page_size=100&category=mobilitaet" if api else "",
            target_ms=API_TARGET_MS,
        ),
    ]


def export_memory() -> str:
    """One line for the report: rows, bytes, seconds and the traced peak memory of a whole JSON export."""
    path = url("opendata:export", dataset="loesungen", fmt="json")
    if not path:
        return "Export memory: not measured (no URL)."
    client = Client()
    with override_settings(**UNLIMITED, ALLOWED_HOSTS=["testserver"], DEBUG=False):
        tracemalloc.start()
        try:
            started = time.perf_counter()
            response = client.get(path)
            size = 0
            rows = 0
            for chunk in response.streaming_content:
                size += len(chunk)
                rows += chunk.count(b'{"id": ')
            seconds = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    peak_mb = peak / 2**20
    met = "yes" if response.status_code == 200 and peak_mb < EXPORT_MEMORY_TARGET_MB else "**no**"
    return (
        f"Export of all published solutions as JSON (`{path}`): {rows:,} rows, {size:,} bytes in "
        f"{seconds:.1f} s; "
        f"peak memory growth {peak_mb:.1f} MB (Python allocations, tracemalloc; target < "
        f"{EXPORT_MEMORY_TARGET_MB} MB): {met}."
    )
