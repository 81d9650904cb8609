"""The solutions catalog: facets with true counts, hostile parameters, HTMX partial, query counts."""

import pytest
from django.http import QueryDict

from marketplace.choices import EditorialStatus
from municipalities.models import SizeClass
from solutions.filters import SolutionFilterSet
from solutions.models import Solution
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    """A small catalog with overlapping categories, sizes, states and references."""
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    energy = CategoryFactory(slug="energie", name_de="Energie", name_en="Energy")
    admin = CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")
    oparl = StandardFactory(slug="oparl", name="OParl")
    lorawan = StandardFactory(slug="lorawan", name="LoRaWAN")
    bavaria = MunicipalityFactory(ags="09162000", population=1_500_000)
    saxony = MunicipalityFactory(ags="14612000", population=560_000)
    hesse = MunicipalityFactory(ags="06411000", population=3_000)
    rows = [
        SolutionFactory(
            categories=[mobility], standards=[lorawan], maturity="pilot", size_classes=["kleinstadt"]
        ),
        SolutionFactory(categories=[mobility, energy], maturity="production", size_classes=["grossstadt"]),
        SolutionFactory(
            categories=[energy],
            standards=[lorawan, oparl],
            maturity="production",
            licence_type="open_source",
            spdx_id="EUPL-1.2",
            size_classes=["kleinstadt", "mittelstadt"],
        ),
        SolutionFactory(
            categories=[admin], standards=[oparl], maturity="widespread", price_model="subscription"
        ),
        SolutionFactory(
            categories=[admin, mobility], maturity="concept", hosting_options=["on_premises", "eu_cloud"]
        ),
    ]
    ReferenceFactory(solution=rows[0], municipality=bavaria, is_verified=True)
    ReferenceFactory(solution=rows[0], municipality=saxony, is_verified=False)
    ReferenceFactory(solution=rows[1], municipality=saxony, is_verified=False)
    ReferenceFactory(solution=rows[2], municipality=hesse, is_verified=True)
    ReferenceFactory(solution=rows[3], municipality=bavaria, is_verified=False)
    # Never counted: a draft and a published row of an unverified vendor.
    SolutionFactory(categories=[mobility], status=EditorialStatus.DRAFT)
    SolutionFactory(categories=[mobility], vendor=VendorFactory(is_verified=False))
    return rows


def _true_matches(solution, params: QueryDict, skip=None):
    """Independent reference implementation of the filter semantics (OR inside a facet, AND across)."""
    checks = {
        "category": lambda values: {c.slug for c in solution.categories.all()} & set(values),
        "standard": lambda values: {s.slug for s in solution.standards.all()} & set(values),
        "size": lambda values: set(solution.size_classes) & set(values),
        "hosting": lambda values: set(solution.hosting_options) & set(values),
        "maturity": lambda values: solution.maturity in values,
        "licence": lambda values: solution.licence_type in values,
        "price_model": lambda values: solution.price_model in values,
        "state": lambda values: {r.municipality.state for r in solution.references.all()} & set(values),
        "verified": lambda values: any(r.is_verified for r in solution.references.all()),
    }
    for name, check in checks.items():
        values = params.getlist(name)
        if name != skip and values and not check(values):
            return False
    return True


def _expected_counts(facet_name, value, params):
    published = Solution.objects.published()
    probe = params.copy()
    probe.setlist(facet_name, [value])
    return sum(
        1
        for s in published
        if _true_matches(s, probe, skip=None) and _true_matches(s, params, skip=facet_name)
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "category=mobilitaet",
        "category=mobilitaet&category=energie&maturity=production",
        "size=kleinstadt&standard=lorawan",
        "state=09&verified=1",
        "licence=open_source&hosting=german_dc&price_model=on_request",
    ],
)
def test_facet_counts_equal_true_counts(catalog, query):
    params = QueryDict(query)
    filterset = SolutionFilterSet(params, queryset=Solution.objects.published())
    for facet in filterset.facets:
        for option in facet.options:
            expected = _expected_counts(facet.name, option.value, params)
            assert (facet.name, option.value, option.count) == (facet.name, option.value, expected)
            assert option.selected == (option.value in params.getlist(facet.name))
    expected_total = sum(1 for s in Solution.objects.published() if _true_matches(s, params))
    assert filterset.total == expected_total
    assert filterset.qs.count() == expected_total
