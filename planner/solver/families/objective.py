"""Family ``objective``: one-off cost + A x steady cost, in cost units.

    min  sum_{(w, r)} c[w, r] x[w, r]
       + sum_r ( F_open[r] open[r] + F_closed[r] (1 - open[r]) )
       + sum_u U[u] bought[u]
       + sum_d ( G_open[d] desk_open[d] + g[d] fte[d] + G_closed[d] (1 - desk_open[d]) )

For an estate (spec cost model): c[w, r] = migration_cost(w) when r is not
w's room today, else 0; F_open = A annual_cost (+ open_cost for a candidate);
F_closed = closure_cost for an existing room, 0 for a candidate; G_open =
A fixed_cost, g = A cost_per_fte, G_closed = closure_cost; A =
sum_{y=1..H} (1 + rate)^-y; U = one-off cost + A annual_cost of an upgrade
(family ``upgrades``), counted with the rooms. Each term is kept by name for the
cost breakdown.
An explanation model has no objective (feasibility only).
"""

from __future__ import annotations

from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    if b.explain:
        return
    p = b.problem
    costs = {(w, r): c for w, wl in enumerate(p.workloads) for r, c in wl.options}
    b.objective_terms["moves"] = sum(costs[key] * var for key, var in b.x.items() if costs[key])
    b.objective_terms["rooms"] = (
        sum((room.cost_open - room.cost_closed) * b.open[r] for r, room in enumerate(p.rooms))
        + sum(room.cost_closed for room in p.rooms)
        + sum(u.cost * bought for u, bought in zip(p.upgrades, b.bought, strict=False))
    )
    if p.desks:
        b.objective_terms["desks"] = sum(
            (desk.cost_open - desk.cost_closed) * b.desk_open[d] + desk.cost_per_fte * b.fte[d]
            for d, desk in enumerate(p.desks)
        ) + sum(desk.cost_closed for desk in p.desks)
    b.model.minimize(sum(b.objective_terms.values()))
