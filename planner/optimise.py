"""`planner optimise`: estate -> target estate -> schedule -> plan, checked, written.

The flow, one way: the validated inventory and its graph become the solver's
problem (:mod:`planner.target.translate`); CP-SAT chooses the target estate
(:mod:`planner.solver`); the migration is dated month by month
(:mod:`planner.schedule`); money, staff and reasons are derived
(:mod:`planner.plan.finance`, :mod:`planner.plan.staff`, :mod:`planner.plan.reasons`); the
plan is assembled (:mod:`planner.plan.assemble`) and verified by the independent
checker (:mod:`planner.checker`) before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.inventory.graph import EstateGraph
from planner.inventory.load import Loaded
from planner.plan import budget as stages
from planner.plan.assemble import feasible_plan, header, infeasible_plan
from planner.plan.budget import Budget
from planner.plan.decision_reasons import upgrade_reasons, without_upgrades
from planner.plan.explain import explain_infeasible
from planner.plan.reasons import (
    COUNTERFACTUAL_MAX_ROOMS,
    counterfactuals,
    desk_reasons,
    move_reasons,
    room_reasons,
)
from planner.plan.timeline import Timeline
from planner.schedule import Schedule, schedule_migration
from planner.solver import NEIGHBOURHOOD_ABOVE, Outcome, Progress, SolveOptions, Status, solve
from planner.target import LimitOptions, Target, build_problem, target_of


@dataclass(frozen=True)
class OptimiseOptions:
    max_rooms: int | None = None
    max_desks: int | None = None
    time_limit_s: float = 60.0
    """The whole run's budget, split between its stages (planner.plan.budget)."""
    workers: int = 2
    seed: int = 0
    explain_reasons: bool = True
    """Measure why rooms stay open by re-solving (small estates only)."""
    schedule_method: str = "auto"
    """How the migration is dated: 'auto' (the greedy list schedule as CP-SAT's hint and
    fallback), 'greedy' (no CP-SAT) or 'cp-sat' (no greedy); see planner.schedule."""
    shapley: dict[str, float] | None = None
    """Organisation -> its Shapley value (from ``--shares EXPLORE_JSON``), for an estate
    whose ``share_rule`` is ``shapley``."""

    def as_plan_options(self) -> dict[str, Any]:
        return {
            "max_rooms": self.max_rooms,
            "max_desks": self.max_desks,
            "time_limit_s": self.time_limit_s,
            "workers": self.workers,
            "seed": self.seed,
        }


@dataclass
class OptimiseResult:
    plan: dict[str, Any]
    outcome: Outcome
    schedule: Schedule | None = None
    stages: dict[str, float] = field(default_factory=dict)
    target: Target | None = None
    """The target estate of a feasible plan (what explore's risk analysis re-costs)."""
    budget: Budget | None = None
    """The run's time budget: each stage's allowance and time (plan.json's solver.budget)."""

    @property
    def feasible(self) -> bool:
        return self.plan["solver"]["status"] in ("optimal", "feasible")


MAX_RETARGETS = 25
"""Most target estates proved unschedulable before the run gives up on finding another."""


def optimise(
    loaded: Loaded,
    options: OptimiseOptions,
    on_progress: Callable[[Progress], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    budget: Budget | None = None,
) -> OptimiseResult:
    """Plan a valid, loaded estate. Raises nothing for an infeasible estate: the plan says
    so; ValueError when the estate's share_rule is shapley and no values are given.

    ``options.time_limit_s`` is the whole run's budget (:mod:`planner.plan.budget`):
    ``budget`` when given (the command starts it before reading the estate), else one
    started now."""

    def stage(name: str) -> None:
        if on_stage is not None:
            on_stage(name)

    inv = loaded.inventory
    if inv.estate.share_rule == "shapley" and options.shapley is None:
        raise ValueError("share_rule shapley needs the Shapley values (OptimiseOptions.shapley)")
    if budget is None:
        budget = Budget(options.time_limit_s, workers=options.workers)
    limits = LimitOptions(options.max_rooms, options.max_desks)
    head = header(loaded.root, inv.estate.name, options.as_plan_options())
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    stage("building the model")
    graph = EstateGraph(inv)
    ep = build_problem(inv, graph, limits)
    timings["build"] = time.monotonic() - t0
    budget.record(stages.BUILD, None, budget.elapsed())
    reasons_wanted = options.explain_reasons and len(ep.problem.rooms) <= COUNTERFACTUAL_MAX_ROOMS
    budget.plan_for(len(inv.workloads), reasons_wanted)

    def target_options() -> SolveOptions:
        return SolveOptions(
            time_limit_s=budget.for_target(),
            workers=options.workers,
            seed=options.seed,
            neighbourhood_above=NEIGHBOURHOOD_ABOVE,
        )

    stage("choosing the target estate")
    solve_options = target_options()
    with budget.stage(stages.TARGET, solve_options.time_limit_s):
        outcome = solve(ep.problem, solve_options, on_progress)
    timings["solve"] = outcome.wall_s
    timings["schedule"] = 0.0
    rejected: list[Schedule] = []
    """Targets whose migration was proved impossible month by month, in the order found."""
    excluded: list[list[int]] = []
    """Their assignments, each cut off from the next solve."""
    schedule: Schedule | None = None
    while outcome.solution is not None:
        target = target_of(ep, outcome.solution)
        stage("scheduling the migration month by month")
        t1 = time.monotonic()
        allowed = budget.for_schedule()
        with budget.stage(stages.RESCHEDULE if rejected else stages.SCHEDULE, allowed):
            schedule = schedule_migration(
                inv,
                graph,
                target,
                time_limit_s=allowed,
                workers=options.workers,
                seed=options.seed,
                explain_time_s=min(stages.SCHEDULE_EXPLAIN_CAP_S, allowed),
                method=options.schedule_method,
            )
        timings["schedule"] += time.monotonic() - t1
        if schedule.status != "infeasible" or len(rejected) >= MAX_RETARGETS:
            break
        # Logic-based Benders: this target cannot be reached legally month by month;
        # forbid it and let the solver find the best other one (exact: only targets
        # proved unschedulable are cut off).
        rejected.append(schedule)
        excluded.append(outcome.solution.assignment)
        budget.no_reasons()  # not measured against targets cut off (below)
        stage(f"target {len(rejected)} cannot be scheduled; choosing the next best")
        solve_options = target_options()
        with budget.stage(stages.RETARGET, solve_options.time_limit_s):
            outcome = solve(ep.problem, solve_options, on_progress, exclude=excluded)
        timings["solve"] += outcome.wall_s
    timings["targets"] = len(rejected) + (1 if outcome.solution is not None else 0)

    def finished(plan: dict[str, Any], began: float) -> dict[str, Any]:
        """The plan with its budget (``began``: when its last stage began)."""
        budget.close(plan, began)
        return plan

    if outcome.solution is None or schedule is None:
        if rejected and outcome.status is Status.INFEASIBLE:
            lines = [
                f"{len(rejected)} target estate(s) were found, but none can be migrated month "
                "by month, and no other legal target exists; for the cheapest, these rules "
                "conflict:",
                *rejected[0].explanation,
            ]
        elif outcome.status is Status.INFEASIBLE:
            stage("explaining why no plan exists")
            allowed = budget.for_explanation()
            with budget.stage(stages.EXPLANATION, allowed):
                lines, _ = explain_infeasible(ep, limits, time_limit_s=allowed)
            if not lines:
                lines = [
                    "CP-SAT proved that no plan satisfies every rule, but no smaller set "
                    "of conflicting rules was found in time"
                ]
        else:
            lines = [
                f"no plan was found in the {solve_options.time_limit_s:.1f} s the target "
                f"estate was given of --time-limit {options.time_limit_s:g} s, and none was "
                "proved impossible; allow more time"
            ]
        began = budget.clock()
        plan = infeasible_plan(head, ep, outcome, rejected[0] if rejected else None, lines)
        return OptimiseResult(finished(plan, began), outcome, stages=timings, budget=budget)
    if schedule.status == "infeasible":
        lines = [
            f"the {len(rejected) + 1} cheapest target estates cannot be migrated month by "
            "month within the horizon (no more were tried); for the last, these rules "
            "conflict:",
            *schedule.explanation,
        ]
    elif schedule.status not in ("optimal", "feasible"):
        lines = [
            "the cheapest target estate was found, but no month-by-month schedule for it was "
            f"found in the {allowed:.1f} s it was given of --time-limit "
            f"{options.time_limit_s:g} s, and none was proved impossible; allow more time",
            *schedule.explanation,
        ]
    if schedule.status not in ("optimal", "feasible"):
        began = budget.clock()
        plan = infeasible_plan(head, ep, outcome, schedule, lines)
        return OptimiseResult(finished(plan, began), outcome, schedule, timings, budget=budget)
    target = target_of(ep, outcome.solution)

    stage("measuring the reasons")
    t2 = time.monotonic()
    tl = Timeline(inv, target, schedule)
    measured: dict[str, str] = {}
    upgrades_measured: dict[tuple[str, str], str] = {}
    # Re-solves measure against every target; skip them when some were cut off as
    # unschedulable, or the comparison would be with plans that cannot be carried out.
    measure = reasons_wanted and outcome.objective is not None and not rejected
    allowed_reasons = budget.for_reasons(bool(target.upgrades)) if measure else None
    with budget.stage(stages.REASONS, allowed_reasons):
        if measure and outcome.objective is not None and allowed_reasons is not None:
            rooms_s, upgrades_s = stages.reasons_split(allowed_reasons, bool(target.upgrades))
            t3 = time.monotonic()
            measured = counterfactuals(
                ep,
                limits,
                outcome.objective,
                target.open_rooms,
                budget_s=rooms_s,
                workers=options.workers,
                seed=options.seed,
            )
            if upgrades_s > 0 and not budget.one_worker:  # what the rooms left flows on
                used = time.monotonic() - t3
                upgrades_s = stages.upgrades_left(allowed_reasons, upgrades_s, used)
            if upgrades_s > 0:
                upgrades_measured = without_upgrades(
                    ep,
                    target,
                    outcome.objective,
                    budget_s=upgrades_s,
                    workers=options.workers,
                    seed=options.seed,
                )
        gains = upgrade_reasons(ep, target, schedule, upgrades_measured)
        reasons = {
            "rooms": room_reasons(ep, target, schedule, measured, gains),
            "moves": move_reasons(ep, target, schedule),
            "desks": desk_reasons(ep, target, tl.desk_fte_after),
        }
    timings["reasons"] = time.monotonic() - t2
    began = budget.clock()
    plan = feasible_plan(head, ep, outcome, target, schedule, reasons, options.shapley)
    return OptimiseResult(finished(plan, began), outcome, schedule, timings, target, budget)
