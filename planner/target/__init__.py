"""The target estate: from the inventory to the solver's problem and back.

:mod:`planner.target.translate` turns a validated inventory into the solver's
:class:`~planner.solver.Problem` (option sets, integer costs, site-pair rules);
:mod:`planner.target.estate` reads a solution back as a :class:`Target` by id.
"""

from planner.target.estate import Target, target_of
from planner.target.moves import move_cost, refresh_month
from planner.target.translate import EstateProblem, LimitOptions, annuity_factor, build_problem

__all__ = [
    "EstateProblem",
    "LimitOptions",
    "Target",
    "annuity_factor",
    "build_problem",
    "move_cost",
    "refresh_month",
    "target_of",
]
