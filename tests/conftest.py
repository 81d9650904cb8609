import uuid

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(params=["index", "aggregate"])
def counted_by(request):
    """Both ways a catalog counts its facets: ``counted_by(filterset)`` picks one for that filterset.

    Committed data is counted from the in-memory facet index; inside a transaction that has written (every
    ``db`` test after its first factory call) from the aggregate query. A fresh data version forces the
    index (built inside the test's transaction) and None the aggregate, so each count test checks both.
    """

    def choose(filterset):
        filterset.data_version = f"test-{uuid.uuid4()}" if request.param == "index" else None
        return filterset

    choose.path = request.param
    return choose
