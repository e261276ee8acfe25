"""Shapley values of the savings game (spec/explore.md, "Shapley"): each partner's fair
share of what consolidating saves.

The game. The players are the estate's organisations (the partners), in inventory
order. The value of a coalition S is

    v(S) = z({}) - z(S)

where z(S) is the target model's optimum (one-off + A x running cost, GBP: the objective
``planner optimise`` minimises, without --max-rooms or --max-desks) when only S
consolidates (:mod:`planner.explore.coalition`): workloads and desks of organisations
outside S stay as they are today, their rooms and desks stay open and take nothing new
from S; S may use its members' rooms and desks, the candidate rooms, and what each of
its workloads and organisations uses today. z({}) is today's estate (everything stays),
the game's baseline (``baseline_objective``); v({}) = 0 and v(N) = z({}) - z(N) is the
plan's saving against today (z(N) is the plan's target objective when no limit is
given).

Exact values (n <= :data:`EXACT_UP_TO` partners, no ``samples``): every coalition is
solved once (2^n tasks, the empty one included), and

    phi_i = sum_{S subset of N - {i}} |S|! (n - |S| - 1)! / n! (v(S + i) - v(S)),

which add up to v(N) (efficiency). Sampled values (more partners, or ``samples`` = m):
m random orders of the partners (seeded: the same seed gives the same orders), each
coalition a prefix of an order solved once however many orders share it, and phi_i =
the mean over the orders of i's marginal contribution v(P + i) - v(P), P the partners
before i; its standard error is the sample standard deviation / sqrt(m). Each order's
marginals telescope to v(N) - v({}) = v(N), so the sampled values add up to v(N) too.

Arithmetic is exact: each objective is a whole number of pence, the values are
fractions of pence, rounded to pence last by largest remainder so that they still add
up to the total exactly (checked).

A coalition's optimum is exact only when its solve is proven optimal. Every solve's
status is recorded; ``not_optimal`` counts the coalitions whose solve was not (a plan
not proven best makes v(S) a lower bound, so the values are then approximate). A
coalition with no plan at all (none found in time, none exists for S alone, or its
task failed) is given the best value among its sub-coalitions' known ones, at least
v({}) = 0: a stand-in, not a bound (``no_plan`` lists them; the values are then
approximate too). With no plan for the empty or the grand coalition there is nothing
to split: :class:`ShapleyError`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from planner.explore.coalition import restrict_to
from planner.explore.solves import solve_target
from planner.explorefile import Shapley
from planner.inventory.items import Inventory

EXACT_UP_TO = 12
"""Most partners for exact values (2^12 = 4,096 coalitions)."""

DEFAULT_SAMPLES = 200
"""Random orders when there are more partners and no ``samples`` is given."""

PREFIX = "shapley:"


class ShapleyError(ValueError):
    """The values cannot be computed (no plan for today's estate or the grand coalition)."""


def partners(inv: Inventory) -> list[str]:
    """The players: every organisation of the estate, in inventory order."""
    return [o.id for o in inv.organisations]


def key_of(mask: int, n: int) -> str:
    """The task key of a coalition: 'shapley:' and one digit per partner in inventory
    order, 1 for a member (e.g. 'shapley:1010': the first and third partners)."""
    return PREFIX + "".join("1" if mask >> i & 1 else "0" for i in range(n))


def mask_of(key: str) -> int:
    """The coalition (a bit per partner) of a task key."""
    bits = key.removeprefix(PREFIX)
    return sum(1 << i for i, b in enumerate(bits) if b == "1")


@dataclass(frozen=True)
class CoalitionSolve:
    """One task: the optimum when only ``members`` consolidate."""

    key: str
    members: tuple[str, ...]
    time_limit_s: float
    seed: int

    def run(self, inventory: Inventory) -> dict[str, Any]:
        result = solve_target(
            inventory,
            time_limit_s=self.time_limit_s,
            seed=self.seed,
            workers=1,
            restrict=restrict_to(self.members),
        )
        return {
            "members": list(self.members),
            "status": result["status"],
            "objective": result["objective"],
            "bound": result["bound"],
            "wall_s": result["wall_s"],
        }


def method(n: int, samples: int | None) -> str:
    """'exact' up to :data:`EXACT_UP_TO` partners without ``samples``, else 'sampled'."""
    return "exact" if samples is None and n <= EXACT_UP_TO else "sampled"


def orders(n: int, samples: int, seed: int) -> list[list[int]]:
    """``samples`` random orders of the partners 0..n-1 (reproducible from ``seed``)."""
    rng = random.Random(seed)
    out = []
    for _ in range(samples):
        order = list(range(n))
        rng.shuffle(order)
        out.append(order)
    return out


def _samples(n: int, samples: int | None) -> int | None:
    if method(n, samples) == "exact":
        return None
    if samples is not None and samples < 1:
        raise ValueError("samples must be at least 1")
    return samples if samples is not None else DEFAULT_SAMPLES


def coalitions(n: int, samples: int | None = None, seed: int = 0) -> list[int]:
    """The coalitions (bit masks) to solve, the empty one first: all 2^n, or the
    distinct prefixes of the sampled orders."""
    m = _samples(n, samples)
    if m is None:
        return list(range(1 << n))
    seen = {0: None}
    for order in orders(n, m, seed):
        mask = 0
        for i in order:
            mask |= 1 << i
            seen.setdefault(mask, None)
    return list(seen)


def shapley_tasks(
    inv: Inventory, *, samples: int | None = None, seed: int = 0, time_limit_s: float = 10.0
) -> list[CoalitionSolve]:
    """A task per coalition to solve (see :func:`coalitions`)."""
    names = partners(inv)
    n = len(names)
    return [
        CoalitionSolve(
            key=key_of(mask, n),
            members=tuple(p for i, p in enumerate(names) if mask >> i & 1),
            time_limit_s=time_limit_s,
            seed=seed,
        )
        for mask in coalitions(n, samples, seed)
    ]


def _pence(objective: float) -> int:
    return round(objective * 100)


def coalition_values(
    done: Mapping[str, Mapping[str, Any]], n: int, masks: Sequence[int]
) -> tuple[dict[int, int], int, list[int], list[int]]:
    """v(S) in pence for each coalition in ``masks`` from the task results, z({}) in
    pence, the coalitions not proven optimal and those with no plan (filled in with their
    largest solved sub-coalitions' best value)."""
    z: dict[int, int] = {}
    not_optimal: list[int] = []
    for mask in masks:
        res = done.get(key_of(mask, n), {"status": "failed", "objective": None})
        if res.get("status") != "optimal":
            not_optimal.append(mask)
        if res.get("objective") is not None:
            z[mask] = _pence(float(res["objective"]))
    full = (1 << n) - 1
    for mask, what in ((0, "today's estate (the empty coalition)"), (full, "the grand coalition")):
        if mask not in z:
            status = done.get(key_of(mask, n), {}).get("status", "failed")
            raise ShapleyError(f"no plan for {what} (status {status}): nothing to split")
    baseline = z[0]
    values = {mask: baseline - obj for mask, obj in z.items()}
    no_plan = sorted((m for m in masks if m not in z), key=lambda m: (m.bit_count(), m))
    for mask in no_plan:
        subs = [v for m, v in values.items() if m != mask and m & mask == m]
        values[mask] = max(subs)
    return values, baseline, not_optimal, no_plan


def exact_values(values: Mapping[int, int], n: int) -> list[Fraction]:
    """phi_i by the formula over every coalition without i (values in pence)."""
    fact = [math.factorial(k) for k in range(n + 1)]
    weight = [Fraction(fact[k] * fact[n - k - 1], fact[n]) for k in range(n)]
    phi = [Fraction(0)] * n
    for mask in range(1 << n):
        k = mask.bit_count()
        if k == n:
            continue
        for i in range(n):
            if not mask >> i & 1:
                phi[i] += weight[k] * (values[mask | 1 << i] - values[mask])
    return phi


def sampled_values(
    values: Mapping[int, int], n: int, samples: int, seed: int
) -> tuple[list[Fraction], list[float | None]]:
    """phi_i as the mean marginal contribution over the orders (values in pence), and
    each standard error (pounds; None with a single order)."""
    marginals: list[list[int]] = [[] for _ in range(n)]
    for order in orders(n, samples, seed):
        mask = 0
        for i in order:
            marginals[i].append(values[mask | 1 << i] - values[mask])
            mask |= 1 << i
    phi = [Fraction(sum(m), samples) for m in marginals]
    errors: list[float | None] = []
    for m, mean in zip(marginals, phi, strict=True):
        if samples < 2:
            errors.append(None)
            continue
        var = sum((x - mean) ** 2 for x in m) / (samples - 1)
        errors.append(round(math.sqrt(var) / math.sqrt(samples) / 100, 2))
    return phi, errors


def to_pence(phi: Sequence[Fraction], total: int) -> list[int]:
    """Round to whole pence keeping the sum: floor each, then one more penny to the largest
    remainders (ties to the earlier partner)."""
    floors = [math.floor(f) for f in phi]
    short = total - sum(floors)
    assert 0 <= short <= len(phi), (short, len(phi))
    order = sorted(range(len(phi)), key=lambda i: (-(phi[i] - floors[i]), i))
    for i in order[:short]:
        floors[i] += 1
    return floors


def summarise_shapley(
    done: Mapping[str, Mapping[str, Any]],
    inv: Inventory,
    samples: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """The ``shapley`` section of explore.json from the tasks' results (keys as
    :func:`shapley_tasks` made them with the same ``samples`` and ``seed``)."""
    names = partners(inv)
    n = len(names)
    how = method(n, samples)
    m = _samples(n, samples)
    masks = coalitions(n, samples, seed)
    values, baseline, not_optimal, no_plan = coalition_values(done, n, masks)
    grand = values[(1 << n) - 1]
    if m is None:
        phi = exact_values(values, n)
        errors: list[float | None] = [None] * n
    else:
        phi, errors = sampled_values(values, n, m, seed)
    assert sum(phi) == grand, "the values must add up to the grand coalition's value"
    pence = to_pence(phi, grand)
    assert sum(pence) == grand
    section = {
        "method": how,
        "samples": m,
        "seed": seed if m is not None else None,
        "values": [
            {"organisation": name, "value": p / 100, "standard_error": e}
            for name, p, e in zip(names, pence, errors, strict=True)
        ],
        "total": grand / 100,
        "grand_value": grand / 100,
        "baseline_objective": baseline / 100,
        "coalitions": len(masks),
        "not_optimal": len(not_optimal),
        "no_plan": [key_of(mask, n) for mask in no_plan],
        "solve_s": round(
            sum(float(done.get(key_of(k, n), {}).get("wall_s", 0.0)) for k in masks), 3
        ),
    }
    Shapley.model_validate(section)
    return section
