"""The schedule's data in whole numbers, shared by the CP-SAT model and the greedy scheduler.

Both read the same :class:`Migration`, so a schedule the greedy builds keeps
exactly the constraints the model states (same rounding, same windows), and its
cost is the model's objective value to the penny.

Rounding is on the safe side of the documents' exact arithmetic: a room's free
racks, kW and compute (capacity minus the workloads that stay) round down, a workload's
demand up (thousandths); person-days round up per move and the month's
capacity down (hundredths).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from planner.inventory.items import RESOURCES, Inventory
from planner.inventory.months import Calendar
from planner.schedule.pairs import Order
from planner.target import move_cost, refresh_month

DAYS_SCALE = 100
AMOUNT_SCALE = 1000


@dataclass(frozen=True)
class Mover:
    """A workload whose room changes."""

    id: str
    src: str
    dst: str
    zone: str
    lo: int
    """Earliest move month: its not_before (else 0), and no earlier than the lead months
    of the upgrades its new room needs for it."""
    hi: int
    """Latest move month (its not_after, else T - 1; may be < lo when its window misses)."""
    days: int
    """Person-days x DAYS_SCALE."""
    migration_cost: float
    """Its price in its first month (before any refresh month in its window)."""
    due: int | None = None
    """Month of its not_after as given (may be outside the horizon), None without one."""
    refresh: int | None = None
    """First month of its window from which the move costs its refresh price (None: no
    refresh price in its window, or every month of it at that price)."""


@dataclass(frozen=True)
class Capacity:
    """One room resource that can bind during the migration (everything at once does not fit)."""

    room: str
    resource: str
    free: int
    """Capacity minus the workloads that stay, x AMOUNT_SCALE, rounded down (may be < 0)."""
    leaving: dict[str, int]
    """Leaver -> demand (x AMOUNT_SCALE, rounded up): in the room in months [0, t)."""
    entering: dict[str, int]
    """Entrant -> demand: in the room in months [t, T)."""


@dataclass(frozen=True)
class Separation:
    """Zone ``zone`` leaves ``room`` and conflicting zones enter: entrants wait for the leavers."""

    room: str
    zone: str
    leaving: tuple[str, ...]
    entering: tuple[str, ...]


@dataclass(frozen=True)
class Buy:
    """An upgrade the target buys: the room holds ``accreditation`` from its month on,
    which is no earlier than ``lo`` (its lead_months) and no later than the first move in
    that needs it."""

    room: str
    accreditation: str
    lo: int
    entering: tuple[str, ...]
    """Movers into the room whose zone requires the accreditation."""


@dataclass
class Migration:
    """Everything the schedule decides about, in months and whole numbers."""

    T: int
    movers: list[Mover]
    mover: dict[str, Mover]
    days_cap: int
    """migration_days_per_month x DAYS_SCALE, rounded down."""
    capacities: list[Capacity]
    separations: list[Separation]
    orders: list[Order]
    closing: dict[str, int]
    """Existing room closing in the target -> earliest close month (>= 1; > T: cannot close)."""
    opening: list[str]
    """Candidate rooms opened in the target with moves into them."""
    leaving: dict[str, list[str]] = field(default_factory=dict)
    """Room -> movers leaving it (inventory order)."""
    entering: dict[str, list[str]] = field(default_factory=dict)
    close_steps: dict[str, list[int]] = field(default_factory=dict)
    """Closing room -> step[k] = cost(close k + 1) - cost(close k), pence, k = 0..T-1."""
    open_steps: dict[str, list[int]] = field(default_factory=dict)
    """Opened candidate -> step[k] = cost(open k + 1) - cost(open k), pence, k = 0..T-2."""
    move_slope: dict[str, int] = field(default_factory=dict)
    """Mover -> pence saved per month its move is later (the discounting tie-breaker)."""
    refresh_step: dict[str, int] = field(default_factory=dict)
    """Mover with a refresh month r -> pence its move costs more (less, when negative) in
    month r or later than before: (refresh_move_cost - migration_cost) x df(r)."""
    month_labels: list[str] = field(default_factory=list)
    """'YYYY-MM' of each month, for messages (empty: month indices)."""
    buys: list[Buy] = field(default_factory=list)
    """The upgrades bought (spec/decisions.md), each dated by its first move in."""
    buy_steps: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """(room, accreditation) -> step[k] = cost(bought k + 1) - cost(bought k), pence,
    k = 0..T-2 (like a candidate's opening: each later month saves its running cost)."""
    suites: dict[str, str] = field(default_factory=dict)
    """Suite -> its parent, for suites that close or open with their parent: a suite
    closes no later than its parent, and a parent opens no later than its suite."""

    def label(self, m: int) -> str:
        return self.month_labels[m] if 0 <= m < len(self.month_labels) else f"month {m}"

    def cost(
        self, move_month: dict[str, int], close_month: dict[str, int], open_month: dict[str, int]
    ) -> int:
        """The model's objective (pence) for a schedule: each room's cost relative to its
        earliest month, minus the movers' discounting slope x move month."""
        total = 0
        for rid, c in close_month.items():
            lo = self.closing[rid]
            total += sum(self.close_steps[rid][lo:c])
        for rid, o in open_month.items():
            total += sum(self.open_steps[rid][:o])
        for wid, t in move_month.items():
            total -= self.move_slope[wid] * t
            r = self.mover[wid].refresh
            if r is not None and t >= r:
                total += self.refresh_step[wid]
        for buy in self.buys:
            g = min(move_month[w] for w in buy.entering)
            total += sum(self.buy_steps[(buy.room, buy.accreditation)][buy.lo : g])
        return total

    def open_months(self, move_month: dict[str, int]) -> dict[str, int]:
        """Each opened candidate opens with its first move in, or with its first suite
        to open if that is sooner (a suite is open only while its parent is)."""
        out = {
            rid: min((move_month[w] for w in self.entering.get(rid, [])), default=self.T)
            for rid in self.opening
        }
        for suite, parent in self.suites.items():
            if suite in out and parent in out:
                out[parent] = min(out[parent], out[suite])
        return out

    def upgrade_months(self, move_month: dict[str, int]) -> dict[tuple[str, str], int]:
        """Each upgrade holds from the first move in that needs it (buying later costs
        less: its running cost starts later)."""
        return {
            (b.room, b.accreditation): min(move_month[w] for w in b.entering) for b in self.buys
        }


def _df(rate: float, m: int) -> float:
    return float((1 + rate) ** (-m / 12))


def conflicting_zones(inv: Inventory) -> set[frozenset[str]]:
    """Pairs of zones that may not share a room: ``separate`` and ``isolation: room``."""
    conflicts = set(inv.separated_pairs)
    for z in inv.zones:
        if z.isolation == "room":
            conflicts |= {frozenset((z.id, other.id)) for other in inv.zones if other.id != z.id}
    return conflicts


def build_migration(
    inv: Inventory,
    cal: Calendar,
    room_of: dict[str, str],
    open_rooms: frozenset[str],
    orders: list[Order],
) -> Migration:
    """The schedule's data for a target estate (``room_of``, ``open_rooms``)."""
    movers = _movers(inv, cal, room_of)
    mover = {mv.id: mv for mv in movers}
    stays: dict[str, list[str]] = defaultdict(list)
    leaving: dict[str, list[str]] = defaultdict(list)
    entering: dict[str, list[str]] = defaultdict(list)
    for w in inv.workloads:
        if w.id in mover:
            leaving[w.room].append(w.id)
            entering[room_of[w.id]].append(w.id)
        else:
            stays[w.room].append(w.id)
    capacities = _capacities(inv, stays, leaving, entering)
    separations = _separations(inv, leaving, entering)
    closing, opening = _room_changes(inv, cal, open_rooms, entering)
    suites = {
        r.id: r.within
        for r in inv.rooms
        if r.within is not None
        and ((r.id in closing and r.within in closing) or (r.id in opening and r.within in opening))
    }
    inst = Migration(
        T=cal.months,
        movers=movers,
        mover=mover,
        days_cap=math.floor(inv.estate.migration_days_per_month * DAYS_SCALE + 1e-6),
        capacities=capacities,
        separations=separations,
        orders=orders,
        closing=closing,
        opening=opening,
        leaving=dict(leaving),
        entering=dict(entering),
        month_labels=[cal.label(m) for m in range(cal.months)],
        buys=_buys(inv, entering),
        suites=suites,
    )
    _costs(inv, inst)
    return inst


def missing(inv: Inventory, wid: str, room_id: str) -> list[str]:
    """The accreditations a workload's zone requires that a room does not hold today."""
    room = inv.room[room_id]
    return sorted(set(inv.zone[inv.workload[wid].zone].requires) - set(room.accreditations))


def _buys(inv: Inventory, entering: dict[str, list[str]]) -> list[Buy]:
    """The upgrades the moves need: for each room, each accreditation an entrant's zone
    requires and the room does not hold (the target bought it)."""
    buys = []
    for room in inv.rooms:
        lead = {u.accreditation: u.lead_months for u in room.upgrades}
        needing: dict[str, list[str]] = defaultdict(list)
        for wid in entering.get(room.id, []):
            for acc in missing(inv, wid, room.id):
                needing[acc].append(wid)
        for acc in sorted(needing):
            buys.append(Buy(room.id, acc, lead[acc], tuple(needing[acc])))
    return buys


def _movers(inv: Inventory, cal: Calendar, room_of: dict[str, str]) -> list[Mover]:
    """The workloads whose room changes, with their windows and person-days."""
    T = cal.months
    movers: list[Mover] = []
    for w in inv.workloads:
        dst = room_of[w.id]
        if dst == w.room:
            continue
        lo = max(0, cal.month_of(w.not_before)) if w.not_before else 0
        lead = {u.accreditation: u.lead_months for u in inv.room[dst].upgrades}
        lo = max([lo] + [lead[a] for a in missing(inv, w.id, dst)])  # its upgrades hold
        hi = min(T - 1, cal.month_of(w.not_after)) if w.not_after else T - 1
        days = math.ceil(w.migration_days * DAYS_SCALE - 1e-6)
        due = cal.month_of(w.not_after) if w.not_after else None
        r = refresh_month(w, cal)
        cost = float(move_cost(w, lo, cal))  # its price in its first month
        refresh = r if r is not None and lo < r <= hi else None
        movers.append(Mover(w.id, w.room, dst, w.zone, lo, hi, max(days, 0), cost, due, refresh))
    return movers


def _capacities(
    inv: Inventory,
    stays: dict[str, list[str]],
    leaving: dict[str, list[str]],
    entering: dict[str, list[str]],
) -> list[Capacity]:
    """Each room resource that can bind during the migration (rooms with both leavers and
    entrants, whose leavers and entrants together exceed what the stayers leave free)."""
    capacities: list[Capacity] = []
    for room in inv.rooms:
        if not leaving[room.id] or not entering[room.id]:
            # Only leavers: the room only empties. Only entrants: the target fits.
            continue
        for attr in RESOURCES:
            cap = getattr(room, attr)
            if cap is None:
                continue  # a room that does not state a resource does not limit it

            def demand(wid: str, attr: str = attr) -> int:
                return math.ceil(getattr(inv.workload[wid], attr) * AMOUNT_SCALE - 1e-6)

            free = math.floor(cap * AMOUNT_SCALE + 1e-6) - sum(demand(w) for w in stays[room.id])

            out = {wid: demand(wid) for wid in leaving[room.id]}
            into = {wid: demand(wid) for wid in entering[room.id]}
            if sum(out.values()) + sum(into.values()) <= max(free, 0):
                continue  # everything fits at once: the rule cannot bind in any month
            capacities.append(Capacity(room.id, attr, free, out, into))
    return capacities


def _separations(
    inv: Inventory, leaving: dict[str, list[str]], entering: dict[str, list[str]]
) -> list[Separation]:
    """For each room, each zone leaving it that conflicts with a zone entering it."""
    conflicts = conflicting_zones(inv)
    separations: list[Separation] = []
    for room in inv.rooms:
        out_by_zone: dict[str, list[str]] = defaultdict(list)
        for wid in leaving[room.id]:
            out_by_zone[inv.workload[wid].zone].append(wid)
        for zout, wids in out_by_zone.items():
            ins = tuple(
                wid
                for wid in entering[room.id]
                if frozenset((inv.workload[wid].zone, zout)) in conflicts
            )
            if ins:
                separations.append(Separation(room.id, zout, tuple(wids), ins))
    return separations


def _room_changes(
    inv: Inventory, cal: Calendar, open_rooms: frozenset[str], entering: dict[str, list[str]]
) -> tuple[dict[str, int], list[str]]:
    """The closing rooms with their earliest close month, and the opened candidates that
    receive moves."""
    closing: dict[str, int] = {}
    opening: list[str] = []
    for room in inv.rooms:
        if room.status == "existing" and room.id not in open_rooms:
            lo = 1
            if room.earliest_close is not None:
                lo = max(lo, cal.first_month_after(room.earliest_close))
            closing[room.id] = lo
        elif room.status == "candidate" and room.id in open_rooms and entering[room.id]:
            opening.append(room.id)
    # A candidate opened only for its suites opens with them.
    for room in inv.rooms:
        parent = room.within
        if parent is None or room.id not in opening or parent in opening:
            continue
        if parent in open_rooms and inv.room[parent].status == "candidate":
            opening.append(parent)
    return closing, opening


def _costs(inv: Inventory, inst: Migration) -> None:
    """The cost increments of rooms' months and the movers' discounting slopes (pence)."""
    T = inst.T
    rate = inv.estate.discount_rate
    for rid in inst.closing:
        room = inv.room[rid]
        monthly = room.annual_cost * 100 / 12
        # cost(c) = sum_{k<c} monthly df(k) + closure df(c - 1)
        inst.close_steps[rid] = [
            round(
                monthly * _df(rate, k) + room.closure_cost * 100 * (_df(rate, k) - _df(rate, k - 1))
            )
            for k in range(T)
        ]
    for rid in inst.opening:
        room = inv.room[rid]
        monthly = room.annual_cost * 100 / 12
        # cost(o) = sum_{k>=o} monthly df(k) + open_cost df(o): each later month saves
        inst.open_steps[rid] = [
            round(
                -monthly * _df(rate, k) + room.open_cost * 100 * (_df(rate, k + 1) - _df(rate, k))
            )
            for k in range(T - 1)
        ]
    for buy in inst.buys:
        u = next(u for u in inv.room[buy.room].upgrades if u.accreditation == buy.accreditation)
        monthly = u.annual_cost * 100 / 12
        # cost(g) = sum_{k>=g} monthly df(k) + cost df(g), like a candidate's opening
        inst.buy_steps[(buy.room, buy.accreditation)] = [
            round(-monthly * _df(rate, k) + u.cost * 100 * (_df(rate, k + 1) - _df(rate, k)))
            for k in range(T - 1)
        ]
    slope = math.log(1 + rate) / 12
    for mv in inst.movers:
        inst.move_slope[mv.id] = round(mv.migration_cost * 100 * slope)
        if mv.refresh is not None:
            w = inv.workload[mv.id]
            later = w.refresh_move_cost if w.refresh_move_cost is not None else w.migration_cost
            step = (later - mv.migration_cost) * 100 * _df(rate, mv.refresh)
            inst.refresh_step[mv.id] = round(step)
