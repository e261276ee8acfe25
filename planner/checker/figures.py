"""The figures the money checks compare with the plan's: what they are made of, what the
costs are shared by, and how one figure is compared.

:class:`Figures` holds everything recomputed from the estate and the plan's
decisions (filled in by :mod:`planner.checker.steady` and
:mod:`planner.checker.one_off`); :class:`Basis` holds what the costs are shared by
(docs/plan-format.md, "Cost allocation to organisations"). All sums are exact
(fractions); a plan's figure holds when it is within 0.01 GBP per item summed plus
1e-9 relative.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from planner.checker.amounts import Key, Total, combine, gbp, money_ok, q
from planner.checker.context import Ctx
from planner.checker.rules import served_in_plan, served_today

FACTOR_TOLERANCE = Fraction(1, 10**6)
"""Annuity and discount factors are not money: they hold to 1e-6."""


def split(amount: Fraction, weights: dict[str, Fraction], fallback: str) -> dict[str, Fraction]:
    """Share an amount in proportion to weights (all to ``fallback`` when they sum to 0)."""
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        return {fallback: amount}
    return {o: amount * w / total for o, w in weights.items() if w}


@dataclass
class Shares:
    """Money per organisation, with the cost items behind each."""

    totals: dict[str, Total] = field(default_factory=lambda: defaultdict(Total))

    def add(self, parts: dict[str, Fraction], key: Key, *more: Key) -> None:
        for o, amount in parts.items():
            self.totals[o].add(amount, key, *more)

    def of(self, o: str) -> Total:
        return self.totals.get(o, Total())


@dataclass
class Figures:
    """Everything recomputed from the estate and the plan's decisions."""

    A: Fraction = Fraction(0)
    rooms_before: Total = field(default_factory=Total)
    desks_before: Total = field(default_factory=Total)
    rooms_after: Total = field(default_factory=Total)
    desks_after: Total = field(default_factory=Total)
    migration: Total = field(default_factory=Total)
    room_closure: Total = field(default_factory=Total)
    room_opening: Total = field(default_factory=Total)
    desk_closure: Total = field(default_factory=Total)
    room_upgrade: Total = field(default_factory=Total)
    """One-off costs of the accreditation upgrades bought (spec/decisions.md)."""
    fte_before: dict[str, int] = field(default_factory=dict)
    fte_after: dict[str, int] = field(default_factory=dict)
    # month by month
    baseline_m: list[Total] = field(default_factory=list)
    planned_m: list[Total] = field(default_factory=list)
    one_off_m: list[Total] = field(default_factory=list)
    # organisations
    org_baseline: Shares = field(default_factory=Shares)
    org_planned: Shares = field(default_factory=Shares)
    org_one_off: Shares = field(default_factory=Shares)
    org_horizon_planned: Shares = field(default_factory=Shares)

    @property
    def baseline(self) -> Total:
        return combine((1, self.rooms_before), (1, self.desks_before))

    @property
    def planned(self) -> Total:
        return combine((1, self.rooms_after), (1, self.desks_after))

    @property
    def one_off(self) -> Total:
        return combine(
            (1, self.migration),
            (1, self.room_closure),
            (1, self.room_opening),
            (1, self.desk_closure),
            (1, self.room_upgrade),
        )

    def annuity_of(self, steady: Total) -> Total:
        return Total(self.A * steady.value, steady.keys)

    @property
    def objective(self) -> Total:
        return combine((1, self.one_off), (1, self.annuity_of(self.planned)))


def room_weights(ctx: Ctx, placement: dict[str, str]) -> dict[str, dict[str, Fraction]]:
    """Room -> organisation -> its weight in the room's cost (docs/plan-format.md, "Cost
    allocation"): racks where the room's workloads take racks but no vCPU; vCPU where
    they take vCPU but no racks; where they take both, the mean of each organisation's
    share of the racks and of the vCPU; where neither, memory, else storage; no entry
    (the site owner pays) where none of these."""
    use: dict[tuple[str, str], dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for w in ctx.inv.workloads:
        for resource in ("racks", "vcpu", "memory_gib", "storage_tib"):
            use[(placement[w.id], resource)][w.organisation] += q(getattr(w, resource))
    out: dict[str, dict[str, Fraction]] = {}
    for room_id in {placement[w.id] for w in ctx.inv.workloads}:
        total = {k: sum(use[(room_id, k)].values(), Fraction(0)) for k in ("racks", "vcpu")}
        if total["racks"] > 0 and total["vcpu"] > 0:
            orgs = set(use[(room_id, "racks")]) | set(use[(room_id, "vcpu")])
            out[room_id] = {
                o: (use[(room_id, "racks")][o] / total["racks"]) / 2
                + (use[(room_id, "vcpu")][o] / total["vcpu"]) / 2
                for o in orgs
            }
            continue
        for resource in ("racks", "vcpu", "memory_gib", "storage_tib"):
            if sum(use[(room_id, resource)].values(), Fraction(0)) > 0:
                out[room_id] = use[(room_id, resource)]
                break
    return out


def tickets(ctx: Ctx, orgs: list[str]) -> dict[str, Fraction]:
    """Organisation -> its tickets a year (a desk's cost is shared by them)."""
    return {o: Fraction(ctx.inv.organisation[o].tickets_per_year) for o in orgs}


@dataclass
class Basis:
    """What the costs are shared by, today and in the target estate."""

    served_today: dict[str, list[str]]
    """Desk -> the organisations it serves today."""
    served_in_plan: dict[str, list[str]]
    """Desk -> the organisations it serves in the target estate."""
    owner_room: dict[str, str]
    owner_desk: dict[str, str]
    weights_today: dict[str, dict[str, Fraction]]
    """Room -> organisation -> what its share of the room is by, today (:func:`room_weights`)."""
    weights_target: dict[str, dict[str, Fraction]]
    """Room -> organisation -> likewise in the target estate."""

    @classmethod
    def of(cls, ctx: Ctx) -> Basis:
        inv = ctx.inv
        return cls(
            served_today=served_today(ctx),
            served_in_plan=served_in_plan(ctx),
            owner_room={r.id: ctx.owner_of_site(r.site) for r in inv.rooms},
            owner_desk={d.id: ctx.owner_of_site(d.site) for d in inv.service_desks},
            weights_today=room_weights(ctx, {w.id: w.room for w in inv.workloads}),
            weights_target=room_weights(ctx, ctx.target),
        )


def desk_cost(ctx: Ctx, desk_id: str, fte: int) -> Fraction:
    """A desk's yearly cost with ``fte`` staff."""
    d = ctx.inv.desk[desk_id]
    return q(d.fixed_cost) + fte * q(d.cost_per_fte)


def desk_posts(desk_id: str, fte: int) -> list[Key]:
    """A desk's cost is its fixed cost and one item per post (FTE x cost_per_fte)."""
    return [("desk post", desk_id, str(k)) for k in range(fte)]


def check_amount(
    ctx: Ctx, rule: str, ids: tuple[str, ...], what: str, plan_value: Any, exact: Total
) -> None:
    """Report ``what`` under ``rule`` when the plan's value is not the exact one."""
    if not money_ok(plan_value, exact):
        ctx.add(
            rule,
            ids,
            f"{what} is {gbp(q(plan_value))} in the plan but {gbp(exact.value)} recomputed "
            f"(off by {gbp(q(plan_value) - exact.value)})",
        )
