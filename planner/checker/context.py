"""What every check sees: the estate, the plan (plain JSON) and what the plan decides.

The plan's lists are read into maps by id here, once. Where the plan is
inconsistent (an id twice, an unknown id, a workload left out), the problem is
reported under its rule and the maps fall back to today's estate, so that the
other checks still run and report what they can.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from planner.checker.amounts import q
from planner.checker.latency import Latencies
from planner.checker.months import Calendar
from planner.checker.report import CheckReport
from planner.inventory.items import Inventory, Room, Workload

ROOM_DECISIONS = {"existing": ("keep", "close"), "candidate": ("open", "unused")}


@dataclass
class Ctx:
    inv: Inventory
    plan: dict[str, Any]
    report: CheckReport
    strict: bool
    """Whether the plan must carry planner's extension keys (docs/plan-format.md)."""
    cal: Calendar = field(init=False)
    lat: Latencies = field(init=False)

    room_entry: dict[str, dict[str, Any]] = field(default_factory=dict)
    desk_entry: dict[str, dict[str, Any]] = field(default_factory=dict)
    assignment: dict[str, dict[str, Any]] = field(default_factory=dict)
    desk_assignment: dict[str, dict[str, Any]] = field(default_factory=dict)

    target: dict[str, str] = field(default_factory=dict)
    """Workload -> its room in the plan (today's room when the plan gives no valid one)."""
    move_month: dict[str, int] = field(default_factory=dict)
    """Moved workload -> its move month index, clamped to 0..T-1 (0 when unreadable)."""
    serves: dict[str, str] = field(default_factory=dict)
    """Organisation -> its desk in the plan (today's desk when the plan gives no valid one)."""
    allowed_change: dict[str, int] = field(default_factory=dict)
    """Organisation changing desk -> the first month it may (month 0, or the month of its
    desk_change_from; T or more when that is after the horizon)."""
    change_month: dict[str, int] = field(default_factory=dict)
    """Organisation changing desk -> the month it changes in the plan (its desk_assignments
    month when readable, else the first allowed), clamped to 0..T-1."""
    upgrades: dict[str, dict[str, int]] = field(default_factory=dict)
    """Room -> accreditation -> the month index from which it holds it, clamped to 0..T-1:
    the plan's upgrades_bought that the room offers (spec/decisions.md), each the first time
    it is listed (:mod:`planner.checker.upgrades` reports the rest)."""
    _open_months: dict[str, tuple[int, int]] = field(default_factory=dict)
    _suites: dict[str, list[Room]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cal = Calendar(self.inv.estate.start, self.inv.estate.horizon_years)
        self.lat = Latencies(self.inv)
        for r in self.inv.rooms:
            if r.within is not None:
                self._suites.setdefault(r.within, []).append(r)

    # -- helpers -------------------------------------------------------------------------

    def add(self, rule: str, ids: tuple[str, ...] | list[str], message: str) -> None:
        self.report.add(rule, ids, message)

    @property
    def T(self) -> int:
        return self.cal.months

    def month_label(self, m: int) -> str:
        return self.cal.label(m)

    def owner_of_site(self, site: str) -> str:
        return self.inv.site[site].organisation

    def move_price(self, w: Workload) -> Fraction:
        """What the workload's move costs in its month (spec/decisions.md): its
        refresh_move_cost in or after the month of its refresh_due, else migration_cost."""
        due, refreshed = w.refresh_due, w.refresh_move_cost
        month = self.move_month.get(w.id, 0)
        if due is not None and refreshed is not None and month >= self.cal.index_of_date(due):
            return q(refreshed)
        return q(w.migration_cost)

    def moved(self, workload: str) -> bool:
        return self.target[workload] != self.inv.workload[workload].room

    def decision(self, room: str) -> str | None:
        entry = self.room_entry.get(room)
        return entry["decision"] if entry else None

    def room_open_in_plan(self, room: Room) -> bool:
        """Open in the target estate: an existing room kept, a candidate opened."""
        d = self.decision(room.id)
        if room.status == "existing":
            return d != "close"
        return d == "open"

    def close_index(self, room: str) -> int:
        """The index of a closing room's close_month, clamped to 1..T (T when unreadable)."""
        entry = self.room_entry.get(room)
        label = entry.get("close_month") if entry else None
        index = self.cal.index(label) if isinstance(label, str) else None
        return self.T if index is None else min(max(index, 1), self.T)

    def moves_into(self, room: str) -> list[int]:
        return [
            self.move_month[w] for w, r in self.target.items() if r == room and w in self.move_month
        ]

    def suites_of(self, room: str) -> list[Room]:
        """The secure suites built inside a room (rooms ``within`` it), in inventory order."""
        return self._suites.get(room, [])

    def opened_suites(self, room: str) -> list[Room]:
        """The candidate suites inside a room that the plan opens."""
        return [
            s
            for s in self.suites_of(room)
            if s.status == "candidate" and self.decision(s.id) == "open"
        ]

    def open_index(self, room: str) -> int:
        """An opened candidate's open_month index: the plan's when it gives one, else the
        earliest of its first move in and its opened suites' open months (0 when none),
        clamped to 0..T-1."""
        entry = self.room_entry.get(room)
        label = entry.get("open_month") if entry else None
        index = self.cal.index(label) if isinstance(label, str) else None
        if index is None:
            firsts = self.moves_into(room) + [
                self.open_index(s.id) for s in self.opened_suites(room)
            ]
            index = min(firsts) if firsts else 0
        return min(max(index, 0), self.T - 1)

    def open_months(self, room: Room) -> tuple[int, int]:
        """The months [first, end) a room is open (and costs) in the plan."""
        interval = self._open_months.get(room.id)
        if interval is None:
            d = self.decision(room.id)
            if room.status == "existing":
                interval = (0, self.close_index(room.id) if d == "close" else self.T)
            elif d == "open":
                interval = (self.open_index(room.id), self.T)
            else:
                interval = (self.T, self.T)
            self._open_months[room.id] = interval
        return interval

    def room_open_at(self, room: Room, m: int) -> bool:
        """Whether a room is open (and costs) in month m of the plan."""
        first, end = self.open_months(room)
        return first <= m < end

    def held(self, room: Room, m: int | None = None) -> set[str]:
        """The accreditations a room holds in month m (the target estate when None): its own
        and those of its upgrades bought with month <= m (all bought, in the target)."""
        bought = self.upgrades.get(room.id, {})
        gained = {a for a, t in bought.items() if m is None or t <= m}
        return set(room.accreditations) | gained

    def upgrade_months(self) -> list[int]:
        """The distinct months in which some bought upgrade starts to hold, sorted."""
        return sorted({t for bought in self.upgrades.values() for t in bought.values()})

    def desk_kept(self, desk: str) -> bool:
        entry = self.desk_entry.get(desk)
        return entry is None or entry["decision"] != "close"

    def desk_close_expected(self, desk: str) -> int:
        """A closing desk closes the month after its last organisation leaves (month 1 when
        all leave in month 0, or when it serves nobody today)."""
        leaving = [
            self.change_month[o.id]
            for o in self.inv.organisations
            if o.desk == desk and o.id in self.change_month
        ]
        return min(max(leaving, default=0) + 1, self.T)

    def desk_close_index(self, desk: str) -> int:
        """A closing desk's close_month index: the plan's (ext) when readable, else the
        month after its last organisation leaves; clamped to 1..T."""
        entry = self.desk_entry.get(desk)
        label = entry.get("close_month") if entry else None
        index = self.cal.index(label) if isinstance(label, str) else None
        if index is None:
            return self.desk_close_expected(desk)
        return min(max(index, 1), self.T)

    def desk_at(self, organisation: str, m: int) -> str:
        """The desk serving an organisation in month m."""
        t = self.change_month.get(organisation)
        if t is not None and t <= m:
            return self.serves[organisation]
        return self.inv.organisation[organisation].desk

    def served_at(self, m: int) -> dict[str, list[str]]:
        """Desk -> the organisations it serves in month m."""
        out: dict[str, list[str]] = {d.id: [] for d in self.inv.service_desks}
        for o in self.inv.organisations:
            out[self.desk_at(o.id, m)].append(o.id)
        return out

    def placement_at(self, m: int) -> dict[str, str]:
        """Workload -> room in month m (the post-move state)."""
        out = {}
        for w in self.inv.workloads:
            t = self.move_month.get(w.id)
            out[w.id] = self.target[w.id] if t is not None and t <= m else w.room
        return out


def _index(
    ctx: Ctx, rule: str, entries: list[dict[str, Any]], key: str, known: dict[str, Any], what: str
) -> dict[str, dict[str, Any]]:
    """Entries by id; duplicates and unknown ids reported under ``rule``."""
    out: dict[str, dict[str, Any]] = {}
    counts = Counter(e[key] for e in entries)
    for ident, n in counts.items():
        if n > 1:
            ctx.add(rule, (ident,), f"{what} '{ident}' is listed {n} times; list it once")
    for e in entries:
        ident = e[key]
        if ident not in known:
            ctx.add(rule, (ident,), f"{what} '{ident}' is not in the estate")
        elif ident not in out:
            out[ident] = e
    missing = [i for i in known if i not in out]
    for ident in missing:
        ctx.add(rule, (ident,), f"{what} '{ident}' of the estate is missing from the plan")
    return out


def _check_order(
    ctx: Ctx, name: str, entries: list[dict[str, Any]], key: str, order: list[str]
) -> None:
    if not ctx.strict:
        return
    position = {ident: i for i, ident in enumerate(order)}
    seq = [position[e[key]] for e in entries if e[key] in position]
    if seq != sorted(seq):
        ctx.add("format", (name,), f"'{name}' is not in inventory order (docs/plan-format.md)")


def build(ctx: Ctx) -> None:
    """Read the plan's decisions into the context (feasible plans only)."""
    inv, plan = ctx.inv, ctx.plan
    ctx.room_entry = _index(ctx, "8", plan["rooms"], "id", inv.room, "room")
    ctx.desk_entry = _index(ctx, "9", plan["desks"], "id", inv.desk, "desk")
    ctx.assignment = _index(ctx, "1", plan["assignments"], "workload", inv.workload, "workload")
    ctx.desk_assignment = _index(
        ctx, "9", plan["desk_assignments"], "organisation", inv.organisation, "organisation"
    )
    _check_order(ctx, "rooms", plan["rooms"], "id", [r.id for r in inv.rooms])
    _check_order(ctx, "desks", plan["desks"], "id", [d.id for d in inv.service_desks])
    _check_order(ctx, "assignments", plan["assignments"], "workload", [w.id for w in inv.workloads])

    for room in inv.rooms:
        entry = ctx.room_entry.get(room.id)
        if entry is not None and entry["decision"] not in ROOM_DECISIONS[room.status]:
            allowed = "|".join(ROOM_DECISIONS[room.status])
            ctx.add(
                "8",
                (room.id,),
                f"{room.status} room '{room.id}' has decision '{entry['decision']}'; "
                f"an {room.status} room is {allowed}",
            )

    for w in inv.workloads:
        ctx.target[w.id] = w.room
        a = ctx.assignment.get(w.id)
        if a is None:
            continue
        if a["from"] != w.room:
            ctx.add(
                "1",
                (w.id, a["from"]),
                f"workload '{w.id}' is in room '{w.room}' today, not '{a['from']}' as the plan "
                "says ('from')",
            )
        if a["to"] not in inv.room:
            ctx.add(
                "1",
                (w.id, a["to"]),
                f"workload '{w.id}' is assigned to '{a['to']}', which is not a room of the estate",
            )
            continue
        ctx.target[w.id] = a["to"]
        if a["to"] != w.room:
            label = a["month"]
            index = ctx.cal.index(label) if isinstance(label, str) else None
            ctx.move_month[w.id] = 0 if index is None else min(max(index, 0), ctx.T - 1)

    for o in inv.organisations:
        ctx.serves[o.id] = o.desk
        da = ctx.desk_assignment.get(o.id)
        if da is None:
            continue
        if da["desk"] not in inv.desk:
            ctx.add(
                "9",
                (o.id, da["desk"]),
                f"organisation '{o.id}' is served by '{da['desk']}', which is not a desk "
                "of the estate",
            )
            continue
        ctx.serves[o.id] = da["desk"]
        if da["desk"] != o.desk:
            first = 0
            if o.desk_change_from is not None:
                first = max(0, ctx.cal.index_of_date(o.desk_change_from))
            ctx.allowed_change[o.id] = first
            when = da.get("month")
            given = ctx.cal.index(when) if isinstance(when, str) else None
            chosen = first if given is None else given
            ctx.change_month[o.id] = min(max(chosen, 0), ctx.T - 1)

    _read_upgrades(ctx)


def _read_upgrades(ctx: Ctx) -> None:
    """rooms[].upgrades_bought (opt; absent or [] = none): each upgrade the room offers, the
    first time it is listed, with its month clamped to 0..T-1."""
    for room in ctx.inv.rooms:
        entry = ctx.room_entry.get(room.id) or {}
        offered = {u.accreditation for u in room.upgrades}
        held: dict[str, int] = {}
        for bought in entry.get("upgrades_bought") or []:
            accreditation, label = bought["accreditation"], bought["month"]
            index = ctx.cal.index(label) if isinstance(label, str) else None
            if accreditation in offered and accreditation not in held and index is not None:
                held[accreditation] = min(max(index, 0), ctx.T - 1)
        if held:
            ctx.upgrades[room.id] = held
