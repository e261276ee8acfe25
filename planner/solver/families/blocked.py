"""Shared by the families whose rule removes options before the model is built."""

from __future__ import annotations

from planner.solver.vars import Built

GUARD_NAMES = {"latency": "user-latency"}


def add_blocked(b: Built, rule: str) -> None:
    """In an explanation model: guard(rule, w) => x[w, r] = 0 for each room blocked by rule."""
    if not b.explain:
        return
    for w, wl in enumerate(b.problem.workloads):
        for r, why in wl.blocked:
            if why == rule:
                b.model.add(b.x[(w, r)] == 0).only_enforce_if(
                    b.guard(GUARD_NAMES.get(rule, rule), w)
                )
