"""Which procurement procedure applies: a pure function of value, Land, date and the value-limit rows.

Guidance, not legal advice. The rules (also in docs/procurement.md):

1. Only rows in force on the date count: ``valid_from`` empty or on/before it, ``valid_until`` empty or
   on/after it. A limit whose validity ended is never applied.
2. EU threshold: the ``eu_schwellenwert`` row (Land "EU") in force on the date. A value that reaches it
   (value >= threshold) needs an EU-wide procedure (GWB/VgV); the Land's limits do not matter then.
3. Below it, the Land's rows in force on the date are tried in the order direct award, negotiated award,
   restricted tender, public tender. The first whose maximum covers the value applies: value <= maximum
   ("bis einschließlich"), or an empty maximum, which means "up to the EU threshold". When a Land has two
   rows of one procedure in force on the date (an editing slip), the one that started last counts.
4. No Land row covers the value (or the Land has no row in force): the public tender, the standard
   procedure of the UVgO (§ 8), is named, and the result says that no limit of the Land was found.
5. The result is "confirmed" only when every row that decided it is marked confirmed.

Nothing here reads the database: ``decide`` takes the rows, so tests can hand it rows they made.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from marketplace.procurement.models import EU, NATIONAL_PROCEDURES, Procedure, ValueLimit

EU_PROCEDURE = "eu_verfahren"


def in_force(limit, day: date) -> bool:
    return (limit.valid_from is None or limit.valid_from <= day) and (
        limit.valid_until is None or limit.valid_until >= day
    )


@dataclass
class Decision:
    value: int
    land: str
    day: date
    procedure: str  # a national Procedure value, or EU_PROCEDURE
    decided_by: ValueLimit | None  # the row whose limit decided it; None when the Land has none (rule 4)
    eu_threshold: ValueLimit | None  # the EU threshold in force on the day, if one is on record
    land_limits: list = field(default_factory=list)  # the Land's rows in force, in procedure order

    @property
    def is_eu(self) -> bool:
        return self.procedure == EU_PROCEDURE

    @property
    def procedure_label(self) -> str:
        return str(_("EU-wide procedure (GWB/VgV)")) if self.is_eu else str(Procedure(self.procedure).label)

    @property
    def confirmed(self) -> bool:
        rows = [self.decided_by] if self.is_eu else [self.decided_by, self.eu_threshold]
        return all(row is not None and row.confirmed for row in rows)

    @property
    def unconfirmed_limits(self) -> list:
        return [
            row for row in [*self.land_limits, self.eu_threshold] if row is not None and not row.confirmed
        ]


def _latest(rows: list):
    return max(rows, key=lambda row: (row.valid_from or date.min, row.pk or 0))


def decide(*, value: int, land: str, day: date, limits: Iterable) -> Decision:
    """The procedure for an estimated net contract ``value`` (EUR) in ``land`` ("BW") on ``day``.

    ``limits``: value-limit rows (ValueLimit or anything with its attributes) of the Land and of "EU";
    rows of other Länder and rows not in force on ``day`` are ignored. Pure: no queries, no side effects.
    """
    rows = [row for row in limits if in_force(row, day)]
    thresholds = [row for row in rows if row.land == EU and row.procedure == Procedure.EU_THRESHOLD]
    eu_threshold = _latest(thresholds) if thresholds else None
    land_limits = []
    for procedure in NATIONAL_PROCEDURES:
        candidates = [row for row in rows if row.land == land and row.procedure == procedure]
        if candidates:
            land_limits.append(_latest(candidates))
    result = Decision(
        value=value,
        land=land,
        day=day,
        procedure=Procedure.PUBLIC,
        decided_by=None,
        eu_threshold=eu_threshold,
        land_limits=land_limits,
    )
    if eu_threshold is not None and value >= eu_threshold.max_value_eur:
        result.procedure, result.decided_by = EU_PROCEDURE, eu_threshold
        return result
    for row in land_limits:
        if row.max_value_eur is None or value <= row.max_value_eur:
            result.procedure, result.decided_by = row.procedure, row
            return result
    return result


# --- The fitting EVB-IT contract type: a hint from the listing's hosting and price model. ---------------

EVB_IT_CLOUD = "cloud"
EVB_IT_TRANSFER = "ueberlassung"
EVB_IT_SERVICES = "dienstleistung"
CLOUD_HOSTING = {"eu_cloud", "german_dc"}
RECURRING_PRICE = {"subscription", "per_inhabitant", "usage"}


def contract_type(solution) -> str:
    """EVB-IT Cloud for software run by the vendor or paid as a subscription (or per inhabitant, per use),
    EVB-IT Überlassung for a one-off licence, EVB-IT Dienstleistung otherwise (free software, prices on
    request: what is bought are the services around it)."""
    if set(solution.hosting_options or ()) & CLOUD_HOSTING or solution.price_model in RECURRING_PRICE:
        return EVB_IT_CLOUD
    if solution.price_model == "one_off":
        return EVB_IT_TRANSFER
    return EVB_IT_SERVICES


def estimate(solutions: Iterable, *, years: int) -> tuple[int, list]:
    """Introduction plus ``years`` of operation summed over ``solutions``; and those without a cost figure."""
    total, missing = 0, []
    for solution in solutions:
        if solution.cost_introduction_eur is None and solution.cost_yearly_eur is None:
            missing.append(solution)
            continue
        total += (solution.cost_introduction_eur or 0) + (solution.cost_yearly_eur or 0) * years
    return total, missing
