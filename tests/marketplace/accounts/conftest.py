"""Settings and a verified account for the account tests."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from solutions.models import EmailVerification
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _account_settings(settings):
    # Mail tasks run at once, so the links land in mail.outbox; production queues them in the database.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Assertions compare the English msgids; the German catalogue is tested centrally.
    settings.LANGUAGE_CODE = "en"
    # The rate limits count in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner():
    """A user who confirmed the address."""
    user = UserFactory(username="owner@example.org", email="owner@example.org")
    EmailVerification.objects.create(user=user, verified_at=timezone.now())
    return user
