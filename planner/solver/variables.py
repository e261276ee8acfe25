"""Decision variables of the CP-SAT model and the assumption guards of explanations.

Variables (all 0/1 unless stated):

* ``open[r]``      room r is open in the plan
* ``x[w, r]``      workload w is in room r, for r in w's options (and, in an
  explanation model, its blocked rooms); for a workload standing for n identical
  ones (:mod:`planner.solver.aggregate`) an integer 0..n, how many are in room r
* ``zone[r, k]``   room r hosts zone k (only where a conflict could arise)
* ``bought[u]``    upgrade u (an accreditation a room gains) is bought
* ``desk_open[d]`` desk d is open; ``serve[o, d]`` organisation o is served by d;
  ``fte[d]`` integer staff of desk d

A guard is an assumption literal named by a stable key such as
``("capacity", r)``. In a normal model :meth:`FacilityModel.guard` returns no literal,
so constraints are unconditional; in an explanation model each key gets one
Boolean that enforces its constraints and is passed to CP-SAT as an
assumption, so an infeasible model yields a subset of keys that conflict.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.cores import GuardKey, guard_literals
from planner.solver.problem import Problem


@dataclass
class FacilityModel:
    """A CP-SAT model under construction (and then solved) for one problem."""

    problem: Problem
    model: cp_model.CpModel
    explain: bool = False
    open: list[cp_model.IntVar] = field(default_factory=list)
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    by_room: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)
    by_workload: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)
    zone: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    desk_open: list[cp_model.IntVar] = field(default_factory=list)
    serve: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    fte: list[cp_model.IntVar] = field(default_factory=list)
    bought: list[cp_model.IntVar] = field(default_factory=list)
    """bought[u]: upgrade u is bought (family ``upgrades``)."""
    guards: dict[GuardKey, cp_model.IntVar] = field(default_factory=dict)
    objective_terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    """Named parts of the objective (units), for the cost breakdown."""

    def guard(self, *key: Hashable) -> list[cp_model.IntVar]:
        """Enforcement literals for the constraints of ``key`` ([] in a normal model)."""
        return guard_literals(self.model, self.guards, self.explain, key)

    def only_if(self, w: int, var: cp_model.IntVar, literal: cp_model.LiteralT) -> None:
        """x[w, r] > 0 only if ``literal``: the implication x <= literal for one workload,
        x <= n literal for n identical ones (as tight in the LP as n implications)."""
        count = self.problem.workloads[w].count
        if count == 1:
            self.model.add_implication(var, literal)
        else:
            self.model.add(var <= count * literal)

    def site_presence(self, w: int) -> dict[int, list[cp_model.IntVar]]:
        """For workload w: site -> the x variables of its rooms on that site.

        Their sum, y[w, s] = sum_{r at s} x[w, r], is 1 exactly when w is on site s.
        """
        out: dict[int, list[cp_model.IntVar]] = {}
        rooms = self.problem.rooms
        for r, var in self.by_workload[w]:
            out.setdefault(rooms[r].site, []).append(var)
        return out


def create_variables(problem: Problem, model: cp_model.CpModel, explain: bool) -> FacilityModel:
    """Create open[r], x[w, r] (options, plus blocked rooms when explaining) and desk vars."""
    b = FacilityModel(problem, model, explain)
    b.open = [model.new_bool_var(f"open[{room.id}]") for room in problem.rooms]
    b.by_room = [[] for _ in problem.rooms]
    for w, wl in enumerate(problem.workloads):
        rooms = [r for r, _ in wl.options]
        if explain:
            rooms += [r for r, _ in wl.blocked if r not in rooms]
        entries = []
        for r in dict.fromkeys(rooms):
            name = f"x[{wl.id},{problem.rooms[r].id}]"
            if wl.count == 1:
                var = model.new_bool_var(name)
            else:
                var = model.new_int_var(0, wl.count, name)
            b.x[(w, r)] = var
            b.by_room[r].append((w, var))
            entries.append((r, var))
        b.by_workload.append(entries)
    return b
