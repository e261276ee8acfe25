"""The draws of the risk analysis: one multiplier per item and kind of figure, correlated.

Each kind of figure ``f`` of the inventory's ``uncertainty`` block (spec/explore.md,
:class:`planner.inventory.items.Uncertainty`) has a triangular distribution
``T(low, mode, high)`` of multipliers and the estate a correlation ``c`` in [0, 1]. The
items of each kind, in inventory order:

* ``migration_cost`` and ``migration_days``: each workload;
* ``closure_cost``: each room, then each service desk;
* ``annual_cost``: each room, then each service desk.

Sample ``i`` of a run seeded ``s`` draws from its own generator,
``numpy.random.default_rng([s, i])``, so its multipliers depend only on ``(s, i)`` and
the estate (not on how many samples there are, nor on which worker runs it). For each
kind in the order above it draws one common standard normal ``Z_f`` and then one
standard normal ``Z_f,k`` per item ``k``, and combines them by a Gaussian copula:

    z_k = sqrt(c) * Z_f + sqrt(1 - c) * Z_f,k          (z_k ~ N(0, 1))
    u_k = Phi(z_k)                                     (u_k ~ U(0, 1))
    x_k = F^-1(u_k)                                    (x_k ~ T(low, mode, high))

so any two items' normal scores have correlation exactly ``c`` (``c = 0``: independent
draws; ``c = 1``: every item of the kind gets the same multiplier). ``Phi`` is the
standard normal CDF, ``0.5 * erfc(-z / sqrt 2)``, and ``F^-1`` the triangular inverse
CDF: with ``F_c = (mode - low) / (high - low)``,

    F^-1(u) = low  + sqrt(u * (high - low) * (mode - low))         for u <  F_c
    F^-1(u) = high - sqrt((1 - u) * (high - low) * (high - mode))  for u >= F_c

and ``F^-1(u) = low`` when ``low = high`` (no spread: every draw is exactly ``low``).
The kinds are drawn apart: the correlation is within a kind, not between kinds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from planner.inventory.items import Inventory, Triangle, Uncertainty

FACTORS: tuple[str, ...] = ("migration_cost", "migration_days", "closure_cost", "annual_cost")
"""The kinds of figure, in the order they are drawn."""


@dataclass(frozen=True)
class Draws:
    """One sample's multipliers, by item id."""

    migration_cost: dict[str, float]
    """Workload -> multiplier of its move cost."""
    migration_days: dict[str, float]
    """Workload -> multiplier of its person-days."""
    room_closure: dict[str, float]
    """Room -> multiplier of its closure cost."""
    desk_closure: dict[str, float]
    """Service desk -> multiplier of its closure cost."""
    room_annual: dict[str, float]
    """Room -> multiplier of its running cost."""
    desk_annual: dict[str, float]
    """Service desk -> multiplier of its running cost."""


def triangular_ppf(u: NDArray[np.float64], t: Triangle) -> NDArray[np.float64]:
    """The triangular inverse CDF of ``t`` at each ``u`` in [0, 1] (module docstring)."""
    low, mode, high = t.low, t.mode, t.high
    span = high - low
    if span <= 0:
        return np.full(u.shape, low, dtype=np.float64)
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1.0 - u) * span * (high - mode))
    out: NDArray[np.float64] = np.clip(np.where(u < (mode - low) / span, left, right), low, high)
    return out


def normal_cdf(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Phi(z), the standard normal CDF, element by element."""
    return np.array([0.5 * math.erfc(-float(v) / math.sqrt(2.0)) for v in z], dtype=np.float64)


def correlated(
    rng: np.random.Generator, t: Triangle, correlation: float, n: int
) -> NDArray[np.float64]:
    """``n`` multipliers of one kind: one common normal, then one per item (Gaussian
    copula with share ``correlation`` common), through the triangular inverse CDF."""
    common = rng.standard_normal()
    own = rng.standard_normal(n)
    z = math.sqrt(correlation) * common + math.sqrt(1.0 - correlation) * own
    return triangular_ppf(normal_cdf(z), t)


def draw(inv: Inventory, uncertainty: Uncertainty, seed: int, index: int) -> Draws:
    """The multipliers of sample ``index`` of a run seeded ``seed``."""
    rng = np.random.default_rng([seed, index])
    c = uncertainty.correlation
    workloads = [w.id for w in inv.workloads]
    rooms = [r.id for r in inv.rooms]
    desks = [d.id for d in inv.service_desks]

    def kind(t: Triangle, ids: list[str]) -> list[float]:
        return [float(x) for x in correlated(rng, t, c, len(ids))]

    cost = kind(uncertainty.migration_cost, workloads)
    days = kind(uncertainty.migration_days, workloads)
    closure = kind(uncertainty.closure_cost, rooms + desks)
    annual = kind(uncertainty.annual_cost, rooms + desks)
    n = len(rooms)
    return Draws(
        migration_cost=dict(zip(workloads, cost, strict=True)),
        migration_days=dict(zip(workloads, days, strict=True)),
        room_closure=dict(zip(rooms, closure[:n], strict=True)),
        desk_closure=dict(zip(desks, closure[n:], strict=True)),
        room_annual=dict(zip(rooms, annual[:n], strict=True)),
        desk_annual=dict(zip(desks, annual[n:], strict=True)),
    )
