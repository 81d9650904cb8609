"""The content version PostgreSQL keeps (marketplace/migrations/0005_content_version.py): it changes in the
same transaction as every change public pages show, once per statement, and never for a vendor's drafts,
proposed revisions or proposed references, or an organisation's pending changes."""

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.catalog.version import content_changes, content_version
from marketplace.choices import EditorialStatus
from marketplace.editorial import services as editorial
from solutions import services
from solutions.models import Solution, Vendor, VendorMembership
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotLinkFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)
from tests.solutions.portal.conftest import form_data, make_verified

S = EditorialStatus
CONTENT_APPS = ("solutions", "pilots", "municipalities", "agreements")
# Tables of the content apps that no public page reads. A new table must be added here or get the
# version's triggers in a migration: this list is the decision, made once per table, never a cache's input.
NOT_PUBLIC = {
    "solutions_emailverification",
    "solutions_joinrequest",
    "solutions_vendormembership",
    "solutions_solutionrevision",
    "solutions_solutiondocument",
    "pilots_referenceproposal",
    "pilots_referencecontactmessage",  # questions forwarded to reference municipalities (editors' admin only)
    "agreements_agreementproposal",  # vendors' proposals, until an editor accepts them
    "agreements_calloffrequest",  # call-off requests sent to vendors (editors' admin only)
}

# Tables outside the content apps that change what public pages show: the search's synonyms.
PUBLIC_ELSEWHERE = {"marketplace_searchsynonym"}


def _watched_tables() -> dict[str, set[str]]:
    """Each table with the version's triggers, and the events they fire on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'marketplace_content_changed'"
        )
        watched: dict[str, set[str]] = {}
        for table, trigger in cursor.fetchall():
            watched.setdefault(table, set()).add(trigger.rsplit("_", 1)[1])
    return watched


@pytest.mark.django_db
def test_every_table_public_pages_read_has_the_triggers_for_every_write():
    tables = {
        model._meta.db_table
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        # pghistory's event tables: the editors' history, written by their own triggers
        if not model._meta.db_table.endswith("event")
    }
    watched = _watched_tables()
    assert tables >= NOT_PUBLIC
    assert set(watched) == (tables - NOT_PUBLIC) | PUBLIC_ELSEWHERE
    assert all(events == {"insert", "update", "delete", "truncate"} for events in watched.values())


def _draft():
    return SolutionFactory(status=S.DRAFT, published_at=None)


def _draft_pilot():
    return PilotProjectFactory(status=S.DRAFT, published_at=None)


def _pending_changes(vendor):
    """What the portal does with a verified organisation's edits: they wait for an editor."""
    vendor.pending_changes, vendor.pending_changes_at = {"name": "Neu GmbH"}, timezone.now()
    vendor.save(update_fields=["pending_changes", "pending_changes_at", "updated_at"])


# what the test makes first -> the write itself -> whether public pages show it (the version changes)
WRITES = {
    "new field of action": (lambda: None, lambda _: CategoryFactory(slug="neu"), True),
    "renamed standard": (StandardFactory, lambda standard: type(standard).objects.update(name="X"), True),
    "municipality's population": (
        MunicipalityFactory,
        lambda town: type(town).objects.filter(pk=town.pk).update(population=99_000),
        True,
    ),
    "new reference": (
        lambda: (SolutionFactory(), MunicipalityFactory()),
        lambda rows: ReferenceFactory(solution=rows[0], municipality=rows[1]),
        True,
    ),
    "published solution changed": (SolutionFactory, lambda s: s.save(update_fields=["title"]), True),
    "published solution archived": (
        SolutionFactory,
        lambda s: Solution.objects.filter(pk=s.pk).update(status=S.ARCHIVED),
        True,
    ),
    "draft published": (_draft, lambda s: Solution.objects.filter(pk=s.pk).update(status=S.PUBLISHED), True),
    "field of action added to a published solution": (
        lambda: (SolutionFactory(), CategoryFactory(slug="neu")),
        lambda rows: rows[0].categories.add(rows[1]),
        True,
    ),
    "published solution deleted": (SolutionFactory, lambda s: s.delete(), True),
    "organisation verified": (
        lambda: VendorFactory(is_verified=False),
        lambda v: Vendor.objects.filter(pk=v.pk).update(is_verified=True),
        True,
    ),
    "verified organisation renamed": (
        VendorFactory,
        lambda v: Vendor.objects.filter(pk=v.pk).update(name="X"),
        True,
    ),
    "published pilot changed": (PilotProjectFactory, lambda p: type(p).objects.update(title="X"), True),
    "partner added to a published pilot": (
        lambda: (PilotProjectFactory(), MunicipalityFactory()),
        lambda rows: rows[0].partners.add(rows[1]),
        True,
    ),
    "link of a published pilot": (PilotProjectFactory, lambda p: PilotLinkFactory(pilot=p), True),
    # and what no public page shows
    "draft changed": (_draft, lambda s: s.save(update_fields=["title", "summary"]), False),
    "draft submitted": (_draft, lambda s: Solution.objects.filter(pk=s.pk).update(status=S.SUBMITTED), False),
    "field of action added to a draft": (
        lambda: (_draft(), CategoryFactory(slug="neu")),
        lambda rows: rows[0].categories.add(rows[1]),
        False,
    ),
    "draft deleted": (_draft, lambda s: s.delete(), False),
    "unverified organisation renamed": (
        lambda: VendorFactory(is_verified=False),
        lambda v: Vendor.objects.filter(pk=v.pk).update(name="X"),
        False,
    ),
    "verified organisation's pending changes": (VendorFactory, _pending_changes, False),
    "revision proposed": (
        lambda: (SolutionFactory(), UserFactory()),
        lambda rows: services.propose_revision(rows[0], by=rows[1], data={"title": "Neu"}),
        False,
    ),
    "reference proposed": (
        lambda: (SolutionFactory(), MunicipalityFactory()),
        lambda rows: apps.get_model("pilots", "ReferenceProposal").objects.create(
            solution=rows[0], municipality=rows[1]
        ),
        False,
    ),
    "membership": (
        lambda: (VendorFactory(), UserFactory()),
        lambda rows: VendorMembershipFactory(vendor=rows[0], user=rows[1]),
        False,
    ),
    "partner added to a draft pilot": (
        lambda: (_draft_pilot(), MunicipalityFactory()),
        lambda rows: rows[0].partners.add(rows[1]),
        False,
    ),
    "nothing matched": (lambda: None, lambda _: Solution.objects.filter(pk=-1).update(title="X"), False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_the_version_changes_with_what_public_pages_show(write):
    make, change, public = WRITES[write]
    rows = make()
    before_version, before = content_version(), content_changes()
    change(rows)
    assert (content_changes() > before, content_version() != before_version) == (public, public)


@pytest.mark.django_db
def test_a_bulk_update_of_published_rows_changes_it_once():
    SolutionFactory.create_batch(30)
    before_version, before = content_version(), content_changes()
    assert Solution.objects.published().update(maturity="production") == 30
    assert content_changes() == before + 1
    assert content_version() != before_version


@pytest.mark.django_db
def test_a_version_made_in_a_rolled_back_transaction_never_comes_back():
    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        CategoryFactory(slug="verworfen")
        inside = content_version()
        raise RuntimeError("roll back")
    assert inside != before
    assert content_version() == before
    CategoryFactory(slug="behalten")
    assert content_version() not in {before, inside}


@pytest.mark.django_db
def test_a_vendor_saving_a_draft_or_proposing_a_revision_leaves_the_version_alone(client):
    owner = make_verified(UserFactory(username="owner@example.org", email="owner@example.org"))
    vendor = VendorFactory(name="Eigene GmbH")
    VendorMembershipFactory(vendor=vendor, user=owner, role=VendorMembership.Role.ADMIN)
    old, new = CategoryFactory(slug="verwaltung"), CategoryFactory(slug="mobilitaet")
    draft = SolutionFactory(
        vendor=vendor, status=S.DRAFT, published_at=None, contact_email="a@example.org", categories=[old]
    )
    published = SolutionFactory(
        vendor=vendor, title="Parkraum live", contact_email="a@example.org", categories=[old]
    )
    client.force_login(owner)
    before_version, before = content_version(), content_changes()

    saved = client.post(
        reverse("vendor:solution_edit", kwargs={"pk": draft.pk}),
        form_data(draft, summary="Neu.", categories=[str(new.pk)]),
    )
    proposed = client.post(
        reverse("vendor:solution_edit", kwargs={"pk": published.pk}),
        form_data(published, title="Parkraum live 2.0", categories=[str(new.pk)]),
    )

    assert (saved.status_code, proposed.status_code) == (302, 302)
    draft.refresh_from_db()
    assert (draft.summary, list(draft.categories.all())) == ("Neu.", [new])
    assert published.revisions.get().data["title"] == "Parkraum live 2.0"
    assert (content_version(), content_changes()) == (before_version, before)


@pytest.mark.django_db(transaction=True)
def test_a_published_listing_shows_in_catalog_counts_and_search_on_the_next_request(client):
    """Committed by the editor's service, seen by the very next request: no statistics to wait for."""
    editor = UserFactory(username="editor", is_staff=True, is_superuser=True)
    water = CategoryFactory(slug="wasser", name_de="Wasser", name_en="Water")
    SolutionFactory(title="Pegelmessung Eins", categories=[water])
    submitted = SolutionFactory(
        title="Pegelmessung Zwei", categories=[water], status=S.SUBMITTED, published_at=None
    )

    def catalog():
        response = client.get("/loesungen/", {"category": "wasser"})
        option = next(f for f in response.context["facets"] if f.name == "category").options[0]
        return [s.title for s in response.context["solutions"]], (option.value, option.count)

    def search():
        response = client.get("/loesungen/", {"q": "Pegelmessung"})
        return sorted(s.title for s in response.context["solutions"]), response.context["total"]

    # Every cache filled for the version before the decision.
    assert catalog() == (["Pegelmessung Eins"], ("wasser", 1))
    assert search() == (["Pegelmessung Eins"], 1)
    assert client.get("/").context["figures"]["solutions"] == 1

    editorial.publish(submitted, by=editor)

    assert catalog() == (["Pegelmessung Zwei", "Pegelmessung Eins"], ("wasser", 2))
    assert search() == (["Pegelmessung Eins", "Pegelmessung Zwei"], 2)
    assert client.get("/").context["figures"]["solutions"] == 2
    assert "Pegelmessung Zwei" in client.get(submitted.get_absolute_url()).content.decode()
