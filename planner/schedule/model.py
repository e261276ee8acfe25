"""Date every move so that every month's estate is legal (rule 10), closing rooms early.

Given the target estate (where each workload ends up, which rooms stay), with
T months in the horizon, movers M (workloads whose room changes) and their
move months t[w]:

* ``window``: month(not_before) <= t[w] <= month(not_after), 0 <= t[w] <= T-1.
* ``capacity-during`` (rules 2 and 1 month by month), for each room r and
  resource k, as a cumulative over months: a workload staying in r uses it in
  every month; one leaving r uses it in [0, t[w]); one entering r uses it in
  [t[w], T); their demand summed over each month <= C[r, k].
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
not delay a closure.

When no schedule exists, the same model with every rule guarded by an
assumption literal yields the conflicting rules (:mod:`planner.solver.core`).
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.calendar import Calendar
from planner.graph import EstateGraph
from planner.inventory.model import Inventory
from planner.schedule.pairs import Order, move_groups, order_rules
from planner.solver.core import Core, minimal_core
from planner.solver.vars import GuardKey

DAYS_SCALE = 100


@dataclass(frozen=True)
class Target:
    """The target estate the schedule moves to."""

    room_of: dict[str, str]
    """Workload -> room in the plan."""
    open_rooms: frozenset[str]
    desk_of: dict[str, str]
    """Organisation -> desk in the plan."""
    open_desks: frozenset[str] = frozenset()
    """Desks open in the plan: those serving someone, and any the solver keeps open
    because closing it costs more than running it (default: the desks serving someone)."""

    def __post_init__(self) -> None:
        if not self.open_desks:
            object.__setattr__(self, "open_desks", frozenset(self.desk_of.values()))


@dataclass
class Schedule:
    """Months (indices) of the migration."""

    status: str
    """optimal | feasible | infeasible | unknown."""
    move_month: dict[str, int] = field(default_factory=dict)
    close_month: dict[str, int] = field(default_factory=dict)
    """Room -> first month it no longer costs (closing rooms)."""
    open_month: dict[str, int] = field(default_factory=dict)
    """Candidate room -> month of its first move in."""
    desk_switch_month: dict[str, int] = field(default_factory=dict)
    """Organisation -> month it changes desk (only those that change)."""
    desk_close_month: dict[str, int] = field(default_factory=dict)
    move_groups: list[list[str]] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    wall_s: float = 0.0
    gap: float | None = None
    """(cost - bound) / cost of the months-dependent part of the discounted cost."""
    explanation: list[str] = field(default_factory=list)
    core: Core | None = None


def _pv_table(cal: Calendar, rate: float, monthly_pence: int) -> list[int]:
    """table[c] = present value (pence) of paying ``monthly_pence`` in months 0..c-1."""
    out = [0]
    for m in range(cal.months):
        out.append(out[-1] + round(monthly_pence * (1 + rate) ** (-m / 12)))
    return out


def _df(rate: float, m: int) -> float:
    return float((1 + rate) ** (-m / 12))


@dataclass
class _Built:
    model: cp_model.CpModel
    earliest: dict[str, int]
    t: dict[str, cp_model.IntVar]
    close: dict[str, cp_model.IntVar]
    open_: dict[str, cp_model.IntVar]
    guards: dict[GuardKey, cp_model.IntVar]


def _build(
    inv: Inventory, cal: Calendar, target: Target, orders: list[Order], explain: bool
) -> _Built:
    m = cp_model.CpModel()
    est = inv.estate
    T = cal.months
    guards: dict[GuardKey, cp_model.IntVar] = {}

    def guard(*key: object) -> list[cp_model.IntVar]:
        if not explain:
            return []
        lit = guards.get(key)
        if lit is None:
            lit = m.new_bool_var("guard:" + ":".join(map(str, key)))
            guards[key] = lit
        return [lit]

    def presence(*key: object) -> cp_model.IntVar | bool:
        lits = guard(*key)
        return lits[0] if lits else True

    movers = [w for w in inv.workloads if target.room_of[w.id] != w.room]
    upper = 4 * T if explain else T - 1
    t: dict[str, cp_model.IntVar] = {}
    earliest: dict[str, int] = {}
    for w in movers:
        lo = max(0, cal.month_of(w.not_before)) if w.not_before else 0
        earliest[w.id] = lo
        hi = cal.month_of(w.not_after) if w.not_after else upper
        if explain:
            t[w.id] = m.new_int_var(0, upper, f"t[{w.id}]")
            if lo > 0:
                m.add(t[w.id] >= lo).only_enforce_if(guard("window", w.id))
            if hi < upper:
                m.add(t[w.id] <= hi).only_enforce_if(guard("window", w.id))
            m.add(t[w.id] <= T - 1).only_enforce_if(guard("horizon"))
        else:
            t[w.id] = m.new_int_var(lo, min(hi, T - 1), f"t[{w.id}]")

    # capacity-during: one cumulative per room and resource
    stay_ids: dict[str, list[str]] = defaultdict(list)
    leaving: dict[str, list[str]] = defaultdict(list)
    entering: dict[str, list[str]] = defaultdict(list)
    for w in inv.workloads:
        to = target.room_of[w.id]
        if to == w.room:
            stay_ids[w.room].append(w.id)
        else:
            leaving[w.room].append(w.id)
            entering[to].append(w.id)
    horizon_end = upper + 1
    for room in inv.rooms:
        if not leaving[room.id] and not entering[room.id]:
            continue
        for attr, cap in (("racks", room.racks), ("power_kw", room.power_kw)):
            scale = 1000
            free = math.floor(
                (cap - sum(getattr(inv.workload[w], attr) for w in stay_ids[room.id])) * scale
                + 1e-6
            )
            demand = {
                wid: math.ceil(getattr(inv.workload[wid], attr) * scale - 1e-6)
                for wid in leaving[room.id] + entering[room.id]
            }
            if sum(demand.values()) <= max(free, 0):
                continue  # everything fits at once: the rule cannot bind in any month
            intervals, demands = [], []
            for wid in leaving[room.id]:
                intervals.append(
                    m.new_optional_interval_var(
                        0, t[wid], t[wid], presence("capacity-during", room.id), f"out[{wid}]"
                    )
                )
                demands.append(demand[wid])
            for wid in entering[room.id]:
                size = m.new_int_var(0, horizon_end, f"stay[{wid},{room.id}]")
                m.add(size == horizon_end - t[wid])
                intervals.append(
                    m.new_optional_interval_var(
                        t[wid],
                        size,
                        horizon_end,
                        presence("capacity-during", room.id),
                        f"in[{wid}]",
                    )
                )
                demands.append(demand[wid])
            m.add_cumulative(intervals, demands, max(free, 0))

    # separation-during
    conflicts = set(inv.separated_pairs)
    for z in inv.zones:
        if z.isolation == "room":
            conflicts |= {frozenset((z.id, other.id)) for other in inv.zones if other.id != z.id}
    for room in inv.rooms:
        out_by_zone: dict[str, list[str]] = defaultdict(list)
        for wid in leaving[room.id]:
            out_by_zone[inv.workload[wid].zone].append(wid)
        for wid in entering[room.id]:
            zin = inv.workload[wid].zone
            for zout, wids in out_by_zone.items():
                if frozenset((zin, zout)) in conflicts:
                    for wout in wids:
                        m.add(t[wid] >= t[wout]).only_enforce_if(
                            guard("separation-during", room.id)
                        )

    # order rules (dependencies, DR pairs)
    for i, rule in enumerate(orders):
        m.add(t[rule.first] <= t[rule.second]).only_enforce_if(guard("order", i))

    # days per month
    if movers:
        cap_days = round(est.migration_days_per_month * DAYS_SCALE)
        days = [round(w.migration_days * DAYS_SCALE) for w in movers]
        if sum(days) > cap_days:
            ivs = [
                m.new_optional_interval_var(
                    t[w.id], 1, t[w.id] + 1, presence("days-per-month"), f"move[{w.id}]"
                )
                for w in movers
            ]
            m.add_cumulative(ivs, days, cap_days)

    # room closing and opening months
    close: dict[str, cp_model.IntVar] = {}
    close_lo: dict[str, int] = {}
    open_: dict[str, cp_model.IntVar] = {}
    for room in inv.rooms:
        if room.status == "existing" and room.id not in target.open_rooms:
            lo = 1
            if room.earliest_close is not None:
                lo = max(lo, cal.first_month_after(room.earliest_close))
            c = m.new_int_var(lo if not explain else 1, max(horizon_end, lo), f"close[{room.id}]")
            if explain:
                if lo > 1:
                    m.add(c >= lo).only_enforce_if(guard("earliest-close", room.id))
                m.add(c <= T).only_enforce_if(guard("horizon"))
            else:
                m.add(c >= lo)
                m.add(c <= T)
            for wid in leaving[room.id]:
                m.add(c >= t[wid] + 1)
            close[room.id] = c
            close_lo[room.id] = lo
        elif room.status == "candidate" and room.id in target.open_rooms and entering[room.id]:
            o = m.new_int_var(0, T - 1 if not explain else upper, f"open[{room.id}]")
            for wid in entering[room.id]:
                m.add(o <= t[wid])
            open_[room.id] = o

    if not explain:
        _objective(m, inv, cal, t, close, open_, close_lo)
    return _Built(m, earliest, t, close, open_, guards)


def _order_encoded(
    m: cp_model.CpModel, var: cp_model.IntVar, lo: int, hi: int, step: list[int], name: str
) -> cp_model.LinearExprT:
    """cost(var) - cost(lo) as a linear expression, for var in [lo, hi].

    With b[k] = [var > k] for k = lo..hi-1 (so var = lo + sum_k b[k] and
    b[k] >= b[k+1]), any cost with increments step[k] = cost(k+1) - cost(k)
    is sum_k step[k] b[k]: exact, and linear for the LP relaxation.
    """
    bits = [m.new_bool_var(f"{name}>{k}") for k in range(lo, hi)]
    m.add(var == lo + sum(bits))
    for a, b in itertools.pairwise(bits):
        m.add_implication(b, a)
    return sum(step[k] * bit for k, bit in zip(range(lo, hi), bits, strict=True))


def _objective(
    m: cp_model.CpModel,
    inv: Inventory,
    cal: Calendar,
    t: dict[str, cp_model.IntVar],
    close: dict[str, cp_model.IntVar],
    open_: dict[str, cp_model.IntVar],
    close_lo: dict[str, int],
) -> None:
    """Discounted cost in pence (see the module docstring).

    Rooms are exact (order encoding of their close/open month). A move's
    migration cost is discounted linearly, cost x (1 - m ln(1 + rate) / 12), a
    tie-breaker that prefers later moves only where nothing else is at stake.
    """
    rate = inv.estate.discount_rate
    T = cal.months
    terms: list[cp_model.LinearExprT] = []
    for rid, c in close.items():
        room = inv.room[rid]
        monthly = room.annual_cost * 100 / 12
        # cost(c) = sum_{k<c} monthly df(k) + closure df(c - 1)
        step = [
            round(
                monthly * _df(rate, k) + room.closure_cost * 100 * (_df(rate, k) - _df(rate, k - 1))
            )
            for k in range(T)
        ]
        terms.append(_order_encoded(m, c, close_lo[rid], T, step, f"close[{rid}]"))
    for rid, o in open_.items():
        room = inv.room[rid]
        monthly = room.annual_cost * 100 / 12
        # cost(o) = sum_{k>=o} monthly df(k) + open_cost df(o): each later month saves
        step = [
            round(
                -monthly * _df(rate, k) + room.open_cost * 100 * (_df(rate, k + 1) - _df(rate, k))
            )
            for k in range(T)
        ]
        terms.append(_order_encoded(m, o, 0, T - 1, step, f"open[{rid}]"))
    slope = math.log(1 + rate) / 12
    for wid, tv in t.items():
        w = inv.workload[wid]
        if w.migration_cost > 0:
            terms.append(-round(w.migration_cost * 100 * slope) * tv)
    m.minimize(sum(terms))


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


class _StallStop(cp_model.CpSolverSolutionCallback):
    """Stops the search once ``patience`` seconds pass without a significant improvement
    (more than GBP 1,000 or 0.1% of the schedule's discounted cost)."""

    def __init__(self, patience: float) -> None:
        super().__init__()
        self.patience = patience
        self.last: float | None = None
        self.best: float | None = None
        self.done = threading.Event()

    def on_solution_callback(self) -> None:
        value = self.objective_value
        if self.best is None or self.best - value > max(100_000, 1e-3 * abs(self.best)):
            self.best = value
            self.last = time.monotonic()

    def watch(self) -> None:
        while not self.done.wait(0.2):
            if self.last is not None and time.monotonic() - self.last > self.patience:
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
) -> Schedule:
    """Date every move of the target estate month by month (see the module docstring)."""
    start = time.monotonic()
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    orders = order_rules(inv, graph, target.room_of)
    built = _build(inv, cal, target, orders, explain=False)
    # A hint: everything as early as the windows allow.
    for wid, tv in built.t.items():
        built.model.add_hint(tv, built.earliest[wid])
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    if workers <= 1:
        params.max_deterministic_time = time_limit_s
    else:
        params.max_time_in_seconds = time_limit_s
    if patience_s is not None and workers > 1:
        stopper = _StallStop(patience_s)
        watcher = threading.Thread(target=stopper.watch, daemon=True)
        watcher.start()
        try:
            code = solver.solve(built.model, stopper)
        finally:
            stopper.done.set()
            watcher.join()
    else:
        code = solver.solve(built.model)
    result = Schedule(status="unknown", orders=orders, move_groups=move_groups(orders))
    result.desk_switch_month, result.desk_close_month = desk_months(inv, cal, target)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        result.move_month = {w: int(solver.value(v)) for w, v in built.t.items()}
        value, bound = solver.objective_value, solver.best_objective_bound
        result.gap = (
            0.0
            if code == cp_model.OPTIMAL or abs(value - bound) < 1
            else (round((value - bound) / max(abs(value), 1.0), 6))
        )
        result.close_month = {r: int(solver.value(v)) for r, v in built.close.items()}
        result.open_month = {
            r: min(
                result.move_month[w.id]
                for w in inv.workloads
                if target.room_of[w.id] == r and w.room != r
            )
            for r in built.open_
        }
    elif code == cp_model.INFEASIBLE:
        result.status = "infeasible"
        explained = _build(inv, cal, target, orders, explain=True)
        core = minimal_core(explained.model, explained.guards, time_limit_s=explain_time_s)
        result.core = core
        result.explanation = describe_core(inv, cal, orders, core)
    result.wall_s = time.monotonic() - start
    return result


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
