"""The demo's municipalities: real rows of the register, never invented ones.

The demo reads the register (``municipalities.Municipality`` with its keys) and only chooses which real
municipalities carry the sample pilots and references; it never writes their register fields (names, kinds,
population). An empty register is filled with the default register first (``load_default_register``).
"""

from __future__ import annotations

import random

from marketplace.demo import content
from municipalities.importer import load_default_register
from municipalities.models import Level, Municipality, SizeClass

# Towns and Verbände that carry sample pilots and references besides the Kreise and kreisfreie Städte.
SAMPLE_GEMEINDEN = 50
SAMPLE_VERBAENDE = 10
# Fixed, seed-independent: the places are scenery, not content that should change with the seed.
PLACES_SEED = 20181231
# Size bands in a fixed order; None collects the Gemeinden whose population the register does not know
# (all of them in the default register, which has population figures only for Kreise).
BANDS = [*SizeClass.values, None]


def ensure_register() -> bool:
    """Load the default register when the register is empty. True when it was loaded.

    Side effects: those of ``municipalities.importer.load_default_register`` when the register is empty."""
    if Municipality.objects.filter(ars__isnull=False).exists():
        return False
    _source, summary, _reason = load_default_register()
    return summary is not None


def _current():
    return Municipality.objects.filter(ars__isnull=False, dissolved_on__isnull=True)


def districts() -> list[Municipality]:
    """The Kreise and the kreisfreie Städte, the Städte as their Gemeinde row (the town with a size class and
    a profile), ordered by key."""
    kreise = _current().filter(level=Level.KREIS).exclude(kind=Municipality.Kind.KREISFREIE_STADT)
    cities = _current().filter(level=Level.GEMEINDE, kind=Municipality.Kind.KREISFREIE_STADT)
    return sorted([*kreise, *cities], key=lambda row: row.ars)


def sample_places() -> list[Municipality]:
    """A deterministic choice of real Gemeinden, spread evenly over the size bands the register has, and of
    Gemeindeverbände (Amt, Verbandsgemeinde, ...), ordered by key."""
    rng = random.Random(PLACES_SEED)
    towns = _current().filter(
        level=Level.GEMEINDE,
        kind__in=[Municipality.Kind.STADT, Municipality.Kind.GEMEINDE, Municipality.Kind.MARKT],
    )
    by_band: dict[str | None, list[Municipality]] = {band: [] for band in BANDS}
    for town in towns.order_by("ars"):
        by_band[town.size_class].append(town)
    # The smallest band first, so that what it cannot fill goes to the larger ones.
    bands = sorted((band for band in BANDS if by_band[band]), key=lambda band: len(by_band[band]))
    chosen: list[Municipality] = []
    left = SAMPLE_GEMEINDEN
    for index, band in enumerate(bands):
        share = min(len(by_band[band]), left // (len(bands) - index))
        chosen += rng.sample(by_band[band], k=share)
        left -= share
    verbaende = list(_current().filter(level=Level.VERBAND).order_by("ars"))
    chosen += rng.sample(verbaende, k=min(SAMPLE_VERBAENDE, len(verbaende)))
    return sorted(chosen, key=lambda row: row.ars)


def mark_model_projects() -> int:
    """Mark the Kreise and kreisfreie Städte of the Modellprojekte Smart Cities
    (``content.MODEL_PROJECT_DISTRICTS``) unless any municipality is marked already (by
    ``import_modellprojekte``, whose facts win). Returns the number of rows marked.

    Side effects: sets ``is_model_project`` and ``model_project_round`` (editorial fields, not register
    fields) of those rows."""
    if Municipality.objects.filter(is_model_project=True).exists():
        return 0
    marked = 0
    for year, keys in content.MODEL_PROJECT_DISTRICTS.items():
        # The Kreis row carries the padded AGS "KKKKK000"; for a kreisfreie Stadt that is its Gemeinde row.
        marked += (
            _current()
            .filter(ags__in=[f"{key}000" for key in keys])
            .update(is_model_project=True, model_project_round=year)
        )
    return marked
