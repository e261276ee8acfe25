"""Family ``desks`` (rule 9): every organisation is served by one open, vetted desk
whose integer staff covers its tickets within its seats.

    sum_{d in D(o)} serve[o, d] = 1                          for every organisation o
    serve[o, d] <= desk_open[d]
    desk_open[d] <= sum_o serve[o, d]      (a desk that serves nobody closes; docs/plan-format.md)
    tpf[d] fte[d] >= sum_o T[o] serve[o, d]                  fte[d] integer >= 0
    fte[d] <= seats[d] desk_open[d]                          (guard: desk-seats, d)
    sum_{d in S} desk_open[d] <= N        with --max-desks N (guard: max-desks)

D(o) holds the desks with every vetting o needs (an explanation model also
lets o use the others unless guard desk-vetting, o holds). Because staff cost
is minimised, fte[d] = ceil(sum_o T[o] serve[o, d] / tpf[d]) at the optimum,
which is the spec's desk FTE.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m, p = b.model, b.problem
    if not p.desks:
        return
    total = sum(o.tickets for o in p.organisations)
    for desk in p.desks:
        b.desk_open.append(m.new_bool_var(f"desk_open[{desk.id}]"))
        need = -(-total // desk.tickets_per_fte) if desk.tickets_per_fte else 0
        upper = max(desk.seats, need) if b.explain else desk.seats
        b.fte.append(m.new_int_var(0, upper, f"fte[{desk.id}]"))
    served: list[list[tuple[int, cp_model.IntVar]]] = [[] for _ in p.desks]
    for o, org in enumerate(p.organisations):
        choices = list(org.options) + (list(org.blocked) if b.explain else [])
        lits = []
        for d in dict.fromkeys(choices):
            var = m.new_bool_var(f"serve[{org.id},{p.desks[d].id}]")
            b.serve[(o, d)] = var
            m.add_implication(var, b.desk_open[d])
            served[d].append((org.tickets, var))
            lits.append(var)
            if d not in org.options:
                m.add(var == 0).only_enforce_if(b.guard(Guard.DESK_VETTING, o))
        if lits:
            m.add_exactly_one(lits)
        else:
            m.add_bool_or([]).with_name(f"desk-assignment[{org.id}]")
    for d, desk in enumerate(p.desks):
        load = cp_model.LinearExpr.weighted_sum(
            [v for _, v in served[d]], [t for t, _ in served[d]]
        )
        m.add(desk.tickets_per_fte * b.fte[d] >= load)
        m.add(b.fte[d] <= desk.seats * b.desk_open[d]).only_enforce_if(b.guard(Guard.DESK_SEATS, d))
        m.add_bool_or([v for _, v in served[d]]).only_enforce_if(b.desk_open[d])
    if p.max_desks is not None:
        counted = [b.desk_open[d] for d, desk in enumerate(p.desks) if desk.counts_to_limit]
        m.add(sum(counted) <= p.max_desks).only_enforce_if(b.guard(Guard.MAX_DESKS))
