"""Helpers for tests of a database that cannot be reached."""

import copy
from contextlib import contextmanager

from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

# The heading of templates/503.html.
UNAVAILABLE_HEADING = "The marketplace is briefly unavailable"


@contextmanager
def database_at(host: str):
    """Point the default connection at a socket directory where no server listens; restore it afterwards.

    A fresh connection object is swapped in (without the pool, which is shared per alias) so the test's own
    connection and transaction stay untouched.
    """
    original = connections["default"]
    broken_settings = copy.deepcopy(original.settings_dict)
    broken_settings["HOST"] = host
    broken_settings["OPTIONS"].pop("pool", None)
    broken_settings["OPTIONS"]["connect_timeout"] = 2
    broken = original.__class__(broken_settings, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


def unavailable_heading(language: str = "de") -> str:
    """The 503 page's heading as a visitor reads it (German until the catalogue says otherwise)."""
    with translation.override(language):
        return gettext(UNAVAILABLE_HEADING)
