"""Family ``move-pairs`` (rule 10, for pairs): moves that no order of months makes legal.

For each :class:`~planner.solver.problem.AtMostOne` set S of (workload, room)
assignments:

    sum_{(w, r) in S} x[w, r] <= 1                         (guard: move-pair, i)

The estate producer derives the sets from dependency and DR pairs (see
:func:`planner.target.translate.move_pair_rules`): when a's move window ends before b's
begins, a moves first, so a may not go to a room that is out of reach of b's
current room while b also moves; when both must move in the same month but
their person-days exceed a month's, they cannot both make a move whose mixed
states are illegal.
"""

from __future__ import annotations

from planner.solver.guards import Guard
from planner.solver.variables import FacilityModel


def add(b: FacilityModel) -> None:
    for i, rule in enumerate(b.problem.at_most_one):
        lits = [b.x[key] for key in rule.pairs if key in b.x]
        if len(lits) > 1:
            b.model.add(sum(lits) <= 1).only_enforce_if(b.guard(Guard.MOVE_PAIR, i))
