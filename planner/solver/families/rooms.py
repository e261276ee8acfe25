"""Family ``rooms`` (rule 8): forced rooms, pinned workloads and the room limit.

    open[r] = 1                      for rooms with keep: true     (guard: keep, r)
    open[r] = 0                      for rooms with close: true    (guard: close, r)
    sum_{r in S} open[r] <= N        with --max-rooms N            (guard: max-rooms)

S is the set of rooms that count towards the limit (the shared service's rooms;
every room by default). A candidate room is opened exactly when open[r] = 1:
it then costs its opening and running cost (objective family), otherwise
nothing, and it can host workloads only when open (assignment family).

Pinned workloads (rule 1), rooms that must close, and workloads the
migration cannot move within the horizon (rule 10) are applied to the option
sets before the model is built; an explanation model guards them
(guard: pinned, w; closing, w; cannot-move, w).
"""

from __future__ import annotations

from planner.solver.families.blocked import add_blocked
from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    m, p = b.model, b.problem
    for r, room in enumerate(p.rooms):
        if room.must_open:
            m.add(b.open[r] == 1).only_enforce_if(b.guard(Guard.KEEP, r))
        if room.must_close:
            m.add(b.open[r] == 0).only_enforce_if(b.guard(Guard.CLOSE, r))
    if p.max_rooms is not None:
        counted = [b.open[r] for r, room in enumerate(p.rooms) if room.counts_to_limit]
        m.add(sum(counted) <= p.max_rooms).only_enforce_if(b.guard(Guard.MAX_ROOMS))
    add_blocked(b, Guard.PINNED)
    add_blocked(b, Guard.CLOSING)
    add_blocked(b, Guard.CANNOT_MOVE)
