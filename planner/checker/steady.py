"""Steady costs: what the rooms and desks cost a year today and in the target estate, and
month by month through the migration, with each organisation's share.

A room's cost is shared by the racks and vCPU of each organisation's workloads in it
(:func:`planner.checker.figures.room_weights`; all to its owner when empty); a desk's
by the tickets of the organisations it serves. An accreditation upgrade's annual cost
is part of its room's running cost from the month the room holds it, for every month
the room is open, and in the target estate's steady cost when the room is open there;
it is shared exactly as the room's own cost is (spec/decisions.md).
"""

from __future__ import annotations

from bisect import bisect_right
from fractions import Fraction

from planner.checker.amounts import Key, Total, q
from planner.checker.context import Ctx
from planner.checker.figures import (
    Basis,
    Figures,
    desk_cost,
    desk_posts,
    room_weights,
    split,
    tickets,
)
from planner.checker.rules import desk_fte
from planner.inventory.items import Room

Parts = list[tuple[dict[str, Fraction], tuple[Key, ...]]]
"""A month's costs as (organisation -> share, the cost items behind it)."""


def desk_staff(ctx: Ctx, f: Figures, basis: Basis) -> None:
    """Each desk's FTE today and in the target estate (0 when it closes)."""
    for d in ctx.inv.service_desks:
        f.fte_before[d.id] = desk_fte(ctx, d.id, basis.served_today[d.id])
        kept = ctx.desk_kept(d.id)
        f.fte_after[d.id] = desk_fte(ctx, d.id, basis.served_in_plan[d.id]) if kept else 0


def steady_costs(ctx: Ctx, f: Figures, basis: Basis) -> None:
    """A year's cost of the rooms and desks today and in the target, and the shares."""
    inv = ctx.inv
    for r in inv.rooms:
        cost, key = q(r.annual_cost), ("room", r.id)
        owner = basis.owner_room[r.id]
        if r.status == "existing":
            f.rooms_before.add(cost, key)
            f.org_baseline.add(split(cost, basis.weights_today.get(r.id, {}), owner), key)
        if ctx.room_open_in_plan(r):
            f.rooms_after.add(cost, key)
            f.org_planned.add(split(cost, basis.weights_target.get(r.id, {}), owner), key)
            for annual, item in upgrades_running(ctx, r, None):
                f.rooms_after.add(annual, item)
                f.org_planned.add(split(annual, basis.weights_target.get(r.id, {}), owner), item)
    for d in inv.service_desks:
        key, owner = ("desk", d.id), basis.owner_desk[d.id]
        before = desk_cost(ctx, d.id, f.fte_before[d.id])
        staff = desk_posts(d.id, f.fte_before[d.id])
        f.desks_before.add(before, key, *staff)
        shares = split(before, tickets(ctx, basis.served_today[d.id]), owner)
        f.org_baseline.add(shares, key, *staff)
        if ctx.desk_kept(d.id):
            after = desk_cost(ctx, d.id, f.fte_after[d.id])
            staff = desk_posts(d.id, f.fte_after[d.id])
            f.desks_after.add(after, key, *staff)
            shares = split(after, tickets(ctx, basis.served_in_plan[d.id]), owner)
            f.org_planned.add(shares, key, *staff)


def upgrades_running(ctx: Ctx, room: Room, m: int | None) -> list[tuple[Fraction, Key]]:
    """The annual costs of the room's upgrades held in month m (all bought: m None), each
    with its cost item."""
    bought = ctx.upgrades.get(room.id, {})
    return [
        (q(u.annual_cost), ("room upgrade, annual", room.id, u.accreditation))
        for u in room.upgrades
        if u.accreditation in bought and (m is None or bought[u.accreditation] <= m)
    ]


def monthly_costs(ctx: Ctx, f: Figures, basis: Basis) -> None:
    """The baseline and the plan's steady cost in each month, and each organisation's
    share of the plan's over the horizon.

    A month costs the same as the one before it unless a move, a closure, an opening
    or an upgrade falls between them, so each run of equal months is costed once.
    """
    inv = ctx.inv
    baseline = f.baseline
    move_months = sorted(set(ctx.move_month.values()))
    change_months = sorted(set(ctx.change_month.values()))
    upgrade_months = ctx.upgrade_months()
    runs: list[tuple[Parts, int]] = []
    signature: tuple[object, ...] | None = None
    planned = Total()
    for m in range(ctx.T):
        f.baseline_m.append(Total(baseline.value / 12, baseline.keys))
        rooms_open = tuple(ctx.room_open_at(r, m) for r in inv.rooms)
        desks_open = tuple(
            ctx.desk_kept(d.id) or m < ctx.desk_close_index(d.id) for d in inv.service_desks
        )
        now = (
            bisect_right(move_months, m),
            bisect_right(change_months, m),
            bisect_right(upgrade_months, m),
            rooms_open,
            desks_open,
        )
        if now == signature:
            f.planned_m.append(planned)
            parts, months = runs[-1]
            runs[-1] = (parts, months + 1)
            continue
        signature = now
        planned, parts = _month(ctx, f, basis, m, rooms_open, desks_open)
        f.planned_m.append(planned)
        runs.append((parts, 1))
    for parts, months in runs:
        for shares, keys in parts:
            f.org_horizon_planned.add({o: v * months for o, v in shares.items()}, *keys)


def _month(
    ctx: Ctx,
    f: Figures,
    basis: Basis,
    m: int,
    rooms_open: tuple[bool, ...],
    desks_open: tuple[bool, ...],
) -> tuple[Total, Parts]:
    """Month m's steady cost in the plan: its open rooms and desks, and the shares."""
    inv = ctx.inv
    planned = Total()
    parts: Parts = []
    weights_m = room_weights(ctx, ctx.placement_at(m))
    for r, is_open in zip(inv.rooms, rooms_open, strict=True):
        if is_open:
            cost = q(r.annual_cost) / 12
            items: list[Key] = [("room", r.id)]
            for annual, item in upgrades_running(ctx, r, m):
                cost += annual / 12
                items.append(item)
            planned.add(cost, *items)
            shares = split(cost, weights_m.get(r.id, {}), basis.owner_room[r.id])
            parts.append((shares, tuple(items)))
    served_m = ctx.served_at(m)
    for d, is_open in zip(inv.service_desks, desks_open, strict=True):
        if not is_open:
            continue
        served = served_m[d.id]
        # FTE(m) for the organisations it serves this month; a closing desk keeps its
        # FTE before the change until it closes.
        fte = desk_fte(ctx, d.id, served) if ctx.desk_kept(d.id) else f.fte_before[d.id]
        cost = desk_cost(ctx, d.id, fte) / 12
        keys = (("desk", d.id), *desk_posts(d.id, fte))
        planned.add(cost, *keys)
        parts.append((split(cost, tickets(ctx, served), basis.owner_desk[d.id]), keys))
    return planned, parts
