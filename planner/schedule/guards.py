"""The rules of the schedule model that an explanation can name: one guard each.

In an explanation model (``build(inst, explain=True)``) every rule is enforced
only while its guard, an assumption literal keyed ``(ScheduleGuard, id)``,
holds; an infeasible model then yields the guards that conflict
(:mod:`planner.cores`). Each guard has one sentence in the words of the estate
(:data:`planner.schedule.explain.SENTENCES`); a test checks that none is missing.
"""

from __future__ import annotations

import enum


class ScheduleGuard(enum.StrEnum):
    """A guarded rule of the schedule; the value is its stable name."""

    HORIZON = "horizon"
    """Every move and closure falls within the horizon (no key)."""
    WINDOW = "window"
    """A workload moves within its not_before/not_after (key: workload)."""
    DAYS_PER_MONTH = "days-per-month"
    """The month's moves fit migration_days_per_month (no key)."""
    CAPACITY_DURING = "capacity-during"
    """Rule 2 in every month: a room's racks and kW while its workloads come and go
    (key: room)."""
    SEPARATION_DURING = "separation-during"
    """Rule 4 in every month: newcomers wait for the conflicting zones to leave (key: room)."""
    ORDER = "order"
    """Rules 6 and 7 in every month: one move no later than another (key: index of the
    order rule)."""
    EARLIEST_CLOSE = "earliest-close"
    """A room closes only after its earliest_close (key: room)."""
