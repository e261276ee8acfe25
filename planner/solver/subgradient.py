"""Subgradient ascent on a Lagrangian dual: the steps shared by the rooms' and the
desks' bounds (:mod:`planner.solver.lagrange`, :mod:`planner.solver.desk_lagrange`).

For a concave L(u) with a subgradient s(u) at every u (u >= 0 where ``nonneg``):

    d_1 = s(u_1),  d_t = A s(u_t) + (1 - A) d_{t-1}        (A = :data:`AVERAGE`)
    d_t[i] = 0 where u_t[i] <= 0, d_t[i] < 0 and i is nonneg (the step stays in u >= 0)
    u_{t+1} = proj(u_t + theta (goal - L(u_t)) / |d_t|^2 d_t)

Polyak's step towards ``goal``: the cost of a known plan when it is above the best
value, else 2% above the best value. theta starts at 1 and halves when the best value
has not risen for :data:`STALL` steps; each halving restarts from the best point found
(far from it, the steps are long again: docs/benchmarks.md section 10). Every L(u) is
a valid bound; the best one is returned with its point.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

STALL = 30
"""Steps without a better bound before the step size is halved."""
AVERAGE = 0.5
"""Weight of the new subgradient in the direction (the rest is the last direction)."""


@dataclass(frozen=True)
class Bound:
    units: int
    """The bound in cost units (every plan costs a whole number of units)."""
    steps: int
    seconds: float


@dataclass(frozen=True)
class Ascent:
    value: float
    """The best L(u) found."""
    point: np.ndarray
    steps: int


def ascend(
    evaluate: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    nonneg: np.ndarray,
    *,
    target: float | None,
    max_steps: int,
    time_limit_s: float,
) -> Ascent:
    """Climb L from ``start`` for at most ``max_steps`` steps or ``time_limit_s`` seconds
    (module docstring); ``evaluate(u)`` returns (L(u), s(u))."""
    began = time.monotonic()
    u = start
    best, best_at = -math.inf, start
    theta, stall, steps = 1.0, 0, 0
    direction: np.ndarray | None = None
    while steps < max_steps and time.monotonic() - began < time_limit_s:
        steps += 1
        value, sub = evaluate(u)
        if steps == 1 or value > best + 1e-9 * abs(best):
            best, best_at, stall = value, u, 0
        else:
            stall += 1
            if stall >= STALL:
                theta, stall = max(theta / 2, 1e-6), 0
                u = best_at
                value, sub = evaluate(u)
                direction = None
        if direction is not None:
            sub = AVERAGE * sub + (1 - AVERAGE) * direction
        direction = sub
        sub = np.where(nonneg & (u <= 0) & (sub < 0), 0.0, sub)
        norm = float(sub @ sub)
        if norm < 1e-12:
            break  # the relaxed solution is a plan: nothing to climb
        goal = target if target is not None and target > best else best * 1.02 + 1.0
        u = u + theta * (goal - value) / norm * sub
        u = np.where(nonneg, np.maximum(0.0, u), u)
    return Ascent(best, best_at, steps)
