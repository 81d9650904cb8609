"""The Modellprojekte Smart Cities import: names from the announcements matched to the register.

The small register and CSV are written here; the real list and the official register (© Statistisches
Bundesamt (Destatis)) are read from ../shared/data when present and never copied into the repository."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.text import slugify

from municipalities.importer import import_register, read_gv_file
from municipalities.importer.modellprojekte import (
    ModelProjectFileError,
    ProjectRow,
    import_model_projects,
    read_model_projects,
    split_partners,
)
from municipalities.models import Level, Municipality
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

SHARED = settings.BASE_DIR.parent / "shared" / "data"
REAL_LIST = SHARED / "modellprojekte-smart-cities" / "modellprojekte.csv"
REAL_REGISTER = SHARED / "destatis-gemeindeverzeichnis" / "AuszugGV4QAktuell_2024.xlsx"

Kind = Municipality.Kind

SMALL_CSV = """\
name,round,land,kind,source_url
Solingen,2019,NW,Großstadt,https://example.org/2019
Süderbrarup (Amt),2019,SH,Kleinstadt/Landgemeinde,https://example.org/2019
"Arnsberg, Menden (2 für Südwestfalen)",2019,NW,Interkommunal,https://example.org/2019
Landkreis Hof,2020,BY,Landkreis,https://example.org/2020
Kirchheim b. München,2020,BY,Kleinstadt/Landgemeinde,https://example.org/2020
"Kiel mit Kreisen Rendsburg-Eckernförde und Plön (Smarte KielRegion)",2020,SH,Interkommunal,https://example.org/2020
"Osnabrück mit Hagen a.T.W., Bissendorf, Neuenkirchen",2020,NI,Interkommunal,https://example.org/2020
"Hamburg, München",2020,HH;BY,Interkommunal,https://example.org/2020
Ringelai und Ilzer Land,2021,BY,Interkommunal,https://example.org/2021
Verband Region Rhein-Neckar,2021,BW;HE;RP,Region,https://example.org/2021
Rendsburg und Neudorf,2021,SH,Interkommunal,https://example.org/2021
Neudorf,2021,SH,Kleinstadt/Landgemeinde,https://example.org/2021
"""

# What the small file marks: ARS -> round.
EXPECTED = {
    "051220000000": 2019,  # Solingen, the Gemeinde, not the Kreis row of the kreisfreie Stadt
    "010595974": 2019,  # Amt Süderbrarup, not its Gemeinde of the same name
    "059580004004": 2019,
    "059620040040": 2019,  # "Menden" is "Menden (Sauerland)"
    "09475": 2020,  # Landkreis Hof, not the kreisfreie Stadt Hof
    "091840131131": 2020,  # "Kirchheim b.München"
    "010020000000": 2020,
    "01058": 2020,
    "01057": 2020,  # "Kreisen … und Plön": the Kreis Plön, not the town
    "034040000000": 2020,
    "034590020020": 2020,  # "Hagen a.T.W." is "Hagen am Teutoburger Wald"
    "034590012012": 2020,
    "034595404027": 2020,  # the Neuenkirchen in the Kreis of Hagen and Bissendorf
    "020000000000": 2020,
    "091620000000": 2020,  # the city of München, not the Landkreis
    "092720140140": 2021,
    "010580135135": 2021,
    "010570001001": 2021,  # the Neudorf nearer to Rendsburg
}


@pytest.fixture(autouse=True)
def english():
    """The messages are checked by their English msgids; the German catalogue may or may not have them yet."""
    with translation.override("en"):
        yield


def unit(ars, name, level, kind, parent=None, official=None, lat=None, lon=None, **fields):
    """A register row as the official import makes it."""
    return MunicipalityFactory(
        ars=ars,
        ags=ars[:5] + ars[9:] if level == Level.GEMEINDE else None,
        name=name,
        slug=f"{slugify(name)}-{ars}",
        level=level,
        kind=kind,
        parent=parent,
        official_name=official or name,
        latitude=Decimal(lat) if lat else None,
        longitude=Decimal(lon) if lon else None,
        **fields,
    )


def city(ars5, name, official=None, lat=None, lon=None):
    """A kreisfreie Stadt: a Kreis row and a Gemeinde row of the same name."""
    kreis = unit(ars5, name, Level.KREIS, Kind.KREISFREIE_STADT, official=official)
    return unit(f"{ars5}0000000", name, Level.GEMEINDE, Kind.KREISFREIE_STADT, kreis, official, lat, lon)


@pytest.fixture
def register():
    G, V, K = Level.GEMEINDE, Level.VERBAND, Level.KREIS
    city("05122", "Solingen", "Solingen, Klingenstadt")
    # a dissolved namesake is history, not a candidate
    unit("051229999999", "Solingen", G, Kind.STADT, dissolved_on="2020-01-01")
    hsk = unit("05958", "Hochsauerlandkreis", K, Kind.KREIS)
    unit("059580004004", "Arnsberg", G, Kind.STADT, hsk, "Arnsberg, Stadt")
    mk = unit("05962", "Märkischer Kreis", K, Kind.KREIS)
    unit("059620040040", "Menden (Sauerland)", G, Kind.STADT, mk, "Menden (Sauerland), Stadt")
    unit("08226", "Rhein-Neckar-Kreis", K, Kind.LANDKREIS)
    # an exact namesake in another Land is not a candidate for a row in NW
    unit("091110001001", "Menden", G, Kind.GEMEINDE)
    # Schleswig-Holstein
    sl_fl = unit("01059", "Schleswig-Flensburg", K, Kind.KREIS)
    amt = unit("010595974", "Süderbrarup", V, Kind.AMT, sl_fl)
    unit("010595974083", "Süderbrarup", G, Kind.GEMEINDE, amt)
    city("01002", "Kiel", "Kiel, Landeshauptstadt", "54.32", "10.13")
    rd_eck = unit("01058", "Rendsburg-Eckernförde", K, Kind.KREIS)
    unit("010580135135", "Rendsburg", G, Kind.STADT, rd_eck, "Rendsburg, Stadt", "54.30", "9.66")
    ploen = unit("01057", "Plön", K, Kind.KREIS)
    unit("010570057057", "Plön", G, Kind.STADT, ploen, "Plön, Stadt", "54.16", "10.42")
    unit("010570001001", "Neudorf", G, Kind.GEMEINDE, ploen, lat="54.28", lon="10.10")
    unit("010590002002", "Neudorf", G, Kind.GEMEINDE, sl_fl, lat="54.75", lon="9.50")
    # Niedersachsen
    city("03404", "Osnabrück", "Osnabrück, Stadt", "52.27", "8.05")
    os_land = unit("03459", "Osnabrück", K, Kind.LANDKREIS)
    unit("034590020020", "Hagen am Teutoburger Wald", G, Kind.GEMEINDE, os_land, lat="52.20", lon="7.98")
    unit("034590012012", "Bissendorf", G, Kind.GEMEINDE, os_land, lat="52.23", lon="8.17")
    sg = unit("034595404", "Neuenkirchen", V, Kind.SAMTGEMEINDE, os_land)
    unit("034595404027", "Neuenkirchen", G, Kind.GEMEINDE, sg, lat="52.42", lon="7.84")
    heide = unit("03358", "Heidekreis", K, Kind.LANDKREIS)
    unit("033580017017", "Neuenkirchen", G, Kind.GEMEINDE, heide, lat="53.03", lon="9.70")
    # Hamburg and Bayern
    city("02000", "Hamburg", "Hamburg, Freie und Hansestadt")
    city("09162", "München", "München, Landeshauptstadt")
    lk_muenchen = unit("09184", "München", K, Kind.LANDKREIS)
    unit("091840131131", "Kirchheim b.München", G, Kind.GEMEINDE, lk_muenchen)
    city("09464", "Hof")
    unit("09475", "Hof", K, Kind.LANDKREIS)
    frg = unit("09272", "Freyung-Grafenau", K, Kind.LANDKREIS)
    unit("092720140140", "Ringelai", G, Kind.GEMEINDE, frg)
    # a sample town is never a candidate (else "Ringelai" would be ambiguous)
    unit("092729999999", "Ringelai", G, Kind.GEMEINDE, frg, is_demo=True)


def write_csv(tmp_path, text=SMALL_CSV, name="modellprojekte.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def marked():
    return dict(Municipality.objects.filter(is_model_project=True).values_list("ars", "model_project_round"))


def snapshot():
    return list(Municipality.objects.order_by("pk").values())


def test_every_project_and_partner_is_marked_with_its_round(register, tmp_path):
    report = import_model_projects(read_model_projects(write_csv(tmp_path)))

    assert marked() == EXPECTED
    assert (report.newly_marked, report.round_changed, report.unchanged) == (18, 0, 0)
    assert [match.fully_matched for match in report.rows] == [True] * 8 + [False, False, True, False]
    assert [match.label for match in report.rows if match.label] == [
        "2 für Südwestfalen",
        "Smarte KielRegion",
    ]
    assert report.line() == (
        "12 rows, 9 fully matched, 3 with unmatched partners (3 partners not matched); "
        "18 municipalities matched: 18 newly marked, 0 with a changed round, 0 unchanged."
    )
    hof = Municipality.objects.get(ars="09475")
    assert (hof.level, hof.kind, hof.is_model_project) == (Level.KREIS, Kind.LANDKREIS, True)


def test_unmatched_and_ambiguous_partners_are_reported_never_guessed(register, tmp_path):
    report = import_model_projects(read_model_projects(write_csv(tmp_path)))

    assert [
        (match.row.line, partner.text, partner.problem) for match, partner in report.unmatched_partners
    ] == [
        (10, "Ilzer Land", "no Gemeinde, Verband or Kreis of this name in BY"),
        (11, "Verband Region Rhein-Neckar", "no Gemeinde, Verband or Kreis of this name in BW, HE, RP"),
        (13, "Neudorf", "ambiguous in SH: Neudorf (010570001001), Neudorf (010590002002)"),
    ]
    # the Rhein-Neckar-Kreis is not the Verband Region Rhein-Neckar; neither Neudorf was picked for row 13
    assert not Municipality.objects.filter(ars__in=["08226", "010590002002"], is_model_project=True).exists()
    assert not Municipality.objects.filter(is_demo=True, is_model_project=True).exists()


def test_partners_are_split_with_their_levels():
    def split(name, kind="Interkommunal"):
        partners, label = split_partners(ProjectRow(2, name, 2020, ("03",), kind))
        return [(partner.name, partner.levels) for partner in partners], label

    G, V, K = Level.GEMEINDE, Level.VERBAND, Level.KREIS
    assert split("Osnabrück mit Hagen a.T.W., SG Fürstenau, Artland, Neuenkirchen") == (
        [("Osnabrück", (G, V, K)), ("Hagen a.T.W.", (G, V, K)), ("Fürstenau", (V,)),
         ("Artland", (V, G, K)), ("Neuenkirchen", (V, G, K))],
        "",
    )  # fmt: skip
    assert split("Fuchstal, Apfeldorf, Unterdießen (Smart Region AUF)") == (
        [("Fuchstal", (G, V, K)), ("Apfeldorf", (G, V, K)), ("Unterdießen", (G, V, K))],
        "Smart Region AUF",
    )
    # a bracket in a single name is part of it; "(Amt)" names the level
    assert split("Halle (Saale)", "Großstadt") == ([("Halle (Saale)", (G, V))], "")
    assert split("Süderbrarup (Amt)", "Kleinstadt/Landgemeinde") == ([("Süderbrarup", (V,))], "")
    assert split("Kreis Höxter", "Landkreis") == ([("Höxter", (K,))], "")


def test_dry_run_reports_and_changes_nothing(register, tmp_path):
    before = snapshot()

    call_command("import_modellprojekte", str(write_csv(tmp_path)), "--dry-run")

    assert snapshot() == before
    assert marked() == {}


def test_command_prints_each_row_and_a_summary(register, tmp_path, capsys):
    call_command("import_modellprojekte", str(write_csv(tmp_path)))

    output = capsys.readouterr().out.splitlines()
    assert output[0] == "Row 2 (2019) Solingen: Solingen -> 051220000000 Solingen"
    assert output[3] == "Row 5 (2020) Landkreis Hof: Landkreis Hof -> 09475 Hof"
    assert output[8:10] == [
        "Row 10 (2021) Ringelai und Ilzer Land: Ringelai -> 092720140140 Ringelai",
        "  not matched: Ilzer Land (no Gemeinde, Verband or Kreis of this name in BY)",
    ]
    assert output[-1] == (
        "12 rows, 9 fully matched, 3 with unmatched partners (3 partners not matched); "
        "18 municipalities matched: 18 newly marked, 0 with a changed round, 0 unchanged."
    )
    assert marked() == EXPECTED


def test_second_run_changes_nothing_and_editorial_marks_stay(register, tmp_path):
    editor_marked = Municipality.objects.get(ars="094640000000")
    editor_marked.is_model_project, editor_marked.model_project_round = True, 2021
    editor_marked.description = "Von der Redaktion."
    editor_marked.save()
    path = write_csv(tmp_path)
    import_model_projects(read_model_projects(path))
    before = snapshot()
    events = Municipality.pgh_event_model.objects.count()

    report = import_model_projects(read_model_projects(path))

    assert (report.newly_marked, report.round_changed, report.unchanged) == (0, 0, 18)
    assert snapshot() == before
    assert Municipality.pgh_event_model.objects.count() == events
    assert marked() == {**EXPECTED, "094640000000": 2021}


def test_a_changed_round_and_a_municipality_listed_twice(register, tmp_path):
    Municipality.objects.filter(ars="051220000000").update(is_model_project=True, model_project_round=2021)
    path = write_csv(
        tmp_path,
        "name,round,land,kind,source_url\n"
        "Solingen,2019,NW,Großstadt,\n"
        "Landkreis Hof,2021,BY,Landkreis,\n"
        "Landkreis Hof,2020,BY,Landkreis,\n",
    )

    report = import_model_projects(read_model_projects(path))

    assert (report.newly_marked, report.round_changed, report.unchanged) == (1, 1, 0)
    assert report.conflicts == ["Hof (09475) is listed for the rounds 2020, 2021; kept 2020."]
    assert marked() == {"051220000000": 2019, "09475": 2020}


def test_a_malformed_file_is_refused_with_row_errors(register, tmp_path):
    before = snapshot()
    path = write_csv(
        tmp_path,
        "name,round,land,kind,source_url\n"
        "Solingen,2019,NW,Großstadt,\n"
        ",2020,NW,Großstadt,\n"
        "Ulm,2018,BW,Großstadt,\n"
        "Kiel,2020,XX;SH,Großstadt,\n"
        "Hof,2020,BY,Dorf,\n",
    )

    with pytest.raises(CommandError) as raised:
        call_command("import_modellprojekte", str(path))

    assert str(raised.value).splitlines() == [
        "The file was not imported; nothing changed. 4 problem(s):",
        "Row 3: the name is empty.",
        'Row 4: the round "2018" is not 2019, 2020 or 2021.',
        'Row 5: the Land "XX;SH" is not a Land code such as NW (several joined with ";").',
        'Row 6: the kind "Dorf" is not one of Großstadt, Mittelstadt, Kleinstadt, Landgemeinde, Landkreis, '
        "Interkommunal, Region.",
    ]
    assert snapshot() == before


def test_a_file_without_the_columns_or_not_csv_is_refused(tmp_path):
    missing = write_csv(tmp_path, "name,jahr,land\nSolingen,2019,NW\n")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name,round,land,kind,source_url\nSüderbrarup,2019,SH,Kleinstadt,\n".encode("latin-1"))
    empty = write_csv(tmp_path, "name,round,land,kind,source_url\n", name="empty.csv")

    errors = []
    for path in (missing, latin1, empty):
        with pytest.raises(ModelProjectFileError) as raised:
            read_model_projects(path)
        errors.append(raised.value.errors)

    assert errors == [
        ["The header lacks the column(s): round, kind, source_url."],
        ["The file is not UTF-8 text."],
        ["The file lists no Modellprojekt."],
    ]
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_modellprojekte", str(tmp_path / "missing.csv"))


@pytest.mark.skipif(
    not (REAL_LIST.exists() and REAL_REGISTER.exists()), reason="the real files are not in ../shared/data"
)
def test_the_73_modellprojekte_on_the_official_register():
    import_register(read_gv_file(REAL_REGISTER))
    rows = read_model_projects(REAL_LIST)

    report = import_model_projects(rows)

    full = sum(match.fully_matched for match in report.rows)
    partners = sum(len(match.partners) for match in report.rows)
    unmatched = [(match.row.name, partner.text) for match, partner in report.unmatched_partners]
    print(  # noqa: T201
        f"Modellprojekte: {len(rows)} rows, {full} fully matched; {partners} partners, "
        f"{partners - len(unmatched)} matched, {len(unmatched)} not: {unmatched}"
    )
    assert (len(rows), full, partners) == (73, 71, 99)
    assert unmatched == [
        ("Ringelai und Ilzer Land", "Ilzer Land"),
        ("Verband Region Rhein-Neckar", "Verband Region Rhein-Neckar"),
    ]
    assert (report.newly_marked, report.conflicts) == (97, [])
    by_row = {
        match.row.name: [partner.municipality.ars for partner in match.partners if partner.municipality]
        for match in report.rows
    }
    assert by_row["Solingen"] == ["051220000000"]
    assert by_row["Landkreis Hof"] == ["09475"]
    assert by_row["Süderbrarup (Amt)"] == ["010595974"]
    assert by_row["Brandis, Naunhof, Borsdorf, Großpösna, Belgershain, Parthenstein, Machern"] == [
        "147290070070", "147295307300", "147290060060", "147290190190", "147295307020", "147295307340",
        "147290250250",
    ]  # fmt: skip
    assert by_row["Osnabrück mit Hagen a.T.W., Bissendorf, SG Fürstenau, Artland, Neuenkirchen"] == [
        "034040000000", "034590020020", "034590012012", "034595403", "034595401", "034595404",
    ]  # fmt: skip
    assert by_row["Kiel mit Kreisen Rendsburg-Eckernförde und Plön (Smarte KielRegion)"] == [
        "010020000000",
        "01058",
        "01057",
    ]
    assert by_row["Hamburg, Leipzig, München"] == ["020000000000", "147130000000", "091620000000"]
    assert by_row["Arnsberg, Bad Berleburg, Menden, Olpe, Soest (5 für Südwestfalen)"] == [
        "059580004004", "059700004004", "059620040040", "059660024024", "059740040040",
    ]  # fmt: skip
    spellings = {
        "Landkreis Wunsiedel i. Fichtelgebirge": ["09479"],
        "Kirchheim b. München": ["091840131131"],
        "Halle (Saale)": ["150020000000"],
        "Mühlhausen/Thüringen": ["160640046046"],
        "Freiburg im Breisgau": ["083110000000"],
        "Kempten (Allgäu)": ["097630000000"],
        "Cottbus": ["120520000000"],
        "Eifelkreis Bitburg-Prüm": ["07232"],
        "Kreis Höxter": ["05762"],
        "Hannover": ["032410001001"],
    }
    assert {name: by_row[name] for name in spellings} == spellings
    hof = Municipality.objects.get(ars="09475")
    assert (hof.level, hof.kind, hof.model_project_round) == (Level.KREIS, Kind.LANDKREIS, 2020)
    assert not Municipality.objects.filter(ars__in=["09464", "094640000000", "010595974083"]).filter(
        is_model_project=True
    )
    assert Municipality.objects.filter(is_model_project=True).count() == 97
    second = import_model_projects(rows)
    assert (second.newly_marked, second.round_changed, second.unchanged) == (0, 0, 97)
