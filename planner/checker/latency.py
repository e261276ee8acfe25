"""Latency and distance, computed afresh from the estate's links and coordinates.

Rule 5: latency from site A to site B for a zone is the shortest path over the
links whose network is one of the zone's networks (0 within a site; no path =
unreachable). Rule 6 measures over the networks common to both zones. Rule 7
uses the great-circle distance. Our own Dijkstra (heapq) and haversine, so that
the checker shares no code with the optimiser's graph.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from fractions import Fraction

from planner.checker.amounts import q
from planner.inventory.items import Inventory

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two WGS84 points in decimal degrees, km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def shortest_paths(
    adjacency: dict[str, list[tuple[str, Fraction]]], source: str
) -> dict[str, Fraction]:
    """Dijkstra from one site: the least latency to every site it reaches (itself at 0)."""
    best: dict[str, Fraction] = {source: Fraction(0)}
    tie = itertools.count()
    heap: list[tuple[Fraction, int, str]] = [(Fraction(0), next(tie), source)]
    done: set[str] = set()
    while heap:
        dist, _, site = heapq.heappop(heap)
        if site in done:
            continue
        done.add(site)
        for other, weight in adjacency.get(site, ()):
            candidate = dist + weight
            if other not in best or candidate < best[other]:
                best[other] = candidate
                heapq.heappush(heap, (candidate, next(tie), other))
    return best


class Latencies:
    """Shortest-path latency between sites over a set of networks, cached per source."""

    def __init__(self, inv: Inventory) -> None:
        self._inv = inv
        self._links: dict[str, list[tuple[str, str, Fraction]]] = defaultdict(list)
        for link in inv.links:
            self._links[link.network].append((link.a, link.b, q(link.latency_ms)))
        self._adjacency: dict[frozenset[str], dict[str, list[tuple[str, Fraction]]]] = {}
        self._cache: dict[tuple[frozenset[str], str], dict[str, Fraction]] = {}

    def _graph(self, networks: frozenset[str]) -> dict[str, list[tuple[str, Fraction]]]:
        if networks not in self._adjacency:
            adjacency: dict[str, list[tuple[str, Fraction]]] = defaultdict(list)
            for network in sorted(networks):
                for a, b, ms in self._links.get(network, ()):
                    adjacency[a].append((b, ms))
                    adjacency[b].append((a, ms))
            self._adjacency[networks] = dict(adjacency)
        return self._adjacency[networks]

    def over(self, networks: frozenset[str], a: str, b: str) -> Fraction | None:
        """Least latency from ``a`` to ``b`` over ``networks``; 0 on one site; None if none."""
        if a == b:
            return Fraction(0)
        key = (networks, a)
        if key not in self._cache:
            self._cache[key] = shortest_paths(self._graph(networks), a)
        return self._cache[key].get(b)

    def zone(self, zone: str, a: str, b: str) -> Fraction | None:
        """Rule 5: latency for one zone's traffic."""
        z = self._inv.zone.get(zone)
        return self.over(frozenset(z.networks) if z else frozenset(), a, b)

    def zones(self, zone1: str, zone2: str, a: str, b: str) -> Fraction | None:
        """Rule 6: latency over the networks common to two zones."""
        z1, z2 = self._inv.zone.get(zone1), self._inv.zone.get(zone2)
        common = set(z1.networks) & set(z2.networks) if z1 and z2 else set()
        return self.over(frozenset(common), a, b)
