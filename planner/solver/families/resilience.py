"""Family ``resilience`` (rule 7): replicas run on different sites, far enough apart.

For workloads a and b named in `distinct_site_from`, the forbidden site pairs
are F = {(s, t) : s = t or dist(s, t) < dr_min_distance_km} (great-circle
distance). With y[w, s] = sum_{r at s} x[w, r]:

    y[a, s] + sum_{t : (s, t) in F} y[b, t] <= 1     for every site s of a
                                                     (guard: resilience, i)

Each inequality is a clique: a on s excludes b from every site too close to s.
"""

from __future__ import annotations

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m, p = b.model, b.problem
    for i, rule in enumerate(p.site_rules):
        if rule.kind != "apart":
            continue
        guard = b.guard(Guard.RESILIENCE, i)
        ya, yb = b.site_presence(rule.a), b.site_presence(rule.b)
        for s, xs in ya.items():
            clash = [v for t, vs in yb.items() if (s, t) in rule.pairs for v in vs]
            if clash:
                m.add(sum(xs) + sum(clash) <= 1).only_enforce_if(guard)
