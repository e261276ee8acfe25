"""Where things are: England as a local plane in km, points at a distance and bearing, and
the areas (a county and its districts, or a unitary) spread over the map.

Area centres are placed by dart throwing, big areas first, with radii growing with
the number of councils, so areas are clusters that do not overlap much.
"""

from __future__ import annotations

import math
from typing import Literal

from planner.generate.records import Area, Run

LAT_RANGE = (50.5, 54.8)
"""Latitudes of generated sites (England, roughly)."""
LON_RANGE = (-3.5, 1.5)
"""Longitudes of generated sites."""
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON_EQUATOR = 111.32


def km_xy(lat: float, lon: float) -> tuple[float, float]:
    """A local plane in km (good enough to space areas; sites use exact offsets)."""
    lat0 = math.radians(sum(LAT_RANGE) / 2)
    return lon * KM_PER_DEG_LON_EQUATOR * math.cos(lat0), lat * KM_PER_DEG_LAT


def xy_latlon(x: float, y: float) -> tuple[float, float]:
    lat0 = math.radians(sum(LAT_RANGE) / 2)
    return y / KM_PER_DEG_LAT, x / (KM_PER_DEG_LON_EQUATOR * math.cos(lat0))


def offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on ``bearing`` (radians), on a local tangent plane."""
    dlat = km * math.cos(bearing) / KM_PER_DEG_LAT
    dlon = km * math.sin(bearing) / (KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def plan_areas(run: Run, councils: int) -> list[Area]:
    """Group the councils into areas (about a fifth of them counties of 4-8 councils, the
    rest unitaries) and place the areas on the map."""
    rng = run.rng
    areas: list[Area] = []
    left, index = councils, 0
    while left > 0:
        if left >= 4 and rng.random() < 0.2:
            size = min(left, 1 + rng.randint(3, 7))
            if left - size in (1, 2, 3) and rng.random() < 0.5:
                size = left  # absorb a small remainder into the county
            size = min(size, 8)
            kind: Literal["county", "unitary"] = "county"
        else:
            size, kind = 1, "unitary"
        areas.append(Area(index, kind, size, 0.0))
        left -= size
        index += 1
    _place_areas(run, areas, councils)
    return areas


def _place_areas(run: Run, areas: list[Area], councils: int) -> None:
    """Dart throwing: big areas first, each at least 0.75 (r_i + r_j) from the others."""
    rng = run.rng
    x0, y0 = km_xy(LAT_RANGE[0], LON_RANGE[0])
    x1, y1 = km_xy(LAT_RANGE[1], LON_RANGE[1])
    box = (x1 - x0) * (y1 - y0)
    base = min(14.0, math.sqrt(0.6 * box / (math.pi * councils)))
    for area in areas:
        area.radius_km = base * math.sqrt(area.n_councils) * rng.uniform(0.85, 1.15)
    placed: list[Area] = []
    for area in sorted(areas, key=lambda a: (-a.radius_km, a.index)):
        margin = area.radius_km + 12.0  # sites lie up to ~ r + 10 km from the centre
        factor = 0.75
        while True:
            for _ in range(200):
                x = rng.uniform(x0 + margin, x1 - margin)
                y = rng.uniform(y0 + margin, y1 - margin)
                if all(
                    math.hypot(x - o.x, y - o.y) >= factor * (area.radius_km + o.radius_km)
                    for o in placed
                ):
                    break
            else:
                factor *= 0.85
                continue
            break
        area.x, area.y = x, y
        placed.append(area)
