"""The facets a buyer needs (issue 13, item 6): where the data lives, a data processing agreement (AVV), cost
bands for the introduction and for a year of operation, and "used by municipalities of this size" from
verified references. ``solutions/filters.py`` lists them among the catalog's facets.

Cost bands. The brackets follow how a German municipality budgets and buys, not a legal threshold (the Länder
set their own limits for direct awards and restricted procedures, and they change): up to €5,000 a
department usually decides on its own budget, up to €20,000 a small procurement with a few quotes, up to
€50,000 a larger one that needs the council's or the treasurer's approval in many municipalities, above that
a project of its own. The upper limit belongs to its band (exactly €5,000 is "up to €5,000"). A cost the
vendor left empty is "on request" (the model's convention: ``null`` means on request); a cost of 0 is in the
lowest band. A band is a condition on one column: the facet index reads it in the query it already runs
(no extra query), and the page's rows apply it in SQL next to the other filters, so it needs no column or
index of its own (no migration).

Every facet here is a plain field or a ``q`` facet: the facet index reads them in its one query of the rows'
own fields (``marketplace/catalog/index.py``), so the catalog's number of queries does not change.
"""

from __future__ import annotations

import dataclasses

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.facets import Facet, FacetSpec
from municipalities.models import SizeClass

from .models import Solution

ON_REQUEST = "on_request"
# (value, label, lower limit exclusive, upper limit inclusive), in euros.
COST_BANDS = (
    ("upto_5000", _("up to €5,000"), None, 5_000),
    ("5000_20000", _("over €5,000 up to €20,000"), 5_000, 20_000),
    ("20000_50000", _("over €20,000 up to €50,000"), 20_000, 50_000),
    ("over_50000", _("over €50,000"), 50_000, None),
)
COST_CHOICES = [*((value, label) for value, label, _low, _high in COST_BANDS), (ON_REQUEST, _("On request"))]
_LIMITS = {value: (low, high) for value, _label, low, high in COST_BANDS}

# The facets whose options are size classes: the visitor's own class is shown first there.
SIZE_FACETS = ("size", "used_by")


def _cost_band(field: str):
    """``value -> Q`` for the cost bands of one cost column."""

    def band_q(value: str) -> Q:
        if value == ON_REQUEST:
            return Q(**{f"{field}__isnull": True})
        low, high = _LIMITS[value]
        q = Q(**{f"{field}__isnull": False})
        if low is not None:
            q &= Q(**{f"{field}__gt": low})
        if high is not None:
            q &= Q(**{f"{field}__lte": high})
        return q

    return band_q


def _dpa_q(value: str) -> Q:
    return Q(dpa_available=True)


def _used_by_q(size_class: str) -> Q:
    """Solutions with a verified reference of a municipality of ``size_class``. The references are reached
    through their relation: their app (pilots) sits above this one. DISTINCT: see ``_verified_q``."""
    references = Solution._meta.get_field("references").related_model
    verified = references.objects.filter(is_verified=True, municipality__size_class=size_class)
    return Q(pk__in=verified.values("solution_id").distinct())


def used_by_facet() -> FacetSpec:
    return FacetSpec(
        "used_by", _("In use in municipalities (verified)"), q=_used_by_q, choices=SizeClass.choices
    )


def data_location_facet() -> FacetSpec:
    return FacetSpec(
        "data_location", _("Data location"), lookup="data_location", choices=Solution.DataLocation.choices
    )


def dpa_facet() -> FacetSpec:
    return FacetSpec(
        "dpa", _("Data processing"), q=_dpa_q, choices=[("1", _("Data processing agreement (AVV) available"))]
    )


def cost_introduction_facet() -> FacetSpec:
    return FacetSpec(
        "cost_introduction",
        _("Introduction costs (one-off)"),
        q=_cost_band("cost_introduction_eur"),
        choices=COST_CHOICES,
    )


def cost_yearly_facet() -> FacetSpec:
    return FacetSpec(
        "cost_yearly", _("Operating costs per year"), q=_cost_band("cost_yearly_eur"), choices=COST_CHOICES
    )


def with_size_hint(facets: list[Facet], size_class: str | None) -> list[Facet]:
    """The facets with the visitor's own size class marked in the size facets ("suitable for" and "in use
    in"): ``Facet.shown_options`` lists it first with a hint. Nothing is selected for the visitor: a hint,
    not a filter they did not choose."""
    if not size_class:
        return facets
    hint = gettext("your municipality's size")
    return [
        dataclasses.replace(
            facet,
            options=[
                dataclasses.replace(option, hint=hint) if option.value == size_class else option
                for option in facet.options
            ],
        )
        if facet.name in SIZE_FACETS
        else facet
        for facet in facets
    ]
