"""Family ``suites`` (spec/decisions.md): a secure suite is open only while the room it is
built inside is open.

    open[s] <= open[parent(s)]       for every suite s

A suite is otherwise a room of its own (capacity, accreditation and separation are per
room, so zones kept apart may sit either side of the suite wall), and it does not count
towards ``--max-rooms`` (``counts_to_limit`` is false for suites; family ``rooms``).
"""

from __future__ import annotations

from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    for r, room in enumerate(b.problem.rooms):
        if room.within is not None:
            b.model.add_implication(b.open[r], b.open[room.within])
