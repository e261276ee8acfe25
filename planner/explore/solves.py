"""The solves a task runs in its worker: the target estate of an inventory (with limits or a
restriction), and a whole plan (target, schedule, money) for points that must be checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.inventory.findings import Findings
from planner.inventory.graph import EstateGraph
from planner.inventory.items import Inventory
from planner.inventory.load import Loaded
from planner.optimise import OptimiseOptions, optimise
from planner.solver import NEIGHBOURHOOD_ABOVE, Problem, SolveOptions, solve
from planner.target import EstateProblem, LimitOptions, build_problem, target_of

Restrict = Callable[[EstateProblem], Problem]


def solve_target(
    inv: Inventory,
    *,
    max_rooms: int | None = None,
    max_desks: int | None = None,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    restrict: Restrict | None = None,
) -> dict[str, Any]:
    """The target model's optimum (one-off + A x running cost, GBP) of an inventory:
    {status, objective, bound, rooms_open, desks_open, wall_s}; ``restrict`` changes the
    solver's problem before the solve (a coalition, say)."""
    start = time.monotonic()
    ep = build_problem(inv, EstateGraph(inv), LimitOptions(max_rooms, max_desks))
    problem = restrict(ep) if restrict is not None else ep.problem
    # Large estates take the layers and the block search, as `planner optimise` does:
    # a short solve of the whole model may not get past today's estate.
    options = SolveOptions(
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
        neighbourhood_above=NEIGHBOURHOOD_ABOVE,
    )
    outcome = solve(problem, options)
    rooms_open: list[str] = []
    desks_open: list[str] = []
    if outcome.solution is not None:
        target = target_of(ep, outcome.solution) if problem is ep.problem else None
        if target is not None:
            rooms_open = sorted(target.open_rooms)
            desks_open = sorted(target.open_desks)
        else:
            rooms_open = sorted(
                room.id for r, room in enumerate(problem.rooms) if outcome.solution.room_open[r]
            )
            desks_open = sorted(
                d.id for i, d in enumerate(problem.desks) if outcome.solution.desk_open[i]
            )
    return {
        "status": outcome.status.value,
        "objective": outcome.objective,
        "bound": outcome.bound,
        "rooms_open": rooms_open,
        "desks_open": desks_open,
        "wall_s": time.monotonic() - start,
    }


def whole_plan(
    inv: Inventory,
    *,
    max_rooms: int | None = None,
    max_desks: int | None = None,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
) -> dict[str, Any]:
    """What ``planner optimise`` makes of the inventory (no reasons measured): {status,
    objective, rooms_open, desks_open, plan, wall_s}. The plan is checked by the caller,
    which has the estate's files.

    The months come from the greedy scheduler (CP-SAT's schedule only when the greedy
    finds none): the objective (one-off + A x the target's running cost) depends on the
    months only through hardware refresh prices, and a CP-SAT schedule of a few hundred
    moves takes tens of seconds with one worker where the greedy takes a fraction of one.
    """
    start = time.monotonic()
    loaded = Loaded(inv, Path("."), [], findings=Findings())
    options = OptimiseOptions(
        max_rooms=max_rooms,
        max_desks=max_desks,
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
        explain_reasons=False,
        schedule_method="greedy",
    )
    plan = optimise(loaded, options).plan
    if plan["solver"]["status"] not in ("optimal", "feasible") and plan["solver"].get(
        "schedule_status"
    ) not in (None, "infeasible"):
        plan = optimise(loaded, replace(options, schedule_method="auto")).plan
    feasible = plan["solver"]["status"] in ("optimal", "feasible")
    return {
        "status": plan["solver"]["status"],
        "objective": plan["solver"]["objective"] if feasible else None,
        "rooms_open": sorted(r["id"] for r in plan["rooms"] if r["decision"] in ("keep", "open"))
        if feasible
        else [],
        "desks_open": sorted(d["id"] for d in plan["desks"] if d["decision"] == "keep")
        if feasible
        else [],
        "plan": plan,
        "wall_s": time.monotonic() - start,
    }
