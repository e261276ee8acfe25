"""The solver's front door: solve a facility problem, or name the rules that conflict.

:func:`solve` picks the way: the whole CP-SAT model (:mod:`planner.solver.search`)
for most problems, the layers and the block search (:mod:`planner.solver.layers`)
above ``options.neighbourhood_above`` options. :func:`find_core` builds the
explanation model and returns a minimal verified set of conflicting rules
(:mod:`planner.cores`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from planner.cores import Core, minimal_core
from planner.solver.aggregate import Aggregated, aggregate
from planner.solver.build import build, exclude_assignment
from planner.solver.lagrange import with_relaxed_bound
from planner.solver.layers import is_big, solve_layers, solve_rooms_from_blocks
from planner.solver.options import SolveOptions
from planner.solver.problem import Problem
from planner.solver.results import Outcome, Progress
from planner.solver.search import solve_model


def solve(
    problem: Problem,
    options: SolveOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    *,
    exclude: Sequence[Sequence[int]] = (),
    families: tuple[str, ...] | None = None,
) -> Outcome:
    """Solve the problem; ``on_progress`` gets snapshots.

    ``exclude``: assignments (a room index per workload) that the plan may not be,
    each a no-good cut (:func:`~planner.solver.build.exclude_assignment`); used when
    a target estate was proved impossible to migrate month by month. ``families``:
    only these constraint families (tests measure what one family does).

    A problem with more options than ``options.neighbourhood_above`` is solved in
    two layers, desks then rooms (:func:`~planner.solver.layers.solve_layers`), the
    rooms starting with the block search; with ``exclude`` or ``families`` the whole
    model is solved as one, since the layers know neither. Above
    ``options.relaxation_above`` options the last ``relaxation_share`` of the time goes
    to the Lagrangian bound (:mod:`planner.solver.lagrange`), reported when CP-SAT
    proved less. The whole model takes each class of identical workloads as one
    (:mod:`planner.solver.aggregate`) unless ``options.aggregate`` is off; the plan
    returned is always the plain problem's."""
    options = options or SolveOptions()
    if exclude or families is not None:
        model = build(problem, families=families)
        for assignment in exclude:
            exclude_assignment(model, assignment)
        return solve_model(problem, options, on_progress, model)
    if is_big(problem, options):
        if problem.desks and problem.workloads:
            return solve_layers(problem, options, on_progress)
        return solve_rooms_from_blocks(problem, options, on_progress)
    aggregated = aggregate(problem) if options.aggregate else None
    searched = aggregated.problem if aggregated else problem
    if sum(len(wl.options) for wl in problem.workloads) <= options.relaxation_above:
        return _spread(aggregated, solve_model(searched, options, on_progress))
    relaxation_s = options.time_limit_s * options.relaxation_share
    shorter = replace(options, time_limit_s=options.time_limit_s - relaxation_s)
    out = _spread(aggregated, solve_model(searched, shorter, on_progress))
    return with_relaxed_bound(problem, out, relaxation_s, options.workers <= 1)


def _spread(aggregated: Aggregated | None, out: Outcome) -> Outcome:
    return aggregated.spread(out) if aggregated else out


def find_core(problem: Problem, *, time_limit_s: float = 30.0, workers: int = 1) -> Core | None:
    """The conflicting rules of a facility problem (its explanation model)."""
    model = build(problem, explain=True)
    return minimal_core(model.model, model.guards, time_limit_s=time_limit_s, workers=workers)
