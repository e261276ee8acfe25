"""An independent brute-force optimiser for small estates, and a generator of them.

Nothing here imports the optimiser (``planner.target.translate``, ``planner.solver``,
``planner.inventory.graph``, ``planner.schedule``, ``planner.inventory.geo``, ...): only the
inventory models. Latency is this module's own Dijkstra, distance its own
haversine, the horizon its own date arithmetic. ``tests/test_bruteforce.py``
checks the imports.

:func:`brute_force` enumerates every assignment of workloads to rooms (a
depth-first search that abandons a partial assignment as soon as it breaks a
rule, which never loses a legal plan), and for each the cheapest legal set of
open rooms containing the rooms used; then, independently (desks and rooms do
not interact), every choice of desk for each organisation. It applies rules
1-9 of ``spec/inventory-format.md`` and what rule 10 means for the target
estate (docs/plan-format.md, "Schedule rules"):

* a workload cannot move if it is pinned, if its ``migration_days`` exceed
  ``migration_days_per_month`` (a move happens in one month) or if its
  ``not_before``/``not_after`` window misses the horizon's months;
* an existing room whose ``earliest_close`` is on or after the first day after
  the horizon cannot close;
* the moves' person-days add up to at most months x ``migration_days_per_month``;
* a desk left serving no organisation closes (docs/plan-format.md: "a desk left
  with no organisation closes at month 1"); an existing room may stay open empty.

Decisions beyond keep-or-close (spec/decisions.md), as the target estate values them:

* an accreditation upgrade of a room can be bought if its lead_months are under the
  horizon's months; a workload may move into a room holding its zone's requirements
  natively or by upgrades it can buy, and a move that needs upgrades happens no earlier
  than the longest of their lead times (its window narrowed so; empty: it cannot go
  there). A workload that stays in today's room needs none (today is legal). The
  upgrades bought for a room are exactly the accreditations its workloads need and it
  lacks, each costing cost + A x annual_cost;
* a secure suite (``within``) is a room of its own for rules 2, 3 and 4, open only if
  its parent is open (so an open suite keeps an empty parent open, at the parent's
  running cost), not counted by --max-rooms.

Cost model: objective = one-off + A x steady, A = sum_{y=1..H} (1 + r)^-y;
steady = open rooms' annual_cost + open desks' fixed_cost + FTE x cost_per_fte
+ annual_cost of the upgrades bought, FTE = ceil(tickets served / tickets_per_fte);
one-off = migration_cost of each moved workload (the cheapest price of a month in
its window, narrowed by the leads of the upgrades it needs, where a hardware
refresh changes it) + closure_cost of each existing room or desk that closes +
open_cost of each candidate room opened + cost of each upgrade bought.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from planner.inventory.items import (
    Dependency,
    Estate,
    Inventory,
    Link,
    Network,
    Organisation,
    Room,
    ServiceDesk,
    Site,
    Upgrade,
    Workload,
    Zone,
)
from planner.inventory.load import Loaded
from planner.inventory.validate import validate

EPS = 1e-9
INF = math.inf


# ----------------------------------------------------------------- arithmetic

CAPACITIES = ("racks", "power_kw", "vcpu", "memory_gib", "storage_tib")
"""Rule 2's resources (spec/inventory-format.md, spec/import.md): a room that leaves a
compute one out (None) does not limit it."""


def over_capacity(workloads: Sequence[Workload], room: Room) -> list[str]:
    """The resources of which ``workloads`` together need more than ``room`` holds."""
    return [
        k
        for k in CAPACITIES
        if getattr(room, k) is not None
        and sum(getattr(w, k) for w in workloads) > getattr(room, k) + EPS
    ]


def annuity(years: int, rate: float) -> float:
    return sum((1 + rate) ** -y for y in range(1, years + 1))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Horizon:
    """Months 0..months-1 from the start month to March of the last financial year."""

    first: dt.date
    end: dt.date
    """First day after the horizon (1 April after the last financial year)."""
    months: int

    @classmethod
    def of(cls, estate: Estate) -> Horizon:
        start = estate.start
        first_fy = start.year if start.month >= 4 else start.year - 1
        end = dt.date(first_fy + estate.horizon_years, 4, 1)
        first = start.replace(day=1)
        months = (end.year - first.year) * 12 + end.month - first.month
        return cls(first, end, months)

    def month(self, day: dt.date) -> int:
        return (day.year - self.first.year) * 12 + day.month - self.first.month


def can_move(w: Workload, estate: Estate, h: Horizon) -> bool:
    if w.pinned or w.migration_days > estate.migration_days_per_month + EPS:
        return False
    lo = h.month(w.not_before) if w.not_before else 0
    hi = h.month(w.not_after) if w.not_after else h.months - 1
    return max(lo, 0) <= min(hi, h.months - 1)


def move_window(w: Workload, h: Horizon, earliest: int = 0) -> tuple[int, int]:
    """The months (lo, hi) w may move in: its not_before/not_after clipped to the
    horizon, and no earlier than ``earliest`` (the lead of the upgrades it needs)."""
    lo = h.month(w.not_before) if w.not_before else 0
    hi = h.month(w.not_after) if w.not_after else h.months - 1
    return max(lo, 0, earliest), min(hi, h.months - 1)


def move_price(w: Workload, h: Horizon, earliest: int = 0) -> float:
    """What the target pays to move w: the cheapest price of a month in its window (from
    month ``earliest`` on), a month from its refresh_due's month on costing
    refresh_move_cost (spec/decisions.md)."""
    if w.refresh_due is None or w.refresh_move_cost is None:
        return w.migration_cost
    lo, hi = move_window(w, h, earliest)
    refresh = h.month(w.refresh_due)
    prices = [w.refresh_move_cost if t >= refresh else w.migration_cost for t in range(lo, hi + 1)]
    return min(prices, default=w.migration_cost)


def can_close(r: Room, h: Horizon) -> bool:
    # close_month c in 1..T whose first day is after earliest_close: the latest is
    # month T, whose first day is the day after the horizon.
    return r.earliest_close is None or r.earliest_close < h.end


class Latency:
    """Shortest paths over the links of a set of networks (own Dijkstra, cached)."""

    def __init__(self, inv: Inventory) -> None:
        self.inv = inv
        self.cache: dict[tuple[frozenset[str], str], dict[str, float]] = {}

    def __call__(self, networks: Iterable[str], a: str, b: str) -> float:
        if a == b:
            return 0.0
        nets = frozenset(networks)
        key = (nets, a)
        if key not in self.cache:
            adj: dict[str, list[tuple[str, float]]] = {}
            for lk in self.inv.links:
                if lk.network in nets:
                    adj.setdefault(lk.a, []).append((lk.b, lk.latency_ms))
                    adj.setdefault(lk.b, []).append((lk.a, lk.latency_ms))
            dist = {a: 0.0}
            heap = [(0.0, a)]
            while heap:
                d, u = heapq.heappop(heap)
                if d > dist.get(u, INF):
                    continue
                for v, ms in adj.get(u, []):
                    if d + ms < dist.get(v, INF):
                        dist[v] = d + ms
                        heapq.heappush(heap, (d + ms, v))
            self.cache[key] = dist
        return self.cache[key].get(b, INF)


# ----------------------------------------------------------------- the rules


@dataclass
class Rules:
    """The estate's rules, pre-digested for the search (all computed here, from the spec)."""

    inv: Inventory
    max_rooms: int | None = None
    max_desks: int | None = None
    annuity: float = field(init=False)
    horizon: Horizon = field(init=False)
    latency: Latency = field(init=False)

    def __post_init__(self) -> None:
        inv = self.inv
        self.annuity = annuity(inv.estate.horizon_years, inv.estate.discount_rate)
        self.horizon = Horizon.of(inv.estate)
        self.latency = Latency(inv)
        self.zone = {z.id: z for z in inv.zones}
        self.site = {s.id: s for s in inv.sites}
        self.room = {r.id: r for r in inv.rooms}
        self.buyable: dict[str, dict[str, Upgrade]] = {
            r.id: {u.accreditation: u for u in r.upgrades if u.lead_months < self.horizon.months}
            for r in inv.rooms
        }
        """room -> accreditation -> the upgrade the plan can buy (lead under the horizon)."""

    # accreditation upgrades (spec/decisions.md)
    def needs(self, w: Workload, r: Room) -> frozenset[str]:
        """The accreditations w's zone requires that r lacks natively (none in today's room)."""
        if r.id == w.room:
            return frozenset()
        return frozenset(self.zone[w.zone].requires) - set(r.accreditations)

    def lead(self, w: Workload, r: Room) -> int:
        """The first month w can be in r: the longest lead of the upgrades it needs there
        (0 if none, or if one cannot be bought: rule 3 then rules the room out)."""
        ups = self.buyable[r.id]
        return max((ups[a].lead_months for a in self.needs(w, r) if a in ups), default=0)

    def price(self, w: Workload, r: Room) -> float:
        """What placing w in r costs the target in moves (0 in today's room)."""
        if r.id == w.room:
            return 0.0
        return move_price(w, self.horizon, self.lead(w, r))

    def bought(self, room_of: dict[str, str]) -> set[tuple[str, str]]:
        """(room, accreditation) of the upgrades a placement needs: for each room, every
        accreditation some workload placed there needs and the room lacks."""
        out: set[tuple[str, str]] = set()
        for w in self.inv.workloads:
            r = self.room[room_of[w.id]]
            out |= {(r.id, a) for a in self.needs(w, r)}
        return out

    def upgrade_cost(self, room_of: dict[str, str]) -> float:
        """cost + A x annual_cost of every upgrade the placement needs."""
        total = 0.0
        for rid, a in self.bought(room_of):
            u = self.buyable[rid].get(a)
            total += INF if u is None else u.cost + self.annuity * u.annual_cost
        return total

    # single workload in a single room: rules 1, 3, 5, 8 (close) and 10 (cannot move)
    def single(self, w: Workload, r: Room) -> str | None:
        if r.close:
            return "8 close"
        if r.id != w.room and w.pinned:
            return "1 pinned"
        if r.id != w.room and not can_move(w, self.inv.estate, self.horizon):
            return "10 cannot move"
        zone = self.zone[w.zone]
        if r.id == w.room and not set(zone.requires) <= set(r.accreditations):
            return "3 accreditation"
        if not self.needs(w, r) <= set(self.buyable[r.id]):
            return "3 accreditation"
        lo, hi = move_window(w, self.horizon, self.lead(w, r))
        if r.id != w.room and lo > hi:
            return "10 upgrade lead"
        if over_capacity([w], r):
            return "2 capacity"
        for u in w.users:
            ms = self.latency(zone.networks, u, r.site)
            if ms == INF or (w.max_latency_ms is not None and ms > w.max_latency_ms + EPS):
                return "5 user latency"
        return None

    def zones_conflict(self, z1: str, z2: str) -> bool:
        if z1 == z2:
            return False
        if {z1, z2} in [set(p) for p in self.inv.separate]:
            return True
        return self.zone[z1].isolation == "room" or self.zone[z2].isolation == "room"

    def pair(self, a: Workload, ra: Room, b: Workload, rb: Room) -> str | None:
        """Rules 6 and 7 between two placed workloads (a's entries towards b)."""
        for dep in a.depends_on:
            if dep.workload == b.id:
                nets = set(self.zone[a.zone].networks) & set(self.zone[b.zone].networks)
                if self.latency(nets, ra.site, rb.site) > dep.max_latency_ms + EPS:
                    return "6 dependency latency"
        if b.id in a.distinct_site_from:
            if ra.site == rb.site:
                return "7 same site"
            km = self.inv.estate.dr_min_distance_km
            if km > 0:
                sa, sb = self.site[ra.site], self.site[rb.site]
                if haversine_km(sa.lat, sa.lon, sb.lat, sb.lon) < km:
                    return "7 too close"
        return None

    def counts(self, site_id: str) -> bool:
        scope = self.inv.estate.shared_service
        return scope is None or self.site[site_id].organisation in scope

    # rooms open in the plan: rule 8 and rule 10 (earliest_close)
    def room_set(self, used: set[str], open_set: set[str]) -> str | None:
        if not used <= open_set:
            return "1 workload in a closed room"
        for r in self.inv.rooms:
            if r.id in open_set and r.close:
                return "8 close"
            if r.id not in open_set and r.keep:
                return "8 keep"
            if r.id not in open_set and r.status == "existing" and not can_close(r, self.horizon):
                return "10 earliest_close"
        for rid in open_set:
            parent = self.room[rid].within
            if parent is not None and parent not in open_set:
                return "suite open in a closed room"
        if self.max_rooms is not None:
            n = sum(
                1
                for rid in open_set
                if self.room[rid].within is None and self.counts(self.room[rid].site)
            )
            if n > self.max_rooms:
                return "8 max rooms"
        return None

    def room_cost(self, open_set: set[str]) -> float:
        total = 0.0
        for r in self.inv.rooms:
            if r.id in open_set:
                total += self.annuity * r.annual_cost
                if r.status == "candidate":
                    total += r.open_cost
            elif r.status == "existing":
                total += r.closure_cost
        return total

    # desks: rule 9 and rule 8's --max-desks
    def fte(self, tickets: int, d: ServiceDesk) -> int:
        if tickets == 0:
            return 0
        return math.ceil(Fraction(tickets) / Fraction(d.tickets_per_fte))

    def desk_plan(self, desk_of: dict[str, str]) -> tuple[str | None, float]:
        """(violation or None, desk part of the objective) for a choice of desk per org."""
        desks = {d.id: d for d in self.inv.service_desks}
        load: dict[str, int] = {}
        for o in self.inv.organisations:
            d = desks[desk_of[o.id]]
            if not set(o.vetting) <= set(d.vetting):
                return "9 vetting", INF
            load[d.id] = load.get(d.id, 0) + o.tickets_per_year
        cost = 0.0
        for d in self.inv.service_desks:
            if d.id in load:
                fte = self.fte(load[d.id], d)
                if fte > d.seats:
                    return "9 seats", INF
                cost += self.annuity * (d.fixed_cost + fte * d.cost_per_fte)
            else:
                cost += d.closure_cost
        if self.max_desks is not None:
            n = sum(1 for did in load if self.counts(desks[did].site))
            if n > self.max_desks:
                return "8 max desks", INF
        return None, cost

    # rule 10 month by month
    def state_ok(self, where: dict[str, Room]) -> bool:
        """Rules 2, 4, 6 and 7 for one month's placement (rules 3 and 5 hold for a
        workload's room today and its target room alike)."""
        ws = self.inv.workloads
        for r in self.inv.rooms:
            inside = [w for w in ws if where[w.id].id == r.id]
            if over_capacity(inside, r):
                return False
            zones = {w.zone for w in inside}
            if any(self.zones_conflict(a, b) for a in zones for b in zones):
                return False
        return not any(
            self.pair(a, where[a.id], b, where[b.id]) for a in ws for b in ws if a.id != b.id
        )

    def schedulable(self, room_of: dict[str, str]) -> bool:
        """Whether the moves to ``room_of`` fit months 0..T-1 (docs/plan-format.md,
        schedule rules): each moved workload gets a month in its window, the moves of a
        month take at most migration_days_per_month person-days, and every month's
        state (moved so far: target room; else today's) keeps rules 2, 4, 6 and 7.
        A move into a room that needs upgrades happens no earlier than their longest
        lead (the room holds them from then on). Rooms never stand in the way: a
        closing room can close in month T, after every move (a suite no later than its
        parent), and a candidate opens with its first move in (a parent no later than
        its suites). A search over the sets of workloads moved so far, month by month."""
        h, est = self.horizon, self.inv.estate
        moved = [w for w in self.inv.workloads if room_of[w.id] != w.room]
        if not moved:
            return True
        window = {w.id: move_window(w, h, self.lead(w, self.room[room_of[w.id]])) for w in moved}
        valid: dict[frozenset[str], bool] = {}

        def ok(done: frozenset[str]) -> bool:
            if done not in valid:
                where = {
                    w.id: self.room[room_of[w.id] if w.id in done else w.room]
                    for w in self.inv.workloads
                }
                valid[done] = self.state_ok(where)
            return valid[done]

        reachable = {frozenset[str]()}
        for m in range(h.months):
            nxt: set[frozenset[str]] = set()
            for done in reachable:
                left = [w for w in moved if w.id not in done]
                now = [w for w in left if window[w.id][0] <= m <= window[w.id][1]]
                for k in range(len(now) + 1):
                    for group in itertools.combinations(now, k):
                        if (
                            sum(w.migration_days for w in group)
                            > est.migration_days_per_month + EPS
                        ):
                            continue
                        after = done | {w.id for w in group}
                        late = [w for w in left if w.id not in after and window[w.id][1] <= m]
                        if not late and ok(after):
                            nxt.add(after)
            reachable = nxt
            if not reachable:
                return False
        return frozenset(w.id for w in moved) in reachable

    # a whole target estate
    def check(
        self, room_of: dict[str, str], open_set: set[str], desk_of: dict[str, str]
    ) -> list[str]:
        """Every rule the target breaks (empty: legal)."""
        out: list[str] = []
        ws = self.inv.workloads
        for w in ws:
            why = self.single(w, self.room[room_of[w.id]])
            if why:
                out.append(f"{why}: {w.id} in {room_of[w.id]}")
        for r in self.inv.rooms:
            inside = [w for w in ws if room_of[w.id] == r.id]
            out.extend(f"2 {k}: {r.id}" for k in over_capacity(inside, r))
            for a, b in itertools.combinations(inside, 2):
                if self.zones_conflict(a.zone, b.zone):
                    out.append(f"4 separation: {r.id} hosts {a.zone} and {b.zone}")
        for a in ws:
            for b in ws:
                if a.id != b.id:
                    why = self.pair(a, self.room[room_of[a.id]], b, self.room[room_of[b.id]])
                    if why:
                        out.append(f"{why}: {a.id}, {b.id}")
        days = sum(w.migration_days for w in ws if room_of[w.id] != w.room)
        if days > self.horizon.months * self.inv.estate.migration_days_per_month + EPS:
            out.append("10 migration days over the horizon")
        why = self.room_set(set(room_of.values()), open_set)
        if why:
            out.append(why)
        why, _ = self.desk_plan(desk_of)
        if why:
            out.append(why)
        return out

    def cost(self, room_of: dict[str, str], open_set: set[str], desk_of: dict[str, str]) -> float:
        moves = sum(self.price(w, self.room[room_of[w.id]]) for w in self.inv.workloads)
        return (
            moves
            + self.upgrade_cost(room_of)
            + self.room_cost(open_set)
            + self.desk_plan(desk_of)[1]
        )


# ----------------------------------------------------------------- the search


@dataclass
class Optimum:
    """What the enumeration found."""

    objective: float | None
    """None when no plan is legal."""
    room_plans: list[tuple[dict[str, str], frozenset[str]]]
    """Every (workload -> room, open rooms) reaching the optimum of the room part."""
    desk_plans: list[dict[str, str]]
    """Every organisation -> desk reaching the optimum of the desk part."""
    legal_room_plans: int = 0
    legal_desk_plans: int = 0

    @property
    def unique(self) -> bool:
        return len(self.room_plans) == 1 and len(self.desk_plans) == 1


def brute_force(
    inv: Inventory,
    max_rooms: int | None = None,
    max_desks: int | None = None,
    *,
    schedule: bool = False,
) -> Optimum:
    """The optimum of the target estate; with ``schedule``, of the target estates whose
    migration can also be scheduled month by month (:meth:`Rules.schedulable`)."""
    rules = Rules(inv, max_rooms, max_desks)
    rooms, ws = inv.rooms, inv.workloads
    opts = [[r for r in rooms if rules.single(w, r) is None] for w in ws]
    budget = rules.horizon.months * inv.estate.migration_days_per_month + EPS

    # cheapest legal open set containing each used set (rooms are few: all subsets)
    subsets = [
        frozenset(r.id for r, bit in zip(rooms, bits, strict=True) if bit)
        for bits in itertools.product((0, 1), repeat=len(rooms))
    ]
    legal_sets = [
        (s, rules.room_cost(set(s))) for s in subsets if rules.room_set(set(), set(s)) is None
    ]

    def completions(used: frozenset[str]) -> tuple[float, list[frozenset[str]]]:
        best, arg = INF, []
        for s, c in legal_sets:
            if used <= s:
                if c < best - 0.005:
                    best, arg = c, [s]
                elif abs(c - best) <= 0.005:
                    arg.append(s)
        return best, arg

    completion_cache: dict[frozenset[str], tuple[float, list[frozenset[str]]]] = {}
    inside: dict[str, list[Workload]] = {r.id: [] for r in rooms}
    zones: dict[str, dict[str, int]] = {r.id: {} for r in rooms}
    placed: list[Room] = []
    best = INF
    best_plans: list[tuple[dict[str, str], frozenset[str]]] = []
    legal = 0

    def dfs(i: int, moves: float, days: float) -> None:
        nonlocal best, best_plans, legal
        if i == len(ws):
            used = frozenset(r.id for r in placed)
            if used not in completion_cache:
                completion_cache[used] = completions(used)
            room_part, sets = completion_cache[used]
            if room_part == INF:
                return
            legal += len(sets)
            assignment = {w.id: r.id for w, r in zip(ws, placed, strict=True)}
            total = moves + room_part + rules.upgrade_cost(assignment)
            if schedule:
                leaves.append((total, assignment, sets))
                return
            if total < best - 0.005:
                best, best_plans = total, [(assignment, s) for s in sets]
            elif abs(total - best) <= 0.005:
                best_plans.extend((assignment, s) for s in sets)
            return
        w = ws[i]
        for r in opts[i]:
            if over_capacity([*inside[r.id], w], r):
                continue
            if any(rules.zones_conflict(w.zone, z) for z in zones[r.id]):
                continue
            moved = r.id != w.room
            if moved and days + w.migration_days > budget:
                continue
            if any(
                rules.pair(w, r, ws[j], placed[j]) or rules.pair(ws[j], placed[j], w, r)
                for j in range(i)
            ):
                continue
            inside[r.id].append(w)
            zones[r.id][w.zone] = zones[r.id].get(w.zone, 0) + 1
            placed.append(r)
            dfs(
                i + 1,
                moves + rules.price(w, r),
                days + (w.migration_days if moved else 0.0),
            )
            placed.pop()
            zones[r.id][w.zone] -= 1
            if not zones[r.id][w.zone]:
                del zones[r.id][w.zone]
            inside[r.id].pop()

    leaves: list[tuple[float, dict[str, str], list[frozenset[str]]]] = []
    dfs(0, 0.0, 0.0)
    if schedule:
        for total, assignment, sets in sorted(leaves, key=lambda leaf: leaf[0]):
            if total > best + 0.005:
                break
            if rules.schedulable(assignment):
                best = min(best, total)
                best_plans.extend((assignment, s) for s in sets)

    desk_best, desk_plans, desk_legal = INF, [], 0
    ids = [d.id for d in inv.service_desks]
    for choice in itertools.product(ids, repeat=len(inv.organisations)):
        desk_of = {o.id: d for o, d in zip(inv.organisations, choice, strict=True)}
        why, cost = rules.desk_plan(desk_of)
        if why:
            continue
        desk_legal += 1
        if cost < desk_best - 0.005:
            desk_best, desk_plans = cost, [desk_of]
        elif abs(cost - desk_best) <= 0.005:
            desk_plans.append(desk_of)

    if best == INF or desk_best == INF:
        return Optimum(None, [], [], legal, desk_legal)
    return Optimum(best + desk_best, best_plans, desk_plans, legal, desk_legal)


# ----------------------------------------------------------------- random small estates


@dataclass(frozen=True)
class Case:
    """A random small estate and the limits to plan it with."""

    seed: int
    inventory: Inventory
    max_rooms: int | None
    max_desks: int | None

    @property
    def size(self) -> str:
        inv = self.inventory
        return (
            f"seed {self.seed}: {len(inv.rooms)} rooms, {len(inv.workloads)} workloads, "
            f"{len(inv.zones)} zones, {len(inv.organisations)} orgs, "
            f"{len(inv.service_desks)} desks, max_rooms {self.max_rooms}, "
            f"max_desks {self.max_desks}"
        )


ZONES = {
    "official": (["psn"], ["psn", "wan"]),
    "nhs": (["hscn"], ["hscn", "psn"]),
    "police": (["psnp"], ["psnp", "psn"]),
}
REQUIRES = {"official": "psn", "nhs": "dspt", "police": "pasf"}
STARTS = (dt.date(2027, 4, 1), dt.date(2027, 10, 1), dt.date(2028, 1, 15))


def _month_day(h: Horizon, m: int, day: int) -> dt.date:
    """Day ``day`` of month m of the horizon."""
    total = h.first.month - 1 + m
    return dt.date(h.first.year + total // 12, total % 12 + 1, day)


def _pick(rng: random.Random, seq: Sequence[str], p: float) -> list[str]:
    return [x for x in seq if rng.random() < p]


FEATURES = frozenset({"suites", "upgrades"})
"""The decisions beyond keep-or-close the random estates may carry (spec/decisions.md)."""


def random_case(
    seed: int,
    edges: frozenset[str] = frozenset(),
    attempts: int = 200,
    without: frozenset[str] = frozenset(),
) -> Case:
    """A valid random small estate (sizes in :func:`_draw`); rejection-sampled.

    Once a valid estate is drawn, it may gain a secure suite (:func:`_with_suite`) and
    accreditation upgrades (:func:`_with_upgrades`), each from its own random stream, so
    the estate is otherwise the one drawn before they came, and ``without`` (a subset of
    :data:`FEATURES`) gives the same estate without them. (A feature that would make the
    estate invalid is left out; none does for the seeds the tests use.)

    ``edges`` takes the estate to edges the default keeps away from:

    * ``"budget"``: a one-month horizon (start 2028-03-01, one year) and a team of
      fewer person-days a month than the workloads' moves add up to, so the
      person-days of the moves bind (with one month, the month-by-month limit and
      the horizon's total are the same rule, which the brute force applies);
    * ``"idle-desk"``: desks' closure_cost up to 3 x A x fixed_cost, so keeping a
      desk open with no organisation would be cheaper than closing it;
    * ``"windows"``: not_before/not_after windows inside the horizon on 40% of the
      workloads and a team too small to move everything in one month, so the
      month-by-month schedule matters (rule 10), which the brute force does not
      model; no room is marked close and no limit is drawn, so today's estate is
      always a legal plan;
    * ``"decisions"``: every estate carries a suite and upgrades (at most GBP 100,000
      and 25,000 a year), with few native accreditations, nhs and police zones more
      often, official always needing psn, nhs seldom separate from official, one zone
      a room today where it can be, roomier rooms, more links and fewer user latency
      limits, so that accreditation binds and upgrades and suites are worth buying
      more often than in the default estates.
    """
    rng = random.Random(seed)
    for _ in range(attempts):
        case = _draw(rng, seed, edges)
        if case is None or not _valid(case):
            continue
        for feature in sorted(FEATURES - without):
            featured = _with_feature(case, feature, edges)
            if _valid(featured):
                case = featured
        return case
    raise AssertionError(f"no valid estate drawn for seed {seed}")


def _valid(case: Case) -> bool:
    return validate(Loaded(case.inventory, Path(f"random-{case.seed}"), [])).ok


def _with_feature(case: Case, feature: str, edges: frozenset[str]) -> Case:
    """The case with a suite ("suites") or upgrades ("upgrades") drawn for it, from a
    random stream of its own (derived from the seed, as the compute and refresh ones)."""
    inv, seed = case.inventory, case.seed
    h = Horizon.of(inv.estate)
    rooms, workloads = list(inv.rooms), list(inv.workloads)
    if feature == "suites":
        rng = random.Random(seed * 7 + 3)
        rooms, workloads = _with_suite(rng, rooms, workloads, inv.zones, edges, h)
    else:
        rooms = _with_upgrades(random.Random(seed * 7 + 4), rooms, h, edges)
    fields = {k: getattr(inv, k) for k in Inventory.model_fields}
    new = Inventory(**{**fields, "rooms": rooms, "workloads": workloads})
    return Case(case.seed, new, case.max_rooms, case.max_desks)


def _with_compute(
    rng: random.Random, rooms: list[Room], workloads: list[Workload]
) -> tuple[list[Room], list[Workload]]:
    """Half the estates also need vCPU and memory (spec/import.md): each workload some,
    each room today's use plus a little or, now and then, no limit (a room without
    the field). Its own random stream, so the rest of the draw is what it always was."""
    if rng.random() < 0.5:
        return rooms, workloads
    workloads = [
        w.model_copy(update={"vcpu": rng.randint(1, 16), "memory_gib": rng.choice((4, 8, 16, 32))})
        for w in workloads
    ]
    limited = []
    for r in rooms:
        here = [w for w in workloads if w.room == r.id]
        update: dict[str, float] = {}
        for k, slack in (("vcpu", 12), ("memory_gib", 24)):
            if rng.random() < 0.8:
                update[k] = sum(getattr(w, k) for w in here) + rng.randint(0, slack)
        limited.append(r.model_copy(update=update))
    return limited, workloads


def _with_refresh(rng: random.Random, workloads: list[Workload], h: Horizon) -> list[Workload]:
    """A third of the estates give some workloads a hardware refresh (spec/decisions.md)
    in a month of the horizon, at a tenth, half or one and a half times their move's
    price. Its own random stream, so the rest of the draw is what it always was. Not
    with the "windows" edge: the plan's objective prices each move in the month the
    schedule picks (which trades it against closing rooms sooner), while the brute
    force values the target as the optimiser's target does."""
    if rng.random() < 2 / 3:
        return workloads
    out = []
    for w in workloads:
        if rng.random() < 0.5:
            due = _month_day(h, rng.randrange(h.months), 1)
            cost = round(w.migration_cost * rng.choice((0.1, 0.5, 1.5)))
            w = w.model_copy(update={"refresh_due": due, "refresh_move_cost": cost})
        out.append(w)
    return out


def _with_suite(
    rng: random.Random,
    rooms: list[Room],
    workloads: list[Workload],
    zones: list[Zone],
    edges: frozenset[str],
    h: Horizon,
) -> tuple[list[Room], list[Workload]]:
    """Three estates in ten (all at the "decisions" edge) gain a secure suite
    (spec/decisions.md) inside one of the rooms, on its site, holding pasf (police's
    requirement; police is often isolation: room): a candidate, or, inside an existing
    room, half the time an existing suite, which may take over that room's workloads of
    one zone today (police first): on the same site, so every rule that held today
    still holds. Capacity, costs, compute limits and keep/close flags as a room's. Its
    own random stream, so the rest of the draw is what it always was."""
    if rng.random() >= (1 if "decisions" in edges else 0.3):
        return rooms, workloads
    zone = {z.id: z for z in zones}
    parent = rng.choice(rooms)
    existing = parent.status == "existing" and rng.random() < 0.5
    acc = {"pasf", *_pick(rng, ["psn", "dspt"], 0.5)}
    sid = f"{parent.id}-suite"
    here: list[Workload] = []
    hosted = sorted({w.zone for w in workloads if w.room == parent.id})
    if existing and hosted and rng.random() < 0.7:
        z = "police" if "police" in hosted else rng.choice(hosted)
        here = [w for w in workloads if w.room == parent.id and w.zone == z]
        acc |= set(zone[z].requires)
    compute: dict[str, float | None] = {}
    for k, slack in (("vcpu", 12), ("memory_gib", 24)):
        limited = any(getattr(w, k) for w in workloads) and rng.random() < 0.7
        compute[k] = sum(getattr(w, k) for w in here) + rng.randint(0, slack) if limited else None
    flag = rng.random()
    earliest = None
    if existing and rng.random() < 0.15:
        earliest = rng.choice((h.first + dt.timedelta(days=60), h.end + dt.timedelta(days=3)))
    suite = Room(
        id=sid,
        site=parent.site,
        within=parent.id,
        status="existing" if existing else "candidate",
        racks=sum(w.racks for w in here) + rng.randint(0, 3) if existing else rng.randint(2, 8),
        power_kw=sum(w.power_kw for w in here) + rng.randint(0, 10)
        if existing
        else rng.randint(8, 30),
        vcpu=compute["vcpu"],
        memory_gib=compute["memory_gib"],
        annual_cost=rng.randint(1, 10) * 10_000,
        closure_cost=rng.randint(0, 10) * 5_000 if existing else 0,
        open_cost=0 if existing else rng.randint(0, 10) * 5_000,
        accreditations=sorted(acc),
        earliest_close=earliest,
        keep=flag < 0.08 and not parent.close,
        close=0.08 <= flag < 0.15 and "windows" not in edges and not any(w.pinned for w in here),
    )
    moved = {w.id for w in here}
    workloads = [w.model_copy(update={"room": sid}) if w.id in moved else w for w in workloads]
    return [*rooms, suite], workloads


def _with_upgrades(
    rng: random.Random, rooms: list[Room], h: Horizon, edges: frozenset[str]
) -> list[Room]:
    """Two estates in five (all at the "decisions" edge) let rooms buy accreditations
    (spec/decisions.md): each room offers dspt, pasf and psn, those it lacks, seven
    times in ten each, at GBP 0-300,000 (0, 10,000, 20,000, 50,000, 100,000, 200,000 or
    300,000) and 0-50,000 a year, with a lead of 0-18 months or, one in ten, past the
    horizon. Its own random stream, so the rest of the draw is what it always was."""
    if rng.random() >= (1 if "decisions" in edges else 0.4):
        return rooms
    cheap = "decisions" in edges  # there up to 100,000 and 25,000 a year
    top = 5 if cheap else 7
    out = []
    for r in rooms:
        ups = []
        for acc in ("dspt", "pasf", "psn"):
            offered = rng.random() < 0.7
            lead = rng.randint(0, 18) if rng.random() < 0.9 else h.months + rng.randint(0, 12)
            cost = rng.choice((0, 10_000, 20_000, 50_000, 100_000, 200_000, 300_000)[:top])
            annual = rng.randint(0, 10) * 5_000 // (2 if cheap else 1)
            if offered and acc not in r.accreditations:
                ups.append(
                    Upgrade(accreditation=acc, cost=cost, annual_cost=annual, lead_months=lead)
                )
        out.append(r.model_copy(update={"upgrades": ups}))
    return out


def _draw(rng: random.Random, seed: int, edges: frozenset[str]) -> Case | None:
    """2-4 sites, 2-4 rooms (0-2 candidates), 3-7 workloads, 1-3 zones, 1-3 orgs and desks."""
    start = rng.choice(STARTS)
    years = rng.randint(1, 3)
    if "budget" in edges:
        start, years = dt.date(2028, 3, 1), 1
    rate = rng.choice((0.0, 0.035, 0.05))
    a = annuity(years, rate)
    n_org = rng.randint(1, 3)
    orgs = [f"o{i}" for i in range(n_org)]
    n_sites = rng.randint(2, 4)
    sites = [
        Site(
            id=f"s{i}",
            organisation=rng.choice(orgs),
            lat=round(52 + rng.uniform(-0.4, 0.4), 3),
            lon=round(-1.5 + rng.uniform(-0.5, 0.5), 3),
        )
        for i in range(n_sites)
    ]
    km = {(x.id, y.id): haversine_km(x.lat, x.lon, y.lat, y.lon) for x in sites for y in sites}
    dr_km = 0.0
    if rng.random() < 0.5:
        dr_km = float(rng.randint(5, 40))
        if any(abs(d - dr_km) < 1 for d in km.values()):
            dr_km = 0.0

    decisions = "decisions" in edges
    zone_ids = ["official", *_pick(rng, ["nhs", "police"], 0.8 if decisions else 0.5)]
    zones = []
    for z in zone_ids:
        zones.append(
            Zone(
                id=z,
                networks=list(rng.choice(ZONES[z])),
                requires=[REQUIRES[z]]
                if z != "official" or decisions or rng.random() < 0.5
                else [],
                isolation="room" if z == "police" and rng.random() < 0.7 else "none",
            )
        )
    separate: list[tuple[str, str]] = []
    if "nhs" in zone_ids and rng.random() < (0.2 if decisions else 0.7):
        separate.append(("nhs", "official"))
    if "nhs" in zone_ids and "police" in zone_ids and rng.random() < 0.3:
        separate.append(("police", "nhs"))
    zone = {z.id: z for z in zones}

    links = []
    for x, y in itertools.combinations(sites, 2):
        for net in ("psn", "wan", "hscn", "psnp"):
            if rng.random() < (0.8 if decisions else 0.45):
                links.append(Link(a=x.id, b=y.id, network=net, latency_ms=rng.randint(1, 8)))
    lat = Latency(Inventory(estate=Estate(name="x", start=start), sites=sites, links=links))

    n_rooms = rng.randint(2, 4)
    n_cand = rng.randint(0, min(2, n_rooms - 1))
    room_sites = [rng.choice(sites).id for _ in range(n_rooms)]
    n_work = rng.randint(3, 7)

    # today's placement first; accreditations follow what each room hosts today
    existing = list(range(n_rooms - n_cand))
    hosted: dict[int, set[str]] = {i: set() for i in range(n_rooms)}

    def conflict(z1: str, z2: str) -> bool:
        if z1 == z2:
            return False
        if (z1, z2) in separate or (z2, z1) in separate:
            return True
        return zone[z1].isolation == "room" or zone[z2].isolation == "room"

    today: list[int] = []
    wzones: list[str] = []
    for _ in range(n_work):
        z = rng.choice(zone_ids)
        fits = [i for i in existing if not any(conflict(z, other) for other in hosted[i])]
        if not fits:
            return None
        if decisions:  # one zone a room where it can be: each room holds what its zone needs
            fits = [i for i in fits if hosted[i] <= {z}] or fits
        i = rng.choice(fits)
        hosted[i].add(z)
        today.append(i)
        wzones.append(z)

    sizes = [rng.choice((0.5, 1, 1, 1.5, 2, 3)) for _ in range(n_work)]
    kws = [s * rng.choice((2, 3, 4)) for s in sizes]
    # movable workloads' days all fit one month, so a schedule doing every move in
    # month 0 exists whenever the target does (keeps the full runs off rule 10's edges)
    days = [rng.randint(1, 6) for _ in range(n_work)]
    per_month = float(sum(days) + rng.randint(0, 5))
    if "budget" in edges:
        per_month = float(rng.randint(max(days), max(max(days), sum(days) // 2)))
    if "windows" in edges:
        per_month = float(max(days) + rng.randint(0, 2))
    stuck_days = [rng.random() < 0.08 for _ in range(n_work)]

    h = Horizon.of(Estate(name="x", start=start, horizon_years=years))
    roomy = 3 if decisions else 1  # room for consolidation, so accreditation binds
    rooms = []
    for i in range(n_rooms):
        acc = set(_pick(rng, ["psn", "dspt", "pasf"], 0.15 if decisions else 0.45))
        acc |= {req for z in hosted[i] for req in zone[z].requires}
        load_r = sum(s for s, t in zip(sizes, today, strict=True) if t == i)
        load_p = sum(p for p, t in zip(kws, today, strict=True) if t == i)
        candidate = i >= n_rooms - n_cand
        annual = rng.randint(2, 20) * 10_000
        flag = rng.random()
        earliest = None
        if not candidate and rng.random() < 0.15:
            earliest = rng.choice((start + dt.timedelta(days=60), h.end + dt.timedelta(days=3)))
        rooms.append(
            Room(
                id=f"r{i}",
                site=room_sites[i],
                racks=load_r + rng.randint(0, 4) * roomy if not candidate else rng.randint(2, 10),
                power_kw=load_p + rng.randint(0, 12) * roomy
                if not candidate
                else rng.randint(8, 40),
                annual_cost=annual,
                closure_cost=0 if candidate else rng.randint(0, 10) * 5_000,
                accreditations=sorted(acc),
                earliest_close=earliest,
                status="candidate" if candidate else "existing",
                open_cost=rng.randint(0, 10) * 5_000 if candidate else 0,
                keep=flag < 0.08,
                close=0.08 <= flag < 0.15 and "windows" not in edges,
            )
        )
    site_of = {r.id: r.site for r in rooms}
    workloads: list[Workload] = []
    for k in range(n_work):
        z = zone[wzones[k]]
        here = site_of[f"r{today[k]}"]
        users = [
            s.id for s in rng.sample(sites, rng.randint(0, 2)) if lat(z.networks, s.id, here) < INF
        ]
        worst = max((lat(z.networks, u, here) for u in users), default=0.0)
        max_ms = (
            None
            if rng.random() < (0.6 if decisions else 0.3)
            else worst + rng.choice((0, 1, 2, 3, 5, 10))
        )
        not_before = not_after = None
        window = rng.random()
        if window < 0.06:
            not_after = start - dt.timedelta(days=10)  # misses the horizon: cannot move
        elif window < 0.1:
            not_before = h.end + dt.timedelta(days=10)  # likewise
        elif window < 0.2:
            not_after = start + dt.timedelta(days=rng.randint(0, 300))
        elif window < 0.6 and "windows" in edges:
            lo, hi = sorted(rng.randrange(h.months) for _ in range(2))
            not_before = _month_day(h, lo, rng.randint(1, 14)) if lo > 0 else None
            not_after = _month_day(h, hi, rng.randint(15, 28)) if hi < h.months - 1 else None
        workloads.append(
            Workload(
                id=f"w{k}",
                organisation=rng.choice(orgs),
                zone=z.id,
                room=f"r{today[k]}",
                racks=sizes[k],
                power_kw=kws[k],
                users=users,
                max_latency_ms=max_ms,
                migration_cost=rng.randint(0, 3 if "budget" in edges else 20) * 1_000,
                migration_days=per_month + rng.randint(1, 5) if stuck_days[k] else days[k],
                not_before=not_before,
                not_after=not_after,
                pinned=rng.random() < 0.08,
            )
        )

    # dependencies and DR pairs that hold today
    deps: dict[int, list[Dependency]] = {k: [] for k in range(n_work)}
    dr: dict[int, list[str]] = {k: [] for k in range(n_work)}
    p_dep = 0.6 if "windows" in edges else 0.3
    for k in range(n_work):
        if rng.random() < p_dep:
            j = rng.randrange(n_work)
            if j == k or any(d.workload == f"w{j}" for d in deps[k]):
                continue
            nets = set(zone[wzones[k]].networks) & set(zone[wzones[j]].networks)
            ms = lat(nets, site_of[f"r{today[k]}"], site_of[f"r{today[j]}"])
            if ms < INF:
                deps[k].append(
                    Dependency(workload=f"w{j}", max_latency_ms=ms + rng.choice((0, 0, 1, 3, 10)))
                )
    for k in range(n_work):
        if rng.random() < 0.2:
            j = rng.randrange(n_work)
            sk, sj = site_of[f"r{today[k]}"], site_of[f"r{today[j]}"]
            if j != k and sk != sj and km[(sk, sj)] >= dr_km and f"w{j}" not in dr[k]:
                dr[k].append(f"w{j}")
    workloads = [
        w.model_copy(update={"depends_on": deps[k], "distinct_site_from": dr[k]})
        for k, w in enumerate(workloads)
    ]
    rooms, workloads = _with_compute(random.Random(seed * 7 + 1), rooms, workloads)
    if "windows" not in edges:  # there the plan's objective is compared, month prices and all
        workloads = _with_refresh(random.Random(seed * 7 + 2), workloads, h)

    n_desk = rng.randint(1, 3)
    closure_share = 3.0 if "idle-desk" in edges else 0.9
    desk_vet = [["npv3"] if rng.random() < 0.4 else [] for _ in range(n_desk)]
    organisations = []
    served: dict[int, int] = {}
    for o in orgs:
        vet = ["npv3"] if rng.random() < 0.25 else []
        able = [i for i in range(n_desk) if set(vet) <= set(desk_vet[i])]
        if not able:
            vet, able = [], list(range(n_desk))
        d = rng.choice(able)
        tickets = rng.randint(1, 20) * 500
        served[d] = served.get(d, 0) + tickets
        organisations.append(
            Organisation(id=o, kind="district", tickets_per_year=tickets, vetting=vet, desk=f"d{d}")
        )
    desks = []
    for i in range(n_desk):
        tpf = rng.choice((1_500, 2_000, 3_000, 4_000))
        fixed = rng.randint(1, 6) * 10_000
        desks.append(
            ServiceDesk(
                id=f"d{i}",
                site=rng.choice(sites).id,
                seats=math.ceil(served.get(i, 0) / tpf) + rng.randint(0, 3),
                fixed_cost=fixed,
                cost_per_fte=rng.randint(30, 40) * 1_000,
                tickets_per_fte=tpf,
                vetting=desk_vet[i],
                # below A x fixed_cost (unless idle-desk), so an idle desk never pays
                closure_cost=rng.randint(0, int(closure_share * a * fixed) // 1_000) * 1_000,
            )
        )

    shared = None
    if n_org > 1 and rng.random() < 0.3:
        shared = sorted(rng.sample(orgs, rng.randint(1, n_org - 1)))
    inv = Inventory(
        estate=Estate(
            name=f"Random small estate {seed}",
            start=start,
            horizon_years=years,
            discount_rate=rate,
            migration_days_per_month=per_month,
            dr_min_distance_km=dr_km,
            shared_service=shared,
        ),
        zones=zones,
        separate=separate,
        networks=[Network(id=n) for n in ("psn", "wan", "hscn", "psnp")],
        organisations=organisations,
        sites=sites,
        links=links,
        rooms=rooms,
        service_desks=desks,
        workloads=workloads,
    )
    max_rooms = rng.randint(1, n_rooms) if rng.random() < 0.4 else None
    max_desks = rng.randint(1, n_desk) if rng.random() < 0.4 else None
    if "windows" in edges:
        max_rooms = max_desks = None
    return Case(seed, inv, max_rooms, max_desks)
