"""Deterministic demo data on the real register: invented vendors, solutions, pilots and references.

The municipalities are the register's real rows (``marketplace/demo/register.py``; the default register is
loaded first when the register is empty); the demo only chooses which of them carry sample pilots and
references and never writes their register fields. ``seed(solutions=N, seed=S)`` builds every other row in
memory from ``random.Random(S)`` and writes it with bulk upserts keyed by natural keys (slugs, solution +
municipality), so running it twice leaves the same rows. Demo rows that the current run did not produce (e.g.
from another seed or size) are deleted; many-to-many rows of demo objects are replaced. Nothing reads the wall
clock for content: dates derive from ``BASE_DATE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from marketplace.catalog.version import TABLE as VERSION_TABLE
from marketplace.choices import EditorialStatus
from marketplace.demo import content, register
from marketplace.demo.generator import Generator
from marketplace.demo.names import BATCH
from municipalities.models import Municipality
from pilots.models import PilotLink, PilotProject, Reference
from solutions.models import Category, Solution, Standard, Vendor


@dataclass
class Summary:
    municipalities: int
    districts: int
    sample_places: int
    categories: int
    standards: int
    vendors: int
    solutions: int
    published: int
    pilots: int
    references: int

    def line(self) -> str:
        return (
            f"Demo data: {self.published:,} published solutions ({self.solutions:,} in all), "
            f"{self.vendors:,} vendors, {self.pilots:,} pilot projects, {self.references:,} references, "
            f"{self.municipalities:,} rows in the register of municipalities (sample content at "
            f"{self.districts} districts and district-free cities and {self.sample_places} other "
            f"municipalities), {self.categories} fields of action, {self.standards} standards."
        )


def _upsert(model, objs, unique_fields, exclude=("id", "created_at")):
    """Insert or update by natural key; returns nothing (ids are looked up by key afterwards)."""
    names = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in exclude and f.name not in unique_fields and not f.generated
    ]
    model.objects.bulk_create(
        objs, batch_size=BATCH, update_conflicts=True, unique_fields=list(unique_fields), update_fields=names
    )


def analyze() -> None:
    """Refresh the planner statistics of the marketplace tables, so fresh bulk data gets real query plans."""
    tables = [
        model._meta.db_table
        for model in (Municipality, Vendor, Solution, PilotProject, PilotLink, Reference, Category, Standard)
    ]
    tables += [
        field.remote_field.through._meta.db_table
        for field in (Solution.categories.field, Solution.standards.field)
        + (PilotProject.categories.field, PilotProject.partners.field)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")  # noqa: S608 - names from our models


@transaction.atomic
def seed(*, solutions: int = 300, seed: int = 1, without_triggers: bool = False) -> Summary:
    """Create or update all demo rows for ``solutions`` published solutions from ``seed``.

    ``without_triggers`` (benchmark databases, ``manage.py bench``; needs a database superuser): the
    transaction runs with ``session_replication_role = replica``, so no trigger fires: no history rows, no
    foreign-key checks, no content version per statement (one new version at the end instead). With them
    100,000 solutions took over an hour, most of it in the history rows of 350,000 references.

    Side effects: loads the default register when the register is empty; marks the Modellprojekte among
    the Kreise and kreisfreie Städte when no municipality is marked yet (``register.mark_model_projects``);
    upserts categories, standards, vendors, solutions, pilots and references; replaces the many-to-many rows
    and links of demo solutions and pilots; deletes demo vendors, solutions, pilots and references not
    produced by this run, and the invented sample towns of earlier versions once nothing refers to them.
    Register fields of municipalities are never written.
    """
    run_started = timezone.now()
    gen = Generator(solutions=solutions, seed=seed)
    if without_triggers:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")

    Category.objects.bulk_create(
        [
            Category(slug=s, name_de=de, name_en=en, description_de=dd, description_en=de_en, position=i)
            for i, (s, de, en, dd, de_en) in enumerate(content.CATEGORIES)
        ],
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=["name_de", "name_en", "description_de", "description_en", "position"],
    )
    Standard.objects.bulk_create(
        [Standard(slug=s, name=n, url=u, description=d) for s, n, u, d in content.STANDARDS],
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=["name", "url", "description"],
    )
    categories = {c.slug: c for c in Category.objects.all()}
    standards = {s.slug: s for s in Standard.objects.all()}

    register.ensure_register()
    register.mark_model_projects()
    districts = register.districts()
    towns = register.sample_places()

    city_names = [m.name for m in districts if m.kind == Municipality.Kind.KREISFREIE_STADT]
    vendors = gen.vendors(city_names)
    _upsert(Vendor, vendors, ["slug"])
    vendor_ids = dict(Vendor.objects.filter(slug__in=[v.slug for v in vendors]).values_list("slug", "id"))
    for vendor in vendors:
        vendor.id = vendor_ids[vendor.slug]

    solution_objs, solution_categories, solution_standards = gen.solutions(vendors, standards)
    _upsert(Solution, solution_objs, ["slug"])
    solution_ids = dict(Solution.objects.filter(slug__in=list(solution_categories)).values_list("slug", "id"))

    pilot_objs, pilot_categories, pilot_partners, pilot_links = gen.pilots(districts, towns)
    _upsert(PilotProject, pilot_objs, ["slug"])
    pilot_ids = dict(PilotProject.objects.filter(slug__in=list(pilot_categories)).values_list("slug", "id"))

    # Stale demo rows from an earlier run (other seed or size) go; their M2M rows cascade.
    stale = Q(is_demo=True, updated_at__lt=run_started)
    Solution.objects.filter(stale).delete()
    PilotProject.objects.filter(stale).delete()
    Vendor.objects.filter(stale).exclude(solutions__is_demo=False).delete()

    # Many-to-many rows of demo objects are replaced wholesale.
    through = Solution.categories.through
    through.objects.filter(solution__is_demo=True).delete()
    through.objects.bulk_create(
        [
            through(solution_id=solution_ids[slug], category_id=categories[c].id)
            for slug, cats in solution_categories.items()
            for c in cats
        ],
        batch_size=BATCH * 5,
    )
    through = Solution.standards.through
    through.objects.filter(solution__is_demo=True).delete()
    through.objects.bulk_create(
        [
            through(solution_id=solution_ids[slug], standard_id=standards[s].id)
            for slug, items in solution_standards.items()
            for s in items
        ],
        batch_size=BATCH * 5,
    )
    through = PilotProject.categories.through
    through.objects.filter(pilotproject__is_demo=True).delete()
    through.objects.bulk_create(
        [
            through(pilotproject_id=pilot_ids[slug], category_id=categories[c].id)
            for slug, cats in pilot_categories.items()
            for c in cats
        ]
    )
    through = PilotProject.partners.through
    through.objects.filter(pilotproject__is_demo=True).delete()
    through.objects.bulk_create(
        [
            through(pilotproject_id=pilot_ids[slug], municipality_id=pk)
            for slug, items in pilot_partners.items()
            for pk in items
        ]
    )
    PilotLink.objects.filter(pilot__is_demo=True).delete()
    PilotLink.objects.bulk_create(
        [
            PilotLink(pilot_id=pilot_ids[slug], label=label, url=url, position=position)
            for slug, items in pilot_links.items()
            for position, (label, url) in enumerate(items)
        ]
    )

    pilots_by_lead: dict[str, list[str]] = {}
    for pilot in pilot_objs:
        if pilot.status == EditorialStatus.PUBLISHED:
            pilots_by_lead.setdefault(pilot.lead_municipality.pk, []).append(pilot.slug)
    refs = gen.references(solution_objs, districts + towns, pilots_by_lead)
    reference_objs = [
        Reference(
            solution_id=solution_ids[r.pop("solution")],
            municipality_id=r.pop("municipality"),
            pilot_id=pilot_ids[p] if (p := r.pop("pilot")) else None,
            is_demo=True,
            **r,
        )
        for r in refs
    ]
    _upsert(
        Reference, reference_objs, ["solution", "municipality"], exclude=("id", "created_at", "verified_by")
    )
    # Demo references this run did not produce (the upsert left their updated_at before the run).
    Reference.objects.filter(stale).delete()
    # The invented sample towns of earlier versions of the demo, unless something real still refers to them.
    Municipality.objects.filter(is_demo=True, references__isnull=True, led_pilots__isnull=True).delete()

    if without_triggers:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
            # What the skipped triggers would have done: public content changed.
            cursor.execute(
                f"UPDATE {VERSION_TABLE} SET version = gen_random_uuid(), changes = changes + 1"  # noqa: S608
            )
    analyze()

    published = Solution.objects.published().filter(is_demo=True).count()
    return Summary(
        municipalities=Municipality.objects.count(),
        districts=len(districts),
        sample_places=len(towns),
        categories=Category.objects.count(),
        standards=Standard.objects.count(),
        vendors=Vendor.objects.filter(is_demo=True).count(),
        solutions=Solution.objects.filter(is_demo=True).count(),
        published=published,
        pilots=PilotProject.objects.filter(is_demo=True).count(),
        references=Reference.objects.filter(is_demo=True).count(),
    )
