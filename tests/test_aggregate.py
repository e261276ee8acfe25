"""The aggregated model (identical workloads as one) has the plain model's optimum.

* By hand: six identical workloads in a dear room that holds them all, two cheap rooms
  of four racks each; the optimum opens both cheap rooms and splits the six (90).
* Random problems (hypothesis) made of a few workload templates each repeated 1-4
  times, with capacities in two resources, conflicting zones, a move budget, an
  upgrade and a site rule on some: the aggregated and the plain model are both proven
  optimal at the same cost, and the aggregated plan, spread back, is a plan of the plain
  model at that cost (every variable of the plain model fixed to it).
* The bundled estates with identical workloads (Cambridgeshire 103 workloads in 97
  classes, Worcestershire 125 in 111, Cheshire 330 in 291): the same optimum both ways.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.inventory.graph import EstateGraph
from planner.inventory.load import load_estate
from planner.solver import SolveOptions, Status, solve
from planner.solver.aggregate import aggregate
from planner.solver.build import build, replace_hint
from planner.solver.problem import Problem, Room, SitePairRule, Upgrade, Workload
from planner.solver.search import check_hint
from planner.target import LimitOptions, build_problem

ROOT = Path(__file__).resolve().parents[1]
ONE_WORKER = SolveOptions(time_limit_s=20, workers=1)


def both(p: Problem) -> tuple[float, float]:
    """(plain optimum, aggregated optimum), each proven; the aggregated plan checked."""
    plain = solve(p, replace(ONE_WORKER, aggregate=False))
    merged = solve(p, ONE_WORKER)
    assert plain.status is merged.status
    if plain.status is Status.INFEASIBLE:
        return 0.0, 0.0
    assert plain.status is Status.OPTIMAL
    assert merged.solution is not None
    assert plain.objective is not None
    assert merged.objective is not None
    assert len(merged.solution.assignment) == len(p.workloads)
    model = build(p)
    replace_hint(model, merged.solution)
    fixed = check_hint(model)
    assert fixed is not None, "the spread plan breaks a rule of the plain model"
    assert fixed.objective == pytest.approx(merged.objective, abs=1e-6)
    return plain.objective, merged.objective


def test_six_identical_workloads_split_between_two_rooms() -> None:
    rooms = (
        Room("dear", 0, (6,), 100),
        Room("b", 1, (4,), 30, existing=False),
        Room("c", 2, (4,), 30, existing=False),
    )
    same = Workload("w", (1,), ((0, 0), (1, 5), (2, 5)), today=0)
    workloads = tuple(Workload(f"w{i}", same.demand, same.options, today=0) for i in range(6))
    p = Problem("six", ("racks",), (1,), ("a", "b", "c"), rooms, workloads)
    merged = aggregate(p)
    assert merged is not None
    assert merged.members == ((0, 1, 2, 3, 4, 5),)
    assert merged.problem.workloads[0].count == 6
    plain, aggregated = both(p)
    assert plain == aggregated == 90  # b and c open (60), six moves (30); keeping dear: 100
    out = solve(p, ONE_WORKER)
    assert out.solution is not None
    assert out.solution.assignment.count(1) in (2, 3, 4)
    assert 0 not in out.solution.assignment


def test_workloads_named_by_a_rule_stay_apart() -> None:
    rooms = (Room("a", 0, (4,), 10), Room("b", 1, (4,), 10))
    w = Workload("w", (1,), ((0, 0), (1, 0)), today=0)
    workloads = (
        w,
        Workload("v", w.demand, w.options, today=0),
        Workload("u", w.demand, w.options, today=0),
    )
    rule = SitePairRule("apart", 0, 1, frozenset({(0, 0), (1, 1)}))
    p = Problem("rule", ("racks",), (1,), ("a", "b"), rooms, workloads, site_rules=(rule,))
    merged = aggregate(p)
    assert merged is None  # w and v are named by the rule; u alone
    p2 = Problem(
        "rule",
        ("racks",),
        (1,),
        ("a", "b"),
        rooms,
        (*workloads, Workload("t", w.demand, w.options, today=0)),
        site_rules=(rule,),
    )
    merged = aggregate(p2)
    assert merged is not None
    assert merged.members == ((0,), (1,), (2, 3))
    assert merged.problem.site_rules[0].a == 0
    assert merged.problem.site_rules[0].b == 1
    plain, aggregated = both(p2)
    assert plain == aggregated == 20


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n_rooms = draw(st.integers(2, 4))
    sites = tuple(f"s{i}" for i in range(n_rooms))
    rooms = tuple(
        Room(
            f"r{r}",
            r,
            (draw(st.integers(2, 9)), draw(st.integers(2, 9))),
            draw(st.integers(5, 60)),
            cost_closed=draw(st.integers(0, 10)),
            existing=r < 2,
        )
        for r in range(n_rooms)
    )
    conflict = draw(st.booleans())
    zones = ("a", "b") if conflict else ("a",)
    upgrade = draw(st.booleans())
    upgrades = (Upgrade(n_rooms - 1, draw(st.integers(1, 20))),) if upgrade else ()
    workloads: list[Workload] = []
    for t in range(draw(st.integers(1, 4))):
        rooms_of = draw(
            st.lists(st.integers(0, n_rooms - 1), min_size=1, max_size=n_rooms, unique=True)
        )
        today = draw(st.sampled_from(rooms_of)) if draw(st.booleans()) else None
        options = tuple(sorted((r, 0 if r == today else draw(st.integers(1, 8))) for r in rooms_of))
        needs = (
            ((n_rooms - 1, (0,)),)
            if upgrade and n_rooms - 1 in rooms_of and today != n_rooms - 1
            else ()
        )
        demand = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
        zone = draw(st.integers(0, len(zones) - 1))
        days = draw(st.integers(0, 3))
        for i in range(draw(st.integers(1, 4))):
            workloads.append(
                Workload(f"t{t}-{i}", demand, options, zone, today, move_days=days, needs=needs)
            )
    rules: tuple[SitePairRule, ...] = ()
    if len(workloads) >= 2 and draw(st.booleans()):
        near = frozenset((a, b) for a in range(n_rooms) for b in range(n_rooms) if abs(a - b) <= 1)
        rules = (SitePairRule("near", 0, len(workloads) - 1, near),)
    budget = draw(st.one_of(st.none(), st.integers(0, 8)))
    return Problem(
        "random",
        ("racks", "kw"),
        (1, 1),
        sites,
        rooms,
        tuple(workloads),
        zones=zones,
        conflicts=frozenset({(0, 1)}) if conflict else frozenset(),
        upgrades=upgrades,
        site_rules=rules,
        move_budget=budget,
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_aggregated_optimum_equals_plain(p: Problem) -> None:
    plain, aggregated = both(p)
    assert aggregated == pytest.approx(plain, abs=1e-6)


@pytest.mark.parametrize(
    ("estate", "workloads", "classes"),
    [("cambridgeshire", 103, 97), ("worcestershire", 125, 111), ("cheshire", 330, 291)],
)
def test_bundled_estates_same_optimum(estate: str, workloads: int, classes: int) -> None:
    inv = load_estate(ROOT / "inventories" / estate).inventory
    p = build_problem(inv, EstateGraph(inv), LimitOptions(None, None)).problem
    merged = aggregate(p)
    assert merged is not None
    assert (len(p.workloads), len(merged.members)) == (workloads, classes)
    plain, aggregated = both(p)
    assert aggregated == pytest.approx(plain, abs=1e-6)
