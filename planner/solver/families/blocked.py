"""Shared by the families whose rule removes options before the model is built."""

from __future__ import annotations

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add_blocked(b: FacilityModel, rule: Guard) -> None:
    """In an explanation model: guard(rule, w) => x[w, r] = 0 for each room blocked by rule."""
    if not b.explain:
        return
    for w, wl in enumerate(b.problem.workloads):
        for r, why in wl.blocked:
            if why is rule:
                b.model.add(b.x[(w, r)] == 0).only_enforce_if(b.guard(rule, w))
