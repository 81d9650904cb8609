"""The editors' admin: review queue, moderation actions, review page with the diff, history pages,
permissions and locked query counts."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from marketplace.choices import EditorialStatus
from pilots.models import Reference
from solutions.models import Solution, Vendor
from solutions.services import propose_revision
from tests.factories import (
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    UserFactory,
    VendorFactory,
)

S = EditorialStatus


@pytest.fixture(autouse=True)
def _admin_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    # The second factor is tested with the admin site; these tests are about the editorial workflow.
    settings.ADMIN_REQUIRE_OTP = False


@pytest.fixture
def editor(editor, client):
    client.force_login(editor)
    return editor


@pytest.fixture
def junior(client):
    """Staff who may view and edit listings but not publish them."""
    user = UserFactory(username="junior", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="solutions", codename__in=["view_solution", "change_solution"]
        )
    )
    client.force_login(user)
    return user


def submitted(vendor, title="Bürgerportal", **kwargs):
    return SolutionFactory(vendor=vendor, title=title, status=S.SUBMITTED, published_at=None, **kwargs)


# ---------- access ----------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin:index", "admin:review_queue", "admin:solutions_solution_changelist"])
def test_anonymous_and_vendor_users_get_no_admin_page(client, member, vendor, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_vendor_user_cannot_post_a_moderation_action(client, member, vendor):
    solution = submitted(vendor)
    client.force_login(member)
    response = client.post(
        reverse("admin:solutions_solution_changelist"),
        {"action": "publish_selected", "_selected_action": [solution.pk]},
    )
    assert response.status_code == 302
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED


@pytest.mark.django_db
def test_editor_without_publish_permission_sees_no_publish_action_and_cannot_publish(client, junior, vendor):
    solution = submitted(vendor)
    changelist = reverse("admin:solutions_solution_changelist")
    response = client.get(changelist)
    choices = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert "publish_selected" not in choices
    assert "request_changes_selected" in choices
    response = client.post(changelist, {"action": "publish_selected", "_selected_action": [solution.pk]})
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED
    review = reverse("admin:solutions_solution_review", args=[solution.pk])
    page = client.get(review)
    assert b'value="publish"' not in page.content
    response = client.post(review, {"decision": "publish"}, follow=True)
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED
    assert "You do not have the permission for this editorial decision." in [
        str(m) for m in response.context["messages"]
    ]


# ---------- queue ----------


@pytest.mark.django_db
def test_queue_lists_waiting_items_oldest_first_with_age(client, editor, vendor, member):
    from datetime import timedelta

    from django.utils import timezone

    newer = submitted(vendor, "Neuer Eintrag")
    older = submitted(vendor, "Alter Eintrag")
    Solution.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    Solution.objects.filter(pk=newer.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    published = SolutionFactory(vendor=vendor, title="Parkraum")
    propose_revision(published, by=member, data={"summary": "Neu."})
    ReferenceFactory(
        solution=published, municipality=MunicipalityFactory(name="Musterhausen"), is_verified=False
    )
    VendorFactory(name="Neu AG", is_verified=False)
    response = client.get(reverse("admin:review_queue"))
    sections = {s.key: s for s in response.context["sections"]}
    assert [i.title for i in sections["submitted_solutions"].items] == ["Alter Eintrag", "Neuer Eintrag"]
    assert [i.age_days for i in sections["submitted_solutions"].items] == [9, 2]
    assert [i.title for i in sections["pending_revisions"].items] == ["Parkraum"]
    assert [i.title for i in sections["unverified_references"].items] == ["Parkraum @ Musterhausen"]
    assert [i.title for i in sections["unverified_vendors"].items] == ["Neu AG"]
    content = response.content.decode()
    assert "9 days" in content
    assert reverse("admin:solutions_solution_review", args=[older.pk]) in content
    index = client.get(reverse("admin:index")).content.decode()
    queue_url = reverse("admin:review_queue")
    assert f'href="{queue_url}#queue-submitted_solutions">Submitted listings</a></th><td>2</td>' in index


@pytest.mark.django_db
def test_sections_can_be_added_by_other_parts(client, editor):
    from marketplace.editorial.queue import SECTION_PROVIDERS, QueueItem, Section, register_section

    def broken_links(request, *, limit):
        return Section(
            "broken_links", "Broken links", 1, [QueueItem("https://example.org/x", "/", None)][:limit]
        )

    register_section(broken_links)
    try:
        response = client.get(reverse("admin:review_queue"))
    finally:
        SECTION_PROVIDERS.remove(broken_links)
    assert [s.key for s in response.context["sections"]][-1] == "broken_links"
    assert "https://example.org/x" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_queue_query_count_is_fixed(client, editor, django_assert_num_queries, rows):
    vendor = VendorFactory(is_verified=False)
    for number in range(rows):
        solution = submitted(vendor, f"Eintrag {number}")
        ReferenceFactory(solution=solution, is_verified=False)
        PilotProjectFactory(status=S.SUBMITTED, published_at=None)
    # session, user, two permission queries, a count and a list for each of the five review sections, and
    # two queries each for open enquiries, broken links and stale listings
    with django_assert_num_queries(26):
        response = client.get(reverse("admin:review_queue"))
    assert len(response.context["sections"][0].items) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_admin_index_counts_query_count_is_fixed(client, editor, django_assert_num_queries, rows):
    vendor = VendorFactory()
    for number in range(rows):
        submitted(vendor, f"Eintrag {number}")
    # session, user, permissions (2), one count per review section (5), enquiries (1), broken links (1),
    # stale listings (2), recent actions
    with django_assert_num_queries(17):
        response = client.get(reverse("admin:index"))
    assert f"<td>{rows}</td>" in response.content.decode()


CHANGELISTS = [
    ("solutions", "solution"),
    ("solutions", "vendor"),
    ("pilots", "pilotproject"),
    ("pilots", "reference"),
    ("municipalities", "municipality"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
@pytest.mark.parametrize("rows", [1, 50])
def test_changelist_query_count_is_fixed(client, editor, django_assert_num_queries, app, model, rows):
    for _number in range(rows):
        ReferenceFactory(pilot=PilotProjectFactory())
    url = reverse(f"admin:{app}_{model}_changelist")
    client.get(url)  # warm the content type and permission caches
    # The municipalities' Land and size class filters offer fixed choices (no DISTINCT query each).
    expected = {"solution": 10, "vendor": 7, "pilotproject": 8, "reference": 8, "municipality": 7}[model]
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.context["cl"].result_count >= rows


# ---------- actions ----------


@pytest.mark.django_db
def test_request_changes_action_asks_for_a_reason_then_mails_it(client, editor, vendor):
    solution = submitted(vendor)
    changelist = reverse("admin:solutions_solution_changelist")
    data = {"action": "request_changes_selected", "_selected_action": [solution.pk]}
    form_page = client.post(changelist, data)
    assert form_page.status_code == 200
    assert form_page.templates[0].name == "admin/moderation_reason.html"
    empty = client.post(changelist, {**data, "apply": "1", "reason": ""})
    assert empty.context["form"].errors == {"reason": ["This field is required."]}
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED
    response = client.post(changelist, {**data, "apply": "1", "reason": "Bitte Preise ergänzen."})
    assert response.status_code == 302
    solution.refresh_from_db()
    assert (solution.status, solution.status_reason) == (S.CHANGES_REQUESTED, "Bitte Preise ergänzen.")
    assert [m.subject for m in mail.outbox] == ["Changes requested: Bürgerportal"]


@pytest.mark.django_db
def test_publish_action_asks_first_then_publishes_and_reports_refusals(client, editor, vendor):
    ok = submitted(vendor, "Fertig")
    draft = SolutionFactory(vendor=vendor, title="Entwurf", status=S.DRAFT, published_at=None)
    data = {"action": "publish_selected", "_selected_action": [ok.pk, draft.pk]}
    changelist = reverse("admin:solutions_solution_changelist")
    question = client.post(changelist, data)
    assert question.templates[0].name == "admin/moderation_reason.html"
    assert question.context["objects"] == [
        (
            draft,
            "“Entwurf” is a draft that was never submitted for review.",
            reverse("admin:solutions_solution_review", args=[draft.pk]),
        ),
        (ok, "", reverse("admin:solutions_solution_review", args=[ok.pk])),
    ]
    ok.refresh_from_db()
    assert ok.status == S.SUBMITTED
    assert mail.outbox == []
    response = client.post(changelist, {**data, "apply": "1"}, follow=True)
    ok.refresh_from_db()
    draft.refresh_from_db()
    assert (ok.status, draft.status) == (S.PUBLISHED, S.DRAFT)
    review = reverse("admin:solutions_solution_review", args=[draft.pk])
    assert [str(m) for m in response.context["messages"]] == [
        f'“Entwurf” is a draft that was never submitted for review. <a href="{review}">Open it</a>',
        "1 listings published.",
    ]
    assert f'<a href="{review}">Open it</a>' in response.content.decode()


@pytest.mark.django_db
def test_verify_actions_for_vendors_and_references(client, editor):
    vendor = VendorFactory(is_verified=False)
    reference = ReferenceFactory(is_verified=False)
    client.post(
        reverse("admin:solutions_vendor_changelist"), {"action": "verify", "_selected_action": [vendor.pk]}
    )
    client.post(
        reverse("admin:pilots_reference_changelist"), {"action": "verify", "_selected_action": [reference.pk]}
    )
    assert Vendor.objects.get(pk=vendor.pk).is_verified
    assert Reference.objects.get(pk=reference.pk).verified_by == editor


@pytest.mark.django_db
def test_pilot_actions(client, editor):
    pilot = PilotProjectFactory(status=S.DRAFT, published_at=None)
    client.post(
        reverse("admin:pilots_pilotproject_changelist"),
        {"action": "publish_selected", "_selected_action": [pilot.pk], "apply": "1"},
    )
    pilot.refresh_from_db()
    assert pilot.status == S.PUBLISHED


# ---------- review page and history ----------


@pytest.mark.django_db
def test_review_page_shows_the_diff_and_accepts_the_changes(client, editor, member, vendor):
    solution = SolutionFactory(vendor=vendor, title="Parkraum", summary="Alte Zusammenfassung.")
    propose_revision(solution, by=member, data={"summary": "Neue Zusammenfassung."})
    url = reverse("admin:solutions_solution_review", args=[solution.pk])
    page = client.get(url)
    assert [(c.label, c.old, c.new) for c in page.context["changes"]] == [
        ("summary", "Alte Zusammenfassung.", "Neue Zusammenfassung.")
    ]
    content = page.content.decode()
    assert "<td>Alte Zusammenfassung.</td>" in content
    assert "<td>Neue Zusammenfassung.</td>" in content
    response = client.post(url, {"decision": "accept_revision"})
    assert response.status_code == 302
    solution.refresh_from_db()
    assert solution.summary == "Neue Zusammenfassung."


@pytest.mark.django_db
def test_review_page_request_changes_needs_reason(client, editor, vendor):
    solution = submitted(vendor)
    url = reverse("admin:solutions_solution_review", args=[solution.pk])
    response = client.post(url, {"decision": "request_changes", "reason": ""}, follow=True)
    assert "Please give a reason; the vendor sees it." in [str(m) for m in response.context["messages"]]
    client.post(url, {"decision": "request_changes", "reason": "Logo fehlt."})
    solution.refresh_from_db()
    assert solution.status_reason == "Logo fehlt."


@pytest.mark.django_db
def test_history_page_shows_decisions_with_who_and_why(client, editor, vendor):
    solution = submitted(vendor)
    client.post(
        reverse("admin:solutions_solution_review", args=[solution.pk]),
        {"decision": "reject", "reason": "Kein Bezug zu Kommunen."},
    )
    page = client.get(reverse("admin:solutions_solution_history", args=[solution.pk]))
    entries = page.context["entries"]
    assert (entries[0].label, entries[0].user, entries[0].reason) == (
        "Rejected",
        editor,
        "Kein Bezug zu Kommunen.",
    )
    assert "Kein Bezug zu Kommunen." in page.content.decode()


@pytest.mark.django_db
def test_edits_in_the_admin_are_recorded_with_the_editor(client, editor):
    municipality = MunicipalityFactory(name="Musterhausen")
    url = reverse("admin:municipalities_municipality_change", args=[municipality.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"state", "size_class"}}
    data.update(name="Neuhausen", population=30000)
    data.update({"references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get(reverse("admin:municipalities_municipality_history", args=[municipality.pk]))
    newest = page.context["entries"][0]
    assert newest.user == editor
    assert ("name", "Musterhausen", "Neuhausen") in [(c.label, c.old, c.new) for c in newest.changes]


@pytest.mark.django_db
def test_status_is_read_only_on_the_change_form_and_limited_when_adding(client, editor, vendor):
    solution = submitted(vendor)
    change = client.get(reverse("admin:solutions_solution_change", args=[solution.pk]))
    assert "status" not in change.context["adminform"].form.fields
    add = client.get(reverse("admin:solutions_solution_add"))
    assert [value for value, _label in add.context["adminform"].form.fields["status"].choices] == [
        "draft",
        "submitted",
    ]


@pytest.mark.django_db
def test_queue_lists_open_enquiries_and_barrier_reports(client, editor):
    from tests.factories import BarrierReportFactory, EnquiryFactory

    enquiry = EnquiryFactory(name="Erika Beispiel")
    report = BarrierReportFactory()
    EnquiryFactory(status="closed")
    response = client.get(reverse("admin:review_queue"))
    sections = {section.key: section for section in response.context["sections"]}
    assert sections["enquiries"].count == 2
    assert [item.url for item in sections["enquiries"].items] == [
        reverse("admin:marketplace_enquiry_change", args=[enquiry.pk]),
        reverse("admin:marketplace_enquiry_change", args=[report.pk]),
    ]
    assert {"enquiries", "broken_links", "stale_listings"} <= set(sections)
