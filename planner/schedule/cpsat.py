"""Date every move so that every month's estate is legal (rule 10), closing rooms early.

Given the target estate (where each workload ends up, which rooms stay),
:func:`schedule_migration` turns it into whole numbers
(:mod:`planner.schedule.migration`), builds the CP-SAT model
(:mod:`planner.schedule.build`: the rules of :mod:`planner.schedule.rules`, the
discounted cost of :mod:`planner.schedule.objective`, the redundant rows of
:mod:`planner.schedule.bounds`) and solves it.

Search: :mod:`planner.schedule.greedy` builds a legal schedule in well under
a second; it is given to CP-SAT as a complete hint (every variable), and it is
the schedule (status ``feasible``, ``method: greedy``) when CP-SAT finds no
better one in time. A stall stopper (:class:`_StallStop`) ends the search after
``patience_s`` without a significant improvement, counted only from the first
solution better than the hint, and only with several workers (one worker:
CP-SAT's deterministic time alone, so runs repeat exactly).

When no schedule exists, the same model with every rule guarded by an
assumption literal (``build(inst, explain=True)``) yields the conflicting rules
(:mod:`planner.cores`), described by :mod:`planner.schedule.explain`.
"""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model, cp_model_helper

from planner import sat
from planner.cores import minimal_core
from planner.inventory.graph import EstateGraph
from planner.inventory.items import Inventory
from planner.inventory.months import Calendar
from planner.schedule.build import build, hint
from planner.schedule.explain import describe_core
from planner.schedule.greedy import GreedySchedule, greedy_schedule
from planner.schedule.migration import Migration, build_migration
from planner.schedule.pairs import move_groups, order_rules
from planner.schedule.result import Schedule
from planner.schedule.variables import DEFAULTS, Options, ScheduleModel
from planner.target import Target

METHODS = ("auto", "greedy", "cp-sat")
"""``auto``: the greedy schedule as CP-SAT's hint and fallback; ``greedy``: no CP-SAT
(unless the greedy fails, then nothing: status unknown); ``cp-sat``: no greedy."""


class _StallStop(cp_model.CpSolverSolutionCallback):
    """Stops the search when it stalls: no significant progress (a better solution or a
    better proven bound) for ``patience`` seconds, or for half the time the search had
    taken when it last progressed, whichever is longer (a search that needed 20 s to
    improve gets 10 s more).

    Progress is significant when it closes more than 1% of the gap between the best
    solution and the bound, or more than 0.01% of the best solution's cost (GBP 1 at
    least): the schedule's objective ranges from hundreds of pounds (bundled estates,
    where rooms close when their leases allow) to millions (generated ones), so a fixed
    amount would be wrong for one or the other.

    The clock starts only at the first solution better than ``reference`` (the greedy
    hint's cost), so the search never stops before it has improved on the hint; without
    such a solution it runs to its time limit (or to a proof of optimality).
    """

    def __init__(self, patience: float, reference: float | None = None) -> None:
        super().__init__()
        self.patience = patience
        self.reference = reference
        self.start = time.monotonic()
        self.last: float | None = None
        self.best: float | None = None
        self.bound: float | None = None
        self.solutions = 0
        self.done = threading.Event()
        self.lock = threading.Lock()

    def _significant(self, old: float | None, new: float) -> bool:
        if old is None:
            return True
        step = 100.0
        if self.best is not None:
            step = max(step, 1e-4 * abs(self.best))
            if self.bound is not None:
                step = min(step, max(100.0, 0.01 * (self.best - self.bound)))
        return abs(old - new) > step

    def on_solution_callback(self) -> None:
        value = self.objective_value
        with self.lock:
            self.solutions += 1
            if self.reference is not None and value >= self.reference:
                return
            if self._significant(self.best, value):
                self.best = value
                self.last = time.monotonic()

    def on_bound(self, bound: float) -> None:
        with self.lock:
            if self._significant(self.bound, bound):
                self.bound = bound
                if self.last is not None:
                    self.last = time.monotonic()

    def watch(self) -> None:
        while not self.done.wait(0.2):
            with self.lock:
                stalled = False
                if self.last is not None:
                    wait = max(self.patience, 0.5 * (self.last - self.start))
                    stalled = time.monotonic() - self.last > wait
            if stalled:
                self.stop_search()
                return


def schedule_migration(
    inv: Inventory,
    graph: EstateGraph,
    target: Target,
    *,
    time_limit_s: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    explain_time_s: float = 30.0,
    patience_s: float | None = 5.0,
    method: str = "auto",
    options: Options = DEFAULTS,
) -> Schedule:
    """Date every move of the target estate month by month (see the module docstring)."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
    start = time.monotonic()
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    orders = order_rules(inv, graph, target.room_of)
    inst = build_migration(inv, cal, target.room_of, target.open_rooms, orders)
    result = Schedule(status="unknown", orders=orders, move_groups=move_groups(orders))
    result.desk_switch_month, result.desk_close_month = desk_months(inv, cal, target)
    result.stats = {"movers": len(inst.movers), "months": inst.T}

    greedy = _greedy(inst, result) if method != "cp-sat" else None
    if method == "greedy":
        if greedy is not None and greedy.complete:
            _take_greedy(result, inst, greedy, None)
        elif greedy is not None:
            result.explanation = [f"the greedy scheduler found no schedule: {greedy.problem}"]
        result.wall_s = time.monotonic() - start
        return result

    built = build(inst, explain=False, options=options)
    proto = built.model.proto
    result.stats["variables"] = len(proto.variables)
    result.stats["constraints"] = len(proto.constraints)
    reference: float | None = None
    if greedy is not None and greedy.complete:
        result.stats["hinted"] = hint(built, greedy)
        reference = greedy.cost
    solver = _solver(workers, seed, time_limit_s, start)
    t_cp = time.monotonic()
    code = _search(solver, built, patience_s if workers > 1 else None, reference)
    result.cp_wall_s = time.monotonic() - t_cp
    result.stats["cp_status"] = solver.status_name(code)

    if not _take_cp_sat(result, inst, built, solver, code, reference):
        if greedy is not None and greedy.complete:
            # CP-SAT found nothing better in time (its first solution is the hint itself),
            # or proved the greedy schedule optimal; never expected: it proved the legal
            # greedy schedule infeasible. The greedy schedule stands.
            bound = solver.best_objective_bound if code != cp_model.INFEASIBLE else None
            _take_greedy(result, inst, greedy, bound, optimal=code == cp_model.OPTIMAL)
        elif code == cp_model.INFEASIBLE:
            _explain(result, inv, cal, inst, explain_time_s)
        elif greedy is not None:
            result.explanation = [f"the greedy scheduler found no schedule: {greedy.problem}"]
    result.wall_s = time.monotonic() - start
    return result


def _greedy(inst: Migration, result: Schedule) -> GreedySchedule:
    """The greedy schedule, its time, variant and cost (or why it failed) in ``result``."""
    greedy = greedy_schedule(inst)
    result.greedy_wall_s = greedy.wall_s
    result.stats["greedy_variant"] = greedy.variant
    if greedy.complete:
        result.greedy_cost = greedy.cost
    else:
        result.stats["greedy_problem"] = greedy.problem
    return greedy


def _solver(workers: int, seed: int, time_limit_s: float, start: float) -> cp_model.CpSolver:
    """A CP-SAT solver for the schedule. With one worker its limit is ``time_limit_s`` of
    CP-SAT's deterministic time (runs repeat exactly); with several, the wall-clock time
    left of ``time_limit_s`` since ``start`` (half a second at least)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    if workers <= 1:
        params.max_deterministic_time = time_limit_s
    else:
        params.max_time_in_seconds = max(0.5, time_limit_s - (time.monotonic() - start))
    return solver


def _search(
    solver: cp_model.CpSolver,
    built: ScheduleModel,
    patience_s: float | None,
    reference: float | None,
) -> cp_model_helper.CpSolverStatus:
    """Solve (interruptibly, :func:`planner.sat.run`), under the stall stopper when
    ``patience_s`` is given; CP-SAT's status."""
    if patience_s is None:
        return sat.run(solver, built.model)
    stopper = _StallStop(patience_s, reference)
    solver.best_bound_callback = stopper.on_bound
    watcher = threading.Thread(target=stopper.watch, daemon=True)
    watcher.start()
    try:
        return sat.run(solver, built.model, stopper)
    finally:
        stopper.done.set()
        watcher.join()


def _take_cp_sat(
    result: Schedule,
    inst: Migration,
    built: ScheduleModel,
    solver: cp_model.CpSolver,
    code: cp_model_helper.CpSolverStatus,
    reference: float | None,
) -> bool:
    """Take CP-SAT's schedule into ``result`` if it found one, cheaper than ``reference``
    (the greedy schedule's cost) if there is one; False if not."""
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    value = solver.objective_value
    if reference is not None and not value < reference:
        return False
    optimal = code == cp_model.OPTIMAL
    bound = solver.best_objective_bound
    result.status = "optimal" if optimal else "feasible"
    result.method = "cp-sat"
    result.move_month = {w: int(solver.value(v)) for w, v in built.t.items()}
    result.cost = round(value)
    result.bound = bound
    result.gap = _gap(value, bound, optimal)
    result.close_month = {r: int(solver.value(v)) for r, v in built.close.items()}
    result.open_month = inst.open_months(result.move_month)
    result.upgrade_month = inst.upgrade_months(result.move_month)
    return True


def _explain(
    result: Schedule, inv: Inventory, cal: Calendar, inst: Migration, time_limit_s: float
) -> None:
    """No schedule exists: the conflicting rules of the explanation model, in words."""
    result.status = "infeasible"
    explained = build(inst, explain=True)
    core = minimal_core(explained.model, explained.guards, time_limit_s=time_limit_s)
    result.core = core
    result.explanation = describe_core(inv, cal, inst.orders, core)


def _gap(value: float, bound: float | None, optimal: bool) -> float | None:
    if optimal:
        return 0.0
    if bound is None or not abs(bound) < 1e300 or bound > value + 1:
        return None
    if abs(value - bound) < 1:
        return 0.0
    return round((value - bound) / max(abs(value), 1.0), 6)


def _take_greedy(
    result: Schedule,
    inst: Migration,
    greedy: GreedySchedule,
    bound: float | None,
    *,
    optimal: bool = False,
) -> None:
    result.status = "optimal" if optimal else "feasible"
    result.method = "greedy"
    result.move_month = dict(greedy.move_month)
    result.close_month = dict(greedy.close_month)
    result.open_month = dict(greedy.open_month)
    result.upgrade_month = inst.upgrade_months(greedy.move_month)
    result.cost = greedy.cost
    result.bound = bound
    result.gap = _gap(float(greedy.cost or 0), bound, optimal)


def desk_months(
    inv: Inventory, cal: Calendar, target: Target
) -> tuple[dict[str, int], dict[str, int]]:
    """When each organisation changes desk, and when each unused desk closes.

    An organisation changes desk in the first month allowed: month 0, or the month
    of its ``desk_change_from`` date (changing earlier never costs more). A desk
    that serves nobody in the plan closes the month after its last organisation
    leaves (month 1 for a desk idle today).
    """
    switch = {
        o.id: max(0, cal.month_of(o.desk_change_from)) if o.desk_change_from else 0
        for o in inv.organisations
        if target.desk_of[o.id] != o.desk
    }
    used = target.open_desks
    close = {
        d.id: 1 + max((switch[o.id] for o in inv.organisations if o.desk == d.id), default=0)
        for d in inv.service_desks
        if d.id not in used
    }
    return switch, close
