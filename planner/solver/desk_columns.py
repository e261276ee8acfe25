"""The desks re-packed from the columns of their Lagrangian bound.

Each step of the desks' bound (:mod:`planner.solver.desk_lagrange`) has every desk
it opens serve a set of organisations: a column (d, O), whose cost is that of desk
d serving exactly O,

    c(d, O) = G_open[d] - G_closed[d] + g[d] ceil(T(O) / tpf[d])   (ceil(...) <= S[d])

The steps' columns, with those of a known plan, make a restricted set-partitioning
model solved by CP-SAT:

    min  sum_d G_closed[d] + sum_c c(c) y[c]
    sum_{c : o in c} y[c] = 1                 every organisation served once
    sum_{c at d} y[c] <= 1                    one column per desk
    sum_{c at a counted desk} y[c] <= N       with --max-desks N

Every solution is a plan of the desk layer at the same cost (a desk without a
column serves nobody and is closed), and the known plan is one (its columns are
in), so the result is never dearer than the plan it started from. The bound's steps
price organisations by what they cost to serve, so their columns are the
well-packed desks a plan needs (docs/benchmarks.md section 11: the desks of 150
councils in 60 s, 182.66M by CP-SAT on the desk model from the packed plan,
182.18M with half the time re-packing; of 50 councils in 12 s, 75.32M and 74.48M).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from planner import sat
from planner.solver.options import SolveOptions
from planner.solver.problem import Problem
from planner.solver.search import configure

Column = tuple[int, tuple[int, ...]]


def column_cost(p: Problem, column: Column) -> int | None:
    """c(d, O) above in units; None when O's tickets need more staff than d's seats or
    an organisation of O may not use d."""
    d, orgs = column
    desk = p.desks[d]
    if any(d not in p.organisations[o].options for o in orgs):
        return None
    staff = desk.staff(sum(p.organisations[o].tickets for o in orgs))
    if staff is None:
        return None
    return desk.cost_open - desk.cost_closed + desk.cost_per_fte * staff


def repack(
    p: Problem, columns: set[Column], desk_of: list[int], options: SolveOptions
) -> list[int]:
    """The best plan of the model above that CP-SAT finds within ``options``' time,
    from the plan ``desk_of`` (its hint; returned when nothing better is found)."""
    start = columns_of(desk_of)
    model = cp_model.CpModel()
    covers: list[list[cp_model.IntVar]] = [[] for _ in p.organisations]
    at_desk: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    chosen: list[tuple[cp_model.IntVar, Column]] = []
    terms = []
    for column in sorted(columns | start):
        cost = column_cost(p, column)
        if cost is None:
            continue
        y = model.new_bool_var("")
        chosen.append((y, column))
        terms.append(cost * y)
        for o in column[1]:
            covers[o].append(y)
        at_desk[column[0]].append(y)
        model.add_hint(y, column in start)
    for ys in covers:
        model.add_exactly_one(ys)
    for ys in at_desk.values():
        model.add_at_most_one(ys)
    if p.max_desks is not None:
        counted = [y for y, (d, _) in chosen if p.desks[d].counts_to_limit]
        model.add(sum(counted) <= p.max_desks)
    model.minimize(sum(terms))
    solver = cp_model.CpSolver()
    configure(solver, options)
    status = sat.run(solver, model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(desk_of)
    plan = list(desk_of)
    for y, (d, orgs) in chosen:
        if solver.value(y):
            for o in orgs:
                plan[o] = d
    return plan if plan_cost(p, plan) <= plan_cost(p, desk_of) else list(desk_of)


def columns_of(desk_of: list[int]) -> set[Column]:
    """The plan's columns: each desk serving someone, with the organisations it serves."""
    held: dict[int, list[int]] = defaultdict(list)
    for o, d in enumerate(desk_of):
        held[d].append(o)
    return {(d, tuple(orgs)) for d, orgs in held.items()}


def plan_cost(p: Problem, desk_of: list[int]) -> int:
    """The desks' cost (units) of a legal plan: its columns' costs and the closed desks'."""
    closed = sum(desk.cost_closed for desk in p.desks)
    return closed + sum(column_cost(p, column) or 0 for column in columns_of(desk_of))
