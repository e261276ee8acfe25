"""One module per constraint family, each ``add(built)`` with its math in the docstring.

:data:`FAMILIES` is the ordered registry; :func:`planner.solver.build.build`
calls each in turn. Family names are stable: tests, explanations and
``docs/architecture.md`` refer to them.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.solver.families import (
    accreditation,
    assignment,
    capacity,
    dependency,
    desk_bound,
    desks,
    dominance,
    migration_budget,
    move_pairs,
    objective,
    resilience,
    rooms,
    separation,
    suites,
    upgrades,
    user_latency,
)
from planner.solver.variables import FacilityModel

Family = Callable[[FacilityModel], None]

FAMILIES: dict[str, Family] = {
    "assignment": assignment.add,
    "capacity": capacity.add,
    "dominance": dominance.add,
    "accreditation": accreditation.add,
    "separation": separation.add,
    "user-latency": user_latency.add,
    "dependency-latency": dependency.add,
    "resilience": resilience.add,
    "rooms": rooms.add,
    "suites": suites.add,
    "upgrades": upgrades.add,
    "migration-budget": migration_budget.add,
    "move-pairs": move_pairs.add,
    "desks": desks.add,
    "desk-bound": desk_bound.add,
    "objective": objective.add,
}
"""Constraint families in build order."""
