"""A Lagrangian bound on the room layer: "every workload in exactly one room" relaxed.

With G[r] = F_open[r] - F_closed[r] and any multipliers lambda[w] (one per workload),
the rooms' cost of every plan is at least

    L(lambda) = sum_r F_closed[r] + sum_w lambda[w] + sum_r V[r](lambda)

    V[r] = min(0, G[r] - P[r])   (G[r] - P[r] for a room that must open, 0 for one
                                  that must close)
    P[r] = max sum_w (lambda[w] - c[w, r]) x[w]
           s.t. sum_w d[w, k(r)] x[w] <= C[r, k(r)],  0 <= x[w] <= 1

because putting lambda[w] (1 - sum_r x[w, r]) = 0 into the objective and dropping
"exactly one room" leaves one problem per room: open it at G[r] and take the
workloads whose price exceeds their cost, within its capacity. P[r] keeps one
resource k(r) of the room (the one its admissible workloads fill most) and lets x
be fractional (the fractional knapsack, solved greedily by profit per unit of
weight), so V[r] is at most the room's true best and L is a valid bound; side
rules (separation, site rules, suites, upgrades, the room and move limits) are
dropped, which only lowers it. With fractional x, max over lambda of L(lambda) is the
bound of the strong LP relaxation (x[w, r] <= open[r] and capacity) of this
relaxed problem: what CP-SAT's root LP gives on a small estate, computed here in a
second where CP-SAT needs minutes to solve the LP of 100,000 options or more.

lambda is improved by subgradient steps (Polyak's rule towards the best plan known,
the step halved when the bound stalls for 30 steps), from lambda[w] = w's cheapest
option (measured on Holmberg p30 and OR-Library capa-c: this start converges as
fast as the transportation bound's prices and needs no tuning). The bound is
computed in floating point less a margin of 1e-9 of the magnitudes summed (far
above the rounding error of the sums), then rounded up: every plan costs a whole
number of units.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from planner.solver.problem import Problem
from planner.solver.results import Outcome, Status

STALL = 30
"""Steps without a better bound before the step size is halved."""


@dataclass(frozen=True)
class Bound:
    units: int
    """The bound in cost units (every plan costs a whole number of units)."""
    steps: int
    seconds: float


def lagrangian_bound(
    p: Problem, *, time_limit_s: float = 5.0, target: int | None = None, max_steps: int = 1500
) -> Bound | None:
    """The bound above for the room layer of ``p`` (desks ignored) after at most
    ``max_steps`` steps or ``time_limit_s`` seconds; ``target``: the cost (units) of a
    known plan of the rooms, which steers the steps. None when a workload has no
    room (no plan exists) or there are no workloads."""
    start = time.monotonic()
    if not p.workloads or any(not wl.options for wl in p.workloads):
        return None
    data = _Options(p)
    lam = data.cheapest()
    best = -math.inf
    best_lam = lam
    theta, stall, steps = 1.0, 0, 0
    while steps < max_steps and time.monotonic() - start < time_limit_s:
        steps += 1
        value, used = data.evaluate(lam)
        if steps == 1 or value > best + 1e-9 * abs(best):
            best, best_lam, stall = value, lam, 0
        else:
            stall += 1
            if stall >= STALL:
                theta, stall = max(theta / 2, 1e-6), 0
        g = 1.0 - used
        norm = float(g @ g)
        if norm < 1e-12:
            break  # every workload in exactly one room: the relaxation's plan is whole
        goal = target if target is not None and target > value else value * 1.02 + 1.0
        lam = lam + theta * (goal - value) / norm * g
    value, _ = data.evaluate(best_lam)
    margin = 1e-9 * data.magnitude(best_lam)
    return Bound(math.ceil(value - margin), steps, time.monotonic() - start)


class _Options:
    """The (workload, room) options as arrays, each room's knapsack resource chosen."""

    def __init__(self, p: Problem) -> None:
        rooms = p.rooms
        n_res = len(p.resources)
        ow, orr, oc, od = [], [], [], []
        for w, wl in enumerate(p.workloads):
            for r, cost in wl.options:
                if rooms[r].must_close:
                    continue
                ow.append(w)
                orr.append(r)
                oc.append(cost)
                od.append(wl.demand if n_res else ())
        self.n_w, self.n_r = len(p.workloads), len(rooms)
        self.ow = np.array(ow, dtype=np.int64)
        self.orr = np.array(orr, dtype=np.int64)
        self.oc = np.array(oc, dtype=np.float64)
        demand = np.array(od, dtype=np.float64).reshape(len(ow), n_res)
        # k(r): the resource the room's admissible workloads fill most (any one is valid).
        cap = np.array([room.capacity for room in rooms], dtype=np.float64).reshape(self.n_r, n_res)
        self.weight = np.zeros(len(ow))
        self.cap = np.full(self.n_r, np.inf)
        if n_res:
            load = np.zeros((self.n_r, n_res))
            np.add.at(load, self.orr, demand)
            fill = np.where(cap > 0, load / np.maximum(cap, 1e-300), np.where(load > 0, np.inf, 0))
            k = np.argmax(fill, axis=1)
            binding = fill[np.arange(self.n_r), k] > 1.0
            self.cap = np.where(binding, cap[np.arange(self.n_r), k], np.inf)
            self.weight = np.where(binding[self.orr], demand[np.arange(len(ow)), k[self.orr]], 0.0)
        self.gain = np.array([room.cost_open - room.cost_closed for room in rooms], dtype=float)
        self.must_open = np.array([room.must_open for room in rooms], dtype=bool)
        self.must_close = np.array([room.must_close for room in rooms], dtype=bool)
        self.closed_cost = float(sum(room.cost_closed for room in rooms))

    def cheapest(self) -> np.ndarray:
        lam = np.full(self.n_w, np.inf)
        np.minimum.at(lam, self.ow, self.oc)
        return lam

    def evaluate(self, lam: np.ndarray) -> tuple[float, np.ndarray]:
        """L(lambda), and for each workload the rooms' (fractional) take of it in the
        rooms the relaxation opens."""
        profit = lam[self.ow] - self.oc
        idx = np.nonzero(profit > 0)[0]
        room = self.orr[idx]
        weight = self.weight[idx]
        gain = profit[idx]
        with np.errstate(divide="ignore"):
            ratio = np.where(weight > 0, gain / np.where(weight > 0, weight, 1), np.inf)
        order = np.lexsort((-ratio, room))
        room, weight, gain, idx = room[order], weight[order], gain[order], idx[order]
        cum = np.cumsum(weight)
        starts = np.searchsorted(room, room, side="left")
        before = cum - weight - np.where(starts > 0, cum[starts - 1], 0.0)
        cap = self.cap[room]
        with np.errstate(divide="ignore", invalid="ignore"):
            take = np.where(
                weight > 0, np.clip((cap - before) / np.where(weight > 0, weight, 1), 0, 1), 1.0
            )
        take = np.where(np.isinf(cap), 1.0, take)
        best = np.bincount(room, weights=gain * take, minlength=self.n_r)
        value_open = self.gain - best
        is_open = (self.must_open | (value_open < 0)) & ~self.must_close
        total = self.closed_cost + float(lam.sum()) + float(value_open[is_open].sum())
        used = np.bincount(self.ow[idx], weights=take * is_open[room], minlength=self.n_w)
        return total, used

    def magnitude(self, lam: np.ndarray) -> float:
        """A scale of the floating-point sums in L (for the rounding margin)."""
        return float(np.abs(lam).sum() + np.abs(self.gain).sum() + self.closed_cost) + float(
            np.abs(self.oc).sum()
        )


def relaxed_bound(
    p: Problem, *, time_limit_s: float, deterministic: bool, target_units: int | None = None
) -> int | None:
    """A lower bound (units, before ``cost_offset``) on the whole problem: the rooms'
    Lagrangian bound plus the desks' flow bound (:mod:`planner.solver.families.desk_bound`);
    the layers share no constraint, so the bounds add. ``target_units``: a plan's cost
    (units), which steers the rooms' steps (its desks' part is taken off with the desks'
    bound). ``deterministic``: a fixed number of steps instead of a time (one worker: the
    same run gives the same bound). None when either layer has no bound."""
    from planner.solver.families.desk_bound import staffing_bound

    desks = 0
    if p.desks:
        found = staffing_bound(p)
        if found is None:
            return None
        desks = found
    if not p.workloads:
        return desks
    target = None if target_units is None else target_units - desks
    rooms = (
        lagrangian_bound(
            p, time_limit_s=math.inf, target=target, max_steps=deterministic_steps(p, time_limit_s)
        )
        if deterministic
        else lagrangian_bound(p, time_limit_s=time_limit_s, target=target)
    )
    return None if rooms is None else rooms.units + desks


SECONDS_PER_OPTION_STEP = 2e-7
"""About the time of one step per (workload, room) option (measured: 26 ms a step on
the 157,006 options of 150 generated councils, 3 ms on the 100,000 of capa, most of
whose options are never profitable)."""


def deterministic_steps(p: Problem, time_limit_s: float) -> int:
    """Steps that take about ``time_limit_s`` on ``p``, counted from its size alone (one
    worker: the same problem and limit always get the same steps), 10 to 1,500."""
    options = max(1, sum(len(wl.options) for wl in p.workloads))
    return max(10, min(1500, int(time_limit_s / (SECONDS_PER_OPTION_STEP * options))))


def with_relaxed_bound(
    p: Problem, out: Outcome, time_limit_s: float, deterministic: bool
) -> Outcome:
    """``out`` with the bound of :func:`relaxed_bound` when it is higher than CP-SAT's
    (and ``optimal`` when it reaches the plan's cost); unchanged for an optimal or
    infeasible outcome. A bound above the plan's cost is a bug and raises."""
    if out.status not in (Status.FEASIBLE, Status.UNKNOWN):
        return out
    start = time.monotonic()
    plan_units = None
    if out.objective is not None:
        plan_units = round((out.objective - p.cost_offset) / p.cost_unit)
    units = relaxed_bound(
        p, time_limit_s=time_limit_s, deterministic=deterministic, target_units=plan_units
    )
    wall = out.wall_s + time.monotonic() - start
    if units is None:
        return replace(out, wall_s=wall)
    if plan_units is not None and units > plan_units:
        raise RuntimeError(
            f"{p.name}: the Lagrangian bound {units} is above a plan of cost {plan_units}"
        )
    money = p.objective_money(units)
    if out.bound is not None and money <= out.bound:
        return replace(out, wall_s=wall)
    if plan_units is not None and units == plan_units:
        return replace(out, status=Status.OPTIMAL, bound=out.objective, wall_s=wall)
    return replace(out, bound=money, wall_s=wall)
