"""The rules of the schedule model (rule 10: every month's estate is legal), one function each.

Each ``rule(b)`` states its rule on the :class:`~planner.schedule.variables.ScheduleModel`
``b`` (the math is in its docstring), creating the variables it is the first to
need; :data:`planner.schedule.build.PARTS` calls them in order. Notation: T months
in the horizon, movers M (workloads whose room changes, with windows lo[w]..hi[w]
and person-days d[w]), move months t[w]; the data is the whole-number
:class:`~planner.schedule.migration.Migration`. In an explanation model each rule
holds only while its guard (:class:`~planner.schedule.guards.ScheduleGuard`) does.

Rules 3 and 5 need nothing: a workload is only ever in its old room or its new
one, both of which its users reach and whose accreditations cover its zone.
"""

from __future__ import annotations

from planner.schedule.guards import ScheduleGuard
from planner.schedule.variables import ScheduleModel


def window(b: ScheduleModel) -> None:
    """Rule ``window`` (and ``horizon``): each move falls in its window and the horizon.

        lo[w] = month(not_before) <= t[w] <= month(not_after) = hi[w]
        0 <= t[w] <= T - 1

    Creates t[w]. In a normal model both are t[w]'s domain (a window that misses the
    horizon, hi[w] < lo[w], is stated as t[w] <= hi[w] and is infeasible). In an
    explanation model t[w] runs from 0 to 4T; its window is guarded by (window, w)
    (with its not_after as given, even after the horizon) and the horizon by (horizon).
    """
    m, inst = b.model, b.inst
    T, upper = inst.T, b.upper
    for mv in inst.movers:
        if b.explain:
            hi = mv.due if mv.due is not None else upper
            t = b.t[mv.id] = m.new_int_var(0, upper, f"t[{mv.id}]")
            if mv.lo > 0:
                m.add(t >= mv.lo).only_enforce_if(b.guard(ScheduleGuard.WINDOW, mv.id))
            if hi < upper:
                m.add(t <= hi).only_enforce_if(b.guard(ScheduleGuard.WINDOW, mv.id))
            m.add(t <= T - 1).only_enforce_if(b.guard(ScheduleGuard.HORIZON))
        else:
            t = b.t[mv.id] = m.new_int_var(mv.lo, max(mv.lo, mv.hi), f"t[{mv.id}]")
            if mv.hi < mv.lo:
                m.add(t <= mv.hi)  # no month: infeasible, as stated


def capacity_during(b: ScheduleModel) -> None:
    """Rule ``capacity-during`` (rules 2 and 1 month by month): a room's racks and kW hold
    while its workloads come and go.

    For each room r and resource k that can bind (leavers and entrants together exceed
    what the stayers leave free, F[r, k] = C[r, k] minus the stayers' demand), one
    cumulative over months with demands a[w, k]: a leaver of r occupies [0, t[w]), an
    entrant [t[w], T), and in every month m

        sum_{w leaving r, m < t[w]} a[w, k] + sum_{w entering r, t[w] <= m} a[w, k]
            <= max(F[r, k], 0)

    Guard: (capacity-during, r), on the intervals.
    """
    t, end = b.t, b.horizon_end
    for cp in b.inst.capacities:
        key = (ScheduleGuard.CAPACITY_DURING, cp.room)
        intervals, demands = [], []
        for wid, d in cp.leaving.items():
            intervals.append(b.interval(0, t[wid], t[wid], key, f"out[{wid},{cp.resource}]"))
            demands.append(d)
        for wid, d in cp.entering.items():
            intervals.append(b.interval(t[wid], end - t[wid], end, key, f"in[{wid},{cp.resource}]"))
            demands.append(d)
        b.model.add_cumulative(intervals, demands, max(cp.free, 0))


def separation_during(b: ScheduleModel) -> None:
    """Rule ``separation-during`` (rule 4 month by month): if zone k1 leaves room r and a
    conflicting zone k2 enters it, the newcomer arrives in or after the month the last
    workload of k1 left:

        t[enter] >= last[r, k1] >= t[leave]     for every leaver of k1 and entrant of k2

    With ``Options.separation_var`` and more pairs than leavers plus entrants, last[r, k1]
    is a variable (created here); otherwise t[enter] >= t[leave] for every pair.
    Guard: (separation-during, r).
    """
    m, t = b.model, b.t
    for sep in b.inst.separations:
        g = b.guard(ScheduleGuard.SEPARATION_DURING, sep.room)
        pairs = len(sep.leaving) * len(sep.entering)
        if b.options.separation_var and pairs > len(sep.leaving) + len(sep.entering):
            last = m.new_int_var(0, b.upper, f"last[{sep.room},{sep.zone}]")
            for wout in sep.leaving:
                m.add(last >= t[wout]).only_enforce_if(g)
            for wid in sep.entering:
                m.add(t[wid] >= last).only_enforce_if(g)
            b.lasts.append((last, sep.leaving))
        else:
            for wid in sep.entering:
                for wout in sep.leaving:
                    m.add(t[wid] >= t[wout]).only_enforce_if(g)


def order(b: ScheduleModel) -> None:
    """Rule ``order`` (rules 6 and 7 month by month): the i-th pair rule of
    :mod:`planner.schedule.pairs` (a dependency or DR pair whose mixed state is illegal)

        t[first_i] <= t[second_i]

    Guard: (order, i).
    """
    m, t = b.model, b.t
    for i, rule in enumerate(b.inst.orders):
        m.add(t[rule.first] <= t[rule.second]).only_enforce_if(b.guard(ScheduleGuard.ORDER, i))


def days_per_month(b: ScheduleModel) -> None:
    """Rule ``days-per-month`` (rule 10): the moves of one month fit the migration team,
    as a cumulative of unit-length moves [t[w], t[w] + 1) with demands d[w]:

        sum_{w: t[w] = m} d[w] <= D     for every month m (D: migration_days_per_month)

    Stated only when all moves together exceed D. Guard: (days-per-month), on the
    intervals.
    """
    inst, t = b.inst, b.t
    if not inst.movers or sum(mv.days for mv in inst.movers) <= inst.days_cap:
        return
    key = (ScheduleGuard.DAYS_PER_MONTH,)
    ivs = [b.interval(t[mv.id], 1, t[mv.id] + 1, key, f"move[{mv.id}]") for mv in inst.movers]
    b.model.add_cumulative(ivs, [mv.days for mv in inst.movers], inst.days_cap)


def close_months(b: ScheduleModel) -> None:
    """Rule ``close-months``: a closing room r closes (close[r], the first month it no
    longer costs) after its last leaver has gone, after its ``earliest_close`` (e[r], the
    first month after it; 1 at least), and within the horizon:

        close[r] >= t[w] + 1    for every w leaving r
        e[r] <= close[r] <= T
        close[s] <= close[p]    for a suite s closing with its parent p

    Creates close[r]. In a normal model close[r] >= e[r] is its domain; in an explanation
    model close[r] >= e[r] is guarded by (earliest-close, r) and close[r] <= T by
    (horizon).
    """
    m, inst = b.model, b.inst
    T = inst.T
    for rid, lo in inst.closing.items():
        c = m.new_int_var(lo if not b.explain else 1, max(b.horizon_end, lo), f"close[{rid}]")
        if b.explain:
            if lo > 1:
                m.add(c >= lo).only_enforce_if(b.guard(ScheduleGuard.EARLIEST_CLOSE, rid))
            m.add(c <= T).only_enforce_if(b.guard(ScheduleGuard.HORIZON))
        else:
            m.add(c <= T)
        for wid in inst.leaving.get(rid, []):
            m.add(c >= b.t[wid] + 1)
        b.close[rid] = c
    for suite, parent in inst.suites.items():
        if suite in b.close and parent in b.close:
            m.add(b.close[suite] <= b.close[parent])


def open_months(b: ScheduleModel) -> None:
    """Rule ``open-months``: an opened candidate r opens (open[r]) no later than its first
    move in:

        open[r] <= t[w]     for every w entering r,   0 <= open[r] <= T - 1
        open[p] <= open[s]  for a suite s opening with its parent p (a parent opened
                            only for its suites has no moves in)

    Creates open[r] (up to 4T in an explanation model). Minimising its cost makes open[r]
    the month of the first move in.
    """
    m, inst = b.model, b.inst
    for rid in inst.opening:
        o = m.new_int_var(0, b.upper, f"open[{rid}]")
        for wid in inst.entering.get(rid, []):
            m.add(o <= b.t[wid])
        b.open_[rid] = o
    for suite, parent in inst.suites.items():
        if suite in b.open_ and parent in b.open_:
            m.add(b.open_[parent] <= b.open_[suite])


def upgrade_months(b: ScheduleModel) -> None:
    """Rule ``upgrade-months`` (rule 3 month by month with upgrades, spec/decisions.md):
    a room holds an upgrade u from month g[u], no earlier than its lead time and no later
    than the first move in that needs it:

        lo[u] <= g[u] <= t[w]     for every w entering the room whose zone needs u

    (lo[u] is also in those movers' windows). Creates g[u]. Minimising its cost (its
    running cost from g[u] on, part ``objective``) makes g[u] the first such move.
    """
    m, inst = b.model, b.inst
    for buy in inst.buys:
        key = (buy.room, buy.accreditation)
        g = m.new_int_var(buy.lo, max(b.upper, buy.lo), f"g[{buy.room},{buy.accreditation}]")
        for wid in buy.entering:
            m.add(g <= b.t[wid])
        b.bought_at[key] = g
