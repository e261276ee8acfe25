"""Networks and zones: the four networks, the three zones, and the links between HQs.

``wan`` stars each organisation's sites on its HQ (made with the sites, in
:mod:`planner.generate.organisations`). ``psn`` links each district HQ to its
county HQ (2-6 ms, plus a few links between neighbouring districts) and the area
hubs (county or unitary HQ) to their neighbouring hubs (8-20 ms; the minimum
spanning tree plus each hub's two nearest). ``psnp`` and ``hscn`` do the same, more
sparsely (spanning tree plus nearest), between the police forces' and NHS bodies'
HQs. Zone ``official`` uses ``[psn, wan]`` and requires ``[psn]`` (a PSN
compliance certificate covers a predefined infrastructure: we assume OFFICIAL
council systems run only in PSN-accredited rooms).
"""

from __future__ import annotations

import heapq
import math

from planner.generate.geography import km_xy
from planner.generate.records import Area, Org, Run, clamp
from planner.inventory.items import Network, Zone


def zones() -> list[Zone]:
    return [
        Zone(
            id="official",
            name="OFFICIAL council services",
            networks=["psn", "wan"],
            requires=["psn"],
        ),
        Zone(
            id="police",
            name="Police systems (PSN for Policing)",
            networks=["psnp"],
            requires=["pasf"],
            isolation="room",
        ),
        Zone(
            id="nhs",
            name="NHS patient data (HSCN)",
            networks=["hscn"],
            requires=["dspt"],
        ),
    ]


def networks() -> list[Network]:
    return [
        Network(id="wan", name="Council wide-area networks"),
        Network(id="psn", name="Public Services Network"),
        Network(id="psnp", name="PSN for Policing"),
        Network(id="hscn", name="Health and Social Care Network"),
    ]


def area_links(run: Run, area: Area) -> None:
    """PSN inside an area: each district HQ to the county HQ, a few district pairs."""
    rng = run.rng
    hub = area.lead
    districts = area.councils[1:]
    hub_x, hub_y = km_xy(hub.lat, hub.lon)
    for d in districts:
        x, y = km_xy(d.lat, d.lon)
        km = math.hypot(x - hub_x, y - hub_y)
        ms = round(clamp(2 + km * 0.06 + rng.uniform(0, 1.5), 2, 6), 1)
        run.link(hub.hq.id, d.hq.id, "psn", ms, 1000)
    for i, d in enumerate(districts):
        if len(districts) > 2 and rng.random() < 0.4:
            other = districts[(i + 1) % len(districts)]
            run.link(d.hq.id, other.hq.id, "psn", round(rng.uniform(2, 6), 1), 1000)


def backbone(run: Run, orgs: list[Org], network: str, k: int) -> None:
    """Links between neighbouring HQs (spanning tree plus k nearest), 8-20 ms."""
    rng = run.rng
    points = [km_xy(o.lat, o.lon) for o in orgs]
    for i, j in _nearest_links(points, k):
        km = math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1])
        ms = round(clamp(8 + km * 0.05 + rng.uniform(0, 3), 8, 20), 1)
        run.link(orgs[i].hq.id, orgs[j].hq.id, network, ms, 10000)


def _nearest_links(points: list[tuple[float, float]], k: int) -> list[tuple[int, int]]:
    """Edges of the minimum spanning tree of the points plus each point's k nearest.

    Deterministic: pairs are ordered (i < j) and returned sorted.
    """
    n = len(points)
    if n < 2:
        return []

    def dist(i: int, j: int) -> float:
        return math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1])

    edges: set[tuple[int, int]] = set()
    # Prim's algorithm, O(n^2) (n is at most a few hundred hubs).
    best = {j: (dist(0, j), 0) for j in range(1, n)}
    while best:
        j = min(best, key=lambda v: (best[v][0], v))
        _, i = best.pop(j)
        edges.add((min(i, j), max(i, j)))
        for v in best:
            d = dist(j, v)
            if d < best[v][0]:
                best[v] = (d, j)
    for i in range(n):
        near = heapq.nsmallest(k, (j for j in range(n) if j != i), key=lambda j: (dist(i, j), j))
        for j in near:
            edges.add((min(i, j), max(i, j)))
    return sorted(edges)
