import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from marketplace.choices import EditorialStatus
from solutions.models import Solution
from tests.factories import SolutionFactory, VendorFactory


@pytest.mark.django_db
def test_published_returns_only_published_solutions_of_verified_vendors():
    visible = SolutionFactory(title="Sichtbar")
    for status in EditorialStatus:
        if status != EditorialStatus.PUBLISHED:
            SolutionFactory(status=status, title=f"Status {status}")
    SolutionFactory(vendor=VendorFactory(is_verified=False), title="Unverifizierter Anbieter")
    assert list(Solution.objects.published()) == [visible]


def _matches(solution, words):
    return Solution.objects.filter(pk=solution.pk, search_vector=SearchQuery(words, config="german")).exists()


@pytest.mark.django_db
def test_search_vector_is_german_and_weighted():
    solution = SolutionFactory(
        title="Parkplatzsensorik", summary="Freie Parkplätze in Echtzeit", description="Straßenbeleuchtung"
    )
    solution.refresh_from_db()
    # Title words weigh A, summary words B, description words C; words are German stems.
    assert solution.search_vector == (
        "'echtzeit':5B 'freie':2B 'parkplatz':3B 'parkplatzsensor':1A 'strassenbeleucht':6C"
    )
    # German stemming: the singular finds the plural.
    assert _matches(solution, "Parkplatz")
    assert _matches(solution, "Straßenbeleuchtungen")


@pytest.mark.django_db
def test_search_vector_follows_saves_and_bulk_updates():
    solution = SolutionFactory(title="Abfallkalender", summary="Termine", description="")
    assert not _matches(solution, "Bürgerbeteiligung")
    solution.title = "Bürgerbeteiligung online"
    solution.save()
    assert _matches(solution, "Bürgerbeteiligung")
    Solution.objects.filter(pk=solution.pk).update(description="Wasserzähler per Funk")
    assert _matches(solution, "Wasserzähler")


@pytest.mark.django_db
def test_open_source_needs_spdx_identifier():
    solution = SolutionFactory.build(vendor=VendorFactory(), licence_type="open_source", spdx_id="")
    with pytest.raises(ValidationError) as info:
        solution.clean()
    assert list(info.value.message_dict) == ["spdx_id"]
    with pytest.raises(IntegrityError), transaction.atomic():
        solution.save()


@pytest.mark.django_db
def test_size_class_and_hosting_labels():
    solution = SolutionFactory(size_classes=["kleinstadt", "grossstadt"], hosting_options=["on_premises"])
    with translation.override("en"):
        assert solution.get_size_classes_display() == ["Small town (5,000–19,999)", "City (100,000 and more)"]
        assert solution.get_hosting_options_display() == ["On premises"]
