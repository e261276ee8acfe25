"""A coalition's problem in the savings game (spec/explore.md, "Shapley").

Only the partners in the coalition S consolidate; everyone else keeps today's estate.
:func:`restrict_to` turns the estate's solver problem
(:func:`planner.target.build_problem`) into the coalition's:

* a workload of a non-member stays where it is: its only option is today's room, at
  cost 0 (even where the estate's rules would move it: that is today's estate);
* a workload of a member may use the rooms on members' sites, the candidate rooms (any
  site) and its room of today, each only if the estate allows it (its option set is
  the estate's, narrowed); a member's workload left with no option at all (say its room
  must close and it may go only to non-members' rooms) stays where it is, like a
  non-member's ("fixed"), and upgrades are needed only for the options that remain;
* an existing room on a non-member's site stays open (``must_open``; a ``close: true``
  is lifted) and takes no workload of S but the ones there today; so does any room that
  hosts a fixed workload today, and the room a suite holding one is built inside; its
  capacity is at least what its fixed workloads take today (today's estate may be over
  a limit; a member may then not move in);
* an organisation outside S keeps today's desk; a member may use the desks on members'
  sites and its desk of today (each only if its vetting allows; none left: today's);
  a desk on a non-member's site stays open: closing it costs what keeping it costs
  (``cost_closed = cost_open``: the solver's desk layer closes a desk that serves
  nobody, so this is how "stays open" is priced);
* a dependency or DR rule between two fixed workloads is dropped (neither can move;
  today's estate is what it is); one between a fixed workload and a member's is kept,
  its site pairs completed for the fixed workload's site of today (rule 6's latency
  over the networks common to both zones; rule 7's distance);
* no ``--max-rooms`` or ``--max-desks``: the game prices consolidation, not limits.

With S the grand coalition the problem is the estate's (without the limits); with S
empty it is today's estate, whose optimum is the baseline of the game.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from planner.inventory.geo import great_circle_km
from planner.solver import AtMostOne, Desk, Organisation, Problem, Room, SitePairRule, Workload
from planner.target import EstateProblem


@dataclass(frozen=True)
class Coalition:
    """The restriction of an estate problem to a coalition (picklable: a Dask task may
    carry it); call it on an :class:`EstateProblem` to get the coalition's problem."""

    members: frozenset[str]

    def __call__(self, ep: EstateProblem) -> Problem:
        return coalition_problem(ep, self.members)


def restrict_to(members: Iterable[str]) -> Coalition:
    """The restriction ``EstateProblem -> Problem`` for the coalition of ``members``
    (organisation ids), for ``solves.solve_target(..., restrict=...)``."""
    return Coalition(frozenset(members))


def coalition_problem(ep: EstateProblem, members: frozenset[str]) -> Problem:
    """The solver problem of the coalition ``members`` (see the module docstring)."""
    p, inv = ep.problem, ep.inventory
    unknown = members - {o.id for o in inv.organisations}
    if unknown:
        raise ValueError(f"not organisations of the estate: {', '.join(sorted(unknown))}")
    site_owner = [inv.site[s].organisation for s in p.sites]
    ours = [site_owner[room.site] in members for room in p.rooms]

    workloads: list[Workload] = []
    fixed: list[bool] = []
    for wl in p.workloads:
        member = inv.workload[wl.id].organisation in members
        options = tuple(
            (r, c)
            for r, c in wl.options
            if member and (r == wl.today or ours[r] or not p.rooms[r].existing)
        )
        stays = not options and wl.today is not None
        if stays:
            assert wl.today is not None
            options = ((wl.today, 0),)
        kept = {r for r, _ in options}
        needs = tuple((r, ups) for r, ups in wl.needs if r in kept)
        workloads.append(replace(wl, options=options, needs=needs, blocked=()))
        fixed.append(stays)

    return replace(
        p,
        rooms=_rooms(p, ours, workloads, fixed),
        workloads=tuple(workloads),
        site_rules=_site_rules(ep, workloads, fixed),
        at_most_one=_at_most_one(p, workloads),
        max_rooms=None,
        desks=_desks(ep, members),
        organisations=_organisations(ep, members),
        max_desks=None,
        explain=False,
    )


def _rooms(
    p: Problem, ours: list[bool], workloads: list[Workload], fixed: list[bool]
) -> tuple[Room, ...]:
    """Non-members' existing rooms and rooms holding a fixed workload stay open, holding
    at least what their fixed workloads take today."""
    held: dict[int, list[int]] = {}
    for wl, stays in zip(workloads, fixed, strict=True):
        if stays and wl.today is not None:
            load = held.setdefault(wl.today, [0] * len(p.resources))
            for k, d in enumerate(wl.demand):
                load[k] += d
    keep = {r for r, room in enumerate(p.rooms) if room.existing and not ours[r]} | set(held)
    for r in list(keep):  # a suite is open only while its parent is
        parent = p.rooms[r].within
        while parent is not None and parent not in keep:
            keep.add(parent)
            parent = p.rooms[parent].within
    out = []
    for r, room in enumerate(p.rooms):
        if r in keep:
            capacity = room.capacity
            if r in held:
                capacity = tuple(max(c, d) for c, d in zip(capacity, held[r], strict=True))
            room = replace(room, must_open=True, must_close=False, capacity=capacity)
        out.append(room)
    return tuple(out)


def _desks(ep: EstateProblem, members: frozenset[str]) -> tuple[Desk, ...]:
    """A desk on a non-member's site costs the same open or closed (it stays open)."""
    inv = ep.inventory
    out = []
    for desk, item in zip(ep.problem.desks, inv.service_desks, strict=True):
        assert desk.id == item.id
        if inv.site[item.site].organisation not in members:
            desk = replace(desk, cost_closed=desk.cost_open)
        out.append(desk)
    return tuple(out)


def _organisations(ep: EstateProblem, members: frozenset[str]) -> tuple[Organisation, ...]:
    """Non-members keep today's desk; members may use members' desks and today's."""
    inv, p = ep.inventory, ep.problem
    ours = [inv.site[d.site].organisation in members for d in inv.service_desks]
    out = []
    for org in p.organisations:
        options = tuple(d for d in org.options if org.id in members and (d == org.today or ours[d]))
        if not options and org.today is not None:
            options = (org.today,)
        out.append(replace(org, options=options, blocked=()))
    return tuple(out)


def _at_most_one(p: Problem, workloads: list[Workload]) -> tuple[AtMostOne, ...]:
    """The move-pair sets, on the options that remain."""
    present = {(w, r) for w, wl in enumerate(workloads) for r, _ in wl.options}
    out = []
    for rule in p.at_most_one:
        pairs = tuple(pair for pair in rule.pairs if pair in present)
        if len(pairs) > 1:
            out.append(replace(rule, pairs=pairs))
    return tuple(out)


def _site_rules(
    ep: EstateProblem, workloads: list[Workload], fixed: list[bool]
) -> tuple[SitePairRule, ...]:
    """Rules between two fixed workloads dropped; a fixed side's site of today completed."""
    p, inv, graph = ep.problem, ep.inventory, ep.graph
    limits = iter(
        dep.max_latency_ms for w in inv.workloads for dep in w.depends_on
    )  # the near rules, in the order translate made them
    min_km = inv.estate.dr_min_distance_km

    def sites(w: int) -> set[int]:
        return {p.rooms[r].site for r, _ in workloads[w].options}

    def near(a: int, b: int, s: int, t: int, limit: float) -> bool:
        za, zb = inv.workload[p.workloads[a].id].zone, inv.workload[p.workloads[b].id].zone
        return graph.dependency_latency(za, zb, p.sites[s], p.sites[t]) <= limit + 1e-9

    def apart_clash(s: int, t: int) -> bool:
        if s == t:
            return True
        a, b = inv.site[p.sites[s]], inv.site[p.sites[t]]
        return min_km > 0 and great_circle_km(a.lat, a.lon, b.lat, b.lon) < min_km

    out = []
    for rule in p.site_rules:
        limit = next(limits) if rule.kind == "near" else 0.0
        if fixed[rule.a] and fixed[rule.b]:
            continue
        if not (fixed[rule.a] or fixed[rule.b]):
            out.append(rule)
            continue
        extra = {
            (s, t)
            for s in sites(rule.a)
            for t in sites(rule.b)
            if (near(rule.a, rule.b, s, t, limit) if rule.kind == "near" else apart_clash(s, t))
        }
        out.append(replace(rule, pairs=rule.pairs | frozenset(extra)))
    return tuple(out)
