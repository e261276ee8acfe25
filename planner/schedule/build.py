"""Build the schedule's CP-SAT model of a :class:`~planner.schedule.migration.Migration`.

``build(inst)`` calls every part of :data:`PARTS` in order on a fresh
:class:`~planner.schedule.variables.ScheduleModel`: the rules of rule 10
(:mod:`planner.schedule.rules`), the objective (:mod:`planner.schedule.objective`)
and the redundant rows for the LP (:mod:`planner.schedule.bounds`). ``build(inst,
explain=True)`` builds the explanation variant: every rule guarded by an
assumption literal (:class:`~planner.schedule.guards.ScheduleGuard`), no
objective and no redundant rows. :func:`hint` gives the model a complete
solution hint.

The order of :data:`PARTS` is the order in which variables and constraints are
created: with one worker CP-SAT's search depends on it, so changing it changes
the schedules found.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.schedule import bounds, objective, rules
from planner.schedule.greedy import GreedySchedule
from planner.schedule.migration import Migration
from planner.schedule.variables import DEFAULTS, Options, ScheduleModel

Part = Callable[[ScheduleModel], None]

PARTS: dict[str, Part] = {
    "window": rules.window,
    "capacity-during": rules.capacity_during,
    "separation-during": rules.separation_during,
    "order": rules.order,
    "days-per-month": rules.days_per_month,
    "close-months": rules.close_months,
    "open-months": rules.open_months,
    "upgrade-months": rules.upgrade_months,
    "objective": objective.add,
    "energetic": bounds.energetic,
    "weighted-months": bounds.weighted_months,
    "time-indexed-capacity": bounds.time_indexed_capacity,
    "time-indexed-days": bounds.time_indexed_days,
    "month-links": bounds.month_links,
}
"""The model's parts in build order: the rules (both models), then the objective and the
bounds (which add nothing to an explanation model)."""


def build(inst: Migration, explain: bool = False, options: Options = DEFAULTS) -> ScheduleModel:
    """The schedule model of ``inst`` (the explanation model with ``explain``)."""
    b = ScheduleModel(inst, cp_model.CpModel(), explain, options)
    for add in PARTS.values():
        add(b)
    return b


def hint(b: ScheduleModel, greedy: GreedySchedule) -> int:
    """Hint every variable with the greedy schedule; returns how many were hinted.

    Move, close and open months are the greedy's; order-encoding bits follow from the
    months they encode, last[r, zone] is its leavers' last month, and fixed variables
    (CP-SAT's constants) take their value.
    """
    values: dict[int, int] = {}
    for wid, var in b.t.items():
        values[var.index] = greedy.move_month[wid]
    for rid, var in b.close.items():
        values[var.index] = greedy.close_month[rid]
    for rid, var in b.open_.items():
        values[var.index] = greedy.open_month[rid]
    bought = b.inst.upgrade_months(greedy.move_month)
    for key, var in b.bought_at.items():
        values[var.index] = bought[key]
    for var, lo, bits in b.encodings:
        value = values[var.index]
        for i, bit in enumerate(bits):
            values[bit.index] = int(value > lo + i)
    for var, leavers in b.lasts:
        values[var.index] = max(greedy.move_month[w] for w in leavers)
    proto = b.model.proto
    for i, var in enumerate(proto.variables):
        if i not in values and len(var.domain) == 2 and var.domain[0] == var.domain[1]:
            values[i] = int(var.domain[0])
    b.model.clear_hints()
    solution = proto.solution_hint
    for i in sorted(values):
        solution.vars.append(i)
        solution.values.append(values[i])
    return len(values)
