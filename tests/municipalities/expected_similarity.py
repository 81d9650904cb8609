"""The similarity of docs/recommendations.md, written out again in plain Python for the tests.

Deliberately independent of municipalities/similarity.py: the weights, thresholds and the distance are
copied from the document, not imported, so a change to the code that the document does not describe makes
the tests fail.
"""

import math

WEIGHT_POPULATION = 3.0
WEIGHT_SIZE_CLASS = 1.0
WEIGHT_STATE = 2.0
WEIGHT_URBANISATION = 1.5
WEIGHT_KIND = 1.0
WEIGHT_DISTANCE = 1.5
WEIGHTS_TOTAL = 10.0


def size_class(population):
    if population is None:
        return None
    if population < 5_000:
        return "landgemeinde"
    if population < 20_000:
        return "kleinstadt"
    if population < 100_000:
        return "mittelstadt"
    return "grossstadt"


def distance_km(a, b):
    """Equirectangular, the longitude difference scaled by the cosine of ``a``'s latitude."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat_a, lon_a, lat_b, lon_b = map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    east = math.radians(lon_b - lon_a) * math.cos(math.radians(lat_a))
    north = math.radians(lat_b - lat_a)
    return 6371.0 * math.hypot(east, north)


def similarity(m, peer) -> float:
    """How alike ``peer`` is to ``m`` (both Municipality rows), from 0 to 1."""
    score = 0.0
    if m.population is not None and peer.population is not None:
        ratio = abs(math.log(max(peer.population, 1)) - math.log(max(m.population, 1)))
        score += WEIGHT_POPULATION * max(0.0, 1 - ratio / math.log(10))
    if size_class(m.population) is not None and size_class(m.population) == size_class(peer.population):
        score += WEIGHT_SIZE_CLASS
    if m.ags[:2] == peer.ags[:2]:
        score += WEIGHT_STATE
    if m.urbanisation is not None and peer.urbanisation is not None:
        score += WEIGHT_URBANISATION * {0: 1.0, 1: 0.5}.get(abs(m.urbanisation - peer.urbanisation), 0.0)
    if m.kind == peer.kind:
        score += WEIGHT_KIND
    distance = distance_km(m, peer)
    if distance is not None:
        score += WEIGHT_DISTANCE / (1 + distance / 50)
    return score / WEIGHTS_TOTAL
