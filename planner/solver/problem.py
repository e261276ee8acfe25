"""The solver's problem: capacitated facility location with side constraints.

This layer knows nothing of councils. Rooms are facilities with capacities in
any number of resources, a cost when open and a cost when closed; workloads
are customers with a demand per resource and a cost for each admissible
(workload, room) pair. Side constraints: zones that may not share a room,
pairwise site rules (dependencies that need nearby sites, replicas that need
distant ones), forced open/closed rooms, a limit on open rooms, and a second,
independent layer of service desks serving organisations with integer staff.

Two producers build it: :mod:`planner.target.translate` from an estate and
:mod:`planner.bench.sscflp` from benchmark files. One solver
(:mod:`planner.solver.build`) reads it.

Everything is an integer: costs are in ``cost_unit`` pounds (or benchmark
units); each resource r has its own scale. Producers round demands up and
capacities down, so a plan legal for the integers is legal for the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from planner.solver.guards import Guard


@dataclass(frozen=True)
class Room:
    """A facility."""

    id: str
    site: int
    """Index into :attr:`Problem.sites`; rooms on one site are 0 ms apart."""
    capacity: tuple[int, ...]
    """Capacity per resource, scaled (same order as :attr:`Problem.resources`)."""
    cost_open: int
    """Cost (units) if the room is open in the plan, e.g. A x annual cost + opening cost."""
    cost_closed: int = 0
    """Cost (units) if the room is closed in the plan, e.g. its closure cost."""
    existing: bool = True
    """Open today (its hint is open)."""
    must_open: bool = False
    must_close: bool = False
    counts_to_limit: bool = True
    """Counts towards :attr:`Problem.max_rooms`."""
    within: int | None = None
    """A suite: the index of the room it is built inside (open only while that room is)."""


@dataclass(frozen=True)
class Workload:
    """A customer."""

    id: str
    demand: tuple[int, ...]
    """Demand per resource, scaled."""
    options: tuple[tuple[int, int], ...]
    """(room index, assignment cost in units) for every admissible room."""
    zone: int = 0
    """Index into :attr:`Problem.zones`."""
    today: int | None = None
    """Room index today (used as the search hint), if any."""
    blocked: tuple[tuple[int, Guard], ...] = ()
    """Only for explanations: (room, rule) pairs ruled out before the model by a named
    rule (accreditation, user latency, pinned, closing, cannot-move); the explanation
    model lets the workload use them unless the rule's guard holds."""
    blocked_cost: int = 0
    """Assignment cost of a blocked room in the explanation model (costs are ignored there)."""
    move_days: int = 0
    """Effort (scaled person-days) a move away from ``today`` takes; see ``move_budget``."""
    needs: tuple[tuple[int, tuple[int, ...]], ...] = ()
    """(room index, upgrades it needs) for each option that needs upgrades (indices into
    :attr:`Problem.upgrades`): the workload may use the room only if they are bought."""
    count: int = 1
    """How many identical workloads this one stands for (:mod:`planner.solver.aggregate`):
    its x[w, r] counts those in room r, 0..count."""


@dataclass(frozen=True)
class Upgrade:
    """Something a room can gain at a cost (an accreditation): bought or not."""

    room: int
    cost: int
    """Cost (units) if bought, e.g. its one-off cost + A x its annual cost."""
    label: str = ""


@dataclass(frozen=True)
class SitePairRule:
    """A rule on the sites of two workloads a and b.

    ``kind == 'near'``: a dependency; the pair of sites must be in ``pairs``
    (site of a, site of b). ``kind == 'apart'``: replicas; the pair of sites must
    NOT be in ``pairs`` (same site or closer than the minimum distance).
    """

    kind: str
    a: int
    b: int
    pairs: frozenset[tuple[int, int]]
    label: str = ""


@dataclass(frozen=True)
class AtMostOne:
    """At most one of these (workload, room) assignments may hold.

    Used for pairs of moves that no month-by-month order can make legal (e.g. two
    dependent workloads whose move windows share no month)."""

    pairs: tuple[tuple[int, int], ...]
    label: str = ""


@dataclass(frozen=True)
class Desk:
    """A service desk: a facility with integer staff."""

    id: str
    seats: int
    tickets_per_fte: int
    """Scaled like :attr:`Organisation.tickets` (``ticket_scale``)."""
    cost_open: int
    """Cost (units) if open, before staff."""
    cost_per_fte: int
    cost_closed: int = 0
    counts_to_limit: bool = True

    def staff(self, load: int) -> int | None:
        """Whole FTE to answer ``load`` tickets, ceil(load / tickets_per_fte); None when
        the seats cannot (more FTE than seats, or tickets and no tickets per FTE)."""
        if self.tickets_per_fte <= 0:
            return 0 if load == 0 else None
        fte = -(-load // self.tickets_per_fte)
        return fte if fte <= self.seats else None


@dataclass(frozen=True)
class Organisation:
    """A customer of the desk layer."""

    id: str
    tickets: int
    """Scaled by ``ticket_scale``."""
    options: tuple[int, ...]
    """Desks holding every vetting it needs."""
    today: int | None = None
    blocked: tuple[int, ...] = ()
    """Only for explanations: desks ruled out for lack of vetting."""


@dataclass(frozen=True)
class Problem:
    """A whole instance. Immutable; producers build it once."""

    name: str
    resources: tuple[str, ...]
    resource_scale: tuple[int, ...]
    sites: tuple[str, ...]
    rooms: tuple[Room, ...]
    workloads: tuple[Workload, ...]
    zones: tuple[str, ...] = ("default",)
    conflicts: frozenset[tuple[int, int]] = frozenset()
    """Pairs (i, j), i < j, of zones that may not share a room."""
    conflict_reason: dict[tuple[int, int], str] = field(default_factory=dict)
    """Why each pair conflicts: 'separate' or 'isolation:<zone>'."""
    upgrades: tuple[Upgrade, ...] = ()
    """What rooms can gain; workloads name the ones an option needs (:attr:`Workload.needs`)."""
    site_rules: tuple[SitePairRule, ...] = ()
    at_most_one: tuple[AtMostOne, ...] = ()
    max_rooms: int | None = None
    move_budget: int | None = None
    """Most total ``move_days`` of the workloads that leave ``today`` (the migration team's
    capacity over the whole horizon), if limited."""
    desks: tuple[Desk, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    max_desks: int | None = None
    ticket_scale: int = 1
    cost_unit: float = 1.0
    """Money per cost unit (0.01 for pence); the objective in money is units x cost_unit."""
    cost_offset: float = 0.0
    """Money added to every objective (costs the decisions cannot change)."""
    explain: bool = False
    """Built for an explanation model (blocked options filled in)."""

    def ruled_workloads(self) -> set[int]:
        """The workloads a side rule names: a site rule (dependency, DR) or a set of
        move pairs."""
        out = {w for rule in self.site_rules for w in (rule.a, rule.b)}
        out.update(w for amo in self.at_most_one for w, _ in amo.pairs)
        return out

    def with_workloads(self, workloads: tuple[Workload, ...], index: Mapping[int, int]) -> Problem:
        """This problem with ``workloads`` instead of its own; ``index`` maps each
        workload a side rule names (:meth:`ruled_workloads`) to its new index."""
        return replace(
            self,
            workloads=workloads,
            site_rules=tuple(
                replace(rule, a=index[rule.a], b=index[rule.b]) for rule in self.site_rules
            ),
            at_most_one=tuple(
                replace(amo, pairs=tuple((index[w], r) for w, r in amo.pairs))
                for amo in self.at_most_one
            ),
        )

    def upgrades_needed(self, assignment: list[int]) -> set[int]:
        """The upgrades an assignment (a room per workload) needs bought."""
        out: set[int] = set()
        for w, wl in enumerate(self.workloads):
            for r, needed in wl.needs:
                if assignment[w] == r:
                    out.update(needed)
        return out

    @property
    def size(self) -> str:
        return f"{len(self.rooms)}x{len(self.workloads)}"

    def objective_money(self, units: float) -> float:
        """Objective in money for an objective in units."""
        return units * self.cost_unit + self.cost_offset
