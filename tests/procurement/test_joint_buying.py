"""Joint buying: declare on the solution page, confirm by signed link, counts, the one-time editor mail."""

import re

import pytest
from django.core import mail
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from marketplace.procurement.forms import new_started_token
from marketplace.procurement.models import JointBuyingGroup, JointBuyingInterest
from marketplace.procurement.services import confirm_interest, declare_interest
from municipalities.choice import choose as remember
from tests.factories import MunicipalityFactory, SolutionFactory

from .helpers import choose


@pytest.fixture
def solution(db):
    return SolutionFactory(title="Smarte Parkplätze", slug="smarte-parkplaetze")


def town(name, ags):
    return MunicipalityFactory(name=name, slug=name.lower(), ags=ags)


def declare(client, solution, place, email="it@stadt.example", **changes):
    data = {"municipality": place.pk, "email": email, "homepage": "", "started": new_started_token()}
    data.update(changes)
    return client.post(reverse("procurement:interest", args=[solution.slug]), data)


def confirm_link(message) -> str:
    return re.search(r"https://marktplatz\.example\.de(/\S+)", message.body).group(1)


def confirmed(solution, municipality, email="it@stadt.example"):
    interest = declare_interest(solution=solution, municipality=municipality, email=email)
    confirm_interest(interest)
    return interest


@pytest.mark.django_db
def test_declare_mails_a_link_and_counts_only_after_the_post_confirmation(client, solution):
    kassel = town("Kassel", "06611000")
    response = declare(client, solution, kassel)
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:interest_sent", args=[solution.slug])
    interest = JointBuyingInterest.objects.get()
    assert (interest.state, interest.kreis_key, interest.confirmed_at) == ("06", "06611", None)
    [message] = mail.outbox
    assert message.to == ["it@stadt.example"]
    assert "Why you receive this e-mail:" in message.body and "How to stop it:" in message.body
    link = confirm_link(message)
    # Opening the link (a mail scanner does) changes nothing; the button's POST confirms.
    assert "Kassel" in client.get(link).content.decode()
    interest.refresh_from_db()
    assert interest.confirmed_at is None
    response = client.post(link)
    assert response["Location"] == reverse("procurement:interest_confirmed", args=[solution.slug])
    interest.refresh_from_db()
    assert interest.confirmed_at is not None


@pytest.mark.django_db
def test_confirm_link_forged_gives_a_404_page(client, solution):
    response = client.get(reverse("procurement:confirm", args=["abc:def:ghi"]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


@pytest.mark.django_db
def test_panel_counts_confirmed_municipalities_in_my_kreis_and_land(client, solution):
    kassel = town("Kassel", "06611000")
    confirmed(solution, town("Vellmar", "06633026"))  # Hessen, another Kreis
    baunatal = town("Baunatal", "06633003")
    confirmed(solution, baunatal)
    confirmed(solution, baunatal, email="zwei@example.org")  # a municipality counts once
    confirmed(solution, town("Hofgeismar", "06633013"))
    confirmed(solution, town("Kassel-Nord", "06611001"))  # same Kreis as Kassel
    confirmed(solution, town("München", "09162000"))  # Bayern
    declare_interest(solution=solution, municipality=town("Fulda", "06631009"), email="x@example.org")
    choose(client, kassel)
    html = client.get(solution.get_absolute_url()).content.decode()
    assert "5 municipalities have declared interest in all." in html
    assert "In Hessen: 4 municipalities." in html
    assert "In your Kreis: one municipality." in html
    assert 'action="/beschaffung/buendelung/smarte-parkplaetze/"' in html


@pytest.mark.django_db
def test_panel_without_a_chosen_municipality_asks_to_choose_one(client, solution):
    html = client.get(solution.get_absolute_url()).content.decode()
    assert "No municipality has declared interest" not in html
    assert "0 municipalities have declared interest in all." in html
    assert "Choose your municipality to declare interest" in html
    assert 'action="/beschaffung/buendelung/' not in html


@pytest.mark.django_db
def test_group_forms_once_and_the_editors_hear_of_it_once(solution, settings):
    settings.JOINT_BUYING_GROUP_SIZE = 3
    kassel = town("Kassel", "06611000")
    confirmed(solution, kassel)
    confirmed(solution, kassel, "b@x.org")
    second = declare_interest(solution=solution, municipality=town("Fulda", "06631009"), email="f@x.org")
    assert confirm_interest(second) is None
    third = declare_interest(solution=solution, municipality=town("Vellmar", "06633026"), email="v@x.org")
    mail.outbox.clear()
    group = confirm_interest(third)
    assert group == JointBuyingGroup.objects.get(solution=solution, state="06")
    [message] = mail.outbox
    assert message.to == ["kompetenzzentrum@example.org"]
    assert "3 municipalities in Hessen have confirmed interest" in message.body
    assert "- Town (Stadt) Fulda: f@x.org" in message.body
    assert message.body.count("Kassel") == 1  # a municipality counts once
    assert "Why you receive this e-mail:" in message.body
    mail.outbox.clear()
    fourth = declare_interest(solution=solution, municipality=town("Hanau", "06435014"), email="h@x.org")
    assert confirm_interest(fourth) is None
    assert confirm_interest(third) is None  # confirming twice changes nothing
    assert len(mail.outbox) == 1  # only the confirmation mail of the fourth
    assert JointBuyingGroup.objects.count() == 1
    # Another Land is another group.
    for name, ags in (("München", "09162000"), ("Augsburg", "09761000"), ("Passau", "09262000")):
        confirmed(solution, town(name, ags))
    assert JointBuyingGroup.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"homepage": "http://spam.example"}, "This form looks filled in by a program."),
        ({"started": "1.0:forged"}, "The form could not be checked."),
        ({"email": "kein-mail"}, "Enter a valid email address."),
        ({"municipality": "999999"}, "Choose your municipality from the register first."),
    ],
)
def test_declare_refuses_spam_and_bad_input_and_stores_nothing(client, solution, changes, message):
    response = declare(client, solution, town("Kassel", "06611000"), **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert JointBuyingInterest.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_declare_too_fast_is_refused(client, solution, settings):
    settings.JOINT_BUYING_MIN_FILL_SECONDS = 60
    response = declare(client, solution, town("Kassel", "06611000"))
    assert "The form was sent very quickly." in response.content.decode()
    assert JointBuyingInterest.objects.count() == 0


@pytest.mark.django_db
def test_declare_is_rate_limited(client, solution, settings):
    settings.JOINT_BUYING_RATE = (2, 3600)
    kassel = town("Kassel", "06611000")
    statuses = [declare(client, solution, kassel, email=f"{n}@x.org").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert JointBuyingInterest.objects.count() == 2


@pytest.mark.django_db
def test_declare_for_an_unpublished_solution_is_a_404(client):
    draft = SolutionFactory(status="draft")
    assert declare(client, draft, town("Kassel", "06611000")).status_code == 404
    assert client.get(reverse("procurement:interest", args=[draft.slug])).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("declared", [1, 5])
@pytest.mark.parametrize("with_choice", [False, True])
def test_panel_costs_one_query(solution, declared, with_choice, django_assert_num_queries):
    """The panel's own cost on the detail page: one count of confirmed interest (the chosen municipality is
    read once per request, by the page's peer panel before it)."""
    for n in range(declared):
        confirmed(solution, town(f"Ort{n}", f"0663300{n}"))
    request = RequestFactory().get("/")
    request.session = {}
    if with_choice:
        remember(request, town("Kassel", "06611000"))
    template = engines["django"].from_string("{% load procurement %}{% joint_buying_panel solution %}")
    with django_assert_num_queries(1):
        html = template.render({"solution": solution}, request)
    expected = "One municipality has" if declared == 1 else f"{declared} municipalities have"
    assert f"{expected} declared interest in all." in html
    assert ("In Hessen:" in html) is with_choice
