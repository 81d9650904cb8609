"""The first half of the demo generator: dates, people and vendors (the municipalities are the register's)."""

from __future__ import annotations

import datetime as dt

from marketplace.demo import content
from marketplace.demo.names import (
    BASE_DATE,
    slug_de,
    unique_slug,
)
from solutions.models import Vendor


class PlacesAndVendors:
    """Builds unsaved vendors; ``self.rng`` (random.Random(seed)) alone decides."""

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
