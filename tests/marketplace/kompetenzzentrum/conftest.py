"""Settings of the Kompetenzzentrum tests: mails land in mail.outbox at once, in English, no fill time."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _inbox_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    settings.LANGUAGE_CODE = "en"
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    # The rate limits count in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()
