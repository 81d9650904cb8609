"""The editors' upload of the official register (Destatis Gemeindeverzeichnis): a dry-run preview first,
then the import in one transaction; only for users who may add and change municipalities."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from marketplace.editorial.admin.register_import import summary_line
from municipalities.models import Level, Municipality
from tests.factories import UserFactory
from tests.marketplace.editorial.test_admin_german import english_in, english_phrases, read
from tests.municipalities.test_importer import FIRST, write_gv_file

pytestmark = pytest.mark.django_db

PAGE = "admin:municipalities_municipality_import_register"
CONFIRM = "admin:municipalities_municipality_import_register_confirm"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.ADMIN_REQUIRE_OTP = False
    # Where the previewed file waits for the confirmation; the test checks it is removed afterwards.
    (tmp_path / "uploads").mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")


def upload(tmp_path, rows=FIRST, name="gv.xlsx"):
    path = write_gv_file(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes())


def german(msgid: str) -> str:
    """A text as the German admin shows it (the English msgid until the catalogue translates it)."""
    with translation.override("de"):
        return translation.gettext(msgid)


def malformed_rows():
    rows = list(FIRST)
    rows[3] = (*rows[3][:9], "viele", *rows[3][10:])  # Flensburg's population, Excel row 10
    return rows


def snapshot():
    return list(Municipality.objects.order_by("pk").values())


def waiting_files(settings):
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    return sorted(p.name for p in (folder / "register-import").glob("*"))


def test_preview_shows_the_counts_and_changes_nothing_then_confirming_imports(
    client, editor, tmp_path, settings
):
    client.force_login(editor)
    before = snapshot()

    preview = client.post(reverse(PAGE), {"file": upload(tmp_path)})

    assert preview.status_code == 200
    summary = preview.context["summary"]
    assert (
        summary.new,
        summary.renamed,
        summary.population_changed,
        summary.dissolved,
        summary.unchanged,
    ) == (
        13,
        0,
        0,
        0,
        0,
    )
    assert summary.dry_run is True
    page = preview.content.decode()
    assert '<td id="count-new">13</td>' in page
    assert reverse(CONFIRM) in page
    assert snapshot() == before
    assert len(waiting_files(settings)) == 1

    done = client.post(reverse(CONFIRM), {"token": preview.context["token"]}, follow=True)

    assert done.redirect_chain == [(reverse("admin:municipalities_municipality_changelist"), 302)]
    assert Municipality.objects.filter(level=Level.GEMEINDE).count() == 5
    assert Municipality.objects.get(ars="010540168168").population == 13679
    messages = [str(message) for message in done.context["messages"]]
    with translation.override("de"):
        expected = translation.gettext(
            "Imported the register of %(date)s: %(summary)s Data © Statistisches Bundesamt (Destatis)."
        ) % {"date": "31.12.2024", "summary": summary_line(summary)}
    assert messages == [expected]
    assert waiting_files(settings) == []
    # The file is gone: confirming again imports nothing and says so.
    again = client.post(reverse(CONFIRM), {"token": preview.context["token"]}, follow=True)
    assert [str(message) for message in again.context["messages"]] == [
        german(
            "There is no previewed file to import (it was imported already or the preview expired). "
            "Upload the file again."
        )
    ]


def test_a_malformed_file_shows_the_row_errors_and_changes_nothing(client, editor, tmp_path, settings):
    client.force_login(editor)
    before = snapshot()

    response = client.post(reverse(PAGE), {"file": upload(tmp_path, malformed_rows())})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [
            german("The file was not imported; nothing changed."),
            "Zeile 10: die Bevölkerungszahl „viele“ ist keine ganze Zahl.",
        ]
    }
    assert "summary" not in response.context
    assert snapshot() == before
    assert waiting_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("gv.xlsx", b"not a workbook", "Die Datei ist keine lesbare Excel-Arbeitsmappe"),
        ("gv.csv", b"AGS;Name\n", "Dateiendung „csv“ ist nicht erlaubt."),
    ],
)
def test_a_file_that_is_not_excel_is_a_form_error(client, editor, name, content, error):
    client.force_login(editor)
    response = client.post(reverse(PAGE), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert any(message.startswith(error) for message in response.context["form"].errors["file"])
    assert Municipality.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, editor, settings):
    from marketplace.editorial.admin import register_import

    client.force_login(editor)
    big = SimpleUploadedFile("gv.xlsx", b"0" * (register_import.MAX_FILE_BYTES + 1))
    response = client.post(reverse(PAGE), {"file": big})
    assert response.context["form"].errors == {"file": [german("The file is larger than 10 MB.")]}


def test_steps_answer_only_their_methods(client, editor):
    client.force_login(editor)
    page = client.get(reverse(PAGE))
    assert page.status_code == 200
    assert page.context["title"] == german("Import the official register (Gemeindeverzeichnis)")
    assert client.get(reverse(CONFIRM)).status_code == 405
    assert client.put(reverse(PAGE)).status_code == 405
    # Confirming without a preview in this session imports nothing.
    response = client.post(reverse(CONFIRM), {"token": "../../etc/passwd"}, follow=True)
    assert response.status_code == 200
    assert Municipality.objects.count() == 0


def test_the_changelist_links_to_the_page_for_editors(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:municipalities_municipality_changelist")).content.decode()
    assert f'href="{reverse(PAGE)}"' in page


def test_anonymous_and_vendor_users_are_sent_to_the_login(client, tmp_path, member):
    login = reverse("admin:login")
    assert client.get(reverse(PAGE)).url.startswith(login)
    client.force_login(member)
    assert client.get(reverse(PAGE)).url.startswith(login)
    assert client.post(reverse(PAGE), {"file": upload(tmp_path)}).url.startswith(login)
    assert client.post(reverse(CONFIRM)).url.startswith(login)
    assert Municipality.objects.count() == 0


@pytest.mark.parametrize("codenames", [["view_municipality"], ["view_municipality", "change_municipality"]])
def test_staff_without_add_and_change_permission_get_no_access(client, tmp_path, codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), {"file": upload(tmp_path)}).status_code == 403
    assert client.post(reverse(CONFIRM)).status_code == 403
    changelist = client.get(reverse("admin:municipalities_municipality_changelist")).content.decode()
    assert reverse(PAGE) not in changelist
    assert Municipality.objects.count() == 0


# The msgids this page added. Until the German catalogue has them they are left out of the check below
# (the catalogue is filled separately); once translated, the check covers them by itself.
NEW_MSGIDS = [
    "Import the official register (Gemeindeverzeichnis)",
    "Import the official register",
    "Gemeindeverzeichnis (Excel file)",
    'The quarterly "Gemeindeverzeichnis, Auszug GV 4Q" of the Statistisches Bundesamt (.xlsx, at most '
    "10 MB).",
    "Preview: nothing has been saved yet",
    "File “%(name)s”: Gebietsstand %(territory)s, population as of %(population)s.",
    "What the import would change",
    "new",
    "renamed",
    "changed population",
    "otherwise changed",
    "merged or dissolved",
    "unchanged",
    "Editorial fields (description, contact, website, Modellprojekt) are never overwritten.",
    "Import now",
    "Upload another file",
    "The file could not be read. Please see the problems below.",
    "Check the file (dry run)",
    "Data © Statistisches Bundesamt (Destatis).",
    "The file was not imported; nothing changed.",
]


def untranslated_fragments() -> list[str]:
    """The literal parts of the new msgids the German catalogue does not translate yet."""
    with translation.override("de"):
        pending = [msgid for msgid in NEW_MSGIDS if translation.gettext(msgid) == msgid]
    fragments = [part.strip(" .:") for msgid in pending for part in re.split(r"%\(\w+\)[sd]", msgid)]
    return sorted((part for part in fragments if part), key=len, reverse=True)


def test_the_pages_are_german(client, editor, tmp_path, settings):
    settings.LANGUAGE_CODE = "de"
    client.force_login(editor)
    phrases = english_phrases()
    pending = untranslated_fragments()
    pages = {
        "form": client.get(reverse(PAGE)),
        "preview": client.post(reverse(PAGE), {"file": upload(tmp_path)}),
        "errors": client.post(reverse(PAGE), {"file": upload(tmp_path, malformed_rows(), "bad.xlsx")}),
    }
    assert pages["errors"].context["form"].errors
    found = {}
    for name, response in pages.items():
        page = read(response.content.decode())
        text = " ".join(page.parts)
        for fragment in pending:
            text = text.replace(fragment, " ")
        english = english_in(text, phrases)
        if english or page.empty_headings:
            found[name] = {"english": english, "empty headings": page.empty_headings}
    assert found == {}


# ---------- the register fields in the changelist and change form ----------


def test_register_fields_are_read_only_and_parents_are_links(client, editor, tmp_path):
    from municipalities.importer import import_register, read_gv_file

    import_register(read_gv_file(write_gv_file(tmp_path / "gv.xlsx", FIRST)))
    sylt = Municipality.objects.get(ars="010540168168")
    client.force_login(editor)

    response = client.get(reverse("admin:municipalities_municipality_change", args=[sylt.pk]))

    form = response.context["adminform"].form
    assert {"ars", "level", "official_name", "parent", "successor", "postcode"}.isdisjoint(form.fields)
    assert {"description", "website", "contact_email"} <= set(form.fields)
    district_url = reverse("admin:municipalities_municipality_change", args=[sylt.parent_id])
    assert f'<a href="{district_url}">' in response.content.decode()
    assert "010540168168" in response.content.decode()


def test_changelist_searches_by_ars_and_filters_level_and_dissolved(client, editor, tmp_path):
    from municipalities.importer import import_register, read_gv_file

    import_register(read_gv_file(write_gv_file(tmp_path / "gv.xlsx", FIRST)))
    Municipality.objects.filter(ars="010545439061").update(dissolved_on="2025-01-01")
    client.force_login(editor)
    changelist = reverse("admin:municipalities_municipality_changelist")

    def found(**query):
        return sorted(row.ars for row in client.get(changelist, query).context["cl"].result_list)

    assert found(q="01054") == ["01054", "010540168168", "010545439", "010545439046", "010545439061"]
    assert found(level="verband") == ["010545439"]
    assert found(dissolved="yes") == ["010545439061"]
    assert len(found(dissolved="no")) == 12
