"""Money: steady costs, one-off costs, savings by UK financial year, NPV, payback,
and each partner's share (docs/plan-format.md, "Finance, month by month").

Allocation rule (stated in every plan): a room's annual cost is shared by the
racks its workloads take (an empty room: its site's owner); a desk's cost by
the tickets of the organisations it serves (a desk serving nobody: its site's
owner); weights that are all zero share equally; an upgrade's annual cost is part of
its room's. One-off costs: a move to the workload's owner; a room's closure by
today's racks in it; a candidate's opening and an upgrade by its racks in the plan;
a desk's closure by the tickets it served today.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from planner.inventory.items import Inventory, Workload
from planner.plan.timeline import Timeline, desk_fte
from planner.target import annuity_factor

ALLOCATION = (
    "rooms by the racks of the workloads in them, by their vCPU where they take no racks, "
    "and by the mean of both shares where they take both (else memory, then storage; an "
    "empty room: its site's owner); "
    "desks by the tickets of the organisations they serve (an idle desk: its site's owner); "
    "moves to the workload's owner; closures by today's use, openings and accreditation "
    "upgrades by planned use (an upgrade's annual cost is part of its room's)"
)


def _share(weights: dict[str, float], amount: float, fallback: str, out: dict[str, float]) -> None:
    """Add ``amount`` to ``out`` split in proportion to ``weights`` (all to ``fallback``
    when they are none or all zero: an empty room or a desk serving no tickets)."""
    total = sum(weights.values())
    if total <= 0:
        out[fallback] += amount
        return
    for org, wgt in weights.items():
        out[org] += amount * wgt / total


def _room_owner(inv: Inventory, room_id: str) -> str:
    return inv.site[inv.room[room_id].site].organisation


def _desk_owner(inv: Inventory, desk_id: str) -> str:
    return inv.site[inv.desk[desk_id].site].organisation


def _room_weights(inv: Inventory, placement: dict[str, str]) -> dict[str, dict[str, float]]:
    """room -> organisation -> its weight in the room's cost (docs/plan-format.md):

    * its workloads' racks there, when they take racks and no vCPU (physical kit);
    * its vCPU there, when they take vCPU and no racks (VMs);
    * the mean of its share of the racks and its share of the vCPU, when they take both;
    * else its memory, else its storage ({} weights: the site owner pays).
    """
    inside: dict[str, list[Workload]] = defaultdict(list)
    for w in inv.workloads:
        inside[placement[w.id]].append(w)
    out: dict[str, dict[str, float]] = {}
    for room_id, workloads in inside.items():
        used = {k: _use(workloads, k) for k in ("racks", "vcpu", "memory_gib", "storage_tib")}
        bases = [k for k in ("racks", "vcpu") if sum(used[k].values()) > 0]
        bases = bases or [k for k in ("memory_gib", "storage_tib") if sum(used[k].values()) > 0][:1]
        if len(bases) == 2:
            totals = {k: sum(used[k].values()) for k in bases}
            orgs = set(used["racks"]) | set(used["vcpu"])
            out[room_id] = {
                o: sum(used[k].get(o, 0.0) / totals[k] for k in bases) / 2 for o in orgs
            }
        elif bases:
            out[room_id] = used[bases[0]]
    return out


def _use(workloads: list[Workload], resource: str) -> dict[str, float]:
    """Organisation -> what its workloads among ``workloads`` take of ``resource``."""
    use: dict[str, float] = defaultdict(float)
    for w in workloads:
        use[w.organisation] += getattr(w, resource)
    return use


def _desk_weights(inv: Inventory, desk_of: dict[str, str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for o in inv.organisations:
        out[desk_of[o.id]][o.id] += o.tickets_per_year
    return out


def steady_costs(tl: Timeline) -> dict[str, float]:
    """Steady cost a year before and after, by rooms and desks."""
    inv = tl.inv
    rooms_before = sum(r.annual_cost for r in inv.rooms if r.status == "existing")
    rooms_after = sum(r.annual_cost for r in inv.rooms if r.id in tl.target.open_rooms)
    rooms_after += sum(u.annual_cost for rid, u, _ in tl.upgrades if rid in tl.target.open_rooms)
    desks_before = sum(
        d.fixed_cost + tl.desk_fte_before[d.id] * d.cost_per_fte for d in inv.service_desks
    )
    desks_after = sum(
        d.fixed_cost + tl.desk_fte_after[d.id] * d.cost_per_fte
        for d in inv.service_desks
        if d.id in tl.open_desks
    )
    return {
        "rooms_before": rooms_before,
        "rooms_after": rooms_after,
        "desks_before": desks_before,
        "desks_after": desks_after,
    }


def steady_by_org(tl: Timeline, after: bool) -> dict[str, float]:
    """Each organisation's share of the steady cost a year, today or in the plan."""
    inv = tl.inv
    out: dict[str, float] = {o.id: 0.0 for o in inv.organisations}
    placement = tl.target.room_of if after else {w.id: w.room for w in inv.workloads}
    desk_of = tl.target.desk_of if after else {o.id: o.desk for o in inv.organisations}
    rooms = _room_weights(inv, placement)
    bought: dict[str, float] = defaultdict(float)
    for rid, u, _ in tl.upgrades if after else []:
        bought[rid] += u.annual_cost
    for r in inv.rooms:
        is_open = r.id in tl.target.open_rooms if after else r.status == "existing"
        if is_open:
            cost = r.annual_cost + bought[r.id]
            _share(rooms.get(r.id, {}), cost, _room_owner(inv, r.id), out)
    weights = _desk_weights(inv, desk_of)
    fte = tl.desk_fte_after if after else tl.desk_fte_before
    for d in inv.service_desks:
        if after and d.id not in tl.open_desks:
            continue
        _share(
            weights.get(d.id, {}),
            d.fixed_cost + fte[d.id] * d.cost_per_fte,
            _desk_owner(inv, d.id),
            out,
        )
    return out


def one_off_by_org(tl: Timeline) -> dict[str, float]:
    inv = tl.inv
    out: dict[str, float] = {o.id: 0.0 for o in inv.organisations}
    today = _room_weights(inv, {w.id: w.room for w in inv.workloads})
    planned = _room_weights(inv, tl.target.room_of)
    desks_today = _desk_weights(inv, {o.id: o.desk for o in inv.organisations})
    for item in tl.one_offs:
        if item.kind == "migration":
            out[inv.workload[item.item].organisation] += item.amount
        elif item.kind == "room_closure":
            _share(today.get(item.item, {}), item.amount, _room_owner(inv, item.item), out)
        elif item.kind in ("room_opening", "room_upgrade"):
            _share(planned.get(item.item, {}), item.amount, _room_owner(inv, item.item), out)
        else:
            _share(desks_today.get(item.item, {}), item.amount, _desk_owner(inv, item.item), out)
    return out


def planned_by_org_month(tl: Timeline, m: int) -> dict[str, float]:
    """Each organisation's share of month m's running cost."""
    inv = tl.inv
    out: dict[str, float] = {o.id: 0.0 for o in inv.organisations}
    placement = {w.id: tl.location(w.id, m) for w in inv.workloads}
    weights = _room_weights(inv, placement)
    for r in inv.rooms:
        cost = tl.room_running_cost(r.id, m)
        if cost or tl.room_open_in(r.id, m):
            _share(weights.get(r.id, {}), cost / 12, _room_owner(inv, r.id), out)
    serving = tl.desk_orgs(m)
    for d in inv.service_desks:
        is_open, fte = tl.desk_state(d.id, m, serving)
        if not is_open:
            continue
        served = {o: float(inv.organisation[o].tickets_per_year) for o in serving.get(d.id, [])}
        _share(served, (d.fixed_cost + fte * d.cost_per_fte) / 12, _desk_owner(inv, d.id), out)
    return out


def finance(tl: Timeline) -> dict[str, Any]:
    """costs, years, finance and organisations sections of plan.json."""
    inv, cal = tl.inv, tl.cal
    est = inv.estate
    steady = steady_costs(tl)
    baseline_steady = steady["rooms_before"] + steady["desks_before"]
    planned_steady = steady["rooms_after"] + steady["desks_after"]
    breakdown = {"migration": 0.0, "room_closure": 0.0, "room_opening": 0.0, "desk_closure": 0.0}
    if any(r.upgrades for r in inv.rooms):
        breakdown["room_upgrade"] = 0.0  # written for estates that offer upgrades
    one_off_month = [0.0] * tl.months
    for item in tl.one_offs:
        breakdown[item.kind] += item.amount
        one_off_month[item.month] += item.amount
    one_off = sum(breakdown.values())

    planned_month = [tl.room_monthly_cost(m) + tl.desk_monthly_cost(m) for m in range(tl.months)]
    baseline_month = baseline_steady / 12
    years: list[dict[str, Any]] = []
    discounted = 0.0
    labels = cal.fy_labels()
    cumulative = 0.0
    for y, label in enumerate(labels):
        months = [m for m in range(tl.months) if cal.fy_of(m) == y]
        baseline = baseline_month * len(months)
        planned = sum(planned_month[m] for m in months)
        year_one_off = sum(one_off_month[m] for m in months)
        savings = baseline - planned - year_one_off
        cumulative += savings
        factor = (1 + est.discount_rate) ** -(y + 1)
        discounted += round(savings * factor, 2)
        years.append(
            {
                "year": label,
                "months": len(months),
                "baseline": round(baseline, 2),
                "planned": round(planned, 2),
                "one_off": round(year_one_off, 2),
                "savings": round(savings, 2),
                "cumulative_savings": round(cumulative, 2),
                "discount_factor": round(factor, 10),
                "discounted_savings": round(savings * factor, 2),
            }
        )
    net = [baseline_month - planned_month[m] - one_off_month[m] for m in range(tl.months)]
    running, payback = 0.0, None
    monthly: list[dict[str, Any]] = []
    for m, value in enumerate(net):
        running += value
        monthly.append(
            {
                "month": cal.label(m),
                "baseline": round(baseline_month, 2),
                "planned": round(planned_month[m], 2),
                "one_off": round(one_off_month[m], 2),
                "savings": round(value, 2),
                "cumulative_savings": round(running, 2),
            }
        )
        if running < -0.005:
            payback = None
        elif payback is None:
            payback = m
    annuity = annuity_factor(est.horizon_years, est.discount_rate)

    base_org = steady_by_org(tl, after=False)
    plan_org = steady_by_org(tl, after=True)
    one_org = one_off_by_org(tl)
    horizon_plan: dict[str, float] = defaultdict(float)
    for m in range(tl.months):
        for org, amount in planned_by_org_month(tl, m).items():
            horizon_plan[org] += amount
    organisations = []
    for o in inv.organisations:
        h_base = base_org[o.id] / 12 * tl.months
        h_plan = horizon_plan[o.id]
        h_save = h_base - h_plan - one_org[o.id]
        organisations.append(
            {
                "id": o.id,
                "name": o.name,
                "kind": o.kind,
                "baseline": round(base_org[o.id], 2),
                "planned": round(plan_org[o.id], 2),
                "savings": round(base_org[o.id] - plan_org[o.id], 2),
                "one_off": round(one_org[o.id], 2),
                "horizon_baseline": round(h_base, 2),
                "horizon_planned": round(h_plan, 2),
                "horizon_savings": round(h_save, 2),
                "worse_off": h_save < -0.005,
            }
        )
    return {
        "costs": {
            "baseline_steady": round(baseline_steady, 2),
            "planned_steady": round(planned_steady, 2),
            "one_off": round(one_off, 2),
            "one_off_breakdown": {k: round(v, 2) for k, v in breakdown.items()},
            "steady_breakdown": {k: round(v, 2) for k, v in steady.items()},
        },
        "objective": one_off + annuity * planned_steady,
        "breakdown": {
            "moves": round(breakdown["migration"], 2),
            "rooms": round(
                breakdown["room_closure"]
                + breakdown["room_opening"]
                + breakdown.get("room_upgrade", 0.0)
                + annuity * steady["rooms_after"],
                2,
            ),
            "desks": round(breakdown["desk_closure"] + annuity * steady["desks_after"], 2),
        },
        "years": years,
        "months": monthly,
        "finance": {
            "npv": round(discounted, 2),
            "total_savings": round(cumulative, 2),
            "payback_month": cal.label(payback) if payback is not None else None,
            "discount_rate": est.discount_rate,
            "horizon_years": est.horizon_years,
            "allocation": ALLOCATION,
        },
        "organisations": organisations,
    }


__all__ = ["ALLOCATION", "desk_fte", "finance", "steady_costs"]
