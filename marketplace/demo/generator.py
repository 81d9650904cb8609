"""The demo generator: builds unsaved model instances; only ``random.Random(seed)`` decides."""

from __future__ import annotations

import datetime as dt
import random

from marketplace.choices import EditorialStatus
from marketplace.demo import content
from marketplace.demo.names import (
    BASE_DATE,
    OTHER_STATUSES,
    TakenSlugs,
    slug_de,
    unique_slug,
)
from marketplace.demo.places import PlacesAndVendors
from municipalities.models import Municipality
from pilots.models import PilotProject
from solutions import plausibility
from solutions.models import Solution, Standard, Vendor


def make_plausible(solution: Solution) -> None:
    """Correct what the random draws made contradictory (solutions/plausibility.py), so that a demo vendor
    can save their listing unchanged. The draws themselves stay, so the rest of the data set does too."""
    if solution.price_model == Solution.PriceModel.FREE:
        solution.cost_introduction_eur = 0
    if solution.data_location == Solution.DataLocation.OUTSIDE_EU and (
        set(solution.hosting_options) <= plausibility.HOSTING_IN_GERMANY
    ):
        solution.data_location = Solution.DataLocation.EU


MAX_VENDORS = 5_000


class Generator(PlacesAndVendors):
    """Builds unsaved model instances; only ``random.Random(seed)`` decides."""

    def __init__(self, *, solutions: int, seed: int):
        self.n_published = solutions
        self.rng = random.Random(seed)
        self.n_other = max(1, round(solutions * 0.08))
        # One vendor per five solutions, but at most MAX_VENDORS: the generator knows about 6,500 distinct
        # vendor names (a 100,000-solution seed asked for 20,000 and never finished); larger catalogs get
        # more solutions per vendor.
        self.n_vendors = max(10, min(MAX_VENDORS, round(solutions / 5)))
        self.n_pilots = max(8, round(solutions * 80 / 300))

    # -- helpers -----------------------------------------------------------------------------------------

    def solutions(self, vendors: list[Vendor], standards: dict[str, Standard]):
        """Returns (solutions, {slug: category slugs}, {slug: standard slugs})."""
        rng = self.rng
        verified = [v for v in vendors if v.is_verified]
        taken = TakenSlugs()
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
            make_plausible(solutions[-1])
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
        """Returns (pilots, {slug: category slugs}, {slug: partner pks}, {slug: [(label, url)]})."""
        rng = self.rng
        taken = TakenSlugs()
        everyone = districts + towns
        model_projects = [m for m in everyone if m.is_model_project and m.model_project_round]
        pilots, categories, partners, links = [], {}, {}, {}
        field_slugs = list(content.FIELDS)
        for index in range(self.n_pilots):
            field_slug = (
                field_slugs[index % len(field_slugs)] if index < len(field_slugs) else rng.choice(field_slugs)
            )
            theme = rng.choice(content.PILOT_THEMES[field_slug])
            roll = rng.random()
            if roll < 0.35 and model_projects:
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
                )
            )
            extra = rng.sample([f for f in field_slugs if f != field_slug], k=rng.choice([0, 1, 1, 2]))
            categories[slug] = [field_slug, *extra]
            partners[slug] = [
                m.pk for m in rng.sample(everyone, k=rng.choice([0, 0, 1, 2, 3])) if m is not lead
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
                led = pilots_by_lead.get(municipality.pk)
                # No contact person: the municipalities are real, so no invented name is attached to them.
                refs.append(
                    {
                        "solution": solution.slug,
                        "municipality": municipality.pk,
                        "pilot": rng.choice(led) if led and rng.random() < 0.3 else None,
                        "since_year": rng.randint(2016, 2025),
                        "statement": rng.choice(content.REFERENCE_STATEMENTS),
                        "is_verified": verified,
                        "verified_at": self.date(700, 5) if verified else None,
                    }
                )
        return refs
