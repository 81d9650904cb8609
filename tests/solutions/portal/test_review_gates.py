"""Nothing a vendor changes reaches the public pages without an editor: listings in review are locked,
published and archived listings change through revisions, new documents, proposed references and a
verified organisation's profile wait for an editor's decision."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.choices import EditorialStatus
from marketplace.editorial import services as editorial
from pilots.models import Reference, ReferenceProposal
from solutions import services
from solutions.models import Solution, SolutionDocument, SolutionRevision, Vendor
from tests.factories import MunicipalityFactory, UserFactory

from .conftest import form_data, image_bytes, read_file_response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def editor():
    user = UserFactory(username="redakteurin", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    return type(user).objects.get(pk=user.pk)


def _set_status(solution, status):
    Solution.objects.filter(pk=solution.pk).update(status=status)
    solution.refresh_from_db()
    return solution


def _upload_document(client, solution, title="Datenblatt"):
    return client.post(
        reverse("vendor:documents", kwargs={"pk": solution.pk}),
        {"kind": "brochure", "title": title, "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )


# ---------- A listing in review is locked ----------


def test_submitted_listing_cannot_be_edited_and_keeps_what_the_editors_review(client, owner, draft):
    _set_status(draft, EditorialStatus.SUBMITTED)
    client.force_login(owner)
    response = client.post(
        reverse("vendor:solution_edit", kwargs={"pk": draft.pk}), form_data(draft, title="Heimlich geändert")
    )
    assert response["Location"] == reverse("vendor:solution", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Bürgerportal", EditorialStatus.SUBMITTED)
    assert not SolutionRevision.objects.exists()
    page = client.get(reverse("vendor:solution", kwargs={"pk": draft.pk}))
    assert "cannot be changed now" in page.content.decode()


def test_submitted_listing_refuses_a_new_logo_and_documents(client, owner, draft):
    _set_status(draft, EditorialStatus.SUBMITTED)
    client.force_login(owner)
    logo = client.post(
        reverse("vendor:solution_logo", kwargs={"pk": draft.pk}),
        {"logo": SimpleUploadedFile("logo.png", image_bytes(), content_type="image/png")},
    )
    assert logo.status_code == 200
    assert "is being reviewed" in " ".join(logo.context["form"].non_field_errors())
    document = _upload_document(client, draft)
    assert "is being reviewed" in " ".join(document.context["form"].non_field_errors())
    draft.refresh_from_db()
    assert (draft.logo.name, draft.documents.count()) == ("", 0)


def test_withdrawing_from_review_unlocks_the_listing(client, owner, draft):
    _set_status(draft, EditorialStatus.SUBMITTED)
    client.force_login(owner)
    response = client.post(reverse("vendor:solution_withdraw", kwargs={"pk": draft.pk}))
    assert response["Location"] == reverse("vendor:solution", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (EditorialStatus.DRAFT, None)
    client.post(reverse("vendor:solution_edit", kwargs={"pk": draft.pk}), form_data(draft, title="Neu"))
    draft.refresh_from_db()
    assert draft.title == "Neu"


def test_only_a_listing_in_review_can_be_withdrawn(owner, draft):
    with pytest.raises(services.PortalError) as refused:
        services.withdraw_submission(draft, by=owner)
    assert refused.value.problems == ["Only a listing in review can be withdrawn."]


def test_publishing_is_refused_when_the_listing_changed_after_the_review_page_was_shown(
    client, owner, draft, editor
):
    _set_status(draft, EditorialStatus.CHANGES_REQUESTED)
    client.force_login(editor)
    review_url = reverse("admin:solutions_solution_review", args=[draft.pk])
    seen_version = client.get(review_url).context["seen_version"]
    # The vendor saves a change while the editor still looks at the old page.
    services.save_listing(
        draft,
        by=owner,
        form=_valid_form(draft, title="Nach der Prüfung geändert"),
    )
    response = client.post(review_url, {"decision": "publish", "seen_version": seen_version}, follow=True)
    draft.refresh_from_db()
    assert draft.status == EditorialStatus.CHANGES_REQUESTED
    assert "was changed while you reviewed it" in response.content.decode()
    # Reviewing again (a fresh page) lets the editor publish what is now there.
    fresh = client.get(review_url).context["seen_version"]
    client.post(review_url, {"decision": "publish", "seen_version": fresh, "confirm": "1"})
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (EditorialStatus.PUBLISHED, "Nach der Prüfung geändert")


def _valid_form(solution, **changes):
    from solutions.portal.forms import SolutionForm

    form = SolutionForm(form_data(solution, **changes), instance=solution)
    assert form.is_valid(), form.errors
    return form


# ---------- Archived listings change through revisions; restoring brings back what editors saw ----------


def test_archived_listing_changes_become_a_revision_and_restore_keeps_the_reviewed_content(
    client, owner, published, editor
):
    _set_status(published, EditorialStatus.ARCHIVED)
    client.force_login(owner)
    client.post(
        reverse("vendor:solution_edit", kwargs={"pk": published.pk}),
        form_data(published, title="Ungeprüfter Titel"),
    )
    published.refresh_from_db()
    assert published.title == "Parkraum live"
    revision = SolutionRevision.objects.get(solution=published, status=SolutionRevision.Status.PENDING)
    assert revision.data["title"] == "Ungeprüfter Titel"
    editorial.restore(published, by=editor)
    published.refresh_from_db()
    assert (published.status, published.title) == (EditorialStatus.PUBLISHED, "Parkraum live")
    public = client.get(published.get_absolute_url()).content.decode()
    assert "Parkraum live" in public and "Ungeprüfter Titel" not in public


def test_new_logo_of_an_archived_listing_waits_for_review(client, owner, published):
    _set_status(published, EditorialStatus.ARCHIVED)
    client.force_login(owner)
    client.post(
        reverse("vendor:solution_logo", kwargs={"pk": published.pk}),
        {"logo": SimpleUploadedFile("logo.png", image_bytes(), content_type="image/png")},
    )
    published.refresh_from_db()
    assert published.logo.name == ""
    assert SolutionRevision.objects.get(solution=published).data["logo"].startswith("solutions/")


# ---------- Documents ----------


def test_document_added_to_a_published_listing_is_public_only_after_an_editor_accepts_it(
    client, owner, published, editor
):
    client.force_login(owner)
    _upload_document(client, published)
    document = SolutionDocument.objects.get(solution=published)
    assert document.accepted_at is None
    client.logout()
    url = reverse("vendor:document_download", kwargs={"pk": document.pk})
    assert client.get(url).status_code == 404
    client.force_login(editor)
    review_url = reverse("admin:solutions_solution_review", args=[published.pk])
    assert "waiting for review" in client.get(review_url).content.decode()
    client.post(review_url, {"decision": "accept_documents"})
    document.refresh_from_db()
    assert (document.accepted_by, document.accepted_at is not None) == (editor, True)
    client.logout()
    assert read_file_response(client.get(url)) == PDF


def test_documents_of_a_draft_become_public_with_the_listing(client, owner, draft, editor):
    client.force_login(owner)
    _upload_document(client, draft)
    _set_status(draft, EditorialStatus.SUBMITTED)
    editorial.publish(draft, by=editor)
    document = SolutionDocument.objects.get(solution=draft)
    assert document.accepted_by == editor
    client.logout()
    response = client.get(reverse("vendor:document_download", kwargs={"pk": document.pk}))
    assert read_file_response(response) == PDF


# ---------- Proposed references ----------


@pytest.fixture
def town():
    return MunicipalityFactory(name="Referenzhausen")


def _propose(client, owner, solution, town):
    client.force_login(owner)
    client.post(
        reverse("vendor:references", kwargs={"pk": solution.pk}),
        {"municipality": town.pk, "since_year": "2022", "statement": "Läuft seit 2022."},
    )
    return ReferenceProposal.objects.get(solution=solution, municipality=town)


def test_proposed_reference_is_not_public_until_an_editor_accepts_it(client, owner, published, town, editor):
    proposal = _propose(client, owner, published, town)
    client.logout()
    assert "Referenzhausen" not in client.get(published.get_absolute_url()).content.decode()
    assert "Parkraum live" not in client.get(town.get_absolute_url()).content.decode()

    reference = editorial.accept_reference_proposal(proposal, by=editor)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reference, reference.is_verified) == ("accepted", reference, False)
    assert (reference.since_year, reference.statement) == (2022, "Läuft seit 2022.")
    assert mail.outbox[-1].subject == "Reference accepted: Referenzhausen"
    assert "Referenzhausen" in client.get(published.get_absolute_url()).content.decode()


def test_declined_reference_proposal_stays_private_and_the_vendor_learns_why(
    client, owner, published, town, editor
):
    proposal = _propose(client, owner, published, town)
    editorial.decline_reference_proposal(proposal, by=editor, reason="Die Stadt nutzt es nicht.")
    assert not Reference.objects.exists()
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "Die Stadt nutzt es nicht." in mail.outbox[-1].body
    with pytest.raises(editorial.ModerationError):
        editorial.accept_reference_proposal(proposal, by=editor)


def test_editors_accept_proposals_from_the_admin_list(client, owner, published, town, editor):
    proposal = _propose(client, owner, published, town)
    client.force_login(editor)
    queue = client.get(reverse("admin:review_queue"))
    sections = {section.key: section for section in queue.context["sections"]}
    assert [item.title for item in sections["proposed_references"].items] == [
        "Parkraum live @ Referenzhausen"
    ]
    client.post(
        reverse("admin:pilots_referenceproposal_changelist"),
        {"action": "accept", "_selected_action": [proposal.pk]},
    )
    assert Reference.objects.get().municipality == town


# ---------- A verified organisation's public profile ----------


def test_verified_organisation_changes_wait_for_the_editors(client, owner, vendor, published, editor):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:organisation_edit", kwargs={"pk": vendor.pk}),
        {
            **{name: getattr(vendor, name) for name in ["kind", "street", "postcode", "city", "phone"]},
            "description": vendor.description,
            "name": "Fake Ministerium",
            "website": "https://phishing.example",
            "email": "kontakt@phishing.example",
        },
    )
    assert response["Location"] == reverse("vendor:organisation", kwargs={"pk": vendor.pk})
    vendor.refresh_from_db()
    assert vendor.name == "Eigene GmbH"
    assert vendor.pending_changes == {
        "name": "Fake Ministerium",
        "website": "https://phishing.example",
        "email": "kontakt@phishing.example",
    }
    assert mail.outbox[-1].to == ["redaktion@example.org"]
    client.logout()
    public = client.get(published.get_absolute_url()).content.decode()
    assert "Eigene GmbH" in public and "Fake Ministerium" not in public and "phishing" not in public

    # The form shows the vendor what is waiting.
    client.force_login(owner)
    form_page = client.get(reverse("vendor:organisation_edit", kwargs={"pk": vendor.pk}))
    assert form_page.context["form"]["name"].value() == "Fake Ministerium"

    client.force_login(editor)
    client.post(
        reverse("admin:solutions_vendor_changelist"),
        {"action": "accept_changes", "_selected_action": [vendor.pk]},
    )
    vendor.refresh_from_db()
    assert (vendor.name, vendor.website, vendor.pending_changes) == (
        "Fake Ministerium",
        "https://phishing.example",
        {},
    )


def test_discarded_organisation_changes_leave_the_profile_and_tell_the_members(owner, vendor, editor):
    Vendor.objects.filter(pk=vendor.pk).update(pending_changes={"name": "Anders"})
    vendor.refresh_from_db()
    with pytest.raises(editorial.ModerationError):
        editorial.discard_vendor_changes(vendor, by=editor, reason="")
    editorial.discard_vendor_changes(vendor, by=editor, reason="Name nicht belegt.")
    vendor.refresh_from_db()
    assert (vendor.name, vendor.pending_changes, vendor.pending_changes_at) == ("Eigene GmbH", {}, None)
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "Name nicht belegt." in mail.outbox[-1].body


def test_verified_organisation_logo_waits_for_the_editors(client, owner, vendor):
    client.force_login(owner)
    client.post(
        reverse("vendor:organisation_logo", kwargs={"pk": vendor.pk}),
        {"logo": SimpleUploadedFile("firma.png", image_bytes(), content_type="image/png")},
    )
    vendor.refresh_from_db()
    assert vendor.logo.name == ""
    assert vendor.pending_changes["logo"].startswith("vendors/")


# ---------- An anonymous draft kept across an expired session ----------


def test_expired_session_keeps_only_the_listing_fields_within_a_cap(client):
    url = reverse("vendor:solution_create")
    response = client.post(url, {"title": "Mein Entwurf", "unknown": "x" * 1000, "csrf": "y"})
    assert response.status_code == 302
    saved = client.session["portal_unsaved_form"]
    assert saved["data"] == {"title": ["Mein Entwurf"]}

    client.post(url, {"title": "Zu groß", "description": "x" * 10_000, "cost_notes": "y" * 40_000})
    assert client.session["portal_unsaved_form"]["data"] == {"title": ["Mein Entwurf"]}
