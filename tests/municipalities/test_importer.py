"""The import of the official register (Destatis Gemeindeverzeichnis, Auszug GV 4Q).

The small files are written here in the layout of the real one; the real file (© Statistisches Bundesamt
(Destatis)) is read from ../shared/data when present and never copied into the repository."""

import time
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import translation

from municipalities.importer import GVFileError, import_register, read_gv_dates, read_gv_file
from municipalities.models import Level, Municipality, RegisterSource, SizeClass
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

REAL_FILE = (
    settings.BASE_DIR.parent
    / "shared"
    / "data"
    / "destatis-gemeindeverzeichnis"
    / "AuszugGV4QAktuell_2024.xlsx"
)

# Satzart, Textkennzeichen, Land, RB, Kreis, VB, Gem, name, area, population, postcode, lon, lat, urbanisation
FIRST = [
    ("10", None, "01", None, None, None, None, "Schleswig-Holstein"),
    ("40", "41", "01", "0", "01", None, None, "Flensburg, Stadt"),
    ("50", "50", "01", "0", "01", "0000", None, "Flensburg, Stadt"),
    (
        "60",
        "61",
        "01",
        "0",
        "01",
        "0000",
        "000",
        "Flensburg, Stadt",
        56.73,
        92667,
        "24937",
        "9,43751",
        "54,78252",
        "01",
    ),
    ("40", "44", "01", "0", "54", None, None, "Nordfriesland"),
    ("50", "50", "01", "0", "54", "0168", None, "Sylt"),
    ("60", "64", "01", "0", "54", "0168", "168", "Sylt", 57.31, 13679, "25980", "8,30875", "54,90786", "02"),
    ("50", "51", "01", "0", "54", "5439", None, "Landschaft Sylt"),
    (
        "60",
        "64",
        "01",
        "0",
        "54",
        "5439",
        "046",
        "Hörnum (Sylt)",
        5.64,
        872,
        "25997",
        "8,287218",
        "54,756098",
        "03",
    ),
    (
        "60",
        "64",
        "01",
        "0",
        "54",
        "5439",
        "061",
        "Kampen (Sylt)",
        8.43,
        462,
        "25999",
        "8,342294",
        "54,955508",
        "03",
    ),
    ("10", None, "06", None, None, None, None, "Hessen"),
    ("20", None, "06", "4", None, None, None, "Reg.-Bez. Darmstadt"),
    ("40", "44", "06", "4", "35", None, None, "Main-Kinzig-Kreis"),
    ("50", "50", "06", "4", "35", "0010", None, "Gelnhausen, Stadt"),
    (
        "60",
        "63",
        "06",
        "4",
        "35",
        "0010",
        "010",
        "Gelnhausen, Stadt",
        45.2,
        23456,
        "63571",
        "9,18",
        "50,2",
        "02",
    ),
    ("50", "50", "06", "4", "35", "9200", None, "Gutsbezirk Spessart, gemfr. Gebiet"),
    (
        "60",
        "66",
        "06",
        "4",
        "35",
        "9200",
        "200",
        "Gutsbezirk Spessart, gemfr. Gebiet",
        89.29,
        0,
        None,
        None,
        None,
        None,
    ),
]


def _second_file_rows():
    """A quarter later: Kampen merged into Hörnum, Gelnhausen renamed, Flensburg grew."""
    rows = []
    for row in FIRST:
        if row[7] == "Kampen (Sylt)":
            continue
        if row[7] == "Hörnum (Sylt)":
            row = (*row[:8], 14.07, 1334, *row[10:])
        if row[7] == "Gelnhausen, Stadt":
            row = (*row[:7], "Gelnhausen, Barbarossastadt", *row[8:])
        if row[7] == "Flensburg, Stadt" and row[0] == "60":
            row = (*row[:9], 93000, *row[10:])
        rows.append(row)
    return rows


@pytest.fixture(autouse=True)
def _english():
    """The importer's messages are translated; these tests read their English msgids."""
    with translation.override("en"):
        yield


def write_gv_file(path, rows, *, territory="31.12.2024", population="31.12.2023"):
    """An Excel file in the layout of Destatis' "Auszug GV 4Q": title, two header rows, data from row 7."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Inhalt"
    workbook["Inhalt"]["A1"] = "Statistisches Bundesamt"
    sheet = workbook.create_sheet("Onlineprodukt_Gemeinden")
    sheet.append([f"Gemeinden in Deutschland am {territory}"])
    sheet.append([])
    sheet.append(["Satz-art", "Text-kenn-zeichen", "Amtlicher Regionalschlüssel (ARS)", None, None, None,
                  None, "Gemeindename", "Fläche km2 1)", "Bevölkerung"])  # fmt: skip
    sheet.append([None, None, "Land", "RB", "Kreis", "VB", "Gem", None, None, "insgesamt"])
    sheet.append(
        [None, None, f"Gebietsstand am {territory} (4. Quartal)"] + [None] * 6 + [f"am {population}"]
    )
    sheet.append([])
    for row in rows:
        keys, figures = row[:8], row[8:]
        cells = list(keys) + [None] * 12
        if figures:
            area, people, postcode, lon, lat, urbanisation = figures
            cells[8:10] = [area, people]
            cells[13:16] = [postcode, lon, lat]
            cells[18] = urbanisation
        sheet.append(cells)
    sheet.append(["1) Abweichungen bei den Flächenangaben sind durch Runden der Zahlen möglich."])
    workbook.save(path)
    return path


def run(path, **kwargs):
    return import_register(read_gv_file(path), **kwargs)


def snapshot():
    return list(Municipality.objects.order_by("pk").values())


def by_ars(ars):
    return Municipality.objects.get(ars=ars)


def test_import_builds_every_level_with_its_parents(tmp_path):
    summary = run(write_gv_file(tmp_path / "gv.xlsx", FIRST))

    assert (summary.new, summary.unchanged, summary.dissolved) == (13, 0, 0)
    levels = dict(Municipality.objects.values_list("ars", "level"))
    assert sorted(levels.items()) == [
        ("01", Level.LAND), ("01001", Level.KREIS), ("010010000000", Level.GEMEINDE), ("01054", Level.KREIS),
        ("010540168168", Level.GEMEINDE), ("010545439", Level.VERBAND), ("010545439046", Level.GEMEINDE),
        ("010545439061", Level.GEMEINDE), ("06", Level.LAND), ("064", Level.REGIERUNGSBEZIRK),
        ("06435", Level.KREIS), ("064350010010", Level.GEMEINDE), ("064359200200", Level.GEMEINDEFREI),
    ]  # fmt: skip
    # the Verband rows of Textkennzeichen 50 are the Gemeinde itself: such a Gemeinde hangs below its Kreis
    hoernum, sylt, gelnhausen = by_ars("010545439046"), by_ars("010540168168"), by_ars("064350010010")
    assert [hoernum.parent.ars, hoernum.parent.parent.ars, hoernum.parent.parent.parent.ars] == [
        "010545439",
        "01054",
        "01",
    ]
    assert sylt.parent.ars == "01054"
    assert [gelnhausen.parent.ars, gelnhausen.parent.parent.ars, gelnhausen.parent.parent.parent.ars] == [
        "06435",
        "064",
        "06",
    ]
    assert by_ars("064359200200").parent.ars == "06435"
    assert (hoernum.parent.kind, hoernum.parent.name) == (Municipality.Kind.AMT, "Landschaft Sylt")
    assert (sylt.name, sylt.official_name, sylt.ags, sylt.kind, sylt.state) == (
        "Sylt",
        "Sylt",
        "01054168",
        Municipality.Kind.GEMEINDE,
        "01",
    )
    assert (sylt.population, sylt.population_date, sylt.area_km2, sylt.postcode) == (
        13679,
        date(2023, 12, 31),
        Decimal("57.31"),
        "25980",
    )
    assert (sylt.latitude, sylt.longitude, sylt.urbanisation) == (Decimal("54.90786"), Decimal("8.30875"), 2)
    # a kreisfreie Stadt is a Kreis and a Gemeinde; the AGS (unique) belongs to the Gemeinde
    city, city_district = by_ars("010010000000"), by_ars("01001")
    assert (city.name, city.ags, city.kind, city.size_class) == (
        "Flensburg",
        "01001000",
        Municipality.Kind.KREISFREIE_STADT,
        SizeClass.MEDIUM,
    )
    assert (city_district.ags, city_district.kind, city_district.size_class) == (
        None,
        Municipality.Kind.KREISFREIE_STADT,
        None,
    )
    # levels above the Gemeinde carry the sums of their Gemeinden, but no size class
    district = by_ars("01054")
    assert (district.ags, district.kind, district.population, district.area_km2, district.size_class) == (
        "01054000",
        Municipality.Kind.LANDKREIS,
        13679 + 872 + 462,
        Decimal("71.38"),
        None,
    )
    assert by_ars("01").population == 92667 + 13679 + 872 + 462
    assert by_ars("06").get_state_display() == "Hessen"
    assert by_ars("064359200200").kind == Municipality.Kind.GEMEINDEFREI


def test_size_class_is_only_for_towns():
    district = MunicipalityFactory(kind=Municipality.Kind.LANDKREIS, population=250_000)
    town = MunicipalityFactory(kind=Municipality.Kind.STADT, population=250_000)
    association = MunicipalityFactory(kind=Municipality.Kind.VERBAND, population=12_000)
    unknown = MunicipalityFactory(kind=Municipality.Kind.GEMEINDE, population=None)
    for row in (district, town, association, unknown):
        row.refresh_from_db()
    assert [district.size_class, town.size_class, association.size_class, unknown.size_class] == [
        None,
        SizeClass.LARGE,
        None,
        None,
    ]
    assert (district.computed_size_class, town.computed_size_class) == ("", SizeClass.LARGE)


def test_import_matches_the_district_rows_by_ags_and_keeps_editorial_fields(tmp_path):
    city = MunicipalityFactory(
        name="Flensburg",
        slug="flensburg",
        ags="01001000",
        kind=Municipality.Kind.KREISFREIE_STADT,
        population=89504,
        website="https://www.flensburg.de/",
        contact_name="Kim Muster",
        description="Beschreibung der Redaktion.",
        is_model_project=True,
        model_project_round=2021,
    )
    district = MunicipalityFactory(
        name="Kreis Nordfriesland", slug="nordfriesland", ags="01054000", kind=Municipality.Kind.LANDKREIS
    )
    merged_away = MunicipalityFactory(
        name="Eisenach", ags="16056000", kind=Municipality.Kind.KREISFREIE_STADT
    )
    sample = MunicipalityFactory(name="Beispielstadt", ags="01054900", is_demo=True)

    summary = run(write_gv_file(tmp_path / "gv.xlsx", FIRST))

    city.refresh_from_db()
    assert (city.ars, city.level, city.population, city.official_name) == (
        "010010000000",
        Level.GEMEINDE,
        92667,
        "Flensburg, Stadt",
    )
    assert (city.name, city.slug, city.website, city.contact_name, city.description) == (
        "Flensburg",
        "flensburg",
        "https://www.flensburg.de/",
        "Kim Muster",
        "Beschreibung der Redaktion.",
    )
    assert (city.is_model_project, city.model_project_round) == (True, 2021)
    district.refresh_from_db()
    assert (district.ars, district.name, district.slug) == ("01054", "Kreis Nordfriesland", "nordfriesland")
    # a district the register no longer lists is kept, marked dissolved; sample towns are left alone
    merged_away.refresh_from_db()
    sample.refresh_from_db()
    assert merged_away.dissolved_on == date(2024, 12, 31)
    assert (sample.dissolved_on, sample.ars) == (None, None)
    assert (summary.new, summary.other_changes, summary.dissolved) == (11, 2, 1)


def test_second_run_changes_nothing(tmp_path):
    path = write_gv_file(tmp_path / "gv.xlsx", FIRST)
    run(path)
    before = snapshot()
    events = Municipality.pgh_event_model.objects.count()

    summary = run(path)

    assert (summary.new, summary.renamed, summary.population_changed, summary.dissolved) == (0, 0, 0, 0)
    assert (summary.other_changes, summary.unchanged) == (0, 13)
    assert snapshot() == before
    assert Municipality.pgh_event_model.objects.count() == events


def test_next_quarter_merges_renames_and_updates(tmp_path):
    run(write_gv_file(tmp_path / "first.xlsx", FIRST))
    kampen = by_ars("010545439061")

    summary = run(write_gv_file(tmp_path / "second.xlsx", _second_file_rows(), territory="31.03.2025"))

    kampen.refresh_from_db()
    assert (kampen.dissolved_on, kampen.successor.name, kampen.name) == (
        date(2025, 3, 31),
        "Hörnum (Sylt)",
        "Kampen (Sylt)",
    )
    gelnhausen = by_ars("064350010010")
    assert (gelnhausen.name, gelnhausen.official_name) == ("Gelnhausen", "Gelnhausen, Barbarossastadt")
    assert by_ars("010010000000").population == 93000
    # Hörnum took over Kampen's people (so its Amt and Kreis keep their sums); Flensburg (Gemeinde and Kreis)
    # and with it Schleswig-Holstein grew
    assert (summary.new, summary.renamed, summary.dissolved) == (0, 1, 1)
    assert (summary.population_changed, summary.other_changes) == (4, 1)
    assert summary.unchanged == 7
    # it comes back in a later file: no longer dissolved
    run(write_gv_file(tmp_path / "third.xlsx", FIRST))
    kampen.refresh_from_db()
    assert (kampen.dissolved_on, kampen.successor) == (None, None)


def test_import_records_which_source_the_register_reflects(tmp_path):
    first = write_gv_file(tmp_path / "first.xlsx", FIRST)
    second = write_gv_file(tmp_path / "second.xlsx", _second_file_rows(), territory="31.03.2025")

    run(first)
    run(first)  # unchanged: nothing to record
    run(second, dry_run=True)  # rolled back with everything else

    source = RegisterSource.objects.get()
    assert (source.name, source.attribution, source.is_official) == (
        "Gemeindeverzeichnis des Statistischen Bundesamtes (Auszug GV 4Q)",
        "© Statistisches Bundesamt (Destatis)",
        True,
    )
    assert (source.territory_date, source.population_date, source.rows) == (
        date(2024, 12, 31),
        date(2023, 12, 31),
        13,
    )
    assert source.counts == {
        "land": 2, "regierungsbezirk": 1, "kreis": 3, "verband": 1, "gemeinde": 5, "gemeindefrei": 1
    }  # fmt: skip
    assert source.changes.startswith("13 new, 0 renamed")
    assert read_gv_dates(second) == (date(2025, 3, 31), date(2023, 12, 31))

    run(second)

    assert RegisterSource.objects.newest().territory_date == date(2025, 3, 31)
    assert RegisterSource.objects.count() == 2


def test_dry_run_reports_and_changes_nothing(tmp_path):
    run(write_gv_file(tmp_path / "first.xlsx", FIRST))
    before = snapshot()

    summary = run(write_gv_file(tmp_path / "second.xlsx", _second_file_rows()), dry_run=True)

    assert (summary.renamed, summary.dissolved, summary.population_changed) == (1, 1, 4)
    assert snapshot() == before


def test_malformed_rows_are_reported_and_nothing_changes(tmp_path):
    run(write_gv_file(tmp_path / "first.xlsx", FIRST))
    before = snapshot()
    rows = _second_file_rows()
    rows[3] = (*rows[3][:9], "viele", *rows[3][10:])  # Flensburg's population, Excel row 10
    rows[6] = (*rows[6][:6], "16", *rows[6][7:])  # Sylt's Gemeinde key with two digits, Excel row 13
    path = write_gv_file(tmp_path / "broken.xlsx", rows)

    with pytest.raises(GVFileError) as raised:
        read_gv_file(path)
    assert raised.value.errors == [
        'Row 10: the population "viele" is not a whole number.',
        'Row 13: the key part Gem must have 3 digits, found "16".',
    ]
    with pytest.raises(CommandError) as raised:
        call_command("import_gemeindeverzeichnis", str(path))
    assert str(raised.value).splitlines() == [
        "The file was not imported; nothing changed. 2 problem(s):",
        'Row 10: the population "viele" is not a whole number.',
        'Row 13: the key part Gem must have 3 digits, found "16".',
    ]
    assert snapshot() == before


def test_a_file_of_another_layout_is_refused(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["AGS", "Name"])
    workbook.save(tmp_path / "other.xlsx")
    (tmp_path / "text.xlsx").write_text("not a workbook")

    with pytest.raises(GVFileError) as other:
        read_gv_file(tmp_path / "other.xlsx")
    with pytest.raises(GVFileError) as text:
        read_gv_file(tmp_path / "text.xlsx")

    assert other.value.errors == ['No sheet has the Gemeindeverzeichnis header ("Satzart" in cell A3).']
    assert text.value.errors[0].startswith("The file is not a readable Excel workbook")


def test_orphans_and_duplicate_keys_are_reported(tmp_path):
    rows = [
        *FIRST[:4],
        FIRST[3],
        ("60", "64", "01", "0", "02", "0000", "001", "Nirgendwo", 1, 10, None, None, None, None),
    ]
    with pytest.raises(GVFileError) as raised:
        read_gv_file(write_gv_file(tmp_path / "gv.xlsx", rows))
    assert raised.value.errors == [
        "Row 11: the key 010010000000 is listed twice (also in row 10).",
        "Row 12: Nirgendwo belongs to 01002, which the file does not list.",
    ]


def test_command_dry_run_prints_the_summary(tmp_path, capsys):
    path = write_gv_file(tmp_path / "gv.xlsx", FIRST)

    call_command("import_gemeindeverzeichnis", str(path), "--dry-run")

    output = capsys.readouterr().out.splitlines()
    assert output[0] == (
        "Gebietsstand 31.12.2024, population as of 31.12.2023: "
        "2 land, 1 regierungsbezirk, 3 kreis, 1 verband, 5 gemeinde, 1 gemeindefrei"
    )
    assert output[1] == (
        "Dry run, nothing saved: 13 new, 0 renamed, 0 with a changed population, 0 otherwise changed, "
        "0 merged or dissolved, 0 unchanged."
    )
    assert not Municipality.objects.exists()


@pytest.mark.skipif(not REAL_FILE.exists(), reason="the official file is not in ../shared/data")
def test_the_official_file_of_31_12_2024():
    started = time.monotonic()
    summary = run(REAL_FILE)
    first_run = time.monotonic() - started
    started = time.monotonic()
    second = run(REAL_FILE)
    second_run = time.monotonic() - started

    counts = dict(Municipality.objects.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    assert counts == {
        Level.LAND: 16,
        Level.REGIERUNGSBEZIRK: 29,
        Level.KREIS: 400,
        Level.VERBAND: 1203,
        Level.GEMEINDE: 10752,
        Level.GEMEINDEFREI: 207,
    }
    assert summary.new == 12607
    gemeinden = Municipality.objects.filter(level__in=[Level.GEMEINDE, Level.GEMEINDEFREI])
    assert gemeinden.aggregate(total=Sum("population"))["total"] == 84_669_326
    assert (
        Municipality.objects.filter(level=Level.LAND).aggregate(total=Sum("population"))["total"]
        == 84_669_326
    )
    rows = {
        row.name: (row.ars, row.ags, row.kind, row.population, row.postcode, row.parent.official_name)
        for row in Municipality.objects.filter(ars__in=["010540168168", "010540138138", "010010000000"])
    }
    assert rows == {
        "Sylt": ("010540168168", "01054168", "gemeinde", 13679, "25980", "Nordfriesland"),
        "Tönning": ("010540138138", "01054138", "stadt", 4940, "25832", "Nordfriesland"),
        "Flensburg": ("010010000000", "01001000", "kreisfreie_stadt", 92667, "24937", "Flensburg, Stadt"),
    }
    assert (second.new, second.dissolved, second.unchanged) == (0, 0, 12607)
    print(f"official file: first run {first_run:.1f} s, second run {second_run:.1f} s")  # noqa: T201
    assert first_run < 20
