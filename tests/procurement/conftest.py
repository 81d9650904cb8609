"""Procurement: mails land in mail.outbox at once, English pages, no minimum fill time, the test limits."""

from pathlib import Path

import pytest
from django.core.cache import cache

from marketplace.procurement.importer import import_directory

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _procurement_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    settings.JOINT_BUYING_MIN_FILL_SECONDS = 0
    settings.JOINT_BUYING_GROUP_SIZE = 3
    settings.EDITOR_EMAILS = ["kompetenzzentrum@example.org"]
    settings.SITE_URL = "https://marktplatz.example.de"
    # The rate limits count in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def limits(db):
    """The small test table (tests/procurement/data/), imported the way the real one is."""
    return import_directory(DATA)
