"""From an estate to the solver's problem: integer ids, option sets, scaled costs.

This is where the spec's rules that depend on one workload and one room are
applied, so the model only ever sees legal options:

* rule 1 (pinned) and rule 8 (close): a pinned workload's only option is
  today's room; rooms with ``close: true`` are nobody's option;
* rule 10 (what the migration can do at all): a workload that cannot move
  within the horizon (its not_before/not_after window misses it, or its
  migration_days exceed migration_days_per_month, since a move happens in one
  month) keeps today's room; an existing room whose earliest_close leaves no
  closing month in the horizon stays open; the total person-days of all moves
  fit the horizon (``migration-budget`` family);
* rule 3 (accreditation) and rule 5 (user latency): a room is an option of a
  workload only if it holds every accreditation the zone requires and every
  user site reaches it within ``max_latency_ms`` over the zone's networks.

The pairwise rules are turned into allowed/forbidden site pairs:

* rule 6: for a dependency (a, b, L), the site pairs (s, t) of a's and b's
  options with latency over the networks common to both zones <= L;
* rule 7: for a DR pair, the site pairs that are the same site or closer than
  ``dr_min_distance_km``.

Scaling (CP-SAT needs integers): money is in pence (``cost_unit`` = 0.01), so a
term such as A x annual_cost is rounded to the nearest penny and the optimum is
exact to within one penny per room, desk and move; racks and kW use the
smallest power of ten (up to 10^6) that makes every value whole (otherwise
demands round up and capacities down, which can only make the model stricter);
tickets per FTE likewise. The objective reported in plan.json is recomputed in
pounds from the decisions, not from the scaled model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from planner.inventory.geo import great_circle_km
from planner.inventory.graph import EstateGraph
from planner.inventory.items import Inventory
from planner.inventory.items import Room as InvRoom
from planner.inventory.items import Workload as InvWorkload
from planner.inventory.months import Calendar
from planner.solver.guards import Guard
from planner.solver.problem import (
    AtMostOne,
    Desk,
    Organisation,
    Problem,
    Room,
    SitePairRule,
    Workload,
)

PENCE = 100
COST_UNIT = 1 / PENCE
EXPLAIN_FULL_LIMIT = 300_000
"""Largest workloads x rooms for which an explanation model lets every workload try every
room; above it, only rooms its users can reach are tried (latency is then not named)."""


EXCLUSION_GUARDS = {
    "closing": Guard.CLOSING,
    "accreditation": Guard.ACCREDITATION,
    "unreachable": Guard.USER_LATENCY,
    "latency": Guard.USER_LATENCY,
}
"""The guard of each reason :meth:`EstateGraph.exclusions` gives ('size' has none)."""


def annuity_factor(years: int, rate: float) -> float:
    """A = sum_{y=1..H} 1 / (1 + r)^y: present value of one pound a year for H years."""
    return sum(1 / (1 + rate) ** y for y in range(1, years + 1))


def scale_for(values: Iterable[float], limit: int = 10**6) -> int:
    """The smallest power of ten s <= limit making every value x s whole (else limit)."""
    vals = list(values)
    s = 1
    while s < limit:
        if all(abs(v * s - round(v * s)) < 1e-6 for v in vals):
            return s
        s *= 10
    return limit


def pence(amount: float) -> int:
    return round(amount * PENCE)


@dataclass(frozen=True)
class LimitOptions:
    """Command-line limits (rule 8)."""

    max_rooms: int | None = None
    max_desks: int | None = None


@dataclass
class EstateProblem:
    """The solver problem with the maps back to the estate."""

    problem: Problem
    inventory: Inventory
    graph: EstateGraph
    annuity: float

    def room_id(self, r: int) -> str:
        return self.problem.rooms[r].id

    def workload_id(self, w: int) -> str:
        return self.problem.workloads[w].id


DAYS_SCALE = 100


def can_move(w: InvWorkload, inv: Inventory, cal: Calendar) -> bool:
    """Whether the migration could move the workload at all (rule 10)."""
    if w.pinned or w.migration_days > inv.estate.migration_days_per_month + 1e-9:
        return False
    lo, hi = move_window(w, cal)
    return lo <= hi


def move_window(w: InvWorkload, cal: Calendar) -> tuple[int, int]:
    """First and last month the workload may move in (empty when first > last)."""
    lo = max(0, cal.month_of(w.not_before)) if w.not_before else 0
    hi = min(cal.months - 1, cal.month_of(w.not_after)) if w.not_after else cal.months - 1
    return lo, hi


def can_close(room: InvRoom, cal: Calendar) -> bool:
    """Whether an existing room could close within the horizon (earliest_close)."""
    if room.earliest_close is None:
        return True
    return max(1, cal.first_month_after(room.earliest_close)) <= cal.months


def _blocked_rules(
    graph: EstateGraph, inv: Inventory, wid: str, rooms: Iterable[str]
) -> list[tuple[str, Guard]]:
    """(room, rule) for each rule that rules the room out for the workload."""
    w = inv.workload[wid]
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    stuck = not w.pinned and not can_move(w, inv, cal)
    out = []
    for rid in rooms:
        room = inv.room[rid]
        if w.pinned and rid != w.room:
            out.append((rid, Guard.PINNED))
        if stuck and rid != w.room:
            out.append((rid, Guard.CANNOT_MOVE))
        for ex in graph.exclusions(w, room):
            guard = EXCLUSION_GUARDS.get(ex.rule)
            if guard is not None:  # capacity rules out a room too small: no guard of its own
                out.append((rid, guard))
    return out


def build_problem(
    inv: Inventory,
    graph: EstateGraph | None = None,
    limits: LimitOptions | None = None,
    *,
    explain: bool = False,
) -> EstateProblem:
    """Turn a valid inventory into the solver's problem (see the module docstring)."""
    graph = graph or EstateGraph(inv)
    limits = limits or LimitOptions()
    est = inv.estate
    annuity = annuity_factor(est.horizon_years, est.discount_rate)
    cal = Calendar(est.start, est.horizon_years)

    sites = tuple(s.id for s in inv.sites)
    site_ix = {s: i for i, s in enumerate(sites)}
    room_ix = {r.id: i for i, r in enumerate(inv.rooms)}
    zones = tuple(z.id for z in inv.zones)
    zone_ix = {z: i for i, z in enumerate(zones)}

    rack_scale = scale_for([r.racks for r in inv.rooms] + [w.racks for w in inv.workloads])
    kw_scale = scale_for([r.power_kw for r in inv.rooms] + [w.power_kw for w in inv.workloads])

    rooms = tuple(
        Room(
            id=r.id,
            site=site_ix[r.site],
            capacity=(
                math.floor(r.racks * rack_scale + 1e-6),
                math.floor(r.power_kw * kw_scale + 1e-6),
            ),
            cost_open=pence(
                annuity * r.annual_cost + (r.open_cost if r.status == "candidate" else 0)
            ),
            cost_closed=pence(r.closure_cost) if r.status == "existing" else 0,
            existing=r.status == "existing",
            must_open=r.keep or (r.status == "existing" and not can_close(r, cal)),
            must_close=r.close,
            counts_to_limit=inv.in_shared_service(inv.site[r.site].organisation),
        )
        for r in inv.rooms
    )

    all_ids = [r.id for r in inv.rooms]
    full_explain = len(inv.workloads) * len(inv.rooms) <= EXPLAIN_FULL_LIMIT
    workloads = []
    option_sites: list[set[int]] = []
    for w in inv.workloads:
        allowed = graph.admissible_rooms(w)
        if not can_move(w, inv, cal):
            allowed = [rid for rid in allowed if rid == w.room]
        move = pence(w.migration_cost)
        options = tuple((room_ix[rid], 0 if rid == w.room else move) for rid in allowed)
        blocked: tuple[tuple[int, Guard], ...] = ()
        if explain:
            if full_explain:
                others = [rid for rid in all_ids if rid not in set(allowed)]
            else:
                reach = graph.sites_in_reach(w)
                others = [
                    r.id
                    for r in inv.rooms
                    if r.id not in set(allowed) and (reach is None or r.site in reach)
                ]
            blocked = tuple(
                (room_ix[rid], rule) for rid, rule in _blocked_rules(graph, inv, w.id, others)
            )
        workloads.append(
            Workload(
                id=w.id,
                demand=(
                    math.ceil(w.racks * rack_scale - 1e-6),
                    math.ceil(w.power_kw * kw_scale - 1e-6),
                ),
                options=options,
                zone=zone_ix[w.zone],
                today=room_ix[w.room],
                blocked=blocked,
                blocked_cost=move,
                move_days=round(w.migration_days * DAYS_SCALE),
            )
        )
        option_sites.append(
            {rooms[r].site for r, _ in options} | {rooms[r].site for r, _ in blocked}
        )

    conflicts: set[tuple[int, int]] = set()
    reason: dict[tuple[int, int], str] = {}
    for pair in inv.separated_pairs:
        a, b = sorted(zone_ix[z] for z in pair)
        conflicts.add((a, b))
        reason[(a, b)] = "separate"
    for z in inv.zones:
        if z.isolation != "room":
            continue
        k = zone_ix[z.id]
        for j in range(len(zones)):
            if j != k:
                key = (min(k, j), max(k, j))
                conflicts.add(key)
                reason.setdefault(key, f"isolation:{z.id}")

    wl_ix = {w.id: i for i, w in enumerate(inv.workloads)}
    rules: list[SitePairRule] = []
    for w in inv.workloads:
        a = wl_ix[w.id]
        for dep in w.depends_on:
            b = wl_ix[dep.workload]
            other = inv.workload[dep.workload]
            oracle = graph.over(graph.zone_networks(w.zone) & graph.zone_networks(other.zone))
            limit = dep.max_latency_ms + 1e-9
            pairs = frozenset(
                (s, t)
                for s in option_sites[a]
                for t in option_sites[b]
                if oracle.latency(sites[s], sites[t]) <= limit
            )
            rules.append(SitePairRule("near", a, b, pairs, f"{w.id} depends on {dep.workload}"))
    seen: set[frozenset[int]] = set()
    min_km = est.dr_min_distance_km
    for w in inv.workloads:
        a = wl_ix[w.id]
        for other_id in w.distinct_site_from:
            b = wl_ix[other_id]
            pair_key = frozenset((a, b))
            if pair_key in seen:
                continue
            seen.add(pair_key)
            pairs = frozenset(
                (s, t)
                for s in option_sites[a]
                for t in option_sites[b]
                if s == t or (min_km > 0 and _km(inv, sites[s], sites[t]) < min_km)
            )
            rules.append(SitePairRule("apart", a, b, pairs, f"{w.id} apart from {other_id}"))

    at_most_one = move_pair_rules(inv, graph, cal, workloads, rooms, sites)

    tickets_scale = scale_for([d.tickets_per_fte for d in inv.service_desks], 10**4)
    desk_ix = {d.id: i for i, d in enumerate(inv.service_desks)}
    desks = tuple(
        Desk(
            id=d.id,
            seats=d.seats,
            tickets_per_fte=max(1, math.floor(d.tickets_per_fte * tickets_scale + 1e-6)),
            cost_open=pence(annuity * d.fixed_cost),
            cost_per_fte=pence(annuity * d.cost_per_fte),
            cost_closed=pence(d.closure_cost),
            counts_to_limit=inv.in_shared_service(inv.site[d.site].organisation),
        )
        for d in inv.service_desks
    )
    organisations = []
    for o in inv.organisations:
        able = tuple(desk_ix[d.id] for d in inv.service_desks if set(o.vetting) <= set(d.vetting))
        if o.desk_change_from is not None and cal.month_of(o.desk_change_from) >= cal.months:
            able = tuple(i for i in able if i == desk_ix[o.desk])  # cannot change in the horizon
        organisations.append(
            Organisation(
                id=o.id,
                tickets=o.tickets_per_year * tickets_scale,
                options=able,
                today=desk_ix[o.desk],
                blocked=tuple(i for i in range(len(desks)) if i not in able) if explain else (),
            )
        )

    problem = Problem(
        name=est.name,
        resources=("racks", "power_kw"),
        resource_scale=(rack_scale, kw_scale),
        sites=sites,
        rooms=rooms,
        workloads=tuple(workloads),
        zones=zones,
        conflicts=frozenset(conflicts),
        conflict_reason=reason,
        site_rules=tuple(rules),
        at_most_one=tuple(at_most_one),
        max_rooms=limits.max_rooms,
        move_budget=round(cal.months * est.migration_days_per_month * DAYS_SCALE),
        desks=desks,
        organisations=tuple(organisations),
        max_desks=limits.max_desks,
        ticket_scale=tickets_scale,
        cost_unit=COST_UNIT,
        explain=explain,
    )
    return EstateProblem(problem, inv, graph, annuity)


def move_pair_rules(
    inv: Inventory,
    graph: EstateGraph,
    cal: Calendar,
    workloads: list[Workload],
    rooms: tuple[Room, ...],
    sites: tuple[str, ...],
) -> list[AtMostOne]:
    """Rule 10 for dependency and DR pairs, as sets of assignments of which at most one holds.

    For a pair (a, b) that both move, the only states besides today's and the target's
    are (to_a, from_b) if a moves first and (from_a, to_b) if b does. Let FA be a's
    options whose state (to_a, from_b) breaks the pair's rule, FB likewise for b.

    * a's window ends before b's begins: a moves first, so a in FA forbids b moving:
      sum_{r in FA} x[a, r] + sum_{r != today(b)} x[b, r] <= 1 (and symmetrically);
    * otherwise, when a in FA and b in FB they must move in the same month, which
      their person-days may not allow: sum_{FA} x[a, r] + sum_{FB} x[b, r] <= 1.
    """
    ix = {w.id: i for i, w in enumerate(inv.workloads)}
    budget = inv.estate.migration_days_per_month + 1e-9
    pairs: list[tuple[str, str, str, float]] = []
    for w in inv.workloads:
        pairs += [("near", w.id, d.workload, d.max_latency_ms) for d in w.depends_on]
        pairs += [("apart", w.id, other, 0.0) for other in w.distinct_site_from]
    min_km = inv.estate.dr_min_distance_km

    def legal(kind: str, wa: str, wb: str, ra: int, rb: int, limit: float) -> bool:
        sa, sb = sites[rooms[ra].site], sites[rooms[rb].site]
        if kind == "apart":
            return sa != sb and (min_km <= 0 or _km(inv, sa, sb) + 1e-9 >= min_km)
        za, zb = inv.workload[wa].zone, inv.workload[wb].zone
        return graph.dependency_latency(za, zb, sa, sb) <= limit + 1e-9

    out: list[AtMostOne] = []
    for kind, wa, wb, limit in pairs:
        a, b = ix[wa], ix[wb]
        A, B = workloads[a], workloads[b]
        if A.today is None or B.today is None:
            continue
        moves_a = [r for r, _ in A.options if r != A.today]
        moves_b = [r for r, _ in B.options if r != B.today]
        if not moves_a or not moves_b:
            continue
        fa = [r for r in moves_a if not legal(kind, wa, wb, r, B.today, limit)]
        fb = [r for r in moves_b if not legal(kind, wa, wb, A.today, r, limit)]
        lo_a, hi_a = move_window(inv.workload[wa], cal)
        lo_b, hi_b = move_window(inv.workload[wb], cal)
        label = f"{wa} and {wb} ({'dependency' if kind == 'near' else 'DR pair'})"
        if hi_a < lo_b and fa:
            out.append(
                AtMostOne(
                    tuple((a, r) for r in fa) + tuple((b, r) for r in moves_b),
                    f"{label}: {wa} must move before {wb}",
                )
            )
        elif hi_b < lo_a and fb:
            out.append(
                AtMostOne(
                    tuple((b, r) for r in fb) + tuple((a, r) for r in moves_a),
                    f"{label}: {wb} must move before {wa}",
                )
            )
        elif (
            fa
            and fb
            and (
                inv.workload[wa].migration_days + inv.workload[wb].migration_days > budget
                or max(lo_a, lo_b) > min(hi_a, hi_b)
            )
        ):
            out.append(
                AtMostOne(
                    tuple((a, r) for r in fa) + tuple((b, r) for r in fb),
                    f"{label}: no order of moves keeps the pair's rule, so they would have "
                    f"to move in the same month, but "
                    + (
                        "their move windows share no month"
                        if max(lo_a, lo_b) > min(hi_a, hi_b)
                        else f"they need {inv.workload[wa].migration_days:g} + "
                        f"{inv.workload[wb].migration_days:g} person-days of "
                        f"{inv.estate.migration_days_per_month:g} a month"
                    ),
                )
            )
    return out


def _km(inv: Inventory, a: str, b: str) -> float:
    sa, sb = inv.site[a], inv.site[b]
    return great_circle_km(sa.lat, sa.lon, sb.lat, sb.lon)
