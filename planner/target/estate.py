"""The target estate: where every workload ends up, which rooms and desks stay open.

The solver decides by index (:class:`~planner.solver.Solution`); everything
downstream (the schedule, the timeline, the plan) reads the target by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.solver import Solution
from planner.target.translate import EstateProblem


@dataclass(frozen=True)
class Target:
    """The target estate the schedule moves to."""

    room_of: dict[str, str]
    """Workload -> room in the plan."""
    open_rooms: frozenset[str]
    desk_of: dict[str, str]
    """Organisation -> desk in the plan."""
    open_desks: frozenset[str] = frozenset()
    """Desks open in the plan: those serving someone, and any the solver keeps open
    because closing it costs more than running it (default: the desks serving someone)."""
    upgrades: frozenset[tuple[str, str]] = frozenset()
    """(room, accreditation) of each upgrade bought (spec/decisions.md)."""

    def __post_init__(self) -> None:
        if not self.open_desks:
            object.__setattr__(self, "open_desks", frozenset(self.desk_of.values()))


def target_of(ep: EstateProblem, solution: Solution) -> Target:
    """The target estate of a solution, by id."""
    p = ep.problem
    used = set(solution.assignment)
    # An empty room stays open only when it must, when closing it costs more, or when
    # one of its suites is open.
    open_ix = {
        r
        for r, room in enumerate(p.rooms)
        if solution.room_open[r]
        and (r in used or room.must_open or room.cost_open < room.cost_closed)
    }
    open_ix |= {
        room.within for r, room in enumerate(p.rooms) if r in open_ix and room.within is not None
    }
    return Target(
        room_of={wl.id: p.rooms[solution.assignment[w]].id for w, wl in enumerate(p.workloads)},
        open_rooms=frozenset(p.rooms[r].id for r in open_ix),
        desk_of={org.id: p.desks[solution.desk_of[o]].id for o, org in enumerate(p.organisations)},
        open_desks=frozenset(desk.id for d, desk in enumerate(p.desks) if solution.desk_open[d]),
        upgrades=frozenset(ep.upgrade_keys[u] for u in p.upgrades_needed(solution.assignment)),
    )
