"""Listing forms, drafts, submission, the pending-revision rule and the dashboard."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from marketplace.choices import EditorialStatus
from marketplace.editorial import services as editorial
from solutions import services
from solutions.models import Solution, SolutionRevision
from tests.factories import CategoryFactory, SolutionFactory, UserFactory

from .conftest import form_data, make_verified

pytestmark = pytest.mark.django_db


def test_dashboard_url_is_the_portal_dashboard():
    assert reverse("vendor:dashboard") == "/anbieter/dashboard/"


def test_create_draft_saves_every_value_and_redirects_to_edit(client, owner, vendor, category):
    client.force_login(owner)
    data = form_data(
        Solution(title="Mängelmelder", summary="Bürger melden Schäden.", contact_email="info@example.org"),
        categories=[str(category.pk)],
        size_classes=["kleinstadt", "mittelstadt"],
        hosting_options=["german_dc"],
        cost_yearly_eur="1200",
    )
    response = client.post(reverse("vendor:solution_create"), data)
    solution = Solution.objects.get(title="Mängelmelder")
    assert response.status_code == 302
    assert response["Location"] == reverse("vendor:solution_edit", kwargs={"pk": solution.pk})
    assert solution.vendor == vendor
    assert solution.status == EditorialStatus.DRAFT
    assert solution.slug == "mangelmelder"
    assert solution.size_classes == ["kleinstadt", "mittelstadt"]
    assert solution.cost_yearly_eur == 1200
    assert list(solution.categories.all()) == [category]


def test_draft_may_be_saved_incomplete(client, owner, vendor):
    client.force_login(owner)
    client.post(reverse("vendor:solution_create"), form_data(Solution(title="Nur ein Titel")))
    solution = Solution.objects.get(title="Nur ein Titel")
    assert solution.summary == ""
    assert services.missing_for_submission(solution) == [
        "summary",
        "description",
        "categories",
        "size_classes",
        "maturity",
        "hosting_options",
        "data_location",
        "price_model",
        "contact_email",
    ]


def test_one_invalid_field_keeps_all_other_values(client, owner, vendor, category):
    client.force_login(owner)
    data = form_data(
        Solution(title="Ratsinfo", summary="Sitzungen online.", description="Alles über **Sitzungen**."),
        categories=[str(category.pk)],
        size_classes=["grossstadt"],
        contact_name="Erika Muster",
        contact_email="not-an-address",
        cost_notes="Staffelpreise",
    )
    response = client.post(reverse("vendor:solution_create"), data)
    assert response.status_code == 200
    assert not Solution.objects.filter(title="Ratsinfo").exists()
    form = response.context["form"]
    assert list(form.errors) == ["contact_email"]
    html = response.content.decode()
    assert 'value="Ratsinfo"' in html
    assert "Sitzungen online.</textarea>" in html
    assert "Alles über **Sitzungen**.</textarea>" in html
    assert 'value="Erika Muster"' in html
    assert 'value="not-an-address"' in html
    assert "Staffelpreise</textarea>" in html
    assert f'value="{category.pk}" id="id_categories_0" checked' in html
    assert 'value="grossstadt" id="id_size_classes_3" checked' in html


def test_error_summary_links_to_the_field_and_the_field_shows_its_error(client, owner, vendor):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:solution_create"),
        form_data(Solution(title="X"), contact_email="kaputt", website="ftp:/x"),
    )
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_contact_email"' in html
    assert 'href="#id_website"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_contact_email_error"' in html


def test_open_source_without_spdx_is_an_error_next_to_the_field(client, owner, vendor):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:solution_create"), form_data(Solution(title="Offen"), licence_type="open_source")
    )
    assert list(response.context["form"].errors) == ["spdx_id"]


def test_script_in_text_fields_is_escaped_on_every_portal_page(client, owner, vendor, category):
    client.force_login(owner)
    evil = "<script>alert(1)</script>"
    solution = SolutionFactory(
        vendor=vendor,
        title=f"Titel {evil}",
        summary=f"Kurz {evil}",
        status=EditorialStatus.CHANGES_REQUESTED,
        status_reason=f"Grund {evil}",
        categories=[category],
    )
    vendor.name = f"Firma {evil}"
    vendor.save()
    pages = [
        reverse("vendor:dashboard"),
        reverse("vendor:solution", kwargs={"pk": solution.pk}),
        reverse("vendor:solution_edit", kwargs={"pk": solution.pk}),
        reverse("vendor:documents", kwargs={"pk": solution.pk}),
        reverse("vendor:references", kwargs={"pk": solution.pk}),
        reverse("vendor:solution_logo", kwargs={"pk": solution.pk}),
        reverse("vendor:organisation", kwargs={"pk": vendor.pk}),
        reverse("vendor:organisation_edit", kwargs={"pk": vendor.pk}),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert evil not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_submit_moves_a_complete_draft_to_submitted_and_tells_the_editors(client, owner, draft):
    client.force_login(owner)
    response = client.post(reverse("vendor:solution_submit", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert response["Location"] == reverse("vendor:dashboard")
    assert draft.status == EditorialStatus.SUBMITTED
    assert draft.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["redaktion@example.org"]]
    assert "Bürgerportal" in mail.outbox[0].subject


def test_submit_of_an_incomplete_draft_names_the_missing_fields(client, owner, draft):
    draft.summary = ""
    draft.save()
    client.force_login(owner)
    response = client.post(reverse("vendor:solution_submit", kwargs={"pk": draft.pk}), follow=True)
    draft.refresh_from_db()
    assert draft.status == EditorialStatus.DRAFT
    with translation.override("en"):
        summary_label = str(Solution._meta.get_field("summary").verbose_name)
    assert f"Missing: {summary_label}" in [str(m) for m in response.context["messages"]]


def test_published_listing_cannot_be_submitted_again(client, owner, published):
    client.force_login(owner)
    client.post(reverse("vendor:solution_submit", kwargs={"pk": published.pk}))
    published.refresh_from_db()
    assert published.status == EditorialStatus.PUBLISHED


def test_editing_a_published_listing_creates_a_pending_revision_and_leaves_it_public(
    client, owner, published
):
    new_category = CategoryFactory(slug="mobilitaet")
    client.force_login(owner)
    data = form_data(published, title="Parkraum live 2.0", categories=[str(new_category.pk)])
    response = client.post(reverse("vendor:solution_edit", kwargs={"pk": published.pk}), data)
    assert response.status_code == 302

    published.refresh_from_db()
    assert published.title == "Parkraum live"
    assert published.status == EditorialStatus.PUBLISHED
    assert [c.slug for c in published.categories.all()] == ["verwaltung"]
    public = client.get(published.get_absolute_url()).content.decode()
    assert "Parkraum live 2.0" not in public

    revision = SolutionRevision.objects.get(solution=published)
    assert revision.status == SolutionRevision.Status.PENDING
    assert revision.data["title"] == "Parkraum live 2.0"
    assert revision.data["categories"] == [new_category.pk]

    # The vendor keeps editing the revision, not the published values; still one pending revision.
    edit_page = client.get(reverse("vendor:solution_edit", kwargs={"pk": published.pk})).content.decode()
    assert 'value="Parkraum live 2.0"' in edit_page
    client.post(
        reverse("vendor:solution_edit", kwargs={"pk": published.pk}),
        form_data(published, title="Parkraum live 3.0", categories=[str(new_category.pk)]),
    )
    assert SolutionRevision.objects.filter(solution=published).count() == 1
    assert SolutionRevision.objects.get(solution=published).data["title"] == "Parkraum live 3.0"


def test_accepting_a_revision_publishes_its_values(owner, published):
    new_category = CategoryFactory(slug="energie")
    revision = services.propose_revision(
        published,
        by=owner,
        data={"title": "Neu", "categories": [new_category.pk], "size_classes": ["landgemeinde"]},
    )
    editor = UserFactory(is_staff=True)
    editorial.accept_revision(revision, by=editor)
    published.refresh_from_db()
    revision.refresh_from_db()
    assert published.title == "Neu"
    assert published.size_classes == ["landgemeinde"]
    assert list(published.categories.all()) == [new_category]
    assert published.status == EditorialStatus.PUBLISHED
    assert revision.status == SolutionRevision.Status.ACCEPTED
    assert revision.decided_by == editor
    assert mail.outbox[-1].to == ["owner@example.org"]


def test_editing_a_draft_saves_it_directly(client, owner, draft):
    client.force_login(owner)
    client.post(reverse("vendor:solution_edit", kwargs={"pk": draft.pk}), form_data(draft, summary="Neu."))
    draft.refresh_from_db()
    assert draft.summary == "Neu."
    assert not SolutionRevision.objects.exists()


def test_dashboard_lists_statuses_reasons_and_next_steps(client, owner, vendor, category):
    SolutionFactory(vendor=vendor, title="Entwurf A", status=EditorialStatus.DRAFT)
    SolutionFactory(
        vendor=vendor,
        title="Zurück B",
        status=EditorialStatus.CHANGES_REQUESTED,
        status_reason="Bitte Preise ergänzen.",
    )
    SolutionFactory(
        vendor=vendor, title="Abgelehnt C", status=EditorialStatus.REJECTED, status_reason="Kein Bezug."
    )
    SolutionFactory(title="Fremd D")
    client.force_login(owner)
    response = client.get(reverse("vendor:dashboard"))
    html = response.content.decode()
    assert [s.title for s in response.context["solutions"]] == [
        "Abgelehnt C",
        "Zurück B",
        "Entwurf A",
    ] or sorted(s.title for s in response.context["solutions"]) == ["Abgelehnt C", "Entwurf A", "Zurück B"]
    assert "Fremd D" not in html
    assert "Bitte Preise ergänzen." in html
    assert "Kein Bezug." in html
    assert "Complete the listing and submit it for review." in html


def test_dashboard_without_organisation_offers_create_and_join(client, owner):
    client.force_login(owner)
    html = client.get(reverse("vendor:dashboard")).content.decode()
    assert reverse("vendor:organisation_create") in html
    assert reverse("vendor:organisation_join") in html


def test_unverified_dashboard_offers_a_new_link(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("vendor:dashboard")).content.decode()
    assert reverse("accounts:verify_resend") in html
    assert reverse("vendor:organisation_create") not in html


def test_draft_can_be_deleted_but_a_published_listing_cannot(client, owner, draft, published):
    client.force_login(owner)
    client.post(reverse("vendor:solution_delete", kwargs={"pk": draft.pk}))
    client.post(reverse("vendor:solution_delete", kwargs={"pk": published.pk}))
    assert list(Solution.objects.values_list("title", flat=True)) == ["Parkraum live"]


@pytest.mark.parametrize("rows", [1, 50])
def test_dashboard_query_count_is_fixed(client, django_assert_num_queries, owner, vendor, rows):
    for index in range(rows):
        SolutionFactory(vendor=vendor, title=f"Lösung {index}", status=EditorialStatus.DRAFT)
    client.force_login(owner)
    # session, user, memberships, open join requests to the organisations the user administers,
    # e-mail verification, solutions (with the pending-revision flag).
    with django_assert_num_queries(6):
        response = client.get(reverse("vendor:dashboard"))
    assert len(response.context["solutions"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_form_page_query_count_is_fixed(client, django_assert_num_queries, owner, vendor, rows):
    categories = [CategoryFactory() for _ in range(rows)]
    solution = SolutionFactory(vendor=vendor, status=EditorialStatus.DRAFT, categories=categories)
    client.force_login(owner)
    # session, user, solution with vendor, categories, standards, selected categories, selected standards
    with django_assert_num_queries(7):
        response = client.get(reverse("vendor:solution_edit", kwargs={"pk": solution.pk}))
    assert response.context["form"]["categories"].value() == [c.pk for c in categories]
    with django_assert_num_queries(5):
        client.get(reverse("vendor:solution_create"))


def test_solution_create_without_organisation_sends_to_the_dashboard(client):
    user = make_verified(UserFactory())
    client.force_login(user)
    response = client.get(reverse("vendor:solution_create"))
    assert response["Location"] == reverse("vendor:dashboard")


def test_input_sent_after_the_session_ended_comes_back_after_login(client, owner, draft):
    url = reverse("vendor:solution_edit", kwargs={"pk": draft.pk})
    response = client.post(url, form_data(draft, summary="Lange getippt.", cost_notes="Wichtig"))
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    draft.refresh_from_db()
    assert draft.summary != "Lange getippt."

    client.force_login(owner)
    page = client.get(url)
    html = page.content.decode()
    assert "Lange getippt.</textarea>" in html
    assert "Wichtig</textarea>" in html
    assert "Your session had ended." in html
    draft.refresh_from_db()
    assert draft.summary != "Lange getippt."
    # Only once: the next visit shows the stored draft again.
    assert "Lange getippt." not in client.get(url).content.decode()


def test_kept_input_is_not_shown_on_another_form(client, owner, draft, published):
    client.post(reverse("vendor:solution_edit", kwargs={"pk": draft.pk}), form_data(draft, summary="Für A."))
    client.force_login(owner)
    html = client.get(reverse("vendor:solution_edit", kwargs={"pk": published.pk})).content.decode()
    assert "Für A." not in html


def test_member_of_two_organisations_chooses_one_and_cannot_pick_a_foreign_one(
    client, owner, vendor, outsider
):
    from tests.factories import VendorFactory, VendorMembershipFactory

    second = VendorFactory(name="Zweite GmbH")
    VendorMembershipFactory(vendor=second, user=owner)
    foreign = outsider.vendors.get()
    client.force_login(owner)
    page = client.get(reverse("vendor:solution_create"))
    assert [v.name for v in page.context["form"].fields["organisation"].queryset.order_by("name")] == [
        "Eigene GmbH",
        "Zweite GmbH",
    ]
    response = client.post(
        reverse("vendor:solution_create"), form_data(Solution(title="Fremd"), organisation=str(foreign.pk))
    )
    assert list(response.context["form"].errors) == ["organisation"]
    assert not Solution.objects.exists()
    client.post(
        reverse("vendor:solution_create"), form_data(Solution(title="Zweit"), organisation=str(second.pk))
    )
    assert Solution.objects.get().vendor == second


def test_discarding_a_revision_keeps_the_published_listing_and_tells_the_vendor(owner, published):
    revision = services.propose_revision(published, by=owner, data={"title": "Verworfen"})
    editorial.discard_revision(revision, by=UserFactory(is_staff=True), reason="Bitte Quelle angeben.")
    published.refresh_from_db()
    revision.refresh_from_db()
    assert published.title == "Parkraum live"
    assert revision.status == SolutionRevision.Status.DISCARDED
    assert "Bitte Quelle angeben." in mail.outbox[-1].body
    with pytest.raises(services.PortalError):
        editorial.accept_revision(revision, by=owner)


def test_inline_check_returns_only_the_field_with_its_error(client, owner, vendor):
    client.force_login(owner)
    data = form_data(
        Solution(title="Ratsinfo"), contact_email="kaputt", website="auch kaputt", _field="contact_email"
    )
    response = client.post(reverse("vendor:solution_validate"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<div class="field field--error"')
    assert 'id="id_contact_email_error"' in html
    assert 'value="kaputt"' in html
    assert "id_website" not in html
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]
    assert not Solution.objects.exists()


def test_inline_check_of_a_valid_field_shows_no_error(client, owner, vendor):
    client.force_login(owner)
    data = form_data(Solution(title="Ratsinfo"), contact_email="ok@example.org", _field="contact_email")
    html = client.post(
        reverse("vendor:solution_validate"), data, headers={"HX-Request": "true"}
    ).content.decode()
    assert html.startswith('<div class="field"')
    assert "errorlist" not in html


@pytest.mark.parametrize(("headers", "field"), [({}, "title"), ({"HX-Request": "true"}, "status")])
def test_inline_check_refuses_plain_requests_and_unknown_fields(client, owner, vendor, headers, field):
    client.force_login(owner)
    response = client.post(reverse("vendor:solution_validate"), {"_field": field}, headers=headers)
    assert response.status_code == 400
    assert response.content == b""


def test_script_typed_into_the_form_is_escaped_on_the_public_pages(client, owner, vendor, category):
    """What a vendor types reaches the public pages after publication; it must stay text there too."""
    evil = "<script>alert(1)</script>"
    client.force_login(owner)
    client.post(
        reverse("vendor:solution_create"),
        form_data(
            Solution(title=f"Offen {evil}", summary=f"Kurz {evil}", description=f"Lang {evil}"),
            categories=[str(category.pk)],
            contact_name=f"Name {evil}",
        ),
    )
    solution = Solution.objects.get()
    Solution.objects.filter(pk=solution.pk).update(status=EditorialStatus.PUBLISHED)
    client.logout()
    for url in (solution.get_absolute_url(), reverse("solutions:list"), reverse("search") + "?q=Offen"):
        html = client.get(url).content.decode()
        assert evil not in html, url
    detail = client.get(solution.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail


def test_overview_shows_what_the_pending_revision_changes(client, owner, published):
    new_category = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    client.force_login(owner)
    client.post(
        reverse("vendor:solution_edit", kwargs={"pk": published.pk}),
        form_data(published, title="Parkraum <b>live</b> 2.0", categories=[str(new_category.pk)]),
    )
    response = client.get(reverse("vendor:solution", kwargs={"pk": published.pk}))
    changes = {change.name: (change.old, change.new) for change in response.context["revision_changes"]}
    assert changes == {
        "title": ("Parkraum live", "Parkraum <b>live</b> 2.0"),
        "categories": ("Administration", "Mobility"),
    }
    html = response.content.decode()
    assert "Parkraum &lt;b&gt;live&lt;/b&gt; 2.0" in html
