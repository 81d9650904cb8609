"""Where the rehearsal keeps its state, which loopback ports it uses, and the config files it renders.

Every port and the state folder can be moved with an environment variable (CLUSTER_*), so the rehearsal
never collides with a development server (8000-8002) or another checkout's cluster.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from marketplace import localdb

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
FIELD = re.compile(r"\{\{ (\w+) \}\}")


class TemplateError(ValueError):
    pass


def render(template: str, values: dict[str, object]) -> str:
    """`template` with each `{{ name }}` replaced; a field without a value is an error, not ""."""
    missing = sorted({name for name in FIELD.findall(template) if name not in values})
    if missing:
        raise TemplateError(f"no value for {', '.join(missing)}")
    return FIELD.sub(lambda match: str(values[match.group(1)]), template)


def _port(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{name} must be a port number, not {value!r}")
    return int(value)


def socket_database_url(name: str, socket_dir: Path, port: int = localdb.PORT, user: str = "postgres") -> str:
    """A DATABASE_URL for a PostgreSQL reached over its Unix socket (the host is the socket directory)."""
    return f"postgres://{user}@{quote(str(socket_dir), safe='')}:{port}/{name}"


@dataclass(frozen=True)
class Layout:
    state: Path
    https_port: int
    app_ports: tuple[int, int]
    restore_port: int
    redis_port: int
    database: str
    server_name: str = "localhost"

    @classmethod
    def from_environment(cls) -> Layout:
        return cls(
            state=Path(os.environ.get("CLUSTER_DIR", BASE_DIR / ".cluster")).resolve(),
            https_port=_port("CLUSTER_HTTPS_PORT", 8443),
            app_ports=(_port("CLUSTER_APP_A_PORT", 8101), _port("CLUSTER_APP_B_PORT", 8102)),
            restore_port=_port("CLUSTER_RESTORE_PORT", 8103),
            redis_port=_port("CLUSTER_REDIS_PORT", 6390),
            database=os.environ.get("CLUSTER_DATABASE", f"{localdb.DB_NAME}_cluster"),
        )

    @property
    def public_host(self) -> str:
        return f"{self.server_name}:{self.https_port}"

    @property
    def public_url(self) -> str:
        return f"https://{self.public_host}"

    @property
    def certificate(self) -> Path:
        return self.state / "tls" / "cert.pem"

    @property
    def certificate_key(self) -> Path:
        return self.state / "tls" / "key.pem"

    @property
    def nginx_conf(self) -> Path:
        return self.state / "nginx" / "nginx.conf"

    @property
    def redis_conf(self) -> Path:
        return self.state / "redis" / "redis.conf"

    @property
    def env_file(self) -> Path:
        return self.state / "app.env"

    @property
    def log_dir(self) -> Path:
        return self.state / "log"

    @property
    def run_dir(self) -> Path:
        return self.state / "run"

    def database_url(self, name: str | None = None) -> str:
        return socket_database_url(name or self.database, localdb.socket_dir())

    def values(self, secret_key: str) -> dict[str, object]:
        return {
            "state": self.state,
            "https_port": self.https_port,
            "app_a_port": self.app_ports[0],
            "app_b_port": self.app_ports[1],
            "redis_port": self.redis_port,
            "server_name": self.server_name,
            "public_host": self.public_host,
            "ssl_certificate": self.certificate,
            "ssl_certificate_key": self.certificate_key,
            "secret_key": secret_key,
            "database_url": self.database_url(),
            # The rehearsal sends no mail: the worker prints each message to its log.
            "email_url": "console://",
        }

    def secret_key(self) -> str:
        """The cluster's SECRET_KEY, made once: sessions and signed links survive `make cluster` again."""
        path = self.state / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def render_all(self) -> dict[Path, str]:
        """Each config file of the rehearsal and its text, from the reference files in this package."""
        values = self.values(self.secret_key())
        sources = {self.nginx_conf: "nginx.conf", self.redis_conf: "redis.conf", self.env_file: "app.env"}
        return {
            target: render((PACKAGE_DIR / source).read_text(), values) for target, source in sources.items()
        }

    def write_configs(self) -> None:
        for directory in ("nginx", "redis", "tls", "log", "run", "media", "backup"):
            (self.state / directory).mkdir(parents=True, exist_ok=True)
        for path, text in self.render_all().items():
            path.write_text(text)
        self.env_file.chmod(0o600)

    def app_environment(self, **overrides: str) -> dict[str, str]:
        """os.environ with the app servers' environment (app.env) on top, then `overrides`."""
        environment = dict(os.environ)
        environment.update(read_env_file(self.env_file))
        environment.update(overrides)
        return environment


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines, blank lines and # comments skipped (the format of systemd's EnvironmentFile)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values
