"""Family ``user-latency`` (rule 5): every user site of a workload reaches its room's
site within the workload's ``max_latency_ms`` over its zone's networks.

    x[w, r] = 0      for every room r with lat_Z(u, site(r)) > L(w) for a user site u

lat_Z is the shortest-path latency over the links of zone Z's networks
(:mod:`planner.inventory.graph`). As for accreditation, a normal model applies the rule
by leaving such rooms out of R(w); an explanation model guards it
(guard: user-latency, w).
"""

from __future__ import annotations

from planner.solver.families.blocked import add_blocked
from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    add_blocked(b, Guard.USER_LATENCY)
