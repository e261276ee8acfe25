"""The desks' Lagrangian bound (planner/solver/desk_lagrange.py).

Known answers: a hand-worked desk where whole staff and whole organisations cost
more than the flow bound says (flow 12, optimum and bound 20); small random desk
layers whose optimum is found by enumerating every assignment (the bound is never
above it and never below the flow, and above the flow on some); the same with the
knapsack tables coarsened; a generated estate's desks, where the bound lies between
the flow and CP-SAT's plan, and the flow's dual prices alone already beat the flow.
"""

from __future__ import annotations

import random

import pytest
from helpers.desk_layers import desks_only, optimum, random_desk_layer

from planner.generate import generate
from planner.solver import Desk, Organisation, Problem, SolveOptions, Status, desk_lagrange, solve
from planner.solver.desk_lagrange import _Tables, desk_bound
from planner.solver.families.desk_bound import cheapest_flow, staffing_bound
from planner.solver.layers import desk_layer
from planner.target.translate import build_problem


def two_sixes() -> Problem:
    """One desk, 10 tickets an FTE, 2 seats, 10 an FTE, nothing to open. Two
    organisations of 6 tickets: together 12 tickets need 2 FTE, cost 20. The flow
    charges 1 a ticket: 12."""
    return desks_only(
        [Desk("A", 2, 10, 0, 10)], [Organisation("x", 6, (0,)), Organisation("y", 6, (0,))]
    )


def test_whole_staff_and_whole_organisations_raise_the_flow_bound_to_the_optimum() -> None:
    p = two_sixes()
    assert staffing_bound(p) == 12
    assert optimum(p) == 20
    found = desk_bound(p, time_limit_s=10, max_steps=500)
    assert found is not None
    assert found.units == 20


def test_random_desk_layers_against_enumeration() -> None:
    above = checked = 0
    for seed in range(800):
        p = random_desk_layer(random.Random(seed))
        best = optimum(p)
        flow = staffing_bound(p)
        found = desk_bound(p, time_limit_s=10, max_steps=200)
        if best is None:
            continue  # no plan: any bound is valid (the flow may still find one)
        assert flow is not None
        assert found is not None
        assert flow <= found.units <= best, seed
        above += found.units > flow
        checked += 1
    assert checked > 250
    assert above > checked // 2  # the flow misses whole staff on most of them


def test_coarse_tables_stay_below_the_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desk_lagrange, "MAX_CELLS", 4)
    coarse = 0
    for seed in range(200):
        p = random_desk_layer(random.Random(seed))
        best = optimum(p)
        found = desk_bound(p, time_limit_s=10, max_steps=100)
        if best is None or found is None:
            continue
        assert found.units <= best, seed
        coarse += _Tables(p).coarse > 1
    assert coarse > 50


def test_generated_desks_between_the_flow_and_a_plan() -> None:
    p = desk_layer(build_problem(generate(councils=12, seed=3)).problem)
    flow = staffing_bound(p)
    found = cheapest_flow(p)
    assert flow is not None
    assert found is not None
    tables = _Tables(p)
    at_prices = tables.evaluate(tables.start(found[2], found[1]))[0]
    assert at_prices > flow  # the LP's prices with whole organisations and staff
    plan = solve(p, SolveOptions(time_limit_s=20, workers=1))
    assert plan.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert plan.objective is not None
    bound = desk_bound(
        p, time_limit_s=10, max_steps=300, target=round(plan.objective / p.cost_unit)
    )
    assert bound is not None
    assert flow < bound.units <= round(plan.objective / p.cost_unit)
