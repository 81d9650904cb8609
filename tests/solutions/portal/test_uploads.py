"""Logo and PDF uploads: type from the content, size limits, random names, safe serving."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from marketplace.choices import EditorialStatus
from solutions.models import SolutionDocument, SolutionRevision

from .conftest import image_bytes, read_file_response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _upload_logo(client, solution, name, content, content_type="image/png"):
    return client.post(
        reverse("vendor:solution_logo", kwargs={"pk": solution.pk}),
        {"logo": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_logo_png_that_is_really_html_is_rejected(client, owner, draft):
    client.force_login(owner)
    response = _upload_logo(
        client, draft, "logo.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == ["This file is not a PNG, JPEG or WebP image."]
    draft.refresh_from_db()
    assert not draft.logo


def test_svg_with_script_is_rejected(client, owner, draft):
    client.force_login(owner)
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name in ("logo.svg", "logo.png"):
        response = _upload_logo(client, draft, name, svg, "image/svg+xml")
        assert response.context["form"].errors["logo"] == [
            "SVG files are not accepted; please upload a PNG, JPEG or WebP image."
        ]
    draft.refresh_from_db()
    assert not draft.logo


def test_oversized_logo_is_rejected_with_a_message(client, owner, draft, settings):
    settings.PORTAL_LOGO_MAX_BYTES = 1000
    client.force_login(owner)
    response = _upload_logo(client, draft, "logo.png", image_bytes(size=(300, 300)) + b"\0" * 2000)
    assert response.status_code == 200
    [message] = response.context["form"].errors["logo"]
    assert message.startswith("The file is ")
    assert "at most 1000" in message


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_logo_is_re_encoded_resized_and_stored_under_a_random_name(client, owner, draft, image_format):
    client.force_login(owner)
    response = _upload_logo(client, draft, "Mein Logo.png", image_bytes(image_format, size=(2000, 1000)))
    assert response["Location"] == reverse("vendor:solution", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    assert draft.logo.name.startswith("solutions/")
    assert draft.logo.name.endswith(".png")
    assert "Mein" not in draft.logo.name and "Logo" not in draft.logo.name
    with draft.logo.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as stored:
        assert stored.format == "PNG"
        assert stored.size == (512, 256)


def test_logo_of_a_published_listing_waits_in_the_revision(client, owner, published):
    client.force_login(owner)
    _upload_logo(client, published, "logo.png", image_bytes())
    published.refresh_from_db()
    assert not published.logo
    revision = SolutionRevision.objects.get(solution=published)
    assert revision.data["logo"].startswith("solutions/")


def test_logo_is_served_inline_with_nosniff(client, owner, draft):
    client.force_login(owner)
    _upload_logo(client, draft, "logo.png", image_bytes())
    response = client.get(reverse("vendor:solution_logo_file", kwargs={"pk": draft.pk}))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    read_file_response(response)


def _upload_pdf(client, solution, name="Broschüre.pdf", content=PDF, title="Produktblatt"):
    return client.post(
        reverse("vendor:documents", kwargs={"pk": solution.pk}),
        {"kind": "brochure", "title": title, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_pdf_is_stored_under_a_random_name_and_served_as_attachment(client, owner, draft):
    client.force_login(owner)
    response = _upload_pdf(client, draft)
    assert response["Location"] == reverse("vendor:documents", kwargs={"pk": draft.pk})
    document = SolutionDocument.objects.get()
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert "Brosch" not in document.file.name
    assert document.size == len(PDF)
    download = client.get(reverse("vendor:document_download", kwargs={"pk": document.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="produktblatt.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert read_file_response(download) == PDF


def test_pdf_named_file_that_is_not_a_pdf_is_rejected(client, owner, draft):
    client.force_login(owner)
    response = _upload_pdf(client, draft, content=b"<html><script>alert(1)</script></html>")
    assert response.context["form"].errors["file"] == ["This file is not a PDF document."]
    assert not SolutionDocument.objects.exists()


def test_oversized_pdf_is_rejected_with_a_message(client, owner, draft, settings):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 50
    client.force_login(owner)
    response = _upload_pdf(client, draft)
    [message] = response.context["form"].errors["file"]
    assert message.startswith("The file is ")
    assert not SolutionDocument.objects.exists()


def test_at_most_five_documents(client, owner, draft):
    client.force_login(owner)
    for index in range(5):
        _upload_pdf(client, draft, title=f"Dokument {index}")
    response = _upload_pdf(client, draft, title="Sechstes")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["A listing can have at most 5 documents."]
    assert SolutionDocument.objects.count() == 5


def test_deleting_a_document_removes_the_file(client, owner, draft, django_capture_on_commit_callbacks):
    client.force_login(owner)
    _upload_pdf(client, draft)
    document = SolutionDocument.objects.get()
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("vendor:document_delete", kwargs={"pk": document.pk}))
    assert not SolutionDocument.objects.exists()
    assert not storage.exists(name)


def test_uploaded_title_is_escaped(client, owner, draft):
    client.force_login(owner)
    _upload_pdf(client, draft, title="<script>alert(1)</script>")
    html = client.get(reverse("vendor:documents", kwargs={"pk": draft.pk})).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_published_solution_logo_is_public(client, owner, draft):
    client.force_login(owner)
    _upload_logo(client, draft, "logo.png", image_bytes())
    client.logout()
    url = reverse("vendor:solution_logo_file", kwargs={"pk": draft.pk})
    assert client.get(url).status_code == 404
    type(draft).objects.filter(pk=draft.pk).update(status=EditorialStatus.PUBLISHED)
    response = client.get(url)
    assert response.status_code == 200
    read_file_response(response)
