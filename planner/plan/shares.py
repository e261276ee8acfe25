"""A fair split (spec/decisions.md, "Partners: a fair split"): each partner's share of the
partnership's net saving over the horizon, and the payments that bring it there.

The optimiser maximises the partnership's saving; how it is split is a separate rule,
``estate.share_rule``. Every partner's *allocated* net over the horizon is
``horizon_savings`` (its share of the baseline minus its share of the plan's running
costs minus its share of the one-off costs, by the cost-sharing rules). With total
net T = sum of the allocated nets, partner i's share is

* ``allocated``:    s_i = horizon_savings_i (no transfers);
* ``proportional``: s_i = T x b_i / sum_j b_j, b_i its running cost today
  (``organisations[].baseline``; equal shares if no partner has one);
* ``shapley``:      s_i = T x v_i^+ / sum_j v_j^+, v_i its Shapley value of the savings
  game (``planner explore``), v^+ = max(v, 0): a partner whose value is negative gets
  no share, so when T >= 0 nobody is worse off.

Shares are in pence, rounded by largest remainder so that they add up to T exactly.
Transfers move each partner from its allocated net to its share: d_i = allocated_i -
s_i; partners with d_i > 0 pay, those with d_i < 0 receive, matched largest first
(at most n - 1 payments), so the transfers sum to zero and every partner ends at its
share to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

PENCE = 100


@dataclass(frozen=True)
class Split:
    """Each partner's share (pence) and the transfers (from, to, pence) that reach it."""

    share: dict[str, int]
    transfers: list[tuple[str, str, int]]


def split(
    organisations: list[dict[str, Any]], rule: str, shapley: dict[str, float] | None = None
) -> Split:
    """The shares and transfers of plan.json's organisations rows under ``rule``."""
    ids = [o["id"] for o in organisations]
    allocated = {o["id"]: round(o["horizon_savings"] * PENCE) for o in organisations}
    total = sum(allocated.values())
    if rule == "allocated":
        return Split(dict(allocated), [])
    if rule == "proportional":
        weights = {o["id"]: Fraction(repr(float(o["baseline"]))) for o in organisations}
    elif rule == "shapley":
        assert shapley is not None, "share_rule shapley needs the Shapley values"
        weights = {i: max(Fraction(repr(float(shapley[i]))), Fraction(0)) for i in ids}
    else:
        raise ValueError(f"unknown share rule {rule!r}")
    share = _apportion(total, weights, ids)
    return Split(share, _transfers(allocated, share, ids))


def _apportion(total: int, weights: dict[str, Fraction], ids: list[str]) -> dict[str, int]:
    """``total`` pence in proportion to ``weights`` (equal if they sum to 0), whole pence
    by largest remainder (ties in ``ids`` order), adding up to ``total`` exactly."""
    weight_sum = sum(weights.values(), Fraction(0))
    if weight_sum <= 0:
        weights, weight_sum = {i: Fraction(1) for i in ids}, Fraction(len(ids))
    exact = {i: total * weights[i] / weight_sum for i in ids}
    share = {i: int(exact[i] // 1) for i in ids}
    left = total - sum(share.values())
    by_remainder = sorted(ids, key=lambda i: (-(exact[i] - share[i]), ids.index(i)))
    for i in by_remainder[:left]:
        share[i] += 1
    return share


def _transfers(
    allocated: dict[str, int], share: dict[str, int], ids: list[str]
) -> list[tuple[str, str, int]]:
    """Payments (from, to, pence) taking every partner from ``allocated`` to ``share``."""
    owe = {i: allocated[i] - share[i] for i in ids}
    payers = sorted((i for i in ids if owe[i] > 0), key=lambda i: (-owe[i], ids.index(i)))
    takers = sorted((i for i in ids if owe[i] < 0), key=lambda i: (owe[i], ids.index(i)))
    out: list[tuple[str, str, int]] = []
    p = t = 0
    while p < len(payers) and t < len(takers):
        payer, taker = payers[p], takers[t]
        amount = min(owe[payer], -owe[taker])
        out.append((payer, taker, amount))
        owe[payer] -= amount
        owe[taker] += amount
        p += owe[payer] == 0
        t += owe[taker] == 0
    return out
