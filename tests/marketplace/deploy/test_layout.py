"""The reference config files as the rehearsal renders them."""

import shutil
import subprocess

import dj_database_url
import pytest

from marketplace.deploy.layout import Layout, TemplateError, read_env_file, render, socket_database_url


@pytest.fixture
def layout(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTER_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CLUSTER_HTTPS_PORT", "9443")
    monkeypatch.setenv("CLUSTER_APP_A_PORT", "9101")
    monkeypatch.setenv("CLUSTER_APP_B_PORT", "9102")
    monkeypatch.setenv("CLUSTER_REDIS_PORT", "9390")
    layout = Layout.from_environment()
    layout.write_configs()
    return layout


def test_render_fills_every_field_and_refuses_a_missing_one():
    assert render("listen {{ port }}; # {{ port }}", {"port": 1}) == "listen 1; # 1"
    with pytest.raises(TemplateError, match="no value for host"):
        render("{{ host }}:{{ port }}", {"port": 1})


def test_nginx_balances_over_both_app_servers_and_retries_elsewhere(layout):
    conf = layout.nginx_conf.read_text()
    assert "{{" not in conf
    assert "server 127.0.0.1:9101 max_fails=1 fail_timeout=5s;" in conf
    assert "server 127.0.0.1:9102 max_fails=1 fail_timeout=5s;" in conf
    assert "proxy_next_upstream error timeout http_502 http_503;" in conf
    assert "non_idempotent" not in conf.split("proxy_next_upstream ", 1)[1].split(";")[0]
    assert "listen 127.0.0.1:9443 ssl;" in conf
    assert f"ssl_certificate {layout.state}/tls/cert.pem;" in conf
    assert f"ssl_certificate_key {layout.state}/tls/key.pem;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto https;" in conf


def test_every_state_path_of_nginx_and_redis_stays_in_the_state_folder(layout):
    for conf in (layout.nginx_conf.read_text(), layout.redis_conf.read_text()):
        settings = [line.split("#")[0] for line in conf.splitlines()]
        paths = [
            word.rstrip(";")
            for line in settings
            for word in line.split()
            if word.startswith("/") and word != "/"
        ]
        assert paths
        assert all(path.startswith(str(layout.state)) for path in paths), paths


def test_app_environment_is_production_with_the_shared_cache(layout):
    env = read_env_file(layout.env_file)
    assert env["DEBUG"] == "0"
    assert len(env["SECRET_KEY"]) == 64
    assert env["SITE_URL"] == "https://localhost:9443"
    assert env["CACHE_BACKEND"] == "marketplace.cache.ResilientRedisCache"
    assert env["CACHE_LOCATION"] == "redis://127.0.0.1:9390/0"
    assert env["TRUSTED_PROXIES"] == "127.0.0.1"
    assert env["TRUST_X_FORWARDED_PROTO"] == "1"
    assert env["ADMIN_REQUIRE_OTP"] == "1"
    assert oct(layout.env_file.stat().st_mode & 0o777) == "0o600"


def test_the_secret_key_survives_a_second_render(layout):
    first = read_env_file(layout.env_file)["SECRET_KEY"]
    layout.write_configs()
    assert read_env_file(layout.env_file)["SECRET_KEY"] == first


def test_a_socket_database_url_reaches_the_socket_directory():
    url = socket_database_url("marketplace_cluster", "/tmp/scm-pg-x/run")
    parsed = dj_database_url.parse(url)
    assert (parsed["HOST"], parsed["PORT"], parsed["NAME"]) == (
        "/tmp/scm-pg-x/run",
        5432,
        "marketplace_cluster",
    )


def test_a_bad_port_stops_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("CLUSTER_HTTPS_PORT", "eighty")
    with pytest.raises(ValueError, match="CLUSTER_HTTPS_PORT"):
        Layout.from_environment()


@pytest.mark.skipif(not (shutil.which("nginx") or shutil.which("/usr/sbin/nginx")), reason="needs nginx")
@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl")
def test_nginx_accepts_the_rendered_config(layout):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(layout.certificate_key), "-out", str(layout.certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-p", f"{layout.state}/nginx/", "-e", str(layout.log_dir / "error.log"),
         "-c", str(layout.nginx_conf)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
