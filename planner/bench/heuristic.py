"""A quick local search for SSCFLP plans, used as the search hint of the benchmark problems.

The solver proves and improves; a good first plan lets it prune early (reduced-cost
fixing needs a good incumbent) and gives its neighbourhood search a sensible start.
The hint never changes the objective or the bound, only how fast they are found.

Moves, on plan (open set S, assignment a):

* **shift**: customer i moves from a(i) to another open facility with room;
* **swap**: customers i and k on different facilities exchange facilities
  (both capacities checked);
* **close** j: its customers are re-placed greedily (largest regret first) on the
  other open facilities, and j's fixed cost is saved;
* **open** k: customers move to k while that saves (largest saving first, within
  k's capacity), paying f_k;
* **exchange** j for k: close j, open k, re-place j's customers over S - j + k.

Each facility move is followed by shift/swap descent; a move is kept only if
the total falls. Everything is integer, so the plan's cost is exact.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from numpy.typing import NDArray

from planner.bench.sscflp import Instance, to_problem
from planner.solver import Problem, SolveOptions, Status, solve

Int = NDArray[np.int64]
Bool = NDArray[np.bool_]


class Plan:
    """Open set, assignment and loads, with the cost kept up to date."""

    def __init__(self, inst: Instance) -> None:
        self.c: Int = np.array(inst.cost, dtype=np.int64)  # J x I
        self.d: Int = np.array(inst.demand, dtype=np.int64)
        self.s: Int = np.array(inst.capacity, dtype=np.int64)
        self.f: Int = np.array(inst.fixed, dtype=np.int64)
        self.n_fac, self.n_cus = self.c.shape
        self.cols = np.arange(self.n_cus)
        self.open: Bool = np.zeros(self.n_fac, dtype=bool)
        self.a: Int = np.full(self.n_cus, -1, dtype=np.int64)
        self.load: Int = np.zeros(self.n_fac, dtype=np.int64)

    def copy(self) -> Plan:
        other = object.__new__(Plan)
        other.__dict__.update(self.__dict__)
        other.open = self.open.copy()
        other.a = self.a.copy()
        other.load = self.load.copy()
        return other

    @property
    def cost(self) -> int:
        used = np.zeros(self.n_fac, dtype=bool)
        used[self.a] = True
        return int(self.f[used].sum() + self.c[self.a, self.cols].sum())

    def tidy(self) -> None:
        """Close open facilities that serve nobody."""
        used = np.zeros(self.n_fac, dtype=bool)
        used[self.a] = True
        self.open &= used

    # ------------------------------------------------------------ placement

    def place(self, customers: Int, allowed: Bool) -> bool:
        """Place ``customers`` (unassigned) on ``allowed`` facilities: largest regret (second
        cheapest minus cheapest allowed cost) first, each on its cheapest facility with room."""
        if len(customers) == 0:
            return True
        big = np.iinfo(np.int64).max // 4
        price = np.where(allowed[:, None], self.c[:, customers], big)
        if price.shape[0] > 1:
            part = np.partition(price, 1, axis=0)
            regret = part[1] - part[0]
        else:
            regret = np.zeros(len(customers), dtype=np.int64)
        for n in np.argsort(-regret, kind="stable"):
            i = int(customers[n])
            col = np.where(self.load + self.d[i] <= self.s, price[:, n], big)
            j = int(np.argmin(col))
            if col[j] >= big:
                return False
            self.a[i] = j
            self.load[j] += self.d[i]
        return True

    # ------------------------------------------------------------ descent

    def shift_descent(self) -> None:
        """Move single customers while any move lowers the cost: each round applies the
        improving moves best first, skipping those an earlier one made infeasible."""
        while True:
            cur = self.c[self.a, self.cols]
            fits = (self.load[:, None] + self.d[None, :] <= self.s[:, None]) & self.open[:, None]
            delta = np.where(fits, self.c - cur[None, :], 0)
            best_j = np.argmin(delta, axis=0)
            gain = delta[best_j, self.cols]
            order = np.argsort(gain)
            if gain[order[0]] >= 0:
                return
            for i in order:
                if gain[i] >= 0:
                    break
                j, old = int(best_j[i]), int(self.a[i])
                if self.load[j] + self.d[i] > self.s[j]:
                    continue  # an earlier move this round filled j
                self.load[old] -= self.d[i]
                self.load[j] += self.d[i]
                self.a[i] = j

    def swap_descent(self, max_rounds: int = 50) -> bool:
        """Exchange pairs of customers while that lowers the cost; True if anything moved."""
        moved = False
        if self.n_cus > 3000:
            return False
        for _ in range(max_rounds):
            a = self.a
            cur = self.c[a, self.cols]
            # delta[i, k]: i goes to a(k) (cost c[a(k), i]), k goes to a(i) (c[a(i), k])
            to_other = self.c[a, :]  # to_other[k, i] = c[a(k), i]
            delta = to_other.T + to_other - cur[:, None] - cur[None, :]
            di = self.d[:, None]
            dk = self.d[None, :]
            slack = self.s[a] - self.load[a]  # slack of each customer's facility
            feas = (dk - di <= slack[:, None]) & (di - dk <= slack[None, :])
            feas &= a[:, None] != a[None, :]
            delta = np.where(feas, delta, 0)
            flat_delta = delta.ravel()
            top = min(4 * self.n_cus, flat_delta.size - 1)
            order = np.argpartition(flat_delta, top)[:top]
            order = order[np.argsort(flat_delta[order])]
            moved_now: set[int] = set()
            applied = 0
            for flat in order:
                i, k = divmod(int(flat), self.n_cus)
                if flat_delta[flat] >= 0:
                    break
                if i in moved_now or k in moved_now:
                    continue
                ji, jk = int(a[i]), int(a[k])
                if (
                    self.load[ji] - self.d[i] + self.d[k] > self.s[ji]
                    or self.load[jk] - self.d[k] + self.d[i] > self.s[jk]
                ):
                    continue  # earlier swaps this round changed the loads
                moved_now.update((i, k))
                self.load[ji] += self.d[k] - self.d[i]
                self.load[jk] += self.d[i] - self.d[k]
                self.a[i], self.a[k] = jk, ji
                applied += 1
            if not applied:
                return moved
            moved = True
            self.shift_descent()
        return moved

    def descend(self) -> None:
        self.shift_descent()
        while self.swap_descent():
            pass
        self.tidy()

    # ------------------------------------------------------------ facility moves

    def closed(self, j: int, add: int | None = None) -> Plan | None:
        """This plan with j closed (and ``add`` opened), j's customers re-placed; None if stuck."""
        p = self.copy()
        mine = np.nonzero(p.a == j)[0]
        p.open[j] = False
        if add is not None:
            p.open[add] = True
        p.load[j] = 0
        p.a[mine] = -1
        if not p.place(mine, p.open):
            return None
        if add is not None:
            p.attract(add)
        return p

    def attract(self, k: int) -> None:
        """Move customers to open facility k while each move saves (largest saving first)."""
        saving = self.c[self.a, self.cols] - self.c[k]
        for i in np.argsort(-saving):
            if saving[i] <= 0:
                break
            if self.a[i] == k or self.load[k] + self.d[i] > self.s[k]:
                continue
            self.load[self.a[i]] -= self.d[i]
            self.load[k] += self.d[i]
            self.a[i] = k

    def opened(self, k: int) -> Plan:
        p = self.copy()
        p.open[k] = True
        p.attract(k)
        return p


def initial(inst: Instance) -> Plan | None:
    """Open the facilities cheapest per unit of capacity (fixed plus average service cost)
    until they hold 1.1 x the demand, place every customer, then descend."""
    p = Plan(inst)
    total = int(p.d.sum())
    per_unit = (p.f + np.sort(p.c, axis=1)[:, : max(1, p.n_cus // 4)].mean(axis=1)) / np.maximum(
        p.s, 1
    )
    cap = 0
    for j in np.argsort(per_unit, kind="stable"):
        if cap >= 1.1 * total:
            break
        p.open[j] = True
        cap += int(p.s[j])
    if not p.place(np.arange(p.n_cus), p.open):
        p.open[:] = True
        p.a[:] = -1
        p.load[:] = 0
        if not p.place(np.arange(p.n_cus), p.open):
            return None
    p.descend()
    return p


def local_search(inst: Instance, time_limit_s: float = 5.0, seed: int = 0) -> Plan | None:
    """The best plan found from :func:`initial` by facility moves within ``time_limit_s``.

    Each round tries close, open and exchange moves in a random order (a trial is the
    move plus shift descent) and keeps the first that lowers the cost, after a full
    descent; it stops when a round finds nothing or the time is up.
    """
    start = time.monotonic()
    best = initial(inst)
    if best is None:
        return None
    best_cost = best.cost
    rng = np.random.default_rng(seed)
    improved = True
    while improved and time.monotonic() - start < time_limit_s:
        improved = False
        open_j = [int(j) for j in np.nonzero(best.open)[0]]
        shut_k = [int(k) for k in np.nonzero(~best.open)[0]]
        candidates: list[tuple[int, int | None]] = [(j, None) for j in open_j]
        candidates += [(-1, k) for k in shut_k]
        for j in open_j:
            # exchange j with the closed facilities cheapest for j's customers
            near = np.argsort(best.c[:, best.a == j].sum(axis=1))
            candidates += [(j, int(k)) for k in near[:5] if not best.open[k]]
        for n in rng.permutation(len(candidates)):
            if time.monotonic() - start >= time_limit_s:
                break
            j, k = candidates[n]
            trial = best.opened(k) if j < 0 and k is not None else best.closed(j, k)
            if trial is None:
                continue
            trial.shift_descent()
            if trial.cost < best_cost:
                trial.descend()
                best, best_cost, improved = trial, trial.cost, True
                break
    return best


def iterated(
    inst: Instance, time_limit_s: float = 5.0, seed: int = 0, patience: int = 50
) -> Plan | None:
    """:func:`local_search`, then kicks while time remains and fewer than ``patience``
    kicks in a row failed: exchange one or two random open facilities for closed ones
    near them, descend, keep the result if it is cheaper."""
    start = time.monotonic()
    best = local_search(inst, time_limit_s / 2, seed)
    if best is None:
        return None
    best_cost = best.cost
    rng = np.random.default_rng(seed + 1)
    failed = 0
    while time.monotonic() - start < time_limit_s and failed < patience:
        failed += 1
        trial: Plan | None = best.copy()
        for _ in range(int(rng.integers(1, 3))):
            assert trial is not None
            open_j = np.nonzero(trial.open)[0]
            shut = np.nonzero(~trial.open)[0]
            if len(open_j) == 0 or len(shut) == 0:
                break
            j = int(rng.choice(open_j))
            near = shut[np.argsort(trial.c[shut][:, trial.a == j].sum(axis=1))][:5]
            trial = trial.closed(j, int(rng.choice(near)))
            if trial is None:
                break
        if trial is None:
            continue
        trial.descend()
        if trial.cost < best_cost:
            best, best_cost, failed = trial, trial.cost, 0
    return best


KERNEL_MIN_SIZE = 50_000
"""Facilities x customers from which :func:`improve` adds kernel search to the local search."""


def kernel_search(
    inst: Instance, plan: Plan, time_limit_s: float, seed: int = 0, width: int = 10
) -> Plan:
    """Improve ``plan`` by solving restricted problems with the planner's own solver.

    Each round builds the benchmark problem with every customer's options cut to a
    kernel of facilities: the open ones plus the ``width`` closed ones whose opening
    would save most (f_k minus the savings of moving customers to k, within its
    capacity), hints the current plan and solves it with a share of the time. The
    restricted optimum is an upper bound for the full problem only; the full solve
    that follows gives the bound. Rounds go on while the time lasts; a kernel solved
    to optimality without a better plan is widened (x 1.5 + 2) for the next round.
    """
    start = time.monotonic()
    base = to_problem(inst)
    best = plan.copy()
    rounds = 0
    while True:
        left = time_limit_s - (time.monotonic() - start)
        if left < 1.0:
            return best
        cur = best.c[best.a, best.cols]
        scores = []
        for k in np.nonzero(~best.open)[0]:
            saving = cur - best.c[k]
            room, total = int(best.s[k]), 0
            for i in np.argsort(-saving):
                if saving[i] <= 0:
                    break
                if best.d[i] <= room:
                    room -= int(best.d[i])
                    total += int(saving[i])
            scores.append((int(best.f[k]) - total, int(k)))
        kernel = {int(j) for j in np.nonzero(best.open)[0]}
        kernel |= {k for _, k in sorted(scores)[:width]}
        workloads = tuple(
            dataclasses.replace(
                wl, options=tuple(o for o in wl.options if o[0] in kernel), today=int(best.a[i])
            )
            for i, wl in enumerate(base.workloads)
        )
        rooms = tuple(
            dataclasses.replace(room, existing=bool(best.open[j]))
            for j, room in enumerate(base.rooms)
        )
        restricted = dataclasses.replace(base, workloads=workloads, rooms=rooms)
        share = min(left, max(2.0, time_limit_s / 4))
        out = solve(restricted, SolveOptions(time_limit_s=share, workers=2, seed=seed + rounds))
        rounds += 1
        if out.solution is None:
            return best
        trial = best.copy()
        trial.a = np.array(out.solution.assignment, dtype=np.int64)
        trial.open = np.zeros(trial.n_fac, dtype=bool)
        trial.open[trial.a] = True
        trial.load = np.bincount(trial.a, weights=trial.d, minlength=trial.n_fac).astype(np.int64)
        if trial.cost < best.cost:
            best = trial
        elif out.status is Status.OPTIMAL:
            # the kernel around this plan holds nothing better: widen it
            if len(kernel) >= inst.facilities:
                return best
            width = width * 3 // 2 + 2


def improve(inst: Instance, time_limit_s: float, seed: int = 0) -> Plan | None:
    """The hint plan: :func:`iterated` local search, then, for large instances
    (facilities x customers >= :data:`KERNEL_MIN_SIZE`), :func:`kernel_search` with the
    time left. Small instances stop early (the local search's patience)."""
    start = time.monotonic()
    large = inst.facilities * inst.customers >= KERNEL_MIN_SIZE
    plan = iterated(inst, time_limit_s * (0.15 if large else 1.0), seed)
    if plan is None or not large:
        return plan
    return kernel_search(inst, plan, time_limit_s - (time.monotonic() - start), seed)


HINTS = ("search", "greedy", "open", "none")


def hinted_problem(inst: Instance, hint: str = "search", hint_time_s: float = 1.0) -> Problem:
    """The solver's problem for ``inst`` with a search hint as "today's estate".

    ``hint``: 'search' (:func:`improve`: local search, plus kernel search on large
    instances, within ``hint_time_s`` seconds), 'greedy' (the local search's starting
    plan), 'open' (every facility open, no assignment) or 'none' (every facility
    closed, no assignment).
    """
    if hint not in HINTS:
        raise ValueError(f"unknown hint {hint!r}")
    if hint == "open":
        return to_problem(inst, opened=[True] * inst.facilities)
    plan = None
    if hint == "search":
        plan = improve(inst, hint_time_s)
    elif hint == "greedy":
        plan = initial(inst)
    if plan is None:
        return to_problem(inst)
    return to_problem(inst, opened=[bool(v) for v in plan.open], today=[int(j) for j in plan.a])
