"""How alike two municipalities are ("Kommunen wie meine"), as SQL expressions.

``Municipality.objects.similar_to(m)`` ranks peers by these expressions; the solutions app sums them over the
municipalities that use a solution (through ``prefix="municipality__"`` on a query of references). The
formula, its weights and the reasons for them are written down in docs/recommendations.md; keep the two in
step.

Everything is computed by PostgreSQL from the peer's row and a few constants taken from ``m`` (no join, no
subquery), so ranking all ~11,000 Gemeinden of the register is one sequential scan and a top-N sort.
A missing value on either side (no population, no coordinates, no degree of urbanisation) scores 0 for its
term: it never fails and never ranks a peer above one whose values are known and match.
"""

from __future__ import annotations

import math

from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Coalesce, Greatest, Ln, Power, Sqrt
from django.utils.formats import number_format
from django.utils.translation import gettext

from .models import Level, Municipality

# The weight of each term (each term is between 0 and 1); docs/recommendations.md explains the choice.
WEIGHTS = {
    "population": 3.0,
    "size_class": 1.0,
    "state": 2.0,
    "urbanisation": 1.5,
    "kind": 1.0,
    "distance": 1.5,
}
TOTAL_WEIGHT = sum(WEIGHTS.values())
# A population ten times larger or smaller than one's own earns no population points.
POPULATION_SPAN = math.log(10)
# The distance term is 1 at 0 km, 1/2 at this distance, 1/3 at twice of it, ...
DISTANCE_HALF_KM = 50.0
# One degree of latitude (and of longitude at the equator) in km, for the equirectangular approximation.
KM_PER_DEGREE = 6371.0 * math.pi / 180
KREIS_KEY_LENGTH = 5  # the first five digits of both ARS and AGS name the Kreis (Land, Bezirk, Kreis)


def _field(prefix: str, name: str) -> str:
    return f"{prefix}{name}"


def _q(prefix: str, **lookups) -> Q:
    return Q(**{_field(prefix, key): value for key, value in lookups.items()})


def _number(value: float) -> Cast:
    """A float8 constant. A bare ``Value(1.0)`` reaches PostgreSQL as the literal ``1.0``, which is numeric:
    CASE branches of such literals would then be added up in (slow) numeric arithmetic for every row."""
    return Cast(Value(value), FloatField())


def _flag(condition: Q | None):
    """1 where ``condition`` holds, else 0 (also when the peer's value is NULL); 0 without a condition."""
    if condition is None:
        return _number(0.0)
    return Case(When(condition, then=_number(1.0)), default=_number(0.0), output_field=FloatField())


def _boolean(condition: Q | None):
    if condition is None:
        return Value(False)
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def peer_q(municipality: Municipality, prefix: str = "") -> Q:
    """The rows that can be peers of ``municipality``: Gemeinden and Städte still in the register (not
    dissolved), not ``municipality`` itself. Rows made before the register was imported have no level; their
    kind tells a town from a Kreis."""
    town = _q(prefix, level=Level.GEMEINDE) | _q(prefix, level="", kind__in=Municipality.TOWN_KINDS)
    return _q(prefix, dissolved_on__isnull=True) & town & ~_q(prefix, pk=municipality.pk)


def kreis_key(municipality: Municipality) -> str | None:
    """The Kreis part of the official key (e.g. "06411"), or None for a row without a key."""
    key = municipality.ars or municipality.ags
    return key[:KREIS_KEY_LENGTH] if key and len(key) >= KREIS_KEY_LENGTH else None


def in_kreis_q(key: str | None, prefix: str = "") -> Q | None:
    """Rows whose official key lies in the Kreis ``key`` (the Kreis row itself included)."""
    if key is None:
        return None
    return _q(prefix, ars__startswith=key) | _q(prefix, ars__isnull=True, ags__startswith=key)


def _same(prefix: str, name: str, value) -> Q | None:
    return None if value in (None, "") else _q(prefix, **{name: value})


def _population_term(municipality: Municipality, prefix: str):
    """1 - |ln(p) - ln(p_m)| / ln(10), at least 0: 1 for the same population, 0.7 for twice or half of it."""
    if municipality.population is None:
        return _number(0.0)
    own = math.log(max(municipality.population, 1))
    population = Greatest(Cast(F(_field(prefix, "population")), FloatField()), _number(1.0))
    closeness = _number(1.0) - Abs(Ln(population) - _number(own)) / _number(POPULATION_SPAN)
    return Case(
        # GREATEST skips NULLs, so a missing population is caught first.
        When(_q(prefix, population__isnull=True), then=_number(0.0)),
        default=Greatest(closeness, _number(0.0)),
        output_field=FloatField(),
    )


def _urbanisation_term(municipality: Municipality, prefix: str):
    """1 for the same degree of urbanisation, 1/2 for the neighbouring one (dense/intermediate/thin)."""
    own = municipality.urbanisation
    if own is None:
        return _number(0.0)
    return Case(
        When(_q(prefix, urbanisation=own), then=_number(1.0)),
        When(_q(prefix, urbanisation__in=[own - 1, own + 1]), then=_number(0.5)),
        default=_number(0.0),
        output_field=FloatField(),
    )


def distance_km(municipality: Municipality, prefix: str = ""):
    """Distance between the centres in km, NULL when either side has no coordinates.

    Equirectangular, with the longitude difference scaled by the cosine of ``municipality``'s own latitude
    (a constant, so no trigonometry per row): within Germany a few km off at 300 km and exact enough nearby.
    """
    if municipality.latitude is None or municipality.longitude is None:
        return Value(None, output_field=FloatField())
    own_latitude, own_longitude = float(municipality.latitude), float(municipality.longitude)
    latitude = Cast(F(_field(prefix, "latitude")), FloatField())
    longitude = Cast(F(_field(prefix, "longitude")), FloatField())
    east = (longitude - _number(own_longitude)) * _number(math.cos(math.radians(own_latitude)))
    north = latitude - _number(own_latitude)
    return _number(KM_PER_DEGREE) * Sqrt(Power(east, 2) + Power(north, 2))


def _distance_term(distance):
    """1 / (1 + d / 50 km); 0 without coordinates."""
    return Coalesce(_number(1.0) / (_number(1.0) + distance / _number(DISTANCE_HALF_KM)), _number(0.0))


def similarity_terms(municipality: Municipality, prefix: str = "") -> dict:
    """Expressions for ``annotate()``: ``similarity`` (a float from 0 to 1) and the reasons a
    page can name: ``same_size_class``, ``same_state``, ``same_urbanisation``, ``same_kind``, ``same_kreis``
    (booleans) and ``distance_km`` (a float or None).

    ``prefix`` reaches the municipality through a relation, e.g. ``"municipality__"`` on references.
    """
    m = municipality
    size_class = _same(prefix, "size_class", m.size_class)
    state = _same(prefix, "state", m.state)
    kind = _same(prefix, "kind", m.kind)
    distance = distance_km(m, prefix)
    terms = {
        "population": _population_term(m, prefix),
        "size_class": _flag(size_class),
        "state": _flag(state),
        "urbanisation": _urbanisation_term(m, prefix),
        "kind": _flag(kind),
        "distance": _distance_term(distance),
    }
    total = None
    for name, term in terms.items():
        weighted = _number(WEIGHTS[name] / TOTAL_WEIGHT) * term
        total = weighted if total is None else total + weighted
    return {
        "similarity": total,
        "same_size_class": _boolean(size_class),
        "same_state": _boolean(state),
        "same_urbanisation": _boolean(_same(prefix, "urbanisation", m.urbanisation)),
        "same_kind": _boolean(kind),
        "same_kreis": _boolean(in_kreis_q(kreis_key(m), prefix)),
        "distance_km": distance,
    }


def similarity(municipality: Municipality, prefix: str = ""):
    """The ``similarity`` expression alone (see ``similarity_terms``)."""
    return similarity_terms(municipality, prefix)["similarity"]


def reasons(peer: Municipality) -> str:
    """Why ``peer`` (a row of ``similar_to``) is listed, in words: "ähnlich groß (13.679 Einwohner), ebenfalls
    in Schleswig-Holstein, 18 km entfernt". Only the terms that matched are named; empty when none did."""
    parts = []
    if getattr(peer, "same_size_class", False):
        if peer.population is not None:
            parts.append(
                gettext("similar in size (%(population)s inhabitants)")
                % {"population": number_format(peer.population, force_grouping=True)}
            )
        else:
            parts.append(gettext("similar in size"))
    if getattr(peer, "same_kreis", False):
        parts.append(gettext("in the same district"))
    elif getattr(peer, "same_state", False):
        parts.append(gettext("also in %(state)s") % {"state": peer.get_state_display()})
    if getattr(peer, "same_urbanisation", False):
        parts.append(gettext("as densely settled"))
    distance = getattr(peer, "distance_km", None)
    if distance is not None:
        parts.append(gettext("%(distance)s km away") % {"distance": number_format(round(distance))})
    return ", ".join(parts)
