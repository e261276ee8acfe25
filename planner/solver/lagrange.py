"""A Lagrangian bound on the room layer: "every workload in exactly one room" relaxed.

With G[r] = F_open[r] - F_closed[r] and any multipliers lambda[w] (one per workload)
and nu[r, k] >= 0 (one per room and resource other than the room's knapsack resource
k(r) that its admissible workloads could overfill), the rooms' cost of every plan is
at least

    L(lambda, nu) = sum_r F_closed[r] + sum_w lambda[w] + min_y sum_r V[r](lambda, nu) y[r]

    s.t. sum_r C[r, k*] y[r] >= D[k*],  y[r] in {0, 1}  (1 for a room that must open,
                                                        0 for one that must close)
    V[r] = G'[r] - max_S P[r, S]
    G'[r] = G[r] - sum_k nu[r, k]
    P[r, S] = max sum_{w : zone(w) in S} (lambda[w] - c[w, r] - sum_k nu[r, k] d[w, k] / C[r, k])
                  x[w]
              s.t. sum_w d[w, k(r)] x[w] <= C[r, k(r)],  0 <= x[w] <= 1

where S runs over the maximal sets of zones no two of which conflict (the room's
zones in any plan are such a set: family ``separation``). Putting
lambda[w] (1 - sum_r x[w, r]) = 0 and nu[r, k] (sum_w d[w, k] x[w, r] / C[r, k] - open[r])
<= 0 into the objective and dropping "exactly one room" and the other resources'
capacities leaves one problem per room: open it at G'[r], choose its zones, and take
the workloads whose price exceeds their cost within one capacity; the rooms' choice
y keeps the cover, "the open rooms' capacity holds the total demand D[k*] =
sum_w d[w, k*]" in the resource k* where it is tightest (true of every plan: family
``capacity`` adds it as a cut). Without the cover each room opens when V[r] < 0; with
it, the shortfall is covered at least cost by a 0/1 knapsack of rooms, which lifts L
above the LP where the capacity is scarce (the LP may open 6.4 rooms; y opens
whole ones). x is fractional
(the fractional knapsack, solved greedily by profit per unit of weight), so V[r] is at
most the room's true best and L is a valid bound; site rules, suites, upgrades, the
room and move limits are dropped, which only lowers it. The best L is at least the
strong LP relaxation (x[w, r] <= open[r] and every capacity) of this relaxed problem,
and above it where zones conflict (a room open for one zone serves none of the
other): CP-SAT's root LP on a small estate, computed here in seconds where CP-SAT
needs minutes to solve the LP of 100,000 options or more.

(lambda, nu) climb by averaged subgradient steps (:mod:`planner.solver.subgradient`;
nu projected onto nu >= 0) from lambda[w] = w's cheapest option and nu = 0, without
the cover for the first steps and with it for the last :data:`COVER_SHARE`. Measured
(docs/benchmarks.md section 10): plain steps stall below the LP on generated
estates, averaged ones reach it; on Holmberg and OR-Library sets both converge
alike. The bound is computed in floating point less a margin of 1e-9 of the
magnitudes summed (far above the rounding error of the sums), then rounded up:
every plan costs a whole number of units.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from itertools import combinations

import numpy as np

from planner.solver.desk_lagrange import desk_bound
from planner.solver.problem import Problem
from planner.solver.results import Outcome, Status
from planner.solver.subgradient import Ascent, Bound, ascend

MAX_ZONE_SETS = 64
"""Most sets of compatible zones kept apart per room; above it every zone shares one
set (weaker, still valid)."""


def lagrangian_bound(
    p: Problem,
    *,
    time_limit_s: float = 5.0,
    target: int | None = None,
    max_steps: int = 3000,
    deterministic: bool = False,
) -> Bound | None:
    """The bound above for the room layer of ``p`` (desks ignored) after at most
    ``max_steps`` steps or ``time_limit_s`` seconds; ``target``: the cost (units) of a
    known plan of the rooms, which steers the steps; ``deterministic``: the time turned
    into a number of steps from the problem's size alone (:func:`deterministic_steps`;
    one worker: the same problem and limit always get the same steps) and the clock
    not read. None when a workload has no room (no plan exists) or there are no
    workloads."""
    start = time.monotonic()
    if deterministic:
        max_steps = min(max_steps, deterministic_steps(p, time_limit_s))
        time_limit_s = math.inf
    if not p.workloads or any(not wl.options for wl in p.workloads):
        return None
    data = _Options(p)
    n_w = data.n_w
    shape = data.other.shape

    def climb(cover: bool, start_at: np.ndarray, steps: int, until: float) -> Ascent:
        def evaluate(u: np.ndarray) -> tuple[float, np.ndarray]:
            value, used, over = data.evaluate(u[:n_w], u[n_w:].reshape(shape), cover)
            return value, np.concatenate([1.0 - used, over.ravel()])

        return ascend(
            evaluate,
            start_at,
            np.arange(len(start_at)) >= n_w,
            target=None if target is None else float(target),
            max_steps=steps,
            time_limit_s=until - (time.monotonic() - start),
        )

    # Without the cover first (its steps reach the LP), then with it from there.
    share = 1.0 if data.cover_need <= 0 else 1.0 - COVER_SHARE
    start_at = np.concatenate([data.cheapest(), data.no_nu().ravel()])
    climbed = climb(False, start_at, max(1, round(max_steps * share)), time_limit_s * share)
    steps = climbed.steps
    if share < 1.0 and steps < max_steps:
        covered = climb(True, climbed.point, max_steps - steps, time_limit_s)
        steps += covered.steps
        climbed = max(climbed, covered, key=lambda a: a.value)
    lam, nu = climbed.point[:n_w], climbed.point[n_w:].reshape(shape)
    value, _, _ = data.evaluate(lam, nu, True)
    margin = 1e-9 * data.magnitude(lam, nu)
    return Bound(math.ceil(value - margin), steps, time.monotonic() - start)


def zone_sets(p: Problem) -> list[frozenset[int]]:
    """The maximal sets of the problem's zones no two of which conflict (one set of
    every zone when more than :data:`MAX_ZONE_SETS` or more than 12 zones)."""
    every = frozenset(range(len(p.zones)))
    if not p.conflicts or len(p.zones) > 12:
        return [every]
    compatible = [
        frozenset(s)
        for n in range(len(p.zones), 0, -1)
        for s in combinations(range(len(p.zones)), n)
        if not any((a, b) in p.conflicts for a, b in combinations(s, 2))
    ]
    maximal = [s for s in compatible if not any(s < t for t in compatible)]
    return maximal if len(maximal) <= MAX_ZONE_SETS else [every]


class _Options:
    """The (workload, room) options as arrays: each room's knapsack resource k(r), the
    other resources it may run out of (relaxed with nu), and a copy of each option for
    every set of compatible zones that holds its workload's zone. The copies are kept
    in order of their cell (room, zone set), each cell's in the order of its options."""

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
        cap = np.array([room.capacity for room in rooms], dtype=np.float64).reshape(self.n_r, n_res)
        self.weight = np.zeros(len(ow))
        self.cap = np.full(self.n_r, np.inf)
        self.other = np.zeros((self.n_r, n_res), dtype=bool)
        self.scaled = np.zeros((len(ow), n_res))
        if n_res:
            load = np.zeros((self.n_r, n_res))
            np.add.at(load, self.orr, demand)
            fill = np.where(cap > 0, load / np.maximum(cap, 1e-300), np.where(load > 0, np.inf, 0))
            k = np.argmax(fill, axis=1)
            rows = np.arange(self.n_r)
            binding = fill[rows, k] > 1.0
            self.cap = np.where(binding, cap[rows, k], np.inf)
            self.weight = np.where(binding[self.orr], demand[np.arange(len(ow)), k[self.orr]], 0.0)
            # The other resources the room's workloads could overfill (a zero capacity
            # is left to the options: no workload with demand there is admitted).
            self.other = (fill > 1.0) & (cap > 0)
            self.other[rows, k] = False
            share = demand / np.maximum(cap[self.orr], 1e-300)
            self.scaled = np.where(self.other[self.orr], share, 0.0)
        sets = zone_sets(p)
        zone = np.array([wl.zone for wl in p.workloads], dtype=np.int64)[self.ow]
        copies = [np.nonzero(np.isin(zone, sorted(s)))[0] for s in sets]
        self.n_sets = len(sets)
        self.n_cells = self.n_r * self.n_sets
        cells = np.concatenate([self.orr[c] * self.n_sets + i for i, c in enumerate(copies)])
        by_cell = np.argsort(cells, kind="stable")
        copy_of = np.concatenate(copies)[by_cell]
        self.cell = cells[by_cell]
        self.copy_w = self.ow[copy_of]
        self.copy_room = self.orr[copy_of]
        self.copy_cost = self.oc[copy_of]
        self.copy_weight = self.weight[copy_of]
        # Per relaxed resource k: each copy's place of nu[room, k] in nu.ravel(), and share.
        self.relaxed = [int(k) for k in np.nonzero(self.other.any(axis=0))[0]]
        self.copy_nu = [self.copy_room * n_res + k for k in self.relaxed]
        self.copy_scaled = [np.ascontiguousarray(self.scaled[copy_of, k]) for k in self.relaxed]
        self.cell_cap = np.repeat(self.cap, self.n_sets)
        self.hint = np.zeros(self.n_cells)
        self.gain = np.array([room.cost_open - room.cost_closed for room in rooms], dtype=float)
        self.must_open = np.array([room.must_open for room in rooms], dtype=bool)
        self.must_close = np.array([room.must_close for room in rooms], dtype=bool)
        self.closed_cost = float(sum(room.cost_closed for room in rooms))
        # The cover: the open rooms' capacity in one resource holds the total demand.
        self.cover_cap = np.zeros(self.n_r, dtype=np.int64)
        self.cover_need = 0
        if n_res:
            total = [sum(wl.demand[k] for wl in p.workloads) for k in range(n_res)]
            room_cap = [
                sum(room.capacity[k] for room in rooms if not room.must_close) for k in range(n_res)
            ]
            tight = max(range(n_res), key=lambda k: total[k] / max(room_cap[k], 1))
            self.cover_cap = np.array([room.capacity[tight] for room in rooms], dtype=np.int64)
            self.cover_need = total[tight]

    def cheapest(self) -> np.ndarray:
        lam = np.full(self.n_w, np.inf)
        np.minimum.at(lam, self.ow, self.oc)
        return lam

    def no_nu(self) -> np.ndarray:
        return np.zeros(self.other.shape)

    def evaluate(
        self, lam: np.ndarray, nu: np.ndarray, cover: bool
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """L(lambda, nu); each workload's (fractional) take in the rooms the relaxation
        opens; for each room and relaxed resource, its take's share of the capacity
        less open[r] (the subgradient of nu).

        Each cell (room, zone set) takes its profitable copies greedily, highest
        profit per unit of weight first (equal ones in the cell's order), while its
        capacity lasts. Most copies come after that: where the copies of ratio above
        h = ``hint[cell]`` weigh more than the capacity, every copy of ratio <= h takes
        nothing and is left out of the sort (most of the time of a step) and of the
        sums, which add its zeros in order. Weights and capacities are whole numbers,
        so their sums are exact and the result is that of sorting every copy; the
        hint (:data:`HINT_SHARE` of each cell's last ratio taken at the last call)
        changes only the time."""
        flat = nu.ravel()
        price = np.zeros(len(self.cell))
        for at, scaled in zip(self.copy_nu, self.copy_scaled, strict=True):
            price += flat[at] * scaled
        profit = lam[self.copy_w] - self.copy_cost - price
        pick = np.nonzero(profit > 0)[0]
        weight = self.copy_weight[pick]
        cell = self.cell[pick]
        with np.errstate(divide="ignore"):
            ratio = np.where(weight > 0, profit[pick] / np.where(weight > 0, weight, 1), np.inf)
        above = ratio > self.hint[cell]
        crowded = np.bincount(cell, weights=weight * above, minlength=self.n_cells) > self.cell_cap
        keep = np.nonzero(above | ~crowded[cell])[0]
        order = keep[_order(cell[keep], -ratio[keep])]
        pick, weight, cell, ratio = pick[order], weight[order], cell[order], ratio[order]
        gain = profit[pick]
        cum = np.cumsum(weight)
        count = np.bincount(cell, minlength=self.n_cells)
        starts = (np.cumsum(count) - count)[cell]
        before = cum - weight - np.where(starts > 0, cum[starts - 1], 0.0)
        cap = self.cell_cap[cell]
        with np.errstate(divide="ignore", invalid="ignore"):
            take = np.where(
                weight > 0, np.clip((cap - before) / np.where(weight > 0, weight, 1), 0, 1), 1.0
            )
        take = np.where(np.isinf(cap), 1.0, take)
        self._remember(cell, ratio, (take > 0) & (weight > 0))
        by_set = np.bincount(cell, weights=gain * take, minlength=self.n_cells)
        by_set = by_set.reshape(self.n_r, self.n_sets)
        chosen = np.argmax(by_set, axis=1)
        best = by_set[np.arange(self.n_r), chosen]
        value_open = self.gain - (nu * self.other).sum(axis=1) - best
        is_open = self._cover(value_open, cover)
        total = self.closed_cost + float(lam.sum()) + float(value_open[is_open].sum())
        active = np.zeros(self.n_cells, dtype=bool)
        active[(np.arange(self.n_r) * self.n_sets + chosen)[is_open]] = True
        took = take * active[cell]
        used = np.bincount(self.copy_w[pick], weights=took, minlength=self.n_w)
        over = np.zeros(self.other.shape)
        room = self.copy_room[pick]
        for k, scaled in zip(self.relaxed, self.copy_scaled, strict=True):
            over[:, k] = np.bincount(room, weights=scaled[pick] * took, minlength=self.n_r)
        over = (over - is_open[:, None]) * self.other
        return total, used, over

    def _cover(self, value_open: np.ndarray, cover: bool) -> np.ndarray:
        """The rooms the relaxation opens: y minimising sum_r V'[r] y[r] subject to
        sum_r C[r, k*] y[r] >= D[k*] (the cover, below), y[r] = 1 where the room must
        open and 0 where it must close. Every room of negative V' opens; the shortfall
        left is covered at least cost by rooms of V' >= 0, a 0/1 knapsack solved by
        dynamic programming over capacity in units u (shortfall rounded down, each
        capacity up: the least cost found is at most the true least cost, so L stays a
        bound). No cover at all (no plan): every room that may open, opens. Without
        ``cover``, the rooms of negative V' (and those that must open)."""
        base = (self.must_open | (value_open < 0)) & ~self.must_close
        if not cover:
            return base
        short = self.cover_need - int(self.cover_cap[base].sum())
        if short <= 0:
            return base
        spare = np.nonzero(~base & ~self.must_close & (self.cover_cap > 0))[0]
        if int(self.cover_cap[spare].sum()) < short:
            out = base.copy()
            out[spare] = True
            return out
        unit = -(-short // MAX_COVER_CELLS)
        need = short // unit
        size = np.minimum(-(-self.cover_cap[spare] // unit), need)
        cost = value_open[spare]
        least = np.full(need + 1, np.inf)
        least[0] = 0.0
        took = np.zeros((len(spare), need + 1), dtype=bool)
        for i in range(len(spare)):
            s = int(size[i])
            shifted = np.empty(need + 1)
            shifted[:s] = 0.0
            shifted[s:] = least[: need + 1 - s]
            shifted += cost[i]
            took[i] = shifted < least
            least = np.minimum(least, shifted)
        out = base.copy()
        c = need
        for i in range(len(spare) - 1, -1, -1):
            if c > 0 and took[i, c]:
                out[spare[i]] = True
                c = max(0, c - int(size[i]))
        return out

    def _remember(self, cell: np.ndarray, ratio: np.ndarray, weighed: np.ndarray) -> None:
        """The hint of the next call: :data:`HINT_SHARE` of the ratio of the last copy
        of positive weight each cell took (``cell`` ascending, each cell's copies
        highest ratio first), 0 (sort every copy) in a cell that took none."""
        at = np.nonzero(weighed)[0]
        last = at[cell[at] != np.append(cell[at][1:], -1)]
        self.hint = np.zeros(self.n_cells)
        self.hint[cell[last]] = HINT_SHARE * ratio[last]

    def magnitude(self, lam: np.ndarray, nu: np.ndarray) -> float:
        """A scale of the floating-point sums in L (for the rounding margin)."""
        price = (nu[self.orr] * self.scaled).sum(axis=1)
        return (
            float(np.abs(lam).sum() + np.abs(self.gain).sum() + self.closed_cost)
            + float(np.abs(self.oc).sum() + price.sum())
            + float((nu * self.other).sum())
        )


COVER_SHARE = 1 / 3
"""Share of the steps (and time) climbing with the cover, from the best point of the
steps without it (docs/benchmarks.md section 12: with the cover from the start the
steps stall below the LP on generated estates, 65.02M against 65.22M on 50 councils'
rooms in 6 s; this way 65.22M, and OR-Library capa_10000 18.43M against 17.90M)."""

MAX_COVER_CELLS = 20_000
"""Most capacity units in the cover's dynamic programme (coarser above: still a bound)."""

HINT_SHARE = 0.8
"""Share of each cell's last ratio taken below which the next step leaves copies out
of the sort (measured on 337 generated councils: 27 ms a step at 0.5, 20 at 0.8, 18
at 0.9, where more cells sort every copy when the multipliers jump)."""


def _order(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """The permutation that sorts by (group, key, position): numpy's stable sort of
    floats is several times slower than its unstable one, so the positions break the
    ties in unique integer keys."""
    n = len(key)
    by_key = np.argsort(key)
    ranked = key[by_key]
    rank = np.cumsum(np.r_[False, ranked[1:] != ranked[:-1]])
    stable = np.sort(rank * n + by_key) % n
    place = np.empty(n, dtype=np.int64)
    place[stable] = np.arange(n)
    return stable[np.sort(group * n + place) % n]


def relaxed_bound(
    p: Problem, *, time_limit_s: float, deterministic: bool, target_units: int | None = None
) -> int | None:
    """A lower bound (units, before ``cost_offset``) on the whole problem: the rooms'
    Lagrangian bound plus the desks' (:mod:`planner.solver.desk_lagrange`, with
    :data:`DESK_SHARE` of the time); the layers share no constraint, so the bounds add.
    ``target_units``: a plan's cost (units), which steers the rooms' steps (its desks'
    part is taken off with the desks' bound). ``deterministic``: a fixed number of
    steps instead of a time (one worker: the same run gives the same bound). None when
    either layer has no bound."""
    desks = 0
    desk_s = time_limit_s * DESK_SHARE if p.workloads else time_limit_s
    if p.desks:
        found = desk_bound(p, time_limit_s=desk_s, deterministic=deterministic)
        if found is None:
            return None
        desks = found.units
    if not p.workloads:
        return desks
    room_s = time_limit_s - desk_s if p.desks else time_limit_s
    target = None if target_units is None else target_units - desks
    rooms = lagrangian_bound(p, time_limit_s=room_s, target=target, deterministic=deterministic)
    return None if rooms is None else rooms.units + desks


DESK_SHARE = 0.1
"""Share of :func:`relaxed_bound`'s time for the desks' bound when there are rooms too
(its start, the flow's dual prices, gives most of it: docs/benchmarks.md section 11)."""

SECONDS_PER_OPTION_STEP = 6.5e-8
"""About the time of one step per (workload, room) option (measured with the copies
left out of the sort, 2026-12-06: 22 ms a step on the 340,412 options of 337
generated councils, 8 ms on the 157,006 of 150, 2 ms on the 44,227 of 50; before it,
2.3e-7: 72, 26 and 7 ms)."""


def deterministic_steps(p: Problem, time_limit_s: float) -> int:
    """Steps that take about ``time_limit_s`` on ``p``, counted from its size alone (one
    worker: the same problem and limit always get the same steps), 10 to 3,000."""
    options = max(1, sum(len(wl.options) for wl in p.workloads))
    return max(10, min(3000, int(time_limit_s / (SECONDS_PER_OPTION_STEP * options))))


def with_relaxed_bound(
    p: Problem, out: Outcome, time_limit_s: float, deterministic: bool
) -> Outcome:
    """``out`` with the bound of :func:`relaxed_bound` when it is higher than CP-SAT's
    (and ``optimal`` when it reaches the plan's cost); unchanged for an optimal or
    infeasible outcome. A bound above the plan's cost is a bug and raises."""
    if out.status not in (Status.FEASIBLE, Status.UNKNOWN):
        return out
    start = time.monotonic()
    units = relaxed_bound(
        p, time_limit_s=time_limit_s, deterministic=deterministic, target_units=plan_units(p, out)
    )
    wall = out.wall_s + time.monotonic() - start
    if units is None:
        return replace(out, wall_s=wall)
    return replace(raised(p, out, units), wall_s=wall)


def plan_units(p: Problem, out: Outcome) -> int | None:
    """The cost (units, before ``cost_offset``) of ``out``'s plan; None without one."""
    return None if out.objective is None else round((out.objective - p.cost_offset) / p.cost_unit)


def raised(p: Problem, out: Outcome, units: int) -> Outcome:
    """``out`` with the bound ``units`` (before ``cost_offset``) when it is higher than
    ``out``'s, and ``optimal`` when it reaches the plan's cost. A bound above the plan's
    cost is a bug and raises."""
    plan = plan_units(p, out)
    if plan is not None and units > plan:
        raise RuntimeError(f"{p.name}: the bound {units} is above a plan of cost {plan}")
    money = p.objective_money(units)
    if out.bound is not None and money <= out.bound:
        return out
    if units == plan:
        return replace(out, status=Status.OPTIMAL, bound=out.objective)
    return replace(out, bound=money)
