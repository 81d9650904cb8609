"""From the Merkliste to the vendors: the request reaches only the chosen vendors, and only after the
requester confirmed the address; every mail says why it was sent and how to stop it."""

import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from marketplace.inquiries import services
from marketplace.inquiries.models import Inquiry
from municipalities.choice import SESSION_KEY as MUNICIPALITY_KEY
from tests.factories import MunicipalityFactory, SolutionFactory
from tests.marketplace.inquiries.conftest import add_to_shortlist, form_data

pytestmark = pytest.mark.django_db

SITE_URL = "https://marktplatz.example.de"


def _link(body: str) -> str:
    [link] = [url for url in re.findall(r"https?://\S+", body) if url.startswith(SITE_URL)]
    return link.removeprefix(SITE_URL)


def assert_says_why_and_how_to_stop(message) -> None:
    *_text, why, stop = message.body.strip().splitlines()
    assert why.startswith("Why you receive this e-mail: ") and len(why) > 50, message.body
    assert stop.startswith("How to stop it: ") and len(stop) > 40, message.body


def test_shortlist_links_to_the_request_form_only_with_a_published_solution(client, vendors):
    page = client.get(reverse("shortlist:detail")).content.decode()
    assert reverse("inquiries:create") not in page

    add_to_shortlist(client, vendors["a"].solution)
    page = client.get(reverse("shortlist:detail")).content.decode()
    assert f'href="{reverse("inquiries:create")}"' in page


def test_form_offers_the_lists_published_solutions_all_checked_and_the_chosen_municipality(client, vendors):
    hidden = SolutionFactory(title="Zurückgezogen", vendor=vendors["c"])
    add_to_shortlist(client, vendors["a"].solution, vendors["b"].solution, hidden)
    hidden.status = "archived"
    hidden.save()
    municipality = MunicipalityFactory(name="Kleinhausen", population=4_321)
    session = client.session
    session[MUNICIPALITY_KEY] = municipality.pk
    session.save()

    response = client.get(reverse("inquiries:create"))

    form = response.context["form"]
    assert [choice[1] for choice in form.fields["solutions"].choices] == [
        "Lösung Alpha GmbH (Alpha GmbH)",
        "Lösung Beta AG (Beta AG)",
    ]
    assert form.initial["solutions"] == [vendors["a"].solution, vendors["b"].solution]
    assert form.initial["municipality_name"] == "Kleinhausen"
    assert form.initial["inhabitants"] == 4_321
    page = response.content.decode()
    assert page.count('type="checkbox" name="solutions"') == 2
    assert len(re.findall(r'<input type="checkbox" name="solutions"[^>]* checked>', page)) == 2
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_request_reaches_only_the_chosen_vendors_and_only_after_confirmation(client, vendors):
    add_to_shortlist(client, *(vendor.solution for vendor in vendors.values()))
    chosen = [vendors["a"].solution, vendors["b"].solution]

    response = client.post(reverse("inquiries:create"), form_data(chosen))

    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:sent")
    inquiry = Inquiry.objects.get()
    assert inquiry.confirmed_at is None
    assert sorted(inquiry.recipients.values_list("vendor__name", flat=True)) == ["Alpha GmbH", "Beta AG"]
    # Only the confirmation, to the requester; it repeats nothing that was typed.
    [confirmation] = mail.outbox
    assert confirmation.to == ["erika@musterstadt.example"]
    assert "Parkraumerfassung" not in confirmation.body
    assert_says_why_and_how_to_stop(confirmation)
    # Not in any vendor's portal yet.
    client.force_login(vendors["a"].admin_user)
    assert client.get(reverse("vendor:inquiries")).context["recipients"].count() == 0
    client.logout()

    confirm_path = _link(confirmation.body)
    page = client.get(confirm_path)
    assert "Alpha GmbH" in page.content.decode()
    assert len(mail.outbox) == 1  # opening the link (a mail scanner, say) confirms nothing
    response = client.post(confirm_path)

    inquiry.refresh_from_db()
    assert inquiry.confirmed_at is not None
    assert response["Location"] == services.answers_path(inquiry)
    vendor_mails = mail.outbox[1:]
    assert sorted(address for message in vendor_mails for address in message.to) == [
        "a-admin@example.org",
        "a-editor@example.org",
        "b-admin@example.org",
        "b-editor@example.org",
    ]
    for message in vendor_mails:
        assert_says_why_and_how_to_stop(message)
        # Each mail goes to the members of the vendor whose portal page it links to, and to no one else.
        recipient = inquiry.recipients.get(pk=int(_link(message.body).rstrip("/").rsplit("/", 1)[1]))
        key = {"Alpha GmbH": "a", "Beta AG": "b"}[recipient.vendor.name]
        assert sorted(message.to) == [f"{key}-admin@example.org", f"{key}-editor@example.org"]
    # A second confirmation sends nothing more.
    client.post(confirm_path)
    assert len(mail.outbox) == 3


def test_vendor_mail_names_the_vendor_and_its_solutions_and_links_to_the_portal(client, vendors):
    add_to_shortlist(client, vendors["a"].solution, vendors["b"].solution)
    client.post(reverse("inquiries:create"), form_data([vendors["a"].solution]))
    client.post(_link(mail.outbox[0].body))

    [vendor_mail] = mail.outbox[1:]
    inquiry = Inquiry.objects.get()
    recipient = inquiry.recipients.get()
    assert sorted(vendor_mail.to) == ["a-admin@example.org", "a-editor@example.org"]
    assert "- Lösung Alpha GmbH" in vendor_mail.body
    assert "Beta" not in vendor_mail.body
    assert _link(vendor_mail.body) == reverse("vendor:inquiry", args=[recipient.pk])
    assert "You are a member of Alpha GmbH" in vendor_mail.body


def test_solutions_not_on_the_list_are_refused(client, vendors):
    add_to_shortlist(client, vendors["a"].solution)

    response = client.post(
        reverse("inquiries:create"), form_data([vendors["a"].solution, vendors["c"].solution])
    )

    assert response.status_code == 200
    assert response.context["form"].errors["solutions"] == ["Choose only solutions from your shortlist."]
    assert Inquiry.objects.count() == 0
    assert mail.outbox == []


def test_without_a_shortlist_the_form_explains_what_to_do(client):
    response = client.get(reverse("inquiries:create"))

    assert "Your shortlist has no published solution yet." in response.content.decode()
    assert response.context["has_solutions"] is False


def test_missing_fields_keep_the_typed_text(client, vendors):
    add_to_shortlist(client, vendors["a"].solution)

    response = client.post(
        reverse("inquiries:create"),
        form_data([vendors["a"].solution], inhabitants="", size_class="", consent=""),
    )

    errors = response.context["form"].errors
    assert errors["inhabitants"] == ["Give the number of inhabitants or choose a size class."]
    assert errors["consent"] == ["Without your consent we cannot pass the request on."]
    assert "Wir suchen eine Parkraumerfassung für die Innenstadt." in response.content.decode()
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize(
    "signed",
    ["nonsense", "abc:def"],
)
def test_a_forged_confirmation_link_is_refused(client, vendors, signed):
    response = client.post(reverse("inquiries:confirm", args=[signed]))

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


class FourDaysAgoSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 4 * 24 * 3600)


def test_an_expired_confirmation_link_is_refused(client, vendors):
    add_to_shortlist(client, vendors["a"].solution)
    client.post(reverse("inquiries:create"), form_data([vendors["a"].solution]))
    inquiry = Inquiry.objects.get()
    signed = FourDaysAgoSigner(salt=services.CONFIRM_SALT).sign(inquiry.token)

    response = client.post(reverse("inquiries:confirm", args=[signed]))

    assert response.status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.confirmed_at is None
    assert len(mail.outbox) == 1


def test_a_confirmation_link_for_another_purpose_is_refused(client, vendors):
    add_to_shortlist(client, vendors["a"].solution)
    client.post(reverse("inquiries:create"), form_data([vendors["a"].solution]))
    inquiry = Inquiry.objects.get()

    # The private answers link is signed for another purpose: it confirms nothing.
    response = client.post(reverse("inquiries:confirm", args=[services.answers_token(inquiry)]))

    assert response.status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.confirmed_at is None
