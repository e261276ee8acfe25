"""Identical workloads solved as one: the aggregated problem, and its plan spread back.

Two workloads are identical for the model when they have the same demand, zone,
room today, move days, options (room and cost) and upgrade needs, and no side rule
names either (site rules, move pairs; explanation models are never aggregated). A
class C of n identical workloads becomes one workload with ``count`` n whose x[C, r]
in {0..n} counts the members in room r; every family reads it so
(:mod:`planner.solver.families`):

    sum_r x[C, r] = n                  x[C, r] <= n open[r]   (and n z[r, k], n bought[u])
    sum_C d[C, k] x[C, r] <= C[r, k] open[r]
    cost sum_(C, r) c[C, r] x[C, r]    moves sum_C e[C] (n - x[C, today(C)])

Equal optima: a plan of the plain problem gives an aggregated plan of the same cost
(count the members per room), and an aggregated plan spreads back to a plain one of
the same cost (any n_r members into each room r): every rule and cost is a sum over
the members with equal coefficients, and no rule tells them apart. The LP relaxations
are equal too (x[w, r] = x[C, r] / n for every member w), so the aggregated model
loses no bound; it only drops the n! orderings of the members the search would
otherwise explore. Only the whole model is aggregated: above
:data:`~planner.solver.options.NEIGHBOURHOOD_ABOVE` options the layers, the block
search and the bounds take workloads one by one. The bundled estates have identical
workloads (Cheshire 330 in 291 classes); generated estates have almost none
(docs/benchmarks.md section 9).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.solver.problem import Problem
from planner.solver.results import Outcome


@dataclass(frozen=True)
class Aggregated:
    """An aggregated problem and the plain workloads each of its workloads stands for."""

    problem: Problem
    members: tuple[tuple[int, ...], ...]
    """Indices into the plain problem's workloads, one tuple per aggregated workload."""

    def spread(self, out: Outcome) -> Outcome:
        """The outcome for the plain problem: the members of each class take the rooms
        of its entries in the aggregated assignment in turn (which member goes where is
        immaterial: they are identical)."""
        if out.solution is None:
            return out
        flat = out.solution.assignment
        members = [w for group in self.members for w in group]
        assignment = [0] * len(members)
        for w, r in zip(members, flat, strict=True):
            assignment[w] = r
        return replace(out, solution=replace(out.solution, assignment=assignment))


def aggregate(p: Problem) -> Aggregated | None:
    """The problem with each class of identical workloads as one (see the module
    docstring); None when no two workloads are identical."""
    named = p.ruled_workloads()
    classes: dict[object, list[int]] = {}
    for w, wl in enumerate(p.workloads):
        if w in named or wl.blocked or wl.count != 1:
            key: object = w
        else:
            key = (wl.demand, wl.zone, wl.today, wl.move_days, wl.options, wl.needs)
        classes.setdefault(key, []).append(w)
    if len(classes) == len(p.workloads):
        return None
    members = tuple(tuple(group) for group in classes.values())
    index = {group[0]: c for c, group in enumerate(members)}
    workloads = tuple(replace(p.workloads[group[0]], count=len(group)) for group in members)
    return Aggregated(p.with_workloads(workloads, index), members)
