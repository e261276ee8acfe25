"""The schedule model under construction: its variables, options and guards.

Variables (months are indices into the horizon of T months; each is created by
the rule or part of :data:`planner.schedule.build.PARTS` that needs it):

* ``t[w]``        the month mover w moves in (rule ``window``)
* ``last[r, k]``  the month the last workload of zone k leaves room r (rule
  ``separation-during``, where it needs fewer constraints than the pairs)
* ``close[r]``    the first month closing room r no longer costs (rule ``close-months``)
* ``open[r]``     the month opened candidate r opens (rule ``open-months``)
* ``g[u]``        the month bought upgrade u first holds (rule ``upgrade-months``)
* order-encoding bits ``b[r, k] = [close[r] > k]``, ``o[r, k] = [open[r] > k]``
  (part ``objective``) and ``g[w, k] = [t[w] > k]`` (the time-indexed bounds)

A guard is an assumption literal named by a key such as
``(ScheduleGuard.CAPACITY_DURING, room)``. In a normal model
:meth:`ScheduleModel.guard` returns no literal, so the rules are unconditional;
in an explanation model each key gets one Boolean that enforces its rules, and
an infeasible model yields a subset of keys that conflict (:mod:`planner.cores`).
An explanation model also lets every month variable run to 4T, so that the
horizon itself is a guarded rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.cores import GuardKey, guard_literals
from planner.schedule.migration import Migration


@dataclass(frozen=True)
class Options:
    """Which redundant constraints the model states (all on by default; for measuring)."""

    energetic: bool = True
    """Person-days by month k bound the rooms closed by k (on the order-encoding bits)."""
    weighted_months: bool = True
    """The person-day-weighted sum of move months lies between the earliest and latest fills."""
    separation_var: bool = True
    """One last[r, zone] variable per separation instead of a constraint per pair."""
    time_indexed_days: int = 6_000
    """Order-encode every move month ([t > k] bits) and state each month's person-days on
    them when that takes at most this many bits (0: never)."""
    time_indexed_capacity: int = 40_000
    """Likewise, state each binding room capacity month by month on the bits of its movers."""
    month_links: bool = True
    """Link encoded move months to room close/open bits and to each other month by month."""


DEFAULTS = Options()
"""Every redundant constraint on: the model the planner solves."""


@dataclass
class ScheduleModel:
    """A CP-SAT model of one :class:`Migration` under construction (and then solved)."""

    inst: Migration
    model: cp_model.CpModel
    explain: bool = False
    options: Options = DEFAULTS
    t: dict[str, cp_model.IntVar] = field(default_factory=dict)
    close: dict[str, cp_model.IntVar] = field(default_factory=dict)
    open_: dict[str, cp_model.IntVar] = field(default_factory=dict)
    bought_at: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    """(room, accreditation) -> g[u], the month the upgrade first holds."""
    buy_bits: dict[tuple[str, str], list[cp_model.IntVar]] = field(default_factory=dict)
    """Upgrade -> u[k] = [g > k] for k = lo..T-2."""
    guards: dict[GuardKey, cp_model.IntVar] = field(default_factory=dict)
    encodings: list[tuple[cp_model.IntVar, int, list[cp_model.IntVar]]] = field(
        default_factory=list
    )
    """(var, lo, bits) with bits[i] = [var > lo + i]."""
    lasts: list[tuple[cp_model.IntVar, tuple[str, ...]]] = field(default_factory=list)
    """(last[r, zone], its leavers)."""
    close_bits: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    """Closing room -> b[r, k] = [close[r] > k] for k = closing[r]..T-1."""
    open_bits: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    """Opened candidate -> o[r, k] = [open[r] > k] for k = 0..T-2."""
    move_bits: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    """Mover -> g[w, k] = [t[w] > k] for k = lo..hi-1 of its window (created on first use)."""

    @property
    def upper(self) -> int:
        """The latest month a move variable may take: T - 1, or 4T in an explanation model
        (where the horizon is a guarded rule)."""
        return 4 * self.inst.T if self.explain else self.inst.T - 1

    @property
    def horizon_end(self) -> int:
        """The end of the intervals that last until the end of the horizon."""
        return self.upper + 1

    def guard(self, *key: Hashable) -> list[cp_model.IntVar]:
        """Enforcement literals for the constraints of ``key`` ([] in a normal model)."""
        return guard_literals(self.model, self.guards, self.explain, key)

    def interval(
        self,
        start: cp_model.LinearExprT,
        size: cp_model.LinearExprT,
        end: cp_model.LinearExprT,
        key: tuple[Hashable, ...],
        name: str,
    ) -> cp_model.IntervalVar:
        """An interval, optional on the guard of ``key`` in an explanation model."""
        lits = self.guard(*key)
        if lits:
            return self.model.new_optional_interval_var(start, size, end, lits[0], name)
        return self.model.new_interval_var(start, size, end, name)

    def order_encoded(
        self, var: cp_model.IntVar, lo: int, hi: int, name: str
    ) -> list[cp_model.IntVar]:
        """Bits b[k] = [var > k] for k = lo..hi-1, so var = lo + sum_k b[k] and b[k] >= b[k+1]:
        any cost with increments step[k] = cost(k+1) - cost(k) is sum_k step[k] b[k], exact
        and linear for the LP relaxation."""
        m = self.model
        bits = [m.new_bool_var(f"{name}>{k}") for k in range(lo, hi)]
        m.add(var == lo + sum(bits))
        for a, b in itertools.pairwise(bits):
            m.add_implication(b, a)
        self.encodings.append((var, lo, bits))
        return bits

    def move_bit(self, wid: str, k: int) -> cp_model.IntVar:
        """The literal g[wid, k] = [t[wid] > k], for lo <= k < hi of its window (the move
        month is order-encoded on first use)."""
        mv = self.inst.mover[wid]
        if wid not in self.move_bits:
            self.move_bits[wid] = self.order_encoded(self.t[wid], mv.lo, mv.hi, f"t[{wid}]")
        return self.move_bits[wid][k - mv.lo]

    def moved_after(self, wid: str, k: int) -> cp_model.LinearExpr:
        """[t[wid] > k] as an expression (a constant outside its window)."""
        mv = self.inst.mover[wid]
        if k < mv.lo:
            return cp_model.LinearExpr.constant(1)
        if k >= mv.hi:
            return cp_model.LinearExpr.constant(0)
        return cp_model.LinearExpr.term(self.move_bit(wid, k), 1)

    def window_width(self, wid: str) -> int:
        """How many bits order-encoding the move month of ``wid`` takes."""
        mv = self.inst.mover[wid]
        return max(0, mv.hi - mv.lo)
