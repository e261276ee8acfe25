"""Date every move so that every month's estate is legal (rule 10), closing rooms early.

Given the target estate (where each workload ends up, which rooms stay), with
T months in the horizon, movers M (workloads whose room changes) and their
move months t[w] (the data, in whole numbers, is :mod:`planner.schedule.migration`):

* ``window``: month(not_before) <= t[w] <= month(not_after), 0 <= t[w] <= T-1.
* ``capacity-during`` (rules 2 and 1 month by month), for each room r and
  resource k that can bind (leavers and entrants together exceed what the
  stayers leave free), as a cumulative over months: one leaving r uses it in
  [0, t[w]); one entering r uses it in [t[w], T); their demand summed over each
  month <= C[r, k] minus the stayers' demand.
* ``separation-during`` (rule 4): if zone k1 leaves r and a conflicting zone k2
  enters r, then t[enter] >= last[r, k1] >= t[leave] for every such pair (the
  newcomer arrives in or after the month the last conflicting workload left).
* ``order`` (rules 6 and 7): the pair rules of :mod:`planner.schedule.pairs`.
* ``days-per-month`` (rule 10): sum of migration_days of the moves in one
  month <= migration_days_per_month (a cumulative with unit-length moves).
* ``room-close``: a closing room's close month c[r] >= t[w] + 1 for every
  workload leaving it, c[r] >= the first month after ``earliest_close``, 1 <=
  c[r] <= T. An opened candidate's open month o[r] <= t[w] for every workload
  entering it.

Rules 3 and 5 need nothing: a workload is only ever in its old room or its new
one, both of which its users reach and whose accreditations cover its zone.

Objective (money in pence, discounted monthly at (1 + rate)^-(m/12)): the
running cost of each closing room until it closes plus its closure cost, the
running cost of each opened candidate from its opening plus its opening cost,
and each move's migration cost in its month. Closing expensive rooms early is
what saves money; discounting moves a one-off cost later only when that does
not delay a closure. Room costs are order-encoded (bit b[r, k] = [c[r] > k]).

Bounds (redundant, for the LP relaxation; CP-SAT's cumulatives say nothing to
the LP, whose bound was therefore weak):

* energetic: rooms closed by month k were emptied in months 0..k-1, so for
  every k ``sum_r D[r] (1 - b[r, k]) + (days of the moves due by k-1) <= k x
  days-per-month`` (D[r]: the person-days of the moves out of r that are not
  due by then);
* weighted months: the person-day-weighted sum of move months lies between
  what filling the first months and filling the last months would give;
* time-indexed rows, where they stay small (:class:`Options` budgets): move
  months order-encoded too (g[w, k] = [t[w] > k]); each month's person-days
  and each binding room's racks/kW stated month by month on those bits, and
  linked month by month to the rooms' bits (b[r, k] >= g[w, k-1] for a leaver,
  o-bit[r, k] <= g[w, k] for an entrant) and to each other (orders). This is
  the time-indexed formulation, whose LP is close to the integer optimum on
  the bundled estates.

Search: :mod:`planner.schedule.greedy` builds a legal schedule in well under
a second; it is given to CP-SAT as a complete hint (every variable), and it is
the schedule (status ``feasible``, ``method: greedy``) when CP-SAT finds no
better one in time. A stall stopper ends the search after ``patience_s``
without a significant improvement, counted only from the first solution
better than the hint, and only with several workers (one worker: CP-SAT's
deterministic time alone, so runs repeat exactly).

When no schedule exists, the same model with every rule guarded by an
assumption literal yields the conflicting rules (:mod:`planner.cores`).
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner import sat
from planner.cores import Core, GuardKey, minimal_core
from planner.inventory.graph import EstateGraph
from planner.inventory.items import Inventory
from planner.inventory.months import Calendar
from planner.schedule.greedy import GreedySchedule, greedy_schedule
from planner.schedule.migration import Migration, build_migration
from planner.schedule.pairs import Order, move_groups, order_rules
from planner.schedule.result import Schedule
from planner.target import Target

METHODS = ("auto", "greedy", "cp-sat")
"""``auto``: the greedy schedule as CP-SAT's hint and fallback; ``greedy``: no CP-SAT
(unless the greedy fails, then nothing: status unknown); ``cp-sat``: no greedy."""


@dataclass(frozen=True)
class Options:
    """Which redundant constraints the model states (all on by default; for measuring)."""

    energetic: bool = True
    """Person-days by month k bound the rooms closed by k (on the order-encoding bits)."""
    weighted_months: bool = True
    """The person-day-weighted sum of move months lies between the earliest and latest fills."""
    separation_var: bool = True
    time_indexed_days: int = 6_000
    """Order-encode every move month ([t > k] bits) and state each month's person-days on
    them when that takes at most this many bits (0: never)."""
    time_indexed_capacity: int = 40_000
    """Likewise, state each binding room capacity month by month on the bits of its movers."""
    month_links: bool = True
    """Link encoded move months to room close/open bits and to each other month by month."""
    """One last[r, zone] variable per separation instead of a constraint per pair."""


@dataclass
class ScheduleModel:
    model: cp_model.CpModel
    t: dict[str, cp_model.IntVar]
    close: dict[str, cp_model.IntVar]
    open_: dict[str, cp_model.IntVar]
    guards: dict[GuardKey, cp_model.IntVar]
    encodings: list[tuple[cp_model.IntVar, int, list[cp_model.IntVar]]] = field(
        default_factory=list
    )
    """(var, lo, bits) with bits[i] = [var > lo + i]."""
    lasts: list[tuple[cp_model.IntVar, tuple[str, ...]]] = field(default_factory=list)
    """(last[r, zone], its leavers)."""


def _build(inst: Migration, explain: bool, options: Options = Options()) -> ScheduleModel:
    m = cp_model.CpModel()
    T = inst.T
    guards: dict[GuardKey, cp_model.IntVar] = {}

    def guard(*key: object) -> list[cp_model.IntVar]:
        if not explain:
            return []
        lit = guards.get(key)
        if lit is None:
            lit = m.new_bool_var("guard:" + ":".join(map(str, key)))
            guards[key] = lit
        return [lit]

    def interval(
        start: cp_model.LinearExprT,
        size: cp_model.LinearExprT,
        end: cp_model.LinearExprT,
        key: tuple[str, ...],
        name: str,
    ) -> cp_model.IntervalVar:
        lits = guard(*key)
        if lits:
            return m.new_optional_interval_var(start, size, end, lits[0], name)
        return m.new_interval_var(start, size, end, name)

    upper = 4 * T if explain else T - 1
    t: dict[str, cp_model.IntVar] = {}
    for mv in inst.movers:
        if explain:
            hi = mv.due if mv.due is not None else upper
            t[mv.id] = m.new_int_var(0, upper, f"t[{mv.id}]")
            if mv.lo > 0:
                m.add(t[mv.id] >= mv.lo).only_enforce_if(guard("window", mv.id))
            if hi < upper:
                m.add(t[mv.id] <= hi).only_enforce_if(guard("window", mv.id))
            m.add(t[mv.id] <= T - 1).only_enforce_if(guard("horizon"))
        else:
            t[mv.id] = m.new_int_var(mv.lo, max(mv.lo, mv.hi), f"t[{mv.id}]")
            if mv.hi < mv.lo:
                m.add(t[mv.id] <= mv.hi)  # no month: infeasible, as stated
    horizon_end = upper + 1

    # capacity-during: one cumulative per room and resource that can bind
    for cp in inst.capacities:
        key = ("capacity-during", cp.room)
        intervals, demands = [], []
        for wid, d in cp.leaving.items():
            intervals.append(interval(0, t[wid], t[wid], key, f"out[{wid},{cp.resource}]"))
            demands.append(d)
        for wid, d in cp.entering.items():
            intervals.append(
                interval(t[wid], horizon_end - t[wid], horizon_end, key, f"in[{wid},{cp.resource}]")
            )
            demands.append(d)
        m.add_cumulative(intervals, demands, max(cp.free, 0))

    # separation-during
    built_lasts: list[tuple[cp_model.IntVar, tuple[str, ...]]] = []
    for sep in inst.separations:
        g = guard("separation-during", sep.room)
        if options.separation_var and len(sep.leaving) * len(sep.entering) > len(sep.leaving) + len(
            sep.entering
        ):
            last = m.new_int_var(0, upper, f"last[{sep.room},{sep.zone}]")
            for wout in sep.leaving:
                m.add(last >= t[wout]).only_enforce_if(g)
            for wid in sep.entering:
                m.add(t[wid] >= last).only_enforce_if(g)
            built_lasts.append((last, sep.leaving))
        else:
            for wid in sep.entering:
                for wout in sep.leaving:
                    m.add(t[wid] >= t[wout]).only_enforce_if(g)

    # order rules (dependencies, DR pairs)
    for i, rule in enumerate(inst.orders):
        m.add(t[rule.first] <= t[rule.second]).only_enforce_if(guard("order", i))

    # days per month
    if inst.movers and sum(mv.days for mv in inst.movers) > inst.days_cap:
        ivs = [
            interval(t[mv.id], 1, t[mv.id] + 1, ("days-per-month",), f"move[{mv.id}]")
            for mv in inst.movers
        ]
        m.add_cumulative(ivs, [mv.days for mv in inst.movers], inst.days_cap)

    # room closing and opening months
    close: dict[str, cp_model.IntVar] = {}
    open_: dict[str, cp_model.IntVar] = {}
    for rid, lo in inst.closing.items():
        c = m.new_int_var(lo if not explain else 1, max(horizon_end, lo), f"close[{rid}]")
        if explain:
            if lo > 1:
                m.add(c >= lo).only_enforce_if(guard("earliest-close", rid))
            m.add(c <= T).only_enforce_if(guard("horizon"))
        else:
            m.add(c <= T)
        for wid in inst.leaving.get(rid, []):
            m.add(c >= t[wid] + 1)
        close[rid] = c
    for rid in inst.opening:
        o = m.new_int_var(0, T - 1 if not explain else upper, f"open[{rid}]")
        for wid in inst.entering[rid]:
            m.add(o <= t[wid])
        open_[rid] = o

    built = ScheduleModel(m, t, close, open_, guards, lasts=built_lasts)
    if not explain:
        _objective(built, inst, options)
    return built


def _order_encoded(
    built: ScheduleModel, var: cp_model.IntVar, lo: int, hi: int, name: str
) -> list[cp_model.IntVar]:
    """Bits b[k] = [var > k] for k = lo..hi-1, so var = lo + sum_k b[k] and b[k] >= b[k+1]:
    any cost with increments step[k] = cost(k+1) - cost(k) is sum_k step[k] b[k], exact
    and linear for the LP relaxation."""
    m = built.model
    bits = [m.new_bool_var(f"{name}>{k}") for k in range(lo, hi)]
    m.add(var == lo + sum(bits))
    for a, b in itertools.pairwise(bits):
        m.add_implication(b, a)
    built.encodings.append((var, lo, bits))
    return bits


def _fill(days: list[int], cap: int, months: list[int]) -> int:
    """Sum of days x month when ``days`` (divisible) fill ``months`` in order, ``cap`` each:
    the extreme of sum d_w t_w over unit moves with at most ``cap`` days a month."""
    left = sum(days)
    total = 0
    for month in months:
        if left <= 0:
            break
        take = min(cap, left)
        total += take * month
        left -= take
    return total


def _objective(built: ScheduleModel, inst: Migration, options: Options) -> None:
    """Discounted cost in pence (see the module docstring), and the redundant bounds.

    Rooms are exact (order encoding of their close/open month). A move's
    migration cost is discounted linearly, cost x (1 - m ln(1 + rate) / 12), a
    tie-breaker that prefers later moves only where nothing else is at stake.
    """
    m = built.model
    T = inst.T
    terms: list[cp_model.LinearExprT] = []
    close_bits: dict[str, list[cp_model.IntVar]] = {}
    for rid, c in built.close.items():
        lo = inst.closing[rid]
        bits = _order_encoded(built, c, lo, T, f"close[{rid}]")
        close_bits[rid] = bits
        step = inst.close_steps[rid]
        terms.append(sum(step[k] * bit for k, bit in zip(range(lo, T), bits, strict=True)))
    open_bits: dict[str, list[cp_model.IntVar]] = {}
    for rid, o in built.open_.items():
        bits = _order_encoded(built, o, 0, T - 1, f"open[{rid}]")
        open_bits[rid] = bits
        step = inst.open_steps[rid]
        terms.append(sum(step[k] * bit for k, bit in enumerate(bits)))
    for wid, tv in built.t.items():
        if inst.move_slope[wid]:
            terms.append(-inst.move_slope[wid] * tv)
    m.minimize(sum(terms))

    cap = inst.days_cap
    if options.energetic and cap > 0:
        # Rooms closed by month k were emptied in months 0..k-1.
        room_days = {
            rid: sum(inst.mover[w].days for w in inst.leaving.get(rid, [])) for rid in inst.closing
        }
        in_rooms = {w for rid in inst.closing for w in inst.leaving.get(rid, [])}
        for k in range(1, T):
            forced = sum(mv.days for mv in inst.movers if mv.id not in in_rooms and mv.hi <= k - 1)
            done = [
                (room_days[rid], close_bits[rid][k - inst.closing[rid]])
                for rid in inst.closing
                if room_days[rid] > 0 and inst.closing[rid] <= k
            ]
            if forced + sum(d for d, _ in done) <= cap * k:
                continue
            m.add(sum(d * (1 - bit) for d, bit in done) <= cap * k - forced)
    if options.weighted_months and cap > 0 and inst.movers:
        days = [mv.days for mv in inst.movers]
        if sum(days) > cap:
            weighted = sum(mv.days * built.t[mv.id] for mv in inst.movers)
            m.add(weighted <= _fill(days, cap, list(range(T - 1, -1, -1))))
            m.add(weighted >= _fill(days, cap, list(range(T))))

    # Time-indexed rows on order-encoded move months: exact, and strong for the LP.
    gt_bits: dict[str, list[cp_model.IntVar]] = {}

    def bit(wid: str, k: int) -> cp_model.IntVar:
        """The literal [t[wid] > k], for lo <= k < hi of its window."""
        mv = inst.mover[wid]
        if wid not in gt_bits:
            gt_bits[wid] = _order_encoded(built, built.t[wid], mv.lo, mv.hi, f"t[{wid}]")
        return gt_bits[wid][k - mv.lo]

    def gt(wid: str, k: int) -> cp_model.LinearExpr:
        """[t[wid] > k] as an expression (a constant outside its window)."""
        mv = inst.mover[wid]
        if k < mv.lo:
            return cp_model.LinearExpr.constant(1)
        if k >= mv.hi:
            return cp_model.LinearExpr.constant(0)
        return cp_model.LinearExpr.term(bit(wid, k), 1)

    def width(wid: str) -> int:
        mv = inst.mover[wid]
        return max(0, mv.hi - mv.lo)

    if options.time_indexed_capacity and inst.capacities:
        involved = {w for cp in inst.capacities for w in (*cp.leaving, *cp.entering)}
        if sum(width(w) for w in involved) <= options.time_indexed_capacity:
            for cp in inst.capacities:
                for k in range(T):
                    row = [d * gt(w, k) for w, d in cp.leaving.items()]
                    row += [d * (1 - gt(w, k)) for w, d in cp.entering.items()]
                    m.add(sum(row) <= max(cp.free, 0))
    if (
        options.time_indexed_days
        and cap > 0
        and sum(mv.days for mv in inst.movers) > cap
        and sum(width(mv.id) for mv in inst.movers) <= options.time_indexed_days
    ):
        for k in range(T):
            if sum(mv.days for mv in inst.movers if mv.lo <= k <= mv.hi) <= cap:
                continue
            row = [
                mv.days * (gt(mv.id, k - 1) - gt(mv.id, k))
                for mv in inst.movers
                if mv.lo <= k <= mv.hi and mv.days > 0
            ]
            m.add(sum(row) <= cap)

    # Month by month links between encoded move months and room months: the LP then sees
    # that a room is open in every month before its last move out, and a candidate in
    # every month from its first move in (t <= c - 1 and o <= t, disaggregated).
    if options.month_links:
        for wid in gt_bits:
            mv = inst.mover[wid]
            if mv.src in close_bits:
                lo = inst.closing[mv.src]
                for k in range(max(lo, mv.lo + 1), min(T, mv.hi + 1)):
                    m.add_implication(bit(wid, k - 1), close_bits[mv.src][k - lo])
            if mv.dst in open_bits:
                for k in range(mv.lo, min(T - 1, mv.hi)):
                    m.add_implication(open_bits[mv.dst][k], bit(wid, k))
        for rule in inst.orders:
            if rule.first in gt_bits and rule.second in gt_bits:
                a, b = inst.mover[rule.first], inst.mover[rule.second]
                for k in range(max(a.lo, b.lo), min(a.hi, b.hi)):
                    m.add_implication(bit(rule.first, k), bit(rule.second, k))


def _hint(built: ScheduleModel, greedy: GreedySchedule) -> int:
    """Hint every variable with the greedy schedule; returns how many were hinted."""
    values: dict[int, int] = {}
    for wid, var in built.t.items():
        values[var.index] = greedy.move_month[wid]
    for rid, var in built.close.items():
        values[var.index] = greedy.close_month[rid]
    for rid, var in built.open_.items():
        values[var.index] = greedy.open_month[rid]
    for var, lo, bits in built.encodings:
        value = values[var.index]
        for i, bit in enumerate(bits):
            values[bit.index] = int(value > lo + i)
    for var, leavers in built.lasts:
        values[var.index] = max(greedy.move_month[w] for w in leavers)
    proto = built.model.proto
    for i, var in enumerate(proto.variables):
        if i not in values and len(var.domain) == 2 and var.domain[0] == var.domain[1]:
            values[i] = int(var.domain[0])
    built.model.clear_hints()
    hint = proto.solution_hint
    for i in sorted(values):
        hint.vars.append(i)
        hint.values.append(values[i])
    return len(values)


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
    options: Options = Options(),
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

    greedy: GreedySchedule | None = None
    if method != "cp-sat":
        greedy = greedy_schedule(inst)
        result.greedy_wall_s = greedy.wall_s
        result.stats["greedy_variant"] = greedy.variant
        if greedy.complete:
            result.greedy_cost = greedy.cost
        else:
            result.stats["greedy_problem"] = greedy.problem
    if method == "greedy":
        if greedy is not None and greedy.complete:
            _take_greedy(result, greedy, None)
        elif greedy is not None:
            result.explanation = [f"the greedy scheduler found no schedule: {greedy.problem}"]
        result.wall_s = time.monotonic() - start
        return result

    built = _build(inst, explain=False, options=options)
    proto = built.model.proto
    result.stats["variables"] = len(proto.variables)
    result.stats["constraints"] = len(proto.constraints)
    reference: float | None = None
    if greedy is not None and greedy.complete:
        result.stats["hinted"] = _hint(built, greedy)
        reference = greedy.cost
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    left = max(0.5, time_limit_s - (time.monotonic() - start))
    if workers <= 1:
        params.max_deterministic_time = time_limit_s
    else:
        params.max_time_in_seconds = left
    t_cp = time.monotonic()
    if patience_s is not None and workers > 1:
        stopper = _StallStop(patience_s, reference)
        solver.best_bound_callback = stopper.on_bound
        watcher = threading.Thread(target=stopper.watch, daemon=True)
        watcher.start()
        try:
            code = sat.run(solver, built.model, stopper)
        finally:
            stopper.done.set()
            watcher.join()
    else:
        code = sat.run(solver, built.model)
    result.cp_wall_s = time.monotonic() - t_cp
    result.stats["cp_status"] = solver.status_name(code)
    bound = solver.best_objective_bound if code != cp_model.INFEASIBLE else None
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    optimal = code == cp_model.OPTIMAL
    reference_cost = greedy.cost if greedy is not None and greedy.complete else None
    if found and (reference_cost is None or solver.objective_value < reference_cost):
        result.status = "optimal" if optimal else "feasible"
        result.method = "cp-sat"
        result.move_month = {w: int(solver.value(v)) for w, v in built.t.items()}
        value = solver.objective_value
        result.cost = round(value)
        result.bound = bound
        result.gap = _gap(value, bound, optimal)
        result.close_month = {r: int(solver.value(v)) for r, v in built.close.items()}
        result.open_month = {
            r: min(result.move_month[w] for w in inst.entering[r]) for r in built.open_
        }
    elif greedy is not None and greedy.complete:
        # CP-SAT found nothing better in time (its first solution is the hint itself), or
        # proved the greedy schedule optimal; never expected: it proved the legal greedy
        # schedule infeasible. The greedy schedule stands.
        _take_greedy(result, greedy, bound, optimal=optimal)
    elif code == cp_model.INFEASIBLE:
        result.status = "infeasible"
        explained = _build(inst, explain=True)
        core = minimal_core(explained.model, explained.guards, time_limit_s=explain_time_s)
        result.core = core
        result.explanation = describe_core(inv, cal, orders, core)
    elif greedy is not None:
        result.explanation = [f"the greedy scheduler found no schedule: {greedy.problem}"]
    result.wall_s = time.monotonic() - start
    return result


def _gap(value: float, bound: float | None, optimal: bool) -> float | None:
    if optimal:
        return 0.0
    if bound is None or not abs(bound) < 1e300 or bound > value + 1:
        return None
    if abs(value - bound) < 1:
        return 0.0
    return round((value - bound) / max(abs(value), 1.0), 6)


def _take_greedy(
    result: Schedule, greedy: GreedySchedule, bound: float | None, *, optimal: bool = False
) -> None:
    result.status = "optimal" if optimal else "feasible"
    result.method = "greedy"
    result.move_month = dict(greedy.move_month)
    result.close_month = dict(greedy.close_month)
    result.open_month = dict(greedy.open_month)
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


def describe_core(
    inv: Inventory, cal: Calendar, orders: list[Order], core: Core | None
) -> list[str]:
    """Sentences for the rules that make the schedule impossible."""
    if core is None:
        return [
            "no schedule was found in the time allowed, and no conflicting set of rules "
            "could be proved; try a longer --time-limit"
        ]
    lines = []
    est = inv.estate
    for key in core.keys:
        kind = key[0]
        arg = key[1] if len(key) > 1 else None
        if kind == "horizon":
            lines.append(
                f"every move and closure must happen within the {est.horizon_years}-year "
                f"horizon ({cal.label(0)} to {cal.label(cal.months - 1)})"
            )
        elif kind == "window":
            w = inv.workload[str(arg)]
            lines.append(
                f"{w.id} may move only between {w.not_before or 'the start'} and "
                f"{w.not_after or 'the end of the horizon'} (not_before/not_after)"
            )
        elif kind == "days-per-month":
            lines.append(
                f"the migration team has {est.migration_days_per_month:g} person-days "
                f"a month (migration_days_per_month)"
            )
        elif kind == "capacity-during":
            room = inv.room[str(arg)]
            lines.append(
                f"room {room.id} holds {room.racks:g} racks and {room.power_kw:g} kW "
                f"in every month of the migration, not only at the end"
            )
        elif kind == "separation-during":
            lines.append(
                f"room {arg} may not host conflicting zones in any month, so newcomers "
                f"must wait until the conflicting workloads have left"
            )
        elif kind == "order":
            assert isinstance(arg, int)
            rule = orders[arg]
            lines.append(f"{rule.first} may not move after {rule.second}: {rule.label}")
        elif kind == "earliest-close":
            room = inv.room[str(arg)]
            lines.append(
                f"room {room.id} may not close before {room.earliest_close} (earliest_close)"
            )
        else:
            lines.append(":".join(map(str, key)))
    if not core.minimal:
        lines.append("(time ran out before every rule was tried: the set may not be minimal)")
    return lines
