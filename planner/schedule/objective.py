"""Part ``objective``: the discounted cost of the schedule, in pence.

Money is discounted monthly, df(m) = (1 + rate)^-(m/12). The cost is

* for each closing room r, its running cost until it closes plus its closure
  cost, cost_r(c) = sum_{k < c} monthly[r] df(k) + closure[r] df(c - 1);
* for each opened candidate r, its running cost from its opening plus its
  opening cost, cost_r(o) = sum_{k >= o} monthly[r] df(k) + open_cost[r] df(o);
* for each move, its migration cost in its month, discounted linearly:
  cost[w] (1 - t[w] ln(1 + rate) / 12), a tie-breaker that prefers later moves
  only where nothing else is at stake;
* for each bought upgrade u, its running cost from its month g[u] plus its one-off
  cost, cost_u(g) = sum_{k >= g} monthly[u] df(k) + cost[u] df(g), counted like an
  opening relative to its lead month lo[u] on the bits q[u, k] = [g[u] > k];
* for a move whose price changes at its hardware refresh (spec/decisions.md) in
  month r[w] of its window, refresh_step[w] = (refresh_move_cost - migration_cost)
  df(r[w]) when it moves in month r[w] or later: z[w] = [t[w] >= r[w]],
  t[w] >= r[w] if z[w], t[w] <= r[w] - 1 if not z[w].

Each room's cost is counted relative to its earliest month and exactly, on the
order encoding of its month (b[r, k] = [close[r] > k], o[r, k] = [open[r] > k],
created here) with the increments step[r, k] = cost_r(k + 1) - cost_r(k) of
:class:`~planner.schedule.migration.Migration`:

    min  sum_{r closing} sum_{k = e[r]}^{T-1} step_close[r, k] b[r, k]
       + sum_{r opened}  sum_{k = 0}^{T-2}   step_open[r, k]  o[r, k]
       + sum_{u bought}  sum_{k = lo[u]}^{T-2} step_buy[u, k] q[u, k]
       - sum_w slope[w] t[w]                 (slope[w] = cost[w] ln(1 + rate) / 12)
       + sum_w refresh_step[w] z[w]

Closing expensive rooms early is what saves money; discounting moves a one-off
cost later only when that does not delay a closure. An explanation model has no
objective (feasibility only).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.schedule.variables import ScheduleModel


def add(b: ScheduleModel) -> None:
    if b.explain:
        return
    inst = b.inst
    T = inst.T
    terms: list[cp_model.LinearExprT] = []
    for rid, c in b.close.items():
        lo = inst.closing[rid]
        bits = b.close_bits[rid] = b.order_encoded(c, lo, T, f"close[{rid}]")
        step = inst.close_steps[rid]
        terms.append(sum(step[k] * bit for k, bit in zip(range(lo, T), bits, strict=True)))
    for rid, o in b.open_.items():
        bits = b.open_bits[rid] = b.order_encoded(o, 0, T - 1, f"open[{rid}]")
        step = inst.open_steps[rid]
        terms.append(sum(step[k] * bit for k, bit in enumerate(bits)))
    lead = {(buy.room, buy.accreditation): buy.lo for buy in inst.buys}
    for key, g in b.bought_at.items():
        lo = lead[key]
        bits = b.buy_bits[key] = b.order_encoded(g, lo, T - 1, f"bought[{key[0]},{key[1]}]")
        step = inst.buy_steps[key]
        terms.append(sum(step[k] * bit for k, bit in zip(range(lo, T - 1), bits, strict=True)))
    for wid, tv in b.t.items():
        if inst.move_slope[wid]:
            terms.append(-inst.move_slope[wid] * tv)
        r = inst.mover[wid].refresh
        if r is not None and inst.refresh_step[wid]:
            later = b.model.new_bool_var(f"refreshed[{wid}]")
            b.model.add(tv >= r).only_enforce_if(later)
            b.model.add(tv <= r - 1).only_enforce_if(~later)
            terms.append(inst.refresh_step[wid] * later)
    b.model.minimize(sum(terms))
