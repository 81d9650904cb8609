"""The first half of the demo generator: dates, people, districts, sample towns and vendors."""

from __future__ import annotations

import datetime as dt
import random

from marketplace.demo import content
from marketplace.demo.names import (
    BASE_DATE,
    slug_de,
    unique_slug,
)
from municipalities.models import Municipality
from solutions.models import Vendor


class PlacesAndVendors:
    """Builds unsaved municipalities and vendors; ``self.rng`` (random.Random(seed)) alone decides."""

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
