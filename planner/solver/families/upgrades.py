"""Family ``upgrades`` (spec/decisions.md): a room gains an accreditation only if the plan
buys it, and pays for it.

With bought[u] in {0, 1} for each upgrade u of room r(u) and N(w, r) the upgrades the
option (w, r) needs (the accreditations its zone requires that r does not hold):

    x[w, r] <= bought[u]        for every u in N(w, r) (n bought[u] for n identical)
    bought[u] <= open[r(u)]

and the objective family adds sum_u cost[u] bought[u] (cost[u] = one-off + A x annual
cost). An option needing an upgrade exists only when the upgrade can hold within the
horizon and the workload's move window reaches its lead month
(:mod:`planner.target.translate`). In an explanation model bought[u] is free (buying
is a choice, not a rule), so the constraints never conflict on their own.
"""

from __future__ import annotations

from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m, p = b.model, b.problem
    b.bought = [m.new_bool_var(f"bought[{u.label or i}]") for i, u in enumerate(p.upgrades)]
    for i, u in enumerate(p.upgrades):
        m.add_implication(b.bought[i], b.open[u.room])
    for w, wl in enumerate(p.workloads):
        for r, needed in wl.needs:
            var = b.x.get((w, r))
            if var is None:
                continue
            for i in needed:
                b.only_if(w, var, b.bought[i])
