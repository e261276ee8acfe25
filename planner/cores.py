"""Infeasibility cores: which guarded rules of a CP-SAT model conflict.

Used by the target model (:func:`planner.solver.find_core`) and the
schedule (:mod:`planner.schedule`): an explanation model guards every rule with
an assumption literal. CP-SAT's ``sufficient_assumptions_for_infeasibility``
returns a subset of the assumptions that is infeasible on its own. That subset
is then shrunk by deletion (drop a rule, re-solve with the rest assumed and the
dropped one free; if still infeasible, it was not needed) and finally verified
by re-solving with only the reported rules assumed: OR-Tools has returned
literals that were not assumptions, or cores that were not infeasible, when
presolve is on (or-tools issues 3017 and 5141), so nothing is reported that was
not checked.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner import sat

GuardKey = tuple[Hashable, ...]
"""A guard's name and the index or id it applies to, e.g. ``(Guard.CAPACITY, 3)``."""


def guard_literals(
    model: cp_model.CpModel, guards: dict[GuardKey, cp_model.IntVar], explain: bool, key: GuardKey
) -> list[cp_model.IntVar]:
    """The enforcement literals of the rule ``key``: none in a normal model (its
    constraints hold unconditionally), else the rule's one assumption literal, created on
    first use and kept in ``guards``."""
    if not explain:
        return []
    lit = guards.get(key)
    if lit is None:
        lit = model.new_bool_var("guard:" + ":".join(map(str, key)))
        guards[key] = lit
    return [lit]


@dataclass(frozen=True)
class Core:
    """A set of rules that cannot hold together."""

    keys: tuple[GuardKey, ...]
    minimal: bool
    """True when no rule can be dropped (each was tried); False if time ran out first."""
    verified: bool
    """True when CP-SAT proved the reported rules infeasible on their own."""


def _solve_with(
    model: cp_model.CpModel, lits: list[cp_model.IntVar], time_limit: float, workers: int
) -> int:
    model.clear_assumptions()
    model.add_assumptions(lits)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    return int(sat.run(solver, model))


def minimal_core(
    model: cp_model.CpModel,
    guards: dict[GuardKey, cp_model.IntVar],
    *,
    time_limit_s: float = 30.0,
    workers: int = 1,
) -> Core | None:
    """A small verified set of guard keys whose rules cannot hold together, or None if
    the model is feasible with every guard assumed (or nothing was proved in time).

    Works on any CP-SAT model whose rules are enforced by the literals in ``guards``.
    """
    start = time.monotonic()
    keys = list(guards)
    index = {guards[k].index: k for k in keys}

    def lits(ks: list[GuardKey]) -> list[cp_model.IntVar]:
        return [guards[k] for k in ks]

    model.clear_assumptions()
    model.add_assumptions(lits(keys))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    if sat.run(solver, model) != cp_model.INFEASIBLE:
        model.clear_assumptions()
        return None
    reported = solver.sufficient_assumptions_for_infeasibility()
    core = [index[i] for i in reported if i in index]
    if not core or _remaining(start, time_limit_s) <= 0:
        core = keys
    elif (
        _solve_with(model, lits(core), _remaining(start, time_limit_s), workers)
        != cp_model.INFEASIBLE
    ):
        core = keys  # the reported subset was not a core: fall back to every rule

    minimal = True
    for key in list(core):
        left = _remaining(start, time_limit_s)
        if left <= 0:
            minimal = False
            break
        trial = [k for k in core if k != key]
        if _solve_with(model, lits(trial), left, workers) == cp_model.INFEASIBLE:
            core = trial
    verified = (
        _solve_with(model, lits(core), max(1.0, _remaining(start, time_limit_s)), workers)
        == cp_model.INFEASIBLE
    )
    model.clear_assumptions()
    return Core(tuple(core), minimal and verified, verified)


def _remaining(start: float, limit: float) -> float:
    return limit - (time.monotonic() - start)
