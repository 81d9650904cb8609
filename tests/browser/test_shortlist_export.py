"""The Markterkundung in Chromium: from the Merkliste to the printable page and the three downloads, with and
without JavaScript; the printable page is axe-clean and fits 320 px."""

import csv
import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from marketplace.shortlist.export.data import COLUMNS
from tests.browser.conftest import assert_accessible
from tests.factories import MunicipalityFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def solutions():
    listed = [
        SolutionFactory(
            title="Parkplatz-Sensorik", vendor__name="Sensorwerk GmbH", cost_introduction_eur=9000
        ),
        SolutionFactory(
            title="Carsharing-Plattform", accessibility_statement_url="https://example.org/" + "a" * 80
        ),
    ]
    ReferenceFactory(solution=listed[0], municipality=MunicipalityFactory(name="Referenzhausen"))
    return listed


def _fill_list(page, solutions):
    page.goto("/loesungen/?q=")
    for number, solution in enumerate(solutions, start=1):
        page.locator(f"#shortlist-solution-{solution.pk}").click()
        page.wait_for_function(
            "n => document.querySelector('#shortlist-count').innerText.includes('(' + n + ')')", arg=number
        )
    page.goto("/merkliste/")
    assert page.locator(".shortlist-entry").count() == len(solutions)


def _download(page, href: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f".shortlist-export a[href='{href}']").click()
    with open(info.value.path(), "rb") as file:
        return file.read()


def _follow_every_export(page, solutions):
    titles = [s.title for s in solutions]
    body = _download(page, "/merkliste/markterkundung.csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    with translation.override("de"):
        assert rows[0] == [str(column.label) for column in COLUMNS]
    assert [row[0] for row in rows[1:]] == titles
    workbook = load_workbook(io.BytesIO(_download(page, "/merkliste/markterkundung.xlsx")))
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    as_text = [["" if value is None else str(value) for value in row] for row in sheet_rows]
    assert as_text[0] == rows[0]
    assert [row[:8] for row in as_text[1:]] == [row[:8] for row in rows[1:]]  # text and counts alike
    pdf = PdfReader(io.BytesIO(_download(page, "/merkliste/markterkundung.pdf")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert all(title in text for title in titles) and "Referenzhausen" in text
    page.locator(".shortlist-export a[href='/merkliste/markterkundung.html']").click()
    page.wait_for_url(re.compile(r"/merkliste/markterkundung\.html$"))
    assert page.locator(".markterkundung__solution h3").all_inner_texts() == titles
    assert "Referenzhausen" in page.locator("#h-references + p + h3 + ul").inner_text()


def test_exports_from_the_shortlist_with_javascript(page, live_server, solutions):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/loesungen/")
    for solution in solutions:
        page.locator(f"#shortlist-solution-{solution.pk}").click()
        page.wait_for_selector(f"#shortlist-solution-{solution.pk}[hx-post$='/entfernen/']")
    page.goto("/merkliste/")
    assert_accessible(page)
    _follow_every_export(page, solutions)
    assert_accessible(page)


def test_exports_from_the_shortlist_without_javascript(page_without_js, live_server, solutions):
    _fill_list(page_without_js, solutions)
    _follow_every_export(page_without_js, solutions)


def test_printable_page_fits_320_px_and_prints(browser, live_server, solutions):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport={"width": 320, "height": 640}
    )
    try:
        page = context.new_page()
        _fill_list(page, solutions)
        page.goto("/merkliste/markterkundung.html")
        assert page.locator(".markterkundung__solution").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
        page.emulate_media(media="print")
        assert page.locator(".markterkundung-downloads").is_hidden()
        assert page.locator(".site-footer").is_hidden()
        assert page.locator(".markterkundung h1").is_visible()
    finally:
        context.close()
