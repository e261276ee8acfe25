"""Family ``separation`` (rule 4): no room hosts two zones that conflict.

Zones k1, k2 conflict when `separate` lists them, or when one has
``isolation: room`` (it conflicts with every other zone). With zone-presence
literals z[r, k], created only for rooms that could host both zones of some
conflicting pair:

    x[w, r] <= z[r, zone(w)]                     for every (w, r) (n z for n identical)
    z[r, k] <= open[r]
    z[r, k1] + z[r, k2] <= 1                     for every conflicting pair
                                                 (guard: separate, k1, k2 or isolation, k)

The presence literals make the conflict a clique over few variables instead
of a product of assignment variables, which keeps the LP relaxation tight.
"""

from __future__ import annotations

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m, p = b.model, b.problem
    if not p.conflicts:
        return
    for r, entries in enumerate(b.by_room):
        zones_here = {p.workloads[w].zone for w, _ in entries}
        pairs = [(k1, k2) for (k1, k2) in p.conflicts if k1 in zones_here and k2 in zones_here]
        if not pairs:
            continue
        involved = {k for pair in pairs for k in pair}
        for k in sorted(involved):
            z = m.new_bool_var(f"zone[{p.rooms[r].id},{p.zones[k]}]")
            b.zone[(r, k)] = z
            m.add_implication(z, b.open[r])
        for w, var in entries:
            k = p.workloads[w].zone
            if k in involved:
                b.only_if(w, var, b.zone[(r, k)])
        for k1, k2 in pairs:
            reason = p.conflict_reason.get((k1, k2), "separate")
            if reason.startswith("isolation:"):
                key: tuple[str, ...] = (Guard.ISOLATION, reason.split(":", 1)[1])
            else:
                key = (Guard.SEPARATE, p.zones[k1], p.zones[k2])
            m.add(b.zone[(r, k1)] + b.zone[(r, k2)] <= 1).only_enforce_if(b.guard(*key))
