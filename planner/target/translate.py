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
  user site reaches it within ``max_latency_ms`` over the zone's networks;
* upgrades (spec/decisions.md): a room that can gain the missing accreditations
  within the horizon is an option too, needing those upgrades bought (family
  ``upgrades``), if the workload may move in or after the month the last of them
  can first hold (``lead_months``); the move is then valued from that month on.
  An upgrade costs its one-off cost + A x its annual cost, like a candidate room:
  as if held for the whole horizon (the schedule dates it, and the plan's finance
  counts its annual cost from that month);
* suites: a room ``within`` another is open only while its parent is (family
  ``suites``) and does not count towards ``--max-rooms``.

The pairwise rules are turned into allowed/forbidden site pairs:

* rule 6: for a dependency (a, b, L), the site pairs (s, t) of a's and b's
  options with latency over the networks common to both zones <= L;
* rule 7: for a DR pair, the site pairs that are the same site or closer than
  ``dr_min_distance_km``.

Money, capacities and person-days become integers in :mod:`planner.target.units`;
rule 10's limits on single moves and pairs of moves are in
:mod:`planner.target.moves`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from planner.inventory.graph import EstateGraph
from planner.inventory.items import COMPUTE, Inventory
from planner.inventory.items import Room as InventoryRoom
from planner.inventory.items import Workload as InventoryWorkload
from planner.inventory.months import Calendar
from planner.solver import (
    Desk,
    Guard,
    Organisation,
    Problem,
    Room,
    SitePairRule,
    Upgrade,
    Workload,
)
from planner.target.moves import (
    can_close,
    can_move,
    move_pair_rules,
    move_window,
    site_km,
    target_move_cost,
)
from planner.target.units import COST_UNIT, DAYS_SCALE, annuity_factor, pence, scale_for

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
    upgrade_keys: tuple[tuple[str, str], ...] = ()
    """(room, accreditation) of each of the problem's upgrades."""

    def room_id(self, r: int) -> str:
        return self.problem.rooms[r].id

    def workload_id(self, w: int) -> str:
        return self.problem.workloads[w].id


@dataclass(frozen=True)
class _Estate:
    """The inventory with the integer index of each site, room, zone and workload, and
    the scales of its resources."""

    inv: Inventory
    graph: EstateGraph
    cal: Calendar
    annuity: float

    @cached_property
    def sites(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.inv.sites)

    @cached_property
    def site_ix(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.sites)}

    @cached_property
    def room_ix(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.inv.rooms)}

    @cached_property
    def zones(self) -> tuple[str, ...]:
        return tuple(z.id for z in self.inv.zones)

    @cached_property
    def zone_ix(self) -> dict[str, int]:
        return {z: i for i, z in enumerate(self.zones)}

    @cached_property
    def workload_ix(self) -> dict[str, int]:
        return {w.id: i for i, w in enumerate(self.inv.workloads)}

    @cached_property
    def resources(self) -> tuple[str, ...]:
        """Racks and kW always; a compute resource when a room limits it and a workload
        needs it (else it cannot bind, and a model without it is the same model)."""
        inv = self.inv
        binding = [
            k
            for k in COMPUTE
            if any(getattr(r, k) is not None for r in inv.rooms)
            and any(getattr(w, k) > 0 for w in inv.workloads)
        ]
        return ("racks", "power_kw", *binding)

    @cached_property
    def scales(self) -> tuple[int, ...]:
        """Per resource, the power of ten that makes every amount whole."""
        inv = self.inv
        return tuple(
            scale_for(
                [getattr(r, k) for r in inv.rooms if getattr(r, k) is not None]
                + [getattr(w, k) for w in inv.workloads]
            )
            for k in self.resources
        )

    @cached_property
    def demands(self) -> dict[str, tuple[int, ...]]:
        """Workload -> its demand of each resource, scaled and rounded up."""
        pairs = list(zip(self.resources, self.scales, strict=True))
        return {
            w.id: tuple(math.ceil(getattr(w, k) * s - 1e-6) for k, s in pairs)
            for w in self.inv.workloads
        }

    def capacity(self, room: InventoryRoom) -> tuple[int, ...]:
        """A room's capacity of each resource, scaled and rounded down; a resource the
        room does not state is the whole estate's demand of it (never binds)."""
        caps = []
        for k, (name, s) in enumerate(zip(self.resources, self.scales, strict=True)):
            cap = getattr(room, name)
            if cap is None:
                caps.append(sum(d[k] for d in self.demands.values()))
            else:
                caps.append(math.floor(cap * s + 1e-6))
        return tuple(caps)

    @cached_property
    def upgrades(self) -> dict[tuple[str, str], int]:
        """(room, accreditation) -> upgrade index, for upgrades that can hold in the horizon."""
        keys = [
            (r.id, u.accreditation)
            for r in self.inv.rooms
            for u in r.upgrades
            if u.lead_months < self.cal.months
        ]
        return {key: i for i, key in enumerate(keys)}

    def needs(self, w: InventoryWorkload, room: InventoryRoom) -> tuple[tuple[int, ...], int]:
        """The upgrades a move of w into ``room`` needs, and the first month they all hold."""
        missing = set(self.inv.zone[w.zone].requires) - set(room.accreditations)
        if not missing:
            return (), 0
        lead = {u.accreditation: u.lead_months for u in room.upgrades}
        ups = tuple(sorted(self.upgrades[(room.id, a)] for a in missing))
        return ups, max(lead[a] for a in missing)

    @cached_property
    def tickets_scale(self) -> int:
        return scale_for([d.tickets_per_fte for d in self.inv.service_desks], 10**4)


def build_problem(
    inv: Inventory,
    graph: EstateGraph | None = None,
    limits: LimitOptions | None = None,
    *,
    explain: bool = False,
) -> EstateProblem:
    """Turn a valid inventory into the solver's problem (see the module docstring)."""
    limits = limits or LimitOptions()
    est = inv.estate
    e = _Estate(
        inv,
        graph or EstateGraph(inv),
        Calendar(est.start, est.horizon_years),
        annuity_factor(est.horizon_years, est.discount_rate),
    )
    rooms = _rooms(e)
    workloads, option_sites = _workloads(e, rooms, explain)
    upgrades = _upgrades(e)
    conflicts, reason = _conflicts(e)
    desks = _desks(e)
    problem = Problem(
        name=est.name,
        resources=e.resources,
        resource_scale=e.scales,
        sites=e.sites,
        rooms=rooms,
        workloads=workloads,
        upgrades=upgrades,
        zones=e.zones,
        conflicts=frozenset(conflicts),
        conflict_reason=reason,
        site_rules=_site_rules(e, option_sites),
        at_most_one=tuple(move_pair_rules(inv, e.graph, e.cal, list(workloads), rooms, e.sites)),
        max_rooms=limits.max_rooms,
        move_budget=round(e.cal.months * est.migration_days_per_month * DAYS_SCALE),
        desks=desks,
        organisations=_organisations(e, desks, explain),
        max_desks=limits.max_desks,
        ticket_scale=e.tickets_scale,
        cost_unit=COST_UNIT,
        explain=explain,
    )
    return EstateProblem(problem, inv, e.graph, e.annuity, tuple(e.upgrades))


def _rooms(e: _Estate) -> tuple[Room, ...]:
    """Every room: capacities scaled down, A x annual cost (+ opening) when open, closure
    cost when an existing room closes; keep, close and earliest_close (rule 8, 10)."""
    inv = e.inv
    return tuple(
        Room(
            id=r.id,
            site=e.site_ix[r.site],
            capacity=e.capacity(r),
            cost_open=pence(
                e.annuity * r.annual_cost + (r.open_cost if r.status == "candidate" else 0)
            ),
            cost_closed=pence(r.closure_cost) if r.status == "existing" else 0,
            existing=r.status == "existing",
            must_open=r.keep or (r.status == "existing" and not can_close(r, e.cal)),
            must_close=r.close,
            counts_to_limit=r.within is None
            and inv.in_shared_service(inv.site[r.site].organisation),
            within=e.room_ix[r.within] if r.within is not None else None,
        )
        for r in inv.rooms
    )


def _upgrades(e: _Estate) -> tuple[Upgrade, ...]:
    """Every upgrade that can hold within the horizon: one-off cost + A x annual cost."""
    out = []
    for (rid, acc), _ in sorted(e.upgrades.items(), key=lambda kv: kv[1]):
        u = next(u for u in e.inv.room[rid].upgrades if u.accreditation == acc)
        cost = pence(u.cost + e.annuity * u.annual_cost)
        out.append(Upgrade(room=e.room_ix[rid], cost=cost, label=f"{rid}:{acc}"))
    return tuple(out)


def _workloads(
    e: _Estate, rooms: tuple[Room, ...], explain: bool
) -> tuple[tuple[Workload, ...], list[set[int]]]:
    """Every workload with its admissible rooms (rules 1, 3, 5, 8, 10 applied), demands
    scaled up; and the sites of each workload's options (for the pairwise rules)."""
    inv = e.inv
    all_ids = [r.id for r in inv.rooms]
    full_explain = len(inv.workloads) * len(inv.rooms) <= EXPLAIN_FULL_LIMIT
    workloads = []
    option_sites: list[set[int]] = []
    for w in inv.workloads:
        allowed = e.graph.admissible_rooms(w)
        if not can_move(w, inv, e.cal):
            allowed = [rid for rid in allowed if rid == w.room]
        move = pence(target_move_cost(w, e.cal))
        options_list: list[tuple[int, int]] = []
        needs: list[tuple[int, tuple[int, ...]]] = []
        _, last = move_window(w, e.cal)
        for rid in allowed:
            r = e.room_ix[rid]
            if rid == w.room:
                options_list.append((r, 0))
                continue
            ups, lead = e.needs(w, inv.room[rid])
            if not ups:
                options_list.append((r, move))
            elif lead <= last:  # the move can wait for the upgrade
                options_list.append((r, pence(target_move_cost(w, e.cal, lead))))
                needs.append((r, ups))
        options = tuple(options_list)
        blocked: tuple[tuple[int, Guard], ...] = ()
        if explain:
            if full_explain:
                others = [rid for rid in all_ids if rid not in set(allowed)]
            else:
                reach = e.graph.sites_in_reach(w)
                others = [
                    r.id
                    for r in inv.rooms
                    if r.id not in set(allowed) and (reach is None or r.site in reach)
                ]
            blocked = tuple((e.room_ix[rid], rule) for rid, rule in _blocked_rules(e, w.id, others))
        workloads.append(
            Workload(
                id=w.id,
                demand=e.demands[w.id],
                options=options,
                zone=e.zone_ix[w.zone],
                today=e.room_ix[w.room],
                blocked=blocked,
                blocked_cost=move,
                move_days=round(w.migration_days * DAYS_SCALE),
                needs=tuple(needs),
            )
        )
        option_sites.append(
            {rooms[r].site for r, _ in options} | {rooms[r].site for r, _ in blocked}
        )
    return tuple(workloads), option_sites


def _blocked_rules(e: _Estate, wid: str, rooms: Iterable[str]) -> list[tuple[str, Guard]]:
    """(room, rule) for each rule that rules the room out for the workload."""
    inv = e.inv
    w = inv.workload[wid]
    stuck = not w.pinned and not can_move(w, inv, e.cal)
    out = []
    for rid in rooms:
        room = inv.room[rid]
        if w.pinned and rid != w.room:
            out.append((rid, Guard.PINNED))
        if stuck and rid != w.room:
            out.append((rid, Guard.CANNOT_MOVE))
        for ex in e.graph.exclusions(w, room):
            guard = EXCLUSION_GUARDS.get(ex.rule)
            if guard is not None:  # capacity rules out a room too small: no guard of its own
                out.append((rid, guard))
    return out


def _conflicts(e: _Estate) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """Rule 4: pairs of zones that may not share a room, and why ('separate' or
    'isolation:<zone>')."""
    conflicts: set[tuple[int, int]] = set()
    reason: dict[tuple[int, int], str] = {}
    for pair in e.inv.separated_pairs:
        a, b = sorted(e.zone_ix[z] for z in pair)
        conflicts.add((a, b))
        reason[(a, b)] = "separate"
    for z in e.inv.zones:
        if z.isolation != "room":
            continue
        k = e.zone_ix[z.id]
        for j in range(len(e.zones)):
            if j != k:
                key = (min(k, j), max(k, j))
                conflicts.add(key)
                reason.setdefault(key, f"isolation:{z.id}")
    return conflicts, reason


def _site_rules(e: _Estate, option_sites: list[set[int]]) -> tuple[SitePairRule, ...]:
    """Rule 6: for a dependency (a, b, L), the site pairs of a's and b's options with
    latency over the networks common to both zones <= L; rule 7: for a DR pair, the site
    pairs that are the same site or closer than ``dr_min_distance_km``."""
    inv, graph, sites = e.inv, e.graph, e.sites
    rules: list[SitePairRule] = []
    for w in inv.workloads:
        a = e.workload_ix[w.id]
        for dep in w.depends_on:
            b = e.workload_ix[dep.workload]
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
    min_km = inv.estate.dr_min_distance_km
    for w in inv.workloads:
        a = e.workload_ix[w.id]
        for other_id in w.distinct_site_from:
            b = e.workload_ix[other_id]
            pair_key = frozenset((a, b))
            if pair_key in seen:
                continue
            seen.add(pair_key)
            pairs = frozenset(
                (s, t)
                for s in option_sites[a]
                for t in option_sites[b]
                if s == t or (min_km > 0 and site_km(inv, sites[s], sites[t]) < min_km)
            )
            rules.append(SitePairRule("apart", a, b, pairs, f"{w.id} apart from {other_id}"))
    return tuple(rules)


def _desks(e: _Estate) -> tuple[Desk, ...]:
    """Every service desk: A x fixed cost when open, A x cost per FTE, closure cost."""
    inv = e.inv
    return tuple(
        Desk(
            id=d.id,
            seats=d.seats,
            tickets_per_fte=max(1, math.floor(d.tickets_per_fte * e.tickets_scale + 1e-6)),
            cost_open=pence(e.annuity * d.fixed_cost),
            cost_per_fte=pence(e.annuity * d.cost_per_fte),
            cost_closed=pence(d.closure_cost),
            counts_to_limit=inv.in_shared_service(inv.site[d.site].organisation),
        )
        for d in inv.service_desks
    )


def _organisations(e: _Estate, desks: tuple[Desk, ...], explain: bool) -> tuple[Organisation, ...]:
    """Every organisation with the desks holding its vetting (rule 9); one that cannot
    change desk within the horizon keeps today's."""
    inv = e.inv
    desk_ix = {d.id: i for i, d in enumerate(inv.service_desks)}
    organisations = []
    for o in inv.organisations:
        able = tuple(desk_ix[d.id] for d in inv.service_desks if set(o.vetting) <= set(d.vetting))
        if o.desk_change_from is not None and e.cal.month_of(o.desk_change_from) >= e.cal.months:
            able = tuple(i for i in able if i == desk_ix[o.desk])  # cannot change in the horizon
        organisations.append(
            Organisation(
                id=o.id,
                tickets=o.tickets_per_year * e.tickets_scale,
                options=able,
                today=desk_ix[o.desk],
                blocked=tuple(i for i in range(len(desks)) if i not in able) if explain else (),
            )
        )
    return tuple(organisations)
