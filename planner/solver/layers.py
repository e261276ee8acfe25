"""Large estates: the desk and room layers solved apart, the rooms from the block search.

Above :data:`~planner.solver.options.NEIGHBOURHOOD_ABOVE` options the whole
model is too slow to find good plans: :func:`solve_layers` solves the two layers
(which share no constraint) one after the other, and the room layer starts from
today's checked estate improved block by block (:mod:`planner.solver.blocks`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from planner.solver.blocks import cost_terms, improve
from planner.solver.build import build, replace_hint
from planner.solver.desk_plan import solve_desks
from planner.solver.lagrange import with_relaxed_bound
from planner.solver.options import SolveOptions
from planner.solver.problem import Problem
from planner.solver.results import Outcome, Progress, Solution, Status
from planner.solver.room_bound import transport_bound
from planner.solver.search import Watcher, check_hint, solve_model


def is_big(problem: Problem, options: SolveOptions) -> bool:
    """More assignment options than ``options.neighbourhood_above``."""
    above = options.neighbourhood_above
    return above is not None and sum(len(wl.options) for wl in problem.workloads) > above


def desk_layer(problem: Problem) -> Problem:
    """The desks and organisations of ``problem`` alone (no rooms, no offset)."""
    return replace(
        problem,
        name=problem.name + " (desks)",
        rooms=(),
        workloads=(),
        upgrades=(),
        site_rules=(),
        at_most_one=(),
        max_rooms=None,
        move_budget=None,
        cost_offset=0.0,
    )


def room_layer(problem: Problem) -> Problem:
    """The rooms and workloads of ``problem`` alone (no desks, no offset)."""
    return replace(
        problem,
        name=problem.name + " (rooms)",
        desks=(),
        organisations=(),
        max_desks=None,
        cost_offset=0.0,
    )


def solve_layers(
    problem: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None = None,
) -> Outcome:
    """Solve the desk layer and the room layer apart, then add them up.

    No constraint links a desk variable to a room variable (families ``desks`` and
    ``objective``), so with z = z_desks + z_rooms (+ the offset) the optimum is the
    sum of the layers' optima and the sum of their proven bounds is a proven bound.
    Each CP-SAT run then spends its time on one layer instead of interleaving both
    (docs/benchmarks.md). The desks get a share of the time in proportion to their
    variables, quartered (between 10% and 50%; :mod:`planner.solver.desk_plan`); the rooms get
    what is left."""
    start = time.monotonic()
    offset = problem.cost_offset
    desks, rooms = desk_layer(problem), room_layer(problem)
    desk_vars = sum(len(o.options) for o in problem.organisations)
    room_vars = sum(len(wl.options) for wl in problem.workloads)
    share = min(0.5, max(0.1, desk_vars / max(1, desk_vars + room_vars) / 4))
    total = options.time_limit_s

    def report(desk_out: Outcome | None) -> Callable[[Progress], None] | None:
        if on_progress is None:
            return None
        progress = on_progress

        def send(p: Progress) -> None:
            elapsed = time.monotonic() - start
            if desk_out is None:
                progress(Progress(None, None, elapsed, p.solutions))
                return
            objective = bound = None
            if p.objective is not None and desk_out.objective is not None:
                objective = p.objective + desk_out.objective + offset
            if p.bound is not None and desk_out.bound is not None:
                bound = p.bound + desk_out.bound + offset
            progress(Progress(objective, bound, elapsed, p.solutions))

        return send

    d = solve_desks(desks, replace(options, time_limit_s=total * share), report(None))
    used = total * share if options.workers <= 1 else time.monotonic() - start
    if d.status is Status.INFEASIBLE:
        return Outcome(Status.INFEASIBLE, None, None, time.monotonic() - start, None)
    room_options = replace(options, time_limit_s=max(1.0, total - used))
    if is_big(rooms, options):
        r = solve_rooms_from_blocks(rooms, room_options, report(d))
    else:
        r = solve_model(rooms, room_options, report(d))
    wall = time.monotonic() - start
    if r.status is Status.INFEASIBLE:
        return Outcome(Status.INFEASIBLE, None, None, wall, None)
    bound = None if d.bound is None or r.bound is None else d.bound + r.bound + offset
    if d.solution is None or r.solution is None or d.objective is None or r.objective is None:
        return Outcome(Status.UNKNOWN, None, bound, wall, None)
    both = d.status is Status.OPTIMAL and r.status is Status.OPTIMAL
    solution = Solution(
        room_open=r.solution.room_open,
        assignment=r.solution.assignment,
        desk_open=d.solution.desk_open,
        desk_of=d.solution.desk_of,
        fte=d.solution.fte,
    )
    return Outcome(
        Status.OPTIMAL if both else Status.FEASIBLE,
        d.objective + r.objective + offset,
        bound,
        wall,
        solution,
        {**r.breakdown, **{k: v for k, v in d.breakdown.items() if k == "desks"}},
        d.solutions_found + r.solutions_found,
    )


WHOLE_MODEL_MIN_S = 2.0
"""With several workers, the whole room model is searched after the block search only
when at least this much of the time is left."""


def solve_rooms_from_blocks(
    problem: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
) -> Outcome:
    """Rooms only: today's estate checked, the block search
    (:mod:`planner.solver.blocks`) for ``neighbourhood_share`` of the time, then the whole
    model from its result, which gives the proven bound and may improve on it, then
    the Lagrangian bound (:mod:`planner.solver.lagrange`) for ``relaxation_share`` of
    the time. The best of the three plans is returned with the best of the bounds.
    With several workers the time counts from the start (the model's build and
    today's check included) and the whole model is skipped when less than
    :data:`WHOLE_MODEL_MIN_S` is left; with one worker the stages' deterministic
    allowances are as above, whatever the clock says."""
    start = time.monotonic()
    watcher = Watcher(problem, on_progress, start)
    b = build(problem)
    today = check_hint(b)
    if today is not None and today.objective is not None:
        watcher.on_solution_value(today.objective)

    def on_incumbent(units: int) -> None:
        watcher.on_solution_value(problem.objective_money(units))

    relaxation_s = options.time_limit_s * options.relaxation_share
    budget = options.time_limit_s * options.neighbourhood_share
    clock = options.workers > 1
    if clock and today is not None:
        # The build and today's check count: on 337 councils they take 20 s.
        budget = min(budget, options.time_limit_s - relaxation_s - (time.monotonic() - start))
    found = improve(
        problem,
        max(0.0, budget),
        options.workers,
        options.seed,
        on_incumbent,
        legal=today is not None,
    )
    spent = time.monotonic() - start if clock else found.spent
    left_s = options.time_limit_s - spent - relaxation_s
    left = replace(options, time_limit_s=max(1.0, left_s))
    best = today
    if found.incumbent is not None:
        first = Solution(list(found.incumbent.room_open), list(found.incumbent.assignment))
        replace_hint(b, first)
        terms = cost_terms(problem, found.incumbent)
        best = Outcome(
            Status.FEASIBLE,
            problem.objective_money(found.units),
            None,
            0.0,
            first,
            {name: units * problem.cost_unit for name, units in terms.items()},
        )
    if clock and best is not None and left_s < WHOLE_MODEL_MIN_S:
        # No time left for the whole model (whose loading alone takes seconds here):
        # the best plan so far, with the bounds below.
        out = replace(best, solutions_found=max(1, watcher.solutions))
    else:
        out = solve_model(problem, left, on_progress, b, watcher, fallback=best)
    bound = transport_bound(problem)
    if bound is not None and out.status is Status.FEASIBLE:
        money = problem.objective_money(bound)
        if out.bound is None or out.bound < money:
            out = replace(out, bound=money)  # CP-SAT proved less in the time
    out = with_relaxed_bound(problem, out, relaxation_s, options.workers <= 1)
    return replace(out, wall_s=time.monotonic() - start)
