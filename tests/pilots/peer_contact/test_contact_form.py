"""The form "Kontakt zur Referenzkommune": routing, Reply-To, no address on any page, spam refusals that
keep the typed text, and the stored messages."""

import pytest
from django.core import mail
from django.urls import reverse

from pilots.contact.services import record_contact_consent
from pilots.models import ReferenceContactMessage
from tests.factories import CategoryFactory, MunicipalityFactory, ReferenceFactory, SolutionFactory

from .conftest import ASKER, footer, form_data, links_in, path_of

pytestmark = pytest.mark.django_db
Route = ReferenceContactMessage.Route
EDITORS = ["redaktion@marktplatz.example"]


def contact_url(reference):
    return reverse("pilots:reference_contact", kwargs={"pk": reference.pk})


def send(client, reference, **changes):
    return client.post(contact_url(reference), form_data(client, reference, **changes))


def addresses_of(reference) -> list[str]:
    return [reference.contact_email, reference.municipality.contact_email, *EDITORS]


def test_question_goes_to_the_consenting_contact_with_reply_to_the_asker(client, reference):
    record_contact_consent(reference, agrees=True)
    response = send(client, reference)

    message = ReferenceContactMessage.objects.get()
    assert (message.reference, message.route, message.email) == (reference, Route.CONTACT, ASKER["email"])
    assert message.question == ASKER["question"]
    assert [(m.to, m.reply_to) for m in mail.outbox] == [
        (["max.beispiel@musterhausen.example"], ["erika@neustadt.example"])
    ]
    sent = mail.outbox[0]
    assert sent.subject == "Question from another municipality about “Parkraum-Sensorik”"
    assert ASKER["question"] in sent.body
    why, stop = footer(sent.body)
    assert "You agreed to receive questions" in why
    # The withdrawal link is the consent page's signed link.
    assert path_of(links_in(stop)[0]).startswith("/pilotprojekte/referenzen/einwilligung/")
    withdraw = client.post(path_of(links_in(stop)[0]), {"answer": "no"})
    assert withdraw.status_code == 302
    reference.refresh_from_db()
    assert not reference.contact_consented

    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert "the contact person named for Musterhausen" in html
    assert all(address not in html for address in addresses_of(reference))


def test_without_consent_the_question_goes_to_the_municipality(client, reference):
    response = send(client, reference)
    assert [(m.to, m.reply_to) for m in mail.outbox] == [
        (["rathaus@musterhausen.example"], ["erika@neustadt.example"])
    ]
    why, stop = footer(mail.outbox[0].body)
    assert "public contact address of Musterhausen" in why
    assert "/kontakt/" in stop
    assert ReferenceContactMessage.objects.get().route == Route.MUNICIPALITY
    html = client.get(response["Location"]).content.decode()
    assert "the public contact of Musterhausen" in html
    assert all(address not in html for address in addresses_of(reference))


def test_a_declined_consent_also_goes_to_the_municipality(client, reference):
    record_contact_consent(reference, agrees=False)
    send(client, reference)
    assert mail.outbox[0].to == ["rathaus@musterhausen.example"]


def test_without_any_contact_the_question_goes_to_the_editors(client):
    reference = ReferenceFactory(municipality=MunicipalityFactory(name="Ohnekontakt", contact_email=""))
    response = send(client, reference)
    assert [(m.to, m.reply_to) for m in mail.outbox] == [(EDITORS, ["erika@neustadt.example"])]
    why, stop = footer(mail.outbox[0].body)
    assert "You are an editor" in why
    assert f"/pilots/reference/{reference.pk}/change/" in stop
    html = client.get(response["Location"]).content.decode()
    assert "forwarded your question to the editors" in html
    assert "redaktion@marktplatz.example" not in html


def test_no_page_shows_a_recipient_address(client, reference):
    record_contact_consent(reference, agrees=True)
    pages = [
        client.get(reference.solution.get_absolute_url()),
        client.get(contact_url(reference)),
        send(client, reference, email="broken"),
    ]
    for response in pages:
        html = response.content.decode()
        assert all(address not in html for address in addresses_of(reference)), response.request["PATH_INFO"]


def test_detail_page_links_only_verified_references(client):
    solution = SolutionFactory()
    verified = ReferenceFactory(solution=solution, municipality=MunicipalityFactory(name="Bestätigtstadt"))
    unverified = ReferenceFactory(solution=solution, is_verified=False)
    html = client.get(solution.get_absolute_url()).content.decode()
    assert html.count('href="/pilotprojekte/referenzen/') == 1
    assert contact_url(verified) in html
    assert 'Contact the reference municipality<span class="visually-hidden">: Bestätigtstadt</span>' in html
    assert contact_url(unverified) not in html


def test_unverified_or_unpublished_references_have_no_form(client):
    unverified = ReferenceFactory(is_verified=False)
    unpublished = ReferenceFactory(solution=SolutionFactory(status="draft"))
    for reference in (unverified, unpublished):
        assert client.get(contact_url(reference)).status_code == 404
        assert client.post(contact_url(reference), ASKER).status_code == 404
    assert ReferenceContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_form_page_names_the_municipality(client, reference):
    html = client.get(contact_url(reference)).content.decode()
    assert "<h1>Contact the reference municipality Musterhausen</h1>" in html
    assert 'name="homepage"' in html


def assert_refused_keeping_text(response, message):
    html = response.content.decode()
    assert message in html
    form = response.context["form"]
    assert form["question"].value() == ASKER["question"]
    assert form["name"].value() == ASKER["name"]
    assert form["homepage"].value() == ""
    assert ReferenceContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_refusal_keeps_the_text(client, reference):
    response = send(client, reference, homepage="https://spam.example")
    assert response.status_code == 200
    assert_refused_keeping_text(response, "The form could not be sent.")


def test_too_fast_refusal_keeps_the_text(client, reference, settings):
    settings.PEER_CONTACT_MIN_FILL_SECONDS = 60
    response = send(client, reference)
    assert response.status_code == 200
    assert_refused_keeping_text(response, "The form was sent very quickly.")


def test_forged_timestamp_is_refused(client, reference):
    response = send(client, reference, started="1.0:forged")
    assert_refused_keeping_text(response, "The form could not be checked.")


def test_rate_limit_per_address_keeps_the_text(client, reference, settings):
    settings.PEER_CONTACT_RATE = (2, 3600)
    assert send(client, reference).status_code == 302
    assert send(client, reference).status_code == 302
    mail.outbox.clear()
    ReferenceContactMessage.objects.all().delete()
    response = send(client, reference)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert_refused_keeping_text(response, "Too many messages from your connection.")


def test_rate_limit_per_recipient_keeps_the_text(client, reference, settings):
    settings.MAIL_RECIPIENT_RATE = (1, 3600)
    assert send(client, reference).status_code == 302
    mail.outbox.clear()
    ReferenceContactMessage.objects.all().delete()
    response = send(client, reference)
    assert response.status_code == 429
    assert_refused_keeping_text(response, "This municipality has received many messages recently.")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Erika\r\nBcc: opfer@example.org"),
        ("organisation", "Stadt\nBcc: opfer@example.org"),
        ("email", "erika@neustadt.example\nBcc: opfer@example.org"),
    ],
)
def test_line_breaks_are_refused_with_a_clear_message(client, reference, field, value):
    response = send(client, reference, **{field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["Please enter this on one line, without line breaks."]
    assert ReferenceContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_over_long_input_is_refused_with_a_clear_message(client, reference):
    response = send(client, reference, question="x" * 3001, name="n" * 201)
    errors = response.context["form"].errors
    assert errors["question"] == ["Ensure this value has at most 3000 characters (it has 3001)."]
    assert errors["name"] == ["Ensure this value has at most 200 characters (it has 201)."]
    assert response.context["form"]["question"].value() == "x" * 3001
    assert ReferenceContactMessage.objects.count() == 0


def test_confirmation_link_cannot_be_forged(client):
    url = reverse("pilots:reference_contact_sent", kwargs={"token": "MQ:forged"})
    assert client.get(url).status_code == 404


def test_every_mail_says_why_and_how_to_stop(client, reference, editor):
    from marketplace.editorial.services import verify_reference

    unverified = ReferenceFactory(is_verified=False, contact_email="neu@example.org")
    verify_reference(unverified, by=editor)
    send(client, reference)
    record_contact_consent(reference, agrees=True)
    send(client, reference)
    send(client, ReferenceFactory(municipality=MunicipalityFactory(contact_email="")))
    # The vendor notice of the verification is not ours; every mail of the peer contact carries the footer.
    ours = [m for m in mail.outbox if "Reference verified" not in m.subject]
    assert len(ours) == 4
    for sent in ours:
        why, stop = footer(sent.body)
        assert why and stop, sent.subject


@pytest.mark.parametrize("rows", [1, 30])
def test_detail_query_count_with_contact_links(client, django_assert_num_queries, rows):
    # As in tests/solutions/test_detail.py (8 queries): the contact links add no query per row.
    category = CategoryFactory()
    solution = SolutionFactory(categories=[category])
    SolutionFactory(categories=[category])
    for _ in range(rows):
        ReferenceFactory(solution=solution)
    with django_assert_num_queries(8):
        response = client.get(solution.get_absolute_url())
    assert response.content.decode().count('href="/pilotprojekte/referenzen/') == rows
