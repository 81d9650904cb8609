"""Solutions seen from the visitor's own municipality ("Kommunen wie meine").

Three reads, all scoped to public references (those of published solutions; every caller starts from
``Solution.objects.published()``):

* ``peer_counts(pks, m)``: for a page of solutions, how many municipalities of ``m``'s size class, Land and
  Kreis use each (one query for the page, never one per card); ``WithPeerCounts`` attaches them to the rows
  of a catalog page as ``solution.peer_counts``.
* ``ranked_for(m, version)``: every published solution in the order "Empfohlen für meine Kommune": by the
  summed similarity of the peers that use it (docs/recommendations.md).
* ``recommended_for(m, cards, version=...)``: the home page's few solutions most used by similar
  municipalities, each with the sentence that explains why.

Only ``ranked_for`` is cached, keyed by the municipality and the content version; nothing here is keyed by
or holds anything of a visitor, session or user (docs/architecture.md, "Caching").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext

from marketplace.catalog.version import cached_for_version
from municipalities.models import Municipality, State
from municipalities.similarity import in_kreis_q, kreis_key, peer_q, similarity

from .models import Solution

THROUGH = "municipality__"  # from a reference to its municipality
HOME_RECOMMENDATIONS = 6
EXAMPLES = 1  # municipalities named in a recommendation's sentence


def reference_model():
    """The Reference model, reached through its relation: its app (pilots) sits above this one."""
    return Solution._meta.get_field("references").related_model


@dataclass(frozen=True)
class PeerCounts:
    """Public references of one solution, counted from the chosen municipality ``m``: municipalities (of
    any level, Kreise too) in ``m``'s Land, in its Kreis, of its size class, and both of its size class and
    Land; never ``m`` itself nor a dissolved one. A count is None when ``m`` lacks the value to compare (no
    size class without a population, no Kreis without a key)."""

    same_state: int | None = 0
    same_kreis: int | None = 0
    same_size_class: int | None = 0
    same_size_class_and_state: int | None = 0
    # Municipalities in ``similar_to(m)``'s sense (current Gemeinden and Städte) using it.
    peers: int = 0
    used_here: bool = False
    # The most similar peers using it, most similar first (only when asked for).
    examples: list[str] = field(default_factory=list)


def _conditions(municipality: Municipality) -> dict[str, Q | None]:
    m = municipality
    state = Q(**{f"{THROUGH}state": m.state}) if m.state else None
    size = Q(**{f"{THROUGH}size_class": m.size_class}) if m.size_class else None
    return {
        "same_state": state,
        "same_kreis": in_kreis_q(kreis_key(m), THROUGH),
        "same_size_class": size,
        "same_size_class_and_state": size & state if size is not None and state is not None else None,
    }


def peer_counts(
    pks: Sequence[int], municipality: Municipality, *, examples: int = 0
) -> dict[int, PeerCounts]:
    """``PeerCounts`` for each of the solutions ``pks`` (zeros for one without references): one query.

    ``examples`` names up to that many of the most similar peers using each solution.
    """
    if not pks:
        return {}
    # Municipalities that still exist, other than the chosen one (a merged town's references stay public,
    # but it no longer uses anything).
    others = ~Q(municipality=municipality) & Q(**{f"{THROUGH}dissolved_on__isnull": True})
    conditions = _conditions(municipality)
    aggregates = {
        name: Count("pk", filter=others & condition)
        for name, condition in conditions.items()
        if condition is not None
    }
    peers = peer_q(municipality, THROUGH)
    aggregates["peers"] = Count("pk", filter=peers)
    aggregates["here"] = Count("pk", filter=Q(municipality=municipality))
    if examples:
        aggregates["example_names"] = ArrayAgg(
            f"{THROUGH}name",
            filter=peers,
            order_by=(similarity(municipality, THROUGH).desc(), f"{THROUGH}name"),
            default=Value([]),
        )
    rows = (
        reference_model()
        .objects.filter(solution_id__in=list(pks))
        .order_by()
        .values("solution_id")
        .annotate(**aggregates)
    )
    # A count ``municipality`` cannot be compared by stays None, also for a solution without references.
    unused = PeerCounts(**{name: None if condition is None else 0 for name, condition in conditions.items()})
    counts = dict.fromkeys(pks, unused)
    for row in rows:
        counts[row["solution_id"]] = PeerCounts(
            **{name: row.get(name) for name in conditions},
            peers=row["peers"],
            used_here=row["here"] > 0,
            examples=(row.get("example_names") or [])[:examples],
        )
    return counts


class WithPeerCounts(Sequence):
    """The rows of a catalog (a queryset or ``RowsInOrder``) whose slices, one page, come with
    ``solution.peer_counts``: one more query per page, whatever the number of rows."""

    def __init__(self, rows: Sequence[Solution], municipality: Municipality):
        self.rows = rows
        self.municipality = municipality

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self) -> list[int]:
        """The rows' keys in order, without reading the rows or their peer counts (open-data exports)."""
        rows = self.rows
        if hasattr(rows, "values_list"):
            return list(rows.values_list("pk", flat=True))
        return rows.keys()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1 or None][0]
        rows = list(self.rows[key])
        counts = peer_counts([row.pk for row in rows], self.municipality)
        for row in rows:
            row.peer_counts = counts[row.pk]
        return rows


@dataclass(frozen=True)
class Ranked:
    """The published solutions in "recommended for ``m``" order, as the one query of ``ranked_for`` read them:
    ``pks`` in order, of which the first ``recommended`` have a score above 0 (some peer uses them), and
    ``used_here``, the solutions ``m`` itself uses. Small to keep: a list, a number and a set of keys."""

    pks: list[int]
    recommended: int
    used_here: frozenset[int]


def _rank(municipality: Municipality) -> Ranked:
    through = f"references__{THROUGH}"
    rows = (
        Solution.objects.published()
        .annotate(
            recommendation=Coalesce(
                Sum(similarity(municipality, through), filter=peer_q(municipality, through)),
                Value(0.0),
                output_field=FloatField(),
            ),
            verified=Count("references", filter=Q(references__is_verified=True)),
            here=Count("references", filter=Q(references__municipality=municipality)),
        )
        .order_by(F("recommendation").desc(), F("verified").desc(), "title", "pk")
        .values_list("pk", "recommendation", "here")
    )
    pks, recommended, used_here = [], 0, set()
    for pk, score, here in rows:
        pks.append(pk)
        recommended += score > 0  # the order puts every positive score first
        if here:
            used_here.add(pk)
    return Ranked(pks, recommended, frozenset(used_here))


def ranked_for(municipality: Municipality, version: str | None) -> Ranked:
    """Every published solution ranked for ``municipality``: by the summed ``similarity`` of the peers (see
    ``Municipality.objects.similar_to``) that use it, ties by the number of verified references, then by
    title (docs/recommendations.md).

    One query: the references joined once and grouped by solution, which costs about what sorting the catalog
    by "most references" costs. Kept until the content changes, keyed by the municipality: the ranking is
    public data about that municipality (no visitor, session or user goes into key or value), the same for
    everyone who chose it, so paging and filtering within the order reuse it.
    """
    return cached_for_version(
        f"solutions-recommended:{municipality.pk}", lambda: _rank(municipality), version
    )


@dataclass(frozen=True)
class Recommendation:
    solution: Solution
    counts: PeerCounts
    municipality: Municipality

    @property
    def reason(self) -> str:
        return explain(self.counts, self.municipality)


def recommended_for(
    municipality: Municipality, cards, *, version: str | None, limit: int = HOME_RECOMMENDATIONS
) -> list[Recommendation]:
    """The ``limit`` published solutions most used by municipalities like ``municipality``, best first, each
    with its explanation; those it already uses are left out. ``cards`` is the queryset that reads the cards
    (``Solution.objects.published()`` with what a card shows). Two queries besides ``ranked_for``."""
    ranked = ranked_for(municipality, version)
    pks = [pk for pk in ranked.pks[: ranked.recommended] if pk not in ranked.used_here][:limit]
    by_pk = {solution.pk: solution for solution in cards.filter(pk__in=pks)}
    counts = peer_counts(pks, municipality, examples=EXAMPLES)
    return [Recommendation(by_pk[pk], counts[pk], municipality) for pk in pks if pk in by_pk]


def explain(counts: PeerCounts, municipality: Municipality) -> str:
    """One sentence: why a solution is recommended to ``municipality``, e.g. "Used in 4 municipalities of
    similar size, 2 of them in Hessen, e.g. in Musterstadt."."""
    state = State(municipality.state).label if municipality.state else ""
    example = ", ".join(counts.examples)
    size, both = counts.same_size_class or 0, counts.same_size_class_and_state or 0
    values = {"size": size, "both": both, "state": state, "example": example}
    if size and both:
        text = ngettext(
            "Used in %(size)s municipality of similar size, in %(state)s",
            "Used in %(size)s municipalities of similar size, %(both)s of them in %(state)s",
            size,
        )
    elif size:
        text = ngettext(
            "Used in %(size)s municipality of similar size",
            "Used in %(size)s municipalities of similar size",
            size,
        )
    elif counts.same_state:
        values["count"] = counts.same_state
        text = ngettext(
            "Used in %(count)s municipality in %(state)s",
            "Used in %(count)s municipalities in %(state)s",
            counts.same_state,
        )
    else:
        values["count"] = counts.peers
        text = ngettext(
            "Used in %(count)s comparable municipality",
            "Used in %(count)s comparable municipalities",
            counts.peers,
        )
    text = text % values
    if example:
        return gettext("%(reason)s, e.g. in %(example)s.") % {"reason": text, "example": example}
    return text + "."
