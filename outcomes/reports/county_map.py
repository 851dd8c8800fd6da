"""A map of Minnesota's counties shaded by a number (people reached), as an accessible inline SVG.

The county outlines are prepared once from public-domain Census shapes and committed as
``outcomes/data/mn_counties.json`` (see the ``prepare_county_shapes`` command); this module
only reads them. Pure functions: numbers in, SVG text out.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

SHAPES_FILE = Path(__file__).resolve().parents[1] / "data" / "mn_counties.json"
# Blues from ColorBrewer's "Blues" range, light to dark; counties with nothing stay white with a grey
# outline. The lightest blue has a contrast of at least 3:1 with white (WCAG's rule for graphics),
# so "a few people" never looks like "no presentations".
CLASS_COLOURS = ("#4292c6", "#2b7bba", "#1764ab", "#0a4a90", "#08306b")
EMPTY_COLOUR = "#ffffff"
LEGEND_WIDTH = 170
MSG_NONE = _("No presentations")


@cache
def county_shapes() -> dict:
    """The committed shapes: {"viewBox": [x, y, w, h], "counties": {value: {"name", "fips", "d"}}}."""
    return json.loads(SHAPES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ColourClass:
    low: int
    high: int
    colour: str

    @property
    def label(self) -> str:
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"


def _nice_step(raw: float) -> int:
    """The smallest of 1, 2, 2.5, 3, 4 and 5 times a power of ten that is at least ``raw`` (whole numbers)."""
    if raw <= 1:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 3, 4, 5, 10):
        step = factor * power
        if step >= raw and step == int(step):
            return int(step)
    return int(10 * power)


def colour_classes(maximum: int) -> list[ColourClass]:
    """Up to five equal classes of round width from 1 to ``maximum`` (none when nothing was reached).

    Fewer classes take colours spread over the whole scale, so the top class is always the darkest.
    """
    if maximum <= 0:
        return []
    step = _nice_step(maximum / len(CLASS_COLOURS))
    count = math.ceil(maximum / step)
    last = len(CLASS_COLOURS) - 1
    shades = [CLASS_COLOURS[round(n * last / (count - 1)) if count > 1 else last] for n in range(count)]
    return [ColourClass(n * step + 1, (n + 1) * step, shades[n]) for n in range(count)]


def colour_for(value: int, classes: list[ColourClass]) -> str:
    for cls in classes:
        if cls.low <= value <= cls.high:
            return cls.colour
    return EMPTY_COLOUR


def county_map_svg(
    *, people: dict[str, int], presentations: dict[str, int], title: str, description: str, id_prefix: str = "map"
) -> SafeString:
    """The map as an ``<svg role="img">`` with a title, a description, one titled <path> per county
    (name and numbers, for pointer and screen-reader users alike) and the legend drawn inside."""
    shapes = county_shapes()
    x, y, width, height = shapes["viewBox"]
    classes = colour_classes(max(people.values(), default=0))
    paths = format_html_join(
        "\n",
        '<path id="{}-{}" d="{}" fill="{}" data-people="{}"><title>{}</title></path>',
        (
            (
                id_prefix,
                value,
                county["d"],
                colour_for(people.get(value, 0), classes),
                people.get(value, 0),
                _county_title(county["name"], people.get(value, 0), presentations.get(value, 0)),
            )
            for value, county in shapes["counties"].items()
        ),
    )
    legend = _legend(classes, x=width + 10, y=height - 24 * (len(classes) + 1) - 60)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" class="county-map">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g stroke="#6b6b6b" stroke-width="0.6" stroke-linejoin="round">{}</g>{}</svg>',
        x,
        y,
        width + LEGEND_WIDTH,
        height,
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        paths,
        legend,
    )


def _county_title(name: str, people: int, presentations: int) -> str:
    if not presentations and not people:
        return f"{name} County: {MSG_NONE}"
    reached = ngettext("%(n)s person reached", "%(n)s people reached", people) % {"n": f"{people:,}"}
    given = ngettext("%(n)s presentation", "%(n)s presentations", presentations) % {"n": f"{presentations:,}"}
    return f"{name} County: {reached}, {given}"


def _legend(classes: list[ColourClass], *, x: float, y: float) -> SafeString:
    """The key, drawn to the right of the state, beside the south-east."""
    rows = [(EMPTY_COLOUR, str(MSG_NONE))] + [(cls.colour, cls.label) for cls in classes]
    items = format_html_join(
        "",
        '<rect x="{}" y="{}" width="18" height="18" fill="{}" stroke="#6b6b6b" stroke-width="0.6"/>'
        '<text x="{}" y="{}" font-size="14" fill="#1f1f1f">{}</text>',
        ((x, y + 24 * n + 18, colour, x + 26, y + 24 * n + 32, label) for n, (colour, label) in enumerate(rows)),
    )
    heading = format_html(
        '<text x="{}" y="{}" font-size="14" font-weight="bold" fill="#1f1f1f">{}</text>', x, y + 8, _("People reached")
    )
    return format_html('<g class="legend" aria-hidden="true">{}{}</g>', heading, items)


def legend_rows(people: dict[str, int]) -> list[tuple[str, str]]:
    """(colour, label) of the legend, for an HTML key next to the map."""
    classes = colour_classes(max(people.values(), default=0))
    return [(EMPTY_COLOUR, str(MSG_NONE))] + [(cls.colour, cls.label) for cls in classes]
