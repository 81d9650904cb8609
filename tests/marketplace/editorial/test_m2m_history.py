"""The history of the listings' many-to-many fields (fields of action, standards, partner municipalities):
recorded by triggers on the join tables, merged into the timeline and into "changed since the last
decision"."""

import pghistory
import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from marketplace.choices import EditorialStatus
from marketplace.editorial import services
from marketplace.editorial.history import changes_since_last_decision, decision, timeline
from marketplace.editorial.models import JOIN_TABLE_EVENTS, SolutionCategoriesEvent
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    SolutionFactory,
    StandardFactory,
    UserFactory,
    VendorFactory,
)

S = EditorialStatus

# The rows of one transaction share their time (pgh_created_at is the transaction's start), so these tests
# commit each step on its own, as separate requests do.
steps = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "de"
    settings.ADMIN_REQUIRE_OTP = False


@pytest.fixture
def editor():
    """Staff who may change listings (transactional tests empty the tables, the "Redaktion" group too)."""
    user = UserFactory(username="redakteur", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["solutions", "pilots"],
            codename__in=["view_solution", "change_solution", "publish_solution"],
        )
    )
    return user


@pytest.fixture
def vendor():
    return VendorFactory(name="Eigene GmbH")


def set_changes(entry) -> list[tuple[str, list[str], list[str]]]:
    return [(c.label, list(c.added), list(c.removed)) for c in entry.changes if c.is_set]


@pytest.mark.django_db
def test_every_join_table_has_its_triggers_installed_as_pgtrigger_compiles_them():
    # Fails when the event models and marketplace/migrations/0006_join_table_history.py disagree.
    for field, _event_model in JOIN_TABLE_EVENTS:
        through = field.remote_field.through
        assert len(through._meta.triggers) == 2, through
        for trigger in through._meta.triggers:
            status, enabled = trigger.get_installation_status(through)
            assert (status, enabled) == ("INSTALLED", True), (through._meta.db_table, trigger.name)


@steps
def test_adding_and_removing_fields_of_action_is_one_timeline_entry_with_the_editor(editor, vendor):
    energy = CategoryFactory(name_de="Energie", name_en="Energy")
    mobility = CategoryFactory(name_de="Mobilität", name_en="Mobility")
    administration = CategoryFactory(name_de="Verwaltung", name_en="Administration")
    solution = SolutionFactory(vendor=vendor, categories=[energy, administration])
    with transaction.atomic(), decision(by=editor, action=""):
        solution.title = "Neuer Titel"
        solution.save()
        solution.categories.set([mobility, administration])
    events = [
        (e.pgh_label, e.category_id)
        for e in SolutionCategoriesEvent.objects.filter(solution=solution).order_by("pgh_id")
    ]
    # The factory adds both categories in one statement, in an order Django does not fix.
    assert sorted(events[:2]) == sorted([("add", energy.pk), ("add", administration.pk)])
    assert events[2:] == [("remove", energy.pk), ("add", mobility.pk)]
    with translation.override("de"):
        newest = timeline(solution)[0]
    assert newest.user == editor
    assert set_changes(newest) == [("Handlungsfelder", ["Mobilität"], ["Energie"])]
    assert ("Titel", "Neuer Titel") in [(c.label, c.new) for c in newest.changes if not c.is_set]


@steps
def test_a_many_to_many_change_alone_is_its_own_entry(editor, vendor):
    standard = StandardFactory(name="OParl")
    solution = SolutionFactory(vendor=vendor)
    with decision(by=editor, action=""):
        solution.standards.add(standard)
    with translation.override("de"):
        newest = timeline(solution)[0]
    assert (newest.label, newest.user) == ("Geändert", editor)
    assert set_changes(newest) == [("Standards", ["OParl"], [])]


@steps
def test_partner_municipalities_of_pilot_projects_are_recorded():
    town = MunicipalityFactory(name="Musterhausen")
    pilot = PilotProjectFactory()
    with pghistory.context():
        pilot.partners.add(town)
    with pghistory.context():
        pilot.partners.remove(town)
    with translation.override("de"):
        entries = timeline(pilot)
    assert [set_changes(entry) for entry in entries[:2]] == [
        [("Partnerkommunen", [], ["Musterhausen"])],
        [("Partnerkommunen", ["Musterhausen"], [])],
    ]


@steps
def test_changes_since_the_last_decision_include_fields_of_action(editor, vendor):
    energy = CategoryFactory(name_de="Energie", name_en="Energy")
    mobility = CategoryFactory(name_de="Mobilität", name_en="Mobility")
    solution = SolutionFactory(
        vendor=vendor, status=S.SUBMITTED, published_at=None, categories=[energy], contact_email="a@b.de"
    )
    services.request_changes(solution, by=editor, reason="Bitte das Handlungsfeld prüfen.")
    with transaction.atomic():
        solution.categories.set([mobility])
    with translation.override("de"):
        last, changes = changes_since_last_decision(solution)
    assert last.reason == "Bitte das Handlungsfeld prüfen."
    assert [(c.label, c.old, c.new) for c in changes] == [("Handlungsfelder", "Energie", "Mobilität")]


@steps
def test_history_page_shows_the_change_of_the_fields_of_action(client, editor, vendor):
    energy = CategoryFactory(name_de="Energie", name_en="Energy")
    mobility = CategoryFactory(name_de="Mobilität", name_en="Mobility")
    solution = SolutionFactory(vendor=vendor, categories=[energy])
    with decision(by=editor, action=""):
        solution.categories.set([mobility])
    client.force_login(editor)
    page = client.get(reverse("admin:solutions_solution_history", args=[solution.pk]))
    assert "Handlungsfelder: +Mobilität, −Energie" in page.content.decode()
