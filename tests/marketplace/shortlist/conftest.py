"""Merkliste tests: English pages, fresh rate-limit counters."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _shortlist_settings(settings):
    settings.LANGUAGE_CODE = "en"
    # The rate limits count in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()
