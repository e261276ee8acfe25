"""`--time-limit` is the whole run's budget (planner.plan.budget): the split, and its report.

The split is pure arithmetic, tested with a fake clock: each stage's share of what is
left, the reserves for the stages after the searches, the minimum per stage, unused
time flowing on with several workers, and with one worker allowances that do not
depend on the clock at all. Then a real run with a small limit: the plan passes the
checker and carries ``solver.budget``. Nothing here asserts how fast anything runs.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app
from planner.plan import budget as b
from planner.plan.budget import Budget, allowance, budget_line, left_of
from planner.planfile import VOLATILE_KEYS, TimeBudget, presence, validate_plan

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "inventories" / "tiny"
CHESHIRE = ROOT / "inventories" / "cheshire"
SEARCHES = (b.TARGET, b.SCHEDULE, b.RETARGET, b.RESCHEDULE, b.EXPLANATION, b.REASONS)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def budget_of(total: float, workers: int, clock: Clock) -> Budget:
    return Budget(total, workers=workers, start=clock(), clock=clock)


def run_stages(
    budget: Budget, clock: Clock, took: dict[str, float], *, build: float = 1.0
) -> dict[str, float]:
    """The stages of a plan with a schedule, each taking ``took[stage]`` seconds (default:
    all it was allowed); returns each stage's allowance."""
    clock.now += build
    budget.record(b.BUILD, None, build)
    allowed: dict[str, float] = {}
    for name, grant in (
        (b.TARGET, budget.for_target),
        (b.SCHEDULE, budget.for_schedule),
        (b.REASONS, lambda: budget.for_reasons(upgrades=False)),
    ):
        allowed[name] = grant()
        with budget.stage(name, allowed[name]):
            clock.now += took.get(name, allowed[name])
    return allowed


# ---------------------------------------------------------------- the arithmetic


def test_allowance_is_a_share_of_what_is_left_after_the_reserve() -> None:
    assert allowance(60, 0.5) == 30
    assert allowance(60, 0.5, reserve=20) == 20
    assert allowance(60, 1.0, reserve=10, cap=30) == 30
    assert allowance(60, 1.0, reserve=50, cap=30) == 10


def test_allowance_is_never_below_the_minimum() -> None:
    assert allowance(0.0, 0.7) == b.MIN_STAGE_S
    assert allowance(2.0, 0.7, reserve=5.0) == b.MIN_STAGE_S
    assert allowance(0.5, 1.0, cap=0.2) == b.MIN_STAGE_S
    assert allowance(0.0, 0.7, minimum=0.25) == 0.25


def test_reserves() -> None:
    assert b.rest_reserve(60, 2000) == pytest.approx(2000 * b.REST_S_PER_WORKLOAD)
    assert b.rest_reserve(4, 100_000) == pytest.approx(4 * b.REST_MAX_SHARE)  # at most a quarter
    assert b.reasons_reserve(60, True) == pytest.approx(60 * b.REASONS_SHARE)
    assert b.reasons_reserve(60, False) == 0.0


def test_what_is_left_counts_allowances_with_one_worker_and_the_clock_with_more() -> None:
    assert left_of(60, [None, 30.0, 10.0], elapsed_s=2.0, one_worker=True) == 20
    assert left_of(60, [None, 30.0, 10.0], elapsed_s=99.0, one_worker=True) == 20
    assert left_of(60, [None, 30.0, 10.0], elapsed_s=2.0, one_worker=False) == 58
    assert left_of(60, [None, 30.0], elapsed_s=75.0, one_worker=False) == 0


def test_the_reasons_split_in_proportion_to_their_caps() -> None:
    assert b.reasons_split(100, upgrades=False) == (b.ROOM_REASONS_CAP_S, 0.0)
    assert b.reasons_split(10, upgrades=False) == (10, 0.0)
    assert b.reasons_split(10, upgrades=True) == pytest.approx((6.0, 4.0))
    assert b.reasons_split(500, upgrades=True) == (30.0, 20.0)
    # with several workers the upgrades get what the rooms did not use, up to their cap
    assert b.upgrades_left(10, 4.0, rooms_used_s=1.0) == 9.0
    assert b.upgrades_left(10, 4.0, rooms_used_s=8.0) == 4.0
    assert b.upgrades_left(60, 20.0, rooms_used_s=1.0) == b.UPGRADE_REASONS_CAP_S


def test_the_split_of_sixty_seconds() -> None:
    clock = Clock()
    budget = budget_of(60, 2, clock)
    budget.plan_for(workloads=2000, reasons=True)
    reserve = 2000 * b.REST_S_PER_WORKLOAD + 60 * b.REASONS_SHARE
    allowed = run_stages(budget, clock, {})
    target = b.TARGET_SHARE * (59 - reserve - b.MIN_STAGE_S)  # the schedule's minimum kept
    assert allowed[b.TARGET] == pytest.approx(target)
    schedule = b.SCHEDULE_SHARE * (59 - target - reserve)
    assert allowed[b.SCHEDULE] == pytest.approx(schedule)
    rest = 2000 * b.REST_S_PER_WORKLOAD
    assert allowed[b.REASONS] == pytest.approx(min(30, 59 - target - schedule - rest))
    assert sum(allowed.values()) <= 60 - 1 - rest + 1e-9


# ---------------------------------------------------------------- rollover


def test_unused_time_flows_on_with_several_workers() -> None:
    full, quick = Clock(), Clock()
    a = budget_of(60, 2, full)
    c = budget_of(60, 2, quick)
    for budget in (a, c):
        budget.plan_for(workloads=100, reasons=False)
    slow = run_stages(a, full, {})
    fast = run_stages(c, quick, {b.TARGET: 0.5})  # proven optimal at once
    assert fast[b.TARGET] == slow[b.TARGET]
    assert fast[b.SCHEDULE] > slow[b.SCHEDULE] + 20


def test_an_overrun_is_taken_from_the_later_stages_with_several_workers() -> None:
    on_time, late = Clock(), Clock()
    a, c = budget_of(60, 2, on_time), budget_of(60, 2, late)
    allowed = run_stages(a, on_time, {})
    overran = run_stages(c, late, {b.TARGET: allowed[b.TARGET] + 5})
    assert overran[b.SCHEDULE] < allowed[b.SCHEDULE]


def test_the_reasons_reserve_is_kept_only_when_they_run() -> None:
    clock = Clock()
    with_reasons, without = budget_of(60, 2, clock), budget_of(60, 2, clock)
    with_reasons.plan_for(workloads=100, reasons=True)
    without.plan_for(workloads=100, reasons=False)
    assert without.for_target() > with_reasons.for_target()
    with_reasons.no_reasons()  # a target could not be scheduled: no reasons after all
    assert with_reasons.for_target() == without.for_target()


# ---------------------------------------------------------------- one worker


@given(
    took=st.dictionaries(
        st.sampled_from([b.TARGET, b.SCHEDULE, b.REASONS]), st.floats(0.0, 500.0), max_size=3
    ),
    build=st.floats(0.0, 100.0),
)
def test_with_one_worker_the_allowances_do_not_depend_on_the_clock(
    took: dict[str, float], build: float
) -> None:
    expected = run_stages(budget_of(60, 1, Clock()), Clock(), {}, build=0.0)
    clock = Clock()
    budget = budget_of(60, 1, clock)
    assert run_stages(budget, clock, took, build=build) == expected


def test_with_one_worker_nothing_flows_back() -> None:
    clock = Clock()
    budget = budget_of(60, 1, clock)
    allowed = run_stages(budget, clock, {b.TARGET: 0.5})
    assert allowed[b.TARGET] == pytest.approx(b.TARGET_SHARE * (60 - b.MIN_STAGE_S))
    assert allowed[b.SCHEDULE] == pytest.approx(b.SCHEDULE_SHARE * (60 - allowed[b.TARGET]))


@given(
    total=st.floats(4.0, 3600.0),
    workloads=st.integers(0, 50_000),
    reasons=st.booleans(),
    retargets=st.integers(0, 3),
)
def test_with_one_worker_the_allowances_add_up_to_at_most_the_limit(
    total: float, workloads: int, reasons: bool, retargets: int
) -> None:
    clock = Clock()
    budget = budget_of(total, 1, clock)
    budget.plan_for(workloads, reasons)
    granted = [budget.for_target()]
    budget.record(b.TARGET, granted[-1], 0.0)
    for _ in range(retargets):
        for name, grant in ((b.RESCHEDULE, budget.for_schedule), (b.RETARGET, budget.for_target)):
            granted.append(grant())
            budget.record(name, granted[-1], 0.0)
            budget.no_reasons()
    granted.append(budget.for_schedule())
    budget.record(b.SCHEDULE, granted[-1], 0.0)
    if reasons and not retargets:
        granted.append(budget.for_reasons(upgrades=True))
    assert all(g >= b.MIN_STAGE_S for g in granted)
    if retargets:  # each re-target and re-schedule gets its second, even past the limit
        assert sum(granted) <= total + 2 * b.MIN_STAGE_S * retargets + 1e-9
    else:
        assert sum(granted) <= total - budget.reserve_rest + 1e-9


def test_tiny_limits_still_give_every_stage_a_second() -> None:
    clock = Clock()
    budget = budget_of(0.1, 2, clock)
    budget.plan_for(workloads=300, reasons=True)
    allowed = run_stages(budget, clock, {})
    assert all(a == b.MIN_STAGE_S for a in allowed.values())


# ---------------------------------------------------------------- the report


def test_the_report_and_its_line() -> None:
    clock = Clock()
    budget = budget_of(60, 2, clock)
    run_stages(budget, clock, {b.TARGET: 31.9, b.SCHEDULE: 19.0, b.REASONS: 6.1}, build=1.2)
    plan: dict[str, Any] = {"solver": {}}
    began = clock()
    clock.now += 0.3
    budget.close(plan, began)
    first = plan["solver"]["budget"]
    assert [s["stage"] for s in first["stages"]] == [
        b.BUILD,
        b.TARGET,
        b.SCHEDULE,
        b.REASONS,
        b.REST,
    ]
    assert first["stages"][-1] == {"stage": b.REST, "allowed_s": None, "used_s": 0.3}
    clock.now += 0.2  # the checker and the reports
    budget.close(plan)
    report = plan["solver"]["budget"]
    assert report["stages"][-1]["used_s"] == pytest.approx(0.5)
    assert report["used_s"] == pytest.approx(58.7)
    assert report["clock"] == "wall"
    assert budget_line(report) == (
        "time: 58.7 s of 60 s (target 31.9, schedule 19.0, reasons 6.1, the rest 1.7)"
    )
    TimeBudget.model_validate(report)


def test_the_line_counts_retargets_and_says_deterministic_with_one_worker() -> None:
    report = {
        "time_limit_s": 10,
        "clock": "deterministic",
        "stages": [
            {"stage": b.BUILD, "allowed_s": None, "used_s": 0.5},
            {"stage": b.TARGET, "allowed_s": 5.0, "used_s": 2.0},
            {"stage": b.SCHEDULE, "allowed_s": 3.0, "used_s": 1.0},
            {"stage": b.RETARGET, "allowed_s": 1.0, "used_s": 1.5},
            {"stage": b.RESCHEDULE, "allowed_s": 1.0, "used_s": 1.0},
            {"stage": b.REST, "allowed_s": None, "used_s": 0.5},
        ],
        "used_s": 6.5,
    }
    assert budget_line(report) == (
        "time: 6.5 s for 10 s of deterministic time "
        "(target 3.5 in 2 solves, schedule 2.0, the rest 1.0)"
    )


# ---------------------------------------------------------------- plan.json


def test_budget_is_optional_and_volatile() -> None:
    from planner.planfile import InfeasibleSolver, Solver

    assert presence(Solver, "budget") == "opt"
    assert presence(InfeasibleSolver, "budget") == "opt"
    assert ("solver", "budget") in VOLATILE_KEYS


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    """inventories/cheshire planned with --time-limit 4 and one worker, the reasons on."""
    out = tmp_path_factory.mktemp("cheshire4")
    result = CliRunner().invoke(
        app,
        ["optimise", str(CHESHIRE), "--out", str(out), "--time-limit", "4", "--workers", "1"],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return out, plan, result.output


def test_a_small_limit_gives_a_checked_plan_with_its_budget(
    small_limit: tuple[Path, dict[str, Any], str],
) -> None:
    out, plan, output = small_limit
    checked = CliRunner().invoke(app, ["check", str(CHESHIRE), str(out / "plan.json")])
    assert checked.exit_code == 0, checked.output
    budget = plan["solver"]["budget"]
    assert budget["time_limit_s"] == 4
    assert budget["clock"] == "deterministic"
    names = [s["stage"] for s in budget["stages"]]
    assert names == [b.BUILD, b.TARGET, b.SCHEDULE, b.REASONS, b.REST]
    allowed = [s["allowed_s"] for s in budget["stages"] if s["stage"] in SEARCHES]
    assert all(a is not None and a >= b.MIN_STAGE_S for a in allowed)
    assert sum(allowed) <= 4
    for s in budget["stages"]:
        assert (s["allowed_s"] is None) == (s["stage"] in (b.BUILD, b.REST))
        assert s["used_s"] >= 0
    assert budget["used_s"] >= sum(s["used_s"] for s in budget["stages"]) - 0.01
    assert budget_line(budget) in output
    assert validate_plan(plan).undeclared == []


def test_a_plan_without_a_budget_still_validates(
    small_limit: tuple[Path, dict[str, Any], str], tmp_path: Path
) -> None:
    _, plan, _ = small_limit
    old = copy.deepcopy(plan)
    del old["solver"]["budget"]
    valid = validate_plan(old)
    assert valid.feasible
    assert valid.missing_ext == []
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    checked = CliRunner().invoke(app, ["check", str(CHESHIRE), str(path)])
    assert checked.exit_code == 0, checked.output
    report = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert report.exit_code == 0, report.output


def test_an_infeasible_plan_carries_its_budget(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["optimise", str(TINY), "--out", str(tmp_path), "--max-rooms", "1", "--workers", "1"],
    )
    assert result.exit_code == 3, result.output
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    names = [s["stage"] for s in plan["solver"]["budget"]["stages"]]
    assert names == [b.BUILD, b.TARGET, b.EXPLANATION, b.REST]
    assert "time: " in result.output
