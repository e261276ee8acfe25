"""Re-packing the desks from columns (planner/solver/desk_columns.py) and the desk
layer's pipeline (planner/solver/desk_plan.py).

Known answers: the half-full pair of desks, where the column "both at A" turns
240 into 130; small random desk layers given every column (every desk with every
set of organisations it may serve), where the restricted model is the whole
problem and must find the optimum found by enumeration, within a desk limit too.
Properties: with the Lagrangian's own columns the result is legal and never dearer
than its start; the pipeline's plan on generated desks is checked whole by CP-SAT,
no dearer than the flow's plan packed, and the same in a second run (one worker).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest
from helpers.desk_layers import desk_cost, desks_only, optimum, random_desk_layer

from planner.generate import generate
from planner.solver import Desk, Organisation, Problem, SolveOptions, Status
from planner.solver.desk_columns import Column, plan_cost, repack
from planner.solver.desk_lagrange import desk_bound
from planner.solver.desk_plan import solve_desks
from planner.solver.desk_search import improve
from planner.solver.families.desk_bound import staffing
from planner.solver.layers import desk_layer
from planner.target.translate import build_problem

ONE = SolveOptions(time_limit_s=5, workers=1)


def test_a_column_that_empties_a_desk() -> None:
    p = desks_only(
        [Desk("A", 4, 10, 100, 10), Desk("B", 4, 10, 100, 10)],
        [Organisation("x", 15, (0, 1)), Organisation("y", 15, (0, 1))],
    )
    assert desk_cost(p, [0, 1]) == 240
    assert desk_cost(p, repack(p, set(), [0, 1], ONE)) == 240  # its own columns only
    assert desk_cost(p, repack(p, {(0, (0, 1))}, [0, 1], ONE)) == 130


def every_column(p: Problem) -> set[Column]:
    columns: set[Column] = set()
    for d in range(len(p.desks)):
        users = [o for o, org in enumerate(p.organisations) if d in org.options]
        for n in range(1, len(users) + 1):
            columns.update((d, c) for c in itertools.combinations(users, n))
    return columns


@pytest.mark.parametrize("limit", [None, 2])
def test_every_column_gives_the_optimum(limit: int | None) -> None:
    checked = 0
    for seed in range(300):
        p = replace(random_desk_layer(random.Random(seed)), max_desks=limit)
        best = optimum(p)
        start = next(
            (
                list(plan)
                for plan in itertools.product(*(org.options for org in p.organisations))
                if desk_cost(p, list(plan)) is not None
            ),
            None,
        )
        if best is None or start is None:
            continue
        found = repack(p, every_column(p), start, ONE)
        assert desk_cost(p, found) == best, seed
        assert plan_cost(p, found) == best
        checked += 1
    assert checked > 100


def test_the_bounds_columns_never_make_a_plan_dearer() -> None:
    better = checked = 0
    for seed in range(300):
        p = random_desk_layer(random.Random(seed))
        flow = staffing(p)
        if flow is None or flow[1] is None or desk_cost(p, flow[1]) is None:
            continue
        columns: set[Column] = set()
        desk_bound(p, max_steps=100, columns=columns)
        found = repack(p, columns, flow[1], ONE)
        cost = desk_cost(p, found)
        assert cost is not None, seed
        assert cost <= desk_cost(p, flow[1])
        better += cost < desk_cost(p, flow[1])
        checked += 1
    assert checked > 100
    assert better > 0


def test_generated_desks_checked_and_no_dearer_than_packed() -> None:
    p = desk_layer(build_problem(generate(councils=12, seed=3)).problem)
    flow = staffing(p)
    assert flow is not None
    assert flow[1] is not None
    packed = desk_cost(p, improve(p, flow[1]))
    assert packed is not None
    out = solve_desks(p, SolveOptions(time_limit_s=10, workers=1))
    assert out.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert out.solution is not None
    assert out.objective is not None
    assert desk_cost(p, out.solution.desk_of) == round(out.objective / p.cost_unit)
    assert round(out.objective / p.cost_unit) <= packed
    assert out.bound is not None
    assert out.bound <= out.objective
    again = solve_desks(p, SolveOptions(time_limit_s=10, workers=1))  # one worker: repeats
    assert again.solution is not None
    assert (again.objective, again.bound) == (out.objective, out.bound)
    assert again.solution.desk_of == out.solution.desk_of
