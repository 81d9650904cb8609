"""The vendor portal: a vendor sees and answers only requests addressed to it; the answer reaches only the
requester; a bad PDF is refused; the list's query count does not grow with its rows."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.inquiries import services
from marketplace.inquiries.models import Answer
from tests.factories import UserFactory
from tests.marketplace.inquiries.conftest import member
from tests.marketplace.inquiries.factories import AnswerFactory, InquiryFactory, RecipientFactory
from tests.marketplace.inquiries.test_flow import assert_says_why_and_how_to_stop
from tests.solutions.portal.conftest import read_file_response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def addressed(vendors):
    """One confirmed request to Alpha and Beta (not to Gamma)."""
    inquiry = InquiryFactory(municipality_name="Musterstadt", email="erika@musterstadt.example")
    return {
        key: RecipientFactory(inquiry=inquiry, vendor=vendors[key], solutions=[vendors[key].solution])
        for key in ("a", "b")
    }


def test_vendor_list_shows_only_its_own_confirmed_requests(client, vendors, addressed):
    RecipientFactory(vendor=vendors["a"], inquiry=InquiryFactory(confirmed_at=None, municipality_name="Ohne"))
    client.force_login(vendors["a"].editor_user)

    response = client.get(reverse("vendor:inquiries"))

    assert [r.pk for r in response.context["recipients"]] == [addressed["a"].pk]
    page = response.content.decode()
    assert "Musterstadt" in page
    assert "Ohne" not in page
    assert reverse("vendor:inquiry", args=[addressed["b"].pk]) not in page


def test_dashboard_links_to_the_requests(client, vendors):
    client.force_login(vendors["a"].admin_user)

    page = client.get(reverse("vendor:dashboard")).content.decode()

    assert f'href="{reverse("vendor:inquiries")}"' in page


@pytest.mark.parametrize("who", ["outsider", "other_vendor", "anonymous"])
def test_another_vendors_request_cannot_be_opened_or_answered(client, vendors, addressed, who):
    if who == "outsider":
        client.force_login(UserFactory())
    elif who == "other_vendor":
        client.force_login(vendors["c"].admin_user)
    url = reverse("vendor:inquiry", args=[addressed["a"].pk])

    opened = client.get(url)
    answered = client.post(url, {"text": "Fremde Antwort"})

    if who == "anonymous":
        assert opened.status_code == answered.status_code == 302
        assert opened["Location"].startswith(reverse("accounts:login"))
    else:
        assert opened.status_code == answered.status_code == 404
    assert Answer.objects.count() == 0
    assert mail.outbox == []


def test_an_unconfirmed_request_cannot_be_opened(client, vendors):
    recipient = RecipientFactory(vendor=vendors["a"], inquiry=InquiryFactory(confirmed_at=None))
    client.force_login(vendors["a"].admin_user)

    assert client.get(reverse("vendor:inquiry", args=[recipient.pk])).status_code == 404


def test_member_answers_and_only_the_requester_gets_it(client, vendors, addressed):
    client.force_login(vendors["a"].editor_user)
    url = reverse("vendor:inquiry", args=[addressed["a"].pk])
    page = client.get(url).content.decode()
    assert "Eine digitale Parkraumerfassung." in page

    response = client.post(
        url,
        {"text": "Wir bieten eine Pilotphase an.", "pdf": SimpleUploadedFile("angebot.pdf", PDF)},
    )

    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.recipient == addressed["a"]
    assert answer.answered_by == vendors["a"].editor_user
    assert answer.pdf.name.startswith("inquiries/") and answer.pdf.name.endswith(".pdf")
    assert "angebot" not in answer.pdf.name
    [message] = mail.outbox
    assert message.to == ["erika@musterstadt.example"]
    assert "Wir bieten eine Pilotphase an." in message.body
    assert message.subject == "Answer from Alpha GmbH to your request for information"
    link = re.search(r"https://marktplatz\.example\.de(\S+)", message.body).group(1)
    assert link == services.answers_path(addressed["a"].inquiry)
    assert_says_why_and_how_to_stop(message)
    # The page now shows the answer instead of the form; a second answer is refused.
    page = client.get(url).content.decode()
    assert "Wir bieten eine Pilotphase an." in page
    assert 'name="text"' not in page
    client.post(url, {"text": "Noch eine Antwort"})
    assert Answer.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_file_that_is_not_a_pdf_is_refused(client, vendors, addressed):
    client.force_login(vendors["a"].admin_user)
    url = reverse("vendor:inquiry", args=[addressed["a"].pk])

    response = client.post(
        url, {"text": "Anbei das Angebot.", "pdf": SimpleUploadedFile("angebot.pdf", b"MZ\x90\x00 not a pdf")}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["pdf"] == ["This file is not a PDF document."]
    assert "Anbei das Angebot." in response.content.decode()
    assert Answer.objects.count() == 0
    assert mail.outbox == []


def test_a_pdf_over_the_limit_is_refused(client, vendors, addressed, settings):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 20
    client.force_login(vendors["a"].admin_user)

    response = client.post(
        reverse("vendor:inquiry", args=[addressed["a"].pk]),
        {"text": "Anbei.", "pdf": SimpleUploadedFile("a.pdf", PDF)},
    )

    assert response.context["form"].errors["pdf"][0].startswith("The file is")
    assert Answer.objects.count() == 0


def test_answer_pdf_only_for_the_answering_vendor_and_editors(client, vendors, addressed, settings):
    settings.ADMIN_REQUIRE_OTP = False
    client.force_login(vendors["a"].admin_user)
    client.post(
        reverse("vendor:inquiry", args=[addressed["a"].pk]),
        {"text": "Siehe PDF.", "pdf": SimpleUploadedFile("a.pdf", PDF)},
    )
    url = reverse("vendor:inquiry_answer_file", args=[addressed["a"].pk])

    own = client.get(url)
    assert read_file_response(own) == PDF
    assert own["Content-Disposition"].startswith("attachment;")
    client.force_login(vendors["b"].admin_user)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert read_file_response(client.get(url)) == PDF


@pytest.mark.parametrize("rows", [1, 6])
def test_vendor_request_list_query_count_is_independent_of_rows(
    client, vendors, rows, django_assert_num_queries
):
    user = vendors["a"].admin_user
    second = member(vendors["b"], "a-admin-at-b")
    for index in range(rows):
        recipient = RecipientFactory(vendor=vendors["a"], solutions=[vendors["a"].solution])
        if index % 2:
            AnswerFactory(recipient=recipient)
    RecipientFactory(vendor=vendors["b"], solutions=[vendors["b"].solution])
    client.force_login(user)
    assert second != user

    # session, user, the recipients, their solutions
    with django_assert_num_queries(4):
        response = client.get(reverse("vendor:inquiries"))

    assert len(response.context["recipients"]) == rows
