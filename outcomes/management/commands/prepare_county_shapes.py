"""Prepare Minnesota's county shapes for the reach map, once, from the us-atlas package.

    npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    python manage.py prepare_county_shapes package/counties-10m.json

us-atlas redistributes the Census Bureau's cartographic county boundaries (2017, public domain)
as TopoJSON: shared arcs, quantized and delta-encoded, in longitude and latitude. This command
decodes the arcs of Minnesota's 87 counties (state FIPS 27), projects them with an Albers
equal-area conic fitted to the state, scales them to a viewBox and writes one SVG path string
per county, keyed by the county values of ``outreach.enums``, to ``outcomes/data/``. The app
reads only that file: there is no TopoJSON or projection code at run time.
"""

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outreach.enums import COUNTY_CHOICES, MINNESOTA_COUNTIES, OUTSIDE_MINNESOTA

MINNESOTA_FIPS = "27"
OUTPUT = Path(__file__).resolve().parents[2] / "data" / "mn_counties.json"
VIEW_WIDTH = 600.0
PADDING = 4.0
# Albers equal-area conic for Minnesota: standard parallels a sixth in from its latitude span
# (43.5°N to 49.4°N), centred on its middle meridian.
STANDARD_PARALLELS = (44.5, 48.4)
CENTRAL_MERIDIAN = -94.3
ORIGIN_LATITUDE = 46.4


def arcs_decode(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of the topology as absolute (longitude, latitude) points."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring's points from its arc indexes; ~i (negative) is arc i reversed. Shared end points appear once."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    raise CommandError(f"Unexpected geometry type {geometry['type']!r} for {geometry.get('id')}")


def albers(lon: float, lat: float) -> tuple[float, float]:
    """Albers equal-area conic (spherical) for Minnesota; y grows northwards."""
    phi1, phi2 = (math.radians(p) for p in STANDARD_PARALLELS)
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c - 2 * n * math.sin(math.radians(ORIGIN_LATITUDE))) / n
    rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
    theta = n * math.radians(lon - CENTRAL_MERIDIAN)
    return rho * math.sin(theta), rho0 - rho * math.cos(theta)


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data: one closed subpath per ring, whole-number-tenth coordinates, repeats dropped."""
    parts = []
    for ring in rings:
        rounded = []
        for x, y in ring:
            point = (round(x, 1), round(y, 1))
            if not rounded or rounded[-1] != point:
                rounded.append(point)
        if len(rounded) > 1 and rounded[0] == rounded[-1]:
            rounded.pop()
        if len(rounded) < 3:
            continue
        coords = " ".join(f"{_number(x)},{_number(y)}" for x, y in rounded)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def county_shapes(topology: dict) -> dict:
    """{"viewBox": [...], "counties": {value: {"name", "fips", "d"}}} for Minnesota's counties."""
    arcs = arcs_decode(topology)
    values = {name: value for value, name in COUNTY_CHOICES if value != OUTSIDE_MINNESOTA}
    projected: dict[str, tuple[str, str, list[list[tuple[float, float]]]]] = {}
    for geometry in topology["objects"]["counties"]["geometries"]:
        fips = str(geometry["id"])
        if not fips.startswith(MINNESOTA_FIPS):
            continue
        name = geometry["properties"]["name"]
        if name not in values:
            raise CommandError(f"County {name!r} ({fips}) is not one of outreach.enums.MINNESOTA_COUNTIES")
        rings = [
            [albers(lon, lat) for lon, lat in ring_points(ring, arcs)]
            for polygon in polygons_of(geometry)
            for ring in polygon
        ]
        projected[values[name]] = (name, fips, rings)
    missing = sorted(set(values.values()) - set(projected))
    if missing or len(projected) != len(MINNESOTA_COUNTIES):
        raise CommandError(f"Expected {len(MINNESOTA_COUNTIES)} counties; missing {missing}")

    xs = [x for _, _, rings in projected.values() for ring in rings for x, _ in ring]
    ys = [y for _, _, rings in projected.values() for ring in rings for _, y in ring]
    scale = (VIEW_WIDTH - 2 * PADDING) / (max(xs) - min(xs))
    height = round((max(ys) - min(ys)) * scale + 2 * PADDING, 1)

    def to_view(x: float, y: float) -> tuple[float, float]:
        return (x - min(xs)) * scale + PADDING, (max(ys) - y) * scale + PADDING

    counties = {
        value: {"name": name, "fips": fips, "d": path_data([[to_view(x, y) for x, y in ring] for ring in rings])}
        for value, (name, fips, rings) in sorted(projected.items())
    }
    return {
        "source": "U.S. Census Bureau cartographic boundary files 2017 (public domain), via us-atlas 3.0.1 "
        "counties-10m.json; Albers equal-area conic, standard parallels 44.5°N and 48.4°N",
        "viewBox": [0, 0, VIEW_WIDTH, height],
        "counties": counties,
    }


class Command(BaseCommand):
    help = "Write outcomes/data/mn_counties.json from us-atlas's counties-10m.json (TopoJSON)."

    def add_arguments(self, parser):
        parser.add_argument("topojson", type=Path, help="Path to us-atlas's counties-10m.json")
        parser.add_argument("--output", type=Path, default=OUTPUT)

    def handle(self, *args, topojson: Path, output: Path, **options):
        try:
            topology = json.loads(topojson.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {topojson}: {exc}") from exc
        shapes = county_shapes(topology)
        output.write_text(json.dumps(shapes, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {len(shapes['counties'])} counties to {output}")
