"""The catalogue of checks that relate items to each other.

Each check is a function ``check_<what>(ctx)`` yielding :class:`Finding`s; the
:data:`CHECKS` list runs them all, so every finding is reported at once. Checks
tolerate broken references (they skip what they cannot resolve; the reference
check reports it), so one typo does not hide the rest.

Today's estate is the first state of the migration (rule 10 of the spec), so
it must itself satisfy rules 2-7: a room over capacity, a workload in a room
without the accreditation its zone requires, two separated zones in one room,
a user out of latency, a dependency out of latency, or a DR pair on one site
today is an error.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from planner.inventory.findings import Finding, Severity
from planner.inventory.geo import great_circle_km
from planner.inventory.graph import UNREACHABLE, EstateGraph
from planner.inventory.items import RESOURCE_UNITS, RESOURCES, Inventory, thousandths
from planner.inventory.load import Loaded, load_estate
from planner.inventory.validate_decisions import check_suites, check_upgrades

EPS = 1e-9


@dataclass
class Context:
    """What every check sees: the loaded estate and its graph."""

    loaded: Loaded

    @property
    def inv(self) -> Inventory:
        return self.loaded.inventory

    @cached_property
    def graph(self) -> EstateGraph:
        return EstateGraph(self.inv)

    @cached_property
    def unknown_networks(self) -> frozenset[str]:
        """Zones naming a network that is not defined (their latencies cannot be judged)."""
        networks = {n.id for n in self.inv.networks}
        return frozenset(z.id for z in self.inv.zones if not set(z.networks) <= networks)

    @cached_property
    def rooms_unsited(self) -> bool:
        """Whether some room's site is not defined (reach to it cannot be judged)."""
        return any(r.site not in self.inv.site for r in self.inv.rooms)

    def latency_judgeable(self, zone: str, sites: Iterable[str]) -> bool:
        """Whether latencies over ``zone``'s networks between ``sites`` mean anything: the
        zone and every site are defined and the zone names no undefined network. When not,
        the reference check has reported why, and latency checks stay silent."""
        return (
            zone in self.inv.zone
            and zone not in self.unknown_networks
            and all(s in self.inv.site for s in sites)
        )

    def finding(
        self,
        severity: Severity,
        code: str,
        section: str,
        item: str | None,
        field: str | None,
        message: str,
        fix: str = "",
    ) -> Finding:
        return Finding(
            severity, code, self.loaded.where(section, item), section, item, field, message, fix
        )

    def error(
        self,
        code: str,
        section: str,
        item: str | None,
        field: str | None,
        message: str,
        fix: str = "",
    ) -> Finding:
        return self.finding("error", code, section, item, field, message, fix)

    def warning(
        self,
        code: str,
        section: str,
        item: str | None,
        field: str | None,
        message: str,
        fix: str = "",
    ) -> Finding:
        return self.finding("warning", code, section, item, field, message, fix)


Check = Callable[[Context], Iterator[Finding]]


def check_duplicate_ids(ctx: Context) -> Iterator[Finding]:
    """Ids are unique per kind across the whole estate."""
    for section, ident, where in ctx.loaded.duplicates:
        first = ctx.loaded.locations[(section, ident)]
        yield Finding(
            "error",
            "duplicate-id",
            where,
            section,
            ident,
            "id",
            f"id '{ident}' is already used in {section} at {first}",
            "give each item its own id",
        )


def check_references(ctx: Context) -> Iterator[Finding]:
    """Every reference to an id resolves to an item of the right kind."""
    inv = ctx.inv

    def ids(section: str, loaded: Iterable[str]) -> set[str]:
        # Items written but rejected count as defined: their own findings are reported,
        # and a reference to one is not dangling.
        return set(loaded) | {i for s, i in ctx.loaded.rejected if s == section}

    known = {
        "zone": ids("zones", inv.zone),
        "organisation": ids("organisations", inv.organisation),
        "site": ids("sites", inv.site),
        "service desk": ids("service_desks", inv.desk),
        "room": ids("rooms", inv.room),
        "workload": ids("workloads", inv.workload),
        "network": ids("networks", (n.id for n in inv.networks)),
    }

    def dangling(
        section: str, item: str | None, field: str, kind: str, value: str, link: str = ""
    ) -> Iterator[Finding]:
        """A finding if ``value`` names no ``kind`` (links have no id: ``link`` locates them)."""
        if value in known[kind]:
            return
        names = sorted(known[kind])
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        article = "an" if kind[0] in "aeiou" else "a"
        fix = f"use the id of {article} {kind} defined in the estate" + (
            f" ({shown})" if names else f" (none is defined yet: add {article} {kind})"
        )
        where = ctx.loaded.where(section, link or item)
        yield Finding(
            "error",
            "dangling-reference",
            where,
            section,
            item,
            field,
            f"no {kind} has id '{value}'",
            fix,
        )

    for z in inv.zones:
        for n in z.networks:
            yield from dangling("zones", z.id, "networks", "network", n)
    for i, pair in enumerate(inv.separate):
        for j, zid in enumerate(pair):
            yield from dangling("separate", f"separate[{i}]", f"[{j}]", "zone", zid)
    for o in inv.organisations:
        yield from dangling("organisations", o.id, "desk", "service desk", o.desk)
    for s in inv.sites:
        yield from dangling("sites", s.id, "organisation", "organisation", s.organisation)
    for i, lk in enumerate(inv.links):
        label = f"{lk.a}-{lk.b}"
        yield from dangling("links", label, "a", "site", lk.a, link=f"#{i}")
        yield from dangling("links", label, "b", "site", lk.b, link=f"#{i}")
        yield from dangling("links", label, "network", "network", lk.network, link=f"#{i}")
    for r in inv.rooms:
        yield from dangling("rooms", r.id, "site", "site", r.site)
        if r.within is not None and r.within != r.id:
            yield from dangling("rooms", r.id, "within", "room", r.within)
    for d in inv.service_desks:
        yield from dangling("service_desks", d.id, "site", "site", d.site)
    for oid in inv.estate.shared_service or []:
        yield from dangling("estate", None, "shared_service", "organisation", oid)
    for w in inv.workloads:
        yield from dangling("workloads", w.id, "organisation", "organisation", w.organisation)
        yield from dangling("workloads", w.id, "zone", "zone", w.zone)
        yield from dangling("workloads", w.id, "room", "room", w.room)
        if w.room in inv.room and inv.room[w.room].status == "candidate":
            yield ctx.error(
                "candidate-hosts-workload",
                "workloads",
                w.id,
                "room",
                f"room '{w.room}' is a candidate (not open today), so nothing can run there today",
                "set the room's status to existing, or name today's room",
            )
        for k, u in enumerate(w.users):
            yield from dangling("workloads", w.id, f"users[{k}]", "site", u)
        itself = "a workload cannot depend on itself"
        refs = [
            (f"depends_on[{k}].workload", d.workload, itself) for k, d in enumerate(w.depends_on)
        ]
        itself = "a workload cannot be on a different site from itself"
        refs += [
            (f"distinct_site_from[{k}]", o, itself) for k, o in enumerate(w.distinct_site_from)
        ]
        for field, other, message in refs:
            if other == w.id:
                yield ctx.error("self-reference", "workloads", w.id, field, message, "remove it")
            else:
                yield from dangling("workloads", w.id, field, "workload", other)


def check_today_capacity(ctx: Context) -> Iterator[Finding]:
    """Rule 2 today: the workloads in each room fit every resource the room states (racks
    and power always; vCPU, memory and storage where given). Sums are exact (every amount
    has at most 3 decimal places, so they are added in thousandths)."""
    used: dict[tuple[str, str], int] = defaultdict(int)
    for w in ctx.inv.workloads:
        for k in RESOURCES:
            used[(w.room, k)] += thousandths(getattr(w, k))
    for r in ctx.inv.rooms:
        for k in RESOURCES:
            cap = getattr(r, k)
            if cap is None or used[(r.id, k)] <= thousandths(cap):
                continue
            verb = "draw" if k == "power_kw" else "take"
            yield ctx.error(
                "over-capacity-today",
                "rooms",
                r.id,
                k,
                f"today's workloads {verb} {used[(r.id, k)] / 1000:g} {RESOURCE_UNITS[k]} but the "
                f"room has {cap:g}",
                f"correct the room's {k} or the workloads' {k}",
            )


def check_today_accreditation(ctx: Context) -> Iterator[Finding]:
    """Rule 3 today: each workload's room holds every accreditation its zone requires."""
    for w in ctx.inv.workloads:
        zone, room = ctx.inv.zone.get(w.zone), ctx.inv.room.get(w.room)
        if zone is None or room is None:
            continue
        missing = sorted(set(zone.requires) - set(room.accreditations))
        if missing:
            yield ctx.error(
                "accreditation-today",
                "workloads",
                w.id,
                "room",
                f"zone '{zone.id}' requires {', '.join(missing)} but room "
                f"'{room.id}' holds [{', '.join(room.accreditations)}]",
                f"add {', '.join(missing)} to the room's accreditations if it holds "
                "them, or name the room the workload really runs in",
            )


def check_today_separation(ctx: Context) -> Iterator[Finding]:
    """Rule 4 today: no room hosts two separated zones; an isolated zone is alone."""
    hosted: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for w in ctx.inv.workloads:
        hosted[w.room][w.zone].append(w.id)

    def named(zone: str, in_room: dict[str, list[str]]) -> str:
        return f"'{zone}' ({', '.join(in_room[zone])})"

    for room, in_room in sorted(hosted.items()):
        present = set(in_room)
        for pair in sorted(ctx.inv.separated_pairs, key=sorted):
            if pair <= present:
                a, b = sorted(pair)
                yield ctx.error(
                    "separation-today",
                    "rooms",
                    room,
                    None,
                    f"hosts zones {named(a, in_room)} and {named(b, in_room)}, which "
                    "`separate` keeps apart",
                    "correct the workloads' rooms or zones, or the separate list",
                )
        for z in sorted(present):
            zone = ctx.inv.zone.get(z)
            if zone is not None and zone.isolation == "room" and len(present) > 1:
                others = ", ".join(named(o, in_room) for o in sorted(present - {z}))
                yield ctx.error(
                    "isolation-today",
                    "rooms",
                    room,
                    None,
                    f"zone {named(z, in_room)} has isolation: room but shares the room "
                    f"with {others}",
                    "correct the workloads' rooms, or the zone's isolation",
                )


def check_today_latency(ctx: Context) -> Iterator[Finding]:
    """Rules 5 and 6 today: users reach their workload's room; dependencies are close enough."""
    inv, graph = ctx.inv, ctx.graph
    for w in inv.workloads:
        site = graph.room_site(w.room)
        if site is None or not ctx.latency_judgeable(w.zone, [site]):
            continue
        for k, user in enumerate(w.users):
            if user not in inv.site:
                continue
            ms = graph.zone_latency(w.zone, user, site)
            if ms == UNREACHABLE:
                nets = ", ".join(sorted(graph.zone_networks(w.zone))) or "none"
                yield ctx.error(
                    "unreachable-today",
                    "workloads",
                    w.id,
                    f"users[{k}]",
                    f"user site '{user}' has no path to today's site '{site}' over "
                    f"zone '{w.zone}' networks ({nets})",
                    "add the missing link, or the network to the zone",
                )
            elif w.max_latency_ms is not None and ms > w.max_latency_ms + EPS:
                yield ctx.error(
                    "latency-today",
                    "workloads",
                    w.id,
                    "max_latency_ms",
                    f"user site '{user}' is {ms:g} ms from today's site '{site}', "
                    f"over the {w.max_latency_ms:g} ms limit",
                    "correct max_latency_ms or the links' latency_ms",
                )
        for k, dep in enumerate(w.depends_on):
            other = inv.workload.get(dep.workload)
            if other is None:
                continue
            other_site = graph.room_site(other.room)
            if other_site is None or not ctx.latency_judgeable(other.zone, [other_site]):
                continue
            ms = graph.dependency_latency(w.zone, other.zone, site, other_site)
            if ms > dep.max_latency_ms + EPS:
                shown = "unreachable" if ms == UNREACHABLE else f"{ms:g} ms away"
                yield ctx.error(
                    "dependency-latency-today",
                    "workloads",
                    w.id,
                    f"depends_on[{k}].max_latency_ms",
                    f"'{dep.workload}' is {shown} today (sites '{site}' and "
                    f"'{other_site}'), over the {dep.max_latency_ms:g} ms limit",
                    "correct the limit, the links, or today's rooms",
                )


def check_today_resilience(ctx: Context) -> Iterator[Finding]:
    """Rule 7 today: DR pairs are on different sites at least dr_min_distance_km apart."""
    inv = ctx.inv
    min_km = inv.estate.dr_min_distance_km
    for w in inv.workloads:
        for k, other_id in enumerate(w.distinct_site_from):
            other = inv.workload.get(other_id)
            if other is None:
                continue
            a, b = ctx.graph.room_site(w.room), ctx.graph.room_site(other.room)
            if a is None or b is None:
                continue
            if a == b:
                yield ctx.error(
                    "resilience-today",
                    "workloads",
                    w.id,
                    f"distinct_site_from[{k}]",
                    f"'{other_id}' runs on the same site '{a}' today",
                    "correct today's rooms or drop the DR pair",
                )
            elif a in inv.site and b in inv.site and min_km > 0:
                sa, sb = inv.site[a], inv.site[b]
                km = great_circle_km(sa.lat, sa.lon, sb.lat, sb.lon)
                if km + EPS < min_km:
                    yield ctx.error(
                        "resilience-today",
                        "workloads",
                        w.id,
                        f"distinct_site_from[{k}]",
                        f"'{other_id}' is {km:.1f} km away today (sites '{a}', "
                        f"'{b}'), under dr_min_distance_km {min_km:g}",
                        "lower estate.dr_min_distance_km or correct today's rooms",
                    )


def check_hostable(ctx: Context) -> Iterator[Finding]:
    """Every workload has at least one room that could ever host it (rules 1, 3, 5, 8)."""
    inv = ctx.inv
    for w in inv.workloads:
        if w.room not in inv.room or not ctx.latency_judgeable(w.zone, w.users):
            continue
        if ctx.graph.admissible_rooms(w):
            continue
        if ctx.rooms_unsited:
            continue  # a room on an unknown site might have hosted it: fix that first
        if w.pinned and inv.room[w.room].close:
            yield ctx.error(
                "pinned-in-closing-room",
                "workloads",
                w.id,
                "pinned",
                f"it is pinned to room '{w.room}', which is marked close: true",
                "unpin the workload or stop forcing the room to close",
            )
            continue
        reasons: dict[str, list[str]] = defaultdict(list)
        for r in inv.rooms:
            for ex in ctx.graph.exclusions(w, r):
                reasons[ex.rule].append(f"{r.id}: {ex.detail}")
        summary = "; ".join(
            f"{rule} rules out {len(lines)} room(s) (e.g. {lines[0]})"
            for rule, lines in sorted(reasons.items())
        )
        yield ctx.error(
            "no-possible-room",
            "workloads",
            w.id,
            None,
            f"no room in the estate could ever host it: {summary}",
            "add a room with the needed accreditation within reach, relax "
            "max_latency_ms, or add the missing network link",
        )


def desk_fte(tickets: int, tickets_per_fte: float) -> int:
    """Rule 9: ceil(tickets / tickets_per_fte), exact for any size (no float overflow)."""
    if math.isinf(tickets_per_fte):
        return 0
    return math.ceil(Fraction(tickets) / Fraction(tickets_per_fte) - Fraction(EPS))


def check_desks(ctx: Context) -> Iterator[Finding]:
    """Rule 9: each organisation has a desk able to serve it, and today's desks are legal."""
    inv = ctx.inv
    for o in inv.organisations:
        today = inv.desk.get(o.desk)
        # Stop at the first able desk, trying today's first: exact FTE arithmetic is slow,
        # and every organisation against every desk took 4 s on a 337-council estate.
        able = any(
            set(o.vetting) <= set(d.vetting)
            and desk_fte(o.tickets_per_year, d.tickets_per_fte) <= d.seats
            for d in ([today] if today is not None else []) + inv.service_desks
        )
        if not able:
            yield ctx.error(
                "no-possible-desk",
                "organisations",
                o.id,
                "vetting",
                "no service desk holds its vetting "
                f"[{', '.join(o.vetting)}] with seats for its "
                f"{o.tickets_per_year} tickets a year",
                "give a desk the vetting, or more seats",
            )
        desk = inv.desk.get(o.desk)
        if desk is not None and not set(o.vetting) <= set(desk.vetting):
            missing = ", ".join(sorted(set(o.vetting) - set(desk.vetting)))
            yield ctx.error(
                "desk-vetting-today",
                "organisations",
                o.id,
                "desk",
                f"today's desk '{desk.id}' lacks the vetting {missing}",
                "add the vetting to the desk or correct the organisation's desk",
            )
    served: dict[str, int] = defaultdict(int)
    for o in inv.organisations:
        served[o.desk] += o.tickets_per_year
    for d in inv.service_desks:
        fte = desk_fte(served[d.id], d.tickets_per_fte)
        if fte > d.seats:
            yield ctx.error(
                "desk-seats-today",
                "service_desks",
                d.id,
                "seats",
                f"today it serves {served[d.id]} tickets a year, needing {fte} FTE "
                f"at {d.tickets_per_fte:g} tickets per FTE, but has {d.seats} seats",
                "correct seats, tickets_per_fte or the organisations' tickets",
            )


def check_room_flags(ctx: Context) -> Iterator[Finding]:
    """keep/close and dates that can never be honoured."""
    if not ctx.loaded.has_estate:
        return  # the dates below are measured from the estate's start
    inv = ctx.inv
    start = inv.estate.start
    horizon_end = _years_after(start, inv.estate.horizon_years)
    for r in inv.rooms:
        if r.earliest_close and r.earliest_close >= horizon_end and not r.keep:
            yield ctx.warning(
                "closes-after-horizon",
                "rooms",
                r.id,
                "earliest_close",
                f"earliest_close {r.earliest_close} is after the "
                f"{inv.estate.horizon_years}-year horizon, so the room cannot "
                "close within the plan",
                "extend horizon_years if intended",
            )
    for w in inv.workloads:
        if w.not_after is not None and w.not_after < start:
            yield ctx.warning(
                "deadline-before-start",
                "workloads",
                w.id,
                "not_after",
                f"not_after {w.not_after} is before the estate's start {start}, "
                "so the workload cannot move",
                "correct the date or remove it",
            )


COST_TOTAL_MAX = 10**15
"""GBP: the most the estate's costs may add up to in the worst case (see
:func:`check_cost_range`). The optimiser holds money in pence in 64-bit integers (at
most 9.2e18 pence); 1e15 GBP is 1e17 pence, which leaves a margin of 90 for the
constraints that add up several such sums (the desk cut, the room bound, the
schedule's monthly steps)."""


def _annuity(years: int, rate: float) -> float:
    """A = sum_{y=1..H} (1 + r)^-y: what one pound a year for H years is worth today."""
    return sum(1 / (1 + rate) ** y for y in range(1, years + 1))


def _worst_costs(inv: Inventory) -> tuple[float, tuple[str, str, str, float]]:
    """(total, largest term) of the estate's costs when everything costs most: every
    room and desk open and then closed, every workload moved to each room it could go to,
    every desk staffed to its seats (or to all tickets, whichever is more)."""
    a = _annuity(inv.estate.horizon_years, inv.estate.discount_rate)
    terms: list[tuple[str, str, str, float]] = []
    for r in inv.rooms:
        cost = a * r.annual_cost + r.open_cost + r.closure_cost
        terms.append(("rooms", r.id, "annual_cost", cost))
        for k, u in enumerate(r.upgrades):
            terms.append(("rooms", r.id, f"upgrades[{k}].cost", u.cost + a * u.annual_cost))
    tickets = sum(o.tickets_per_year for o in inv.organisations)
    for d in inv.service_desks:
        fte = max(d.seats, math.ceil(tickets / d.tickets_per_fte))
        terms.append(("service_desks", d.id, "fixed_cost", a * d.fixed_cost + d.closure_cost))
        terms.append(("service_desks", d.id, "cost_per_fte", a * d.cost_per_fte * fte))
    rooms = max(len(inv.rooms), 1)
    for w in inv.workloads:
        terms.append(("workloads", w.id, "migration_cost", w.migration_cost * rooms))
    total = sum(t[3] for t in terms)
    largest = max(terms, key=lambda t: t[3], default=("estate", "", "", 0.0))
    return total, largest


def check_cost_range(ctx: Context) -> Iterator[Finding]:
    """Costs that each fit their bounds but together are more than the optimiser's
    integers hold (every amount is bounded in the model; their sum is checked here)."""
    if not ctx.loaded.has_estate:
        return
    total, (section, item, field, amount) = _worst_costs(ctx.inv)
    if total <= COST_TOTAL_MAX:
        return
    yield ctx.error(
        "cost-range",
        section,
        item,
        field,
        f"the estate's costs could add up to £{total:,.0f}, more than the "
        f"£{COST_TOTAL_MAX:,} the optimiser can hold (counting every room "
        "and desk open, every desk staffed to its seats and every workload moving); the "
        f"largest part is £{amount:,.0f} here",
        "correct the amounts that are far too large (seats, cost_per_fte, the costs)",
    )


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for 29 February; capped at date.max)."""
    year = day.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return day.replace(year=year)


def check_suspicious(ctx: Context) -> Iterator[Finding]:
    """Warnings: data that is legal but probably wrong."""
    inv = ctx.inv
    used_rooms = {w.room for w in inv.workloads}
    for r in inv.rooms:
        if r.status == "existing" and r.id not in used_rooms:
            yield ctx.warning(
                "empty-room",
                "rooms",
                r.id,
                None,
                "no workload runs in this existing room",
                "add its workloads, or drop the room if it is not in use",
            )
    linked = {lk.a for lk in inv.links} | {lk.b for lk in inv.links}
    for s in inv.sites:
        if s.id not in linked:
            yield ctx.warning(
                "unlinked-site",
                "sites",
                s.id,
                None,
                "no network link reaches this site, so it can only reach itself",
                "add its links (WAN, PSN) if it has any",
            )
    for i, lk in enumerate(inv.links):
        if lk.a == lk.b:
            yield Finding(
                "warning",
                "self-link",
                ctx.loaded.where("links", f"#{i}"),
                "links",
                f"{lk.a}-{lk.b}",
                "b",
                "a link from a site to itself has no effect",
                "correct one end",
            )
    served_desks = {o.desk for o in inv.organisations}
    for d in inv.service_desks:
        if d.id not in served_desks:
            yield ctx.warning(
                "idle-desk",
                "service_desks",
                d.id,
                None,
                "no organisation names this desk as its desk today",
                "check the organisations' desk fields",
            )


CHECKS: list[Check] = [
    check_duplicate_ids,
    check_references,
    check_today_capacity,
    check_today_accreditation,
    check_today_separation,
    check_today_latency,
    check_today_resilience,
    check_hostable,
    check_desks,
    check_room_flags,
    check_upgrades,
    check_suites,
    check_cost_range,
    check_suspicious,
]
"""Every check, in reporting order."""


def validate(loaded: Loaded) -> Loaded:
    """Run every check on a loaded estate, adding its findings to ``loaded.findings``."""
    ctx = Context(loaded)
    for check in CHECKS:
        loaded.findings.extend(list(check(ctx)))
    return loaded


def load_and_validate(path: object) -> Loaded:
    """Load an estate from a path and run every check."""
    from pathlib import Path

    return validate(load_estate(Path(str(path))))
