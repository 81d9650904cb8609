"""Constants and name helpers of the demo data: dates, statuses, slugs."""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify

from marketplace.choices import EditorialStatus

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
