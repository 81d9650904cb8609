import pytest
from django.http import QueryDict

from marketplace.catalog.index import clear_facet_indexes, kept_facet_indexes
from marketplace.catalog.version import close_direct_connections


@pytest.fixture(scope="session", autouse=True)
def _direct_version_connections(django_db_setup):
    """The content version's own connections (marketplace/catalog/version.py) keep the test database open:
    closed before it is dropped (this fixture ends before ``django_db_setup``, which it depends on)."""
    yield
    close_direct_connections()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(params=["fresh index", "kept index"])
def counted_by(request):
    """Both ways a catalog's counts come from the facet index: ``counted_by(filterset)`` picks one.

    "fresh index": built for this filterset from the rows as they are now. "kept index": built and kept for
    the same content version by an earlier request for another filter state (the unfiltered catalog), the
    way most requests are counted. Either way the counts must equal the truth.
    """

    def choose(filterset):
        clear_facet_indexes()
        if request.param == "kept index":
            earlier = type(filterset)(QueryDict(), queryset=filterset.queryset.all())
            assert earlier.content_version == filterset.content_version
            earlier.facets  # noqa: B018 - builds and keeps the index
            assert kept_facet_indexes() == 1
        return filterset

    choose.path = request.param
    return choose
