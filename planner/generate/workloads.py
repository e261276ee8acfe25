"""Workloads: an organisation's systems, placed in its rooms, with their databases and
disaster-recovery replicas.

Racks 0.25-3 (mostly 0.25-0.5), power 0.5-8 kW at 2-5.5 kW a rack; users at 1-3 of
the owner's sites; ``max_latency_ms`` 8-40, mostly 15-30, so a workload reaches
rooms in its own area and often a neighbouring one but not the country. Systems
with a database get a ``-db`` workload, co-located today, that the application
``depends_on`` within 1-5 ms (with the same users and limit, so it stays local
too). About 12% of applications of organisations with rooms on two sites have a
``-dr`` replica on another site (``distinct_site_from``). Migration cost GBP
2k-60k and 1-20 person-days, both growing with size; about 2% pinned, 4% with
``not_before`` and 4% with ``not_after``.
"""

from __future__ import annotations

import datetime as dt
import math

from planner.generate.catalogues import COMMON, LOWER_TIER, NHS, POLICE, UPPER_TIER
from planner.generate.records import START, Org, RoomPlan, Run, Tier, clamp, slug
from planner.inventory.items import Dependency, Workload

RACK_SIZES = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
RACK_WEIGHTS = (60, 24, 10, 3, 2, 1)
LATENCY_LIMITS = (8, 10, 12, 15, 18, 20, 25, 30, 35, 40)
LATENCY_WEIGHTS = (3, 4, 6, 12, 14, 16, 18, 14, 8, 5)


def add_workloads(run: Run, org: Org) -> None:
    """Fill the organisation's rooms with its workloads (every room gets at least one)."""
    rng = run.rng
    target = _workload_count(run, org.tier)
    catalogue = _catalogue(org.tier)
    rng.shuffle(catalogue)
    weights = [2.0 if r.main else 1.0 for r in org.rooms]
    multi_site = len({r.site for r in org.rooms}) > 1
    made = 0
    turn = 0
    while made < target:
        name, has_db = catalogue[turn % len(catalogue)]
        if turn >= len(catalogue):
            name = f"{name} ({turn // len(catalogue) + 1})"
        turn += 1
        # Every room gets one workload before the rest are placed by weight.
        if turn <= len(org.rooms):
            room_index = turn - 1
        else:
            room_index = rng.choices(range(len(org.rooms)), weights)[0]
        room = org.rooms[room_index]
        made += _add_system(run, org, name, has_db, room, multi_site, target - made)


def _add_system(
    run: Run, org: Org, name: str, has_db: bool, room: RoomPlan, multi_site: bool, room_for: int
) -> int:
    """One system in ``room``: its application, and its database and DR replica when
    drawn and there is room for them among the ``room_for`` workloads still to make.
    Returns the number of workloads made."""
    rng = run.rng
    base = run.unique_id(f"{org.id}-{slug(name)}")
    users = _users(run, org)
    limit = _limit(run, org, users, room.site)
    extra = _extras(run)
    deps: list[Dependency] = []
    group: list[Workload] = []
    if has_db and room_for >= 2:
        db_id = run.unique_id(f"{base}-db")
        deps.append(Dependency(workload=db_id, max_latency_ms=rng.randint(1, 5)))
        group.append(_workload(run, org, db_id, f"{name} (database)", room, users, limit, [], []))
    dr: list[str] = []
    if multi_site and rng.random() < 0.12 and len(group) + 2 <= room_for:
        others = [r for r in org.rooms if r.site != room.site]
        dr_room = rng.choice(others)
        dr_id = run.unique_id(f"{base}-dr")
        dr.append(dr_id)
        dr_limit = _limit(run, org, users, dr_room.site)
        group.append(
            _workload(run, org, dr_id, f"{name} (DR replica)", dr_room, users, dr_limit, [], [])
        )
    app_name = f"{name} (application)" if deps else name
    main = _workload(run, org, base, app_name, room, users, limit, deps, dr, **extra)
    org.workloads.append(main)
    org.workloads.extend(group)
    return 1 + len(group)


def _catalogue(tier: Tier) -> list[tuple[str, bool]]:
    if tier == "police":
        return list(POLICE)
    if tier == "nhs":
        return list(NHS)
    out = list(COMMON)
    if tier in ("county", "unitary"):
        out += UPPER_TIER
    if tier in ("district", "unitary"):
        out += LOWER_TIER
    return out


def _workload_count(run: Run, tier: Tier) -> int:
    rng = run.rng
    if tier == "police":
        return rng.randint(15, 40)
    if tier == "nhs":
        return rng.randint(10, 30)
    mode = 46 if tier == "county" else 38
    return round(rng.triangular(20, 60, mode))


def _users(run: Run, org: Org) -> list[str]:
    rng = run.rng
    k = rng.randint(1, min(3, len(org.sites)))
    picked = sorted(rng.sample(range(len(org.sites)), k))
    return [org.sites[i].id for i in picked]


def _limit(run: Run, org: Org, users: list[str], site: str) -> float:
    """A latency limit from the mix, never below today's latency (star on the HQ)."""
    today = max(0.0 if u == site else org.wan_ms[u] + org.wan_ms[site] for u in users)
    limit = float(run.rng.choices(LATENCY_LIMITS, LATENCY_WEIGHTS)[0])
    return max(limit, math.ceil(today + 1))


def _months_after(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1)


def _extras(run: Run) -> dict[str, object]:
    """Pinned (2%), a ``not_before`` (4%) or a ``not_after`` (4%)."""
    rng = run.rng
    extra: dict[str, object] = {}
    r = rng.random()
    if r < 0.02:
        extra["pinned"] = True
    elif r < 0.06:
        extra["not_before"] = _months_after(START, rng.randint(3, 18))
    elif r < 0.10:
        extra["not_after"] = dt.date(START.year + rng.randint(1, 4), 3, 31)
    return extra


def _workload(
    run: Run,
    org: Org,
    ident: str,
    name: str,
    room: RoomPlan,
    users: list[str],
    limit: float,
    deps: list[Dependency],
    dr: list[str],
    **extra: object,
) -> Workload:
    """A workload in ``room`` (its size added to the room's), with its migration cost."""
    rng = run.rng
    racks = rng.choices(RACK_SIZES, RACK_WEIGHTS)[0]
    power = round(clamp(racks * rng.uniform(2.0, 5.5), 0.5, 8.0), 1)
    room.racks += racks
    room.power += power
    cost = round(
        clamp(2000 + racks * rng.uniform(5000, 18000) + rng.uniform(0, 4000), 2000, 60000), -2
    )
    days = int(clamp(round(1 + racks * rng.uniform(2, 6) + rng.uniform(0, 4)), 1, 20))
    return Workload.model_validate(
        {
            "id": ident,
            "organisation": org.id,
            "name": name,
            "zone": org.zone,
            "room": room.id,
            "racks": racks,
            "power_kw": power,
            "users": users,
            "max_latency_ms": limit,
            "depends_on": deps,
            "distinct_site_from": dr,
            "migration_cost": cost,
            "migration_days": days,
            **extra,
        }
    )
