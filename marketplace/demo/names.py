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


class TakenSlugs(set):
    """The slugs handed out so far, and for each base the next number to try: with 100,000 solutions many
    titles repeat, and counting up from 2 for every repeat made the seed quadratic."""

    def __init__(self, *args):
        super().__init__(*args)
        self.next_number: dict[str, int] = {}


def unique_slug(base: str, taken: set[str], max_length: int = 200) -> str:
    """``base``, or ``base-2``, ``base-3``, … whichever is not taken yet; the same slugs whether ``taken``
    is a ``TakenSlugs`` (it starts after the numbers it handed out, all taken before) or a plain set."""
    base = base[:max_length].strip("-")
    numbers = getattr(taken, "next_number", {})
    n = numbers.get(base, 1)  # 1: the base itself
    slug = base if n == 1 else f"{base}-{n}"
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    numbers[base] = n + 1
    taken.add(slug)
    return slug
