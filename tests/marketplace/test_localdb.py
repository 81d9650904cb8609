import os

from marketplace import localdb


def test_cluster_files_go_to_a_short_directory_when_root_or_path_too_long(monkeypatch, tmp_path):
    deep = tmp_path / ("x" * 120)
    monkeypatch.setattr(localdb, "BASE_DIR", deep)
    home = localdb.pg_home()
    assert home.parent.as_posix() == "/tmp"
    assert home.name.startswith("scm-pg-")
    assert len(str(home / "run" / ".s.PGSQL.5432")) <= localdb.SOCKET_LIMIT


def test_cluster_stays_in_the_checkout_for_a_normal_user_with_a_short_path(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb, "BASE_DIR", tmp_path)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert localdb.pg_home() == tmp_path / ".pg"


def test_short_directory_is_stable_and_unique_per_checkout(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(localdb, "BASE_DIR", tmp_path / "a")
    first = localdb.pg_home()
    assert localdb.pg_home() == first
    monkeypatch.setattr(localdb, "BASE_DIR", tmp_path / "b")
    assert localdb.pg_home() != first


def test_connection_settings_use_the_socket(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb, "BASE_DIR", tmp_path)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    settings = localdb.connection_settings()
    assert settings["HOST"] == str(tmp_path / ".pg" / "run")
    assert settings["NAME"] == "marketplace"
