"""Assemble plan.json (docs/plan-format.md) from the target estate, its schedule and reasons."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from planner import __version__
from planner.inventory.items import COMPUTE, Inventory
from planner.inventory.load import inventory_sha256
from planner.inventory.months import Calendar
from planner.plan.finance import finance
from planner.plan.shares import PENCE, split
from planner.plan.staff import staff
from planner.plan.timeline import Timeline, desk_fte, room_use
from planner.planfile import FORMAT
from planner.schedule import Schedule
from planner.solver import Outcome
from planner.target import EstateProblem, Target, move_cost


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def header(estate_dir: Path, name: str, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "estate": name,
        "inventory_sha256": inventory_sha256(estate_dir),
        "planner_version": __version__,
        "created": _now(),
        "options": options,
    }


def _solver_section(
    outcome: Outcome,
    objective: float | None,
    annuity: float,
    schedule: Schedule | None,
    status: str,
    breakdown: dict[str, float] | None = None,
) -> dict[str, Any]:
    bound = outcome.bound
    if objective is not None and bound is not None and outcome.status.value == "optimal":
        bound = objective
    gap = None
    if objective is not None and bound is not None:
        gap = 0.0 if abs(objective - bound) < 0.005 else max(0.0, (objective - bound) / objective)
    return {
        "status": status,
        "objective": round(objective, 2) if objective is not None else None,
        "bound": round(bound, 2) if bound is not None else None,
        "gap": round(gap, 6) if gap is not None else None,
        "wall_s": round(outcome.wall_s, 3),
        "target_status": outcome.status.value,
        "annuity_factor": round(annuity, 10),
        "breakdown": breakdown or {},
        "schedule_status": schedule.status if schedule else None,
        "schedule_gap": schedule.gap if schedule else None,
        "schedule_method": schedule.method if schedule else None,
        "schedule_wall_s": round(schedule.wall_s, 3) if schedule else None,
    }


def infeasible_plan(
    head: dict[str, Any],
    ep: EstateProblem,
    outcome: Outcome,
    schedule: Schedule | None,
    explanation: list[str],
) -> dict[str, Any]:
    """A plan with no decisions and the reasons no plan exists."""
    inv = ep.inventory
    baseline = sum(r.annual_cost for r in inv.rooms if r.status == "existing")
    tickets: dict[str, int] = defaultdict(int)
    for o in inv.organisations:
        tickets[o.desk] += o.tickets_per_year
    baseline += sum(
        d.fixed_cost + desk_fte(tickets[d.id], d.tickets_per_fte) * d.cost_per_fte
        for d in inv.service_desks
    )
    status = (
        "infeasible"
        if outcome.status.value == "infeasible"
        or (schedule is not None and schedule.status == "infeasible")
        else "unknown"
    )
    return {
        **head,
        "solver": _solver_section(outcome, None, ep.annuity, schedule, status),
        "rooms": [],
        "desks": [],
        "assignments": [],
        "desk_assignments": [],
        "waves": [],
        "move_groups": [],
        "costs": {"baseline_steady": round(baseline, 2), "planned_steady": None, "one_off": None},
        "years": [],
        "organisations": [],
        "staff": {
            "desk_fte_before": None,
            "desk_fte_after": None,
            "ops_fte_before": None,
            "ops_fte_after": None,
        },
        "explanation": explanation,
    }


def compute_in(inv: Inventory) -> tuple[str, ...]:
    """The compute resources an estate speaks of (a room states it or a workload needs
    it): each room of plan.json then gives its capacity (null: not limited) and use."""
    return tuple(
        k
        for k in COMPUTE
        if any(getattr(r, k) is not None for r in inv.rooms)
        or any(getattr(w, k) > 0 for w in inv.workloads)
    )


def feasible_plan(
    head: dict[str, Any],
    ep: EstateProblem,
    outcome: Outcome,
    target: Target,
    schedule: Schedule,
    reasons: dict[str, dict[str, str]],
    shapley: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The full plan for a target estate and its schedule (``shapley``: the partners'
    Shapley values, for ``share_rule: shapley``)."""
    inv = ep.inventory
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    tl = Timeline(inv, target, schedule)
    money = finance(tl)
    transfers = fair_split(money, inv.estate.share_rule, shapley)

    def month(m: int | None) -> str | None:
        return cal.label(m) if m is not None else None

    today = room_use(inv, {w.id: w.room for w in inv.workloads})
    after = room_use(inv, target.room_of)

    def used(room: str, resource: str, when: str) -> float:
        return (today if when == "before" else after)[(room, resource)] / 1000

    zones_before: dict[str, set[str]] = defaultdict(set)
    zones_after: dict[str, set[str]] = defaultdict(set)
    for w in inv.workloads:
        zones_before[w.room].add(w.zone)
        zones_after[target.room_of[w.id]].add(w.zone)
    compute = compute_in(inv)
    peaks = {k: tl.peak_use(k) for k in compute}

    rooms = []
    for r in inv.rooms:
        is_open = r.id in target.open_rooms
        if r.status == "existing":
            decision = "keep" if is_open else "close"
        else:
            decision = "open" if is_open else "unused"
        entry: dict[str, Any] = {
            "id": r.id,
            "decision": decision,
            "close_month": month(schedule.close_month.get(r.id)),
            "open_month": month(schedule.open_month.get(r.id, 0 if decision == "open" else None)),
            "site": r.site,
            "organisation": inv.site[r.site].organisation,
            "status": r.status,
            "annual_cost": r.annual_cost,
            "racks": r.racks,
            "power_kw": r.power_kw,
            "racks_used_before": used(r.id, "racks", "before"),
            "racks_used_after": used(r.id, "racks", "after"),
            "power_used_before": used(r.id, "power_kw", "before"),
            "power_used_after": used(r.id, "power_kw", "after"),
        }
        for k in compute:
            entry[k] = getattr(r, k)
            entry[f"{k}_used_before"] = used(r.id, k, "before")
            entry[f"{k}_used_after"] = used(r.id, k, "after")
        if compute:
            entry["peaks"] = [
                {"resource": k, "month": month(peaks[k][r.id][0]), "used": peaks[k][r.id][1] / 1000}
                for k in compute
            ]
        entry |= {
            "zones_before": sorted(zones_before[r.id]),
            "zones_after": sorted(zones_after[r.id]),
            "accreditations": list(r.accreditations),
        }
        if r.upgrades:
            entry["upgrades_bought"] = [
                {
                    "accreditation": u.accreditation,
                    "month": cal.label(g),
                    "cost": u.cost,
                    "annual_cost": u.annual_cost,
                }
                for rid, u, g in tl.upgrades
                if rid == r.id
            ]
        if r.within is not None:
            entry["within"] = r.within
        entry |= {"ops_fte": r.ops_fte, "reason": reasons["rooms"].get(r.id, "")}
        rooms.append(entry)
    serving: dict[str, list[str]] = defaultdict(list)
    for o in inv.organisations:
        serving[target.desk_of[o.id]].append(o.id)
    desks = [
        {
            "id": d.id,
            "decision": "keep" if d.id in tl.open_desks else "close",
            "fte": tl.desk_fte_after[d.id] if d.id in tl.open_desks else 0,
            "fte_before": tl.desk_fte_before[d.id],
            "close_month": month(schedule.desk_close_month.get(d.id)),
            "site": d.site,
            "organisation": inv.site[d.site].organisation,
            "seats": d.seats,
            "organisations": serving.get(d.id, []),
            "reason": reasons["desks"].get(d.id, ""),
        }
        for d in inv.service_desks
    ]
    assignments = []
    for w in inv.workloads:
        to = target.room_of[w.id]
        moves = to != w.room
        assignments.append(
            {
                "workload": w.id,
                "from": w.room,
                "to": to,
                "month": month(schedule.move_month.get(w.id)),
                "organisation": w.organisation,
                "zone": w.zone,
                "name": w.name,
                "migration_cost": (
                    move_cost(w, schedule.move_month[w.id], cal)
                    if moves and w.id in schedule.move_month
                    else 0.0
                ),
                "migration_days": w.migration_days if moves else 0.0,
                "reason": reasons["moves"].get(w.id, ""),
            }
        )
    desk_assignments = [
        {
            "organisation": o.id,
            "desk": target.desk_of[o.id],
            "from": o.desk,
            "month": month(schedule.desk_switch_month.get(o.id)),
        }
        for o in inv.organisations
    ]
    by_month: dict[int, list[str]] = defaultdict(list)
    for w in inv.workloads:
        if w.id in schedule.move_month:
            by_month[schedule.move_month[w.id]].append(w.id)
    waves = [
        {
            "month": cal.label(m),
            "workloads": wids,
            "days": round(sum(inv.workload[w].migration_days for w in wids), 4),
            "cost": round(sum(move_cost(inv.workload[w], m, cal) for w in wids), 2),
        }
        for m, wids in sorted(by_month.items())
    ]
    status = outcome.status.value
    return {
        **head,
        "solver": _solver_section(
            outcome, money["objective"], ep.annuity, schedule, status, money["breakdown"]
        ),
        "rooms": rooms,
        "desks": desks,
        "assignments": assignments,
        "desk_assignments": desk_assignments,
        "waves": waves,
        "move_groups": schedule.move_groups,
        "zones": zone_rules(ep),
        "separate": [sorted(pair) for pair in sorted(inv.separated_pairs, key=sorted)],
        "costs": money["costs"],
        "years": money["years"],
        "months": money["months"],
        "finance": money["finance"],
        "organisations": money["organisations"],
        "transfers": transfers,
        "staff": staff(tl),
        "explanation": [],
    }


def fair_split(
    money: dict[str, Any], rule: str, shapley: dict[str, float] | None
) -> list[dict[str, Any]]:
    """Each organisations row's share under ``rule`` and its net after transfers; the
    rule in the finance section; the transfers (:mod:`planner.plan.shares`)."""
    rows = money["organisations"]
    fair = split(rows, rule, shapley)
    for row in rows:
        row["share"] = fair.share[row["id"]] / PENCE
        row["horizon_savings_after_transfers"] = fair.share[row["id"]] / PENCE
        if shapley is not None:
            row["shapley_value"] = shapley[row["id"]]
    money["finance"]["share_rule"] = rule
    return [{"from": a, "to": b, "amount": pence / PENCE} for a, b, pence in fair.transfers]


def zone_rules(ep: EstateProblem) -> list[dict[str, Any]]:
    """The zones' security rules, so reports can show each one is met."""
    return [
        {
            "id": z.id,
            "name": z.name,
            "networks": list(z.networks),
            "requires": list(z.requires),
            "isolation": z.isolation,
        }
        for z in ep.inventory.zones
    ]
