"""What a solve returns: its status, the decisions of the plan, and progress snapshots.

Status is ``optimal`` only when CP-SAT proves it; ``feasible`` carries the
proven bound and the gap; ``infeasible`` when CP-SAT proves no plan exists;
``unknown`` when the time ran out before any plan was found.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Status(enum.StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Progress:
    """A snapshot of the search for a progress display (money, not units)."""

    objective: float | None
    bound: float | None
    elapsed_s: float
    solutions: int

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """(objective - bound) / |objective|, 0 when equal; None without both."""
    if objective is None or bound is None:
        return None
    if abs(objective - bound) < 1e-9:
        return 0.0
    return max(0.0, (objective - bound) / max(abs(objective), 1e-9))


@dataclass
class Solution:
    """The decisions of a plan, by index into the problem."""

    room_open: list[bool]
    assignment: list[int]
    """Room index of each workload."""
    desk_open: list[bool] = field(default_factory=list)
    desk_of: list[int] = field(default_factory=list)
    """Desk index of each organisation."""
    fte: list[int] = field(default_factory=list)


@dataclass
class Outcome:
    """What a solve returns."""

    status: Status
    objective: float | None
    """Money (problem.cost_unit x units + offset)."""
    bound: float | None
    wall_s: float
    solution: Solution | None
    breakdown: dict[str, float] = field(default_factory=dict)
    """Objective terms in money."""
    solutions_found: int = 0

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)
