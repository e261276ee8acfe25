"""Re-verify rule 10 month by month from plan.json and the inventory alone.

Used by the schedule tests as a second, independent opinion beside
``planner.checker``: months, financial years, shortest-path latency and
great-circle distance are computed here from the documents
(spec/inventory-format.md rules 1-7 and 10; docs/plan-format.md "Months and
financial years" and "Schedule rules"), without importing planner's calendar,
graph, timeline, schedule or checker. Only the inventory models are imported.

:func:`verify_months` returns a list of problems in words (empty when the plan
keeps every rule in every month).
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import defaultdict
from typing import Any

from planner.inventory.items import Inventory

CAPACITIES = ("racks", "power_kw", "vcpu", "memory_gib", "storage_tib")
"""Rule 2's resources; a room without a compute one (None) does not limit it."""

EPS = 1e-9
EARTH_KM = 6371.0088


# ------------------------------------------------------------------ months


def month_of(start: dt.date, day: dt.date) -> int:
    """Index of the month holding ``day`` when month 0 holds ``start`` (may be negative)."""
    return (day.year - start.year) * 12 + day.month - start.month


def label_index(start: dt.date, label: str) -> int:
    year, month = label.split("-")
    return (int(year) - start.year) * 12 + int(month) - start.month


def first_day(start: dt.date, m: int) -> dt.date:
    total = start.month - 1 + m
    return dt.date(start.year + total // 12, total % 12 + 1, 1)


def label(start: dt.date, m: int) -> str:
    return first_day(start, m).strftime("%Y-%m")


def fy_start(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def horizon_months(start: dt.date, years: int) -> int:
    """T: months from the start month to March of the last of ``years`` financial years."""
    return month_of(start, dt.date(fy_start(start) + years, 3, 1)) + 1


# ------------------------------------------------------------------ geometry


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


class Latency:
    """Least latency between two sites over a set of networks (Dijkstra, cached per source)."""

    def __init__(self, inv: Inventory) -> None:
        self.inv = inv
        self.cache: dict[tuple[frozenset[str], str], dict[str, float]] = {}

    def between(self, networks: frozenset[str], a: str, b: str) -> float:
        """math.inf when unreachable; 0 on one site."""
        if a == b:
            return 0.0
        key = (networks, a)
        if key not in self.cache:
            adj: dict[str, list[tuple[str, float]]] = defaultdict(list)
            for link in self.inv.links:
                if link.network in networks:
                    adj[link.a].append((link.b, link.latency_ms))
                    adj[link.b].append((link.a, link.latency_ms))
            best = {a: 0.0}
            heap = [(0.0, a)]
            while heap:
                d, site = heapq.heappop(heap)
                if d > best.get(site, math.inf):
                    continue
                for other, ms in adj[site]:
                    if d + ms < best.get(other, math.inf):
                        best[other] = d + ms
                        heapq.heappush(heap, (d + ms, other))
            self.cache[key] = best
        return self.cache[key].get(b, math.inf)


# ------------------------------------------------------------------ the plan, month by month


def move_months(inv: Inventory, plan: dict[str, Any]) -> dict[str, int]:
    """Workload -> month index of its move (movers only)."""
    start = inv.estate.start
    return {
        a["workload"]: label_index(start, a["month"])
        for a in plan["assignments"]
        if a["month"] is not None
    }


def placement(inv: Inventory, plan: dict[str, Any], m: int) -> dict[str, str]:
    """Room of every workload in month m (the post-move state)."""
    start = inv.estate.start
    out = {}
    for a in plan["assignments"]:
        moved = a["month"] is not None and label_index(start, a["month"]) <= m
        out[a["workload"]] = a["to"] if moved else a["from"]
    return out


def open_rooms(inv: Inventory, plan: dict[str, Any], m: int) -> set[str]:
    start = inv.estate.start
    out = set()
    for r in plan["rooms"]:
        d = r["decision"]
        if (
            d == "keep"
            or (d == "close" and m < label_index(start, r["close_month"]))
            or (d == "open" and m >= label_index(start, r["open_month"]))
        ):
            out.add(r["id"])
    return out


def conflicting_zones(inv: Inventory) -> set[frozenset[str]]:
    pairs = {frozenset(p) for p in inv.separate}
    for z in inv.zones:
        if z.isolation == "room":
            pairs |= {frozenset((z.id, o.id)) for o in inv.zones if o.id != z.id}
    return pairs


def state_problems(
    inv: Inventory, where: dict[str, str], rooms_open: set[str], lat: Latency
) -> list[str]:
    """Rules 1-7 for one state of the estate."""
    out: list[str] = []
    used: dict[tuple[str, str], float] = defaultdict(float)
    zones: dict[str, set[str]] = defaultdict(set)
    for w in inv.workloads:
        r = where[w.id]
        if r not in rooms_open:
            out.append(f"{w.id} is in {r}, which is not open")
        for k in CAPACITIES:
            used[(r, k)] += getattr(w, k)
        zones[r].add(w.zone)
        missing = set(inv.zone[w.zone].requires) - set(inv.room[r].accreditations)
        if missing:
            out.append(f"{w.id} ({w.zone}) in {r} lacking {sorted(missing)}")
        site = inv.room[r].site
        nets = frozenset(inv.zone[w.zone].networks)
        for user in w.users:
            d = lat.between(nets, user, site)
            limit = math.inf if w.max_latency_ms is None else w.max_latency_ms
            if d == math.inf or d > limit + EPS:
                out.append(f"user site {user} of {w.id} is {d} ms from {r}")
        for dep in w.depends_on:
            other = inv.workload[dep.workload]
            common = nets & frozenset(inv.zone[other.zone].networks)
            d = lat.between(common, site, inv.room[where[other.id]].site)
            if d > dep.max_latency_ms + EPS:
                out.append(f"{w.id} and {other.id} are {d} ms apart (limit {dep.max_latency_ms})")
        for peer in w.distinct_site_from:
            sa, sb = inv.site[site], inv.site[inv.room[where[peer]].site]
            if sa.id == sb.id:
                out.append(f"{w.id} and {peer} share site {sa.id}")
            elif great_circle_km(sa.lat, sa.lon, sb.lat, sb.lon) + 1e-6 < (
                inv.estate.dr_min_distance_km
            ):
                out.append(f"{w.id} and {peer} are closer than dr_min_distance_km")
    for (r, k), amount in used.items():
        cap = getattr(inv.room[r], k)
        if cap is not None and amount > cap + EPS:
            out.append(f"room {r} holds {amount:g} {k}, capacity {cap:g}")
    conflicts = conflicting_zones(inv)
    for r, zs in zones.items():
        for z1 in zs:
            for z2 in zs:
                if z1 < z2 and frozenset((z1, z2)) in conflicts:
                    out.append(f"room {r} hosts {z1} and {z2} together")
    return out


def verify_months(inv: Inventory, plan: dict[str, Any]) -> list[str]:
    """Every rule-10 problem of a feasible plan (empty when it keeps rule 10)."""
    est = inv.estate
    start = est.start
    T = horizon_months(start, est.horizon_years)
    problems: list[str] = []
    moves = move_months(inv, plan)
    by_id = {a["workload"]: a for a in plan["assignments"]}
    assert set(by_id) == {w.id for w in inv.workloads}, "assignments list every workload"

    # Each move: in the horizon, inside its window, a real change of room.
    days: dict[int, float] = defaultdict(float)
    for w in inv.workloads:
        a = by_id[w.id]
        if a["from"] != w.room:
            problems.append(f"{w.id}: 'from' is {a['from']}, it runs in {w.room} today")
        if (a["to"] != w.room) != (w.id in moves):
            problems.append(f"{w.id}: moves to {a['to']} but has month {a['month']}")
        if w.id not in moves:
            continue
        t = moves[w.id]
        days[t] += w.migration_days
        if not 0 <= t < T:
            problems.append(f"{w.id} moves in {a['month']}, outside the horizon")
        if w.pinned:
            problems.append(f"{w.id} is pinned but moves")
        if w.not_before is not None and t < month_of(start, w.not_before):
            problems.append(f"{w.id} moves in {a['month']} before not_before {w.not_before}")
        if w.not_after is not None and t > month_of(start, w.not_after):
            problems.append(f"{w.id} moves in {a['month']} after not_after {w.not_after}")
    for t, total in sorted(days.items()):
        if total > est.migration_days_per_month + EPS:
            problems.append(
                f"{label(start, t)}: {total:g} person-days > {est.migration_days_per_month:g}"
            )

    # Waves: one per month with moves, listing exactly that month's moves.
    want: dict[str, set[str]] = defaultdict(set)
    for w_id, t in moves.items():
        want[label(start, t)].add(w_id)
    got = {wave["month"]: set(wave["workloads"]) for wave in plan["waves"]}
    if got != want:
        problems.append(f"waves {got} do not list the moves {dict(want)}")

    # Rooms: close after the last move out, after earliest_close; open at the first move in.
    for r in plan["rooms"]:
        room = inv.room[r["id"]]
        leaving = [moves[w.id] for w in inv.workloads if w.room == room.id and w.id in moves]
        if r["decision"] == "close":
            c = label_index(start, r["close_month"])
            if not 1 <= c <= T:
                problems.append(f"{room.id} closes in {r['close_month']}, outside 1..T")
            if leaving and c < max(leaving) + 1:
                problems.append(f"{room.id} closes in {r['close_month']} before its last move out")
            if room.earliest_close is not None and not first_day(start, c) > room.earliest_close:
                problems.append(
                    f"{room.id} closes in {r['close_month']}, not after {room.earliest_close}"
                )
            if any(a["to"] == room.id for a in plan["assignments"]):
                problems.append(f"{room.id} closes but workloads end in it")
        elif r["close_month"] is not None:
            problems.append(f"{room.id} is not closed but has close_month {r['close_month']}")
        if r["decision"] == "open":
            moves_in = [
                moves[a["workload"]]
                for a in plan["assignments"]
                if a["to"] == room.id and a["workload"] in moves
            ]
            o = label_index(start, r["open_month"])
            if moves_in and o != min(moves_in):
                problems.append(f"{room.id} opens in {r['open_month']}, not at its first move in")
            if not 0 <= o < T:  # (opened empty, e.g. keep: true: any month of the plan)
                problems.append(f"{room.id} opens in {r['open_month']}, outside the horizon")

    # Every month's state keeps rules 1-7.
    lat = Latency(inv)
    seen: dict[tuple[frozenset[tuple[str, str]], frozenset[str]], list[str]] = {}
    for m in range(T):
        where = placement(inv, plan, m)
        rooms_open = open_rooms(inv, plan, m)
        key = (frozenset(where.items()), frozenset(rooms_open))
        if key not in seen:
            seen[key] = state_problems(inv, where, rooms_open, lat)
        problems.extend(f"{label(start, m)}: {p}" for p in seen[key])
    return problems
