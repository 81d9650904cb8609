"""Deterministic demo data: real districts plus invented towns, vendors, solutions, pilots and references.

``seed(solutions=N, seed=S)`` builds every row in memory from ``random.Random(S)`` and writes it with bulk
upserts keyed by natural keys (AGS, slugs, solution + municipality), so running it twice leaves the same rows.
Demo rows that the current run did not produce (e.g. from another seed or size) are deleted; many-to-many rows
of demo objects are replaced. Nothing reads the wall clock for content: dates derive from ``BASE_DATE``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from marketplace.choices import EditorialStatus
from marketplace.demo import content
from municipalities.models import Municipality
from pilots.models import PilotLink, PilotProject, Reference
from solutions.models import Category, Solution, Standard, Vendor

DISTRICTS_CSV = Path(__file__).resolve().parent / "data" / "districts.csv"
BASE_DATE = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
BATCH = 2000

# Share of generated solutions outside "published", on top of the N published ones.
OTHER_STATUSES = [
    (EditorialStatus.DRAFT, 3),
    (EditorialStatus.SUBMITTED, 3),
    (EditorialStatus.CHANGES_REQUESTED, 2),
    (EditorialStatus.REJECTED, 1),
    (EditorialStatus.ARCHIVED, 1),
]
CITY_KINDS = {"Kreisfreie Stadt", "Stadtkreis"}
DISTRICT_KINDS = {"Landkreis", "Kreis", "Regionalverband"}


@dataclass
class Summary:
    municipalities: int
    districts: int
    sample_towns: int
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
            f"{self.municipalities:,} municipalities ({self.districts} official districts and cities, "
            f"{self.sample_towns} sample towns), {self.categories} fields of action, "
            f"{self.standards} standards."
        )


def slug_de(text: str) -> str:
    """A readable ASCII slug for German text (ä -> ae, ß -> ss)."""
    for src, dst in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        text = text.replace(src, dst)
    return slugify(text)


def unique_slug(base: str, taken: set[str], max_length: int = 200) -> str:
    base = base[:max_length].strip("-")
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def clean_district_name(name: str, kind: str) -> str:
    """'Kiel, Landeshauptstadt' -> 'Kiel'; 'Gifhorn' (Landkreis) -> 'Landkreis Gifhorn'."""
    name = name.split(",")[0].strip()
    name = re.sub(r"\bi\.(?=\S)", "i. ", name)  # "Wunsiedel i.Fichtelgebirge"
    if kind in DISTRICT_KINDS and not re.search(r"kreis|region|verband", name, re.IGNORECASE):
        name = f"{kind} {name}"
    return name


def read_districts() -> list[dict]:
    with DISTRICTS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    rounds = {key: year for year, keys in content.MODEL_PROJECT_DISTRICTS.items() for key in keys}
    districts = []
    for row in rows:
        kind = row["type"]
        if kind in CITY_KINDS:
            model_kind = Municipality.Kind.KREISFREIE_STADT
        elif kind in DISTRICT_KINDS:
            model_kind = Municipality.Kind.LANDKREIS
        else:
            raise ValueError(f"Unknown district type {kind!r} in {DISTRICTS_CSV.name}")
        districts.append(
            {
                "key": row["AGS"],
                "ags": f"{row['AGS']}000",
                "name": clean_district_name(row["name"], kind),
                "kind": model_kind,
                "population": int(row["population"]),
                "round": rounds.get(row["AGS"]),
            }
        )
    return districts


class Generator:
    """Builds unsaved model instances; only ``random.Random(seed)`` decides."""

    def __init__(self, *, solutions: int, seed: int):
        self.n_published = solutions
        self.rng = random.Random(seed)
        self.n_other = max(1, round(solutions * 0.08))
        self.n_vendors = max(10, round(solutions / 5))
        self.n_pilots = max(8, round(solutions * 80 / 300))

    # -- helpers -----------------------------------------------------------------------------------------
    def date(self, max_days: int, min_days: int = 0) -> dt.datetime:
        return BASE_DATE - dt.timedelta(
            days=self.rng.randint(min_days, max_days), minutes=self.rng.randint(0, 600)
        )

    def person(self) -> str:
        return f"{self.rng.choice(content.FIRST_NAMES)} {self.rng.choice(content.LAST_NAMES)}"

    def phone(self) -> str:
        # 0123 is not an assigned German area code, so no real line is reached.
        return f"+49 123 {self.rng.randint(100000, 999999)}"

    # -- municipalities ----------------------------------------------------------------------------------
    def districts(self, rows: list[dict]) -> list[Municipality]:
        taken: set[str] = set()
        result = []
        for row in rows:
            result.append(
                Municipality(
                    name=row["name"],
                    slug=unique_slug(slug_de(row["name"]), taken),
                    ags=row["ags"],
                    kind=row["kind"],
                    population=row["population"],
                    is_model_project=row["round"] is not None,
                    model_project_round=row["round"],
                    is_demo=False,
                )
            )
        self.district_slugs = taken
        return result

    def sample_towns(self, rows: list[dict]) -> list[Municipality]:
        # Fixed, seed-independent: the towns are scenery, not content that should change with the seed.
        rng = random.Random(20181231)
        names = [
            (f"{stem}{ending}", kind)
            for ending, kind in content.SAMPLE_TOWN_ENDINGS
            for stem in content.SAMPLE_TOWN_STEMS
        ]
        names += [(name, "verband") for name in content.SAMPLE_ASSOCIATIONS]
        # Population bands so every size class below "Großstadt" is well represented.
        bands = [(1_500, 4_999), (5_000, 19_999), (20_000, 60_000)]
        per_district: dict[str, int] = {}
        # Towns and Ämter lie within a Landkreis, never within a district-free city.
        rural = [row for row in rows if row["kind"] == Municipality.Kind.LANDKREIS]
        towns = []
        for index, (name, kind_key) in enumerate(names):
            district = rng.choice(rural)
            number = 900 + per_district.get(district["key"], 0)
            per_district[district["key"]] = per_district.get(district["key"], 0) + 1
            low, high = bands[index % 3]
            kind = {
                "stadt": Municipality.Kind.STADT,
                "gemeinde": Municipality.Kind.GEMEINDE,
                "verband": Municipality.Kind.VERBAND,
            }[kind_key]
            slug = unique_slug(slug_de(name), self.district_slugs)
            towns.append(
                Municipality(
                    name=name,
                    slug=slug,
                    ags=f"{district['key']}{number:03d}",
                    kind=kind,
                    population=rng.randint(low, high),
                    website=f"https://www.{slug}.example/",
                    contact_name=f"{rng.choice(content.FIRST_NAMES)} {rng.choice(content.LAST_NAMES)}",
                    contact_email=f"digital@{slug}.example",
                    contact_phone=f"+49 123 {rng.randint(100000, 999999)}",
                    description=(
                        f"{name} ist eine erfundene Beispielkommune für die Demonstration des Marktplatzes. "
                        "Sie steht für die vielen kleineren Kommunen, die Lösungen ihrer Größe suchen."
                    ),
                    is_demo=True,
                )
            )
        return towns

    # -- vendors -----------------------------------------------------------------------------------------
    def vendors(self, cities: list[str]) -> list[Vendor]:
        rng, taken_names, taken_slugs = self.rng, set(), set()
        vendors = []
        while len(vendors) < self.n_vendors:
            roll = rng.random()
            region = rng.choice(content.FICTIONAL_REGIONS)
            if roll < 0.72:
                kind = Vendor.Kind.COMPANY
                name = (
                    f"{rng.choice(content.VENDOR_STEMS)}{rng.choice(content.VENDOR_SUFFIXES)}"
                    f"{rng.choice(content.VENDOR_REGIONS)} {rng.choice(content.VENDOR_FORMS)}"
                )
            elif roll < 0.84:
                kind = Vendor.Kind.MUNICIPAL_IT
                name = rng.choice(content.MUNICIPAL_IT_NAMES).format(region=region)
            elif roll < 0.92:
                kind = Vendor.Kind.RESEARCH
                name = rng.choice(content.RESEARCH_NAMES).format(region=region)
            else:
                kind = Vendor.Kind.OPEN_SOURCE
                name = rng.choice(content.COMMUNITY_NAMES).format(region=region)
            if name in taken_names:
                continue
            taken_names.add(name)
            slug = unique_slug(slug_de(name), taken_slugs)
            verified = rng.random() < 0.9
            vendors.append(
                Vendor(
                    name=name,
                    slug=slug,
                    kind=kind,
                    website=f"https://www.{slug}.example/",
                    street=f"{rng.choice(content.VENDOR_STREETS)} {rng.randint(1, 120)}",
                    postcode=f"{rng.randint(1067, 99998):05d}",
                    city=rng.choice(cities),
                    email=f"kontakt@{slug}.example",
                    phone=self.phone(),
                    description=rng.choice(content.VENDOR_DESCRIPTIONS),
                    is_verified=verified,
                    verified_at=self.date(900, 400) if verified else None,
                    is_demo=True,
                )
            )
        # The first vendor is always verified so that every published solution has a public home.
        vendors[0].is_verified, vendors[0].verified_at = True, vendors[0].verified_at or self.date(900, 400)
        return vendors

    # -- solutions ---------------------------------------------------------------------------------------
    def solutions(self, vendors: list[Vendor], standards: dict[str, Standard]):
        """Returns (solutions, {slug: category slugs}, {slug: standard slugs})."""
        rng = self.rng
        verified = [v for v in vendors if v.is_verified]
        taken: set[str] = set()
        solutions, categories, standard_map = [], {}, {}
        field_slugs = list(content.FIELDS)
        statuses = [s for s, w in OTHER_STATUSES for _ in range(w)]
        total = self.n_published + self.n_other
        featured_left = max(1, min(12, self.n_published // 20))
        for index in range(total):
            published = index < self.n_published
            field_slug = (
                field_slugs[index % len(field_slugs)] if index < len(field_slugs) else rng.choice(field_slugs)
            )
            field = content.FIELDS[field_slug]
            product, summary_tpl, features = rng.choice(field["products"])
            brand = f"{rng.choice(field['brands'])}{rng.choice(content.BRAND_SUFFIXES)}"
            title = f"{brand}{rng.choice(content.EDITIONS)} – {product}"
            slug = unique_slug(slug_de(title), taken)
            vendor = rng.choice(verified if published else vendors)
            status = EditorialStatus.PUBLISHED if published else rng.choice(statuses)

            extra = rng.sample([f for f in field_slugs if f != field_slug], k=rng.choice([0, 0, 1, 1, 2]))
            categories[slug] = [field_slug, *extra]
            standard_map[slug] = rng.sample(
                field["standards"], k=min(len(field["standards"]), rng.randint(0, 3))
            )

            low = rng.randint(0, 3)
            high = rng.randint(low, 3)
            size_values = ["landgemeinde", "kleinstadt", "mittelstadt", "grossstadt"][low : high + 1]
            open_source = rng.random() < 0.3
            price = (
                "free"
                if open_source and rng.random() < 0.4
                else rng.choice(
                    ["one_off", "subscription", "subscription", "per_inhabitant", "usage", "on_request"]
                )
            )
            intro = rng.choice([0, 2_500, 5_000, 8_000, 12_000, 18_000, 25_000, 40_000, 60_000])
            yearly = 0 if price == "free" else rng.choice([1_200, 2_400, 4_800, 7_500, 9_900, 15_000, 24_000])
            framework = rng.random() < 0.25
            accessibility = rng.choice(["full", "full", "partial", "partial", "none", "unknown"])
            maturity = rng.choice(
                ["concept", "pilot", "pilot", "production", "production", "production", "widespread"]
            )
            summary = summary_tpl.format(brand=brand)
            description = self.markdown(
                brand, product, field, features, standards, standard_map[slug], open_source
            )

            published_at = submitted_at = archived_at = None
            reason = ""
            if status != EditorialStatus.DRAFT:
                submitted_at = self.date(1400, 30)
            if status in (EditorialStatus.PUBLISHED, EditorialStatus.ARCHIVED):
                published_at = submitted_at + dt.timedelta(days=rng.randint(1, 21))
            if status == EditorialStatus.ARCHIVED:
                archived_at = published_at + dt.timedelta(days=rng.randint(60, 400))
                reason = "Die Lösung wird vom Anbieter nicht mehr angeboten."
            elif status == EditorialStatus.CHANGES_REQUESTED:
                reason = "Bitte ergänzen Sie die Angaben zu Kosten und Datenschutz."
            elif status == EditorialStatus.REJECTED:
                reason = "Der Eintrag beschreibt kein Angebot für Kommunen."
            featured = published and featured_left > 0 and rng.random() < 0.2
            featured_left -= featured
            contact = self.person()
            solutions.append(
                Solution(
                    title=title,
                    slug=slug,
                    vendor=vendor,
                    summary=summary,
                    description=description,
                    size_classes=size_values,
                    maturity=maturity,
                    licence_type="open_source" if open_source else "proprietary",
                    spdx_id=rng.choice(content.SPDX_IDS) if open_source else "",
                    source_url=f"https://code.{vendor.slug}.example/{slug}" if open_source else "",
                    hosting_options=sorted(
                        rng.sample(
                            ["on_premises", "german_dc", "eu_cloud", "other"], k=rng.choice([1, 1, 2, 3])
                        )
                    ),
                    dpa_available=rng.random() < 0.8,
                    data_location=rng.choice(["de", "de", "de", "eu", "eu", "none", "outside_eu"]),
                    accessibility=accessibility,
                    accessibility_statement_url=(
                        f"https://www.{vendor.slug}.example/barrierefreiheit"
                        if accessibility != "unknown"
                        else ""
                    ),
                    price_model=price,
                    cost_introduction_eur=intro,
                    cost_yearly_eur=yearly,
                    cost_notes=rng.choice(content.COST_NOTES),
                    framework_agreement=framework,
                    framework_agreement_name=rng.choice(content.FRAMEWORK_AGREEMENTS) if framework else "",
                    procurement_notes=rng.choice(content.PROCUREMENT_NOTES),
                    contact_name=contact,
                    contact_email=f"{slug_de(contact).replace('-', '.')}@{vendor.slug}.example",
                    contact_phone=self.phone(),
                    website=f"https://www.{vendor.slug}.example/{slug}",
                    featured=featured,
                    status=status,
                    status_reason=reason,
                    submitted_at=submitted_at,
                    published_at=published_at,
                    archived_at=archived_at,
                    is_demo=True,
                )
            )
        return solutions, categories, standard_map

    def markdown(self, brand, product, field, features, standards, standard_slugs, open_source) -> str:
        rng = self.rng
        lines = [
            "## Worum es geht",
            "",
            f"{field['problem']} {brand} setzt hier an: {product} für Kommunen jeder Größe.",
            "",
            "## Funktionen",
            "",
            *[f"- {feature}" for feature in features],
            "",
            "## Einsatz in der Kommune",
            "",
            " ".join(rng.sample(content.ADVANTAGES, k=2)),
            "",
            "## Betrieb",
            "",
            rng.choice(content.OPERATIONS),
        ]
        if standard_slugs:
            names = ", ".join(standards[s].name for s in standard_slugs)
            lines += ["", "## Standards und Schnittstellen", "", f"Unterstützt werden: {names}."]
        if open_source:
            lines += [
                "",
                "Der Quellcode ist öffentlich; Anpassungen fließen in das gemeinsame Projekt zurück.",
            ]
        return "\n".join(lines)

    # -- pilots ------------------------------------------------------------------------------------------
    def pilots(self, districts: list[Municipality], towns: list[Municipality]):
        """Returns (pilots, {slug: category slugs}, {slug: partner AGS}, {slug: [(label, url)]})."""
        rng = self.rng
        taken: set[str] = set()
        model_projects = [m for m in districts if m.is_model_project]
        everyone = districts + towns
        pilots, categories, partners, links = [], {}, {}, {}
        field_slugs = list(content.FIELDS)
        for index in range(self.n_pilots):
            field_slug = (
                field_slugs[index % len(field_slugs)] if index < len(field_slugs) else rng.choice(field_slugs)
            )
            theme = rng.choice(content.PILOT_THEMES[field_slug])
            roll = rng.random()
            if roll < 0.35:
                lead = rng.choice(model_projects)
                funding, round_ = PilotProject.Funding.MODEL_PROJECT, lead.model_project_round
            else:
                lead = rng.choice(everyone)
                funding = rng.choice(["land", "land", "eu", "own", "own", "other"])
                round_ = None
            title = f"{theme} in {lead.name}"
            slug = unique_slug(slug_de(title), taken)
            start_year = round_ + 1 if round_ else rng.randint(2017, 2025)
            start = dt.date(start_year, rng.randint(1, 12), 1)
            phase = rng.choice(["strategy", "implementation", "implementation", "continued", "completed"])
            end = None
            if phase == "completed":
                end = dt.date(min(start.year + rng.randint(1, 3), BASE_DATE.year), 12, 31)
            elif phase == "continued" or rng.random() < 0.5:
                end = dt.date(start.year + rng.randint(1, 5), rng.randint(1, 12), 28)
            status = (
                EditorialStatus.PUBLISHED
                if rng.random() < 0.92
                else rng.choice([EditorialStatus.DRAFT, EditorialStatus.SUBMITTED, EditorialStatus.ARCHIVED])
            )
            published_at = self.date(1200, 10) if status in ("published", "archived") else None
            goals = rng.choice(content.PILOT_GOALS).format(
                theme_lower=theme[0].lower() + theme[1:], lead=lead.name
            )
            contact_fields = {}
            if lead.is_demo:  # invented contacts only for invented towns
                person = self.person()
                contact_fields = {
                    "contact_name": person,
                    "contact_email": f"{slug_de(person).replace('-', '.')}@{lead.slug}.example",
                    "contact_phone": self.phone(),
                }
            pilots.append(
                PilotProject(
                    title=title,
                    slug=slug,
                    lead_municipality=lead,
                    funding=funding,
                    model_project_round=round_,
                    phase=phase,
                    start_date=start,
                    end_date=end,
                    budget_eur=rng.randint(8, 400) * 25_000,
                    summary=f"{theme}: ein Beispielprojekt, wie {lead.name} es umsetzen könnte.",
                    goals=goals,
                    results=rng.choice(content.PILOT_RESULTS) if phase != "strategy" else "",
                    lessons_learned=" ".join(rng.sample(content.PILOT_LESSONS, k=2)),
                    transferability=rng.choice(content.PILOT_TRANSFER),
                    operator_model=rng.choice(content.PILOT_OPERATOR),
                    data_used=rng.choice(content.PILOT_DATA),
                    featured=index < 4,
                    status=status,
                    submitted_at=published_at - dt.timedelta(days=7) if published_at else None,
                    published_at=published_at,
                    archived_at=published_at + dt.timedelta(days=300) if status == "archived" else None,
                    is_demo=True,
                    **contact_fields,
                )
            )
            extra = rng.sample([f for f in field_slugs if f != field_slug], k=rng.choice([0, 1, 1, 2]))
            categories[slug] = [field_slug, *extra]
            partners[slug] = [
                m.ags for m in rng.sample(everyone, k=rng.choice([0, 0, 1, 2, 3])) if m is not lead
            ]
            links[slug] = [("Projektseite (Beispiel)", f"https://www.{lead.slug}.example/projekte/{slug}")]
            if rng.random() < 0.4:
                links[slug].append(
                    ("Abschlussbericht (Beispiel)", f"https://www.{lead.slug}.example/berichte/{slug}.pdf")
                )
        return pilots, categories, partners, links

    # -- references --------------------------------------------------------------------------------------
    def references(self, solutions: list[Solution], municipalities: list[Municipality], pilots_by_lead: dict):
        rng = self.rng
        refs = []
        for solution in solutions:
            if solution.status != EditorialStatus.PUBLISHED:
                continue
            for municipality in rng.sample(municipalities, k=rng.randint(1, 6)):
                verified = rng.random() < 0.45
                led = pilots_by_lead.get(municipality.ags)
                fields = {}
                if municipality.is_demo:
                    person = self.person()
                    fields = {
                        "contact_name": person,
                        "contact_email": f"{slug_de(person).replace('-', '.')}@{municipality.slug}.example",
                    }
                refs.append(
                    {
                        "solution": solution.slug,
                        "municipality": municipality.ags,
                        "pilot": rng.choice(led) if led and rng.random() < 0.3 else None,
                        "since_year": rng.randint(2016, 2025),
                        "statement": rng.choice(content.REFERENCE_STATEMENTS),
                        "is_verified": verified,
                        "verified_at": self.date(700, 5) if verified else None,
                        **fields,
                    }
                )
        return refs


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
def seed(*, solutions: int = 300, seed: int = 1) -> Summary:
    """Create or update all demo rows for ``solutions`` published solutions from ``seed``.

    Side effects: upserts categories, standards, the official districts (``is_demo=False``; only name, kind,
    population and Modellprojekt flags are updated, so editors' additions survive), sample towns, vendors,
    solutions, pilots and references; replaces the many-to-many rows and links of demo solutions and pilots;
    deletes demo vendors, solutions, pilots and references not produced by this run.
    """
    run_started = timezone.now()
    gen = Generator(solutions=solutions, seed=seed)

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

    rows = read_districts()
    districts = gen.districts(rows)
    Municipality.objects.bulk_create(
        districts,
        update_conflicts=True,
        unique_fields=["ags"],
        update_fields=[
            "name",
            "kind",
            "population",
            "is_model_project",
            "model_project_round",
            "is_demo",
            "updated_at",
        ],
    )
    towns = gen.sample_towns(rows)
    _upsert(Municipality, towns, ["ags"])
    by_ags = {m.ags: m for m in Municipality.objects.filter(ags__in=[m.ags for m in districts + towns])}
    districts = [by_ags[m.ags] for m in districts]
    towns = [by_ags[m.ags] for m in towns]

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
            through(pilotproject_id=pilot_ids[slug], municipality_id=by_ags[ags].id)
            for slug, items in pilot_partners.items()
            for ags in items
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
            pilots_by_lead.setdefault(pilot.lead_municipality.ags, []).append(pilot.slug)
    refs = gen.references(solution_objs, districts + towns, pilots_by_lead)
    reference_objs = [
        Reference(
            solution_id=solution_ids[r.pop("solution")],
            municipality_id=by_ags[r.pop("municipality")].id,
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

    analyze()

    published = Solution.objects.published().filter(is_demo=True).count()
    return Summary(
        municipalities=Municipality.objects.count(),
        districts=len(districts),
        sample_towns=len(towns),
        categories=Category.objects.count(),
        standards=Standard.objects.count(),
        vendors=Vendor.objects.filter(is_demo=True).count(),
        solutions=Solution.objects.filter(is_demo=True).count(),
        published=published,
        pilots=PilotProject.objects.filter(is_demo=True).count(),
        references=Reference.objects.filter(is_demo=True).count(),
    )
