"""Local servers and a fake resolver for the link check tests (imported by test_linkcheck_*.py).

Every server listens on the loopback interface and is started by the test; no test asks a real host. Name
resolution is faked (socket.getaddrinfo, the stdlib boundary) only where a test needs a host name that
points at one of these local servers.
"""

import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self, with_body: bool):
        self.server.requests.append((self.command, self.path, self.headers["Host"]))
        path, _, query = self.path.partition("?")
        if path == "/drip":
            return self._drip()
        if path == "/endless" and self.command == "GET":
            return self._endless()
        if path == "/redirect":
            location = parse_qs(query)["to"][0]
        elif path == "/loop":
            location = "/loop"
        elif path.startswith("/slow-hop/"):
            time.sleep(0.4)
            location = f"/slow-hop/{int(path.rsplit('/', 1)[1]) + 1}"
        else:
            location = None
        if location:
            self.send_response(302)
            self.send_header("Location", location)
        else:
            self.send_response(405 if path == "/endless" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def _drip(self):
        """A valid status line, then one header byte every 50 ms: no single read ever waits long."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        until = time.monotonic() + 8
        try:
            while time.monotonic() < until:
                self.wfile.write(b"a")
                time.sleep(0.05)
        except OSError:
            self.server.cut_off.set()

    def _endless(self):
        self.send_response(200)
        self.end_headers()
        until = time.monotonic() + 8
        try:
            while time.monotonic() < until:
                self.wfile.write(b"x" * 65536)
        except OSError:
            self.server.cut_off.set()
        self.close_connection = True

    def do_HEAD(self):  # noqa: N802
        self._answer(with_body=False)

    def do_GET(self):  # noqa: N802
        self._answer(with_body=True)

    def log_message(self, *args):
        pass


class RecordingServer(ThreadingHTTPServer):
    """Notes every accepted connection, so a test can show that none was made."""

    daemon_threads = True

    def __init__(self, address, tls: ssl.SSLContext | None = None):
        super().__init__(address, Handler)
        self.connections, self.requests, self.server_names = [], [], []
        self.cut_off = threading.Event()
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _context: self.server_names.append(name)
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    def verify_request(self, request, client_address):
        self.connections.append(client_address)
        return True


class Servers:
    """Starts recording servers and stops them all at the end of a test."""

    def __init__(self):
        self.running: list[RecordingServer] = []

    def start(self, host="127.0.0.1", port=0, tls=None) -> RecordingServer:
        server = RecordingServer((host, port), tls)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.running.append(server)
        server.port = server.server_address[1]
        server.url = f"{'https' if tls else 'http'}://{host}:{server.port}"
        return server

    def stop(self):
        for server in self.running:
            server.shutdown()
            server.server_close()


def fake_resolver(monkeypatch) -> SimpleNamespace:
    """Host names in `answers` resolve to the listed addresses (one list per lookup, the last one repeats);
    `asked` records each lookup of them. Every other name goes to the real resolver."""
    answers: dict[str, list[list[str]]] = {}
    asked: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        asked.append(host)
        queue = answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        port = int(port or 0)
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return SimpleNamespace(answers=answers, asked=asked)


def make_certificate_authority(folder: Path) -> Path:
    """A test CA (ca.pem) and a certificate for shop.test signed by it (shop.pem, shop.key), made with the
    openssl command."""

    def openssl(command):
        subprocess.run(["openssl", *command.split()], cwd=folder, check=True, capture_output=True)

    (folder / "shop.ext").write_text(
        "subjectAltName=DNS:shop.test\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    openssl(
        f"req -x509 {key} -keyout ca.key -out ca.pem -days 2 -subj /CN=Test-CA "
        "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
    )
    openssl(f"req -new {key} -keyout shop.key -out shop.csr -subj /CN=shop.test")
    signed_by_ca = "-CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
    openssl(f"x509 -req -in shop.csr {signed_by_ca} -extfile shop.ext -out shop.pem")
    return folder
