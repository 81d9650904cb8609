import csv
from io import StringIO

import pytest
from django.core.management import call_command

from marketplace.demo.names import DISTRICTS_CSV
from municipalities.models import Municipality, SizeClass, ags_validator
from pilots.models import PilotProject, Reference
from solutions.models import Solution, Vendor
from tests.factories import SolutionFactory

pytestmark = pytest.mark.django_db


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--solutions", "40", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything seed_demo decides, keyed by natural keys (no ids, no automatic timestamps)."""
    return {
        "municipalities": sorted(
            Municipality.objects.values_list(
                "ags",
                "name",
                "slug",
                "kind",
                "population",
                "is_model_project",
                "model_project_round",
                "is_demo",
            )
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
                p.lead_municipality.ags,
                p.funding,
                p.model_project_round,
                p.start_date,
                p.end_date,
                p.budget_eur,
                tuple(sorted(m.ags for m in p.partners.all())),
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
                "municipality__ags",
                "pilot__slug",
                "since_year",
                "statement",
                "is_verified",
                "verified_at",
            ),
            key=repr,
        ),
    }


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
    assert Solution.objects.published().count() == 40
    assert Vendor.objects.count() == 10
    assert PilotProject.objects.count() == 11
    assert out.startswith("Demo data: 40 published solutions (43 in all), 10 vendors, 11 pilot projects, ")


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
    # The official districts do not depend on the seed.
    assert second["municipalities"] == first["municipalities"]


def test_seed_demo_if_empty_skips_when_a_solution_exists():
    existing = SolutionFactory(title="Eigene Lösung")

    out = seed_demo("--if-empty")

    assert out == "Solutions exist already; demo data left unchanged.\n"
    assert list(Solution.objects.values_list("title", flat=True)) == [existing.title]
    assert not Municipality.objects.filter(is_demo=False).exists()


def test_seed_demo_if_empty_seeds_an_empty_database():
    seed_demo("--if-empty")

    assert Solution.objects.published().filter(is_demo=True).count() == 40


def test_seed_demo_marks_generated_rows_as_demo_and_official_rows_as_real():
    seed_demo()

    assert not Solution.objects.filter(is_demo=False).exists()
    assert not PilotProject.objects.filter(is_demo=False).exists()
    assert not Vendor.objects.filter(is_demo=False).exists()
    assert not Reference.objects.filter(is_demo=False).exists()
    real = Municipality.objects.filter(is_demo=False)
    assert {m.kind for m in real} == {Municipality.Kind.KREISFREIE_STADT, Municipality.Kind.LANDKREIS}
    # Invented contacts are never attached to real municipalities.
    assert not real.exclude(contact_name="", contact_email="", contact_phone="", description="").exists()
    assert not Reference.objects.filter(municipality__is_demo=False).exclude(contact_name="").exists()
    assert all(ags.endswith("000") for ags in real.values_list("ags", flat=True))
    samples = Municipality.objects.filter(is_demo=True)
    assert samples.count() == 60
    assert all(int(ags[5:]) >= 900 for ags in samples.values_list("ags", flat=True))


def test_seed_demo_loads_every_district_with_a_valid_ags():
    seed_demo()

    with DISTRICTS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    real = Municipality.objects.filter(is_demo=False)
    assert real.count() == len(rows) == 401
    assert set(real.values_list("ags", flat=True)) == {f"{row['AGS']}000" for row in rows}
    for ags in Municipality.objects.values_list("ags", flat=True):
        ags_validator(ags)  # raises ValidationError for an invalid key
    kiel = Municipality.objects.get(ags="01002000")
    assert (kiel.name, kiel.kind, kiel.population) == ("Kiel", Municipality.Kind.KREISFREIE_STADT, 247548)
    assert Municipality.objects.get(ags="03151000").name == "Landkreis Gifhorn"
    assert len(set(Municipality.objects.values_list("name", flat=True))) == Municipality.objects.count()


def test_seed_demo_covers_every_size_class():
    seed_demo()

    # Size classes describe towns: Landkreise and Ämter have none (NULL), the towns cover every class.
    towns = Municipality.objects.exclude(size_class=None)
    assert set(towns.values_list("size_class", flat=True)) == set(SizeClass.values)
    assert set(towns.values_list("kind", flat=True)) == {"gemeinde", "stadt", "kreisfreie_stadt"}


def test_seed_demo_marks_modellprojekte_and_their_pilots_consistently():
    seed_demo()

    assert Municipality.objects.get(ags="08421000").model_project_round == 2019  # Ulm
    assert Municipality.objects.get(ags="11000000").model_project_round == 2020  # Berlin
    assert Municipality.objects.get(ags="14612000").model_project_round == 2021  # Dresden
    assert not Municipality.objects.filter(is_model_project=False, model_project_round__isnull=False).exists()
    for pilot in PilotProject.objects.filter(funding=PilotProject.Funding.MODEL_PROJECT).select_related(
        "lead_municipality"
    ):
        assert pilot.model_project_round == pilot.lead_municipality.model_project_round


def test_seed_demo_open_source_solutions_name_licence_and_source():
    seed_demo()

    open_source = Solution.objects.filter(licence_type=Solution.LicenceType.OPEN_SOURCE)
    assert open_source.exists()
    assert not open_source.filter(spdx_id="").exists()
    assert not open_source.filter(source_url="").exists()
    assert not Solution.objects.published().filter(published_at__isnull=True).exists()
    assert Solution.objects.exclude(status="published").exists()
