import os
import subprocess
import sys

from django.conf import settings


def _run(env_overrides):
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_manage_py_stops_with_one_sentence_on_a_configuration_error():
    # No .env can help here: SECRET_KEY and DEBUG come from the environment and win over the file.
    result = _run({"DEBUG": "0", "SECRET_KEY": ""})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY must be set when DEBUG is off "
        "(e.g. SECRET_KEY=$(openssl rand -hex 32))."
    ]


def test_manage_py_names_the_variable_with_a_bad_value():
    result = _run({"DEBUG": "maybe"})
    assert result.returncode == 1
    assert "DEBUG must be one of" in result.stderr
    assert "Traceback" not in result.stderr
