"""The typed environment helpers fail loudly, and production mode refuses to start half-configured."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from marketplace.env import env_bool, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("false", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SCM_TEST_FLAG", raw)

    assert env_bool("SCM_TEST_FLAG") is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SCM_TEST_FLAG", raising=False)

    assert (env_bool("SCM_TEST_FLAG"), env_bool("SCM_TEST_FLAG", True)) == (False, True)


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "tru"])
def test_env_bool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("SCM_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="SCM_TEST_FLAG"):
        env_bool("SCM_TEST_FLAG")


def test_env_int_reads_numbers_and_falls_back_when_empty(monkeypatch):
    monkeypatch.setenv("SCM_TEST_NUMBER", "42")
    assert env_int("SCM_TEST_NUMBER", 7) == 42
    monkeypatch.setenv("SCM_TEST_NUMBER", "  ")
    assert env_int("SCM_TEST_NUMBER", 7) == 7
    monkeypatch.delenv("SCM_TEST_NUMBER")
    assert env_int("SCM_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["abc", "1.5", "10 seconds"])
def test_env_int_rejects_non_numbers(monkeypatch, raw):
    monkeypatch.setenv("SCM_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="SCM_TEST_NUMBER must be a whole number"):
        env_int("SCM_TEST_NUMBER", 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SCM_TEST_LIST", " example.org, www.example.org ,,")

    assert env_list("SCM_TEST_LIST") == ["example.org", "www.example.org"]


def test_env_list_uses_a_copy_of_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SCM_TEST_LIST", raising=False)
    default = ["localhost"]

    result = env_list("SCM_TEST_LIST", default)
    result.append("changed")

    assert (env_list("SCM_TEST_LIST"), default) == ([], ["localhost"])


def _import_settings(code: str = "import marketplace.settings", **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DEBUG", "SECRET_KEY"))}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    # An empty SECRET_KEY wins over the development .env, whose values only fill in unset variables.
    result = _import_settings(DEBUG="0", SECRET_KEY="")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_misspelt_flag_stops_the_start_with_its_name():
    result = _import_settings(DEBUG="0", SECRET_KEY="x" * 50, TRUST_X_FORWARDED_PROTO="yes please")

    assert result.returncode != 0
    assert "ImproperlyConfigured: TRUST_X_FORWARDED_PROTO must be one of" in result.stderr


@pytest.mark.parametrize(("raw", "expected"), [("1", "True"), ("", "False")])
def test_pgbouncer_transaction_mode_turns_server_side_cursors_off(raw, expected):
    code = "from marketplace.settings import DATABASES; print(DATABASES['default']"
    code += "['DISABLE_SERVER_SIDE_CURSORS'])"
    result = _import_settings(code, DEBUG="1", DB_PGBOUNCER_TRANSACTION=raw)

    assert result.stdout.strip() == expected, result.stderr
