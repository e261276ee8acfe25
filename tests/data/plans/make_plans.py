"""Write the hand-made plan fixtures under tests/data/plans/ (run from anywhere).

The estates and decisions below are chosen by hand; this script only does the
arithmetic of docs/plan-format.md (month-by-month finance, organisation shares,
staff accounting) so that every figure in the fixtures is consistent. It does
not import planner: the fixtures must not depend on the optimiser.

    python tests/data/plans/make_plans.py

- ``severnvale/``   feasible, optimal: 5 rooms -> 3 (3 closed, a candidate
  opened, a candidate unused), 4 desks -> 2, 8 moves over 5 months, a
  9-month first financial year, 5 years; one partner worse off.
- ``infeasible/``   no feasible plan (separation with --max-rooms 1).
- ``hostile/``      severnvale with markup, script and formula text in names,
  ids and reasons (the reports must show it as text).
- ``large/``        feasible, 9 council rooms -> 2 and 9 desks -> 1 with 300
  moves over two years (for the Gantt chart's readability).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

J = dict[str, Any]


def mi(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def ms(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def fy(i: int) -> str:
    y, m = divmod(i, 12)
    s = y if m >= 3 else y - 1
    return f"{s}/{(s + 1) % 100:02d}"


def r2(x: float) -> float:
    return round(x + 0.0, 2)


def fte(tickets: float, per_fte: float) -> int:
    return math.ceil(tickets / per_fte - 1e-9) if tickets > 0 else 0


def build(est: J, dec: J) -> J:
    """A plan.json dict for the estate ``est`` and the hand-made decisions ``dec``."""
    start = mi(est["start"])
    h = est["horizon_years"]
    first_fy_start = start - ((start % 12 - 3) % 12)  # April of the first year
    end = first_fy_start + 12 * h  # exclusive
    months = list(range(start, end))
    t_of = {w: mi(m) for w, (_, m) in dec["moves"].items()}
    to_of = {w: to for w, (to, _) in dec["moves"].items()}
    rooms = {r["id"]: r for r in est["rooms"]}
    desks = {d["id"]: d for d in est["desks"]}
    orgs = {o["id"]: o for o in est["organisations"]}
    site_org = est["sites"]
    wls = est["workloads"]
    close = {k: mi(v) for k, v in dec["close"].items()}
    open_month: dict[str, int] = {}
    for to, m in dec["moves"].values():
        if rooms[to].get("status") == "candidate":
            open_month[to] = min(open_month.get(to, 10**9), mi(m))

    def room_of(w: J, m: int | None) -> str:  # m None: the target state
        if w["id"] in t_of and (m is None or m >= t_of[w["id"]]):
            return to_of[w["id"]]
        return str(w["room"])

    def room_open(rid: str, m: int | None) -> bool:
        r = rooms[rid]
        if r.get("status") == "candidate":
            return rid in open_month and (m is None or m >= open_month[rid])
        return rid not in close or (m is not None and m < close[rid])

    desk_of = {o: dec["desk"].get(o, orgs[o]["desk"]) for o in orgs}
    desk_close = {d: start + 1 for d in desks if d not in desk_of.values()}

    def desk_state(m: int | None) -> dict[str, tuple[float, list[str]]]:
        """desk -> (FTE, organisations served) in month m (None: target; -1: today)."""
        out: dict[str, tuple[float, list[str]]] = {}
        for d in desks:
            if m == -1:
                served = [o for o in orgs if orgs[o]["desk"] == d]
            else:
                served = [o for o in orgs if desk_of[o] == d]
            if m is not None and m >= 0 and d in desk_close:
                if m >= desk_close[d]:
                    continue
                before = [o for o in orgs if orgs[o]["desk"] == d]
                n = fte(sum(orgs[o]["tickets"] for o in before), desks[d]["tickets_per_fte"])
                out[d] = (n, served)
                continue
            if m is None and d in desk_close:
                continue
            n = fte(sum(orgs[o]["tickets"] for o in served), desks[d]["tickets_per_fte"])
            out[d] = (n, served)
        return out

    def desk_cost(d: str, n: float) -> float:
        return float(desks[d]["fixed_cost"] + n * desks[d]["cost_per_fte"])

    def shares(m: int | None, today: bool = False) -> dict[str, float]:
        """Per-organisation annual cost of the state of month m (or today / the target)."""
        acc: dict[str, float] = defaultdict(float)
        for rid, r in rooms.items():
            if today:
                if r.get("status") == "candidate":
                    continue
            elif not room_open(rid, m):
                continue
            inside = [w for w in wls if (w["room"] if today else room_of(w, m)) == rid]
            racks = sum(w["racks"] for w in inside)
            if racks == 0:
                acc[site_org[r["site"]]] += r["annual_cost"]
            else:
                for w in inside:
                    acc[w["organisation"]] += r["annual_cost"] * w["racks"] / racks
        for d, (n, served) in desk_state(-1 if today else m).items():
            cost = desk_cost(d, n)
            tickets = sum(orgs[o]["tickets"] for o in served)
            if tickets == 0:
                acc[site_org[desks[d]["site"]]] += cost
            else:
                for o in served:
                    acc[o] += cost * orgs[o]["tickets"] / tickets
        return acc

    # -- steady costs
    rooms_before = sum(r["annual_cost"] for r in rooms.values() if r.get("status") != "candidate")
    rooms_after = sum(r["annual_cost"] for rid, r in rooms.items() if room_open(rid, None))
    desks_before = sum(desk_cost(d, n) for d, (n, _) in desk_state(-1).items())
    desks_after = sum(desk_cost(d, n) for d, (n, _) in desk_state(None).items())
    baseline_steady = rooms_before + desks_before
    planned_steady = rooms_after + desks_after

    # -- one-off, by month and by organisation
    one_off_m: dict[int, float] = defaultdict(float)
    one_off_org: dict[str, float] = defaultdict(float)
    wl = {w["id"]: w for w in wls}
    for w, t in t_of.items():
        one_off_m[t] += wl[w]["migration_cost"]
        one_off_org[wl[w]["organisation"]] += wl[w]["migration_cost"]
    for rid, c in close.items():
        cost = rooms[rid]["closure_cost"]
        one_off_m[c - 1] += cost
        inside = [w for w in wls if w["room"] == rid]
        racks = sum(w["racks"] for w in inside)
        for w in inside:
            one_off_org[w["organisation"]] += cost * w["racks"] / racks
        if not inside:
            one_off_org[site_org[rooms[rid]["site"]]] += cost
    for rid, o in open_month.items():
        cost = rooms[rid]["open_cost"]
        one_off_m[o] += cost
        inside = [w for w in wls if room_of(w, None) == rid]
        racks = sum(w["racks"] for w in inside)
        for w in inside:
            one_off_org[w["organisation"]] += cost * w["racks"] / racks
    for d, c in desk_close.items():
        cost = desks[d]["closure_cost"]
        one_off_m[c - 1] += cost
        served = [o for o in orgs if orgs[o]["desk"] == d]
        tickets = sum(orgs[o]["tickets"] for o in served)
        for o in served:
            one_off_org[o] += cost * orgs[o]["tickets"] / tickets
    migration = sum(wl[w]["migration_cost"] for w in t_of)
    room_closure = sum(rooms[r]["closure_cost"] for r in close)
    room_opening = sum(rooms[r]["open_cost"] for r in open_month)
    desk_closure = sum(desks[d]["closure_cost"] for d in desk_close)
    one_off = migration + room_closure + room_opening + desk_closure

    # -- month by month
    planned_m: dict[int, float] = {}
    for m in months:
        cost = sum(rooms[r]["annual_cost"] for r in rooms if room_open(r, m))
        cost += sum(desk_cost(d, n) for d, (n, _) in desk_state(m).items())
        planned_m[m] = cost / 12
    years: list[J] = []
    rate = est["discount_rate"]
    cum = 0.0
    running = 0.0
    last_negative = None
    for y in range(h):
        ym = [m for m in months if fy(m) == fy(first_fy_start + 12 * y)]
        base = baseline_steady / 12 * len(ym)
        plan = sum(planned_m[m] for m in ym)
        oo = sum(one_off_m.get(m, 0.0) for m in ym)
        sav = base - plan - oo
        cum += sav
        df = (1 + rate) ** -(y + 1)
        years.append(
            {
                "year": fy(ym[0]),
                "months": len(ym),
                "baseline": r2(base),
                "planned": r2(plan),
                "one_off": r2(oo),
                "savings": r2(sav),
                "cumulative_savings": r2(cum),
                "discount_factor": round(df, 6),
                "discounted_savings": r2(sav * df),
            }
        )
    for m in months:
        running += baseline_steady / 12 - planned_m[m] - one_off_m.get(m, 0.0)
        if running < -1e-6:
            last_negative = m
    payback = None
    if running >= -1e-6:
        payback = ms(start if last_negative is None else last_negative + 1)
    npv = sum(y["discounted_savings"] for y in years)
    annuity = sum((1 + rate) ** -y for y in range(1, h + 1))
    objective = one_off + annuity * planned_steady

    # -- organisations
    base_share = shares(None, today=True)
    target_share = shares(None)
    horizon_planned: dict[str, float] = defaultdict(float)
    for m in months:
        for o, v in shares(m).items():
            horizon_planned[o] += v / 12
    organisations = []
    for o in orgs:
        hb = base_share.get(o, 0.0) / 12 * len(months)
        hp = horizon_planned.get(o, 0.0)
        oo = one_off_org.get(o, 0.0)
        organisations.append(
            {
                "id": o,
                **({"name": orgs[o]["name"]} if "name" in orgs[o] else {}),
                "baseline": r2(base_share.get(o, 0.0)),
                "planned": r2(target_share.get(o, 0.0)),
                "savings": r2(base_share.get(o, 0.0) - target_share.get(o, 0.0)),
                "one_off": r2(oo),
                "horizon_baseline": r2(hb),
                "horizon_planned": r2(hp),
                "horizon_savings": r2(hb - hp - oo),
                "worse_off": hb - hp - oo < 0,
            }
        )

    # -- staff
    def posts(today: bool) -> tuple[dict[str, float], dict[str, float], J]:
        desk_fte: dict[str, float] = defaultdict(float)
        ops: dict[str, float] = defaultdict(float)
        site_rows: J = {}
        for d, (n, _) in desk_state(-1 if today else None).items():
            s = desks[d]["site"]
            desk_fte[site_org[s]] += n
            site_rows.setdefault(s, [0.0, 0.0])[0] += n
        for rid, r in rooms.items():
            is_open = r.get("status") != "candidate" if today else room_open(rid, None)
            if is_open:
                ops[site_org[r["site"]]] += r["ops_fte"]
                site_rows.setdefault(r["site"], [0.0, 0.0])[1] += r["ops_fte"]
        return desk_fte, ops, site_rows

    d0, o0, s0 = posts(True)
    d1, o1, s1 = posts(False)
    transfer_out: dict[str, float] = defaultdict(float)
    transfer_in: dict[str, float] = defaultdict(float)
    for o in orgs:
        old, new = orgs[o]["desk"], desk_of[o]
        a, b = site_org[desks[old]["site"]], site_org[desks[new]["site"]]
        if a != b:
            amount = orgs[o]["tickets"] / desks[new]["tickets_per_fte"]
            transfer_out[a] += amount
            transfer_in[b] += amount
    by_org = []
    for o in orgs:
        before = d0[o] + o0[o]
        after = d1[o] + o1[o]
        rest = after - (before - transfer_out[o] + transfer_in[o])
        removed, added = (max(0.0, -rest), max(0.0, rest))
        by_org.append(
            {
                "id": o,
                "desk_fte_before": d0[o],
                "desk_fte_after": d1[o],
                "ops_fte_before": o0[o],
                "ops_fte_after": o1[o],
                "transfer_out": r2(transfer_out[o]),
                "transfer_in": r2(transfer_in[o]),
                "removed": r2(removed),
                "added": r2(added),
                "stay_local": r2(before - transfer_out[o] - removed),
            }
        )
    by_site = []
    for s, org in site_org.items():
        if s not in s0 and s not in s1:
            continue
        b, a = s0.get(s, [0.0, 0.0]), s1.get(s, [0.0, 0.0])
        by_site.append(
            {
                "site": s,
                "organisation": org,
                "desk_fte_before": b[0],
                "desk_fte_after": a[0],
                "ops_fte_before": b[1],
                "ops_fte_after": a[1],
            }
        )

    # -- decisions
    plan_rooms = []
    for rid, r in rooms.items():
        if r.get("status") == "candidate":
            decision = "open" if rid in open_month else "unused"
        else:
            decision = "close" if rid in close else "keep"
        before = [w for w in wls if w["room"] == rid]
        after = [w for w in wls if room_of(w, None) == rid]
        plan_rooms.append(
            {
                "id": rid,
                "decision": decision,
                "close_month": ms(close[rid]) if rid in close else None,
                "open_month": ms(open_month[rid]) if rid in open_month else None,
                "site": r["site"],
                "organisation": site_org[r["site"]],
                "annual_cost": float(r["annual_cost"]),
                "racks": r["racks"],
                "power_kw": r["power_kw"],
                "racks_used_before": sum(w["racks"] for w in before),
                "racks_used_after": sum(w["racks"] for w in after),
                "power_used_before": sum(w["power_kw"] for w in before),
                "power_used_after": sum(w["power_kw"] for w in after),
                "zones_before": sorted({w["zone"] for w in before}),
                "zones_after": sorted({w["zone"] for w in after}),
                "accreditations": r["accreditations"],
                "reason": dec["room_reasons"][rid],
            }
        )
    target_desks = desk_state(None)
    today_desks = desk_state(-1)
    plan_desks = []
    for d in desks:
        kept = d in target_desks
        plan_desks.append(
            {
                "id": d,
                "decision": "keep" if kept else "close",
                "fte": target_desks[d][0] if kept else 0,
                "fte_before": today_desks[d][0],
                "close_month": None if kept else ms(desk_close[d]),
                "organisations": target_desks[d][1] if kept else [],
                "reason": dec["desk_reasons"][d],
            }
        )
    assignments = []
    for w in wls:
        moved = w["id"] in t_of
        assignments.append(
            {
                "workload": w["id"],
                "from": w["room"],
                "to": room_of(w, None),
                "month": ms(t_of[w["id"]]) if moved else None,
                "organisation": w["organisation"],
                "zone": w["zone"],
                **({"name": w["name"]} if "name" in w else {}),
                "migration_cost": float(w["migration_cost"]) if moved else 0.0,
                "migration_days": w["migration_days"] if moved else 0,
                "reason": dec["move_reasons"].get(w["id"], "Stays: its room is kept.")
                if moved or w["id"] in dec["move_reasons"]
                else "Stays: its room is kept.",
            }
        )
    desk_assignments = [
        {
            "organisation": o,
            "desk": desk_of[o],
            "from": orgs[o]["desk"],
            "month": ms(start) if desk_of[o] != orgs[o]["desk"] else None,
        }
        for o in orgs
    ]
    waves = []
    for t in sorted(set(t_of.values())):
        names = [w["id"] for w in wls if t_of.get(w["id"]) == t]
        waves.append(
            {
                "month": ms(t),
                "workloads": names,
                "days": float(sum(wl[n]["migration_days"] for n in names)),
                "cost": float(sum(wl[n]["migration_cost"] for n in names)),
            }
        )
    desk_fte_before = sum(n for n, _ in today_desks.values())
    desk_fte_after = sum(n for n, _ in target_desks.values())
    moves_term = float(migration)
    rooms_term = annuity * rooms_after + room_closure + room_opening
    desks_term = annuity * desks_after + desk_closure
    return {
        "format": "planner-plan/1",
        "estate": est["name"],
        "inventory_sha256": est["sha"],
        "planner_version": "0.1.0",
        "created": "2026-11-23T10:00:00Z",
        "options": dec["options"],
        "solver": {
            "status": "optimal",
            "objective": r2(objective),
            "bound": r2(objective),
            "gap": 0.0,
            "wall_s": 2.4,
            "annuity_factor": round(annuity, 6),
            "breakdown": {
                "moves": r2(moves_term),
                "rooms": r2(rooms_term),
                "desks": r2(desks_term),
            },
            "schedule_status": "optimal",
            "schedule_wall_s": 0.3,
        },
        "rooms": plan_rooms,
        "desks": plan_desks,
        "assignments": assignments,
        "desk_assignments": desk_assignments,
        "waves": waves,
        "costs": {
            "baseline_steady": r2(baseline_steady),
            "planned_steady": r2(planned_steady),
            "one_off": r2(one_off),
            "one_off_breakdown": {
                "migration": r2(migration),
                "room_closure": r2(room_closure),
                "room_opening": r2(room_opening),
                "desk_closure": r2(desk_closure),
            },
            "steady_breakdown": {
                "rooms_before": r2(rooms_before),
                "rooms_after": r2(rooms_after),
                "desks_before": r2(desks_before),
                "desks_after": r2(desks_after),
            },
        },
        "years": years,
        "finance": {
            "npv": r2(npv),
            "total_savings": r2(sum(y["savings"] for y in years)),
            "payback_month": payback,
            "discount_rate": rate,
            "horizon_years": h,
            "allocation": "rooms by racks share, desks by ticket share",
        },
        "organisations": organisations,
        "staff": {
            "desk_fte_before": desk_fte_before,
            "desk_fte_after": desk_fte_after,
            "ops_fte_before": sum(o0.values()),
            "ops_fte_after": sum(o1.values()),
            "by_organisation": by_org,
            "by_site": by_site,
        },
        "explanation": [],
    }


# ---------------------------------------------------------------- severnvale

SEVERNVALE: J = {
    "name": "Severnvale shared ICT",
    "sha": "5e1c0a9f" * 8,
    "start": "2027-07",
    "horizon_years": 5,
    "discount_rate": 0.035,
    "organisations": [
        {
            "id": "severn-county",
            "name": "Severnvale County Council",
            "tickets": 20000,
            "desk": "county-desk",
        },
        {
            "id": "riverside",
            "name": "Riverside District Council",
            "tickets": 9000,
            "desk": "riverside-desk",
        },
        {
            "id": "hilltop",
            "name": "Hilltop Borough Council",
            "tickets": 8000,
            "desk": "hilltop-desk",
        },
        {"id": "vale-pct", "name": "Vale Primary Care Trust", "tickets": 7000, "desk": "pct-desk"},
    ],
    "sites": {
        "county-hall": "severn-county",
        "county-annexe": "severn-county",
        "business-park": "severn-county",
        "science-park": "severn-county",
        "riverside-house": "riverside",
        "hilltop-offices": "hilltop",
        "pct-hq": "vale-pct",
    },
    "rooms": [
        {
            "id": "county-hall-mr",
            "site": "county-hall",
            "annual_cost": 160000,
            "closure_cost": 50000,
            "racks": 12,
            "power_kw": 48,
            "ops_fte": 2,
            "accreditations": ["psn"],
        },
        {
            "id": "annexe-mr",
            "site": "county-annexe",
            "annual_cost": 65000,
            "closure_cost": 20000,
            "racks": 4,
            "power_kw": 16,
            "ops_fte": 1,
            "accreditations": ["psn"],
        },
        {
            "id": "riverside-mr",
            "site": "riverside-house",
            "annual_cost": 85000,
            "closure_cost": 30000,
            "racks": 5,
            "power_kw": 20,
            "ops_fte": 1,
            "accreditations": ["psn"],
        },
        {
            "id": "hilltop-mr",
            "site": "hilltop-offices",
            "annual_cost": 90000,
            "closure_cost": 35000,
            "racks": 5,
            "power_kw": 20,
            "ops_fte": 1.5,
            "accreditations": ["psn"],
        },
        {
            "id": "pct-mr",
            "site": "pct-hq",
            "annual_cost": 95000,
            "closure_cost": 40000,
            "racks": 4,
            "power_kw": 16,
            "ops_fte": 1,
            "accreditations": ["dspt"],
        },
        {
            "id": "colo-hall",
            "site": "business-park",
            "annual_cost": 120000,
            "closure_cost": 0,
            "open_cost": 60000,
            "racks": 20,
            "power_kw": 80,
            "ops_fte": 0.5,
            "accreditations": ["psn", "dspt"],
            "status": "candidate",
        },
        {
            "id": "science-park-colo",
            "site": "science-park",
            "annual_cost": 150000,
            "closure_cost": 0,
            "open_cost": 90000,
            "racks": 30,
            "power_kw": 120,
            "ops_fte": 0.5,
            "accreditations": ["psn", "dspt"],
            "status": "candidate",
        },
    ],
    "desks": [
        {
            "id": "county-desk",
            "site": "county-hall",
            "fixed_cost": 60000,
            "cost_per_fte": 35000,
            "tickets_per_fte": 4000,
            "seats": 12,
            "closure_cost": 15000,
        },
        {
            "id": "riverside-desk",
            "site": "riverside-house",
            "fixed_cost": 30000,
            "cost_per_fte": 34000,
            "tickets_per_fte": 3500,
            "seats": 4,
            "closure_cost": 10000,
        },
        {
            "id": "hilltop-desk",
            "site": "hilltop-offices",
            "fixed_cost": 30000,
            "cost_per_fte": 34000,
            "tickets_per_fte": 3500,
            "seats": 4,
            "closure_cost": 10000,
        },
        {
            "id": "pct-desk",
            "site": "pct-hq",
            "fixed_cost": 35000,
            "cost_per_fte": 34000,
            "tickets_per_fte": 3500,
            "seats": 4,
            "closure_cost": 12000,
        },
    ],
    "workloads": [
        {
            "id": "county-finance",
            "name": "Finance and payroll",
            "organisation": "severn-county",
            "zone": "official",
            "room": "county-hall-mr",
            "racks": 2,
            "power_kw": 8,
            "migration_cost": 15000,
            "migration_days": 10,
        },
        {
            "id": "county-email",
            "name": "Email and file servers",
            "organisation": "severn-county",
            "zone": "official",
            "room": "county-hall-mr",
            "racks": 2,
            "power_kw": 8,
            "migration_cost": 10000,
            "migration_days": 8,
        },
        {
            "id": "county-backup",
            "name": "Backup and DR copies",
            "organisation": "severn-county",
            "zone": "official",
            "room": "annexe-mr",
            "racks": 1.5,
            "power_kw": 6,
            "migration_cost": 9000,
            "migration_days": 6,
        },
        {
            "id": "county-social-care",
            "name": "Adult social care case management",
            "organisation": "severn-county",
            "zone": "official",
            "room": "annexe-mr",
            "racks": 1,
            "power_kw": 4,
            "migration_cost": 16000,
            "migration_days": 10,
        },
        {
            "id": "riverside-revs",
            "name": "Revenues and benefits",
            "organisation": "riverside",
            "zone": "official",
            "room": "riverside-mr",
            "racks": 1,
            "power_kw": 4,
            "migration_cost": 160000,
            "migration_days": 8,
        },
        {
            "id": "riverside-sql",
            "name": "SQL Server (revenues database)",
            "organisation": "riverside",
            "zone": "official",
            "room": "riverside-mr",
            "racks": 1,
            "power_kw": 4,
            "migration_cost": 8000,
            "migration_days": 5,
        },
        {
            "id": "riverside-email",
            "name": "Email",
            "organisation": "riverside",
            "zone": "official",
            "room": "riverside-mr",
            "racks": 1,
            "power_kw": 3,
            "migration_cost": 6000,
            "migration_days": 6,
        },
        {
            "id": "hilltop-planning",
            "name": "Planning applications",
            "organisation": "hilltop",
            "zone": "official",
            "room": "hilltop-mr",
            "racks": 1,
            "power_kw": 4,
            "migration_cost": 11000,
            "migration_days": 7,
        },
        {
            "id": "hilltop-gis",
            "name": "GIS and mapping",
            "organisation": "hilltop",
            "zone": "official",
            "room": "hilltop-mr",
            "racks": 1.5,
            "power_kw": 6,
            "migration_cost": 14000,
            "migration_days": 9,
        },
        {
            "id": "hilltop-files",
            "name": "File servers",
            "organisation": "hilltop",
            "zone": "official",
            "room": "hilltop-mr",
            "racks": 1,
            "power_kw": 4,
            "migration_cost": 7000,
            "migration_days": 5,
        },
        {
            "id": "pct-records",
            "name": "Community health records",
            "organisation": "vale-pct",
            "zone": "nhs",
            "room": "pct-mr",
            "racks": 2,
            "power_kw": 8,
            "migration_cost": 25000,
            "migration_days": 15,
        },
        {
            "id": "pct-db",
            "name": "Community health records database",
            "organisation": "vale-pct",
            "zone": "nhs",
            "room": "pct-mr",
            "racks": 1,
            "power_kw": 4,
            "migration_cost": 10000,
            "migration_days": 6,
        },
    ],
}

SEVERNVALE_DECISIONS: J = {
    "options": {"max_rooms": 3, "max_desks": 2, "time_limit_s": 60, "workers": 2, "seed": 0},
    "moves": {
        "riverside-revs": ("county-hall-mr", "2027-08"),
        "riverside-sql": ("county-hall-mr", "2027-08"),
        "riverside-email": ("county-hall-mr", "2027-09"),
        "county-backup": ("colo-hall", "2027-10"),
        "hilltop-planning": ("colo-hall", "2027-10"),
        "hilltop-gis": ("colo-hall", "2027-10"),
        "hilltop-files": ("colo-hall", "2027-11"),
        "county-social-care": ("colo-hall", "2028-01"),
    },
    "close": {"riverside-mr": "2027-10", "hilltop-mr": "2027-12", "annexe-mr": "2028-02"},
    "desk": {"riverside": "county-desk", "hilltop": "county-desk"},
    "room_reasons": {
        "county-hall-mr": "Kept: the largest council room (12 racks, PSN); it takes Riverside's "
        "three systems and ends 7 of 12 racks full.",
        "annexe-mr": "Closed: its two systems move to colo-hall; saves £65,000 a year for £20,000 "
        "to decommission. Lease ends January 2028.",
        "riverside-mr": "Closed: its three systems fit in county-hall-mr, 4 ms away on PSN; saves "
        "£85,000 a year for £30,000.",
        "hilltop-mr": "Closed: too small (5 racks) to take the county's systems; its three "
        "systems move to colo-hall. Saves £90,000 a year for £35,000.",
        "pct-mr": "Kept: the only DSPT room that may hold NHS data apart from council systems "
        "(nhs and official must not share a room).",
        "colo-hall": "Opened: the 6 racks of council systems that do not fit in county-hall-mr "
        "need a PSN room; cheaper than keeping hilltop-mr and annexe-mr "
        "(£120,000 against £155,000 a year).",
        "science-park-colo": "Not used: colo-hall holds the same systems for £30,000 a year less.",
    },
    "desk_reasons": {
        "county-desk": "Kept: serves the three councils (37,000 tickets, 10 FTE in 12 seats).",
        "riverside-desk": "Closed: Riverside's 9,000 tickets go to county-desk; saves £132,000 "
        "a year.",
        "hilltop-desk": "Closed: Hilltop's 8,000 tickets go to county-desk; saves £132,000 a year.",
        "pct-desk": "Kept: the PCT's staff need NHS information-governance clearance "
        "(nhs-ig), which county-desk does not hold.",
    },
    "move_reasons": {
        "riverside-revs": "riverside-mr closes; county-hall-mr is 4 ms from Riverside House "
        "(limit 20 ms). Moves with riverside-sql (2 ms dependency); the supplier charges "
        "£160,000 to re-host it.",
        "riverside-sql": "riverside-mr closes; moves with riverside-revs (2 ms dependency).",
        "riverside-email": "riverside-mr closes; county-hall-mr has room (7 of 12 racks).",
        "county-backup": "annexe-mr closes; DR copy must not sit on County Hall's site.",
        "hilltop-planning": "hilltop-mr closes; county-hall-mr is full, colo-hall is 6 ms "
        "from Hilltop Offices.",
        "hilltop-gis": "hilltop-mr closes; moves with hilltop-planning (shared database).",
        "hilltop-files": "hilltop-mr closes; October's 40 person-days are used, so November.",
        "county-social-care": "annexe-mr closes; after the autumn benefits run (not_before "
        "2028-01-01).",
    },
}


def severnvale() -> J:
    return build(SEVERNVALE, SEVERNVALE_DECISIONS)


# ---------------------------------------------------------------- infeasible


def infeasible() -> J:
    return {
        "format": "planner-plan/1",
        "estate": "Tiny shared ICT (Midshire and Brookford)",
        "inventory_sha256": "9b2f4e01" * 8,
        "planner_version": "0.1.0",
        "created": "2026-11-23T10:05:00Z",
        "options": {"max_rooms": 1, "max_desks": None, "time_limit_s": 60, "workers": 2, "seed": 0},
        "solver": {
            "status": "infeasible",
            "objective": None,
            "bound": None,
            "gap": None,
            "wall_s": 0.2,
        },
        "rooms": [],
        "desks": [],
        "assignments": [],
        "desk_assignments": [],
        "waves": [],
        "costs": {"baseline_steady": 545000.0},
        "years": [],
        "organisations": [],
        "staff": {"desk_fte_before": 5, "ops_fte_before": 4},
        "explanation": [
            "--max-rooms 1 allows one machine room, but zones nhs and official may not share "
            "a room (estate.yaml separate: [nhs, official]).",
            "care-record and care-db (zone nhs) and county-finance, county-email, "
            "district-revs and district-sql (zone official) therefore need at least two rooms.",
            "Allow two rooms (--max-rooms 2) or remove the separation rule to get a plan.",
        ],
    }


# ---------------------------------------------------------------- hostile

HOSTILE_RENAMES = {
    "Severnvale shared ICT": "<script>alert(1)</script> & \"Severn\" 'vale' [bold]ICT[/]",
    "hilltop-gis": "<script>alert(1)</script>",
    "riverside-mr": "<b>riverside</b>-mr|pipe",
    "hilltop": "[red]hilltop[/red]",
    "official": "</svg><script>alert('zone')</script>",
    "colo-hall": "colo\"hall'<i>",
}


def hostile() -> J:
    plan = _rename(severnvale(), HOSTILE_RENAMES)
    plan["rooms"][0]["reason"] = "<img src=x onerror=alert(2)> kept & *bold* _it_ `code`"
    plan["assignments"][4]["reason"] = '=HYPERLINK("http://evil.example","click")'
    plan["assignments"][5]["reason"] = "@SUM(1+1)\u0007 bell and\ttab"
    plan["desks"][0]["reason"] = "# not a heading\n- not a list | cell"
    return plan


def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        if value in names:
            return names[value]
        for old, new in names.items():
            if value.startswith(old + " ") or f" {old} " in value:
                value = value.replace(f" {old} ", f" {new} ")
        return value
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    return value


# ---------------------------------------------------------------- large


def large() -> J:
    rnd = random.Random(2009)
    councils = [
        "cheshire-cc",
        "chester",
        "epn",
        "vale-royal",
        "congleton",
        "crewe",
        "macclesfield",
        "schools",
        "care",
    ]
    rooms_of = {c: f"{c}-mr" for c in councils}
    est: J = {
        "name": "Large synthetic shared ICT (nine rooms to two)",
        "sha": "0badc0de" * 8,
        "start": "2009-04",
        "horizon_years": 5,
        "discount_rate": 0.035,
        "organisations": [
            {"id": c, "tickets": 6000 + 1000 * i, "desk": f"{c}-desk"}
            for i, c in enumerate(councils)
        ]
        + [{"id": "police", "tickets": 24000, "desk": "police-desk"}],
        "sites": {
            **{f"{c}-site": c for c in councils},
            "police-hq": "police",
            "colo-site": "cheshire-cc",
        },
        "rooms": [
            {
                "id": rooms_of[c],
                "site": f"{c}-site",
                "annual_cost": 110000 + 5000 * i,
                "closure_cost": 40000,
                "racks": 30 if i < 2 else 8,
                "power_kw": 150 if i < 2 else 30,
                "ops_fte": 2,
                "accreditations": ["psn"],
            }
            for i, c in enumerate(councils)
        ]
        + [
            {
                "id": "police-hq-dc",
                "site": "police-hq",
                "annual_cost": 170000,
                "closure_cost": 60000,
                "racks": 10,
                "power_kw": 60,
                "ops_fte": 3,
                "accreditations": ["pasf"],
            },
            {
                "id": "crewe-colo",
                "site": "colo-site",
                "annual_cost": 270000,
                "closure_cost": 0,
                "open_cost": 120000,
                "racks": 30,
                "power_kw": 200,
                "ops_fte": 0,
                "accreditations": ["psn", "dspt"],
                "status": "candidate",
            },
        ],
        "desks": [
            {
                "id": f"{c}-desk",
                "site": f"{c}-site",
                "fixed_cost": 30000,
                "cost_per_fte": 34000,
                "tickets_per_fte": 3500 if i else 6400,
                "seats": 24 if i == 0 else 5,
                "closure_cost": 20000,
            }
            for i, c in enumerate(councils)
        ]
        + [
            {
                "id": "police-desk",
                "site": "police-hq",
                "fixed_cost": 60000,
                "cost_per_fte": 38000,
                "tickets_per_fte": 4000,
                "seats": 8,
                "closure_cost": 30000,
            }
        ],
        "workloads": [],
    }
    moves: dict[str, tuple[str, str]] = {}
    move_reasons: dict[str, str] = {}
    month = mi("2009-05")
    used = 0
    for i, c in enumerate(councils):
        for k in range(32):
            wid = f"{c}-sys{k:02d}"
            days = rnd.choice([2, 3, 4, 5, 6])
            est["workloads"].append(
                {
                    "id": wid,
                    "organisation": c,
                    "zone": "official",
                    "room": rooms_of[c],
                    "racks": 0.25,
                    "power_kw": 1.0,
                    "migration_cost": 2000 + 500 * days,
                    "migration_days": days,
                }
            )
            if i >= 2:
                if used + days > 60:
                    month += 1
                    used = 0
                used += days
                to = "cheshire-cc-mr" if k % 2 else "chester-mr"
                moves[wid] = (to, ms(month))
                move_reasons[wid] = f"{rooms_of[c]} closes; {to} is within latency."
    for k in range(30):
        est["workloads"].append(
            {
                "id": f"police-sys{k:02d}",
                "organisation": "police",
                "zone": "police",
                "room": "police-hq-dc",
                "racks": 0.2,
                "power_kw": 0.8,
                "migration_cost": 5000,
                "migration_days": 5,
            }
        )
    last = {}
    for w, (_, m) in moves.items():
        r = w.rsplit("-sys", 1)[0] + "-mr"
        last[r] = max(last.get(r, 0), mi(m))
    dec: J = {
        "options": {"max_rooms": 3, "max_desks": 2, "time_limit_s": 600, "workers": 8, "seed": 0},
        "moves": moves,
        "close": {r: ms(t + 1) for r, t in last.items()},
        "desk": {c: "cheshire-cc-desk" for c in councils},
        "room_reasons": {
            r["id"]: (
                "Kept."
                if r["id"] in ("cheshire-cc-mr", "chester-mr", "police-hq-dc")
                else "Closed: its systems fit in the two county rooms."
            )
            for r in est["rooms"]
        },
        "desk_reasons": {d["id"]: "Merged into cheshire-cc-desk." for d in est["desks"]},
        "move_reasons": move_reasons,
    }
    return build(est, dec)


def write(name: str, plan: J) -> None:
    d = HERE / name
    d.mkdir(exist_ok=True)
    text = json.dumps(plan, indent=2, ensure_ascii=False) + "\n"
    (d / "plan.json").write_text(text, encoding="utf-8")
    print(f"wrote {d / 'plan.json'}")


if __name__ == "__main__":
    write("severnvale", severnvale())
    write("infeasible", infeasible())
    write("hostile", hostile())
    write("large", large())
