"""The procedure guidance against expectations worked out by hand from tests/procurement/data/wertgrenzen.csv.

The test table: EU threshold 200,000 € (2024–2025) and 190,000 € (from 1 Jan 2026); Hessen (HE) with four
limits (and an expired older direct-award limit); Bayern (BY) with a direct award up to 80,000 € and a
negotiated award up to the EU threshold; Mecklenburg-Vorpommern (MV) whose direct-award limit rises from
6,000 € to 90,000 € on 2 March 2026; Sachsen (SN) unconfirmed; Sachsen-Anhalt (ST) only with an expired row.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from marketplace.procurement.models import ValueLimit
from marketplace.procurement.rules import (
    EU_PROCEDURE,
    contract_type,
    decide,
    estimate,
)

DA, VV = "direktauftrag", "verhandlungsvergabe"
BA, OA = "beschraenkte_ausschreibung", "oeffentliche_ausschreibung"
MID_2025 = date(2025, 6, 1)


def guidance(value, land, day):
    return decide(value=value, land=land, day=day, limits=ValueLimit.objects.filter(land__in=[land, "EU"]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("land", "value", "expected", "limit"),
    [
        # Hessen: just below / at and just above each limit.
        ("HE", 0, DA, 12_000),
        ("HE", 12_000, DA, 12_000),
        ("HE", 12_001, VV, 60_000),
        ("HE", 60_000, VV, 60_000),
        ("HE", 60_001, BA, 120_000),
        ("HE", 120_000, BA, 120_000),
        ("HE", 120_001, OA, None),
        ("HE", 199_999, OA, None),
        ("HE", 200_000, EU_PROCEDURE, 200_000),
        # Bayern: the negotiated award goes up to the EU threshold.
        ("BY", 80_000, DA, 80_000),
        ("BY", 80_001, VV, None),
        ("BY", 199_999, VV, None),
        ("BY", 200_000, EU_PROCEDURE, 200_000),
        ("BY", 5_000_000, EU_PROCEDURE, 200_000),
    ],
)
def test_decide_around_each_limit_of_two_laender(limits, land, value, expected, limit):
    decision = guidance(value, land, MID_2025)
    assert decision.procedure == expected
    assert decision.decided_by.max_value_eur == limit
    assert decision.confirmed is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "value", "expected", "limit"),
    [
        (date(2026, 3, 1), 6_000, DA, 6_000),
        (date(2026, 3, 1), 6_001, VV, 90_000),
        (date(2026, 3, 1), 50_000, VV, 90_000),
        (date(2026, 3, 2), 50_000, DA, 90_000),
        (date(2026, 3, 2), 90_000, DA, 90_000),
        (date(2026, 3, 2), 90_001, OA, None),
    ],
)
def test_decide_follows_a_limit_that_changes_on_a_date(limits, day, value, expected, limit):
    decision = guidance(value, "MV", day)
    assert (decision.procedure, decision.decided_by.max_value_eur) == (expected, limit)


@pytest.mark.django_db
def test_decide_uses_the_eu_threshold_in_force_on_the_day(limits):
    before = guidance(195_000, "BY", date(2025, 12, 31))
    after = guidance(195_000, "BY", date(2026, 1, 1))
    assert (before.procedure, before.eu_threshold.max_value_eur) == (VV, 200_000)
    assert (after.procedure, after.decided_by.max_value_eur) == (EU_PROCEDURE, 190_000)
    assert guidance(189_999, "BY", date(2026, 1, 1)).procedure == VV


@pytest.mark.django_db
def test_decide_never_applies_an_expired_limit(limits):
    # 2025: the expired HE limit of 7,000 € is ignored; the one in force (12,000 €) decides.
    assert guidance(7_000, "HE", MID_2025).decided_by.legal_source == "Test-Gesetz HE § 1"
    # On its last day the old limit still applies; a value above it finds no Land limit yet.
    assert guidance(5_000, "HE", date(2021, 8, 31)).decided_by.max_value_eur == 7_000
    no_limit = guidance(10_000, "HE", date(2021, 8, 31))
    assert (no_limit.procedure, no_limit.decided_by) == (OA, None)
    # Sachsen-Anhalt's only row ended on 31 Oct 2025: nothing of it applies afterwards.
    ended = guidance(1_000, "ST", date(2025, 11, 1))
    assert (ended.procedure, ended.decided_by, ended.land_limits) == (OA, None, [])
    assert ended.confirmed is False
    assert guidance(1_000, "ST", date(2025, 10, 31)).procedure == DA


@pytest.mark.django_db
def test_decide_marks_sachsen_unconfirmed(limits):
    decision = guidance(300, "SN", MID_2025)
    assert (decision.procedure, decision.confirmed) == (DA, False)
    assert [row.procedure for row in decision.unconfirmed_limits] == [DA, OA]


@pytest.mark.django_db
def test_decide_without_eu_threshold_on_record(limits):
    decision = guidance(10_000_000, "HE", date(2023, 6, 1))
    assert (decision.procedure, decision.eu_threshold, decision.confirmed) == (OA, None, False)


def test_decide_is_pure_and_takes_rows_of_any_kind():
    def row(land, procedure, value, start=None, end=None, pk=1):
        return SimpleNamespace(
            land=land,
            procedure=procedure,
            max_value_eur=value,
            valid_from=start,
            valid_until=end,
            confirmed=True,
            pk=pk,
        )

    rows = [
        row("EU", "eu_schwellenwert", 1_000),
        row("HB", DA, 10, pk=1),
        # Two rows of one procedure in force (an editing slip): the one that started last counts.
        row("HB", DA, 50, start=date(2020, 1, 1), pk=2),
        row("HH", DA, 999),  # another Land: ignored
    ]
    assert decide(value=40, land="HB", day=date(2025, 1, 1), limits=rows).decided_by.pk == 2
    assert decide(value=40, land="HB", day=date(2019, 1, 1), limits=rows).procedure == OA
    assert decide(value=1_000, land="HB", day=date(2019, 1, 1), limits=rows).procedure == EU_PROCEDURE


@pytest.mark.parametrize(
    ("hosting", "price_model", "expected"),
    [
        (["eu_cloud"], "on_request", "cloud"),
        (["on_premises"], "subscription", "cloud"),
        (["on_premises"], "one_off", "ueberlassung"),
        (["on_premises"], "free", "dienstleistung"),
        ([], "", "dienstleistung"),
    ],
)
def test_contract_type_from_hosting_and_price_model(hosting, price_model, expected):
    assert contract_type(SimpleNamespace(hosting_options=hosting, price_model=price_model)) == expected


def test_estimate_adds_introduction_and_years_of_operation():
    listed = [
        SimpleNamespace(cost_introduction_eur=10_000, cost_yearly_eur=2_000),
        SimpleNamespace(cost_introduction_eur=None, cost_yearly_eur=500),
        SimpleNamespace(cost_introduction_eur=None, cost_yearly_eur=None),
    ]
    total, missing = estimate(listed, years=4)
    assert (total, missing) == (10_000 + 4 * 2_000 + 4 * 500, [listed[2]])
