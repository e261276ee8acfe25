"""Family ``dependency-latency`` (rule 6): dependent workloads sit on sites close enough.

For a dependency between workloads a and b with limit L, the allowed site
pairs are P = {(s, t) : lat_{Z_a & Z_b}(s, t) <= L} (0 ms on one site), over
the networks common to both zones. With y[w, s] = sum_{r at s} x[w, r]:

    y[a, s] <= sum_{t : (s, t) in P} y[b, t]        for every site s of a
    y[b, t] <= sum_{s : (s, t) in P} y[a, s]        for every site t of b
                                                    (guard: dependency, i)

Either family of inequalities alone is exact for 0/1 values; both together
tighten the LP relaxation.
"""

from __future__ import annotations

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m, p = b.model, b.problem
    for i, rule in enumerate(p.site_rules):
        if rule.kind != "near":
            continue
        guard = b.guard(Guard.DEPENDENCY, i)
        ya, yb = b.site_presence(rule.a), b.site_presence(rule.b)
        for s, xs in ya.items():
            partners = [v for t, vs in yb.items() if (s, t) in rule.pairs for v in vs]
            m.add(sum(xs) <= sum(partners)).only_enforce_if(guard)
        for t, xs in yb.items():
            partners = [v for s, vs in ya.items() if (s, t) in rule.pairs for v in vs]
            m.add(sum(xs) <= sum(partners)).only_enforce_if(guard)
