"""Every vendor URL: anonymous → login; another organisation's member → 404; unverified → cannot submit;
organisation editor vs administrator."""

import pytest
from django.urls import reverse

from marketplace.choices import EditorialStatus
from marketplace.editorial import services as editorial
from solutions.models import JoinRequest, Solution, SolutionDocument, Vendor, VendorMembership
from tests.factories import SolutionFactory, UserFactory, VendorMembershipFactory

from .conftest import form_data, image_bytes, make_verified, read_file_response

pytestmark = pytest.mark.django_db

SOLUTION_URLS = [
    ("vendor:solution", "get"),
    ("vendor:solution_edit", "get"),
    ("vendor:solution_edit", "post"),
    ("vendor:solution_submit", "post"),
    ("vendor:solution_withdraw", "post"),
    ("vendor:solution_delete", "post"),
    ("vendor:solution_logo", "get"),
    ("vendor:solution_logo", "post"),
    ("vendor:documents", "get"),
    ("vendor:documents", "post"),
    ("vendor:references", "get"),
    ("vendor:references", "post"),
]
PLAIN_URLS = [
    ("vendor:dashboard", "get"),
    ("vendor:solution_create", "get"),
    ("vendor:solution_create", "post"),
    ("vendor:solution_validate", "post"),
    ("vendor:publiccode_import", "get"),
    ("vendor:organisation_create", "get"),
    ("vendor:organisation_join", "get"),
    ("accounts:profile", "get"),
    ("accounts:password_change", "get"),
]


@pytest.fixture
def document(draft):
    from django.core.files.base import ContentFile

    document = SolutionDocument(solution=draft, title="Broschüre", size=20)
    document.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


def _url(name, draft):
    listing_urls = {name for name, _method in SOLUTION_URLS}
    kwargs = {"pk": draft.pk} if name in listing_urls else {}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "method"), SOLUTION_URLS + PLAIN_URLS)
def test_anonymous_is_sent_to_login(client, draft, vendor, name, method):
    url = _url(name, draft)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    draft.refresh_from_db()
    assert draft.status == EditorialStatus.DRAFT


@pytest.mark.parametrize(
    "name", ["vendor:organisation", "vendor:organisation_edit", "vendor:organisation_logo"]
)
def test_anonymous_is_sent_to_login_for_organisation_pages(client, vendor, name):
    url = reverse(name, kwargs={"pk": vendor.pk})
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(("name", "method"), SOLUTION_URLS)
def test_member_of_another_organisation_gets_404_for_every_listing_url(client, outsider, draft, name, method):
    client.force_login(outsider)
    url = reverse(name, kwargs={"pk": draft.pk})
    data = form_data(draft, title="Übernommen")
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Bürgerportal"
    assert draft.status == EditorialStatus.DRAFT
    assert Solution.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("vendor:organisation", "get"),
        ("vendor:organisation_edit", "get"),
        ("vendor:organisation_edit", "post"),
        ("vendor:organisation_logo", "post"),
    ],
)
def test_member_of_another_organisation_gets_404_for_organisation_pages(
    client, outsider, vendor, name, method
):
    client.force_login(outsider)
    url = reverse(name, kwargs={"pk": vendor.pk})
    response = (
        client.post(url, {"name": "Übernommen", "kind": "company"}) if method == "post" else client.get(url)
    )
    assert response.status_code == 404
    vendor.refresh_from_db()
    assert vendor.name == "Eigene GmbH"


def test_outsider_cannot_download_or_delete_a_document_of_an_unpublished_listing(client, outsider, document):
    client.force_login(outsider)
    assert client.get(reverse("vendor:document_download", kwargs={"pk": document.pk})).status_code == 404
    assert client.post(reverse("vendor:document_delete", kwargs={"pk": document.pk})).status_code == 404
    assert SolutionDocument.objects.filter(pk=document.pk).exists()


def test_outsider_cannot_see_an_unpublished_logo(client, outsider, draft):
    draft.logo.name = "solutions/x.png"
    draft.save()
    client.force_login(outsider)
    assert client.get(reverse("vendor:solution_logo_file", kwargs={"pk": draft.pk})).status_code == 404


def test_changed_ids_in_post_data_are_ignored_or_refused(client, outsider, owner, draft, vendor):
    """The listing form has no vendor field, and the join decision only reaches one's own organisations."""
    other_vendor = outsider.vendors.get()
    client.force_login(owner)
    client.post(
        reverse("vendor:solution_edit", kwargs={"pk": draft.pk}),
        {**form_data(draft), "vendor": other_vendor.pk, "status": "published", "slug": "gekapert"},
    )
    draft.refresh_from_db()
    assert (draft.vendor, draft.status, draft.slug) == (vendor, EditorialStatus.DRAFT, draft.slug)
    assert draft.slug != "gekapert"

    foreign_request = JoinRequest.objects.create(vendor=other_vendor, user=make_verified(UserFactory()))
    response = client.post(
        reverse("vendor:join_request_decide", kwargs={"pk": foreign_request.pk}), {"decision": "approve"}
    )
    assert response.status_code == 404
    foreign_request.refresh_from_db()
    assert foreign_request.status == JoinRequest.Status.PENDING

    foreign_membership = other_vendor.memberships.get()
    response = client.post(
        reverse("vendor:member_role", kwargs={"pk": foreign_membership.pk}), {"role": "editor"}
    )
    assert response.status_code == 404
    foreign_membership.refresh_from_db()
    assert foreign_membership.role == VendorMembership.Role.ADMIN


def test_unverified_member_cannot_submit(client, vendor, draft):
    user = UserFactory()
    VendorMembershipFactory(vendor=vendor, user=user, role=VendorMembership.Role.ADMIN)
    client.force_login(user)
    response = client.post(reverse("vendor:solution_submit", kwargs={"pk": draft.pk}), follow=True)
    draft.refresh_from_db()
    assert draft.status == EditorialStatus.DRAFT
    assert "Please confirm your e-mail address before you submit a listing." in [
        str(m) for m in response.context["messages"]
    ]


def test_unverified_user_cannot_create_or_join_an_organisation(client):
    client.force_login(UserFactory())
    for name in ("vendor:organisation_create", "vendor:organisation_join"):
        response = client.post(reverse(name), {"name": "Neu GmbH", "kind": "company"})
        assert response.status_code == 403
        assert "Please confirm your e-mail address" in response.content.decode()
    assert not VendorMembership.objects.exists()


def test_editor_edits_listings_but_not_the_organisation(client, editor_member, vendor, draft):
    client.force_login(editor_member)
    client.post(
        reverse("vendor:solution_edit", kwargs={"pk": draft.pk}), form_data(draft, summary="Vom Editor.")
    )
    draft.refresh_from_db()
    assert draft.summary == "Vom Editor."
    assert client.get(reverse("vendor:organisation", kwargs={"pk": vendor.pk})).status_code == 200
    for name in ("vendor:organisation_edit", "vendor:organisation_logo"):
        assert client.get(reverse(name, kwargs={"pk": vendor.pk})).status_code == 403
    response = client.post(
        reverse("vendor:organisation_edit", kwargs={"pk": vendor.pk}),
        {"name": "Umbenannt", "kind": "company"},
    )
    assert response.status_code == 403
    vendor.refresh_from_db()
    assert vendor.name == "Eigene GmbH"


def test_editor_cannot_decide_join_requests_or_change_roles(client, editor_member, owner, vendor):
    join_request = JoinRequest.objects.create(vendor=vendor, user=make_verified(UserFactory()))
    client.force_login(editor_member)
    response = client.post(
        reverse("vendor:join_request_decide", kwargs={"pk": join_request.pk}), {"decision": "approve"}
    )
    assert response.status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING
    owner_membership = vendor.memberships.get(user=owner)
    response = client.post(
        reverse("vendor:member_role", kwargs={"pk": owner_membership.pk}), {"role": "editor"}
    )
    assert response.status_code == 403
    owner_membership.refresh_from_db()
    assert owner_membership.role == VendorMembership.Role.ADMIN


def test_admin_edits_the_organisation(client, owner, vendor):
    # Not yet verified, so nothing about it is public: the profile is saved at once.
    Vendor.objects.filter(pk=vendor.pk).update(is_verified=False)
    client.force_login(owner)
    response = client.post(
        reverse("vendor:organisation_edit", kwargs={"pk": vendor.pk}),
        {"name": "Umbenannt GmbH", "kind": "municipal_it", "website": "https://example.org"},
    )
    assert response["Location"] == reverse("vendor:organisation", kwargs={"pk": vendor.pk})
    vendor.refresh_from_db()
    assert (vendor.name, vendor.kind) == ("Umbenannt GmbH", "municipal_it")


def test_admin_uploads_the_organisation_logo(client, owner, vendor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    Vendor.objects.filter(pk=vendor.pk).update(is_verified=False)
    client.force_login(owner)
    client.post(
        reverse("vendor:organisation_logo", kwargs={"pk": vendor.pk}),
        {"logo": SimpleUploadedFile("firma.png", image_bytes(), content_type="image/png")},
    )
    vendor.refresh_from_db()
    assert vendor.logo.name.startswith("vendors/")
    assert "firma" not in vendor.logo.name


def test_published_documents_are_public_and_others_only_for_members(client, owner, document):
    url = reverse("vendor:document_download", kwargs={"pk": document.pk})
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    read_file_response(response)
    client.logout()
    # Publishing through the editors' service accepts the documents they reviewed with the listing.
    Solution.objects.filter(pk=document.solution_id).update(status=EditorialStatus.SUBMITTED)
    editorial.publish(
        Solution.objects.get(pk=document.solution_id), by=UserFactory(is_superuser=True, is_staff=True)
    )
    response = client.get(url)
    assert response.status_code == 200
    assert read_file_response(response).startswith(b"%PDF-")


def test_last_admin_cannot_step_down(client, owner, vendor):
    client.force_login(owner)
    membership = vendor.memberships.get(user=owner)
    client.post(reverse("vendor:member_role", kwargs={"pk": membership.pk}), {"role": "editor"})
    membership.refresh_from_db()
    assert membership.role == VendorMembership.Role.ADMIN


def test_other_organisations_listings_never_appear_on_the_dashboard(client, outsider, draft):
    SolutionFactory(vendor=outsider.vendors.get(), title="Meine eigene")
    client.force_login(outsider)
    response = client.get(reverse("vendor:dashboard"))
    assert [s.title for s in response.context["solutions"]] == ["Meine eigene"]
