"""The review page: the whole listing as it will be published, the organisation (verified right there),
publishing with a confirmation step, refusals that offer the step resolving them, and change requests that
name the fields they concern."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from marketplace.choices import EditorialStatus
from marketplace.editorial import services
from marketplace.editorial.history import timeline
from pilots.models import ReferenceProposal
from solutions.models import Solution, SolutionDocument, Vendor
from solutions.portal.forms import SolutionForm
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)

S = EditorialStatus


@pytest.fixture(autouse=True)
def _review_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    settings.ADMIN_REQUIRE_OTP = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(editor, client):
    client.force_login(editor)
    return editor


def staff_with(*codenames, username="junior"):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def submitted(vendor, **kwargs) -> Solution:
    values = {
        "title": "Mängelmelder",
        "status": S.SUBMITTED,
        "submitted_at": timezone.now(),
        "published_at": None,
        "contact_email": "kontakt@example.org",
        "maturity": Solution.Maturity.PILOT,
        "data_location": Solution.DataLocation.GERMANY,
        "price_model": Solution.PriceModel.SUBSCRIPTION,
        "categories": [CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")],
        **kwargs,
    }
    return SolutionFactory(vendor=vendor, **values)


def review_url(solution) -> str:
    return reverse("admin:solutions_solution_review", args=[solution.pk])


# ---------- the whole listing ----------


@pytest.mark.django_db
def test_review_page_shows_every_section_of_the_listing_as_it_will_be_published(client, editor, vendor):
    town = MunicipalityFactory(name="Musterhausen")
    solution = submitted(
        vendor,
        description="Meldungen **mit Foto**.<script>alert(1)</script>",
        categories=[CategoryFactory(name_de="Mobilität", name_en="Mobility")],
        standards=[StandardFactory(name="Open311")],
        cost_yearly_eur=12500,
        website="https://example.org/produkt",
    )
    solution.logo.save("logo.png", ContentFile(png()))
    SolutionDocument.objects.create(solution=solution, title="Produktblatt", file="documents/a.pdf")
    ReferenceFactory(solution=solution, municipality=town, is_verified=True)
    ReferenceProposal.objects.create(
        solution=solution, municipality=MunicipalityFactory(name="Beispielstadt"), statement="Seit 2024."
    )
    page = client.get(review_url(solution))
    sections = page.context["sections"]
    assert [(section.id, section.title) for section in sections] == [
        (section_id, str(title)) for section_id, title, _names in SolutionForm.SECTIONS
    ]
    assert [fact.name for section in sections for fact in section.facts] == [
        name for _id, _title, names in SolutionForm.SECTIONS for name in names
    ]
    facts = {fact.name: fact for section in sections for fact in section.facts}
    assert facts["categories"].value == ["Mobility"]
    assert facts["standards"].value == ["Open311"]
    assert facts["price_model"].value == "Subscription"
    html = page.content.decode()
    assert "<strong>mit Foto</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "<td>12.500 €</td>" in html
    assert f'<img src="{solution.logo_url}"' in html
    # The logo itself is served to the editor (staff), although the listing is not public.
    logo = client.get(solution.logo_url)
    assert (logo.status_code, logo["Content-Type"]) == (200, "image/png")
    logo.close()
    assert page.context["documents"][0].title == "Produktblatt"
    assert "waiting for review: public only once accepted" in html
    assert [(r.municipality.name, r.is_verified) for r in page.context["references"]] == [
        ("Musterhausen", True)
    ]
    assert [p.municipality.name for p in page.context["proposals"]] == ["Beispielstadt"]
    assert "Proposed references waiting for review" in html


@pytest.mark.django_db
def test_review_page_names_the_fields_still_missing_and_ticks_them_for_a_request(client, editor, vendor):
    solution = submitted(vendor, contact_email="", description="")
    page = client.get(review_url(solution))
    assert page.context["missing"] == [("description", "Description"), ("contact_email", "Contact e-mail")]
    html = page.content.decode()
    assert 'id="missing-fields"' in html
    assert 'value="description" id="id_fields_description" checked' in html
    assert 'value="contact_email" id="id_fields_contact_email" checked' in html
    assert 'value="title" id="id_fields_title">' in html


# ---------- the organisation ----------


@pytest.mark.django_db
def test_review_page_shows_the_organisation_and_verifies_it_there(client, editor, member):
    vendor = VendorFactory(
        name="Neu AG",
        is_verified=False,
        kind=Vendor.Kind.MUNICIPAL_IT,
        website="https://neu.example.org",
        street="Hauptstraße 1",
        postcode="04109",
        city="Leipzig",
        email="info@neu.example.org",
        phone="0341 123",
    )
    VendorMembershipFactory(vendor=vendor, user=member)
    solution = submitted(vendor)
    page = client.get(review_url(solution))
    organisation = page.context["organisation"]
    assert (organisation.vendor, organisation.members, organisation.address) == (
        vendor,
        1,
        "Hauptstraße 1, 04109 Leipzig",
    )
    html = page.content.decode()
    for text in [
        "Neu AG",
        "Municipal IT service provider",
        "https://neu.example.org",
        "info@neu.example.org",
    ]:
        assert text in html
    assert "not verified: none of its listings is public" in html
    # Publishing is not offered; the refusal and the step that resolves it are.
    assert 'id="publish"' not in html
    assert page.context["publish_blocked"].step == "verify_vendor"
    assert "is not verified yet" in page.context["publish_blocked"].problems[0]
    response = client.post(review_url(solution), {"decision": "verify_vendor"})
    assert response.status_code == 302
    assert response.url == review_url(solution) + "#organisation"
    vendor.refresh_from_db()
    assert vendor.is_verified
    assert (timeline(vendor)[0].label, timeline(vendor)[0].user) == ("Verified", editor)
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    page = client.get(review_url(solution))
    assert page.context["publish_blocked"] is None
    assert 'id="publish"' in page.content.decode()


@pytest.mark.django_db
def test_verifying_from_the_review_page_needs_the_verify_permission(client, member):
    vendor = VendorFactory(is_verified=False)
    solution = submitted(vendor)
    junior = staff_with("view_solution", "change_solution", "publish_solution", "view_vendor")
    client.force_login(junior)
    page = client.get(review_url(solution))
    assert "An editor who may verify organisations has to verify it" in page.content.decode()
    assert 'value="verify_vendor"' not in page.content.decode()
    response = client.post(review_url(solution), {"decision": "verify_vendor"}, follow=True)
    vendor.refresh_from_db()
    assert not vendor.is_verified
    assert [str(m) for m in response.context["messages"]] == [
        "You do not have the permission for this editorial decision."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "vendor member", "staff without permission"])
def test_review_page_and_its_decisions_are_for_editors_only(client, member, vendor, who):
    vendor.is_verified = False
    vendor.save()
    solution = submitted(vendor)
    if who == "vendor member":
        client.force_login(member)
    elif who == "staff without permission":
        client.force_login(staff_with("view_pilotproject", username="other"))
    page = client.get(review_url(solution))
    assert page.status_code == (403 if who == "staff without permission" else 302)
    client.post(review_url(solution), {"decision": "verify_vendor"})
    client.post(review_url(solution), {"decision": "publish", "confirm": "1"})
    vendor.refresh_from_db()
    solution.refresh_from_db()
    assert (vendor.is_verified, solution.status) == (False, S.SUBMITTED)


# ---------- publishing asks first ----------


@pytest.mark.django_db
def test_publishing_asks_for_confirmation_then_publishes(client, editor, vendor):
    solution = submitted(vendor)
    SolutionDocument.objects.create(solution=solution, title="Produktblatt", file="documents/a.pdf")
    seen = client.get(review_url(solution)).context["seen_version"]
    question = client.post(review_url(solution), {"decision": "publish", "seen_version": seen})
    assert question.status_code == 200
    assert question.templates[0].name == "admin/solutions/solution/publish_confirm.html"
    assert question.context["pending_documents"] == 1
    html = question.content.decode()
    assert 'name="confirm" value="1"' in html
    assert f'name="seen_version" value="{seen}"' in html
    solution.refresh_from_db()
    assert (solution.status, mail.outbox) == (S.SUBMITTED, [])
    response = client.post(
        review_url(solution), {"decision": "publish", "seen_version": seen, "confirm": "1"}
    )
    assert response.status_code == 302
    solution.refresh_from_db()
    assert solution.status == S.PUBLISHED
    assert solution.documents.get().accepted_at is not None
    assert [m.subject for m in mail.outbox] == ["Your listing is published"]


@pytest.mark.django_db
def test_a_listing_changed_before_the_confirmation_is_refused_with_a_link_to_review_it_again(
    client, editor, vendor
):
    solution = submitted(vendor)
    seen = client.get(review_url(solution)).context["seen_version"]
    Solution.objects.filter(pk=solution.pk).update(summary="Geändert.", updated_at=timezone.now())
    for data in ({}, {"confirm": "1"}):
        page = client.post(review_url(solution), {"decision": "publish", "seen_version": seen, **data})
        assert page.status_code == 200
        assert page.templates[0].name == "admin/solutions/solution/review.html"
        assert page.context["refusal"].step == "review_again"
        html = page.content.decode()
        assert 'id="review-again"' in html
        assert f'href="{review_url(solution)}#listing-content"' in html
        assert "Geändert." in html
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED


@pytest.mark.django_db
def test_publishing_without_the_permission_is_refused_before_the_confirmation(client, vendor):
    solution = submitted(vendor)
    client.force_login(staff_with("view_solution", "change_solution"))
    page = client.post(review_url(solution), {"decision": "publish"}, follow=True)
    assert page.templates[0].name == "admin/solutions/solution/review.html"
    assert "You do not have the permission for this editorial decision." in [
        str(m) for m in page.context["messages"]
    ]


# ---------- change requests name their fields ----------


@pytest.mark.django_db
def test_request_changes_stores_the_fields_and_mails_them(client, editor, vendor):
    solution = submitted(vendor)
    response = client.post(
        review_url(solution),
        {"decision": "request_changes", "reason": "Bitte ergänzen.", "fields": ["categories", "summary"]},
    )
    assert response.status_code == 302
    solution.refresh_from_db()
    assert (solution.status, solution.changes_requested_fields) == (
        S.CHANGES_REQUESTED,
        ["summary", "categories"],
    )
    body = mail.outbox[0].body
    assert "The request concerns these fields:\n- Summary\n- Fields of action\n" in body
    page = client.get(review_url(solution))
    assert page.context["requested_fields"] == ["Summary", "Fields of action"]
    # The history names them by their labels too.
    newest = page.context["entries"][0]
    assert (newest.label, newest.user) == ("Changes requested", editor)
    assert ("summary, fields of action") in [c.new for c in newest.changes if not c.is_set]


@pytest.mark.django_db
def test_a_refused_request_keeps_the_ticked_fields_and_the_text(client, editor, vendor):
    solution = submitted(vendor)
    page = client.post(
        review_url(solution), {"decision": "request_changes", "reason": " ", "fields": ["title"]}
    )
    assert "Please give a reason; the vendor sees it." in [str(m) for m in page.context["messages"]]
    assert 'value="title" id="id_fields_title" checked' in page.content.decode()
    page = client.post(
        review_url(solution), {"decision": "request_changes", "reason": "x", "fields": ["nope"]}
    )
    assert page.context["form"].errors["fields"]
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED


@pytest.mark.django_db
def test_request_changes_refuses_fields_the_listing_does_not_have(editor, vendor):
    solution = submitted(vendor)
    with pytest.raises(services.ModerationError) as refused:
        services.request_changes(solution, by=editor, reason="x", fields=["status", "nope"])
    assert refused.value.problems == ["Unknown fields: status, nope"]


@pytest.mark.django_db
@pytest.mark.parametrize("decide", ["publish", "reject"])
def test_any_later_decision_closes_the_request(editor, vendor, decide):
    solution = submitted(vendor)
    services.request_changes(solution, by=editor, reason="Bitte ergänzen.", fields=["summary"])
    if decide == "publish":
        services.publish(solution, by=editor)
    else:
        services.reject(solution, by=editor, reason="Passt nicht.")
    solution.refresh_from_db()
    assert solution.changes_requested_fields == []


@pytest.mark.django_db
def test_bulk_publishing_closes_the_requests(editor, vendor):
    solution = submitted(vendor)
    services.request_changes(solution, by=editor, reason="Bitte ergänzen.", fields=["summary"])
    published, refused = services.publish_many([solution], by=editor)
    solution.refresh_from_db()
    assert (len(published), refused, solution.changes_requested_fields) == (1, [], [])
