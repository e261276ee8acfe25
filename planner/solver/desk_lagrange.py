"""A Lagrangian bound on the desk layer: "every organisation at exactly one desk" relaxed.

For desk d let G[d] = G_open[d] - G_closed[d], g[d] its cost per FTE, tpf[d] its
tickets per FTE and S[d] its seats; organisation o has T[o] tickets and may use the
desks D(o). For any multipliers lambda[o], every plan of the desks costs at least

    L(lambda) = sum_d G_closed[d] + sum_o lambda[o] + sum_d V[d](lambda)

    V[d] = min(0, min_{k = 0..S[d]} G[d] + g[d] k - K[d](tpf[d] k))
    K[d](c) = max sum_{o : d in D(o)} lambda[o] x[o]
              s.t. sum_o T[o] x[o] <= c,  x[o] in {0, 1}

Proof: a closed desk costs G_closed[d] and serves nobody (the 0 in V[d]); an open
desk with k staff serves a set O of organisations with T(O) <= tpf[d] k and k <= S[d]
(family ``desks``) and costs G_closed[d] + G[d] + g[d] k = G_closed[d] + (G[d] + g[d] k
- lambda(O)) + lambda(O) >= G_closed[d] + V[d] + lambda(O). Summed over the desks each
organisation's lambda is counted once, since it is served once. The limit on open
desks and "a desk that serves nobody closes" are dropped, which only lowers L.

The knapsack is 0/1 and the staff whole: an organisation is not split over desks,
nor a desk's load spread over fractional staff. The flow bound
(:mod:`planner.solver.families.desk_bound`) allows both, and is what L gives with
fractional x and k; measured on generated estates (docs/benchmarks.md section 11):
150 councils 179.97M -> 181.06M, 50 councils 74.00M -> 74.41M.

K[d] is solved by dynamic programming over the capacity counted in units of the
greatest common divisor of every ticket count and tickets per FTE; desks open to the
same organisations share one table (generated estates have two or three). A table
longer than :data:`MAX_CELLS` is coarsened by a factor s: weights rounded down to
floor(T[o] / s), capacities up to ceil(c / s); every set that fits still fits, so L
stays a bound (a weaker one). lambda climbs by the subgradient steps of
:mod:`planner.solver.subgradient` (subgradient 1 - number of desks serving o) from
lambda[o] = T[o] min_{d in D(o)} rho[d], the flow's cheapest rate per ticket. The
bound is computed in floating point less a margin of 1e-9 of the magnitudes summed,
then rounded up (every plan costs a whole number of units).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

import numpy as np

from planner.solver.families.desk_bound import SCALE, cheapest_flow
from planner.solver.problem import Problem
from planner.solver.subgradient import Bound, ascend

MAX_CELLS = 20_000
"""Longest knapsack table (capacity cells) before it is coarsened."""
MAX_COLUMNS = 100_000
"""Most columns recorded for :mod:`planner.solver.desk_columns`."""
SECONDS_PER_CELL_STEP = 1.0e-8
"""About the time of one step per (organisation, capacity cell) of the tables (measured:
4 ms a step on the 412,000 of 150 generated councils, 1.5 ms on the 164,000 of 50)."""


class _Tables:
    """The desks grouped by the organisations they may serve, with the knapsack data."""

    def __init__(self, p: Problem) -> None:
        self.p = p
        orgs, desks = p.organisations, p.desks
        unit = 0
        for value in [o.tickets for o in orgs] + [d.tickets_per_fte for d in desks]:
            unit = math.gcd(unit, max(0, value))
        unit = max(1, unit)
        cells = max((max(0, d.tickets_per_fte) // unit) * d.seats for d in desks)
        self.coarse = max(1, -(-cells // MAX_CELLS))
        self.weight = np.array([max(0, o.tickets) // unit // self.coarse for o in orgs])
        users: dict[int, list[int]] = defaultdict(list)
        for o, org in enumerate(orgs):
            for d in dict.fromkeys(org.options):
                users[d].append(o)
        groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for d in range(len(desks)):
            groups[tuple(users[d])].append(d)
        self.groups = list(groups.items())
        per_fte = [max(0, d.tickets_per_fte) // unit for d in desks]
        self.capacity = [
            np.array([-(-(per_fte[i] * k) // self.coarse) for k in range(d.seats + 1)])
            for i, d in enumerate(desks)
        ]
        self.cost = [
            (d.cost_open - d.cost_closed) + d.cost_per_fte * np.arange(d.seats + 1, dtype=float)
            for d in desks
        ]
        self.closed = float(sum(d.cost_closed for d in desks))
        self.columns: set[tuple[int, tuple[int, ...]]] | None = None
        """When a set: every (desk, organisations) the relaxation serves, recorded."""
        self.cells = sum(len(items) * (1 + self.top(ds)) for items, ds in self.groups)

    def top(self, desks: list[int]) -> int:
        """The longest capacity (cells) of these desks."""
        return max(int(self.capacity[d][-1]) for d in desks)

    def start(self, rate: list[int], shares: list[dict[int, int]]) -> np.ndarray:
        """lambda[o] = T[o] u[o], u the flow's dual prices per ticket (:func:`_prices`);
        T[o] times the cheapest rate of o's desks if they do not settle."""
        prices = _prices(self.p, shares, rate)
        if prices is not None:
            return prices
        orgs = self.p.organisations
        return np.array(
            [o.tickets * min((rate[d] for d in o.options), default=0) / SCALE for o in orgs]
        )

    def evaluate(self, lam: np.ndarray) -> tuple[float, np.ndarray]:
        """L(lambda) and each organisation's number of desks serving it in the relaxation."""
        total = self.closed + float(lam.sum())
        served = np.zeros(len(lam))
        for members, desks in self.groups:
            items = [o for o in members if lam[o] > 0]
            top = self.top(desks)
            best = np.zeros(top + 1)
            keep = np.zeros((len(items), top + 1), dtype=bool)
            for i, o in enumerate(items):
                w = int(self.weight[o])
                if w > top:
                    continue
                taken = best[: top + 1 - w] + lam[o]
                better = taken > best[w:]
                keep[i, w:] = better
                best[w:] = np.where(better, taken, best[w:])
            ceiling = np.maximum.accumulate(best)
            where = np.maximum.accumulate(np.where(best >= ceiling, np.arange(top + 1), 0))
            at: list[int] = []
            opened: list[int] = []
            for d in desks:
                values = self.cost[d] - ceiling[self.capacity[d]]
                k = int(np.argmin(values))
                if values[k] < 0:
                    total += float(values[k])
                    at.append(int(where[self.capacity[d][k]]))
                    opened.append(d)
            if not at:
                continue
            cell = np.array(at)
            chosen = np.zeros((len(items), len(at)), dtype=bool)
            for i in range(len(items) - 1, -1, -1):
                took = keep[i, cell]
                chosen[i] = took
                served[items[i]] += int(took.sum())
                cell = cell - took * int(self.weight[items[i]])
            if self.columns is not None and len(self.columns) < MAX_COLUMNS:
                for j, d in enumerate(opened):
                    picked = tuple(items[i] for i in np.nonzero(chosen[:, j])[0])
                    if picked:
                        self.columns.add((d, picked))
        return total, 1.0 - served

    def magnitude(self, lam: np.ndarray) -> float:
        return (
            self.closed + float(np.abs(lam).sum()) + sum(float(np.abs(c).sum()) for c in self.cost)
        )


def desk_bound(
    p: Problem,
    *,
    time_limit_s: float = 5.0,
    target: int | None = None,
    max_steps: int = 3000,
    deterministic: bool = False,
    columns: set[tuple[int, tuple[int, ...]]] | None = None,
) -> Bound | None:
    """The larger of L above (after at most ``max_steps`` steps or ``time_limit_s``
    seconds) and the flow bound, in units, for the desk layer of ``p`` (rooms ignored);
    ``target``: the cost (units) of a known plan of the desks, which steers the steps;
    ``deterministic``: the time turned into a number of steps from the tables' size
    alone (:func:`deterministic_steps`; one worker: the same problem and limit always
    get the same steps) and the clock not read; ``columns``: a set that receives every
    (desk, organisations served) of the relaxation's steps
    (:mod:`planner.solver.desk_columns`). None when the flow finds no fractional plan
    (then no plan exists)."""
    began = time.monotonic()
    found = cheapest_flow(p)
    if found is None:
        return None
    flow, shares, rate = found
    if not p.organisations:
        return Bound(flow, 0, time.monotonic() - began)
    tables = _Tables(p)
    tables.columns = columns
    if deterministic:
        max_steps = min(max_steps, deterministic_steps(tables.cells, time_limit_s))
        time_limit_s = math.inf
    climbed = ascend(
        tables.evaluate,
        tables.start(rate, shares),
        np.zeros(len(p.organisations), dtype=bool),
        target=None if target is None else float(target),
        max_steps=max_steps,
        time_limit_s=time_limit_s,
    )
    value, _ = tables.evaluate(climbed.point)
    units = math.ceil(value - 1e-9 * tables.magnitude(climbed.point))
    return Bound(max(flow, units), climbed.steps, time.monotonic() - began)


def deterministic_steps(cells: int, time_limit_s: float) -> int:
    """Steps that take about ``time_limit_s`` on tables of ``cells`` (organisation,
    capacity cell) pairs, 10 to 3,000."""
    return max(10, min(3000, int(time_limit_s / (SECONDS_PER_CELL_STEP * max(1, cells)))))


def _prices(p: Problem, shares: list[dict[int, int]], rate: list[int]) -> np.ndarray | None:
    """T[o] u[o] for the optimal dual prices u of the flow's transportation LP (rows
    sum_d f[o, d] = T[o]), from node potentials of its residual network: arcs o -> d
    (cost rho[d], always residual), d -> o (-rho[d], where o sends flow to d), d -> t
    (0, below capacity) and t -> d (0, where d carries flow). pi, the shortest
    distances from a root joined to every node at cost 0 (Bellman-Ford, vectorised),
    keeps every residual arc's reduced cost >= 0 (complementary slackness) and
    u[o] = pi[t] - pi[o]. None when the distances do not settle (they do at an optimal
    flow: no negative cycle)."""
    n_o, n_d = len(p.organisations), len(p.desks)
    sink = n_o + n_d
    load = [0] * n_d
    tails, heads, costs = [], [], []
    for o, org in enumerate(p.organisations):
        for d in dict.fromkeys(org.options):
            tails.append(o)
            heads.append(n_o + d)
            costs.append(rate[d])
            if shares[o].get(d, 0) > 0:
                tails.append(n_o + d)
                heads.append(o)
                costs.append(-rate[d])
                load[d] += shares[o][d]
    for d, desk in enumerate(p.desks):
        if load[d] < desk.seats * max(0, desk.tickets_per_fte):
            tails.append(n_o + d)
            heads.append(sink)
            costs.append(0)
        if load[d] > 0:
            tails.append(sink)
            heads.append(n_o + d)
            costs.append(0)
    tail, head = np.array(tails), np.array(heads)
    cost = np.array(costs, dtype=float)
    pi = np.zeros(sink + 1)
    for _ in range(sink + 2):
        nearer = pi.copy()
        np.minimum.at(nearer, head, pi[tail] + cost)
        if np.array_equal(nearer, pi):
            tickets = np.array([o.tickets for o in p.organisations], dtype=float)
            return tickets * (pi[sink] - pi[:n_o]) / SCALE
        pi = nearer
    return None
