"""The solver core: a council-agnostic facility-location problem, its CP-SAT model,
the solve loop and infeasibility cores.

The front door; callers outside the solver import from here::

    from planner.solver import Problem, SolveOptions, solve
    outcome = solve(problem, SolveOptions(time_limit_s=10))
"""

from planner.solver.dispatch import find_core, solve
from planner.solver.guards import Guard
from planner.solver.options import NEIGHBOURHOOD_ABOVE, SolveOptions
from planner.solver.problem import (
    AtMostOne,
    Desk,
    Organisation,
    Problem,
    Room,
    SitePairRule,
    Upgrade,
    Workload,
)
from planner.solver.results import Outcome, Progress, Solution, Status, relative_gap

__all__ = [
    "NEIGHBOURHOOD_ABOVE",
    "AtMostOne",
    "Desk",
    "Guard",
    "Organisation",
    "Outcome",
    "Problem",
    "Progress",
    "Room",
    "SitePairRule",
    "Solution",
    "SolveOptions",
    "Status",
    "Upgrade",
    "Workload",
    "find_core",
    "relative_gap",
    "solve",
]
