"""Facts of a listing that contradict each other are refused with a message at the field to correct."""

from html import unescape

import pytest
from django.urls import reverse

from marketplace.choices import EditorialStatus
from solutions.models import Solution, SolutionRevision
from solutions.portal.forms import SolutionForm

from .conftest import form_data

pytestmark = pytest.mark.django_db

ON_PREMISES_OUTSIDE_EU = {"hosting_options": ["on_premises"], "data_location": "outside_eu"}
FREE_WITH_ONE_OFF_COST = {"price_model": "free", "cost_introduction_eur": "4000"}
FREE_WITH_YEARLY_COST = {"price_model": "free", "cost_yearly_eur": "1200"}
AGREEMENT_NAMED_NOT_TICKED = {"framework_agreement_name": "Rahmenvertrag IoT"}

# Each rule: the contradicting input, the field the error is bound to, the start of the message.
RULES = [
    pytest.param(
        ON_PREMISES_OUTSIDE_EU,
        "data_location",
        "The hosting you chose (On premises) keeps the data in Germany",
        id="on-premises-but-outside-eu",
    ),
    pytest.param(
        {"hosting_options": ["on_premises", "german_dc"], "data_location": "outside_eu"},
        "data_location",
        "The hosting you chose (On premises, Data centre in Germany) keeps the data in Germany",
        id="german-data-centre-but-outside-eu",
    ),
    pytest.param(
        FREE_WITH_ONE_OFF_COST,
        "cost_introduction_eur",
        "The price model is “Free of charge”, so the one-off cost cannot be above zero.",
        id="free-with-one-off-cost",
    ),
    pytest.param(
        FREE_WITH_YEARLY_COST,
        "cost_yearly_eur",
        "The price model is “Free of charge”, so the yearly cost cannot be above zero.",
        id="free-with-yearly-cost",
    ),
    pytest.param(
        AGREEMENT_NAMED_NOT_TICKED,
        "framework_agreement_name",
        "You named a framework agreement",
        id="agreement-named-but-not-ticked",
    ),
]


def _form(solution, **changes) -> SolutionForm:
    return SolutionForm(form_data(solution, **changes), instance=solution)


@pytest.mark.parametrize(("changes", "field", "message"), RULES)
def test_contradiction_is_an_error_at_its_field(draft, changes, field, message):
    form = _form(draft, **changes)
    assert form.is_valid() is False
    assert list(form.errors) == [field]
    [error] = form.errors[field]
    assert error.startswith(message)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            {"hosting_options": ["on_premises", "other"], "data_location": "outside_eu"}, id="other"
        ),
        pytest.param({"hosting_options": ["eu_cloud"], "data_location": "outside_eu"}, id="eu-cloud"),
        pytest.param({"hosting_options": [], "data_location": "outside_eu"}, id="hosting-not-chosen"),
        pytest.param({"hosting_options": ["on_premises"], "data_location": "none"}, id="no-personal-data"),
        pytest.param(
            {"price_model": "free", "cost_introduction_eur": "0", "cost_yearly_eur": "0"}, id="zero"
        ),
        pytest.param({"price_model": "one_off", "cost_yearly_eur": "1200"}, id="one-off-with-yearly"),
        pytest.param({"data_location": "none", "dpa_available": "on"}, id="dpa-without-personal-data"),
        pytest.param(
            {"framework_agreement": "on", "framework_agreement_name": "Rahmenvertrag IoT"}, id="agreement"
        ),
        pytest.param({"price_model": "", "cost_yearly_eur": "1200"}, id="price-model-not-chosen"),
    ],
)
def test_facts_that_fit_together_pass(draft, changes):
    form = _form(draft, **changes)
    assert form.errors == {}


def test_every_contradiction_is_reported_at_once(draft):
    form = _form(
        draft,
        **ON_PREMISES_OUTSIDE_EU,
        **FREE_WITH_ONE_OFF_COST,
        cost_yearly_eur="10",
        **AGREEMENT_NAMED_NOT_TICKED,
    )
    assert sorted(form.errors) == [
        "cost_introduction_eur",
        "cost_yearly_eur",
        "data_location",
        "framework_agreement_name",
    ]


@pytest.mark.parametrize(("changes", "field", "message"), RULES)
def test_edit_view_refuses_a_contradiction_and_keeps_the_draft(client, owner, draft, changes, field, message):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:solution_edit", kwargs={"pk": draft.pk}),
        form_data(draft, title="Geändert", **changes),
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The error summary links to the control, and the message stands at the field itself.
    assert f'<a href="#id_{field}">' in html
    assert f'id="id_{field}_error"' in html
    assert message in unescape(html)
    draft.refresh_from_db()
    assert draft.title == "Bürgerportal"


def test_revision_of_a_published_listing_is_checked_the_same_way(client, owner, published):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:solution_edit", kwargs={"pk": published.pk}),
        form_data(published, **FREE_WITH_YEARLY_COST),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["cost_yearly_eur"]
    assert not SolutionRevision.objects.filter(solution=published).exists()
    assert Solution.objects.get(pk=published.pk).status == EditorialStatus.PUBLISHED


def test_inline_check_shows_the_contradiction_at_the_changed_field(client, owner, draft):
    client.force_login(owner)
    data = form_data(draft, **FREE_WITH_YEARLY_COST, _field="cost_yearly_eur")
    response = client.post(reverse("vendor:solution_validate"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_cost_yearly_eur_error"' in html
    assert "so the yearly cost cannot be above zero" in html


def test_demo_listings_pass_the_checks():
    """A demo vendor can save a seeded listing unchanged: the seed corrects contradicting random draws."""
    from io import StringIO

    from django.core.management import call_command

    from solutions import plausibility

    call_command("seed_demo", "--solutions", "60", stdout=StringIO())
    solutions = list(Solution.objects.all())
    assert len(solutions) >= 60
    assert {
        s.slug: plausibility.contradictions(vars(s))
        for s in solutions
        if plausibility.contradictions(vars(s))
    } == {}
