"""Who may call off what: the eligibility rules, expiry, in-house awards through an IT provider."""

import datetime

import pytest
from django.utils import timezone

from marketplace.choices import EditorialStatus
from solutions.agreements.availability import (
    CALL_OFF,
    IN_HOUSE,
    available_solution_pks,
    compare_annotations,
    routes_summary,
    solution_availability,
)
from solutions.agreements.models import FrameworkAgreement, Organisation
from solutions.models import Solution
from tests.agreements.factories import AgreementFactory, OrganisationFactory
from tests.factories import MunicipalityFactory, SolutionFactory

pytestmark = pytest.mark.django_db
Eligibility = FrameworkAgreement.Eligibility
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def places():
    return {
        "augsburg": MunicipalityFactory(name="Augsburg", ags="09761000"),
        "erlangen": MunicipalityFactory(name="Erlangen", ags="09562000"),
        "jena": MunicipalityFactory(name="Jena", ags="16053000"),
    }


def test_land_wide_agreement_is_open_to_every_municipality_of_its_laender_only(places):
    solution = SolutionFactory()
    AgreementFactory(eligibility=Eligibility.STATES, eligible_states=["09", "12"], solutions=[solution])

    assert available_solution_pks(places["augsburg"]) == {solution.pk}
    assert available_solution_pks(places["erlangen"]) == {solution.pk}
    assert available_solution_pks(places["jena"]) == set()


def test_member_only_agreement_is_open_to_the_organisations_members_only(places):
    solution = SolutionFactory()
    group = OrganisationFactory(members=[places["augsburg"], places["jena"]])
    AgreementFactory(eligibility=Eligibility.MEMBERS, eligible_organisation=group, solutions=[solution])

    assert available_solution_pks(places["augsburg"]) == {solution.pk}
    assert available_solution_pks(places["jena"]) == {solution.pk}
    assert available_solution_pks(places["erlangen"]) == set()


def test_listed_agreement_is_open_to_the_listed_municipalities_only(places):
    solution = SolutionFactory()
    AgreementFactory(eligibility=Eligibility.LISTED, listed=[places["erlangen"]], solutions=[solution])

    assert available_solution_pks(places["erlangen"]) == {solution.pk}
    assert available_solution_pks(places["augsburg"]) == set()


def test_expired_and_future_agreements_make_nothing_available(places):
    expired, future, running = SolutionFactory(), SolutionFactory(), SolutionFactory()
    AgreementFactory(
        starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2026, 5, 31), solutions=[expired]
    )
    AgreementFactory(starts_on=datetime.date(2026, 6, 2), ends_on=None, solutions=[future])
    AgreementFactory(starts_on=None, ends_on=datetime.date(2026, 6, 1), solutions=[running])

    assert available_solution_pks(places["jena"], on=TODAY) == {running.pk}
    # The day after, the last one has expired too.
    assert available_solution_pks(places["jena"], on=TODAY + datetime.timedelta(days=1)) == {future.pk}


def test_unpublished_agreements_and_unpublished_solutions_never_count(places):
    draft = SolutionFactory(status=EditorialStatus.DRAFT)
    hidden = SolutionFactory()
    AgreementFactory(solutions=[draft])
    AgreementFactory(solutions=[hidden], is_published=False)

    assert available_solution_pks(places["jena"]) == set()


def test_an_agreement_naming_a_vendor_covers_all_its_solutions(places):
    first = SolutionFactory()
    second = SolutionFactory(vendor=first.vendor)
    other = SolutionFactory()
    AgreementFactory(vendors=[first.vendor])

    assert available_solution_pks(places["jena"]) == {first.pk, second.pk}
    assert other.pk not in available_solution_pks(places["jena"])


def test_in_house_award_through_the_it_provider_the_municipality_is_a_member_of(places):
    own = SolutionFactory()
    OrganisationFactory(
        kind=Organisation.Kind.IT_PROVIDER, vendor=own.vendor, members=[places["augsburg"]], name="AKDB"
    )
    # A purchasing organisation with the same vendor gives no in-house award.
    OrganisationFactory(kind=Organisation.Kind.PURCHASING, vendor=own.vendor, members=[places["jena"]])

    assert available_solution_pks(places["augsburg"]) == {own.pk}
    assert available_solution_pks(places["jena"]) == set()
    routes = solution_availability(own, places["augsburg"]).routes
    assert [(r.kind, r.provider.name) for r in routes] == [(IN_HOUSE, "AKDB")]


def test_solution_availability_marks_expired_closed_and_callable_agreements(places):
    solution = SolutionFactory()
    today = timezone.localdate()
    callable_ = AgreementFactory(title="B offen", eligibility=Eligibility.STATES, eligible_states=["09"])
    closed = AgreementFactory(title="C Thüringen", eligibility=Eligibility.STATES, eligible_states=["16"])
    expired = AgreementFactory(title="A alt", ends_on=today - datetime.timedelta(days=1))
    for agreement in (callable_, closed, expired):
        agreement.solutions.add(solution)

    result = solution_availability(solution, places["augsburg"])

    assert [a.title for a in result.agreements] == ["B offen", "C Thüringen", "A alt"]
    assert [result.status(a) for a in result.agreements] == ["callable", "closed", "expired"]
    assert [(r.kind, r.agreement.title) for r in result.routes] == [(CALL_OFF, "B offen")]
    assert solution_availability(solution, None).routes == []


def test_compare_annotations_name_the_routes_of_each_solution(places):
    first, second, third = SolutionFactory(), SolutionFactory(), SolutionFactory()
    AgreementFactory(title="Land", eligibility=Eligibility.STATES, eligible_states=["09"], solutions=[first])
    AgreementFactory(title="Vendor", vendors=[second.vendor])
    AgreementFactory(
        title="Old", solutions=[second], ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    OrganisationFactory(
        kind=Organisation.Kind.IT_PROVIDER, vendor=second.vendor, members=[places["augsburg"]]
    )

    def summaries(municipality):
        rows = Solution.objects.filter(pk__in=[first.pk, second.pk, third.pk]).annotate(
            **compare_annotations(municipality)
        )
        return {s.pk: routes_summary(s.agreement_titles, s.in_house_names) for s in rows}

    augsburg = summaries(places["augsburg"])
    jena = summaries(places["jena"])

    assert augsburg[first.pk] == "call-off from “Land”"
    assert augsburg[second.pk].startswith(
        "call-off from “Vendor”; in-house award through Einkaufsgemeinschaft"
    )
    assert augsburg[third.pk] == "no (own procurement needed)"
    assert jena[first.pk] == "no (own procurement needed)"
    assert jena[second.pk] == "call-off from “Vendor”"
