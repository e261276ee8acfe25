"""Family ``accreditation`` (rule 3): a room hosts a workload only if it holds every
accreditation the workload's zone requires.

    x[w, r] = 0      for every room r lacking an accreditation required by zone(w)

In a normal model the rule is applied before the model is built: such rooms
are not in w's option set R(w), so x[w, r] does not exist. In an explanation
model the variables exist and the rule is a guarded constraint
(guard: accreditation, w), so a conflict can name it.
"""

from __future__ import annotations

from planner.solver.families.blocked import add_blocked
from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    add_blocked(b, Guard.ACCREDITATION)
