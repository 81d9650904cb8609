"""manage.py import_wertgrenzen: reads the two files, idempotent, reports counts, refuses bad rows whole."""

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from marketplace.procurement.models import LandProcurementInfo, ValueLimit
from marketplace.procurement.rules import EU_PROCEDURE, decide

from .conftest import DATA

REAL = Path(settings.BASE_DIR).parent / "shared" / "data" / "vergabe-wertgrenzen"


def run(directory) -> str:
    out = StringIO()
    call_command("import_wertgrenzen", str(directory), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_creates_then_updates_without_duplicates():
    assert run(DATA) == "Value limits: 17 created, 0 updated. Länder: 4 created, 0 updated.\n"
    first = {row.pk: row.updated_at for row in ValueLimit.objects.all()}
    assert run(DATA) == "Value limits: 0 created, 17 updated. Länder: 0 created, 4 updated.\n"
    assert set(ValueLimit.objects.values_list("pk", flat=True)) == set(first)
    assert LandProcurementInfo.objects.count() == 4


@pytest.mark.django_db
def test_import_reads_values_dates_and_flags():
    run(DATA)
    eu = ValueLimit.objects.get(land="EU", valid_from=date(2026, 1, 1))
    assert (eu.max_value_eur, eu.valid_until, eu.note) == (190_000, date(2027, 12, 31), "Testwert, mit Komma")
    open_ended = ValueLimit.objects.get(land="BY", procedure="verhandlungsvergabe")
    assert (open_ended.max_value_eur, open_ended.valid_until) == (None, None)
    saxony = ValueLimit.objects.get(land="SN", procedure="direktauftrag")
    assert (saxony.confirmed, saxony.source_url) == (False, "https://example.org/sn")
    assert LandProcurementInfo.objects.get(land="SN").as_of == "unklar"


@pytest.mark.django_db
def test_import_keeps_an_editors_change_to_a_row_the_file_does_not_have():
    run(DATA)
    ValueLimit.objects.create(land="HB", procedure="direktauftrag", max_value_eur=1, legal_source="Editor")
    run(DATA)
    assert ValueLimit.objects.filter(land="HB").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("XX,direktauftrag,1,,,Q,,yes,", "line 2: unknown Land code 'XX'"),
        ("HE,freihaendig,1,,,Q,,yes,", "line 2: unknown procedure 'freihaendig' for HE"),
        ("HE,direktauftrag,viel,,,Q,,yes,", "line 2: not a whole amount in euros: 'viel'"),
        ("HE,direktauftrag,1,01.01.2025,,Q,,yes,", "line 2: not a date (YYYY-MM-DD): '01.01.2025'"),
        ("EU,eu_schwellenwert,,2026-01-01,,Q,,yes,", "line 2: an EU threshold needs a value"),
        ("HE,direktauftrag,1,2026-01-01,2025-01-01,Q,,yes,", "line 2: valid_until lies before valid_from"),
    ],
)
def test_import_refuses_a_bad_row_and_stores_nothing(tmp_path, line, message):
    header = (DATA / "wertgrenzen.csv").read_text().splitlines()[0]
    (tmp_path / "wertgrenzen.csv").write_text(f"{header}\n{line}\n")
    (tmp_path / "laender_meta.csv").write_text((DATA / "laender_meta.csv").read_text())
    with pytest.raises(CommandError, match=re.escape(message)):
        run(tmp_path)
    assert ValueLimit.objects.count() == LandProcurementInfo.objects.count() == 0


@pytest.mark.django_db
def test_import_refuses_a_missing_directory_or_column(tmp_path):
    with pytest.raises(CommandError, match="is not a directory"):
        run(tmp_path / "nowhere")
    (tmp_path / "wertgrenzen.csv").write_text("land_code,procedure\nHE,direktauftrag\n")
    with pytest.raises(CommandError, match="missing columns"):
        run(tmp_path)


@pytest.mark.django_db
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/vergabe-wertgrenzen is not here")
def test_import_of_the_real_table():
    output = run(REAL)
    assert output.startswith("Value limits: 75 created, 0 updated.")
    assert run(REAL).startswith("Value limits: 0 created, 75 updated.")
    rows = list(ValueLimit.objects.all())
    # The EU threshold changes on 1 January 2026, from the data.
    assert decide(value=220_000, land="BY", day=date(2025, 12, 31), limits=rows).procedure != EU_PROCEDURE
    assert decide(value=220_000, land="BY", day=date(2026, 1, 1), limits=rows).procedure == EU_PROCEDURE
    assert decide(value=221_000, land="BY", day=date(2025, 12, 31), limits=rows).procedure == EU_PROCEDURE
    # Mecklenburg-Vorpommern's direct award rises on 2 March 2026; Sachsen is unconfirmed.
    assert decide(value=50_000, land="MV", day=date(2026, 3, 1), limits=rows).procedure != "direktauftrag"
    assert decide(value=50_000, land="MV", day=date(2026, 3, 2), limits=rows).procedure == "direktauftrag"
    assert decide(value=100, land="SN", day=date(2026, 3, 2), limits=rows).confirmed is False
