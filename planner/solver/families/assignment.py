"""Family ``assignment`` (rule 1): every workload is in exactly one open room.

    sum_{r in R(w)} x[w, r] = 1          for every workload w
    x[w, r] <= open[r]                   for every (w, r)

R(w) is w's option set (rooms that pass accreditation, user latency, pinning
and forced closure; see those families). The second line is the strong
linking of facility location: its LP relaxation is much tighter than the
aggregated sum_w x[w, r] <= |W| open[r].

A workload standing for n identical ones (:mod:`planner.solver.aggregate`) has
sum_r x[w, r] = n and x[w, r] <= n open[r]: as tight, since x[w, r] / n is then
the share of each of them in r.
"""

from __future__ import annotations

from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m = b.model
    for w, entries in enumerate(b.by_workload):
        if not entries:
            # No room at all: an empty sum cannot be 1. Validation reports this first;
            # here it makes the model infeasible rather than silently dropping w.
            m.add_bool_or([]).with_name(f"assignment[{b.problem.workloads[w].id}]")
            continue
        count = b.problem.workloads[w].count
        if count == 1:
            m.add_exactly_one(var for _, var in entries)
        else:
            m.add(sum(var for _, var in entries) == count)
        for r, var in entries:
            b.only_if(w, var, b.open[r])
