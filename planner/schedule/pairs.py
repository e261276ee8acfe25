"""Order rules between pairs of moving workloads (rule 10 for rules 6 and 7).

For a dependency or DR pair (a, b) where both move, the intermediate states
are (to_a, from_b) while a has moved and b not yet (t_a <= m < t_b), and
(from_a, to_b) in the opposite case. Today's state and the target are legal,
so only these mixed states can break the pair's rule:

* (to_a, from_b) illegal  =>  t_a >= t_b   (a may not move before b)
* (from_a, to_b) illegal  =>  t_b >= t_a
* both illegal            =>  t_a = t_b    (they move in the same month)

If only one of them moves, every state is today's or the target's, both legal.
Workloads tied by equalities form *move groups*, which the plan reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from planner.inventory.geo import great_circle_km
from planner.inventory.graph import EstateGraph
from planner.inventory.items import Inventory

EPS = 1e-9


@dataclass(frozen=True)
class Order:
    """``first`` may not move after ``second`` (t_first <= t_second), for ``reason``."""

    first: str
    second: str
    reason: str
    """'dependency' or 'resilience'."""
    label: str


def _dependency_ok(
    inv: Inventory, graph: EstateGraph, a: str, b: str, room_a: str, room_b: str, limit: float
) -> bool:
    za, zb = inv.workload[a].zone, inv.workload[b].zone
    return (
        graph.dependency_latency(za, zb, inv.room[room_a].site, inv.room[room_b].site)
        <= limit + EPS
    )


def _apart_ok(inv: Inventory, room_a: str, room_b: str) -> bool:
    sa, sb = inv.site[inv.room[room_a].site], inv.site[inv.room[room_b].site]
    if sa.id == sb.id:
        return False
    km = inv.estate.dr_min_distance_km
    return km <= 0 or great_circle_km(sa.lat, sa.lon, sb.lat, sb.lon) + EPS >= km


def order_rules(inv: Inventory, graph: EstateGraph, target: dict[str, str]) -> list[Order]:
    """Every order rule between moving workloads (see the module docstring)."""
    moving = {w.id for w in inv.workloads if target[w.id] != w.room}
    rules: list[Order] = []
    pairs: list[tuple[str, str, str, float]] = []
    for w in inv.workloads:
        for dep in w.depends_on:
            pairs.append(("dependency", w.id, dep.workload, dep.max_latency_ms))
    seen: set[frozenset[str]] = set()
    for w in inv.workloads:
        for other in w.distinct_site_from:
            key = frozenset((w.id, other))
            if key not in seen:
                seen.add(key)
                pairs.append(("resilience", w.id, other, 0.0))
    for reason, a, b, limit in pairs:
        if a not in moving or b not in moving:
            continue
        fa, fb = inv.workload[a].room, inv.workload[b].room
        ta, tb = target[a], target[b]
        if reason == "dependency":
            a_first_ok = _dependency_ok(inv, graph, a, b, ta, fb, limit)
            b_first_ok = _dependency_ok(inv, graph, a, b, fa, tb, limit)
            label = f"{a} depends on {b} within {limit:g} ms"
        else:
            a_first_ok = _apart_ok(inv, ta, fb)
            b_first_ok = _apart_ok(inv, fa, tb)
            label = f"{a} and {b} must stay on different sites"
        if not a_first_ok:  # (to_a, from_b) illegal: a may not move before b
            rules.append(Order(b, a, reason, label))
        if not b_first_ok:
            rules.append(Order(a, b, reason, label))
    return rules


def move_groups(rules: list[Order]) -> list[list[str]]:
    """Workloads that must move in the same month (both orders required), as sorted groups."""
    directed = {(r.first, r.second) for r in rules}
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b in directed if (b, a) in directed)
    groups = [sorted(c) for c in nx.connected_components(g)]
    return sorted(groups, key=lambda c: (-len(c), c[0]))
