"""The comparison page (solutions:compare): every criterion side by side, differences marked, the "only
differences" toggle, messages for bad input, the visitor's municipality, and a query count that does not grow
with the references."""

import re
from html import unescape

import pytest
from django.urls import reverse

from marketplace.choices import EditorialStatus
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

URL = reverse("solutions:compare")
ENGLISH = {"Accept-Language": "en"}
ROW = re.compile(r"<tr( class=\"[^\"]*\")?>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", re.S)
TAG = re.compile(r"<[^>]+>")


def text(fragment: str) -> str:
    return " ".join(unescape(TAG.sub(" ", fragment)).split())


def table(html: str) -> dict[str, tuple[bool, list[str]]]:
    """Each criterion row of the table: label -> (marked as differing, cell texts)."""
    body = html.split('<table class="data-table compare-table">', 1)[1].split("</table>", 1)[0]
    rows = {}
    for css, label, cells in ROW.findall(body):
        differs = "compare-row--differs" in css
        assert differs == ("(values differ)" in label)  # the marker goes with the highlight
        label = text(label.replace("(values differ)", "")).rstrip(" ≠")
        rows[label] = (differs, [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)])
    return rows


def compare_url(*slugs, diff=False) -> str:
    query = "&".join(f"s={slug}" for slug in slugs)
    return f"{URL}?{query}" + ("&diff=1" if diff else "")


@pytest.fixture
def pair():
    mobility = CategoryFactory(name_en="Mobility")
    standard = StandardFactory(name="OParl")
    park = SolutionFactory(
        title="Parkleitsystem",
        slug="park",
        categories=[mobility],
        standards=[standard],
        size_classes=["mittelstadt", "grossstadt"],
        licence_type=Solution.LicenceType.OPEN_SOURCE,
        spdx_id="EUPL-1.2",
        source_url="https://code.example/park",
        dpa_available=True,
        cost_introduction_eur=12500,
        cost_yearly_eur=3000,
        procurement_notes="Rahmenvertrag\nüber die Landes-IT",
    )
    light = SolutionFactory(
        title="Straßenlicht",
        slug="licht",
        categories=[mobility],
        size_classes=["kleinstadt"],
        cost_introduction_eur=12500,
    )
    return park, light


def test_compare_shows_every_criterion_side_by_side(client, pair):
    park, light = pair
    ReferenceFactory(solution=park, is_verified=True)
    ReferenceFactory(solution=park, is_verified=False)
    response = client.get(compare_url("park", "licht"), headers=ENGLISH)
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    rows = table(html)
    assert rows["Fields of action"] == (False, ["Mobility", "Mobility"])
    assert rows["Suitable for"][0] is True
    assert rows["References"] == (True, ["2, of them 1 verified", "0, of them 0 verified"])
    assert rows["Licence"] == (True, ["Open source (EUPL-1.2), source code", "Proprietary"])
    assert rows["Data processing agreement"] == (True, ["available", "not stated"])
    assert rows["Standards"] == (True, ["OParl", "none stated"])
    assert rows["One-off introduction"] == (False, ["12.500 €", "12.500 €"])
    assert rows["Operation per year"] == (True, ["3.000 €", "on request"])
    assert rows["Hosting"] == (False, ["Data centre in Germany", "Data centre in Germany"])
    assert rows["Notes on procurement"] == (True, ["Rahmenvertrag über die Landes-IT", "–"])
    assert rows["Links last checked"] == (False, ["not yet", "not yet"])
    assert '<a href="https://code.example/park">source code</a>' in html
    # Columns in the order of the link.
    heads = re.findall(r'<th scope="col"><a href="([^"]+)">', html)
    assert heads == [park.get_absolute_url(), light.get_absolute_url()]
    # No personal municipality chosen: no rows for it.
    assert not any(label.startswith("References in my") for label in rows)


def test_compare_only_differences_hides_equal_rows(client, pair):
    html = client.get(compare_url("park", "licht", diff=True), headers=ENGLISH).content.decode()
    rows = table(html)
    assert "Fields of action" not in rows and "Hosting" not in rows
    assert all(
        differs for label, (differs, _) in rows.items() if label not in {"Last update", "Links last checked"}
    )
    assert "criteria with the same values are hidden." in html
    assert re.search(r'<input type="checkbox" name="diff" value="1" id="compare-diff" checked>', html)


def test_compare_htmx_request_gets_only_the_comparison(client, pair):
    html = client.get(
        compare_url("park", "licht", diff=True), headers={**ENGLISH, "HX-Request": "true"}
    ).content.decode()
    assert html.lstrip().startswith('<div id="comparison" class="comparison">')
    assert "<h1>" not in html
    assert "Fields of action" not in table(html)


def test_compare_counts_references_of_my_municipality(client, pair):
    park, light = pair
    mine = MunicipalityFactory(ags="06412000", population=50_000)  # Hessen, Mittelstadt
    ReferenceFactory(solution=park, municipality=MunicipalityFactory(ags="06435001", population=40_000))
    ReferenceFactory(solution=park, municipality=MunicipalityFactory(ags="09162000", population=60_000))
    ReferenceFactory(solution=light, municipality=MunicipalityFactory(ags="06411000", population=2_000))
    ReferenceFactory(solution=light, municipality=mine)  # never counted as its own peer
    response = client.post(reverse("municipalities:choose"), {"slug": mine.slug, "next": "/"})
    assert response.status_code == 302
    rows = table(client.get(compare_url("park", "licht"), headers=ENGLISH).content.decode())
    size = mine.get_size_class_display()
    assert rows[f"Suitable for my size class ({size})"] == (True, ["yes", "no"])
    assert rows[f"References in my size class ({size})"] == (True, ["2", "0"])
    assert rows["References in my Land (Hessen)"] == (False, ["1", "1"])


@pytest.mark.parametrize(
    ("slugs", "message"),
    [
        ((), "Choose at least two and at most 4 published solutions to compare them."),
        (("park",), "So far: Parkleitsystem."),
        (("park", "park"), "So far: Parkleitsystem."),
        (("park", "gibt-es-nicht"), "This solution was not found or is not published: gibt-es-nicht"),
        (("park", "<script>", "licht"), "This solution was not found or is not published: <script>"),
    ],
)
def test_compare_bad_input_gives_a_message(client, pair, slugs, message):
    response = client.get(compare_url(*slugs), headers=ENGLISH)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in unescape(html)
    # Two or more found: they are compared after the message; fewer: no table.
    assert ('class="data-table compare-table"' in html) == (len(set(slugs) & {"park", "licht"}) == 2)
    if "<script>" in slugs:
        assert "published: &lt;script&gt;" in html


def test_compare_unpublished_is_unknown_and_the_rest_is_compared(client, pair):
    SolutionFactory(slug="entwurf", status=EditorialStatus.DRAFT)
    SolutionFactory(slug="unbestaetigt", vendor=VendorFactory(is_verified=False))
    html = unescape(
        client.get(compare_url("park", "entwurf", "unbestaetigt", "licht"), headers=ENGLISH).content.decode()
    )
    assert "These solutions were not found or are not published: entwurf, unbestaetigt" in html
    assert len(table(html)["Maturity"][1]) == 2


def test_compare_more_than_four_offers_a_pick(client):
    for n in range(5):
        SolutionFactory(slug=f"l-{n}", title=f"Lösung {n}")
    html = client.get(compare_url(*(f"l-{n}" for n in range(5))), headers=ENGLISH).content.decode()
    assert "You can compare at most 4 solutions at a time; you chose 5." in html
    boxes = re.findall(r'<input type="checkbox" name="s" value="([^"]+)" id="pick-\d"( checked)?>', html)
    assert boxes == [
        ("l-0", " checked"),
        ("l-1", " checked"),
        ("l-2", " checked"),
        ("l-3", " checked"),
        ("l-4", ""),
    ]
    assert 'class="data-table compare-table"' not in html


def test_compare_duplicates_are_ignored(client, pair):
    html = client.get(compare_url("park", "licht", "park", "licht", "park"), headers=ENGLISH).content.decode()
    assert len(table(html)["Maturity"][1]) == 2
    assert "not found" not in html


@pytest.mark.parametrize("count", [2, 4])
@pytest.mark.parametrize("references", [0, 20])
@pytest.mark.parametrize("chosen", [False, True])
def test_compare_query_count_is_constant(client, django_assert_num_queries, count, references, chosen):
    category, standard = CategoryFactory(), StandardFactory()
    solutions = [SolutionFactory(categories=[category], standards=[standard]) for _ in range(count)]
    for solution in solutions:
        for _ in range(references):
            ReferenceFactory(solution=solution)
    if chosen:
        mine = MunicipalityFactory()
        client.post(reverse("municipalities:choose"), {"slug": mine.slug, "next": "/"})
    # solutions with vendor and reference counts, categories, standards; with a chosen municipality also the
    # session, the municipality and the peer counts
    with django_assert_num_queries(6 if chosen else 3):
        response = client.get(compare_url(*(s.slug for s in solutions)))
    assert len(response.context["solutions"]) == count


def test_compare_escapes_what_vendors_wrote(client, pair):
    park, _ = pair
    Solution.objects.filter(pk=park.pk).update(
        procurement_notes="<b>fett</b>", source_url="https://code.example/?a=1&b=<x>"
    )
    html = client.get(compare_url("park", "licht"), headers=ENGLISH).content.decode()
    assert "&lt;b&gt;fett&lt;/b&gt;" in html and "<b>fett</b>" not in html
    assert 'href="https://code.example/?a=1&amp;b=&lt;x&gt;"' in html


def test_compare_reads_at_most_twelve_slugs(client):
    for n in range(14):
        SolutionFactory(slug=f"l-{n:02d}")
    html = client.get(compare_url(*(f"l-{n:02d}" for n in range(14))), headers=ENGLISH).content.decode()
    assert "you chose 12." in html
    assert "not found" not in html
