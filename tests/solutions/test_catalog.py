"""The solutions catalog: facets with true counts, hostile parameters, HTMX partial, query counts."""

import pytest
from django.http import QueryDict

from marketplace.catalog.version import content_version
from marketplace.choices import EditorialStatus
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


def cost_band(euros):
    """Independent reference of the cost bands (solutions/buyer_facets.py): upper limits inclusive."""
    if euros is None:
        return "on_request"
    for limit, band in ((5_000, "upto_5000"), (20_000, "5000_20000"), (50_000, "20000_50000")):
        if euros <= limit:
            return band
    return "over_50000"


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
        "used_by": lambda values: (
            {r.municipality.size_class for r in solution.references.all() if r.is_verified} & set(values)
        ),
        "data_location": lambda values: solution.data_location in values,
        "dpa": lambda values: solution.dpa_available,
        "cost_introduction": lambda values: cost_band(solution.cost_introduction_eur) in values,
        "cost_yearly": lambda values: cost_band(solution.cost_yearly_eur) in values,
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
def test_facet_counts_equal_true_counts(catalog, query, counted_by):
    params = QueryDict(query)
    filterset = counted_by(SolutionFilterSet(params, queryset=Solution.objects.published()))
    for facet in filterset.facets:
        for option in facet.options:
            expected = _expected_counts(facet.name, option.value, params)
            assert (facet.name, option.value, option.count) == (facet.name, option.value, expected)
            assert option.selected == (option.value in params.getlist(facet.name))
    expected_total = sum(1 for s in Solution.objects.published() if _true_matches(s, params))
    assert filterset.total == expected_total
    assert filterset.qs.count() == expected_total


URL = "/loesungen/"


def test_list_shows_only_published_rows_with_sample_badge(client, catalog):
    demo = SolutionFactory(title="Demo-Parkraum", is_demo=True)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == 6
    assert [s.pk for s in response.context["solutions"]].count(demo.pk) == 1
    assert html.count('class="badge badge-sample"') == 1
    titles = {s.title for s in response.context["solutions"]}
    assert titles == {s.title for s in Solution.objects.published()}


def test_facet_checkboxes_render_counts_and_checked_state(client, catalog):
    response = client.get(URL, {"category": "mobilitaet"})
    html = response.content.decode()
    assert '<input type="checkbox" name="category" value="mobilitaet" id="facet-category-0" checked>' in html
    assert '<span class="facet-count" id="facet-category-0-count">(3)</span>' in html
    # Disjunctive: the sibling keeps its own count (mobility OR energy would add one more row).
    assert '<span class="facet-count" id="facet-category-1-count">(2)</span>' in html
    assert response.context["total"] == 3


def test_result_count_is_announced_politely(client, catalog):
    html = client.get(URL, {"maturity": "production"}).content.decode()
    assert (
        '<p class="result-count" id="result-count" role="status" aria-live="polite">2 Lösungen gefunden'
        in html
        or (
            '<p class="result-count" id="result-count" role="status" aria-live="polite">2 solutions found'
            in html
        )
    )


def test_chips_remove_one_value_and_keep_the_others(client, catalog):
    response = client.get(URL, {"category": ["mobilitaet", "energie"], "maturity": "production", "page": "1"})
    chips = {(chip.value_label, chip.url) for chip in response.context["chips"]}
    assert chips == {
        ("Mobilität", "/loesungen/?category=energie&maturity=production"),
        ("Energie", "/loesungen/?category=mobilitaet&maturity=production"),
        (str(Solution.Maturity.PRODUCTION.label), "/loesungen/?category=mobilitaet&category=energie"),
    }
    html = response.content.decode()
    assert 'href="/loesungen/?category=energie&amp;maturity=production"' in html
    assert 'class="reset-link" href="/loesungen/"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"category": "does-not-exist"},
        {"maturity": ["production", "'; DROP TABLE solutions_solution; --"]},
        {"page": "999999"},
        {"page": "abc"},
        {"page": "-1"},
        {"sort": "<script>alert(1)</script>"},
        {"q": "x" * 10_000},
        {"q": "<script>alert(1)</script>"},
        {"q": "' OR 1=1 --"},
        {"q": '"unclosed phrase -'},
        {"q": "&|!():*"},
        {"state": "99", "verified": "yes"},
        {"size": "\x00"},
    ],
)
def test_hostile_parameters_give_a_page_with_a_message(client, catalog, params):
    response = client.get(URL, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert response.context["page_obj"].number >= 1


def test_invalid_parameters_are_explained(client, catalog):
    response = client.get(URL, {"category": ["mobilitaet", "bogus"], "page": "abc", "q": "x" * 10_000})
    messages = [str(m) for m in response.context["messages_list"]]
    assert len(messages) == 3
    assert any("bogus" in m for m in messages)
    # The valid category still applies; the over-long search is ignored, not truncated silently.
    assert response.context["total"] == 3
    assert response.context["text_search"].text == ""


def test_page_out_of_range_shows_last_page_with_message(client, catalog):
    response = client.get(URL, {"page": "999999"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert any("999999" in str(m) for m in response.context["messages_list"])


def test_script_in_title_is_escaped(client):
    SolutionFactory(title="<script>alert('x')</script> Parkraum")
    html = client.get(URL).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Parkraum" in html


def test_sorting_by_name_and_references(client, catalog):
    by_name = client.get(URL, {"sort": "name"}).context["solutions"]
    assert [s.title for s in by_name] == sorted(s.title for s in catalog)
    by_references = client.get(URL, {"sort": "references"}).context["solutions"]
    assert [s.reference_count for s in by_references] == [2, 1, 1, 1, 0]
    newest = client.get(URL).context
    assert newest["sort_order"] == "newest"
    assert [s.pk for s in newest["solutions"]] == [
        s.pk for s in sorted(catalog, key=lambda s: s.published_at)
    ][::-1]


def test_pagination_keeps_filters(client):
    category = CategoryFactory(slug="wasser")
    SolutionFactory.create_batch(45, categories=[category])
    response = client.get(URL, {"category": "wasser", "page": "2"})
    html = response.content.decode()
    assert response.context["page_obj"].number == 2
    assert len(response.context["solutions"]) == 20
    assert 'href="?category=wasser&amp;page=3"' in html
    assert 'href="?category=wasser&amp;page=2" aria-current="page"' in html


def test_htmx_request_gets_only_the_partial(client, catalog):
    full = client.get(URL, {"category": "energie"})
    partial = client.get(URL, {"category": "energie"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="catalog-results"')
    assert 'id="result-count" hx-swap-oob="innerHTML"' in body
    assert (
        '<div id="facet-counts" hidden hx-swap-oob="true" data-facet-counts="category=3,2,2;size=0,1,1,1;'
        in body
    )
    assert partial["Vary"].split(", ").count("HX-Request") == 1
    assert "HX-Request" in full["Vary"]
    assert len(partial.content) <= 0.4 * len(full.content)


def test_history_restore_gets_the_full_page(client, catalog):
    response = client.get(
        URL, {"category": "energie"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    body = response.content.decode()
    assert body.startswith("<!DOCTYPE html>")
    assert "HX-Request" in response["Vary"]


def _make_rows(count):
    categories = [CategoryFactory(slug=f"feld-{i}") for i in range(3)]
    standard = StandardFactory()
    municipality = MunicipalityFactory()
    for i in range(count):
        solution = SolutionFactory(
            categories=categories[: 1 + i % 3], standards=[standard], is_demo=i % 2 == 0
        )
        ReferenceFactory(solution=solution, municipality=municipality)


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_is_constant(client, django_assert_num_queries, rows):
    _make_rows(rows)
    # The first request after a change (tests/marketplace/test_facet_index.py locks the warm one too): the
    # content version, categories and standards (choices), the facet index (the rows' own fields, categories,
    # standards, Länder of the references), the page.
    with django_assert_num_queries(8):
        response = client.get(URL, {"category": "feld-0", "sort": "references"})
    assert response.context["total"] == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_search_query_count_is_constant(client, django_assert_num_queries, rows):
    _make_rows(rows)
    # ... plus one EXISTS deciding between full text and the trigram fallback and the ranked keys of the
    # matches, and the search lexicon's lookup (marketplace/catalog/lexicon.py): one query, three here
    # because the rows above changed the content version (the lexicon is stale: rebuilt, looked up again)
    with django_assert_num_queries(13):
        response = client.get(URL, {"q": "Lösung", "category": "feld-0"})
    assert response.context["total"] == rows


def test_cached_facet_counts_follow_every_write(client, catalog):
    response = client.get(URL, {"category": "energie"})
    assert response.context["total"] == 2
    SolutionFactory(categories=[catalog[2].categories.get()])
    response = client.get(URL, {"category": "energie"})
    assert response.context["total"] == 3
    energy = next(f for f in response.context["facets"] if f.name == "category").options[1]
    assert (energy.value, energy.count) == ("energie", 3)
    Solution.objects.filter(pk=catalog[2].pk).update(status=EditorialStatus.ARCHIVED)
    assert client.get(URL, {"category": "energie"}).context["total"] == 2


def test_cached_counts_follow_committed_writes(client, transactional_db):
    """Committed writes reach the kept counts on the very next request, keyed by the content version."""
    category = CategoryFactory(slug="wasser")
    SolutionFactory(categories=[category])
    assert client.get(URL, {"category": "wasser"}).context["total"] == 1
    before = content_version()
    assert before is not None
    SolutionFactory(categories=[category])
    assert content_version() != before
    response = client.get(URL, {"category": "wasser"})
    assert response.context["total"] == 2
    wasser = next(f for f in response.context["facets"] if f.name == "category").options[0]
    assert (wasser.value, wasser.count) == ("wasser", 2)
