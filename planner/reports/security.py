"""Security evidence from a plan alone: where each zone is hosted before, during and after
the migration, the rooms' accreditations, and whether the separation rules hold.

plan.json always has rooms[].zones_before/zones_after and accreditations (ext).
When assignments carry their `zone` (ext), the state of every month of the
migration is rebuilt (before month t a moving workload is in its `from` room,
from t on in its `to` room), so co-location is checked month by month, not
only at the ends. The zone rules themselves (`separate` pairs, `isolation`,
`requires`) are checked when the plan records them (optional keys `separate`
and `zones`, as in the inventory); otherwise the evidence lists which zones
share rooms and says that the rules are not recorded in the plan.

Accreditation upgrades (spec/decisions.md, optional key ``rooms[].upgrades_bought``)
count from their month: a room holds a bought accreditation in every month from the
one the plan gives, and after the migration. A secure suite (``rooms[].within``) is a
room of its own: it holds only its own accreditations, not its parent's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from planner.reports import fmt
from planner.reports.plan import PlanView, month_index, month_str


@dataclass
class Check:
    ok: bool
    text: str


@dataclass
class ZoneEvidence:
    zone: str
    name: str | None
    requires: list[str] | None
    isolation: str | None
    rooms_before: list[tuple[str, list[str]]]
    rooms_after: list[tuple[str, list[str]]]
    shares_before: list[str]
    shares_during: list[str]
    shares_after: list[str]
    checks: list[Check] = field(default_factory=list)


@dataclass
class Evidence:
    zones: list[ZoneEvidence]
    months_checked: int  # months of the migration rebuilt (0: ends only)
    rules_recorded: bool
    held_from: dict[str, dict[str, str]] = field(default_factory=dict)
    """room -> accreditation bought -> the first month the room holds it"""
    within: dict[str, str] = field(default_factory=dict)
    """suite -> the room it is built inside"""


def _month_states(v: PlanView) -> tuple[list[dict[str, set[str]]], int] | None:
    """room -> zones for every month from the first move to the last (post-move states);
    None when some assignment lacks its zone."""
    if not v.assignments or any(not a.get("zone") for a in v.assignments):
        return None
    moves = v.moves
    if not moves:
        return [], 0
    first = min(month_index(a["month"]) for a in moves)
    last = max(month_index(a["month"]) for a in moves)
    states = []
    for m in range(first, last + 1):
        rooms: dict[str, set[str]] = defaultdict(set)
        for a in v.assignments:
            moved = a.get("month") is not None and month_index(a["month"]) <= m
            rooms[a["to"] if moved else a["from"]].add(a["zone"])
        states.append(dict(rooms))
    return states, last - first + 1


@dataclass
class _During:
    """The migration month by month: the sets of zones sharing a room, where each pair of
    zones first shares one, and every room that hosts each zone."""

    sets: list[set[str]] = field(default_factory=list)
    where: dict[str, dict[str, list[tuple[str, str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    hosts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    hosted: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    """zone -> (month, room) for every month of the migration a room hosts it"""
    months: int = 0


def _during(v: PlanView) -> _During:
    """Who shares rooms during the migration (nothing when assignments lack their zone)."""
    out = _During()
    states = _month_states(v)
    if states is None:
        return out
    month_states, out.months = states
    first = min((month_index(a["month"]) for a in v.moves), default=0)
    for k, st in enumerate(month_states):
        month = month_str(first + k)
        for room, zs in st.items():
            out.sets.append(zs)
            for z in zs:
                out.hosts[z].add(room)
                out.hosted[z].append((month, room))
                for other in zs - {z}:
                    out.where[z][other].append((month, room))
    return out


def _sharing(rooms_zones: list[set[str]], z: str) -> set[str]:
    """The zones that share any room with zone ``z``."""
    out: set[str] = set()
    for zs in rooms_zones:
        if z in zs:
            out |= zs - {z}
    return out


def evidence(v: PlanView) -> Evidence:
    """Each zone's rooms, the zones it shares with and its rule checks."""
    zone_info = {z["id"]: z for z in v.plan.get("zones") or []}
    separate = [tuple(p) for p in v.plan.get("separate") or [] if len(p) == 2]
    rules_recorded = "separate" in v.plan or bool(zone_info)
    acc = {r["id"]: list(r.get("accreditations") or []) for r in v.rooms}
    held_after = {r["id"]: v.held(r) for r in v.rooms}
    rooms = {r["id"]: r for r in v.rooms}
    before: dict[str, list[str]] = defaultdict(list)
    after: dict[str, list[str]] = defaultdict(list)
    for r in v.rooms:
        for z in r.get("zones_before") or []:
            before[z].append(r["id"])
        for z in r.get("zones_after") or []:
            after[z].append(r["id"])
    end_before = [set(r.get("zones_before") or []) for r in v.rooms]
    end_after = [set(r.get("zones_after") or []) for r in v.rooms]
    during = _during(v)
    out = []
    for z in v.zone_ids():
        info: dict[str, Any] = zone_info.get(z, {})
        requires = info.get("requires")
        ev = ZoneEvidence(
            zone=z,
            name=info.get("name"),
            requires=list(requires) if requires is not None else None,
            isolation=info.get("isolation"),
            rooms_before=[(r, acc.get(r, [])) for r in before.get(z, [])],
            rooms_after=[(r, held_after.get(r, [])) for r in after.get(z, [])],
            shares_before=sorted(_sharing(end_before, z)),
            shares_during=sorted(_sharing(during.sets, z)),
            shares_after=sorted(_sharing(end_after, z)),
        )
        ev.checks = _checks(v, ev, separate, rooms, during)
        out.append(ev)
    held_from = {
        r["id"]: {
            str(u["accreditation"]): str(u["month"])
            for u in v.upgrades_bought(r)
            if u["accreditation"] not in acc[r["id"]]
        }
        for r in v.rooms
        if r.get("upgrades_bought")
    }
    within = {r["id"]: str(r["within"]) for r in v.rooms if r.get("within")}
    return Evidence(out, during.months, rules_recorded, held_from, within)


def _checks(
    v: PlanView,
    ev: ZoneEvidence,
    separate: list[tuple[str, ...]],
    rooms: dict[str, dict[str, Any]],
    during: _During,
) -> list[Check]:
    """The zone's rules, each held or broken: separate pairs, isolation, accreditations."""
    z = ev.zone
    checks = []
    shared_any = set(ev.shares_during) | set(ev.shares_after)
    for a, b in separate:
        if z not in (a, b):
            continue
        other = b if z == a else a
        if other in shared_any:
            where = during.where[z].get(other) or []
            detail = f" (first in {where[0][1]}, {fmt.month(where[0][0])})" if where else ""
            checks.append(
                Check(False, f"shares a room with {other}{detail}, but separate: [{a}, {b}]")
            )
        else:
            checks.append(Check(True, f"never shares a room with {other} (separate: [{a}, {b}])"))
    if ev.isolation == "room":
        if shared_any:
            checks.append(
                Check(
                    False,
                    "isolation: room, but shares a room with " + ", ".join(sorted(shared_any)),
                )
            )
        else:
            checks.append(Check(True, "isolation: room; shares no room with another zone"))
    if ev.requires:
        checks.append(_requires_check(v, ev, ev.requires, rooms, during))
    return checks


def _requires_check(
    v: PlanView,
    ev: ZoneEvidence,
    requires: list[str],
    rooms: dict[str, dict[str, Any]],
    during: _During,
) -> Check:
    """Whether every room hosting the zone holds what it requires: after the migration,
    and in each month of it (an upgrade bought counts from its month on)."""
    need, needed = ", ".join(requires), set(requires)
    missing: set[str] = set()
    early: dict[str, str] = {}  # holds it after, but hosts the zone before its upgrade
    for r, held in ev.rooms_after:
        if r in rooms and not needed <= set(held):
            missing.add(r)
    for month, r in during.hosted.get(ev.zone, []):
        if r not in rooms or needed <= set(v.held(rooms[r], month)):
            continue
        if needed <= set(v.held(rooms[r])):
            early.setdefault(r, month)
        else:
            missing.add(r)
    if missing or early:
        where = [
            r if r in missing else f"{r} in {fmt.month(early[r])}, before its upgrade"
            for r in sorted(missing | set(early))
        ]
        return Check(False, f"requires {need}, not held by " + ", ".join(where))
    hosts = sorted({r for r, _ in ev.rooms_after} | during.hosts.get(ev.zone, set()))
    bought = [
        f"{r} holds {u['accreditation']} from {fmt.month(u['month'])}"
        for r in hosts
        if r in rooms
        for u in v.upgrades_bought(rooms[r])
        if u["accreditation"] in needed
        and u["accreditation"] not in (rooms[r].get("accreditations") or [])
    ]
    return Check(
        True,
        f"every room hosting it holds {need}" + (f" ({'; '.join(bought)})" if bought else ""),
    )
