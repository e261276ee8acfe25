"""A fast list scheduler for rule 10: a legal month-by-month schedule without CP-SAT.

It serves the CP-SAT model (:mod:`planner.schedule.build`) as a complete
solution hint, and as the schedule itself when CP-SAT finds none in time.

Rules of the heuristic (``greedy_schedule``), on the whole-number
:class:`~planner.schedule.migration.Migration` the model also reads:

1. **Units.** Movers are joined into units: the strongly connected components
   of the precedence graph whose arcs are the ``Order`` rules (t_first <=
   t_second) and the separation rules (every leaver of zone z from room r
   before a virtual node, the node before every conflicting entrant of r).
   Mutual orders (and longer cycles) thus become one unit that moves in one
   month, with the summed person-days and the intersection of the windows.
   Windows are tightened along the arcs (a unit starts no earlier than its
   predecessors may, and ends no later than its successors must).
2. **Months in order.** For m = 0, 1, ..., T-1 the scheduler repeatedly takes
   the *ready* units (every predecessor moved in a month <= m, the window
   contains m), best first, and moves each that fits: the month's person-days
   are not exceeded, and every destination room's racks and kW in the state
   after the month (staying + arrived - departed, departures of the same
   month included) are within capacity. A unit that becomes ready because a
   predecessor moved this month may move this month too. The month ends
   when a pass moves nothing.
3. **Priority.** A unit's score is the money its move saves per person-day:
   for each closing room it leaves, the room's monthly cost times the share of
   the room's remaining person-days the unit does (so the rooms that save the
   most per person-day of their remaining moves empty first, and a room
   nearly empty finishes before another starts); minus, for each candidate
   room it would open, that room's monthly cost times the unit's share of
   all moves into it (opening a dear room early costs money). A closing room
   that cannot close for a while anyway (``earliest_close``, or a leaver's
   ``not_before``) does not count until its remaining moves need the months
   left. A unit inherits the best score of the units that wait for it
   (orders, separation) and of the ready units its leaving would make room
   for (capacity: when a better unit is found blocked by a full room, the
   units leaving that room are raised to its score and the month's list is
   sorted again). Units whose window is about to run out (the person-days of
   all units due by its deadline need every month left) go first, earliest
   deadline first. Ties go to inventory order: the result is deterministic.
4. **Months of rooms.** A closing room closes the month after its last move
   out, and not before the first month after ``earliest_close`` (month 1 at
   the earliest); an opened candidate opens in the month of its first move in.
5. **No illegal schedules.** When a unit cannot move by the end of its window
   (capacity swaps that need two moves in one month in an order the list
   cannot find, orders that cycle through capacity, person-days), or a room
   cannot close within the horizon, the result is incomplete and says why; a
   complete result is re-checked against every rule of the instance
   (:func:`violations`) before it is returned.
6. **Backward pass.** The forward schedule's close months are then kept as
   deadlines and every move is pushed as late as they and the other rules
   allow: the same list scheduler runs on the instance in reverse time
   (:func:`_reverse`: month m becomes T-1-m, moves go from the target room
   back to today's, orders point the other way), where emptying a candidate
   room early means opening it late, and each unit's discounted migration
   cost counts too. Moves that do not hurry a closure thus fall later (their
   cost is discounted more) and candidate rooms open later.

Three variants of the priority are tried (with both deferrals of rule 3,
without the opening penalty, and with neither), each with and without the
backward pass, and the cheapest complete schedule is kept.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from planner.schedule.migration import Capacity, Migration, Mover, Separation
from planner.schedule.pairs import Order


@dataclass
class GreedySchedule:
    """What the list scheduler built."""

    move_month: dict[str, int]
    close_month: dict[str, int] = field(default_factory=dict)
    open_month: dict[str, int] = field(default_factory=dict)
    complete: bool = False
    problem: str | None = None
    """Why the schedule is incomplete, in words."""
    cost: int | None = None
    """The model's objective (pence) when complete."""
    wall_s: float = 0.0
    variant: str = ""


@dataclass(frozen=True)
class Policy:
    """Which deferrals of the priority rule apply."""

    name: str
    defer_premature: bool = True
    """A room whose earliest_close is far off does not count yet."""
    open_penalty: bool = True
    """Opening a candidate room counts against the unit."""
    slope: bool = False
    """The discounting of migration costs counts for the unit (the backward pass)."""


POLICIES = (
    Policy("net"),
    Policy("no-open-penalty", open_penalty=False),
    Policy("eager", defer_premature=False, open_penalty=False),
)
BACKWARD = Policy("backward", defer_premature=False, open_penalty=False, slope=True)


@dataclass
class _Units:
    members: list[list[str]]
    days: list[int]
    lo: list[int]
    hi: list[int]
    succ: list[list[int]]
    npred: list[int]
    order: list[int]
    """Topological order."""
    rank: list[int]
    """Inventory position of the first member (tie-breaker)."""
    unit_of: dict[str, int]


def _units(inst: Migration) -> _Units:
    """Strongly connected components of the precedence graph, as a DAG (rule 1)."""
    index = {mv.id: i for i, mv in enumerate(inst.movers)}
    n = len(inst.movers)
    nodes = n + len(inst.separations)
    adj: list[list[int]] = [[] for _ in range(nodes)]
    for rule in inst.orders:
        adj[index[rule.first]].append(index[rule.second])
    for s, sep in enumerate(inst.separations):
        v = n + s
        for wid in sep.leaving:
            adj[index[wid]].append(v)
        adj[v].extend(index[wid] for wid in sep.entering)
    comp = _tarjan(adj)
    ncomp = max(comp, default=-1) + 1
    members: list[list[str]] = [[] for _ in range(ncomp)]
    rank = [nodes] * ncomp
    for v in range(nodes):
        rank[comp[v]] = min(rank[comp[v]], v)
        if v < n:
            members[comp[v]].append(inst.movers[v].id)
    succ_sets: list[set[int]] = [set() for _ in range(ncomp)]
    for v in range(nodes):
        for w in adj[v]:
            if comp[v] != comp[w]:
                succ_sets[comp[v]].add(comp[w])
    succ = [sorted(s) for s in succ_sets]
    npred = [0] * ncomp
    for nexts in succ:
        for w in nexts:
            npred[w] += 1
    # Kahn's algorithm for a topological order (Tarjan numbers components in reverse).
    order: list[int] = []
    left = list(npred)
    stack = [c for c in range(ncomp) if left[c] == 0]
    while stack:
        c = stack.pop()
        order.append(c)
        for w in succ[c]:
            left[w] -= 1
            if left[w] == 0:
                stack.append(w)
    days = [sum(inst.mover[w].days for w in ms) for ms in members]
    lo = [max((inst.mover[w].lo for w in ms), default=0) for ms in members]
    hi = [min((inst.mover[w].hi for w in ms), default=inst.T - 1) for ms in members]
    for c in order:
        for w in succ[c]:
            lo[w] = max(lo[w], lo[c])
    for c in reversed(order):
        for w in succ[c]:
            hi[c] = min(hi[c], hi[w])
    unit_of = {w: c for c, ms in enumerate(members) for w in ms}
    return _Units(members, days, lo, hi, succ, npred, order, rank, unit_of)


def _tarjan(adj: list[list[int]]) -> list[int]:
    """Component number of every node (iterative Tarjan)."""
    n = len(adj)
    index = [-1] * n
    low = [0] * n
    on = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    counter = 0
    ncomp = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on[root] = True
        while work:
            v, i = work[-1]
            if i < len(adj[v]):
                work[-1] = (v, i + 1)
                w = adj[v][i]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on[w] = True
                    work.append((w, 0))
                elif on[w]:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    while True:
                        w = stack.pop()
                        on[w] = False
                        comp[w] = ncomp
                        if w == v:
                            break
                    ncomp += 1
    return comp


def greedy_schedule(
    inst: Migration, policies: tuple[Policy, ...] = POLICIES, *, backward: bool = True
) -> GreedySchedule:
    """The cheapest complete schedule of the policies tried, else the first one's failure."""
    start = time.monotonic()
    units = _units(inst)
    best: GreedySchedule | None = None
    first: GreedySchedule | None = None
    for policy in policies:
        result = _run(inst, units, policy)
        if first is None:
            first = result
        if result.complete and (best is None or (result.cost or 0) < (best.cost or 0)):
            best = result
        if result.complete and backward:
            late = _backward(inst, result)
            if late.complete and (best is None or (late.cost or 0) < (best.cost or 0)):
                late.variant = f"{policy.name}+backward"
                best = late
    out = best or first or GreedySchedule({}, problem="no policy")
    out.wall_s = time.monotonic() - start
    return out


def _run(inst: Migration, units: _Units, policy: Policy) -> GreedySchedule:
    """One forward list schedule (rules 2-5 of the module docstring)."""
    problem = _unit_problem(inst, units) or _capacity_problem(inst)
    if problem is not None:
        return GreedySchedule({}, problem=problem, variant=policy.name)
    run = _Forward(inst, units, policy)
    for m in range(inst.T):
        run.schedule_month(m)
        late = [c for c in run.waiting() if units.hi[c] <= m]
        if late:
            return run.failure(min(late, key=lambda c: units.rank[c]), m)
    left = run.waiting()
    if left:
        return run.failure(min(left, key=lambda c: units.rank[c]), inst.T - 1)
    close_month = _close_months(inst, run.move_month)
    for rid, c in close_month.items():
        if c > inst.T:
            return GreedySchedule(
                run.move_month,
                problem=f"room {rid} cannot close within the horizon",
                variant=policy.name,
            )
    return _finish(inst, run.move_month, close_month, "the greedy schedule", policy.name)


def _unit_problem(inst: Migration, units: _Units) -> str | None:
    """Why some unit can never move: more person-days than a month has, or no month left in
    its window once the orders are applied (None if every unit could)."""
    cap = inst.days_cap
    for c, members in enumerate(units.members):
        if units.days[c] > cap:
            return (
                f"{', '.join(members)} need {units.days[c] / 100:g} person-days in one "
                f"month, more than the {cap / 100:g} a month allows"
            )
        if units.lo[c] > units.hi[c] and members:
            return (
                f"{', '.join(members)} have no month in their windows once the orders are applied"
            )
    return None


def _capacity_problem(inst: Migration) -> str | None:
    """Which binding room resource is already over capacity today, if one is."""
    for cp in inst.capacities:
        if sum(cp.leaving.values()) > cp.free:
            return (
                f"room {cp.room}'s {cp.resource} are over capacity today "
                "(after rounding to thousandths)"
            )
    return None


def _close_months(inst: Migration, move_month: dict[str, int]) -> dict[str, int]:
    """Each closing room closes the month after its last move out, not before its earliest
    close month (rule 4 of the module docstring; may be after the horizon)."""
    out = {
        rid: max(lo, 1 + max((move_month[w] for w in inst.leaving.get(rid, [])), default=0))
        for rid, lo in inst.closing.items()
    }
    for suite, parent in inst.suites.items():  # a parent closes after its suites
        if suite in out and parent in out:
            out[parent] = max(out[parent], out[suite])
    return out


class _Forward:
    """The state of one forward list schedule: which units have moved and when, the room
    capacities in use, the person-days left in each closing room (for the priority)."""

    def __init__(self, inst: Migration, units: _Units, policy: Policy) -> None:
        self.inst, self.units, self.policy = inst, units, policy
        n = self.n = len(units.members)
        self.cap = inst.days_cap
        # Capacity deltas of each unit, and the state.
        caps = inst.capacities
        self.usage = [sum(cp.leaving.values()) for cp in caps]
        self.delta: list[dict[int, int]] = [defaultdict(int) for _ in range(n)]
        for k, cp in enumerate(caps):
            for wid, d in cp.leaving.items():
                self.delta[units.unit_of[wid]][k] -= d
            for wid, d in cp.entering.items():
                self.delta[units.unit_of[wid]][k] += d
        self.grow = [[(k, d) for k, d in self.delta[c].items() if d > 0] for c in range(n)]
        self.leaves_cap: list[list[int]] = [[] for _ in range(len(caps))]
        """Capacity index -> units that free some of it by leaving."""
        for c in range(n):
            for k, d in self.delta[c].items():
                if d < 0:
                    self.leaves_cap[k].append(c)
        self._rooms()
        self.unit_slope = [sum(inst.move_slope[w] for w in units.members[c]) for c in range(n)]
        self.month_of_unit = [-1] * n
        self.npred = list(units.npred)
        self.ready: set[int] = {c for c in range(n) if self.npred[c] == 0}
        self.move_month: dict[str, int] = {}
        self.boost = [0.0] * n
        """Scores raised for units whose leaving makes room for a better unit (this month)."""
        self.used = 0
        """Person-days used in the month being scheduled."""

    def _rooms(self) -> None:
        """Room bookkeeping for the priority: person-days left to move out of each closing
        room (``rem``) and into each candidate (``into_total``), each unit's share of them,
        and the first month each closing room could close (``close_from``: after
        earliest_close, and after the earliest month its last leaver may move)."""
        inst, units = self.inst, self.units
        self.rem: dict[str, int] = defaultdict(int)
        self.into_total: dict[str, int] = defaultdict(int)
        self.opened: set[str] = set()
        self.opening = set(inst.opening)
        self.src_days: list[dict[str, int]] = [defaultdict(int) for _ in range(self.n)]
        self.dst_days: list[dict[str, int]] = [defaultdict(int) for _ in range(self.n)]
        for c in range(self.n):
            for wid in units.members[c]:
                mv = inst.mover[wid]
                if mv.src in inst.closing:
                    self.src_days[c][mv.src] += max(mv.days, 1)
                    self.rem[mv.src] += max(mv.days, 1)
                if mv.dst in self.opening:
                    self.dst_days[c][mv.dst] += max(mv.days, 1)
                    self.into_total[mv.dst] += max(mv.days, 1)
        self.close_from = dict(inst.closing)
        for c in range(self.n):
            for rid in self.src_days[c]:
                self.close_from[rid] = max(self.close_from[rid], self.units.lo[c] + 1)

    def waiting(self) -> list[int]:
        """The units with members that have not moved yet."""
        units = self.units
        return [c for c in range(self.n) if self.month_of_unit[c] < 0 and units.members[c]]

    def done(self, c: int, m: int) -> None:
        """Record unit c in month m (its successors may become ready)."""
        inst, units = self.inst, self.units
        self.month_of_unit[c] = m
        self.ready.discard(c)
        for wid in units.members[c]:
            self.move_month[wid] = m
            mv = inst.mover[wid]
            if mv.src in inst.closing:
                self.rem[mv.src] -= max(mv.days, 1)
            if mv.dst in self.opening:
                self.opened.add(mv.dst)
        for k, d in self.delta[c].items():
            self.usage[k] += d
        for w in units.succ[c]:
            self.npred[w] -= 1
            if self.npred[w] == 0:
                self.ready.add(w)

    def monthly(self, rid: str, m: int) -> float:
        """What room rid costs in month m (a candidate: what opening it then costs)."""
        inst, T = self.inst, self.inst.T
        if rid in inst.close_steps:
            return float(inst.close_steps[rid][min(m, T - 1)])
        return float(-inst.open_steps[rid][min(m, T - 2)]) if T >= 2 else 0.0

    def score(self, c: int, m: int) -> float:
        """Unit c's priority in month m: the money its move saves per person-day (rule 3)."""
        units, policy = self.units, self.policy
        days = max(units.days[c], 1)
        total = 0.0
        for rid, d in self.src_days[c].items():
            left = max(self.rem[rid], 1)
            if policy.defer_premature:
                need = math.ceil(left / max(self.cap, 1))
                if m + need + 1 < self.close_from[rid] - 1:
                    continue
            total += self.monthly(rid, m) * d / left
        if policy.slope:
            total += self.unit_slope[c]
        if policy.open_penalty:
            for rid, d in self.dst_days[c].items():
                if rid not in self.opened:
                    total -= self.monthly(rid, m) * d / max(self.into_total[rid], 1)
        return total / days

    def schedule_month(self, m: int) -> None:
        """Move the ready units of month m, best first, in passes until one moves nothing.

        Once a month: deadline pressure (a unit is urgent when the person-days of every
        unit due by its deadline need all the months left until then), and each unit's
        score raised to the best score of the units that wait for it.
        """
        units = self.units
        self.used = 0
        self.boost = [0.0] * self.n
        pending = sorted((units.hi[c], units.days[c]) for c in self.waiting())
        due_by: dict[int, int] = {}
        acc = 0
        for h, d in pending:
            acc += d
            due_by[h] = acc
        potential = {c: self.score(c, m) for c in self.waiting()}
        inherited = _inherit(units, potential, self.boost)
        while self._pass(m, due_by, inherited):
            pass

    def _pass(self, m: int, due_by: dict[int, int], inherited: dict[int, float]) -> bool:
        """One pass over the ready units of month m in priority order; True when it moved a
        unit or raised the score of units that make room for a better one (the month's
        list is then sorted again), False when the month is done."""
        units, caps = self.units, self.inst.capacities
        self._move_separation_nodes(m)
        cands = [c for c in self.ready if units.lo[c] <= m]
        if not cands:
            return False
        base = {c: self.score(c, m) for c in cands}
        # Units whose leaving makes room for a better unit get its score.
        for c in cands:
            for k, d in self.grow[c]:
                if self.usage[k] + d > caps[k].free:
                    for leaver in self.leaves_cap[k]:
                        self.boost[leaver] = max(self.boost[leaver], base[c])
        keys = {c: self._key(c, m, base[c], due_by, inherited) for c in cands}
        moved = False
        blocked: set[int] = set()
        """Capacities a better unit waits for in this pass."""
        for c in sorted(cands, key=keys.__getitem__):
            if self.used + units.days[c] > self.cap:
                continue
            full = [k for k, d in self.grow[c] if self.usage[k] + d > caps[k].free]
            if full:
                blocked.update(full)
                if self._raise_leavers(full, base[c]):
                    return True  # the units that make room for it go first: sort again
                continue
            self.used += units.days[c]
            self.done(c, m)
            moved = True
            if any(self.delta[c][k] < 0 for k in blocked):
                break  # it made room for a better unit: sort again before going on
        return moved

    def _move_separation_nodes(self, m: int) -> None:
        """Members-less units (separation nodes) move as soon as they are ready."""
        units = self.units
        empty = [c for c in self.ready if not units.members[c]]
        while empty:
            for c in empty:
                self.done(c, m)
            empty = [c for c in self.ready if not units.members[c]]

    def _key(
        self, c: int, m: int, base: float, due_by: dict[int, int], inherited: dict[int, float]
    ) -> tuple[int, int, float, int]:
        """Sort key of unit c in month m: urgent units first, earliest deadline first; then
        the best of its own, inherited and boosted scores; then inventory order."""
        units = self.units
        h = units.hi[c]
        urgent = (h - m) * self.cap <= due_by.get(h, 0)
        return (
            0 if urgent else 1,
            h if urgent else 0,
            -max(base, inherited.get(c, 0.0), self.boost[c]),
            units.rank[c],
        )

    def _raise_leavers(self, full: list[int], score: float) -> bool:
        """Raise the units that would free capacities ``full`` to ``score``; True if any
        was raised."""
        raised = False
        for k in full:
            for leaver in self.leaves_cap[k]:
                if self.month_of_unit[leaver] < 0 and self.boost[leaver] < score:
                    self.boost[leaver] = score
                    raised = True
        return raised

    def failure(self, c: int, m: int) -> GreedySchedule:
        """The incomplete schedule, saying why unit c could not move by month m."""
        return GreedySchedule(
            self.move_month,
            problem=_why(self.inst, self.units, c, m, self.npred, self.usage, self.grow),
            variant=self.policy.name,
        )


def _finish(
    inst: Migration,
    move_month: dict[str, int],
    close_month: dict[str, int],
    what: str,
    variant: str = "",
) -> GreedySchedule:
    """The complete schedule of these moves and closes: candidate rooms open with their
    first move in, every rule checked again (a violation is the greedy's own bug)."""
    open_month = inst.open_months(move_month)
    wrong = violations(inst, move_month, close_month, open_month)
    if wrong:
        return GreedySchedule(
            move_month, problem=f"internal: {what} breaks " + "; ".join(wrong[:3]), variant=variant
        )
    return GreedySchedule(
        move_month,
        close_month,
        open_month,
        complete=True,
        cost=inst.cost(move_month, close_month, open_month),
        variant=variant,
    )


def _backward(inst: Migration, forward: GreedySchedule) -> GreedySchedule:
    """Rule 6: the forward schedule with every move as late as its room's close month and
    the other rules allow (a list schedule of the reversed instance, see :func:`_reverse`);
    candidate rooms then open later and migration costs fall later."""
    rev = _reverse(inst, forward.close_month)
    result = _run(rev, _units(rev), BACKWARD)
    if not result.complete:
        return result
    T = inst.T
    move_month = {w: T - 1 - t for w, t in result.move_month.items()}
    return _finish(inst, move_month, _close_months(inst, move_month), "the backward pass")


def _reverse(inst: Migration, close_month: dict[str, int]) -> Migration:
    """The instance in reverse time (month m becomes T-1-m): moves go from their target
    room back to today's, orders and separations point the other way, capacities swap
    leavers and entrants (the reversed states are the forward ones, shifted by a month:
    the state after reversed month T-1-m is the forward state before month m). Each
    closing room's close month becomes a deadline for the moves out of it; opened
    candidates become the rooms to empty early (so that they open late)."""
    T = inst.T
    movers = []
    for mv in inst.movers:
        hi = mv.hi
        if mv.src in close_month:
            hi = min(hi, close_month[mv.src] - 1)
        movers.append(
            Mover(
                mv.id,
                mv.dst,
                mv.src,
                mv.zone,
                T - 1 - hi,
                T - 1 - mv.lo,
                mv.days,
                mv.migration_cost,
            )
        )
    rev = Migration(
        T=T,
        movers=movers,
        mover={mv.id: mv for mv in movers},
        days_cap=inst.days_cap,
        capacities=[
            Capacity(c.room, c.resource, c.free, leaving=c.entering, entering=c.leaving)
            for c in inst.capacities
        ],
        separations=[
            Separation(s.room, s.zone, leaving=s.entering, entering=s.leaving)
            for s in inst.separations
        ],
        orders=[Order(o.second, o.first, o.reason, o.label) for o in inst.orders],
        closing=dict.fromkeys(inst.opening, 1),
        opening=[],
        leaving={rid: inst.entering[rid] for rid in inst.opening},
        entering={},
        move_slope=inst.move_slope,
        month_labels=inst.month_labels[::-1],
    )
    for rid in inst.opening:
        steps = inst.open_steps[rid]
        rev.close_steps[rid] = [
            -steps[max(0, min(len(steps) - 1, T - 1 - k))] if steps else 0 for k in range(T)
        ]
    return rev


def _inherit(units: _Units, score: dict[int, float], boost: list[float]) -> dict[int, float]:
    """Each unit's score raised to the best of the units waiting for it (reverse topological)."""
    out: dict[int, float] = {}
    for c in reversed(units.order):
        s = max(score.get(c, -math.inf), boost[c])
        for w in units.succ[c]:
            s = max(s, out.get(w, -math.inf))
        out[c] = s
    return {c: (s if s != -math.inf else 0.0) for c, s in out.items()}


def _why(
    inst: Migration,
    units: _Units,
    c: int,
    m: int,
    npred: list[int],
    usage: list[int],
    grow: list[list[tuple[int, int]]],
) -> str:
    names = ", ".join(units.members[c])
    whose = "its" if len(units.members[c]) == 1 else "their"
    label = f"{names} could not move by {inst.label(m)} (the end of {whose} window)"
    if npred[c] > 0:
        return label + ": still waiting for workloads that must move first (a deadlock)"
    full = [inst.capacities[k] for k, d in grow[c] if usage[k] + d > inst.capacities[k].free]
    if full:
        return (
            label
            + ": "
            + ", ".join(f"room {cp.room} has no {cp.resource} free" for cp in full)
            + " (a capacity deadlock: moves that would make room cannot go first)"
        )
    return label + ": the months' person-days ran out"


def violations(
    inst: Migration,
    move_month: dict[str, int],
    close_month: dict[str, int],
    open_month: dict[str, int],
) -> list[str]:
    """Every rule of the instance a schedule breaks, in words (empty when legal)."""
    out: list[str] = []
    T = inst.T
    for mv in inst.movers:
        t = move_month.get(mv.id)
        if t is None:
            out.append(f"{mv.id} does not move")
        elif not (mv.lo <= t <= mv.hi and 0 <= t < T):
            out.append(f"{mv.id} moves in month {t}, outside its window {mv.lo}..{mv.hi}")
    if out:
        return out
    for rule in inst.orders:
        if move_month[rule.first] > move_month[rule.second]:
            out.append(f"{rule.first} moves after {rule.second} ({rule.label})")
    for sep in inst.separations:
        last = max(move_month[w] for w in sep.leaving)
        for w in sep.entering:
            if move_month[w] < last:
                out.append(f"{w} enters {sep.room} while zone {sep.zone} is still there")
    per_month: dict[int, int] = defaultdict(int)
    for mv in inst.movers:
        per_month[move_month[mv.id]] += mv.days
    for m, d in sorted(per_month.items()):
        if d > inst.days_cap:
            out.append(f"{inst.label(m)} uses {d / 100:g} person-days")
    for cp in inst.capacities:
        change: dict[int, int] = defaultdict(int)
        level = sum(cp.leaving.values())
        for w, d in cp.leaving.items():
            change[move_month[w]] -= d
        for w, d in cp.entering.items():
            change[move_month[w]] += d
        if level > cp.free:
            out.append(f"room {cp.room} over {cp.resource} today")
        for m in sorted(change):
            level += change[m]
            if level > cp.free:
                out.append(f"room {cp.room} over {cp.resource} in {inst.label(m)}")
    for rid, lo in inst.closing.items():
        c = close_month.get(rid)
        if c is None or not (max(lo, 1) <= c <= T):
            out.append(f"room {rid} closes in month {c}")
            continue
        for w in inst.leaving.get(rid, []):
            if move_month[w] + 1 > c:
                out.append(f"room {rid} closes before {w} leaves")
    first_in = inst.open_months(move_month)
    for rid in inst.opening:
        if open_month.get(rid) != first_in[rid]:
            out.append(f"room {rid} opens in {open_month.get(rid)}, first in {first_in[rid]}")
    for suite, parent in inst.suites.items():
        both = suite in close_month and parent in close_month
        if both and close_month[suite] > close_month[parent]:
            out.append(f"suite {suite} closes after {parent}")
    for buy in inst.buys:
        for w in buy.entering:
            if move_month[w] < buy.lo:
                out.append(f"{w} enters {buy.room} before its {buy.accreditation} can hold")
    return out
