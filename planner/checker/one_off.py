"""One-off costs: moves, room closures and openings, accreditation upgrades, desk
closures, each in the month it falls, with each organisation's share.

A move is its workload's organisation's; a room's closure is shared like its cost
today, an opening like its cost in the target; an upgrade's one-off cost, in the month
the room first holds it, like an opening: by the room's use in the target estate, its
site's owner when it is empty then (spec/decisions.md); a desk's closure by the tickets
of the organisations it serves today.
"""

from __future__ import annotations

from planner.checker.amounts import Key, Total, q
from planner.checker.context import Ctx
from planner.checker.figures import Basis, Figures, split, tickets


def one_off_costs(ctx: Ctx, f: Figures, basis: Basis) -> None:
    inv = ctx.inv
    f.one_off_m = [Total() for _ in range(ctx.T)]
    for w in inv.workloads:
        if ctx.moved(w.id):
            cost, key = ctx.move_price(w), ("move", w.id)
            f.migration.add(cost, key)
            f.one_off_m[ctx.move_month[w.id]].add(cost, key)
            f.org_one_off.add({w.organisation: cost}, key)
    for r in inv.rooms:
        decision = ctx.decision(r.id)
        owner = basis.owner_room[r.id]
        if r.status == "existing" and decision == "close":
            cost, key = q(r.closure_cost), ("room closure", r.id)
            f.room_closure.add(cost, key)
            f.one_off_m[ctx.close_index(r.id) - 1].add(cost, key)
            f.org_one_off.add(split(cost, basis.weights_today.get(r.id, {}), owner), key)
        if r.status == "candidate" and decision == "open":
            cost, key = q(r.open_cost), ("room opening", r.id)
            f.room_opening.add(cost, key)
            f.one_off_m[ctx.open_index(r.id)].add(cost, key)
            f.org_one_off.add(split(cost, basis.weights_target.get(r.id, {}), owner), key)
        for u in r.upgrades:
            month = ctx.upgrades.get(r.id, {}).get(u.accreditation)
            if month is None:
                continue
            item: Key = ("room upgrade", r.id, u.accreditation)
            f.room_upgrade.add(u.cost, item)
            f.one_off_m[month].add(u.cost, item)
            f.org_one_off.add(split(q(u.cost), basis.weights_target.get(r.id, {}), owner), item)
    for d in inv.service_desks:
        if not ctx.desk_kept(d.id):
            cost, key = q(d.closure_cost), ("desk closure", d.id)
            f.desk_closure.add(cost, key)
            f.one_off_m[ctx.desk_close_index(d.id) - 1].add(cost, key)
            shares = split(cost, tickets(ctx, basis.served_today[d.id]), basis.owner_desk[d.id])
            f.org_one_off.add(shares, key)
