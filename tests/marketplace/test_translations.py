"""German is the default UI language: every message id in the code must have a German translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SOURCES = ["manage.py", "marketplace", "solutions", "pilots", "municipalities", "templates", "locale"]


def _untranslated(po_text: str) -> list[str]:
    missing = []
    for block in po_text.split("\n\n")[1:]:
        if "#, fuzzy" in block:
            missing.append(block)
            continue
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', block, flags=re.M)
        if not msgstrs or any(first == "" and not rest.strip('"\n') for first, rest in msgstrs):
            missing.append(block)
    return missing


def test_every_message_in_the_code_has_a_german_translation(tmp_path):
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
    )
    missing = _untranslated((tmp_path / "locale/de/LC_MESSAGES/django.po").read_text())
    assert missing == [], "untranslated German messages (run makemessages and translate):\n" + "\n\n".join(
        missing[:20]
    )
