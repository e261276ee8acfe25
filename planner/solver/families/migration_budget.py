"""Family ``migration-budget`` (rule 10, aggregated): the moves fit the team's capacity.

    sum_w e[w] (1 - x[w, today(w)]) <= B                     (guard: migration-budget)

e[w] is the person-days of moving w and B = T x migration_days_per_month the
team's capacity over the T months of the horizon. Month-by-month limits are
the schedule's (:mod:`planner.schedule`); this necessary condition keeps the
target estate from choosing more moves than the horizon can hold. For n identical
workloads (:mod:`planner.solver.aggregate`) the same sum reads e[w] (n - x[w, today(w)]).
"""

from __future__ import annotations

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    p = b.problem
    if p.move_budget is None:
        return
    terms = []
    for w, wl in enumerate(p.workloads):
        if wl.move_days <= 0:
            continue
        for r, var in b.by_workload[w]:
            if r != wl.today:
                terms.append(wl.move_days * var)
    if sum(wl.move_days * wl.count for wl in p.workloads) <= p.move_budget or not terms:
        return
    b.model.add(sum(terms) <= p.move_budget).only_enforce_if(b.guard(Guard.MIGRATION_BUDGET))
