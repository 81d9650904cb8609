"""The tile-grid map of the Länder: 16 tiles with live counts, shading, selection, and the location mode."""

import re

import pytest
from django.conf import settings
from django.test import Client

from marketplace.templatetags.places import TILE_LAYOUT, shade_for
from municipalities.models import State
from tests.factories import MunicipalityFactory, PilotProjectFactory

pytestmark = pytest.mark.django_db

TILE = re.compile(
    r'<input class="state-tile__input" type="checkbox" name="state" value="(?P<code>\d\d)" '
    r'id="(?P<id>[\w-]+)"'
    r"(?P<checked> checked)?>\s*"
    r'<label class="state-tile__label shade-(?P<shade>\d)" for="(?P=id)" id="(?P=id)-tile" '
    r'title="(?P<name>[^"]+)">'
    r'<span class="state-tile__abbr">(?P<abbr>\w\w)</span><span class="visually-hidden"> (?P=name)</span> '
    r'<span class="state-tile__count">(?P<count>\d+)</span></label>'
)


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


def _tiles(content):
    return {match["code"]: match for match in TILE.finditer(content)}


def test_shades_scale_with_the_largest_count():
    assert [shade_for(count, 8) for count in (0, 1, 2, 3, 4, 5, 6, 7, 8)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert shade_for(0, 0) == 0
    assert shade_for(1, 1) == 4


def test_layout_has_every_land_once_on_distinct_cells():
    assert sorted(code for code, *_ in TILE_LAYOUT) == sorted(State.values)
    assert len({(row, column) for _code, _abbr, row, column in TILE_LAYOUT}) == 16
    # Reading order (north to south, west to east), so keyboard focus moves as the eye does.
    assert [(row, column) for *_, row, column in TILE_LAYOUT] == sorted((r, c) for *_, r, c in TILE_LAYOUT)


def test_municipality_map_renders_16_tiles_with_true_counts(client):
    for index in range(4):
        MunicipalityFactory(ags=f"091{index:05d}")
    MunicipalityFactory(ags="14000001")
    MunicipalityFactory(ags="14000002")
    MunicipalityFactory(ags="01000001")
    response = client.get("/kommunen/", {"state": "14"})
    tiles = _tiles(response.content.decode())
    assert len(tiles) == 16
    counts = {code: int(tile["count"]) for code, tile in tiles.items()}
    assert counts == {code: {"09": 4, "14": 2, "01": 1}.get(code, 0) for code in State.values}
    assert {code for code, tile in tiles.items() if tile["checked"]} == {"14"}
    assert {code: int(tile["shade"]) for code, tile in tiles.items() if tile["count"] != "0"} == {
        "09": 4,
        "14": 2,
        "01": 1,
    }
    assert tiles["09"]["name"] == "Bayern" and tiles["09"]["abbr"] == "BY"
    assert all(tile["shade"] == "0" for tile in tiles.values() if tile["count"] == "0")


def test_pilot_map_counts_lead_municipality_land_under_other_filters(client):
    bavaria = MunicipalityFactory(ags="09162000", population=1_500_000)
    hesse = MunicipalityFactory(ags="06411000", population=160_000)
    small_hesse = MunicipalityFactory(ags="06411001", population=3_000)
    PilotProjectFactory(lead_municipality=bavaria, phase="completed")
    PilotProjectFactory(lead_municipality=hesse, phase="completed", partners=[bavaria])
    PilotProjectFactory(lead_municipality=small_hesse, phase="completed")
    PilotProjectFactory(lead_municipality=hesse, phase="strategy")
    response = client.get("/pilotprojekte/", {"phase": "completed", "size": "grossstadt", "state": "06"})
    tiles = _tiles(response.content.decode())
    assert len(tiles) == 16
    # Disjunctive: the map ignores its own selection but applies phase and size.
    assert {code: int(tile["count"]) for code, tile in tiles.items() if tile["count"] != "0"} == {
        "09": 1,
        "06": 1,
    }
    assert [code for code, tile in tiles.items() if tile["checked"]] == ["06"]
    assert response.context["total"] == 1


def test_text_table_carries_the_same_counts(client):
    MunicipalityFactory(ags="11000000", name="Berlin", population=3_800_000)
    content = client.get("/kommunen/", {"state": "11"}).content.decode()
    table = content[content.index('<details class="state-map__table">') :]
    table = table[: table.index("</details>")]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\w+)</td></tr>', table)
    assert len(rows) == 16
    assert ("Berlin (BE)", "1", "yes") in rows
    assert ("Bayern (BY)", "0", "no") in rows


def test_htmx_partial_updates_tile_labels_out_of_band(client):
    MunicipalityFactory(ags="09000001", kind="gemeinde")
    MunicipalityFactory(ags="09000002", kind="stadt")
    content = client.get("/kommunen/", {"kind": "gemeinde"}, headers={"HX-Request": "true"}).content.decode()
    oob = re.findall(
        r'<label class="state-tile__label shade-(\d)" for="facet-state-(\d+)" id="facet-state-\d+-tile" '
        r'title="[^"]+" hx-swap-oob="true">',
        content,
    )
    assert len(oob) == 16
    assert (
        '<span class="state-tile__abbr">BY</span><span class="visually-hidden"> Bayern</span> '
        '<span class="state-tile__count">1</span>'
    ) in content
    assert 'type="checkbox"' not in content  # checkboxes stay in place: focus and checked state survive


def test_location_map_highlights_one_land(client):
    town = MunicipalityFactory(ags="13003000", name="Rostock")
    content = client.get(town.get_absolute_url()).content.decode()
    current = re.findall(r'<li class="state-tile state-tile--(\d\d) is-current">', content)
    assert current == ["13"]
    assert len(re.findall(r'<li class="state-tile state-tile--\d\d(?: is-current)?">', content)) == 16
    assert '<ul class="state-map__grid" aria-hidden="true">' in content
    assert "Located in Mecklenburg-Vorpommern" in content


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_shade_keeps_aa_contrast_for_its_text():
    css = (settings.BASE_DIR / "static" / "css" / "map.css").read_text()
    shades = re.findall(r"\.shade-(\d) \{ background: (#[0-9a-f]+); color: (#[0-9a-f]+); \}", css)
    assert [number for number, _bg, _fg in shades] == ["0", "1", "2", "3", "4"]
    for number, background, text in shades:
        assert _contrast(background, text) >= 4.5, f"shade-{number}"
    muted = re.search(r"background: (#[0-9a-f]+);\s*color: (#[0-9a-f]+);\s*border-color", css)
    assert _contrast(*muted.groups()) >= 4.5
