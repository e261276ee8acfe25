"""Family ``capacity`` (rule 2): open rooms hold their workloads' racks and power.

For every room r and resource k (racks, power_kw; any number of resources):

    sum_w d[w, k] x[w, r] <= C[r, k] open[r]            (guard: capacity, r)

and, as a redundant cut that tightens the LP bound, for every resource k:

    sum_r C[r, k] open[r] >= sum_w d[w, k]

(total open capacity covers total demand). The cut is valid for every plan, so
it is added to normal models only; an explanation model keeps only guarded rules.
Where w stands for n identical workloads (:mod:`planner.solver.aggregate`), x[w, r]
counts them and d[w, k] x[w, r] is their demand: the same sums.
"""

from __future__ import annotations

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m, p = b.model, b.problem
    for r, room in enumerate(p.rooms):
        entries = b.by_room[r]
        if not entries:
            continue
        for k, cap in enumerate(room.capacity):
            demand = [(p.workloads[w].demand[k], var) for w, var in entries]
            if sum(p.workloads[w].demand[k] * p.workloads[w].count for w, _ in entries) <= cap:
                continue  # can never bind: every admissible workload fits together
            m.add(sum(d * var for d, var in demand) <= cap * b.open[r]).only_enforce_if(
                b.guard(Guard.CAPACITY, r)
            )
    if not b.explain:
        for k in range(len(p.resources)):
            total = sum(wl.demand[k] * wl.count for wl in p.workloads)
            if total > 0:
                m.add(sum(room.capacity[k] * b.open[r] for r, room in enumerate(p.rooms)) >= total)
