"""Neighbourhood search by blocks of rooms, for estates too big for one model.

On a generated estate of 337 councils (1,017 rooms, 15,919 workloads, 340,000
assignment options) CP-SAT spends most of a minute presolving and building the
LP of the whole model and finds three solutions (docs/benchmarks.md). Small
models of a few rooms and the workloads in them solve in a fraction of a
second. This module improves today's estate block by block with the same model
(:func:`planner.solver.build.build` on a restricted problem), then hands the
result to the whole model as its hint, which still gives the proven bound.

**The sub-problem P|B** of the problem P, for an incumbent solution s and a
block B of rooms:

* rooms: B (capacities, costs and forced states unchanged);
* free workloads F = {w : s(w) in B}, each with options O(w) restricted to B;
  every other workload stays where s has it;
* a site rule (dependency or replica) between w in F and a fixed v becomes a
  restriction of O(w) to the rooms whose site pairs legally with v's site; a
  rule between two fixed workloads is left out;
* a move pair with a fixed (v, r) that s uses removes the other pairs' options
  (at most one may hold); pairs of fixed workloads that s does not use drop out;
* the migration budget is what the fixed workloads leave:
  B' = B - sum_{v fixed, s(v) != today(v)} e[v].

Every constraint of P holds for s' = (solution of P|B on F, s elsewhere) when
it held for s outside B: capacity and zones are per room and no fixed workload
is in B; site rules and move pairs with a fixed partner are in O(w); the budget
is residual. The objective of P|B is the part of P's objective that B and F
change, so s' is kept when P|B's objective is lower than s's part.

* upgrades of rooms in B come along (no fixed workload is in B, so only free ones
  need them); a suite in B whose parent is outside B stays closed if the parent is
  closed in s, and a parent in B with an open suite outside B stays open.

**A sweep** solves disjoint blocks covering every room, starting from today's
estate (which may break rules: a room that must close, say). After block B is
solved no workload enters B's rooms again, and later blocks see B's workloads
as fixed, so after one sweep the incumbent is legal. Further rounds take
overlapping random blocks around random rooms until the time share is spent.

Not used (the whole model is solved as before) when a room limit couples every
block (``max_rooms``), when a workload has no room today, or when a block of
the sweep has no solution; the desk layer shares no constraint with rooms and
is solved once on its own.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner import sat
from planner.solver.build import build
from planner.solver.problem import AtMostOne, Problem, Room, SitePairRule, Workload
from planner.solver.variables import FacilityModel

SWEEP_OPTIONS = 1_000
"""Target size of a block of the sweep: (free workload, room in the block) options."""
RANDOM_OPTIONS = 2_500
"""Target size of a random block after the sweep."""
BLOCK_ROOMS = 40
"""Most rooms in a block."""
STALL = 30
"""Random blocks in a row that save nothing before the search stops early."""
BLOCK_TIME_S = 2.0
"""Most seconds (or deterministic seconds with one worker) for one block."""


@dataclass
class Incumbent:
    """A solution of the room layer: each workload's room and each room's state."""

    assignment: list[int]
    room_open: list[bool]


def cost_terms(p: Problem, inc: Incumbent) -> dict[str, int]:
    """The room layer's objective terms (family ``objective``: moves, rooms with the
    upgrades the assignment needs), in units."""
    return {
        "moves": sum(dict(wl.options)[inc.assignment[w]] for w, wl in enumerate(p.workloads)),
        "rooms": sum(
            room.cost_open if inc.room_open[r] else room.cost_closed
            for r, room in enumerate(p.rooms)
        )
        + sum(p.upgrades[u].cost for u in p.upgrades_needed(inc.assignment)),
    }


def room_units(p: Problem, inc: Incumbent) -> int:
    """The room layer's objective in cost units."""
    return sum(cost_terms(p, inc).values())


def today(p: Problem) -> Incumbent | None:
    """Today's estate as a starting point (None when a workload has no room today)."""
    if any(wl.today is None for wl in p.workloads):
        return None
    assignment = [int(wl.today) for wl in p.workloads if wl.today is not None]
    return Incumbent(assignment, [room.existing for room in p.rooms])


class Neighbourhoods:
    """Blocks of rooms that workloads connect (rooms are adjacent when a workload may
    use both; the more such workloads, the closer)."""

    def __init__(self, p: Problem) -> None:
        self.p = p
        weight: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for wl in p.workloads:
            rooms = [r for r, _ in wl.options]
            for i, a in enumerate(rooms):
                for c in rooms[i + 1 :]:
                    weight[a][c] += 1
                    weight[c][a] += 1
        self.near = {r: sorted(nbrs, key=lambda c: (-nbrs[c], c)) for r, nbrs in weight.items()}

    def grow(
        self,
        seed: int,
        members: list[list[int]],
        taken: set[int],
        rng: random.Random | None,
        target: int,
    ) -> list[int]:
        """Rooms around ``seed`` (not in ``taken``) until the block is big enough."""
        p = self.p
        block = [seed]
        inside = {seed}
        frontier = list(self.near.get(seed, []))
        size = 0
        while True:
            size = sum(
                sum(1 for r, _ in p.workloads[w].options if r in inside)
                for c in block
                for w in members[c]
            )
            if size >= target or len(block) >= BLOCK_ROOMS:
                break
            candidates = [c for c in frontier if c not in inside and c not in taken]
            if not candidates:
                break
            pick = candidates[0] if rng is None else rng.choice(candidates[:3])
            block.append(pick)
            inside.add(pick)
            frontier = [c for c in frontier if c != pick] + [
                c for c in self.near.get(pick, []) if c not in inside
            ]
        return block

    def sweep(self, members: list[list[int]]) -> Iterator[list[int]]:
        """Disjoint blocks covering every room, rooms with most workloads first."""
        taken: set[int] = set()
        order = sorted(range(len(self.p.rooms)), key=lambda r: (-len(members[r]), r))
        for seed in order:
            if seed in taken:
                continue
            block = self.grow(seed, members, taken, None, SWEEP_OPTIONS)
            taken.update(block)
            yield block

    def random(self, members: list[list[int]], rng: random.Random) -> list[int]:
        """A block around a random room that hosts workloads."""
        busy = [r for r in range(len(self.p.rooms)) if members[r]]
        return self.grow(rng.choice(busy), members, set(), rng, RANDOM_OPTIONS)


@dataclass
class SubProblem:
    problem: Problem
    rooms: list[int]
    """Room of P for each room of P|B."""
    workloads: list[int]
    """Workload of P for each workload of P|B."""
    units: int
    """The incumbent's value of P|B's objective."""


def restrict(
    p: Problem, inc: Incumbent, block: list[int], members: list[list[int]]
) -> SubProblem | None:
    """P|B (module docstring), or None when a free workload has no option left."""
    local = {r: i for i, r in enumerate(block)}
    free = [w for r in block for w in members[r]]
    index = {w: i for i, w in enumerate(free)}
    site = [room.site for room in p.rooms]
    allowed: dict[int, set[int]] = {
        w: {r for r, _ in p.workloads[w].options if r in local} for w in free
    }
    rules: list[SitePairRule] = []
    for rule in _rules_of(p, free):
        a_free, b_free = rule.a in index, rule.b in index
        if a_free and b_free:
            rules.append(replace(rule, a=index[rule.a], b=index[rule.b]))
            continue
        w, other = (rule.a, rule.b) if a_free else (rule.b, rule.a)
        s_other = site[inc.assignment[other]]
        keep = set()
        for r in allowed[w]:
            pair = (site[r], s_other) if a_free else (s_other, site[r])
            if (pair in rule.pairs) == (rule.kind == "near"):
                keep.add(r)
        allowed[w] = keep
    pairs_kept: list[AtMostOne] = []
    for amo in p.at_most_one:
        if not any(w in index for w, _ in amo.pairs):
            continue
        held = any(w not in index and inc.assignment[w] == r for w, r in amo.pairs)
        inner = [(w, r) for w, r in amo.pairs if w in index and r in local]
        if held:
            for w, r in inner:
                allowed[w].discard(r)
        elif len(inner) > 1:
            pairs_kept.append(AtMostOne(tuple((index[w], local[r]) for w, r in inner), amo.label))
    upgrades = [u for u, up in enumerate(p.upgrades) if up.room in local]
    up_local = {u: i for i, u in enumerate(upgrades)}
    workloads = []
    for w in free:
        wl = p.workloads[w]
        options = tuple((local[r], c) for r, c in wl.options if r in allowed[w])
        if not options:
            return None
        today_room = local.get(wl.today) if wl.today is not None else None
        needs = tuple(
            (local[r], tuple(up_local[u] for u in needed))
            for r, needed in wl.needs
            if r in allowed[w]
        )
        workloads.append(
            Workload(
                wl.id, wl.demand, options, wl.zone, today_room, move_days=wl.move_days, needs=needs
            )
        )
    budget = p.move_budget
    if budget is not None:
        free_set = set(free)
        budget -= sum(
            wl.move_days
            for v, wl in enumerate(p.workloads)
            if v not in free_set and inc.assignment[v] != wl.today
        )
        if budget < 0:
            return None
    sub = replace(
        p,
        name=f"{p.name} block {block[0]}",
        rooms=_block_rooms(p, inc, block),
        workloads=tuple(workloads),
        upgrades=tuple(replace(p.upgrades[u], room=local[p.upgrades[u].room]) for u in upgrades),
        site_rules=tuple(rules),
        at_most_one=tuple(pairs_kept),
        move_budget=budget,
        desks=(),
        organisations=(),
        max_desks=None,
    )
    units = sum(dict(p.workloads[w].options)[inc.assignment[w]] for w in free) + sum(
        p.rooms[r].cost_open if inc.room_open[r] else p.rooms[r].cost_closed for r in block
    )
    units += sum(p.upgrades[u].cost for u in p.upgrades_needed(inc.assignment) if u in up_local)
    return SubProblem(sub, list(block), free, units)


def _block_rooms(p: Problem, inc: Incumbent, block: list[int]) -> tuple[Room, ...]:
    """The block's rooms, suites tied to parents outside the block by the incumbent: a
    suite whose parent is closed stays closed; a parent with an open suite stays open."""
    local = {r: i for i, r in enumerate(block)}
    held_open = {
        room.within
        for r, room in enumerate(p.rooms)
        if room.within is not None and r not in local and inc.room_open[r]
    }
    out = []
    for r in block:
        room = p.rooms[r]
        if room.within is not None:
            parent = room.within
            if parent in local:
                room = replace(room, within=local[parent])
            else:
                closed = not inc.room_open[parent]
                room = replace(room, within=None, must_close=room.must_close or closed)
        if r in held_open:
            room = replace(room, must_open=True)
        out.append(room)
    return tuple(out)


def _rules_of(p: Problem, free: list[int]) -> list[SitePairRule]:
    chosen = set(free)
    return [rule for rule in p.site_rules if rule.a in chosen or rule.b in chosen]


def _hint(b: FacilityModel, sub: SubProblem, inc: Incumbent) -> None:
    """Hint the incumbent (where it is legal CP-SAT takes it at once)."""
    m = b.model
    m.clear_hints()
    for i, r in enumerate(sub.rooms):
        m.add_hint(b.open[i], inc.room_open[r])
    for i, w in enumerate(sub.workloads):
        for r, var in b.by_workload[i]:
            m.add_hint(var, sub.rooms[r] == inc.assignment[w])


@dataclass
class SearchResult:
    incumbent: Incumbent | None
    """A legal room layer, or None when the search gave up (see the module docstring)."""
    units: int = 0
    blocks: int = 0
    improved: int = 0
    spent: float = 0.0
    """Seconds the search took (deterministic seconds with one worker)."""


def improve(
    p: Problem,
    budget_s: float,
    workers: int,
    seed: int,
    on_incumbent: Callable[[int], None] | None = None,
    legal: bool = False,
) -> SearchResult:
    """A sweep, then random blocks, within ``budget_s`` (deterministic seconds with one
    worker, so runs repeat exactly). ``legal``: today's estate satisfies every rule
    (:func:`planner.solver.search.check_hint`), so every incumbent does, a block is
    kept only when it saves money, and the search may stop anywhere; otherwise the
    sweep must finish for a result (None if it cannot)."""
    start_inc = today(p)
    if start_inc is None or p.max_rooms is not None:
        return SearchResult(None)
    inc = start_inc
    members: list[list[int]] = [[] for _ in p.rooms]
    for w, r in enumerate(inc.assignment):
        members[r].append(w)
    hoods = Neighbourhoods(p)
    rng = random.Random(seed)
    spent = 0.0
    started = time.monotonic()
    result = SearchResult(None)

    def elapsed() -> float:
        return spent if workers <= 1 else time.monotonic() - started

    def solve_block(block: list[int], repair: bool) -> bool:
        """Solve P|block; keep it if it saves money (or, when ``repair``, if it has a
        plan at all). False when a block that must be repaired cannot be."""
        nonlocal spent
        sub = restrict(p, inc, block, members)
        if sub is None:
            return not repair
        b = build(sub.problem)
        _hint(b, sub, inc)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = max(1, workers)
        params.random_seed = seed
        params.linearization_level = 2
        left = max(0.1, min(BLOCK_TIME_S, budget_s - elapsed()))
        if workers <= 1:
            params.max_deterministic_time = left
        else:
            params.max_time_in_seconds = left
        code = sat.run(solver, b.model)
        spent += solver.response_proto.deterministic_time
        result.blocks += 1
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return not repair
        saves = round(solver.objective_value) < sub.units
        if not (saves or repair):
            return True
        for i, r in enumerate(sub.rooms):
            inc.room_open[r] = bool(solver.value(b.open[i]))
        for r in sub.rooms:
            members[r] = []
        for i, w in enumerate(sub.workloads):
            room = next(sub.rooms[r] for r, var in b.by_workload[i] if solver.value(var))
            inc.assignment[w] = room
            members[room].append(w)
        result.improved += saves
        return True

    def report() -> None:
        units = room_units(p, inc)
        if on_incumbent is not None and (result.incumbent is None or units < result.units):
            on_incumbent(units)
        result.incumbent, result.units = inc, units

    if legal:
        report()
    for block in hoods.sweep(members):
        if elapsed() > budget_s:
            break
        if not solve_block(block, repair=not legal):
            result.spent = elapsed()
            return SearchResult(None, blocks=result.blocks, spent=result.spent)
        if legal:
            report()
    else:
        report()
    # Random blocks until the time is spent or STALL blocks in a row (at least as many
    # as the sweep had) saved nothing; one block holding every room is already optimal.
    swept = result.blocks
    stall = 0
    patience = max(STALL, swept)
    while (
        elapsed() < budget_s
        and result.incumbent is not None
        and stall < patience
        and not (swept == 1 and result.blocks == 1)
    ):
        before = result.improved
        solve_block(hoods.random(members, rng), repair=False)
        stall = 0 if result.improved > before else stall + 1
        report()
    result.spent = elapsed()
    return result
