"""Pareto curves (spec/explore.md): the best plan's objective for each limit on rooms
(``--max-rooms k``), and a second curve for desks (``--max-desks k``).

Each point is ``planner optimise --max-rooms k`` (no reasons), run as a task; the driver
checks each plan with the independent checker. k runs from 1 to today's number of rooms
as ``--max-rooms`` counts them (open shared-service rooms that are not suites); more
rooms allowed only widens the choice, so the objective falls (weakly) with k and the
infeasible ks are the smallest ones.

The knee: of the feasible points (k_i, z_i), the one farthest below the straight line
from the first to the last, both axes scaled to [0, 1]: after it, one more room saves
least for what it keeps open (the "Kneedle" rule). A flat curve (more rooms save
nothing) has its knee at its first feasible point; one feasible point is its own knee.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.explore.solves import whole_plan
from planner.inventory.items import Inventory

TOLERANCE = 0.005
"""GBP: objectives closer than half a penny are equal."""


@dataclass(frozen=True)
class Limit:
    """One point: the whole plan with at most ``k`` rooms (or desks)."""

    what: str
    """rooms or desks"""
    k: int
    max_rooms: int | None
    max_desks: int | None
    time_limit_s: float
    seed: int

    @property
    def key(self) -> str:
        return f"pareto:{self.what}:{self.k}"

    def run(self, inventory: Inventory) -> dict[str, Any]:
        return whole_plan(
            inventory,
            max_rooms=self.max_rooms,
            max_desks=self.max_desks,
            time_limit_s=self.time_limit_s,
            seed=self.seed,
        )


def counted_rooms(inv: Inventory) -> int:
    """Rooms open today as --max-rooms counts them."""
    return sum(
        1
        for r in inv.rooms
        if r.status == "existing"
        and r.within is None
        and inv.in_shared_service(inv.site[r.site].organisation)
    )


def counted_desks(inv: Inventory) -> int:
    """Desks today as --max-desks counts them."""
    return sum(1 for d in inv.service_desks if inv.in_shared_service(inv.site[d.site].organisation))


def pareto_tasks(inv: Inventory, *, desks: bool, time_limit_s: float, seed: int) -> list[Limit]:
    """A point for each k = 1..today's rooms (and desks, with ``desks``)."""
    tasks = [
        Limit("rooms", k, k, None, time_limit_s, seed) for k in range(1, counted_rooms(inv) + 1)
    ]
    if desks:
        tasks += [
            Limit("desks", k, None, k, time_limit_s, seed) for k in range(1, counted_desks(inv) + 1)
        ]
    return tasks


def summarise_pareto(
    done: dict[str, dict[str, Any]], tasks: list[Limit], what: str
) -> list[dict[str, Any]]:
    """One curve: its points by k, the knee marked (checked: set by the driver)."""
    points = []
    for task in tasks:
        if task.what != what or task.key not in done:
            continue
        res = done[task.key]
        point: dict[str, Any] = {
            f"max_{what}": task.k,
            "objective": res["objective"],
            "status": res["status"],
            "rooms_open": res["rooms_open"],
            "desks_open": res["desks_open"],
            "knee": False,
        }
        if "checked" in res:
            point["checked"] = res["checked"]
        points.append(point)
    knee = knee_index([(p[f"max_{what}"], p["objective"]) for p in points])
    if knee is not None:
        points[knee]["knee"] = True
    return points


def knee_index(points: list[tuple[int, float | None]]) -> int | None:
    """Index of the knee among ``points`` (k, objective or None), by the rule of the
    module docstring; None without a feasible point."""
    feasible = [(i, k, z) for i, (k, z) in enumerate(points) if z is not None]
    if not feasible:
        return None
    (i0, k0, z0), (_, k1, z1) = feasible[0], feasible[-1]
    if z0 <= z1 + TOLERANCE or k1 == k0:
        return i0  # more rooms save nothing
    best, best_gap = None, 0.0
    for i, k, z in feasible:
        x = (k - k0) / (k1 - k0)
        y = (z - z1) / (z0 - z1)  # 1 at the first point, 0 at the last
        gap = (1 - x) - y  # how far below the chord y = 1 - x
        if gap > best_gap + 1e-12:
            best, best_gap = i, gap
    return best
