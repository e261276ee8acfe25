"""The rules of the target model that an explanation can name: one guard each.

In an explanation model (``build(problem, explain=True)``) every rule is
enforced only while its guard, an assumption literal keyed ``(Guard, index)``,
holds; an infeasible model then yields the guards that conflict
(:mod:`planner.cores`). Each guard has one sentence in the words of the estate
(:data:`planner.plan.explain.SENTENCES`); a test checks that none is missing.
"""

from __future__ import annotations

import enum


class Guard(enum.StrEnum):
    """A guarded rule; the value is its stable name (tests and explanations use it)."""

    PINNED = "pinned"
    """Rule 1: a pinned workload stays in its room (key: workload)."""
    CAPACITY = "capacity"
    """Rule 2: a room's racks and power (key: room)."""
    ACCREDITATION = "accreditation"
    """Rule 3: a workload's zone needs accreditations its room holds (key: workload)."""
    SEPARATE = "separate"
    """Rule 4: two zones never share a room (key: zone, zone)."""
    ISOLATION = "isolation"
    """Rule 4: a zone with isolation: room shares its room with no other zone (key: zone)."""
    USER_LATENCY = "user-latency"
    """Rule 5: a workload's users reach its room within its latency (key: workload)."""
    DEPENDENCY = "dependency"
    """Rule 6: dependent workloads sit on sites close enough (key: site rule)."""
    RESILIENCE = "resilience"
    """Rule 7: replicas on distinct sites far enough apart (key: site rule)."""
    KEEP = "keep"
    """Rule 8 (keep: true) or rule 10 (earliest_close after the horizon): the room stays
    open (key: room)."""
    CLOSE = "close"
    """Rule 8: a room marked close: true closes (key: room)."""
    CLOSING = "closing"
    """Rule 8: no workload may use a room marked close: true (key: workload)."""
    MAX_ROOMS = "max-rooms"
    """Rule 8: --max-rooms."""
    MAX_DESKS = "max-desks"
    """Rule 8: --max-desks."""
    DESK_VETTING = "desk-vetting"
    """Rule 9: an organisation's desk holds every vetting it needs (key: organisation)."""
    DESK_SEATS = "desk-seats"
    """Rule 9: a desk's staff fit its seats (key: desk)."""
    CANNOT_MOVE = "cannot-move"
    """Rule 10: a workload whose window or person-days allow no move stays (key: workload)."""
    MIGRATION_BUDGET = "migration-budget"
    """Rule 10: all moves' person-days fit the horizon."""
    MOVE_PAIR = "move-pair"
    """Rule 10: two moves no month-by-month order can make legal (key: pair rule)."""
