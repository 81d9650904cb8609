"""The load run and its figures, against a small HTTP server of the test."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.deploy.load import TRUNCATED, Fetcher, LoadResult, Sample, run_load


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"ok"
        status = 500 if self.path == "/boom" else 200
        length = len(body) + (10 if self.path == "/cut" else 0)  # announces more than it sends
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)
        if self.path == "/cut":
            self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def sample(started, seconds, status, error=""):
    return Sample(started=started, seconds=seconds, path="/", status=status, error=error)


def test_result_counts_errors_cut_off_bodies_and_requests_after_the_event():
    result = LoadResult(
        samples=[
            sample(0.1, 0.010, 200),
            sample(0.2, 0.020, 302),
            sample(1.0, 0.030, 404),
            sample(1.1, 0.040, None, "ConnectionResetError"),
            sample(1.2, 0.050, 200, TRUNCATED),
        ],
        seconds=2.0,
        event_at=1.0,
    )
    assert (result.requests, result.errors, result.truncated, result.retryable_errors) == (5, 3, 1, 2)
    assert len(result.after_event()) == 3
    assert result.statuses == {"200": 2, "302": 1, "404": 1, "ConnectionResetError": 1}
    assert result.percentile(0.5) == 0.030
    assert result.percentile(1.0) == 0.050
    line = result.line()
    assert line.startswith("5 requests; 3 errors (1 cut off mid-body); 2.0 s; 2 req/s; p50 30 ms; p95 50 ms")
    assert "3 requests finished after the event at 1.0 s" in line


def test_an_empty_result_has_no_percentiles():
    result = LoadResult(samples=[], seconds=1.0)
    assert (result.requests, result.errors, result.percentile(0.95)) == (0, 0, 0.0)


def test_run_load_fetches_from_every_thread_and_fires_the_event_once(server):
    fired = []
    result = run_load(
        Fetcher(server, "localhost", None),
        ["/", "/boom"],
        threads=3,
        seconds=0.5,
        event=lambda: fired.append(True),
        event_at=0.2,
    )
    assert fired == [True]
    assert result.requests > 6
    assert set(result.statuses) == {"200", "500"}
    assert result.errors == result.statuses["500"]
    assert result.truncated == 0


def test_a_body_cut_off_counts_as_truncated_not_as_retryable(server):
    result = run_load(Fetcher(server, "localhost", None), ["/cut"], threads=1, seconds=0.2)
    assert result.requests >= 1
    assert result.truncated == result.errors == result.requests
    assert result.retryable_errors == 0


def test_an_event_that_fails_is_reported(server):
    def broken():
        raise RuntimeError("no such server")

    result = run_load(
        Fetcher(server, "localhost", None), ["/"], threads=1, seconds=0.3, event=broken, event_at=0
    )
    assert result.event_error == "RuntimeError: no such server"


def test_the_line_speaks_of_one_request_and_one_error_in_the_singular():
    result = LoadResult(samples=[sample(0.0, 0.010, 500)], seconds=1.0)
    assert result.line().startswith("1 request; 1 error; 1.0 s; 1 req/s; p50 10 ms")
