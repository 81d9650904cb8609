"""Vendors propose agreements for their own solutions; only an editor's acceptance attaches them."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from solutions.agreements.availability import available_solution_pks
from solutions.agreements.models import AgreementProposal, FrameworkAgreement
from tests.agreements.factories import AgreementFactory
from tests.factories import MunicipalityFactory, SolutionFactory, UserFactory, VendorMembershipFactory

pytestmark = pytest.mark.django_db
URL = "agreements:propose"


@pytest.fixture
def owner():
    return UserFactory(username="owner", email="owner@example.org")


@pytest.fixture
def solution(owner):
    solution = SolutionFactory(title="Eigene Lösung")
    VendorMembershipFactory(vendor=solution.vendor, user=owner)
    return solution


@pytest.fixture
def editor(settings):
    settings.ADMIN_REQUIRE_OTP = False
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


def test_vendor_proposal_waits_for_review_and_attaches_nothing(client, owner, solution):
    agreement = AgreementFactory(title="RV Bund")
    client.force_login(owner)

    response = client.post(
        reverse(URL), {"solution": solution.pk, "agreement": agreement.pk, "message": "Los 2"}
    )

    assert response.status_code == 302
    proposal = AgreementProposal.objects.get()
    assert (proposal.solution, proposal.agreement, proposal.status, proposal.proposed_by) == (
        solution,
        agreement,
        AgreementProposal.Status.PENDING,
        owner,
    )
    assert list(agreement.solutions.all()) == []
    assert available_solution_pks(MunicipalityFactory()) == set()
    assert [m.to for m in mail.outbox] == [["redaktion@example.org"]]
    assert "Why you receive this e-mail:" in mail.outbox[0].body


def test_vendor_cannot_propose_another_vendors_solution(client, owner, solution):
    stranger = SolutionFactory()
    agreement = AgreementFactory()
    client.force_login(owner)

    response = client.post(reverse(URL), {"solution": stranger.pk, "agreement": agreement.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert AgreementProposal.objects.count() == 0


def test_new_agreement_needs_title_and_contracting_body(client, owner, solution):
    client.force_login(owner)
    response = client.post(reverse(URL), {"solution": solution.pk, "title": "RV"})
    assert "give the title and contracting body of a new one" in response.content.decode()
    assert AgreementProposal.objects.count() == 0


def test_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_editor_accepts_a_proposal_in_the_admin_and_only_then_it_is_attached(client, owner, solution, editor):
    agreement = AgreementFactory(title="RV Bund")
    proposal = AgreementProposal.objects.create(solution=solution, agreement=agreement, proposed_by=owner)
    client.force_login(editor)

    response = client.post(
        reverse("admin:agreements_agreementproposal_changelist"),
        {"action": "accept", "_selected_action": [proposal.pk]},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == AgreementProposal.Status.ACCEPTED
    assert proposal.decided_by == editor
    assert list(agreement.solutions.all()) == [solution]


def test_accepting_a_new_agreement_creates_it_unpublished(client, owner, solution, editor):
    proposal = AgreementProposal.objects.create(
        solution=solution, title="RV Kommunal", body_name="KDB", url="https://example.org/rv.pdf"
    )
    client.force_login(editor)

    client.post(
        reverse("admin:agreements_agreementproposal_changelist"),
        {"action": "accept", "_selected_action": [proposal.pk]},
    )

    agreement = FrameworkAgreement.objects.get()
    assert (agreement.title, agreement.body_name, agreement.is_published) == ("RV Kommunal", "KDB", False)
    assert list(agreement.solutions.all()) == [solution]
    assert list(agreement.documents.values_list("url", flat=True)) == ["https://example.org/rv.pdf"]


def test_rejected_proposal_attaches_nothing(client, owner, solution, editor):
    agreement = AgreementFactory()
    proposal = AgreementProposal.objects.create(solution=solution, agreement=agreement)
    client.force_login(editor)

    client.post(
        reverse("admin:agreements_agreementproposal_changelist"),
        {"action": "reject", "_selected_action": [proposal.pk]},
    )

    proposal.refresh_from_db()
    assert proposal.status == AgreementProposal.Status.REJECTED
    assert list(agreement.solutions.all()) == []


def test_vendor_member_has_no_admin_access_to_proposals(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:agreements_agreementproposal_changelist"))
    assert response.status_code == 302
    assert "login" in response.url


def test_editor_curates_agreements_and_organisations_in_the_admin(client, editor):
    AgreementFactory(title="RV Bund")
    client.force_login(editor)

    for name in ["frameworkagreement_add", "organisation_add", "frameworkagreement_changelist"]:
        response = client.get(reverse(f"admin:agreements_{name}"))
        assert response.status_code == 200, name
    assert "RV Bund" in client.get(reverse("admin:agreements_frameworkagreement_changelist")).content.decode()
    assert client.get(reverse("admin:agreements_calloffrequest_changelist")).status_code == 200
    assert client.get(reverse("admin:agreements_agreementproposal_add")).status_code == 403


def test_the_vendor_dashboard_links_to_the_proposal(client, owner, solution):
    client.force_login(owner)
    html = client.get(reverse("vendor:dashboard")).content.decode()
    assert f'href="{reverse(URL)}">Propose a framework agreement</a>' in html


def test_proposals_are_rate_limited(client, owner, solution, settings):
    settings.ENQUIRY_RATE = (1, 3600)
    agreement = AgreementFactory()
    client.force_login(owner)
    data = {"solution": solution.pk, "agreement": agreement.pk}

    statuses = [client.post(reverse(URL), data).status_code for _ in range(2)]

    assert statuses == [302, 429]
    assert AgreementProposal.objects.count() == 1
