"""Build the CP-SAT model of a :class:`~planner.solver.problem.Problem`.

``build(problem)`` creates the variables (:mod:`planner.solver.variables`), then
calls every constraint family of :data:`planner.solver.families.FAMILIES` in
order, then adds the search hint (today's estate). ``build(problem,
explain=True)`` builds the explanation variant: every rule guarded by an
assumption literal and no objective.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from planner.solver.families import FAMILIES
from planner.solver.problem import Problem
from planner.solver.results import Solution
from planner.solver.variables import FacilityModel, create_variables


def build(
    problem: Problem, *, explain: bool = False, families: tuple[str, ...] | None = None
) -> FacilityModel:
    """The model with every family (or only ``families``, for tests)."""
    model = cp_model.CpModel()
    model.name = problem.name
    b = create_variables(problem, model, explain)
    for name, add in FAMILIES.items():
        if families is None or name in families or name in ("assignment", "desks"):
            add(b)
    if not explain:
        add_hint(b)
    return b


def add_hint(b: FacilityModel) -> None:
    """Hint today's estate: each workload where it is, existing rooms and desks open.

    A hint is only a starting point for the search; where today's estate breaks a
    limit (say --max-rooms), CP-SAT repairs it.
    """
    p, m = b.problem, b.model
    for r, room in enumerate(p.rooms):
        m.add_hint(b.open[r], room.existing)
    present: set[tuple[int, int]] = set()
    for w, wl in enumerate(p.workloads):
        if wl.today is None:
            continue
        present.add((wl.today, wl.zone))
        for r, var in b.by_workload[w]:
            m.add_hint(var, wl.count if r == wl.today else 0)
    for key, var in b.zone.items():
        m.add_hint(var, key in present)
    for var in b.bought:
        m.add_hint(var, False)  # today's estate needs no upgrade (it is legal today)
    if not p.desks:
        return
    load = [0] * len(p.desks)
    for o, org in enumerate(p.organisations):
        for d in org.options:
            m.add_hint(b.serve[(o, d)], d == org.today)
        if org.today is not None:
            load[org.today] += org.tickets
    for d, desk in enumerate(p.desks):
        m.add_hint(b.desk_open[d], True)
        fte = desk.staff(load[d])
        m.add_hint(b.fte[d], desk.seats if fte is None else fte)


def replace_hint(b: FacilityModel, solution: Solution) -> None:
    """Hint ``solution`` instead of today's estate (zone literals follow from it); for a
    problem whose workloads each stand for one (the layers never aggregate)."""
    p, m = b.problem, b.model
    m.clear_hints()
    for r, var in enumerate(b.open):
        m.add_hint(var, solution.room_open[r])
    present = set()
    for w, entries in enumerate(b.by_workload):
        chosen = solution.assignment[w]
        present.add((chosen, p.workloads[w].zone))
        for r, var in entries:
            m.add_hint(var, r == chosen)
    for key, var in b.zone.items():
        m.add_hint(var, key in present)
    needed = p.upgrades_needed(solution.assignment)
    for i, var in enumerate(b.bought):
        m.add_hint(var, i in needed)
    for (o, d), var in b.serve.items():
        m.add_hint(var, solution.desk_of[o] == d)
    for d, var in enumerate(b.desk_open):
        m.add_hint(var, solution.desk_open[d])
        m.add_hint(b.fte[d], solution.fte[d])


def exclude_assignment(b: FacilityModel, assignment: Sequence[int]) -> None:
    """Forbid exactly this assignment of every workload (a no-good cut):

        sum_w x[w, a(w)] <= |W| - 1

    Used when the migration to that target estate was proved impossible to
    schedule month by month, so the next solve finds the best other target.
    """
    lits = [b.x[(w, r)] for w, r in enumerate(assignment)]
    if lits:
        b.model.add(sum(lits) <= len(lits) - 1)
