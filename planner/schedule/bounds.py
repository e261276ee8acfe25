"""Redundant rows for the LP relaxation, one function each (normal model only).

CP-SAT's cumulatives (rules ``capacity-during`` and ``days-per-month``) say
nothing to the LP, whose bound was therefore weak. Each part below states
something every legal schedule already satisfies, on the order-encoding bits
of the objective (b[r, k] = [close[r] > k], o[r, k] = [open[r] > k]) and, where
they stay small (:class:`~planner.schedule.variables.Options` budgets), on
order-encoded move months g[w, k] = [t[w] > k] (created on first use by
:meth:`~planner.schedule.variables.ScheduleModel.move_bit`). Together the
time-indexed rows are the time-indexed formulation, whose LP is close to the
integer optimum on the bundled estates.

Notation as in :mod:`planner.schedule.rules`; D is the person-days of a month,
d[w] those of move w.
"""

from __future__ import annotations

from planner.schedule.variables import ScheduleModel


def energetic(b: ScheduleModel) -> None:
    """Part ``energetic``: rooms closed by month k were emptied in months 0..k-1, so for
    every k = 1..T-1

        sum_{r closing, e[r] <= k} P[r] (1 - b[r, k]) <= k D - F[k]

    where P[r] is the person-days of all the moves out of r, and F[k] those of the moves
    out of no closing room whose window ends by month k - 1 (they are done by then
    too). Rows that cannot bind (F[k] + sum P[r] <= k D) are left out.
    """
    inst, opts = b.inst, b.options
    cap = inst.days_cap
    if b.explain or not opts.energetic or cap <= 0:
        return
    room_days = {
        rid: sum(inst.mover[w].days for w in inst.leaving.get(rid, [])) for rid in inst.closing
    }
    in_rooms = {w for rid in inst.closing for w in inst.leaving.get(rid, [])}
    for k in range(1, inst.T):
        forced = sum(mv.days for mv in inst.movers if mv.id not in in_rooms and mv.hi <= k - 1)
        done = [
            (room_days[rid], b.close_bits[rid][k - inst.closing[rid]])
            for rid in inst.closing
            if room_days[rid] > 0 and inst.closing[rid] <= k
        ]
        if forced + sum(d for d, _ in done) <= cap * k:
            continue
        b.model.add(sum(d * (1 - bit) for d, bit in done) <= cap * k - forced)


def weighted_months(b: ScheduleModel) -> None:
    """Part ``weighted-months``: the person-day-weighted sum of move months lies between
    what filling the first months and filling the last months would give:

        fill(0, 1, ..., T-1) <= sum_w d[w] t[w] <= fill(T-1, T-2, ..., 0)

    where fill(months) pours all the person-days, D a month, into the months in that
    order (:func:`_fill`). Stated only when all moves together exceed D.
    """
    inst = b.inst
    cap = inst.days_cap
    if b.explain or not b.options.weighted_months or cap <= 0 or not inst.movers:
        return
    days = [mv.days for mv in inst.movers]
    if sum(days) <= cap:
        return
    T = inst.T
    weighted = sum(mv.days * b.t[mv.id] for mv in inst.movers)
    b.model.add(weighted <= _fill(days, cap, list(range(T - 1, -1, -1))))
    b.model.add(weighted >= _fill(days, cap, list(range(T))))


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


def time_indexed_capacity(b: ScheduleModel) -> None:
    """Part ``time-indexed-capacity``: rule ``capacity-during`` stated month by month on the
    move bits, for every binding room resource (r, k) and month m = 0..T-1:

        sum_{w leaving r} a[w, k] g[w, m] + sum_{w entering r} a[w, k] (1 - g[w, m])
            <= max(F[r, k], 0)

    Only when the movers involved take at most ``Options.time_indexed_capacity`` bits.
    """
    inst, budget = b.inst, b.options.time_indexed_capacity
    if b.explain or not budget or not inst.capacities:
        return
    involved = {w for cp in inst.capacities for w in (*cp.leaving, *cp.entering)}
    if sum(b.window_width(w) for w in involved) > budget:
        return
    gt = b.moved_after
    for cp in inst.capacities:
        for k in range(inst.T):
            row = [d * gt(w, k) for w, d in cp.leaving.items()]
            row += [d * (1 - gt(w, k)) for w, d in cp.entering.items()]
            b.model.add(sum(row) <= max(cp.free, 0))


def time_indexed_days(b: ScheduleModel) -> None:
    """Part ``time-indexed-days``: rule ``days-per-month`` stated month by month on the move
    bits ([t[w] = m] = g[w, m-1] - g[w, m]), for every month m whose possible moves
    exceed D:

        sum_{w: lo[w] <= m <= hi[w]} d[w] (g[w, m-1] - g[w, m]) <= D

    Only when all moves together exceed D and the move months take at most
    ``Options.time_indexed_days`` bits.
    """
    inst, budget = b.inst, b.options.time_indexed_days
    cap = inst.days_cap
    if (
        b.explain
        or not budget
        or cap <= 0
        or sum(mv.days for mv in inst.movers) <= cap
        or sum(b.window_width(mv.id) for mv in inst.movers) > budget
    ):
        return
    gt = b.moved_after
    for k in range(inst.T):
        if sum(mv.days for mv in inst.movers if mv.lo <= k <= mv.hi) <= cap:
            continue
        row = [
            mv.days * (gt(mv.id, k - 1) - gt(mv.id, k))
            for mv in inst.movers
            if mv.lo <= k <= mv.hi and mv.days > 0
        ]
        b.model.add(sum(row) <= cap)


def month_links(b: ScheduleModel) -> None:
    """Part ``month-links``: the encoded move months linked month by month to the rooms'
    bits and to each other, so that the LP sees a room open in every month before its
    last move out, and a candidate in every month from its first move in (close[r] >=
    t[w] + 1 and open[r] <= t[w], disaggregated), and the orders month by month:

        g[w, m-1] => b[r, m]     for w leaving closing room r
        o[r, m]   => g[w, m]     for w entering opened candidate r
        g[first, m] => g[second, m]   for each order rule

    for the months where both bits exist, and only for movers whose month the
    time-indexed rows have encoded.
    """
    if b.explain or not b.options.month_links:
        return
    inst, m = b.inst, b.model
    T, bit = inst.T, b.move_bit
    for wid in b.move_bits:
        mv = inst.mover[wid]
        if mv.src in b.close_bits:
            lo = inst.closing[mv.src]
            for k in range(max(lo, mv.lo + 1), min(T, mv.hi + 1)):
                m.add_implication(bit(wid, k - 1), b.close_bits[mv.src][k - lo])
        if mv.dst in b.open_bits:
            for k in range(mv.lo, min(T - 1, mv.hi)):
                m.add_implication(b.open_bits[mv.dst][k], bit(wid, k))
    for rule in inst.orders:
        if rule.first in b.move_bits and rule.second in b.move_bits:
            first, second = inst.mover[rule.first], inst.mover[rule.second]
            for k in range(max(first.lo, second.lo), min(first.hi, second.hi)):
                m.add_implication(bit(rule.first, k), bit(rule.second, k))
