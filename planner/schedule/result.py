"""What the schedule returns: the month of every move, closure and opening."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.cores import Core
from planner.schedule.pairs import Order


@dataclass
class Schedule:
    """Months (indices) of the migration."""

    status: str
    """optimal | feasible | infeasible | unknown."""
    move_month: dict[str, int] = field(default_factory=dict)
    close_month: dict[str, int] = field(default_factory=dict)
    """Room -> first month it no longer costs (closing rooms)."""
    open_month: dict[str, int] = field(default_factory=dict)
    """Candidate room -> month of its first move in (or of its first suite's)."""
    upgrade_month: dict[tuple[str, str], int] = field(default_factory=dict)
    """(room, accreditation) -> first month a bought upgrade holds."""
    desk_switch_month: dict[str, int] = field(default_factory=dict)
    """Organisation -> month it changes desk (only those that change)."""
    desk_close_month: dict[str, int] = field(default_factory=dict)
    move_groups: list[list[str]] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    wall_s: float = 0.0
    gap: float | None = None
    """(cost - bound) / cost of the months-dependent part of the discounted cost."""
    explanation: list[str] = field(default_factory=list)
    core: Core | None = None
    method: str | None = None
    """Which method produced the months: 'cp-sat' or 'greedy' (None when there are none)."""
    cost: int | None = None
    """The model's objective (pence, relative to each room's earliest month) of the schedule."""
    bound: float | None = None
    """CP-SAT's proven lower bound on ``cost`` (None when CP-SAT did not run)."""
    greedy_cost: int | None = None
    """The greedy schedule's objective (None when the greedy found none)."""
    greedy_wall_s: float = 0.0
    cp_wall_s: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)
    """Model size and search figures, for benchmarks."""
