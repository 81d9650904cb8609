"""Mails land in mail.outbox at once, in English; no minimum fill time; rate limits start at zero."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _agreement_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    settings.LANGUAGE_CODE = "en"
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()
