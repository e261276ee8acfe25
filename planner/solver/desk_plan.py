"""The desk layer of a large estate solved on its own: packed, bounded, re-packed, checked.

In order, within the desks' time T (:func:`planner.solver.layers.solve_layers`):

1. the flow's plan rounded (``families/desk_bound.py``) and packed by the local
   search (:mod:`planner.solver.desk_search`);
2. the desks' Lagrangian bound (:mod:`planner.solver.desk_lagrange`) for
   :data:`BOUND_SHARE` of T, aimed at that plan's cost, recording its columns;
3. the columns re-packed by CP-SAT (:mod:`planner.solver.desk_columns`) for
   :data:`REPACK_SHARE` of T, and packed again by the local search;
4. CP-SAT on the whole desk model for the rest of T, from the best of these plans
   and today's (each checked whole by CP-SAT first), reported with the better of
   its bound and step 2's.

With one worker every stage has a deterministic allowance (the bound a number of
steps from the problem's size, CP-SAT deterministic time), so runs repeat.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from planner.solver import desk_search
from planner.solver.build import build, replace_hint
from planner.solver.desk_columns import Column, plan_cost, repack
from planner.solver.desk_lagrange import desk_bound
from planner.solver.families.desk_bound import staffing
from planner.solver.lagrange import raised
from planner.solver.options import SolveOptions
from planner.solver.problem import Problem
from planner.solver.results import Outcome, Progress, Solution, Status
from planner.solver.search import check_hint, solve_model

BOUND_SHARE = 0.1
"""Share of the desks' time for their Lagrangian bound (its start, the flow's dual
prices, gives most of it in a fraction of a second: docs/benchmarks.md section 11)."""
REPACK_SHARE = 0.5
"""Share of the desks' time for re-packing the bound's columns."""


def solve_desks(
    p: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None = None,
) -> Outcome:
    """The desk layer ``p`` (no rooms) within ``options.time_limit_s`` (module docstring)."""
    start = time.monotonic()
    seconds = options.time_limit_s
    one = options.workers <= 1
    model = build(p)
    best = check_hint(model)  # today's desks
    bound = None
    flow = staffing(p)
    if flow is not None:
        rounded = flow[1]
        packed = None
        if rounded is not None:
            packed = desk_search.improve(p, rounded, time_limit_s=math.inf if one else seconds / 4)
        columns: set[Column] = set()
        bound = desk_bound(
            p,
            time_limit_s=seconds * BOUND_SHARE,
            target=None if packed is None else plan_cost(p, packed),
            deterministic=one,
            columns=columns,
        )
        if packed is not None:
            repacked = repack(
                p, columns, packed, replace(options, time_limit_s=seconds * REPACK_SHARE)
            )
            repacked = desk_search.improve(
                p, repacked, time_limit_s=math.inf if one else seconds / 10
            )
            replace_hint(model, desk_solution(p, repacked))
            found = check_hint(model)
            if found is not None and (best is None or _cheaper(found, best)):
                best = found
        if best is not None and best.solution is not None:
            replace_hint(model, best.solution)
    spent = seconds * (BOUND_SHARE + REPACK_SHARE) if one else time.monotonic() - start
    out = solve_model(
        p,
        replace(options, time_limit_s=max(1.0, seconds - spent)),
        on_progress,
        model,
        fallback=best,
    )
    if bound is not None and out.status in (Status.FEASIBLE, Status.UNKNOWN):
        out = raised(p, out, bound.units)
    return replace(out, wall_s=time.monotonic() - start)


def _cheaper(a: Outcome, b: Outcome) -> bool:
    """``a``'s plan costs less than ``b``'s."""
    return (a.objective or 0) < (b.objective or 0)


def desk_solution(p: Problem, desk_of: list[int]) -> Solution:
    """Organisations at these desks, each desk with the staff its tickets need and open
    when it serves someone (a desk whose seats cannot answer its tickets gets none: no
    plan, as the model's check says)."""
    load = [0] * len(p.desks)
    for o, d in enumerate(desk_of):
        load[d] += p.organisations[o].tickets
    fte = [desk.staff(load[d]) or 0 for d, desk in enumerate(p.desks)]
    served = set(desk_of)
    desk_open = [d in served for d in range(len(p.desks))]
    return Solution([], [], desk_open, list(desk_of), fte)
