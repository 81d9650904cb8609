"""The tile-grid map of the 16 Länder, drawn by us (CSS grid, no geodata, no tile server).

Each Land is one equal tile at its approximate position; ``static/css/map.css`` places the tiles by their
``state-tile--<code>`` class and shades them by their ``shade-<n>`` class (never inline styles, for the CSP).
The DOM order of the tiles is row by row, west to east, so the keyboard moves across the map as the eye does.
"""

from dataclasses import dataclass

from django import template

from marketplace.catalog.facets import Facet
from municipalities.models import State

register = template.Library()

# (code, abbreviation, row, column) in reading order; see map.css for the grid itself.
TILE_LAYOUT: tuple[tuple[str, str, int, int], ...] = (
    ("01", "SH", 1, 3),
    ("04", "HB", 2, 2),
    ("02", "HH", 2, 3),
    ("13", "MV", 2, 4),
    ("05", "NW", 3, 1),
    ("03", "NI", 3, 2),
    ("15", "ST", 3, 3),
    ("11", "BE", 3, 4),
    ("12", "BB", 3, 5),
    ("07", "RP", 4, 1),
    ("06", "HE", 4, 2),
    ("16", "TH", 4, 3),
    ("14", "SN", 4, 4),
    ("10", "SL", 5, 1),
    ("08", "BW", 5, 2),
    ("09", "BY", 5, 3),
)
SHADE_STEPS = 4  # shade-0 (none) plus four steps; map.css keeps AA contrast for the text on every one


@dataclass(frozen=True)
class Tile:
    code: str
    abbreviation: str
    name: str
    count: int = 0
    selected: bool = False
    shade: int = 0
    dom_id: str = ""


def shade_for(count: int, maximum: int) -> int:
    """0 for no rows, else 1..SHADE_STEPS by the share of the largest count (so one busy Land stands out)."""
    if count <= 0 or maximum <= 0:
        return 0
    return max(1, min(SHADE_STEPS, -(-count * SHADE_STEPS // maximum)))


def filter_tiles(facet: Facet) -> list[Tile]:
    """The tiles for the ``state`` facet of a catalog: each with its live count, shade and checkbox id."""
    options = {option.value: option for option in facet.options}
    maximum = max((option.count for option in facet.options), default=0)
    tiles = []
    for code, abbreviation, _row, _column in TILE_LAYOUT:
        option = options[code]
        tiles.append(
            Tile(
                code=code,
                abbreviation=abbreviation,
                name=State(code).label,
                count=option.count,
                selected=option.selected,
                shade=shade_for(option.count, maximum),
                dom_id=option.dom_id,
            )
        )
    return tiles


def location_tiles(state: str) -> list[Tile]:
    """The tiles for a detail page: the one Land selected, the others muted."""
    return [
        Tile(code=code, abbreviation=abbreviation, name=State(code).label, selected=code == state)
        for code, abbreviation, _row, _column in TILE_LAYOUT
    ]


@register.simple_tag
def state_filter_tiles(facet: Facet) -> list[Tile]:
    return filter_tiles(facet)


@register.simple_tag
def state_location_tiles(state: str) -> list[Tile]:
    return location_tiles(state)
