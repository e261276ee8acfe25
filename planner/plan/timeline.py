"""The estate month by month: which rooms and desks are open, who is where, what falls due.

Built from the target estate and its schedule, following the month semantics
of docs/plan-format.md; finance and staff read it, so they agree on every
month by construction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from planner.inventory.items import RESOURCES, Inventory, Upgrade, thousandths
from planner.inventory.months import Calendar
from planner.schedule import Schedule
from planner.target import Target, move_cost

EPS = 1e-9


def room_use(inv: Inventory, placement: dict[str, str]) -> dict[tuple[str, str], int]:
    """(room, resource) -> thousandths its workloads use when each workload is in the room
    ``placement`` gives (exact: every amount has at most 3 decimal places)."""
    use: dict[tuple[str, str], int] = defaultdict(int)
    for w in inv.workloads:
        for k in RESOURCES:
            use[(placement[w.id], k)] += thousandths(getattr(w, k))
    return use


def desk_fte(tickets: float, tickets_per_fte: float) -> int:
    """FTE of a desk serving ``tickets`` a year: ceil(tickets / tickets_per_fte)."""
    return math.ceil(tickets / tickets_per_fte - EPS) if tickets > 0 else 0


@dataclass(frozen=True)
class OneOff:
    """A one-off cost falling in a month."""

    month: int
    kind: str
    """migration | room_closure | room_opening | room_upgrade | desk_closure"""
    item: str
    amount: float


@dataclass
class Timeline:
    """Target + schedule, read month by month."""

    inv: Inventory
    target: Target
    schedule: Schedule
    cal: Calendar = field(init=False)

    def __post_init__(self) -> None:
        self.cal = Calendar(self.inv.estate.start, self.inv.estate.horizon_years)

    @property
    def months(self) -> int:
        return self.cal.months

    # ----------------------------------------------------------------- rooms
    def room_open_in(self, room_id: str, m: int) -> bool:
        room = self.inv.room[room_id]
        if room.status == "existing":
            if room_id in self.target.open_rooms:
                return True
            return m < self.schedule.close_month[room_id]
        if room_id not in self.target.open_rooms:
            return False
        return m >= self.schedule.open_month.get(room_id, 0)

    def location(self, workload_id: str, m: int) -> str:
        """Room of the workload in month m (post-move state)."""
        w = self.inv.workload[workload_id]
        t = self.schedule.move_month.get(workload_id)
        if t is None or m < t:
            return w.room
        return self.target.room_of[workload_id]

    def peak_use(self, resource: str) -> dict[str, tuple[int, int]]:
        """Room -> (month, use) of the month its workloads use most of ``resource`` (in
        thousandths; the first such month), over the months of the migration, each
        month's state after its moves."""
        use: dict[str, int] = {r.id: 0 for r in self.inv.rooms}
        moves: dict[int, list[tuple[str, str, int]]] = {}
        for w in self.inv.workloads:
            amount = thousandths(getattr(w, resource))
            use[w.room] += amount
            t = self.schedule.move_month.get(w.id)
            if t is not None:
                moves.setdefault(t, []).append((w.room, self.target.room_of[w.id], amount))
        peak = {rid: (0, -1) for rid in use}
        for m in range(self.months):
            changed = set(use) if m == 0 else set()
            for src, dst, amount in moves.get(m, []):
                use[src] -= amount
                use[dst] += amount
                changed |= {src, dst}
            for rid in changed:
                if use[rid] > peak[rid][1]:
                    peak[rid] = (m, use[rid])
        return peak

    # ----------------------------------------------------------------- desks
    @cached_property
    def desk_fte_before(self) -> dict[str, int]:
        served: dict[str, int] = {d.id: 0 for d in self.inv.service_desks}
        for o in self.inv.organisations:
            served[o.desk] += o.tickets_per_year
        return {d.id: desk_fte(served[d.id], d.tickets_per_fte) for d in self.inv.service_desks}

    @cached_property
    def desk_fte_after(self) -> dict[str, int]:
        served: dict[str, int] = {d.id: 0 for d in self.inv.service_desks}
        for o in self.inv.organisations:
            served[self.target.desk_of[o.id]] += o.tickets_per_year
        return {d.id: desk_fte(served[d.id], d.tickets_per_fte) for d in self.inv.service_desks}

    @cached_property
    def open_desks(self) -> frozenset[str]:
        return self.target.open_desks

    def desk_state(
        self, desk_id: str, m: int, serving: dict[str, list[str]] | None = None
    ) -> tuple[bool, int]:
        """(open, FTE) of a desk in month m.

        A desk kept in the plan has FTE = ceil(tickets of the organisations it serves in
        month m / tickets_per_fte); a closing desk keeps its FTE of today until it closes.
        """
        if desk_id in self.open_desks:
            orgs = (serving if serving is not None else self.desk_orgs(m)).get(desk_id, [])
            tickets = sum(self.inv.organisation[o].tickets_per_year for o in orgs)
            return True, desk_fte(tickets, self.inv.desk[desk_id].tickets_per_fte)
        close = self.schedule.desk_close_month.get(desk_id, 0)
        if m < close:
            return True, self.desk_fte_before[desk_id]
        return False, 0

    def desk_orgs(self, m: int) -> dict[str, list[str]]:
        """Desk -> organisations it serves in month m."""
        out: dict[str, list[str]] = {}
        for o in self.inv.organisations:
            switch = self.schedule.desk_switch_month.get(o.id)
            desk = self.target.desk_of[o.id] if switch is not None and m >= switch else o.desk
            out.setdefault(desk, []).append(o.id)
        return out

    @cached_property
    def upgrades(self) -> list[tuple[str, Upgrade, int]]:
        """(room, upgrade, month it first holds) of every upgrade bought, in inventory order."""
        out = []
        for r in self.inv.rooms:
            for u in r.upgrades:
                key = (r.id, u.accreditation)
                if key in self.target.upgrades:
                    out.append((r.id, u, self.schedule.upgrade_month.get(key, 0)))
        return out

    def room_running_cost(self, room_id: str, m: int) -> float:
        """A year's running cost of the room in month m: its own annual cost and that of
        the upgrades it holds by then (0 when it is not open)."""
        if not self.room_open_in(room_id, m):
            return 0.0
        extra = sum(u.annual_cost for rid, u, g in self.upgrades if rid == room_id and m >= g)
        return self.inv.room[room_id].annual_cost + extra

    # ----------------------------------------------------------------- money
    def room_monthly_cost(self, m: int) -> float:
        return sum(self.room_running_cost(r.id, m) for r in self.inv.rooms) / 12

    def desk_monthly_cost(self, m: int) -> float:
        total = 0.0
        serving = self.desk_orgs(m)
        for d in self.inv.service_desks:
            is_open, fte = self.desk_state(d.id, m, serving)
            if is_open:
                total += d.fixed_cost + fte * d.cost_per_fte
        return total / 12

    @cached_property
    def one_offs(self) -> list[OneOff]:
        inv, sched, target = self.inv, self.schedule, self.target
        out: list[OneOff] = []
        for w in inv.workloads:
            t = sched.move_month.get(w.id)
            if t is not None:
                out.append(OneOff(t, "migration", w.id, move_cost(w, t, self.cal)))
        for r in inv.rooms:
            if r.status == "existing" and r.id not in target.open_rooms:
                out.append(
                    OneOff(sched.close_month[r.id] - 1, "room_closure", r.id, r.closure_cost)
                )
            elif r.status == "candidate" and r.id in target.open_rooms:
                out.append(OneOff(sched.open_month.get(r.id, 0), "room_opening", r.id, r.open_cost))
        for rid, u, g in self.upgrades:
            out.append(OneOff(g, "room_upgrade", rid, u.cost))
        for d in inv.service_desks:
            if d.id not in self.open_desks:
                out.append(
                    OneOff(
                        sched.desk_close_month.get(d.id, 1) - 1,
                        "desk_closure",
                        d.id,
                        d.closure_cost,
                    )
                )
        return out
