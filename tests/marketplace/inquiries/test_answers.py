"""The requester's private answers page: signed, not forgeable, not usable for another request; the PDFs
only through it."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from marketplace.inquiries import services
from tests.marketplace.inquiries.factories import AnswerFactory, InquiryFactory, RecipientFactory
from tests.solutions.portal.conftest import read_file_response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def answered(vendors):
    inquiry = InquiryFactory(municipality_name="Musterstadt")
    first = RecipientFactory(inquiry=inquiry, vendor=vendors["a"], solutions=[vendors["a"].solution])
    RecipientFactory(inquiry=inquiry, vendor=vendors["b"], solutions=[vendors["b"].solution])
    answer = AnswerFactory(recipient=first, text="Antwort von Alpha", pdf_size=len(PDF))
    answer.pdf.save("x.pdf", ContentFile(PDF))
    return inquiry, answer


def test_answers_side_by_side_with_pdf_link(client, answered):
    inquiry, answer = answered
    signed = services.answers_token(inquiry)

    response = client.get(reverse("inquiries:answers", args=[signed]))

    page = response.content.decode()
    assert [r.vendor.name for r in response.context["recipients"]] == ["Alpha GmbH", "Beta AG"]
    assert "Antwort von Alpha" in page
    assert "No answer yet." in page
    assert reverse("inquiries:answer_file", args=[signed, answer.pk]) in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert read_file_response(client.get(reverse("inquiries:answer_file", args=[signed, answer.pk]))) == PDF


def test_the_answers_link_cannot_be_forged(client, answered):
    inquiry, answer = answered
    signed = services.answers_token(inquiry)
    token, signature = signed.split(":")
    altered = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged = [f"{token}:{altered}", token, f"{token}x:{signature}"]

    for link in forged:
        assert client.get(reverse("inquiries:answers", args=[link])).status_code == 404
        assert client.get(reverse("inquiries:answer_file", args=[link, answer.pk])).status_code == 404
    # The confirmation link is signed for another purpose and opens no answers.
    confirm = services.confirm_token(inquiry)
    assert client.get(reverse("inquiries:answers", args=[confirm])).status_code == 404


def test_one_requests_link_opens_no_other_requests_answers(client, answered, vendors):
    _inquiry, answer = answered
    other = InquiryFactory(municipality_name="Anderswo")
    other_signed = services.answers_token(other)

    response = client.get(reverse("inquiries:answer_file", args=[other_signed, answer.pk]))

    assert response.status_code == 404
    page = client.get(reverse("inquiries:answers", args=[other_signed])).content.decode()
    assert "Antwort von Alpha" not in page


def test_an_unconfirmed_requests_answers_link_opens_nothing(client):
    inquiry = InquiryFactory(confirmed_at=None)

    assert client.get(reverse("inquiries:answers", args=[services.answers_token(inquiry)])).status_code == 404


def test_answer_pdfs_are_not_public_media(client, answered, settings):
    _inquiry, answer = answered

    assert client.get(f"{settings.MEDIA_URL}{answer.pdf.name}").status_code == 404
