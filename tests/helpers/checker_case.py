"""A small estate and a hand-made valid plan for it, every figure worked out by hand.

Shared by the checker's tests. Nothing here imports planner: the estate is
written as YAML and the plan is a plain dict, so the checker is tested against
arithmetic done independently of it.

The estate (start 2027-01-01, 2 financial years: 2026/27 has 3 months, 2027/28
has 12, so T = 15 months, 2027-01 .. 2028-03; r = 5%; 20 person-days a month;
DR pairs 10 km apart):

    sites      n-hall (north) 52.0,-1.0   n-dc (north) 52.2,-1.0
               s-office (south) 51.9,-1.1 h-hosp (health) 52.1,-1.2
    links wan  n-hall-n-dc 2 ms, n-hall-s-office 3, n-dc-s-office 4, n-hall-h-hosp 5
          hscn h-hosp-n-dc 3 ms
    zones      official [wan] requires psn; nhs [hscn] requires dspt; separate nhs/official
    rooms      h-mr (h-hosp) 4 racks 16 kW 48,000/yr [dspt] ops 1, close cost 6,000
               n-hall-mr (n-hall) 10 racks 40 kW 120,000/yr [psn] ops 2, close 24,000
               n-dc-new (n-dc) candidate 6 racks 24 kW 36,000/yr open 18,000 [psn, dspt] ops 1
               s-mr (s-office) 4 racks 16 kW 60,000/yr [psn] ops 1, close 12,000,
                    earliest_close 2027-02-15
    desks      health-desk (h-hosp) 1 seat, 6,000 + 36,000/FTE, 1,000 tickets/FTE, [sc]
               north-desk (n-hall) 4 seats, 24,000 + 36,000/FTE, 3,000 tickets/FTE
               south-desk (s-office) 2 seats, 12,000 + 36,000/FTE, 2,500 tickets/FTE, close 6,000
    orgs       health 1,000 tickets [sc]; north 8,000; south 3,000; shared service: north, south
    workloads  care (health, nhs, h-mr, 1 rack 4 kW, users h-hosp & n-dc <= 5 ms, needs care-db
                    within 3 ms, pinned)
               care-db (health, nhs, h-mr, 1 rack 4 kW)
               north-app (north, official, n-hall-mr, 2 racks 8 kW, users n-hall & s-office
                    <= 10 ms, DR pair of north-app-dr)
               north-app-dr (north, official, s-mr, 1 rack 4 kW, users s-office <= 4 ms,
                    DR pair of north-app; move 6,000 and 10 days)
               south-revs (south, official, s-mr, 1 rack 4 kW, users s-office <= 5 ms, needs
                    south-db within 0 ms; move 9,000 and 15 days; not_before 2027-02-01)
               south-db (south, official, s-mr, 1 rack 4 kW; move 3,000 and 5 days)

The plan: close s-mr (close_month 2027-03: its last move out is in 2027-02 and
its first closed day must be after 2027-02-15); open n-dc-new for north-app-dr
(moved 2027-01: 22.2 km from north-app, 4 ms from s-office); move south-revs
and south-db to n-hall-mr together in 2027-02 (15 + 5 = 20 person-days); serve
south from north-desk (11,000 tickets / 3,000 = 3.67 -> 4 FTE = 4 seats); close
south-desk (close_month 2027-02, month 1).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ESTATE: dict[str, dict[str, Any]] = {
    "estate.yaml": {
        "estate": {
            "name": "Checker test estate",
            "start": "2027-01-01",
            "horizon_years": 2,
            "discount_rate": 0.05,
            "migration_days_per_month": 20,
            "dr_min_distance_km": 10,
            "shared_service": ["north", "south"],
        },
        "networks": [{"id": "wan"}, {"id": "hscn"}],
        "zones": [
            {"id": "official", "networks": ["wan"], "requires": ["psn"]},
            {"id": "nhs", "networks": ["hscn"], "requires": ["dspt"]},
        ],
        "separate": [["nhs", "official"]],
        "links": [
            {"a": "n-hall", "b": "n-dc", "network": "wan", "latency_ms": 2},
            {"a": "n-hall", "b": "s-office", "network": "wan", "latency_ms": 3},
            {"a": "n-dc", "b": "s-office", "network": "wan", "latency_ms": 4},
            {"a": "n-hall", "b": "h-hosp", "network": "wan", "latency_ms": 5},
            {"a": "h-hosp", "b": "n-dc", "network": "hscn", "latency_ms": 3},
        ],
    },
    "health.yaml": {
        "organisations": [
            {
                "id": "health",
                "kind": "nhs",
                "tickets_per_year": 1000,
                "vetting": ["sc"],
                "desk": "health-desk",
            }
        ],
        "sites": [{"id": "h-hosp", "organisation": "health", "lat": 52.1, "lon": -1.2}],
        "rooms": [
            {
                "id": "h-mr",
                "site": "h-hosp",
                "racks": 4,
                "power_kw": 16,
                "annual_cost": 48000,
                "closure_cost": 6000,
                "accreditations": ["dspt"],
                "ops_fte": 1,
            }
        ],
        "service_desks": [
            {
                "id": "health-desk",
                "site": "h-hosp",
                "seats": 1,
                "fixed_cost": 6000,
                "cost_per_fte": 36000,
                "tickets_per_fte": 1000,
                "vetting": ["sc"],
            }
        ],
        "workloads": [
            {
                "id": "care",
                "organisation": "health",
                "zone": "nhs",
                "room": "h-mr",
                "racks": 1,
                "power_kw": 4,
                "users": ["h-hosp", "n-dc"],
                "max_latency_ms": 5,
                "depends_on": [{"workload": "care-db", "max_latency_ms": 3}],
                "migration_cost": 5000,
                "migration_days": 5,
                "pinned": True,
            },
            {
                "id": "care-db",
                "organisation": "health",
                "zone": "nhs",
                "room": "h-mr",
                "racks": 1,
                "power_kw": 4,
                "migration_cost": 2000,
                "migration_days": 2,
            },
        ],
    },
    "north.yaml": {
        "organisations": [
            {"id": "north", "kind": "county", "tickets_per_year": 8000, "desk": "north-desk"}
        ],
        "sites": [
            {"id": "n-hall", "organisation": "north", "lat": 52.0, "lon": -1.0},
            {"id": "n-dc", "organisation": "north", "lat": 52.2, "lon": -1.0},
        ],
        "rooms": [
            {
                "id": "n-hall-mr",
                "site": "n-hall",
                "racks": 10,
                "power_kw": 40,
                "annual_cost": 120000,
                "closure_cost": 24000,
                "accreditations": ["psn"],
                "ops_fte": 2,
            },
            {
                "id": "n-dc-new",
                "site": "n-dc",
                "status": "candidate",
                "racks": 6,
                "power_kw": 24,
                "annual_cost": 36000,
                "open_cost": 18000,
                "accreditations": ["psn", "dspt"],
                "ops_fte": 1,
            },
        ],
        "service_desks": [
            {
                "id": "north-desk",
                "site": "n-hall",
                "seats": 4,
                "fixed_cost": 24000,
                "cost_per_fte": 36000,
                "tickets_per_fte": 3000,
            }
        ],
        "workloads": [
            {
                "id": "north-app",
                "organisation": "north",
                "zone": "official",
                "room": "n-hall-mr",
                "racks": 2,
                "power_kw": 8,
                "users": ["n-hall", "s-office"],
                "max_latency_ms": 10,
                "distinct_site_from": ["north-app-dr"],
                "migration_cost": 20000,
                "migration_days": 10,
            },
            {
                "id": "north-app-dr",
                "organisation": "north",
                "zone": "official",
                "room": "s-mr",
                "racks": 1,
                "power_kw": 4,
                "users": ["s-office"],
                "max_latency_ms": 4,
                "distinct_site_from": ["north-app"],
                "migration_cost": 6000,
                "migration_days": 10,
            },
        ],
    },
    "south.yaml": {
        "organisations": [
            {"id": "south", "kind": "district", "tickets_per_year": 3000, "desk": "south-desk"}
        ],
        "sites": [{"id": "s-office", "organisation": "south", "lat": 51.9, "lon": -1.1}],
        "rooms": [
            {
                "id": "s-mr",
                "site": "s-office",
                "racks": 4,
                "power_kw": 16,
                "annual_cost": 60000,
                "closure_cost": 12000,
                "accreditations": ["psn"],
                "earliest_close": "2027-02-15",
                "ops_fte": 1,
            }
        ],
        "service_desks": [
            {
                "id": "south-desk",
                "site": "s-office",
                "seats": 2,
                "fixed_cost": 12000,
                "cost_per_fte": 36000,
                "tickets_per_fte": 2500,
                "closure_cost": 6000,
            }
        ],
        "workloads": [
            {
                "id": "south-revs",
                "organisation": "south",
                "zone": "official",
                "room": "s-mr",
                "racks": 1,
                "power_kw": 4,
                "users": ["s-office"],
                "max_latency_ms": 5,
                "depends_on": [{"workload": "south-db", "max_latency_ms": 0}],
                "migration_cost": 9000,
                "migration_days": 15,
                "not_before": "2027-02-01",
            },
            {
                "id": "south-db",
                "organisation": "south",
                "zone": "official",
                "room": "s-mr",
                "racks": 1,
                "power_kw": 4,
                "migration_cost": 3000,
                "migration_days": 5,
            },
        ],
    },
}


def estate_files() -> dict[str, dict[str, Any]]:
    """A fresh copy of the estate's files (to corrupt one thing)."""
    return copy.deepcopy(ESTATE)


def write_estate(directory: Path, files: dict[str, dict[str, Any]] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in (files or ESTATE).items():
        (directory / name).write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return directory


def sha_of(directory: Path) -> str:
    """The documented digest, written out here (not the checker's): for each input file
    sorted by name, its name bytes, NUL, its bytes, NUL."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml"), key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def item(files: dict[str, dict[str, Any]], section: str, ident: str) -> dict[str, Any]:
    """The dict of one item of the estate's files, to change in place."""
    for content in files.values():
        for entry in content.get(section, []):
            if entry.get("id") == ident:
                return entry
    raise KeyError(ident)


# A = 1/1.05 + 1/1.05^2 = 0.952380952 + 0.907029478 = 1.859410431
#
# Baseline a year: rooms 48,000 + 120,000 + 60,000 = 228,000 (the candidate is not open);
# desks: health 6,000 + 1 x 36,000 = 42,000 (1,000 / 1,000 = 1 FTE);
#        north 24,000 + 3 x 36,000 = 132,000 (8,000 / 3,000 = 2.67 -> 3 FTE);
#        south 12,000 + 2 x 36,000 = 84,000 (3,000 / 2,500 = 1.2 -> 2 FTE); desks 258,000.
# baseline_steady = 486,000 (40,500 a month).
# Planned a year: rooms 48,000 + 120,000 + 36,000 = 204,000; desks: health 42,000,
# north 24,000 + 4 x 36,000 = 168,000 (11,000 / 3,000 = 3.67 -> 4 FTE); desks 210,000.
# planned_steady = 414,000 (34,500 a month).
# One-off: moves 6,000 + 9,000 + 3,000 = 18,000; closing s-mr 12,000; opening n-dc-new
# 18,000; closing south-desk 6,000: 54,000.
# Objective = 54,000 + 1.859410431 x 414,000 = 54,000 + 769,795.918 = 823,795.92.
# Breakdown: moves 18,000; rooms 12,000 + 18,000 + A x 204,000 (379,319.728) = 409,319.73;
# desks 6,000 + A x 210,000 (390,476.190) = 396,476.19.
#
# Month by month (planned; one-off):
#   2027-01 (0): rooms 4,000 + 10,000 + 3,000 (n-dc-new opens) + 5,000 = 22,000; desks
#                health 3,500 + north 14,000 (4 FTE from month 0) + south 7,000 (closing:
#                its 2 FTE until close_month 2027-02) = 24,500 -> 46,500;
#                one-off 6,000 (north-app-dr) + 18,000 (open n-dc-new) + 6,000 (south-desk
#                closes in the month before its close_month) = 30,000
#   2027-02 (1): rooms 22,000; desks 17,500 -> 39,500; one-off 9,000 + 3,000 (moves)
#                + 12,000 (s-mr closure, the month before its close_month) = 24,000
#   2027-03 (2) .. 2028-03 (14): rooms 17,000 + desks 17,500 = 34,500; one-off 0
# 2026/27 (3 months): baseline 121,500; planned 46,500 + 39,500 + 34,500 = 120,500;
#   one-off 54,000; savings 121,500 - 120,500 - 54,000 = -53,000; x 1/1.05 = -50,476.19
# 2027/28 (12 months): baseline 486,000; planned 414,000; one-off 0; savings 72,000;
#   cumulative 19,000; x 1/1.05^2 = 65,306.12
# NPV = -50,476.19 + 65,306.12 = 14,829.93; total savings 19,000.
# Payback: running net savings -36,000 (Jan), -59,000 (Feb), -53,000 (Mar), then +6,000 a
#   month: -47,000 (Apr) ... -5,000 (Nov), +1,000 in 2027-12 and positive after.
#
# Organisations (rooms by racks, desks by tickets):
#   baseline: north: n-hall-mr 120,000 (north-app alone) + s-mr 60,000 x 1/3 racks = 20,000
#             + north-desk 132,000 = 272,000
#             south: s-mr 60,000 x 2/3 = 40,000 + south-desk 84,000 = 124,000
#             health: h-mr 48,000 + health-desk 42,000 = 90,000
#   planned:  north: n-hall-mr 120,000 x 2/4 = 60,000 + n-dc-new 36,000 + north-desk
#             168,000 x 8/11 = 122,181.82 -> 218,181.82
#             south: 60,000 + 168,000 x 3/11 = 45,818.18 -> 105,818.18
#             health: 90,000
#   savings:  north 53,818.18; south 18,181.82; health 0
#   one-off:  north 6,000 (move) + 4,000 (s-mr closure by today's racks, 1/3) + 18,000
#             (opening n-dc-new, which hosts north-app-dr) = 28,000
#             south 12,000 (moves) + 8,000 (closure, 2/3) + 6,000 (south-desk, served south)
#             = 26,000; health 0
#   horizon_baseline (15 months): north 272,000 x 15/12 = 340,000; south 155,000;
#             health 112,500
#   horizon_planned: north: Jan 10,000 (n-hall-mr) + 3,000 (n-dc-new); Feb 5,000 + 3,000
#             (n-hall-mr shared 2:2 from the move); 13 months x 8,000; plus north-desk
#             15 x 14,000 x 8/11 = 152,727.27 -> 13,000 + 8,000 + 104,000 + 152,727.27
#             = 277,727.27
#             south: Jan 5,000 (s-mr: south's two workloads) + 7,000 (south-desk, serving
#             nobody: its site's owner); Feb 5,000 (n-hall-mr half) + 5,000 (s-mr, empty:
#             its owner); 13 x 5,000; plus 15 x 14,000 x 3/11 = 57,272.73
#             -> 12,000 + 10,000 + 65,000 + 57,272.73 = 144,272.73
#             health: 15 x (4,000 + 3,500) = 112,500
#   horizon_savings: north 340,000 - 277,727.27 - 28,000 = 34,272.73
#             south 155,000 - 144,272.73 - 26,000 = -15,272.73 (worse off); health 0
#
# Staff: desk FTE 1 + 3 + 2 = 6 before, 1 + 4 = 5 after; ops 1 + 2 + 1 = 4 before,
#   1 + 2 + 1 (n-dc-new) = 4 after.
#   south's desk work moves to north's desk: 3,000 / 3,000 = 1.0 FTE transferred.
#   north: before 3 + 2 = 5, after 4 + 3 = 7: 7 = 5 - 0 + 1 - 0 + 1 (added 1), stay 5
#   south: before 2 + 1 = 3, after 0: 0 = 3 - 1 + 0 - 2 + 0 (removed 2), stay 0
#   health: 2 and 2, nothing moves, stay 2


def _room(
    ident: str,
    decision: str,
    close: str | None,
    opened: str | None,
    site: str,
    org: str,
    cost: float,
    racks: float,
    power: float,
    used: tuple[float, float],
    kw: tuple[float, float],
    zones: tuple[list[str], list[str]],
    accreditations: list[str],
) -> dict[str, Any]:
    return {
        "id": ident,
        "decision": decision,
        "close_month": close,
        "open_month": opened,
        "site": site,
        "organisation": org,
        "annual_cost": cost,
        "racks": racks,
        "power_kw": power,
        "racks_used_before": used[0],
        "racks_used_after": used[1],
        "power_used_before": kw[0],
        "power_used_after": kw[1],
        "zones_before": zones[0],
        "zones_after": zones[1],
        "accreditations": accreditations,
        "reason": "by hand",
    }


def _assign(
    workload: str,
    org: str,
    zone: str,
    src: str,
    dst: str,
    month: str | None,
    cost: float,
    days: float,
) -> dict[str, Any]:
    return {
        "workload": workload,
        "from": src,
        "to": dst,
        "month": month,
        "organisation": org,
        "zone": zone,
        "migration_cost": cost,
        "migration_days": days,
        "reason": "by hand",
    }


def _org(
    ident: str,
    baseline: float,
    planned: float,
    savings: float,
    one_off: float,
    hb: float,
    hp: float,
    hs: float,
    worse: bool,
) -> dict[str, Any]:
    return {
        "id": ident,
        "baseline": baseline,
        "planned": planned,
        "savings": savings,
        "one_off": one_off,
        "horizon_baseline": hb,
        "horizon_planned": hp,
        "horizon_savings": hs,
        "worse_off": worse,
        "share": hs,  # share_rule allocated: each keeps its net
        "horizon_savings_after_transfers": hs,
    }


def _staff(
    ident: str,
    desk: tuple[int, int],
    ops: tuple[float, float],
    out: float,
    into: float,
    removed: float,
    added: float,
    stay: float,
) -> dict[str, Any]:
    return {
        "id": ident,
        "desk_fte_before": desk[0],
        "desk_fte_after": desk[1],
        "ops_fte_before": ops[0],
        "ops_fte_after": ops[1],
        "transfer_out": out,
        "transfer_in": into,
        "removed": removed,
        "added": added,
        "stay_local": stay,
    }


def _site(ident: str, org: str, desk: tuple[int, int], ops: tuple[float, float]) -> dict[str, Any]:
    return {
        "site": ident,
        "organisation": org,
        "desk_fte_before": desk[0],
        "desk_fte_after": desk[1],
        "ops_fte_before": ops[0],
        "ops_fte_after": ops[1],
    }


def valid_plan(sha: str) -> dict[str, Any]:
    """The hand-made plan (see the module docstring and the arithmetic above)."""
    return {
        "format": "planner-plan/1",
        "estate": "Checker test estate",
        "inventory_sha256": sha,
        "planner_version": "0.1.0",
        "created": "2026-11-23T10:00:00Z",
        "options": {"max_rooms": 2, "max_desks": 1, "time_limit_s": 60, "seed": 0},
        "solver": {
            "status": "optimal",
            "objective": 823795.92,
            "bound": 823795.92,
            "gap": 0.0,
            "wall_s": 0.5,
            "annuity_factor": 1.859410,
            "breakdown": {"moves": 18000.0, "rooms": 409319.73, "desks": 396476.19},
            "schedule_status": "optimal",
            "schedule_wall_s": 0.1,
        },
        "rooms": [
            _room(
                "h-mr",
                "keep",
                None,
                None,
                "h-hosp",
                "health",
                48000.0,
                4,
                16,
                (2, 2),
                (8, 8),
                (["nhs"], ["nhs"]),
                ["dspt"],
            ),
            _room(
                "n-hall-mr",
                "keep",
                None,
                None,
                "n-hall",
                "north",
                120000.0,
                10,
                40,
                (2, 4),
                (8, 16),
                (["official"], ["official"]),
                ["psn"],
            ),
            _room(
                "n-dc-new",
                "open",
                None,
                "2027-01",
                "n-dc",
                "north",
                36000.0,
                6,
                24,
                (0, 1),
                (0, 4),
                ([], ["official"]),
                ["psn", "dspt"],
            ),
            _room(
                "s-mr",
                "close",
                "2027-03",
                None,
                "s-office",
                "south",
                60000.0,
                4,
                16,
                (3, 0),
                (12, 0),
                (["official"], []),
                ["psn"],
            ),
        ],
        "desks": [
            {
                "id": "health-desk",
                "decision": "keep",
                "fte": 1,
                "fte_before": 1,
                "close_month": None,
                "organisations": ["health"],
                "reason": "by hand",
            },
            {
                "id": "north-desk",
                "decision": "keep",
                "fte": 4,
                "fte_before": 3,
                "close_month": None,
                "organisations": ["north", "south"],
                "reason": "by hand",
            },
            {
                "id": "south-desk",
                "decision": "close",
                "fte": 0,
                "fte_before": 2,
                "close_month": "2027-02",
                "organisations": [],
                "reason": "by hand",
            },
        ],
        "assignments": [
            _assign("care", "health", "nhs", "h-mr", "h-mr", None, 0.0, 0),
            _assign("care-db", "health", "nhs", "h-mr", "h-mr", None, 0.0, 0),
            _assign("north-app", "north", "official", "n-hall-mr", "n-hall-mr", None, 0.0, 0),
            _assign("north-app-dr", "north", "official", "s-mr", "n-dc-new", "2027-01", 6000.0, 10),
            _assign("south-revs", "south", "official", "s-mr", "n-hall-mr", "2027-02", 9000.0, 15),
            _assign("south-db", "south", "official", "s-mr", "n-hall-mr", "2027-02", 3000.0, 5),
        ],
        "desk_assignments": [
            {"organisation": "health", "desk": "health-desk", "from": "health-desk", "month": None},
            {"organisation": "north", "desk": "north-desk", "from": "north-desk", "month": None},
            {
                "organisation": "south",
                "desk": "north-desk",
                "from": "south-desk",
                "month": "2027-01",
            },
        ],
        "waves": [
            {"month": "2027-01", "workloads": ["north-app-dr"], "days": 10.0, "cost": 6000.0},
            {
                "month": "2027-02",
                "workloads": ["south-revs", "south-db"],
                "days": 20.0,
                "cost": 12000.0,
            },
        ],
        "costs": {
            "baseline_steady": 486000.0,
            "planned_steady": 414000.0,
            "one_off": 54000.0,
            "one_off_breakdown": {
                "migration": 18000.0,
                "room_closure": 12000.0,
                "room_opening": 18000.0,
                "desk_closure": 6000.0,
            },
            "steady_breakdown": {
                "rooms_before": 228000.0,
                "rooms_after": 204000.0,
                "desks_before": 258000.0,
                "desks_after": 210000.0,
            },
        },
        "years": [
            {
                "year": "2026/27",
                "months": 3,
                "baseline": 121500.0,
                "planned": 120500.0,
                "one_off": 54000.0,
                "savings": -53000.0,
                "cumulative_savings": -53000.0,
                "discount_factor": 0.952381,
                "discounted_savings": -50476.19,
            },
            {
                "year": "2027/28",
                "months": 12,
                "baseline": 486000.0,
                "planned": 414000.0,
                "one_off": 0.0,
                "savings": 72000.0,
                "cumulative_savings": 19000.0,
                "discount_factor": 0.907029,
                "discounted_savings": 65306.12,
            },
        ],
        "finance": {
            "npv": 14829.93,
            "total_savings": 19000.0,
            "payback_month": "2027-12",
            "discount_rate": 0.05,
            "horizon_years": 2,
            "allocation": "rooms by racks share, desks by ticket share",
            "share_rule": "allocated",
        },
        "transfers": [],
        "organisations": [
            _org("health", 90000.0, 90000.0, 0.0, 0.0, 112500.0, 112500.0, 0.0, False),
            _org(
                "north",
                272000.0,
                218181.82,
                53818.18,
                28000.0,
                340000.0,
                277727.27,
                34272.73,
                False,
            ),
            _org(
                "south",
                124000.0,
                105818.18,
                18181.82,
                26000.0,
                155000.0,
                144272.73,
                -15272.73,
                True,
            ),
        ],
        "staff": {
            "desk_fte_before": 6,
            "desk_fte_after": 5,
            "ops_fte_before": 4.0,
            "ops_fte_after": 4.0,
            "by_organisation": [
                _staff("health", (1, 1), (1, 1), 0.0, 0.0, 0.0, 0.0, 2.0),
                _staff("north", (3, 4), (2, 3), 0.0, 1.0, 0.0, 1.0, 5.0),
                _staff("south", (2, 0), (1, 0), 1.0, 0.0, 2.0, 0.0, 0.0),
            ],
            "by_site": [
                _site("h-hosp", "health", (1, 1), (1, 1)),
                _site("n-hall", "north", (3, 4), (2, 2)),
                _site("n-dc", "north", (0, 0), (0, 1)),
                _site("s-office", "south", (2, 0), (1, 0)),
            ],
        },
        "move_groups": [["south-revs", "south-db"]],  # south-revs needs south-db within 0 ms
        "zones": [
            {
                "id": "official",
                "name": "",
                "networks": ["wan"],
                "requires": ["psn"],
                "isolation": "none",
            },
            {
                "id": "nhs",
                "name": "",
                "networks": ["hscn"],
                "requires": ["dspt"],
                "isolation": "none",
            },
        ],
        "separate": [["nhs", "official"]],
        "months": months_rows(
            # (planned, one-off) of 2027-01, 2027-02, 2027-03 (see above); then 34,500 a
            # month and no one-off: savings 40,500 - 34,500 = 6,000 a month.
            [(46500.0, 30000.0), (39500.0, 24000.0), (34500.0, 0.0)]
        ),
        "explanation": [],
    }


MONTHS = [f"2027-{m:02d}" for m in range(1, 13)] + ["2028-01", "2028-02", "2028-03"]


def months_rows(
    first: list[tuple[float, float]],
    baseline: float = 40500.0,
    then: tuple[float, float] = (34500.0, 0.0),
) -> list[dict[str, Any]]:
    """The monthly series: ``baseline`` every month; the given (planned, one-off) of the
    first months, then ``then`` (40,500 and (34,500, 0) for :func:`valid_plan`); savings
    and their running sum."""
    rows, cumulative = [], 0.0
    for i, month in enumerate(MONTHS):
        planned, one_off = first[i] if i < len(first) else then
        savings = baseline - planned - one_off
        cumulative += savings
        rows.append(
            {
                "month": month,
                "baseline": baseline,
                "planned": planned,
                "one_off": one_off,
                "savings": savings,
                "cumulative_savings": cumulative,
            }
        )
    return rows


def desk_change_plan(sha: str) -> dict[str, Any]:
    """The same decisions when south may change desk only from 2027-02-10 (desk_change_from).

    south moves to north-desk in 2027-02 (month 1); south-desk closes the month after its
    last organisation leaves, 2027-03, and its 6,000 closure falls in 2027-02.
      2027-01: rooms 22,000; north-desk serves north only: 24,000 + 3 x 36,000 = 132,000 a
               year -> 11,000; south-desk (its 2 FTE) 7,000; health 3,500 -> 43,500;
               one-off 6,000 + 18,000 = 24,000
      2027-02: rooms 22,000; north-desk 14,000 (4 FTE); south-desk 7,000 (closing, 2 FTE
               until 2027-03); health 3,500 -> 46,500; one-off 9,000 + 3,000 + 12,000
               + 6,000 = 30,000
      2027-03 on: 34,500 and no one-off, as before.
    2026/27: planned 43,500 + 46,500 + 34,500 = 124,500; savings 121,500 - 124,500 - 54,000
      = -57,000; x 1/1.05 = -54,285.71. 2027/28 as before: 72,000, cumulative 15,000.
    NPV = -54,285.71 + 65,306.12 = 11,020.41. Payback: -27,000, -63,000, -57,000, then
      +6,000 a month: -3,000 in 2027-12, +3,000 in 2028-01.
    horizon_planned: north: 2027-01 13,000 + 11,000 (north-desk serves north alone); then
      14 months of the north-desk at 14,000 x 8/11 = 142,545.45; rooms 8,000 + 13 x 8,000
      -> 13,000 + 11,000 + 8,000 + 104,000 + 142,545.45 = 278,545.45
      south: 2027-01 s-mr 5,000 + south-desk 7,000 (it still serves south); 2027-02
      n-hall-mr 5,000 + s-mr 5,000 (empty: its owner) + south-desk 7,000 (serving nobody:
      its owner); 13 x 5,000; 14 x 14,000 x 3/11 = 53,454.55 -> 12,000 + 17,000 + 65,000
      + 53,454.55 = 147,454.55
    horizon_savings: north 340,000 - 278,545.45 - 28,000 = 33,454.55; south 155,000
      - 147,454.55 - 26,000 = -18,454.55.
    """
    plan = valid_plan(sha)
    next(d for d in plan["desk_assignments"] if d["organisation"] == "south")["month"] = "2027-02"
    next(d for d in plan["desks"] if d["id"] == "south-desk")["close_month"] = "2027-03"
    plan["years"][0].update(
        planned=124500.0,
        savings=-57000.0,
        cumulative_savings=-57000.0,
        discounted_savings=-54285.71,
    )
    plan["years"][1].update(cumulative_savings=15000.0)
    plan["finance"].update(npv=11020.41, total_savings=15000.0, payback_month="2028-01")
    orgs = {o["id"]: o for o in plan["organisations"]}
    orgs["north"].update(horizon_planned=278545.45, horizon_savings=33454.55)
    orgs["south"].update(horizon_planned=147454.55, horizon_savings=-18454.55)
    for o in ("north", "south"):  # share_rule allocated: each keeps its net
        orgs[o].update(share=orgs[o]["horizon_savings"])
        orgs[o].update(horizon_savings_after_transfers=orgs[o]["horizon_savings"])
    plan["months"] = months_rows([(43500.0, 24000.0), (46500.0, 30000.0), (34500.0, 0.0)])
    return plan


def infeasible_plan(sha: str) -> dict[str, Any]:
    """No feasible plan (as with --max-rooms 0: the council workloads need a room)."""
    return {
        "format": "planner-plan/1",
        "estate": "Checker test estate",
        "inventory_sha256": sha,
        "planner_version": "0.1.0",
        "created": "2026-11-23T10:00:00Z",
        "options": {"max_rooms": 0},
        "solver": {
            "status": "infeasible",
            "objective": None,
            "bound": None,
            "gap": None,
            "wall_s": 0.1,
        },
        "rooms": [],
        "desks": [],
        "assignments": [],
        "desk_assignments": [],
        "waves": [],
        "costs": {"baseline_steady": 486000.0},
        "years": [],
        "organisations": [],
        "explanation": [
            "north-app, south-revs and others need a room of the shared service "
            "(north, south), but --max-rooms is 0"
        ],
    }


# ----------------------------------------------------------------- upgrades and suites
#
# The estate with the decisions of spec/decisions.md: the same as above, plus
#   zone police  [wan] requires psn and pasf, isolation: room
#   n-hall-suite a secure suite within n-hall-mr (site left out: n-hall's), existing,
#                2 racks 8 kW 12,000/yr [psn, pasf], closure 3,000, no ops staff
#   pnc          (north, police, n-hall-suite, 1 rack 4 kW, users n-hall <= 5 ms; move
#                4,000 and 4 days)
#   n-dc-new     holds only dspt of its own; it offers psn: 9,000 once, 2,400 a year,
#                lead_months 2 (2027-03 at the earliest)
#   n-hall-mr    offers dspt (50,000, 5,000 a year, no lead time); not bought
#
# The plan: as valid_plan, but north-app-dr moves to n-dc-new in 2027-03, the first month
# the psn upgrade may hold: the plan buys it for 2027-03, and n-dc-new opens then; s-mr,
# left at its last move out in 2027-03, closes in 2027-04. The suite is kept with its
# parent, pnc stays in it (police beside the council systems of n-hall-mr, across the
# suite wall). --max-rooms 2 holds only because suites do not count: the shared service
# keeps n-hall-mr and n-dc-new, and the suite.
#
# A = 1.859410431 as before.
# Baseline a year: rooms 228,000 + 12,000 (suite) = 240,000; desks 258,000; 498,000
#   (41,500 a month).
# Planned a year: rooms h-mr 48,000 + n-hall-mr 120,000 + suite 12,000 + n-dc-new 36,000
#   + its upgrade 2,400 = 218,400; desks 210,000; 428,400 (35,700 a month).
# One-off: moves 18,000; s-mr closure 12,000; opening 18,000; desk closure 6,000; upgrade
#   9,000: 63,000.
# Objective = 63,000 + A x 428,400 (796,571.429) = 859,571.43.
# Breakdown: moves 18,000; rooms 12,000 + 18,000 + 9,000 + A x 218,400 (406,095.238)
#   = 445,095.24; desks 396,476.19 as before.
#
# Month by month (planned; one-off):
#   2027-01 (0): rooms 4,000 + 10,000 + 1,000 (suite) + 5,000 (s-mr) = 20,000; desks
#                3,500 + 14,000 + 7,000 (south-desk, closing 2027-02) = 24,500 -> 44,500;
#                one-off 6,000 (south-desk closure)
#   2027-02 (1): rooms 20,000; desks 17,500 -> 37,500; one-off 9,000 + 3,000 (moves)
#   2027-03 (2): rooms 20,000 + n-dc-new 3,000 + its upgrade 200 = 23,200; desks 17,500
#                -> 40,700; one-off 6,000 (north-app-dr) + 18,000 (opening) + 9,000
#                (upgrade) + 12,000 (s-mr closure, the month before its close_month) = 45,000
#   2027-04 (3) .. 2028-03 (14): rooms 18,200 + desks 17,500 = 35,700; one-off 0
# Savings a month: -9,000, -8,000, -44,200, then +5,800; running: -9,000, -17,000,
#   -61,200, then -55,400 ... -3,200 in 2028-01, +2,600 in 2028-02 (payback), 8,400 at the end.
# 2026/27: baseline 124,500; planned 122,700; one-off 63,000; savings -61,200; x 1/1.05
#   = -58,285.71. 2027/28: baseline 498,000; planned 428,400; savings 69,600; cumulative
#   8,400; x 1/1.05^2 = 63,129.25. NPV 4,843.54; total savings 8,400.
#
# Organisations:
#   baseline: north 120,000 + 12,000 (suite: pnc) + 20,000 (s-mr, 1/3) + 132,000 = 284,000;
#             south 124,000; health 90,000
#   planned:  north 60,000 (n-hall-mr 2/4) + 12,000 + 36,000 + 2,400 (the upgrade, like
#             its room: north-app-dr's) + 122,181.82 = 232,581.82; south 105,818.18;
#             health 90,000. Savings: north 51,418.18, south 18,181.82, health 0.
#   one-off:  north 6,000 + 4,000 + 18,000 + 9,000 (the upgrade, like the opening: by
#             n-dc-new's use in the target, all north's) = 37,000; south 26,000; health 0
#   horizon_baseline: north 284,000 x 15/12 = 355,000; south 155,000; health 112,500
#   horizon_planned: north: suite 15 x 1,000; n-hall-mr 10,000 (Jan, north-app alone)
#             + 14 x 5,000; s-mr 5,000/3 (Jan) + 5,000 (Feb: north-app-dr alone);
#             n-dc-new with its upgrade 13 x 3,200 = 41,600; north-desk 152,727.27
#             -> 15,000 + 80,000 + 6,666.67 + 41,600 + 152,727.27 = 295,993.94
#             south: n-hall-mr 14 x 5,000; s-mr 10,000/3 (Jan) + 5,000 (Mar: empty, its
#             owner); south-desk 7,000 (Jan, serving nobody); north-desk 57,272.73
#             -> 70,000 + 8,333.33 + 7,000 + 57,272.73 = 142,606.06
#             health 112,500 (total 551,100 = the months' planned)
#   horizon_savings: north 355,000 - 295,993.94 - 37,000 = 22,006.06; south 155,000
#             - 142,606.06 - 26,000 = -13,606.06 (worse off); health 0
# Staff: as valid_plan (the suite has no operations staff).

POLICE_ZONE = {
    "id": "police",
    "networks": ["wan"],
    "requires": ["psn", "pasf"],
    "isolation": "room",
}
SUITE = {
    "id": "n-hall-suite",
    "within": "n-hall-mr",
    "racks": 2,
    "power_kw": 8,
    "annual_cost": 12000,
    "closure_cost": 3000,
    "accreditations": ["psn", "pasf"],
}
PNC = {
    "id": "pnc",
    "organisation": "north",
    "zone": "police",
    "room": "n-hall-suite",
    "racks": 1,
    "power_kw": 4,
    "users": ["n-hall"],
    "max_latency_ms": 5,
    "migration_cost": 4000,
    "migration_days": 4,
}
PSN_UPGRADE = {"accreditation": "psn", "cost": 9000, "annual_cost": 2400, "lead_months": 2}
DSPT_UPGRADE = {"accreditation": "dspt", "cost": 50000, "annual_cost": 5000, "lead_months": 0}


def decisions_files() -> dict[str, dict[str, Any]]:
    """The estate's files with a police zone, a secure suite and two upgrade options."""
    files = estate_files()
    files["estate.yaml"]["zones"].append(copy.deepcopy(POLICE_ZONE))
    north = files["north.yaml"]
    north["rooms"].append(copy.deepcopy(SUITE))
    north["workloads"].append(copy.deepcopy(PNC))
    item(files, "rooms", "n-dc-new").update(
        accreditations=["dspt"], upgrades=[copy.deepcopy(PSN_UPGRADE)]
    )
    item(files, "rooms", "n-hall-mr")["upgrades"] = [copy.deepcopy(DSPT_UPGRADE)]
    return files


def decisions_plan(sha: str) -> dict[str, Any]:
    """The hand-made plan for :func:`decisions_files` (the arithmetic is above)."""
    plan = valid_plan(sha)
    plan["solver"].update(objective=859571.43, bound=859571.43)
    plan["solver"]["breakdown"].update(rooms=445095.24)
    rooms = {r["id"]: r for r in plan["rooms"]}
    rooms["n-hall-mr"]["upgrades_bought"] = []
    rooms["n-dc-new"].update(
        open_month="2027-03",
        accreditations=["dspt"],
        upgrades_bought=[
            {"accreditation": "psn", "month": "2027-03", "cost": 9000.0, "annual_cost": 2400.0}
        ],
    )
    rooms["s-mr"]["close_month"] = "2027-04"
    suite = _room(
        "n-hall-suite",
        "keep",
        None,
        None,
        "n-hall",
        "north",
        12000.0,
        2,
        8,
        (1, 1),
        (4, 4),
        (["police"], ["police"]),
        ["pasf", "psn"],
    )
    suite["within"] = "n-hall-mr"
    order = ["h-mr", "n-hall-mr", "n-dc-new", "n-hall-suite", "s-mr"]
    plan["rooms"] = [suite if i == "n-hall-suite" else rooms[i] for i in order]
    assignments = {a["workload"]: a for a in plan["assignments"]}
    assignments["north-app-dr"]["month"] = "2027-03"
    pnc = _assign("pnc", "north", "police", "n-hall-suite", "n-hall-suite", None, 0.0, 0)
    order = ["care", "care-db", "north-app", "north-app-dr", "pnc", "south-revs", "south-db"]
    plan["assignments"] = [pnc if w == "pnc" else assignments[w] for w in order]
    plan["waves"] = [
        plan["waves"][1],
        {"month": "2027-03", "workloads": ["north-app-dr"], "days": 10.0, "cost": 6000.0},
    ]
    costs = plan["costs"]
    costs.update(baseline_steady=498000.0, planned_steady=428400.0, one_off=63000.0)
    costs["one_off_breakdown"]["room_upgrade"] = 9000.0
    costs["steady_breakdown"].update(rooms_before=240000.0, rooms_after=218400.0)
    plan["years"][0].update(
        baseline=124500.0,
        planned=122700.0,
        one_off=63000.0,
        savings=-61200.0,
        cumulative_savings=-61200.0,
        discounted_savings=-58285.71,
    )
    plan["years"][1].update(
        baseline=498000.0,
        planned=428400.0,
        savings=69600.0,
        cumulative_savings=8400.0,
        discounted_savings=63129.25,
    )
    plan["finance"].update(npv=4843.54, total_savings=8400.0, payback_month="2028-02")
    plan["organisations"] = [
        _org("health", 90000.0, 90000.0, 0.0, 0.0, 112500.0, 112500.0, 0.0, False),
        _org(
            "north",
            284000.0,
            232581.82,
            51418.18,
            37000.0,
            355000.0,
            295993.94,
            22006.06,
            False,
        ),
        _org(
            "south",
            124000.0,
            105818.18,
            18181.82,
            26000.0,
            155000.0,
            142606.06,
            -13606.06,
            True,
        ),
    ]
    plan["zones"].append(
        {
            "id": "police",
            "name": "",
            "networks": ["wan"],
            "requires": ["pasf", "psn"],
            "isolation": "room",
        }
    )
    plan["months"] = decisions_months()
    return plan


def decisions_months() -> list[dict[str, Any]]:
    """The monthly series of :func:`decisions_plan`: baseline 41,500 a month; (planned,
    one-off) as worked out above."""
    first = [(44500.0, 6000.0), (37500.0, 12000.0), (40700.0, 45000.0)]
    return months_rows(first, baseline=41500.0, then=(35700.0, 0.0))


# ---------------------------------------------------------------- running a case


def check_case(
    tmp_path: Path,
    files: dict[str, dict[str, Any]],
    plan_for: Callable[[str], dict[str, Any]],
    change_plan: Callable[[dict[str, Any]], None] | None = None,
    change_estate: Callable[[dict[str, dict[str, Any]]], None] | None = None,
    *,
    strict: bool = True,
) -> Any:
    """Write ``files`` (changed), make the plan for them with ``plan_for(sha)`` (changed)
    and return the checker's report."""
    from planner.checker import check_plan
    from planner.inventory.validate import load_and_validate

    if change_estate:
        change_estate(files)
    directory = write_estate(tmp_path / "estate", files)
    loaded = load_and_validate(directory)
    assert loaded.ok, [p.render() for p in loaded.findings.errors]
    plan = plan_for(sha_of(directory))
    if change_plan:
        change_plan(plan)
    return check_plan(loaded, plan, strict=strict)


def has(report: Any, rule: str, *ids: str, words: str = "") -> bool:
    """Whether some violation of ``rule`` names all of ``ids`` (and says ``words``)."""
    return any(
        v.rule == rule and set(ids) <= set(v.ids) and words in v.message for v in report.violations
    )


def explain(report: Any) -> str:
    return "\n".join(v.render() for v in report.violations) or "(no violations)"
