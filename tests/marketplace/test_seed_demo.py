"""seed_demo: deterministic demo content on the real register of municipalities."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.catalog.version import content_changes
from marketplace.demo import register
from marketplace.demo.generator import MAX_VENDORS, Generator
from marketplace.demo.names import TakenSlugs, unique_slug
from municipalities.importer import load_default_register
from municipalities.models import Level, Municipality, RegisterSource, SizeClass
from pilots.models import PilotProject, Reference
from solutions.models import Solution, Vendor
from tests.factories import SolutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_register")]

REGISTER_FIELDS = ("ars", "ags", "level", "kind", "official_name", "name", "slug", "population", "parent_id")


@pytest.fixture(scope="module")
def default_register(django_db_setup, django_db_blocker):
    """The default register (13,004 rows), loaded once for this module instead of by every seed_demo (3-4 s
    a time), and removed afterwards. seed_demo's own loading of an empty register is tested in
    tests/municipalities/test_default_register.py."""
    with django_db_blocker.unblock():
        load_default_register()
    yield
    with django_db_blocker.unblock():
        Municipality.objects.all().delete()
        Municipality.pgh_event_model.objects.all().delete()
        RegisterSource.objects.all().delete()


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--solutions", "40", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything seed_demo decides, keyed by natural keys (no ids, no automatic timestamps)."""
    return {
        "model_projects": sorted(
            Municipality.objects.filter(is_model_project=True).values_list("ars", "model_project_round")
        ),
        "vendors": sorted(
            Vendor.objects.values_list("slug", "name", "kind", "is_verified", "verified_at", "city")
        ),
        "solutions": sorted(
            (
                s.slug,
                s.title,
                s.summary,
                s.description,
                s.vendor.slug,
                s.status,
                s.published_at,
                tuple(s.size_classes),
                tuple(s.hosting_options),
                s.licence_type,
                s.spdx_id,
                s.price_model,
                s.cost_yearly_eur,
                s.featured,
                tuple(sorted(c.slug for c in s.categories.all())),
                tuple(sorted(st.slug for st in s.standards.all())),
            )
            for s in Solution.objects.select_related("vendor").prefetch_related("categories", "standards")
        ),
        "pilots": sorted(
            (
                p.slug,
                p.title,
                p.lead_municipality.ars,
                p.funding,
                p.model_project_round,
                p.start_date,
                p.end_date,
                p.budget_eur,
                tuple(sorted(m.ars for m in p.partners.all())),
                tuple(sorted(c.slug for c in p.categories.all())),
                tuple((link.label, link.url) for link in p.links.all()),
            )
            for p in PilotProject.objects.select_related("lead_municipality").prefetch_related(
                "partners", "categories", "links"
            )
        ),
        "references": sorted(
            Reference.objects.values_list(
                "solution__slug",
                "municipality__ars",
                "pilot__slug",
                "since_year",
                "statement",
                "is_verified",
                "verified_at",
            ),
            key=repr,
        ),
    }


def used_municipalities() -> set[int]:
    """Every municipality that carries demo content: references, pilots led, pilot partners."""
    return (
        set(Reference.objects.values_list("municipality", flat=True))
        | set(PilotProject.objects.values_list("lead_municipality", flat=True))
        | set(PilotProject.partners.through.objects.values_list("municipality", flat=True))
    )


def test_seed_demo_same_seed_gives_identical_rows_and_keeps_ids():
    seed_demo("--seed", "7")
    first = snapshot()
    solution_ids = set(Solution.objects.values_list("pk", flat=True))

    seed_demo("--seed", "7")

    assert snapshot() == first
    assert set(Solution.objects.values_list("pk", flat=True)) == solution_ids


def test_seed_demo_twice_does_not_duplicate_rows():
    out = seed_demo()
    counts = [model.objects.count() for model in (Municipality, Vendor, Solution, PilotProject, Reference)]

    seed_demo()

    assert [
        model.objects.count() for model in (Municipality, Vendor, Solution, PilotProject, Reference)
    ] == counts
    assert Municipality.objects.count() == 13_004  # the register, nothing added
    assert Solution.objects.published().count() == 40
    assert Vendor.objects.count() == 10
    assert PilotProject.objects.count() == 11
    assert out.startswith("Demo data: 40 published solutions (43 in all), 10 vendors, 11 pilot projects, ")
    assert "13,004 rows in the register of municipalities (sample content at 402 districts " in out


def test_seed_demo_other_seed_replaces_content():
    seed_demo("--seed", "1")
    first = snapshot()

    seed_demo("--seed", "2")
    second = snapshot()

    assert second["solutions"] != first["solutions"]
    assert second["references"] != first["references"]
    # The rows of seed 1 are gone, not added to.
    assert Solution.objects.published().count() == 40
    assert not {s[0] for s in first["solutions"]} - {s[0] for s in second["solutions"]} & set(
        Solution.objects.values_list("slug", flat=True)
    )
    # The Modellprojekt marks do not depend on the seed.
    assert second["model_projects"] == first["model_projects"]


def test_seed_demo_if_empty_skips_when_a_solution_exists():
    existing = SolutionFactory(title="Eigene Lösung")

    out = seed_demo("--if-empty")

    assert out == "Solutions exist already; demo data left unchanged.\n"
    assert list(Solution.objects.values_list("title", flat=True)) == [existing.title]
    assert not Reference.objects.exists()
    assert not Municipality.objects.filter(is_model_project=True).exists()


def test_seed_demo_if_empty_seeds_an_empty_database():
    seed_demo("--if-empty")

    assert Solution.objects.published().filter(is_demo=True).count() == 40


def test_seed_demo_marks_generated_rows_as_demo_and_uses_real_municipalities():
    seed_demo()

    assert not Solution.objects.filter(is_demo=False).exists()
    assert not PilotProject.objects.filter(is_demo=False).exists()
    assert not Vendor.objects.filter(is_demo=False).exists()
    assert not Reference.objects.filter(is_demo=False).exists()
    # Every municipality is a real row of the register; no invented town, no invented contact.
    assert not Municipality.objects.filter(is_demo=True).exists()
    assert not Municipality.objects.filter(ars__isnull=True).exists()
    assert not Municipality.objects.exclude(
        contact_name="", contact_email="", contact_phone="", description=""
    ).exists()
    assert not Reference.objects.exclude(contact_name="").exists()
    assert not PilotProject.objects.exclude(contact_name="").exists()


def test_seed_demo_puts_content_on_the_kreise_the_cities_and_the_chosen_places():
    seed_demo()

    districts, places = register.districts(), register.sample_places()
    assert used_municipalities() <= {m.pk for m in districts + places}
    assert len(districts) == 402
    assert {(m.level, m.kind) for m in districts} == {
        (Level.KREIS, Municipality.Kind.LANDKREIS),
        (Level.KREIS, Municipality.Kind.KREIS),
        (Level.KREIS, Municipality.Kind.REGIONALVERBAND),
        # a kreisfreie Stadt as its Gemeinde row, the town with a size class and a profile
        (Level.GEMEINDE, Municipality.Kind.KREISFREIE_STADT),
    }
    cities = [m for m in districts if m.level == Level.GEMEINDE]
    assert {m.size_class for m in cities} == {SizeClass.MEDIUM, SizeClass.LARGE}
    assert [m.level for m in places].count(Level.GEMEINDE) == register.SAMPLE_GEMEINDEN
    assert [m.level for m in places].count(Level.VERBAND) == register.SAMPLE_VERBAENDE


def test_sample_places_are_spread_over_the_size_bands_the_register_knows():
    # The default register knows no Gemeinde's population (the band "unknown"); give three of them one.
    populations = {"010540168168": 13_679, "010545439046": 872, "064350010010": 23_456}
    for ars, population in populations.items():
        Municipality.objects.filter(ars=ars).update(population=population)

    places = register.sample_places()

    # each of the three small bands gets its one Gemeinde; the unknown band the rest
    assert {m.ars for m in places} >= set(populations)
    assert [m.size_class for m in places if m.level == Level.GEMEINDE].count(None) == 47
    assert [m.pk for m in register.sample_places()] == [m.pk for m in places]


def test_seed_demo_never_writes_register_fields():
    before = sorted(Municipality.objects.values_list(*REGISTER_FIELDS))

    seed_demo()
    seed_demo("--seed", "2")

    assert sorted(Municipality.objects.values_list(*REGISTER_FIELDS)) == before


def test_seed_demo_marks_modellprojekte_and_their_pilots_consistently():
    seed_demo()

    assert Municipality.objects.get(ags="08421000").model_project_round == 2019  # Ulm, a Stadtkreis
    assert Municipality.objects.get(ags="11000000").model_project_round == 2020  # Berlin
    assert Municipality.objects.get(ags="14612000").model_project_round == 2021  # Dresden
    assert Municipality.objects.get(ars="03252").model_project_round == 2021  # Landkreis Hameln-Pyrmont
    assert not Municipality.objects.filter(is_model_project=False, model_project_round__isnull=False).exists()
    for pilot in PilotProject.objects.filter(funding=PilotProject.Funding.MODEL_PROJECT).select_related(
        "lead_municipality"
    ):
        assert pilot.model_project_round == pilot.lead_municipality.model_project_round


def test_seed_demo_leaves_imported_modellprojekte_alone():
    Municipality.objects.filter(ars="010545439046").update(is_model_project=True, model_project_round=2020)

    seed_demo()

    marked = Municipality.objects.filter(is_model_project=True)
    assert list(marked.values_list("ars", "model_project_round")) == [("010545439046", 2020)]


def test_seed_demo_removes_invented_towns_of_earlier_versions():
    invented = Municipality.objects.create(
        name="Beispielstadt am See", slug="beispielstadt-am-see", ags="01054900", kind="stadt", is_demo=True
    )
    referenced = Municipality.objects.create(
        name="Musterdorf", slug="musterdorf", ags="01054901", kind="gemeinde", is_demo=True
    )
    Reference.objects.create(solution=SolutionFactory(), municipality=referenced, statement="Redaktion.")

    seed_demo()

    assert not Municipality.objects.filter(pk=invented.pk).exists()
    assert Municipality.objects.filter(pk=referenced.pk).exists()


def test_seed_demo_open_source_solutions_name_licence_and_source():
    seed_demo()

    open_source = Solution.objects.filter(licence_type=Solution.LicenceType.OPEN_SOURCE)
    assert open_source.exists()
    assert not open_source.filter(spdx_id="").exists()
    assert not open_source.filter(source_url="").exists()
    assert not Solution.objects.published().filter(published_at__isnull=True).exists()
    assert Solution.objects.exclude(status="published").exists()


def test_taken_slugs_give_the_same_slugs_as_a_plain_set_without_counting_up_each_time():
    bases = ["parkraum", "parkraum-2", "parkraum", "ampel", "parkraum", "parkraum-2", "ampel"] * 50
    plain: set[str] = set()
    kept = TakenSlugs()
    expected = [unique_slug(base, plain) for base in bases]
    assert [unique_slug(base, kept) for base in bases] == expected
    assert len(set(expected)) == len(expected)
    assert expected[:7] == [
        "parkraum",
        "parkraum-2",
        "parkraum-3",
        "ampel",
        "parkraum-4",
        "parkraum-2-2",
        "ampel-2",
    ]
    # 100,000 repeats of one title: each slug is found at once, not after trying every number before it.
    many = TakenSlugs()
    slugs = [unique_slug("ampel", many) for _ in range(100_000)]
    assert slugs[-1] == "ampel-100000" and many.next_number["ampel"] == 100_001


def test_a_large_seed_asks_for_no_more_vendors_than_the_generator_has_names():
    assert Generator(solutions=10_000, seed=1).n_vendors == 2_000
    big = Generator(solutions=100_000, seed=1)
    assert big.n_vendors == MAX_VENDORS
    vendors = big.vendors(["Rheine"])
    assert len(vendors) == MAX_VENDORS and len({vendor.slug for vendor in vendors}) == MAX_VENDORS


def test_seed_demo_without_triggers_writes_the_same_rows_without_history_and_moves_the_version_once():
    before = content_changes()
    seed_demo("--without-triggers")
    rows = snapshot()
    assert content_changes() == before + 1  # one new version for the whole load, not one per statement
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM solutions_solutionevent")
        assert cursor.fetchone()[0] == 0  # no history rows for generated content
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"  # the triggers are back for everything after the load
    Solution.objects.all().delete()
    seed_demo()
    assert snapshot() == rows
