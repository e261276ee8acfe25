"""The path for large estates: the desk and room layers solved apart, the block search
(planner/solver/blocks.py), today's estate as a checked fallback, and the desk-bound cut.

Large estates take this path only above 100,000 options, so these tests force it on
small ones (``neighbourhood_above=0``, small blocks) where the answer is known:

* 120 random estates against the brute force of tests/helpers/bruteforce.py: the layered
  solve proves the same optimum (or the same infeasibility);
* the block search's plan, from today's estate (repair sweep) or from a legal start,
  satisfies every rule of the whole model (CP-SAT with every variable fixed to it)
  and costs what the search says, on generated estates with dependencies, replicas,
  zones and move budgets spread over many blocks;
* ``optimise()`` through this path on generated estates: every plan passes the
  independent checker;
* the staffing bound is below the desk layer's optimum on 300 random desk layers,
  equal to it where no rounding is involved (over 100 of them feasible), and the
  cut changes no optimum.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.bruteforce import brute_force, random_case
from helpers.desk_layers import desks_only, random_desk_layer
from test_bruteforce import compare_target

import planner.optimise
from planner.checker import check_plan
from planner.generate import generate
from planner.inventory.validate import load_and_validate
from planner.inventory.write import write_yaml
from planner.optimise import OptimiseOptions, optimise
from planner.solver import Solution, SolveOptions, Status, blocks, solve
from planner.solver.build import build, replace_hint
from planner.solver.families.desk_bound import staffing_bound
from planner.solver.layers import room_layer
from planner.solver.problem import Desk, Organisation, Problem
from planner.solver.room_bound import transport_bound
from planner.solver.search import check_hint
from planner.target.translate import build_problem

FORCED = SolveOptions(time_limit_s=20, workers=1, seed=0, neighbourhood_above=0)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a few workloads, so rules cross blocks and the sweep has many steps."""
    monkeypatch.setattr(blocks, "SWEEP_OPTIONS", 25)
    monkeypatch.setattr(blocks, "RANDOM_OPTIONS", 60)


@pytest.mark.parametrize("chunk", range(3))
def test_layers_and_blocks_match_bruteforce(chunk: int, small_blocks: None) -> None:
    problems: list[str] = []
    for seed in range(1000 + 40 * chunk, 1040 + 40 * chunk):
        case = random_case(seed)
        best = brute_force(case.inventory, case.max_rooms, case.max_desks)
        problems += compare_target(case, best, FORCED)
    assert not problems, "\n".join(problems)


def assert_legal(p: Problem, found: blocks.SearchResult) -> None:
    """The search's plan satisfies the whole model and costs what it says."""
    assert found.incumbent is not None
    plan = Solution(list(found.incumbent.room_open), list(found.incumbent.assignment))
    b = build(p)
    replace_hint(b, plan)
    fixed = check_hint(b)
    assert fixed is not None, "the block search's plan breaks a rule of the model"
    assert fixed.objective == pytest.approx(p.objective_money(found.units), abs=0.01)


@pytest.mark.parametrize("seed", range(4))
def test_block_search_plans_are_legal(seed: int, small_blocks: None) -> None:
    p = room_layer(build_problem(generate(2, seed)).problem)
    assert p.site_rules, "the estate should have dependencies and replicas across blocks"
    start = build(p)
    today = check_hint(start)
    for legal in (False, True) if today is not None else (False,):
        found = blocks.improve(p, budget_s=3.0, workers=1, seed=seed, legal=legal)
        assert found.blocks > 5
        assert_legal(p, found)
        if today is not None:
            assert today.objective is not None
            assert p.objective_money(found.units) <= today.objective + 0.01


def test_block_search_respects_the_move_budget(small_blocks: None) -> None:
    p = room_layer(build_problem(generate(2, 7)).problem)
    unlimited = blocks.improve(p, budget_s=3.0, workers=1, seed=0)
    assert unlimited.incumbent is not None
    moved = [
        wl.move_days
        for w, wl in enumerate(p.workloads)
        if unlimited.incumbent.assignment[w] != wl.today
    ]
    assert moved, "the search should move something when nothing limits it"
    tight = replace(p, move_budget=sum(moved) // 3)
    found = blocks.improve(tight, budget_s=3.0, workers=1, seed=0)
    assert found.incumbent is not None
    used = sum(
        wl.move_days
        for w, wl in enumerate(tight.workloads)
        if found.incumbent.assignment[w] != wl.today
    )
    assert used <= sum(moved) // 3
    assert_legal(tight, found)


def test_block_search_repeats_with_one_worker(small_blocks: None) -> None:
    p = room_layer(build_problem(generate(2, 3)).problem)
    runs = [blocks.improve(p, budget_s=2.0, workers=1, seed=5) for _ in range(2)]
    assert runs[0].incumbent is not None
    assert runs[1].incumbent is not None
    assert runs[0].incumbent.assignment == runs[1].incumbent.assignment
    assert runs[0].units == runs[1].units


def test_block_search_steps_aside_for_a_room_limit() -> None:
    p = room_layer(build_problem(generate(1, 0)).problem)
    assert (
        blocks.improve(replace(p, max_rooms=3), budget_s=1.0, workers=1, seed=0).incumbent is None
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_optimise_through_the_large_estate_path_is_checked(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_blocks: None
) -> None:
    monkeypatch.setattr(planner.optimise, "NEIGHBOURHOOD_ABOVE", 0)
    write_yaml(generate(2, seed), tmp_path / "estate")
    loaded = load_and_validate(tmp_path / "estate")
    assert loaded.ok
    options = OptimiseOptions(time_limit_s=4, workers=1, explain_reasons=False)
    result = optimise(loaded, options)
    assert result.plan["solver"]["status"] in ("optimal", "feasible")
    report = check_plan(loaded, result.plan)
    assert report.ok, [v.render() for v in report.violations]


# --------------------------------------------------------------------------- desk bound


def test_staffing_bound_is_below_every_optimum_and_keeps_it() -> None:
    rng = random.Random(11)
    solved = tight = 0
    for _ in range(300):
        p = random_desk_layer(rng)
        without = solve(p, SolveOptions(time_limit_s=5, workers=1), families=("objective",))
        bound = staffing_bound(p)
        if without.status is Status.INFEASIBLE:
            continue
        assert without.status is Status.OPTIMAL
        assert without.objective is not None
        assert bound is not None, "no fractional plan, yet an integer one exists"
        solved += 1
        assert bound <= without.objective + 1e-9, (p, bound, without.objective)
        tight += abs(bound - without.objective) < 1e-6
        with_cut = solve(p, SolveOptions(time_limit_s=5, workers=1))
        assert with_cut.objective == pytest.approx(without.objective, abs=1e-6)
    assert solved > 100
    assert tight >= 5


def test_staffing_bound_by_hand() -> None:
    """One desk, GBP 100 an FTE, 10 tickets an FTE, free to open: 30 tickets need
    3 FTE (300, the bound exactly); 35 need 4 (400) where the bound says 350."""
    desk = Desk(id="d", seats=5, tickets_per_fte=10, cost_open=0, cost_per_fte=100)
    for tickets, bound, optimum in ((30, 300, 300), (35, 350, 400)):
        p = desks_only([desk], [Organisation(id="o", tickets=tickets, options=(0,))])
        assert staffing_bound(p) == bound
        assert solve(p, SolveOptions(time_limit_s=5, workers=1)).objective == optimum


def test_transport_bound_is_below_the_room_layers_optimum() -> None:
    """On 150 random estates (tests/helpers/bruteforce.py) and 3 generated ones, the rooms'
    transportation bound never exceeds the room layer's proven optimum."""
    below = 0
    problems = [
        build_problem(random_case(seed).inventory).problem for seed in range(2000, 2150)
    ] + [build_problem(generate(1, seed)).problem for seed in range(3)]
    for full in problems:
        p = room_layer(full)
        out = solve(p, SolveOptions(time_limit_s=20, workers=1))
        bound = transport_bound(p)
        if out.status is Status.INFEASIBLE:
            continue
        assert out.status is Status.OPTIMAL
        assert out.objective is not None
        assert bound is not None
        assert p.objective_money(bound) <= out.objective + 1e-6, (p.name, bound, out.objective)
        below += 1
    assert below > 100


@pytest.mark.parametrize("limit", [0.5, 4.0])
def test_rooms_path_on_the_clock_returns_a_legal_plan_with_a_valid_bound(
    limit: float, small_blocks: None
) -> None:
    """With two workers the room path counts its time from the start; with too little
    left it skips the whole model (0.5 s) and still returns a legal plan with a bound
    below the proven optimum."""
    p = room_layer(build_problem(generate(2, 3)).problem)
    options = SolveOptions(time_limit_s=limit, workers=2, neighbourhood_above=0)
    out = solve(p, options)
    assert out.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert out.solution is not None
    assert out.objective is not None
    b = build(p)
    replace_hint(b, out.solution)
    fixed = check_hint(b)
    assert fixed is not None, "the plan breaks a rule of the model"
    assert fixed.objective == pytest.approx(out.objective, abs=0.01)
    best = solve(p, SolveOptions(time_limit_s=30, workers=1))
    assert best.status is Status.OPTIMAL
    assert best.objective is not None
    assert out.bound is not None
    assert out.bound <= best.objective + 1e-6
