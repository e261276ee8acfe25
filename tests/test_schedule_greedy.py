"""The greedy list scheduler (planner.schedule.greedy) and its use by schedule_migration.

* Its schedules are legal: plans dated by the greedy alone (``schedule_method='greedy'``)
  pass planner's checker on the bundled estates and on generated 1-10 council estates.
* A deadlock (two full rooms that must swap workloads in one month) is reported, not
  scheduled illegally; CP-SAT then finds the swap.
* With the greedy as hint, CP-SAT is never worse than the greedy, the hint is complete
  (every model variable) and feasible, and a search that finds nothing better keeps the
  greedy schedule (``method: greedy``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.schedule_estates import base, link, load, room, site, workload, write
from ortools.sat.python import cp_model

from planner.checker import check_plan
from planner.generate import generate
from planner.inventory.graph import EstateGraph
from planner.inventory.load import Loaded
from planner.inventory.months import Calendar
from planner.inventory.validate import load_and_validate
from planner.inventory.write import write_yaml
from planner.optimise import OptimiseOptions, OptimiseResult, optimise
from planner.schedule import schedule_migration
from planner.schedule.build import build, hint
from planner.schedule.greedy import greedy_schedule, violations
from planner.schedule.migration import build_migration
from planner.schedule.pairs import order_rules
from planner.target import Target

INVENTORIES = Path(__file__).resolve().parent.parent / "inventories"
BUNDLED = ["tiny", "cheshire", "cambridgeshire", "worcestershire"]


def checked(loaded: Loaded, options: OptimiseOptions) -> OptimiseResult:
    result = optimise(loaded, options)
    report = check_plan(loaded, result.plan)
    assert report.ok, "\n".join(v.render() for v in report.violations)
    return result


def greedy_only(time_limit_s: float = 10) -> OptimiseOptions:
    return OptimiseOptions(
        time_limit_s=time_limit_s, workers=2, explain_reasons=False, schedule_method="greedy"
    )


@pytest.mark.parametrize("name", BUNDLED)
def test_greedy_plans_of_the_bundled_estates_pass_the_checker(name: str) -> None:
    loaded = load_and_validate(INVENTORIES / name)
    result = checked(loaded, greedy_only())
    solver = result.plan["solver"]
    assert solver["schedule_status"] == "feasible"
    assert solver["schedule_method"] == "greedy"
    assert result.schedule is not None
    assert result.schedule.cost == result.schedule.greedy_cost is not None


@pytest.mark.parametrize(("councils", "seed"), [(1, 5), (3, 3), (10, 10)])
def test_greedy_plans_of_generated_estates_pass_the_checker(
    councils: int, seed: int, tmp_path: Path
) -> None:
    write_yaml(generate(councils, seed=seed), tmp_path / "estate")
    loaded = load_and_validate(tmp_path / "estate")
    # the whole run's budget: 8 s leaves the target about the 3 s it needs to move >= 10
    result = checked(loaded, greedy_only(time_limit_s=8))
    assert result.plan["solver"]["schedule_method"] == "greedy"
    assert sum(a["month"] is not None for a in result.plan["assignments"]) >= 10


def target_of(result: OptimiseResult) -> Target:
    plan = result.plan
    return Target(
        room_of={a["workload"]: a["to"] for a in plan["assignments"]},
        open_rooms=frozenset(r["id"] for r in plan["rooms"] if r["decision"] in ("keep", "open")),
        desk_of={d["organisation"]: d["desk"] for d in plan["desk_assignments"]},
    )


@pytest.mark.parametrize("name", ["cheshire", "worcestershire"])
def test_cp_sat_with_the_hint_is_never_worse_than_the_greedy(name: str) -> None:
    loaded = load_and_validate(INVENTORIES / name)
    inv = loaded.inventory
    result = checked(loaded, OptimiseOptions(time_limit_s=5, workers=2, explain_reasons=False))
    sched = result.schedule
    assert sched is not None
    assert sched.greedy_cost is not None
    assert sched.cost is not None
    assert sched.cost <= sched.greedy_cost
    assert sched.stats["hinted"] == sched.stats["variables"]  # a complete hint
    assert (sched.method == "cp-sat") == (sched.cost < sched.greedy_cost)
    # The same target with one worker: deterministic, and still no worse than the greedy.
    target = target_of(result)
    runs = [
        schedule_migration(inv, EstateGraph(inv), target, time_limit_s=1, workers=1)
        for _ in range(2)
    ]
    assert runs[0].move_month == runs[1].move_month
    assert runs[0].cost == runs[1].cost
    assert runs[0].cost is not None
    assert runs[0].cost <= sched.greedy_cost


def test_cp_sat_says_the_hint_is_complete_and_feasible() -> None:
    loaded = load_and_validate(INVENTORIES / "worcestershire")
    inv = loaded.inventory
    result = optimise(loaded, greedy_only())
    graph = EstateGraph(inv)
    target = target_of(result)
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    inst = build_migration(
        inv, cal, target.room_of, target.open_rooms, order_rules(inv, graph, target.room_of)
    )
    greedy = greedy_schedule(inst)
    assert greedy.complete
    assert violations(inst, greedy.move_month, greedy.close_month, greedy.open_month) == []
    built = build(inst, explain=False)
    assert hint(built, greedy) == len(built.model.proto.variables)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 0.5
    solver.parameters.log_search_progress = True
    solver.parameters.log_to_stdout = False
    lines: list[str] = []
    solver.log_callback = lines.append
    assert solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert any("The solution hint is complete and is feasible" in line for line in lines), (
        "\n".join(lines[:40])
    )
    assert solver.objective_value <= (greedy.cost or 0)


def test_the_greedy_schedule_stands_when_cp_sat_finds_nothing_better() -> None:
    """With almost no (deterministic) time, CP-SAT finds nothing better than the hint: the
    greedy's months are kept, and the schedule says so."""
    loaded = load_and_validate(INVENTORIES / "cheshire")
    inv = loaded.inventory
    target = target_of(optimise(loaded, greedy_only()))
    sched = schedule_migration(inv, EstateGraph(inv), target, time_limit_s=0.001, workers=1)
    assert sched.status == "feasible"
    assert sched.method == "greedy"
    assert sched.cost == sched.greedy_cost


# ------------------------------------------------------------------ deadlock


def swap(directory: Path) -> tuple[Loaded, Target]:
    """ra and rb are full (10 racks each); x (ra) and y (rb) swap rooms. Only both moving in
    one month keeps every month legal; one at a time overfills a room."""
    doc = base(days=40)
    site(doc, "b", 52.1)
    link(doc, "a", "b", 2)
    room(doc, "ra", "a", 10, keep=True)
    room(doc, "rb", "b", 10, keep=True)
    workload(doc, "x", "ra", racks=10, days=5)
    workload(doc, "y", "rb", racks=10, days=5)
    return load(write(doc, directory)), Target(
        room_of={"x": "rb", "y": "ra"}, open_rooms=frozenset({"ra", "rb"}), desk_of={"c": "c-desk"}
    )


def test_a_capacity_swap_deadlocks_the_greedy_and_is_reported(tmp_path: Path) -> None:
    loaded, target = swap(tmp_path / "swap")
    inv = loaded.inventory
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    graph = EstateGraph(inv)
    inst = build_migration(
        inv, cal, target.room_of, target.open_rooms, order_rules(inv, graph, target.room_of)
    )
    greedy = greedy_schedule(inst)
    assert not greedy.complete
    assert greedy.problem is not None
    assert "capacity deadlock" in greedy.problem
    assert "racks" in greedy.problem
    # Greedy only: no schedule, in words, rather than an illegal one.
    sched = schedule_migration(inv, graph, target, time_limit_s=5, method="greedy")
    assert sched.status == "unknown"
    assert sched.method is None
    assert sched.move_month == {}
    assert any("capacity deadlock" in line for line in sched.explanation)
    # CP-SAT finds the swap: both in one month.
    sched = schedule_migration(inv, graph, target, time_limit_s=10)
    assert sched.status == "optimal"
    assert sched.method == "cp-sat"
    assert sched.move_month["x"] == sched.move_month["y"]
    assert sched.stats.get("greedy_problem")
