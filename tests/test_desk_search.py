"""The desk layer's local search (planner/solver/desk_search.py).

Known answers: a hand-worked pair of half-full desks, where only emptying one
saves its fixed cost (every single move costs more), and small desk layers whose
optimum is found by enumerating every assignment. Properties on random and
generated desk layers: the result is legal (each organisation at a desk it may
use, within seats and the desk limit; CP-SAT's whole model accepts it), never
dearer than the start, and never below the optimum.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest
from helpers.bruteforce import random_case
from helpers.desk_layers import desk_cost, desks_only, random_desk_layer

from planner.generate import generate
from planner.solver import Desk, Organisation, Problem, SolveOptions, Status, solve
from planner.solver.build import build, replace_hint
from planner.solver.desk_plan import desk_solution
from planner.solver.desk_search import improve
from planner.solver.families.desk_bound import staffing
from planner.solver.layers import desk_layer
from planner.solver.search import check_hint
from planner.target.translate import build_problem


def half_full() -> Problem:
    """Desks A and B: 4 seats of 10 tickets each, 100 to open, 10 an FTE. Two
    organisations of 15 tickets, one at each: 2 x (100 + 2 x 10) = 240. Both at A:
    100 + 3 x 10 = 130 (B closed at 0). Moving either alone changes nothing (B stays
    open): only emptying B finds 130."""
    return desks_only(
        [Desk("A", 4, 10, 100, 10), Desk("B", 4, 10, 100, 10)],
        [Organisation("x", 15, (0, 1)), Organisation("y", 15, (0, 1))],
    )


def test_emptying_a_desk_saves_what_no_single_move_does() -> None:
    p = half_full()
    assert desk_cost(p, [0, 1]) == 240
    better = improve(p, [0, 1])
    assert desk_cost(p, better) == 130


def random_desks(seed: int) -> Problem:
    """A random desk layer (tests/helpers/desk_layers.py), a third with a limit of two
    desks."""
    rng = random.Random(seed)
    return replace(random_desk_layer(rng), max_desks=rng.choice([None, None, 2]))


def test_small_desk_layers_against_enumeration() -> None:
    reached = checked = 0
    for seed in range(600):
        p = random_desks(seed)
        plans = [
            (cost, list(plan))
            for plan in itertools.product(*(org.options for org in p.organisations))
            if (cost := desk_cost(p, list(plan))) is not None
        ]
        if not plans:
            continue
        optimum = min(cost for cost, _ in plans)
        for start_cost, start in plans[:: max(1, len(plans) // 5)]:
            found = desk_cost(p, improve(p, start))
            assert found is not None, (p.name, start)
            assert optimum <= found <= start_cost
            reached += found == optimum
            checked += 1
    assert checked > 500
    assert reached > checked * 0.7  # a local search: mostly, not always, the optimum


@pytest.mark.parametrize("source", ["random", "generated"])
def test_packed_plans_are_legal_and_no_dearer(source: str) -> None:
    if source == "random":
        problems = [build_problem(random_case(seed).inventory).problem for seed in range(40)]
    else:
        problems = [build_problem(generate(councils, 0)).problem for councils in (5, 20)]
    improved = 0
    for full in problems:
        p = desk_layer(full)
        flow = staffing(p)
        if not p.desks or flow is None or flow[1] is None:
            continue
        start = flow[1]
        start_cost = desk_cost(p, start)
        if start_cost is None:
            continue
        packed = improve(p, start)
        cost = desk_cost(p, packed)
        assert cost is not None
        assert cost <= start_cost
        improved += cost < start_cost
        model = build(p)
        replace_hint(model, desk_solution(p, packed))
        checked = check_hint(model)
        assert checked is not None, p.name
        assert checked.objective == pytest.approx(p.objective_money(cost))
        best = solve(p, SolveOptions(time_limit_s=10, workers=1))
        if best.status is Status.OPTIMAL:
            assert best.objective is not None
            assert best.objective <= checked.objective + 1e-6
    assert improved > 0
