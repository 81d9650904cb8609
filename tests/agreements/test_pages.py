"""The public agreement pages, the call-off request and the solution page's panel."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solutions.agreements.models import CallOffRequest, FrameworkAgreement
from tests.agreements.factories import AgreementFactory, OrganisationFactory
from tests.factories import MunicipalityFactory, SolutionFactory, UserFactory, VendorMembershipFactory

pytestmark = pytest.mark.django_db
Eligibility = FrameworkAgreement.Eligibility


def choose(client, municipality):
    response = client.post(reverse("municipalities:choose"), {"slug": municipality.slug, "next": "/"})
    assert response.status_code == 302


def started_token(client, url) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize(("chosen", "queries"), [(False, 1), (True, 4)])
def test_agreement_list_query_count_is_constant(client, django_assert_num_queries, rows, chosen, queries):
    """The agreements with their counts; with a choice also the session, the municipality, callable keys."""
    augsburg = MunicipalityFactory(name="Augsburg")
    group = OrganisationFactory(members=[augsburg])
    for n in range(rows):
        AgreementFactory(
            eligibility=Eligibility.MEMBERS if n % 2 else Eligibility.ALL_PUBLIC,
            eligible_organisation=group if n % 2 else None,
            solutions=[SolutionFactory()],
        )
    if chosen:
        choose(client, augsburg)
    with django_assert_num_queries(queries):
        response = client.get(reverse("agreements:list"))
    assert len(response.context["agreements"]) == rows
    assert response.content.decode().count("may call off this agreement") == (rows if chosen else 0)


def test_agreement_list_keeps_expired_agreements_marked_and_last(client):
    AgreementFactory(title="Alt", ends_on=timezone.localdate() - datetime.timedelta(days=1))
    AgreementFactory(title="Neu")
    AgreementFactory(title="Verborgen", is_published=False)

    response = client.get(reverse("agreements:list"))

    titles = [a.title for a in response.context["agreements"]]
    assert titles == ["Neu", "Alt"]
    html = response.content.decode()
    assert html.index("Alt") < html.index("expired")


def test_agreement_detail_shows_terms_and_who_may_call_off(client):
    solution = SolutionFactory(title="Parkleitsystem")
    agreement = AgreementFactory(
        title="RV Parken",
        eligibility=Eligibility.STATES,
        eligible_states=["09", "16"],
        extension_options="Zweimal um ein Jahr",
        solutions=[solution],
    )
    agreement.documents.create(title="Leistungsbeschreibung", url="https://example.org/lb.pdf")
    choose(client, MunicipalityFactory(name="Jena", ags="16053000"))

    html = client.get(agreement.get_absolute_url()).content.decode()

    assert "Bayern, Thüringen" in html
    assert "Zweimal um ein Jahr" in html
    assert 'href="https://example.org/lb.pdf"' in html
    assert "Jena may call off this agreement." in html
    assert reverse("agreements:call_off", args=[agreement.slug, solution.slug]) in html


def test_unpublished_agreement_is_not_found(client):
    agreement = AgreementFactory(is_published=False)
    assert client.get(agreement.get_absolute_url()).status_code == 404


def test_call_off_request_goes_to_the_vendors_members_and_is_stored(client):
    solution = SolutionFactory(title="Parkleitsystem")
    VendorMembershipFactory(vendor=solution.vendor, user=UserFactory(email="vertrieb@anbieter.example"))
    agreement = AgreementFactory(title="RV Parken", solutions=[solution])
    ulm = MunicipalityFactory(name="Ulm", ags="08421000")
    choose(client, ulm)
    url = reverse("agreements:call_off", args=[agreement.slug, solution.slug])

    form_html = client.get(url).content.decode()
    assert 'name="municipality_name" value="Ulm"' in form_html
    response = client.post(
        url,
        {
            "municipality_name": "Ulm",
            "contact_name": "Erika Mustermann",
            "email": "erika@ulm.example",
            "scope": "3 Parkhäuser",
            "desired_start": "2027-01-01",
            "message": "Bitte um Angebot.",
            "homepage": "",
            "started": started_token(client, url),
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("agreements:call_off_sent")
    stored = CallOffRequest.objects.get()
    assert (stored.municipality, stored.solution, stored.agreement, stored.scope) == (
        ulm,
        solution,
        agreement,
        "3 Parkhäuser",
    )
    (message,) = mail.outbox
    assert message.to == ["vertrieb@anbieter.example"]
    assert message.reply_to == ["erika@ulm.example"]
    assert message.subject == "Call-off request: Parkleitsystem for Ulm"
    assert "3 Parkhäuser" in message.body
    assert "Why you receive this e-mail:" in message.body
    assert "How to stop it:" in message.body


def test_call_off_honeypot_stores_and_sends_nothing(client):
    solution = SolutionFactory()
    VendorMembershipFactory(vendor=solution.vendor)
    agreement = AgreementFactory(solutions=[solution])
    url = reverse("agreements:call_off", args=[agreement.slug, solution.slug])

    response = client.post(
        url,
        {
            "municipality_name": "Ulm",
            "contact_name": "Bot",
            "email": "bot@example.org",
            "scope": "x",
            "homepage": "https://spam.example",
            "started": started_token(client, url),
        },
    )

    assert response.url == reverse("agreements:call_off_sent")
    assert CallOffRequest.objects.count() == 0
    assert mail.outbox == []


def test_call_off_with_errors_and_forged_time_stamp_explains(client):
    solution = SolutionFactory()
    agreement = AgreementFactory(solutions=[solution])
    url = reverse("agreements:call_off", args=[agreement.slug, solution.slug])

    response = client.post(url, {"municipality_name": "", "email": "kein", "started": "forged"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "The form could not be checked. Please send it again." in html
    assert "Enter a valid email address." in html
    assert CallOffRequest.objects.count() == 0


def test_call_off_is_rate_limited(client, settings):
    settings.ENQUIRY_RATE = (1, 3600)
    solution = SolutionFactory()
    agreement = AgreementFactory(solutions=[solution])
    url = reverse("agreements:call_off", args=[agreement.slug, solution.slug])

    statuses = [client.post(url, {"started": "x"}).status_code for _ in range(2)]

    assert statuses == [200, 429]


def test_expired_agreement_offers_no_call_off_form(client):
    solution = SolutionFactory()
    agreement = AgreementFactory(
        solutions=[solution], ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = reverse("agreements:call_off", args=[agreement.slug, solution.slug])

    get = client.get(url).content.decode()
    post = client.post(url, {"municipality_name": "Ulm"})

    assert "This agreement has expired" in get
    assert 'name="contact_name"' not in get
    assert post.status_code == 200
    assert CallOffRequest.objects.count() == 0


def test_call_off_for_a_solution_the_agreement_does_not_cover_is_not_found(client):
    agreement = AgreementFactory(solutions=[SolutionFactory()])
    other = SolutionFactory()
    assert client.get(reverse("agreements:call_off", args=[agreement.slug, other.slug])).status_code == 404


def test_solution_page_panel_says_how_the_chosen_municipality_can_obtain_it(client):
    solution = SolutionFactory(title="Parkleitsystem")
    AgreementFactory(
        title="RV Bayern", eligibility=Eligibility.STATES, eligible_states=["09"], solutions=[solution]
    )
    AgreementFactory(
        title="RV Alt", solutions=[solution], ends_on=timezone.localdate() - datetime.timedelta(days=9)
    )
    url = solution.get_absolute_url()

    anonymous = client.get(url).content.decode()
    assert "Choose your municipality" in anonymous
    choose(client, MunicipalityFactory(name="Augsburg", ags="09761000"))
    html = client.get(url).content.decode()

    assert "Augsburg can obtain this solution without its own tender:" in html
    assert "open to the municipalities of Bayern" in html
    assert "expired" in html
    assert html.count("Request a call-off") == 1


@pytest.mark.parametrize(("chosen", "cold"), [(False, 1), (True, 2)])
def test_solution_page_panel_reads_agreements_once_per_content_version(client, chosen, cold):
    """The panel's queries: one without a chosen municipality, two with one; none while kept."""
    solution = SolutionFactory()
    AgreementFactory(solutions=[solution])
    if chosen:
        choose(client, MunicipalityFactory())

    def agreement_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(solution.get_absolute_url()).status_code == 200
        return [q for q in captured.captured_queries if "agreements_" in q["sql"]]

    assert len(agreement_queries()) == cold
    assert agreement_queries() == []


def test_compare_has_a_row_for_the_chosen_municipality(client):
    first = SolutionFactory(title="Park", slug="park")
    second = SolutionFactory(title="Licht", slug="licht")
    AgreementFactory(
        title="RV Bayern", eligibility=Eligibility.STATES, eligible_states=["09"], solutions=[first]
    )
    url = reverse("solutions:compare") + "?s=park&s=licht"
    assert "without own tender" not in client.get(url).content.decode()

    choose(client, MunicipalityFactory(name="Augsburg", ags="09761000"))
    response = client.get(url)

    (row,) = [
        c for c in response.context["criteria"] if c.label == "Available to Augsburg without own tender"
    ]
    assert row.cells == ["call-off from “RV Bayern”", "no (own procurement needed)"]
    assert [s.title for s in response.context["solutions"]] == ["Park", second.title]
