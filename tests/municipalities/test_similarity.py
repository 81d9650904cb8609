"""``Municipality.objects.similar_to``: the ranking of docs/recommendations.md, checked against the formula
written out again in plain Python (tests/municipalities/expected_similarity.py)."""

import pytest
from django.db import connection

from municipalities.models import Municipality
from tests.factories import MunicipalityFactory

from . import expected_similarity as expected
from .peers_fixture import NEVER_PEERS, build_region

pytestmark = pytest.mark.django_db


def _expected_ranking(m, rows):
    candidates = [row for name, row in rows.items() if row != m and name not in NEVER_PEERS]
    return sorted(candidates, key=lambda row: (-round(expected.similarity(m, row), 9), row.name))


def test_ranking_equals_the_documented_formula():
    rows = build_region()
    m = rows["Musterstadt"]
    ranked = list(Municipality.objects.similar_to(m))
    assert [row.name for row in ranked] == [row.name for row in _expected_ranking(m, rows)]
    for row in ranked:
        assert row.similarity == pytest.approx(expected.similarity(m, row), abs=1e-9), row.name
    # The neighbour of the same size in the same Kreis is the best match, the unknown town ranks below every
    # town whose values are known and match.
    names = [row.name for row in ranked]
    assert names[0] == "Nachbarstadt"
    assert names.index("Ohnezahl") > names.index("Fernstadt")


@pytest.mark.parametrize("chosen", ["Dorfheim", "Großstadt", "Nordstadt", "Ohnezahl", "Altbestand"])
def test_ranking_equals_the_formula_from_every_side(chosen):
    """Also from a municipality without population, coordinates or urbanisation (Ohnezahl, Altbestand)."""
    rows = build_region()
    m = rows[chosen]
    ranked = list(Municipality.objects.similar_to(m))
    assert [row.name for row in ranked] == [row.name for row in _expected_ranking(m, rows)]
    for row in ranked:
        assert row.similarity == pytest.approx(expected.similarity(m, row), abs=1e-9), row.name


def test_only_current_towns_are_peers_and_never_the_municipality_itself():
    rows = build_region()
    names = {row.name for row in Municipality.objects.similar_to(rows["Musterstadt"])}
    assert "Musterstadt" not in names
    assert names.isdisjoint(NEVER_PEERS)
    assert "Altbestand" in names  # a town made by hand before the register, without level


def test_reasons_come_with_each_peer():
    rows = build_region()
    m = rows["Musterstadt"]
    by_name = {row.name: row for row in Municipality.objects.similar_to(m)}
    neighbour = by_name["Nachbarstadt"]
    assert (neighbour.same_size_class, neighbour.same_state, neighbour.same_kreis) == (True, True, True)
    assert (neighbour.same_urbanisation, neighbour.same_kind) == (True, True)
    assert neighbour.distance_km == pytest.approx(expected.distance_km(m, neighbour), rel=1e-9)
    assert round(neighbour.distance_km) == 7  # 5.6 km north, 3.6 km east
    border = by_name["Grenzstadt"]
    assert (border.same_size_class, border.same_state, border.same_kreis) == (True, False, False)
    assert round(border.distance_km) == 39
    village = by_name["Dorfheim"]
    assert (village.same_size_class, village.same_state, village.same_kreis) == (False, True, True)
    unknown = by_name["Ohnezahl"]
    assert (unknown.same_size_class, unknown.same_urbanisation, unknown.distance_km) == (False, False, None)


def test_missing_values_never_rank_above_known_matches():
    """Two towns alike in everything that is known; the one whose population and place are known as well
    ranks first, and nothing fails on the missing values."""
    m = MunicipalityFactory(ags="06440001", population=25_000, urbanisation=2, latitude=50, longitude=8)
    known = MunicipalityFactory(
        name="Zett (bekannt)", ags="06440002", population=25_000, urbanisation=2, latitude=50, longitude=8
    )
    unknown = MunicipalityFactory(name="Aa (unbekannt)", ags="06440003", population=None)
    assert list(Municipality.objects.similar_to(m)) == [known, unknown]


def test_a_chosen_municipality_without_any_values_ranks_by_land_and_kind():
    m = MunicipalityFactory(ags="06440001", population=None, kind=Municipality.Kind.STADT)
    same_land_town = MunicipalityFactory(name="B", ags="06440002", kind=Municipality.Kind.STADT)
    same_land = MunicipalityFactory(name="A", ags="06440003", kind=Municipality.Kind.GEMEINDE)
    other_land = MunicipalityFactory(name="C", ags="09440003", kind=Municipality.Kind.STADT)
    ranked = list(Municipality.objects.similar_to(m))
    assert ranked == [same_land_town, same_land, other_land]
    assert [row.similarity for row in ranked] == pytest.approx([0.3, 0.2, 0.1])


def test_the_whole_register_is_ranked_in_one_scan(django_assert_num_queries):
    """16,000 rows as in the register (about 11,000 Gemeinden, the rest Verbände and Kreise): one query, a
    top-N sort of one scan, no subquery per row (docs/recommendations.md has the timing)."""
    rows = [
        Municipality(
            name=f"Gemeinde {i}",
            slug=f"gemeinde-{i}",
            ars=f"{1 + i % 16:02d}{i % 1000:03d}{i // 1000:04d}{i % 997:03d}",
            level="gemeinde" if i < 11_000 else "verband",
            kind="gemeinde" if i % 5 else "stadt",
            population=None if i % 50 == 0 else 100 + (i * 7919) % 200_000,
            urbanisation=None if i % 40 == 0 else 1 + i % 3,
            latitude=None if i % 60 == 0 else 47.3 + (i % 77) / 10,
            longitude=None if i % 60 == 0 else 5.9 + (i % 91) / 10,
        )
        for i in range(16_000)
    ]
    Municipality.objects.bulk_create(rows, batch_size=2000)
    m = Municipality.objects.get(slug="gemeinde-4711")
    with django_assert_num_queries(1):
        top = list(Municipality.objects.similar_to(m)[:6])
    assert len(top) == 6
    assert top[0].similarity >= top[-1].similarity
    plan = Municipality.objects.similar_to(m)[:6].explain(analyze=True)
    assert "top-N heapsort" in plan
    assert "SubPlan" not in plan
    assert connection.vendor == "postgresql"
