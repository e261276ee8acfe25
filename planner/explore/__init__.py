"""`planner explore` (spec/explore.md): prices of rules, Pareto curves, risk and Shapley
values, each many solves run as tasks on Dask. The front door::

    from planner.explore import ExploreOptions, explore
"""

from planner.explore.run import Explored, ExploreOptions, explore

__all__ = ["ExploreOptions", "Explored", "explore"]
