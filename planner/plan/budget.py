"""The time budget of one ``planner optimise`` run: ``--time-limit`` split between its stages.

``--time-limit T`` is the whole run's budget. The stages, in order::

    build        import, read and validate the estate, its graph, the solver's problem
    target       CP-SAT chooses the target estate                           a_target
    schedule     the migration dated month by month                         a_schedule
    re-target, re-schedule   only when a target cannot be scheduled         same rules
    explanation  only when no plan exists: the rules that conflict          a_explain
    reasons      the re-solves that measure why rooms stay, upgrades pay    a_reasons
    finance, checker and reports

The build and the last stage are not limited; the others are given allowances. Let L
be what is left of T when a stage starts, m = 1 s the least any searching stage gets
(so a tiny limit still gives a plan), and keep two reserves for what comes after the
searches:

    R_rest    = min(T / 4, 1.8 ms x workloads)         finance, checker and reports
    R_reasons = max(m, 0.15 T) when the reasons will run (at most 40 rooms, not
                --no-reasons), else 0
    R         = R_rest + R_reasons

    a_target   = max(m, 0.75 x (L - R - m))       (m: the schedule's least, kept)
    a_schedule = max(m, 0.85 x (L - R))
    a_retarget, a_reschedule: the same, with what is left then; a target that cannot
               be scheduled means no reasons (they would compare with plans that cannot
               be carried out), so R_reasons is released for the searches
    a_explain  = max(m, min(60, L - R_rest))
    a_reasons  = max(m, min(30 + 20, L - R_rest)): 30 s at most for the rooms' re-solves
               and 20 for the upgrades' (their caps before the budget), shared 30 : 20
               when the plan buys upgrades, each re-solve at most 10 s

With one worker, and no retarget, these add up to at most T - R_rest unless a minimum
bites (T of a few seconds): for T = 60, 330 workloads and the reasons on (Cheshire),
R = 0.6 + 9 = 9.6, a_target = 0.75 x (60 - 9.6 - 1) = 37.1, a_schedule = 0.85 x (60 -
37.1 - 9.6) = 11.3, a_reasons = 60 - 37.1 - 11.3 - 0.6 = 11.0. With several workers,
for 50 generated councils (2,472 workloads, 161 rooms: no reasons) whose build
(imports and reading included) took 2.6 s: R = 4.4, a_target = 0.75 x (57.4 - 4.4 -
1) = 39.0; the target took 41.1 s (the large-estate search overruns a little), so
a_schedule = 0.85 x (16.3 - 4.4) = 10.1, and the run took 58.5 s (60.3 s with Python's
start-up; 93.6 s on the same machine when each stage had its own 60 s). 150 councils:
61.5 s (112.1 s before).

Why these shares. Measured on two shared cores (``--workers 2``), seed 0:

- The target is where the money is, and it improves with every second on large
  estates. Target alone on 50 councils: 183.1M at 15 s, 152.5M at 25 s, 164.3M at
  35 s, 145.3M at 45 s, 144.6M-157.0M at 60 s (bound 139.3M-139.6M); on 150 councils:
  432.0M at 15 s, 392.8M at 25 s, 401.0M at 35 s, 380.9M-386.2M at 60 s (two
  workers are not deterministic and the machine was shared: the runs are noisy, the
  trend is not). That is the price of the budget: at ``--time-limit 60`` the whole
  run now gives 50 councils' target about 40 s (152.6M-166.2M in two runs) and 150
  councils' about 31 s (392.8M-424.8M); give large estates more time.
- The schedule's CP-SAT search improves the greedy schedule (which the schedule starts
  from, and keeps when CP-SAT finds nothing better) by little: on 50 councils'
  target the greedy's 3,079,278 (the schedule's discounted cost, GBP) became 3,079,276
  at 20 s and 3,079,242 at 40 s, nothing better at 5 and 10 s; on 150 councils
  7,445,713 became 7,404,939 at 10 s (-0.55%), 7,392,806 at 20 s, and the search
  stopped itself (5 s without progress) at 27 s with 7,392,687. That is at most a few
  hundredths of a percent of the plan's objective, against the target's percents.
- So the target gets three quarters of what is left (0.75), and the schedule most of
  what the target leaves (0.85, not all: the other 15% absorbs what the target's
  search overruns and leaves a little for a re-target with one worker, where nothing
  flows back). 0.55 for the target, the first guess, would take some 10 s of target
  search from 50 councils (worth percents of the objective on the curve above) for
  schedule time worth hundredths of a percent.
- The reasons' reserve (0.15 T: 9 s of 60) covers the bundled estates' re-solves with
  one worker: Cheshire's 8 re-solves at 11.0 s / 8 = 1.4 deterministic s each (the
  slowest needs 0.9) give the same reasons as with 30 s. With several workers the
  reasons get what the searches left: up to 30 + 20 s as before.
- The rest: finance, the checker and the reports took 3.8 s on 50 councils (1.5 ms a
  workload), 11.8 s on 150 (1.8 ms), about 19 s on 337 (1.2 ms, docs/benchmarks.md
  section 4), hence 1.8 ms a workload.

The bundled estates' targets are proven optimal within 1.5 s and their schedules
stop themselves (or are proven) within 28 s, inside their allowances: with the
default options their plans have the same objective as before the budget.

Unused time flows on. With several workers the limits are wall-clock time, so L is
T minus the wall time since the run started: a target proven optimal in 0.5 s leaves
its unused time to the schedule and the reasons, and a stage that overruns takes its
overrun from the later stages.

With one worker (``--workers 1``) CP-SAT's limits are deterministic time, and so are
the allowances: L is T minus the allowances granted so far, whatever the stages took
on the clock, so the same estate, options and seed give the same allowances, and the
same plan, on any machine. Nothing flows back (the time a stage did not use is not
known without the clock), and deterministic seconds are not wall seconds: with one
worker the run's wall time can exceed the budget (Cheshire's schedule counts about
a quarter of a deterministic second per second of work; the build and the last stage
are not counted at all).

The plan records the split (``solver.budget``): each stage's allowance and the wall
time it took, and the whole run's wall time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

TARGET_SHARE = 0.75
"""The target's share of what is left (less the reserves) when it starts."""
SCHEDULE_SHARE = 0.85
"""The schedule's share of what the target left (less the reserves)."""
REASONS_SHARE = 0.15
"""The part of the budget kept for the reasons' re-solves when they will run."""
REST_S_PER_WORKLOAD = 0.0018
"""Seconds per workload kept for finance, the checker and the reports (measured: 1.2 to
1.8 ms on 50, 150 and 337 councils)."""
REST_MAX_SHARE = 0.25
"""The most of the budget kept for finance, the checker and the reports."""
MIN_STAGE_S = 1.0
"""The least any searching stage gets, so that a tiny limit still produces a plan."""
ROOM_REASONS_CAP_S = 30.0
"""The most the rooms' re-solves get (planner.plan.reasons.counterfactuals)."""
UPGRADE_REASONS_CAP_S = 20.0
"""The most the upgrades' re-solves get (planner.plan.decision_reasons.without_upgrades)."""
EXPLAIN_CAP_S = 60.0
"""The most the search for conflicting rules gets when no plan exists."""
SCHEDULE_EXPLAIN_CAP_S = 30.0
"""The most the schedule's own explanation gets when it proves no schedule exists."""

BUILD = "build"
TARGET = "target"
SCHEDULE = "schedule"
RETARGET = "re-target"
RESCHEDULE = "re-schedule"
EXPLANATION = "explanation"
REASONS = "reasons"
REST = "finance, checker and reports"
STAGES = (BUILD, TARGET, SCHEDULE, RETARGET, RESCHEDULE, EXPLANATION, REASONS, REST)


# ---------------------------------------------------------------- the arithmetic


def allowance(
    left: float,
    share: float,
    reserve: float = 0.0,
    cap: float | None = None,
    minimum: float = MIN_STAGE_S,
) -> float:
    """``share`` of what is ``left`` after the ``reserve``, at most ``cap``, at least
    ``minimum``: max(minimum, min(cap, share x (left - reserve)))."""
    amount = share * max(0.0, left - reserve)
    if cap is not None:
        amount = min(cap, amount)
    return max(minimum, amount)


def rest_reserve(total_s: float, workloads: int) -> float:
    """Seconds kept for finance, the checker and the reports: 1.8 ms a workload, at most
    a quarter of the budget."""
    return min(REST_MAX_SHARE * total_s, REST_S_PER_WORKLOAD * workloads)


def reasons_reserve(total_s: float, reasons: bool) -> float:
    """Seconds kept for the reasons' re-solves (none when they will not run)."""
    return REASONS_SHARE * total_s if reasons else 0.0


def left_of(
    total_s: float, allowed: list[float | None], elapsed_s: float, one_worker: bool
) -> float:
    """What is left of the budget: with one worker, ``total_s`` less the allowances
    granted (deterministic: the clock plays no part); with several, less the wall time
    ``elapsed_s`` since the run started (what a stage did not use flows on)."""
    spent = sum(a for a in allowed if a is not None) if one_worker else elapsed_s
    return max(0.0, total_s - spent)


def reasons_split(allowed_s: float, upgrades: bool) -> tuple[float, float]:
    """The reasons' allowance between the rooms' re-solves and the upgrades' (when the
    plan buys upgrades): in proportion to their caps (30 : 20), each at most its cap."""
    if not upgrades:
        return min(ROOM_REASONS_CAP_S, allowed_s), 0.0
    rooms = ROOM_REASONS_CAP_S / (ROOM_REASONS_CAP_S + UPGRADE_REASONS_CAP_S)
    return (
        min(ROOM_REASONS_CAP_S, rooms * allowed_s),
        min(UPGRADE_REASONS_CAP_S, (1 - rooms) * allowed_s),
    )


def upgrades_left(allowed_s: float, upgrades_s: float, rooms_used_s: float) -> float:
    """With several workers, the upgrades' re-solves get what the rooms' left of the
    reasons' allowance (their share at least, at most their cap)."""
    return min(UPGRADE_REASONS_CAP_S, max(upgrades_s, allowed_s - rooms_used_s))


# ---------------------------------------------------------------- the run's budget


@dataclass
class StageTime:
    """One stage of the run: its allowance (None: not limited) and the wall time it took."""

    stage: str
    allowed_s: float | None
    used_s: float


class Budget:
    """``--time-limit`` for a whole run: the total, the start, and each stage's allowance
    and time (see the module docstring for the split)."""

    def __init__(
        self,
        total_s: float,
        *,
        workers: int,
        start: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total_s = total_s
        self.one_worker = workers <= 1
        """Allowances are deterministic time, counted from the allowances alone."""
        self.clock = clock
        self.start = clock() if start is None else start
        self.stages: list[StageTime] = []
        self.reserve_rest = 0.0
        self.reserve_reasons = 0.0
        self._rest_began = self.start

    def plan_for(self, workloads: int, reasons: bool) -> None:
        """Keep the reserves for the stages after the searches (``reasons``: whether the
        reasons' re-solves will run; then at least their minimum)."""
        self.reserve_rest = rest_reserve(self.total_s, workloads)
        self.reserve_reasons = reasons_reserve(self.total_s, reasons)
        if reasons:
            self.reserve_reasons = max(MIN_STAGE_S, self.reserve_reasons)

    def no_reasons(self) -> None:
        """The reasons will not run after all: their reserve goes to the searches."""
        self.reserve_reasons = 0.0

    # -- what is left and what each stage gets

    def elapsed(self) -> float:
        return self.clock() - self.start

    def left(self) -> float:
        return left_of(
            self.total_s, [s.allowed_s for s in self.stages], self.elapsed(), self.one_worker
        )

    def for_target(self) -> float:
        """The target's (or a re-target's) allowance; the schedule's minimum is kept too."""
        reserve = self.reserve_rest + self.reserve_reasons + MIN_STAGE_S
        return allowance(self.left(), TARGET_SHARE, reserve)

    def for_schedule(self) -> float:
        return allowance(self.left(), SCHEDULE_SHARE, self.reserve_rest + self.reserve_reasons)

    def for_explanation(self) -> float:
        return allowance(self.left(), 1.0, self.reserve_rest, EXPLAIN_CAP_S)

    def for_reasons(self, upgrades: bool) -> float:
        cap = ROOM_REASONS_CAP_S + (UPGRADE_REASONS_CAP_S if upgrades else 0.0)
        return allowance(self.left(), 1.0, self.reserve_rest, cap)

    # -- timing the stages

    @contextmanager
    def stage(self, name: str, allowed_s: float | None) -> Iterator[None]:
        """Time one stage given ``allowed_s`` (None: not limited); recorded even when it
        raises."""
        began = self.clock()
        try:
            yield
        finally:
            self.stages.append(StageTime(name, allowed_s, self.clock() - began))

    def record(self, name: str, allowed_s: float | None, used_s: float) -> None:
        self.stages.append(StageTime(name, allowed_s, used_s))

    def close(self, plan: dict[str, Any], began: float | None = None) -> None:
        """Time the last stage (finance, checker and reports) from ``began`` (the
        budget's clock; the first call) until now, and put the budget in the plan as
        ``solver.budget``. Called again (once the checker and the reports are done),
        it extends that stage to now."""
        now = self.clock()
        if self.stages and self.stages[-1].stage == REST:
            self.stages[-1].used_s = now - self._rest_began
        else:
            self._rest_began = now if began is None else began
            self.record(REST, None, now - self._rest_began)
        plan["solver"]["budget"] = self.as_plan()

    # -- the report

    def as_plan(self) -> dict[str, Any]:
        """plan.json's ``solver.budget``."""
        return {
            "time_limit_s": self.total_s,
            "clock": "deterministic" if self.one_worker else "wall",
            "stages": [
                {
                    "stage": s.stage,
                    "allowed_s": None if s.allowed_s is None else round(s.allowed_s, 3),
                    "used_s": round(s.used_s, 3),
                }
                for s in self.stages
            ],
            "used_s": round(self.elapsed(), 3),
        }


def budget_line(budget: dict[str, Any]) -> str:
    """One line for the console from plan.json's ``solver.budget``: 'time: 58.7 s of 60 s
    (target 31.9, schedule 19.0, reasons 6.1, the rest 1.7)'."""
    by_kind: dict[str, float] = {}
    kinds = {RETARGET: TARGET, RESCHEDULE: SCHEDULE}
    shown = (TARGET, SCHEDULE, EXPLANATION, REASONS)
    counted = 0.0
    for s in budget["stages"]:
        kind = kinds.get(s["stage"], s["stage"])
        if kind in shown and s["allowed_s"] is not None:  # reasons not measured: the rest
            by_kind[kind] = by_kind.get(kind, 0.0) + s["used_s"]
            counted += s["used_s"]
    parts = [f"{kind} {by_kind[kind]:.1f}" for kind in shown if kind in by_kind]
    parts.append(f"the rest {max(0.0, budget['used_s'] - counted):.1f}")
    retargets = sum(1 for s in budget["stages"] if s["stage"] == RETARGET)
    if retargets:
        parts[0] += f" in {retargets + 1} solves"
    of = "for" if budget.get("clock") == "deterministic" else "of"
    kind = " of deterministic time" if of == "for" else ""
    return (
        f"time: {budget['used_s']:.1f} s {of} {budget['time_limit_s']:g} s{kind} "
        f"({', '.join(parts)})"
    )
