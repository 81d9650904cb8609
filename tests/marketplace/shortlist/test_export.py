"""The Markterkundung export: CSV, XLSX, the printable page and the PDF, own and shared lists."""

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from marketplace.csvsafe import restore
from marketplace.shortlist.export.data import COLUMNS
from marketplace.shortlist.models import ShortlistEntry
from marketplace.shortlist.services import SESSION_KEY
from solutions.models import Solution
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
)

pytestmark = pytest.mark.django_db

ADD = "/merkliste/hinzufuegen/"
KEYS = [column.key for column in COLUMNS]


def add(client, *solutions):
    for solution in solutions:
        assert client.post(ADD, {"item": f"solution:{solution.pk}"}).status_code == 302


@pytest.fixture
def listed(client):
    """Two published solutions on the visitor's list, with references, a note and a formula-like title."""
    first = SolutionFactory(
        title="=Parkleitsystem",
        cost_introduction_eur=12000,
        cost_yearly_eur=None,
        framework_agreement=True,
        framework_agreement_name="Rahmenvertrag Kommunal",
        contact_name="Max Vertrieb",
        contact_email="vertrieb@example.com",
        dpa_available=True,
    )
    first.categories.add(CategoryFactory(name_en="Mobility", name_de="Mobilität"))
    first.standards.add(StandardFactory(name="DATEX II"))
    second = SolutionFactory(title="Bürgerbeteiligung", licence_type="open_source", spdx_id="EUPL-1.2")
    ReferenceFactory(
        solution=first,
        municipality=MunicipalityFactory(name="Kleinstadt"),
        contact_email="privat@example.org",
    )
    ReferenceFactory(
        solution=first, municipality=MunicipalityFactory(name="Ungeprüftstadt"), is_verified=False
    )
    ReferenceFactory(solution=second, municipality=MunicipalityFactory(name="Großstadt"))
    add(client, first, second)
    entry = ShortlistEntry.objects.get(solution=first)
    client.post(f"/merkliste/notiz/{entry.pk}/", {"note": "Angebot einholen"})
    return first, second


def rows_of_csv(response):
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_one_row_per_published_solution_and_the_documented_columns(client, listed):
    first, second = listed
    response = client.get("/merkliste/markterkundung.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="markterkundung-')
    rows = rows_of_csv(response)
    assert rows[0] == [str(column.label) for column in COLUMNS]
    assert len(rows) == 3
    one = dict(zip(KEYS, rows[1], strict=True))
    assert one["solution"] == "'=Parkleitsystem"  # formula-safe
    assert restore(one["solution"]) == "=Parkleitsystem"
    assert one["vendor"] == first.vendor.name
    assert one["fields_of_action"] == "Mobility"
    assert one["standards"] == "DATEX II"
    assert one["references"] == "2"
    assert one["references_verified"] == "1"
    assert one["references_my_size_class"] == ""
    assert one["cost_introduction_eur"] == "12000"
    assert one["cost_yearly_eur"] == ""
    assert one["framework_agreement"] == "yes: Rahmenvertrag Kommunal"
    assert one["data_processing_agreement"] == "available"
    assert one["contact_person"] == "Max Vertrieb"
    assert one["contact_email"] == "vertrieb@example.com"
    assert one["detail_url"] == f"http://testserver/loesungen/{first.slug}/"
    assert one["note"] == "Angebot einholen"
    assert one["last_update"] == first.updated_at.date().isoformat()
    two = dict(zip(KEYS, rows[2], strict=True))
    assert (two["solution"], two["licence"], two["note"]) == (
        "Bürgerbeteiligung",
        "Open source (EUPL-1.2)",
        "",
    )
    assert "privat@example.org" not in response.content.decode("utf-8-sig")


def test_xlsx_opens_with_the_same_values_as_the_csv_and_a_source_sheet(client, listed):
    first, _ = listed
    csv_rows = rows_of_csv(client.get("/merkliste/markterkundung.csv"))
    response = client.get("/merkliste/markterkundung.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Markterkundung", "Quelle"]
    sheet = workbook["Markterkundung"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert all(cell.font.bold for cell in sheet[1])
    as_text = [
        ["" if v is None else (v.date().isoformat() if hasattr(v, "date") else str(v)) for v in row]
        for row in values
    ]
    assert as_text == csv_rows
    one = dict(zip(KEYS, values[1], strict=True))
    assert one["references"] == 2 and one["cost_introduction_eur"] == 12000  # typed numbers
    assert sheet["A2"].data_type == "s"  # the formula-like title stays text
    source = {row[0]: row[1] for row in workbook["Quelle"].iter_rows(values_only=True)}
    assert set(source) == {"Date", "Source", "Licence"}
    assert source["Source"].startswith("Smart-City-Marktplatz, http://testserver/")
    assert "Destatis" in source["Licence"]


def test_printable_page_shows_criteria_vendors_verified_references_and_source(client, listed):
    first, second = listed
    response = client.get("/merkliste/markterkundung.html")
    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Market survey</h1>" in html
    assert (
        f'<h3 id="h-solution-1"><a href="http://testserver/loesungen/{first.slug}/">=Parkleitsystem</a></h3>'
        in html
    )
    assert '<tr><th scope="row">One-off introduction</th><td>12.000 €</td></tr>' in html
    assert '<tr><th scope="row">Operation per year</th><td>on request</td></tr>' in html
    assert '<tr><th scope="row">Note</th><td>Angebot einholen</td></tr>' in html
    assert '<a href="mailto:vertrieb@example.com">vertrieb@example.com</a>' in html
    # Verified references only, with a link to the solution page's references; no private address.
    assert "<li>Kleinstadt" in html and "<li>Großstadt" in html
    assert "Ungeprüftstadt" not in html
    assert "privat@example.org" not in html
    assert f'href="http://testserver/loesungen/{first.slug}/#h-references"' in html
    assert "§ 28 VgV" in html and "UVgO" in html
    assert "<dt>Licence</dt>" in html
    assert 'href="/merkliste/markterkundung.pdf"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_page_and_pdf_are_german_by_default(client, listed, settings):
    settings.LANGUAGE_CODE = "de"
    html = client.get("/merkliste/markterkundung.html").content.decode()
    assert '<html lang="de">' in html
    reader = PdfReader(io.BytesIO(client.get("/merkliste/markterkundung.pdf").content))
    assert reader.trailer["/Root"]["/Lang"] == "de"


def structure_roles(node):
    """The roles (/S) of every element in a PDF's structure tree."""
    node = node.get_object()
    if "/S" in node:
        yield str(node["/S"])
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict):
            yield from structure_roles(kid)


def test_pdf_is_tagged_has_title_language_and_the_solutions_and_references(client, listed):
    response = client.get("/merkliste/markterkundung.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Market survey",
        "=Parkleitsystem",
        "Bürgerbeteiligung",
        "Kleinstadt",
        "Großstadt",
        "12.000 €",
    ):
        assert expected in text
    assert "Ungeprüftstadt" not in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/L"} <= set(structure_roles(root["/StructTreeRoot"]))
    assert reader.metadata.title == "Market survey – Smart-City-Marktplatz"
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].get_object().values()
    }
    assert fonts <= {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_pdf_is_rate_limited(client, listed, settings):
    settings.SHORTLIST_PDF_RATE = (1, 600)
    assert client.get("/merkliste/markterkundung.pdf").status_code == 200
    refused = client.get("/merkliste/markterkundung.pdf")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    # The cheap formats are not counted.
    assert client.get("/merkliste/markterkundung.csv").status_code == 200


def test_solution_unpublished_after_adding_is_not_exported(client, listed):
    first, second = listed
    Solution.objects.filter(pk=first.pk).update(status="archived")
    rows = rows_of_csv(client.get("/merkliste/markterkundung.csv"))
    assert [row[0] for row in rows[1:]] == ["Bürgerbeteiligung"]
    html = client.get("/merkliste/markterkundung.html").content.decode()
    assert "Parkleitsystem" not in html and "Kleinstadt" not in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html", "pdf"])
def test_empty_list_gets_a_message_not_an_empty_file(client, fmt):
    response = client.get(f"/merkliste/markterkundung.{fmt}")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "There is nothing to export: the shortlist has no published solution." in response.content.decode()


def test_pilot_projects_on_the_list_are_not_exported(client, listed):
    pilot = PilotProjectFactory(title="Pilot Sensorik")
    client.post(ADD, {"item": f"pilot:{pilot.pk}"})
    assert ShortlistEntry.objects.filter(pilot=pilot).exists()
    rows = rows_of_csv(client.get("/merkliste/markterkundung.csv"))
    assert [row[0] for row in rows[1:]] == ["'=Parkleitsystem", "Bürgerbeteiligung"]
    assert "Pilot Sensorik" not in client.get("/merkliste/markterkundung.html").content.decode()


def test_list_with_only_unpublished_solutions_gets_the_message(client, listed):
    Solution.objects.filter(pk__in=[s.pk for s in listed]).update(status="archived")
    response = client.get("/merkliste/markterkundung.csv")
    assert "There is nothing to export" in response.content.decode()


def test_unknown_format_is_404(client, listed):
    assert client.get("/merkliste/markterkundung.doc").status_code == 404


def test_export_links_on_the_shortlist_page(client, listed):
    html = client.get("/merkliste/").content.decode()
    for fmt in ("html", "pdf", "xlsx", "csv"):
        assert f'href="/merkliste/markterkundung.{fmt}"' in html


def shared_url(client):
    html = client.get("/merkliste/").content.decode()
    start = html.index("/merkliste/geteilt/")
    return html[start : html.index('"', start)]


def test_shared_link_exports_only_its_own_list_read_only(client, listed):
    url = shared_url(client)
    colleague = client.__class__()
    add(colleague, SolutionFactory(title="Fremde Lösung"))
    shared_page = colleague.get(url).content.decode()
    assert f'href="{url}markterkundung.csv"' in shared_page
    rows = rows_of_csv(colleague.get(f"{url}markterkundung.csv"))
    assert [row[0] for row in rows[1:]] == ["'=Parkleitsystem", "Bürgerbeteiligung"]
    # The colleague's own export still has only the colleague's list.
    own = rows_of_csv(colleague.get("/merkliste/markterkundung.csv"))
    assert [row[0] for row in own[1:]] == ["Fremde Lösung"]
    html = colleague.get(f"{url}markterkundung.html").content.decode()
    assert f'href="{url}markterkundung.pdf"' in html
    assert f'href="{url}"' in html  # back to the shared list
    # Reading a shared export creates nothing for a visitor without a list.
    stranger = client.__class__()
    assert stranger.get(f"{url}markterkundung.xlsx").status_code == 200
    assert SESSION_KEY not in stranger.session


def test_forged_share_token_export_is_404(client, listed):
    url = shared_url(client)
    token, signature = url.removeprefix("/merkliste/geteilt/").rstrip("/").rsplit(":", 1)
    other = client.__class__()
    add(other, SolutionFactory(title="Andere Liste"))
    forged = f"{token}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    for fmt in ("csv", "html", "pdf"):
        response = client.__class__().get(f"/merkliste/geteilt/{forged}/markterkundung.{fmt}")
        assert response.status_code == 404
        assert "Parkleitsystem" not in response.content.decode()
    assert client.__class__().get(f"/merkliste/geteilt/{token}/markterkundung.csv").status_code == 404


@pytest.mark.parametrize("count", [2, 4])
def test_export_query_count_is_locked(client, django_assert_num_queries, count):
    solutions = [SolutionFactory() for _ in range(count)]
    for solution in solutions:
        ReferenceFactory(solution=solution)
        solution.categories.add(CategoryFactory())
        solution.standards.add(StandardFactory())
    add(client, *solutions)
    # session, the list, its entries, the solutions with counts, their fields of action and standards,
    # the verified references
    with django_assert_num_queries(7):
        response = client.get("/merkliste/markterkundung.csv")
    assert len(rows_of_csv(response)) == count + 1
    # ... and the header's Merkliste count
    with django_assert_num_queries(8):
        response = client.get("/merkliste/markterkundung.html")
    assert response.content.decode().count('class="markterkundung__solution"') == count


def test_peer_columns_count_from_the_chosen_municipality(client, listed):
    first, _ = listed
    mine = MunicipalityFactory(name="Meinestadt", population=3_000)
    ReferenceFactory(solution=first, municipality=MunicipalityFactory(population=4_000))
    client.post("/kommunen/meine/waehlen/", {"slug": mine.slug})
    rows = rows_of_csv(client.get("/merkliste/markterkundung.csv"))
    one = dict(zip(KEYS, rows[1], strict=True))
    assert one["references_my_size_class"] == "1"
    assert one["references_my_land"] == "3"
    workbook = load_workbook(io.BytesIO(client.get("/merkliste/markterkundung.xlsx").content))
    source = {row[0]: row[1] for row in workbook["Quelle"].iter_rows(values_only=True)}
    assert source["Counted from"] == "Meinestadt"


def test_every_comparison_criterion_is_an_export_column(client, listed):
    first, second = listed
    html = client.get(f"/loesungen/vergleich/?s={first.slug}&s={second.slug}").content.decode()
    labels = {str(column.label) for column in COLUMNS}
    compared = [chunk.split("</th>")[0].split(" <span")[0] for chunk in html.split('<th scope="row">')[1:]]
    assert compared, "the comparison shows its criteria"
    assert set(compared) <= labels, set(compared) - labels


def test_pdf_fetcher_reads_only_the_shipped_fonts():
    from marketplace.shortlist.export.pdf import HERE, LocalFilesOnly

    fetcher = LocalFilesOnly(allowed_protocols=["file"])
    font = fetcher.fetch((HERE / "fonts" / "DejaVuSans.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    font.close()
    for url in (
        "https://example.org/font.ttf",
        "file:///etc/passwd",
        (HERE / "fonts" / ".." / ".." / "views.py").as_uri(),
    ):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


def test_the_pdf_renderer_leaves_pillow_refusing_truncated_images():
    """WeasyPrint's import makes Pillow accept truncated images process-wide; the logo checks need the
    default back (tests/solutions/portal/test_upload_limits.py checks the upload itself)."""
    from PIL import ImageFile

    from marketplace.shortlist.export import pdf  # noqa: F401 - imported for its side effect

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
