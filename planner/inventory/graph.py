"""The estate as one networkx graph, and the queries the optimiser and validator need.

Nodes are ``kind:id`` strings for organisations, sites, rooms, desks and
workloads, with a ``kind`` attribute. Edges (a ``MultiGraph``, each with a
``kind`` attribute):

* ``owned-by``     site - organisation
* ``located-at``   room - site, desk - site
* ``hosted-in``    workload - room (today's placement)
* ``owned-by``     workload - organisation
* ``serves``       desk - organisation (today's desk)
* ``used-from``    workload - site (its `users`)
* ``depends-on``   workload - workload, with ``max_latency_ms``
* ``distinct-site`` workload - workload (DR pairs)
* ``network-link`` site - site, with ``network``, ``latency_ms``, ``bandwidth_mbps``

Latency (rules 5 and 6 of the spec): for a set of networks N, the latency from
site a to site b is the length of the shortest path from a to b using only
links whose network is in N, with link lengths ``latency_ms``; it is 0 when
a = b and unreachable when there is no such path. Zone Z uses N = Z.networks
(rule 5); a dependency between zones Z1 and Z2 uses N = Z1.networks &
Z2.networks (rule 6). Distances are computed by Dijkstra from each source site
on demand and cached per network set.

The builder tolerates dangling references (edges to unknown ids are skipped),
so the validator can use the graph on an estate it is still finding errors in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from planner.inventory.items import Inventory, Room, Workload
from planner.inventory.months import Calendar

UNREACHABLE = math.inf
"""Latency of a pair of sites with no path over the networks considered."""


def node(kind: str, ident: str) -> str:
    """The graph node name of an item: ``kind:id``."""
    return f"{kind}:{ident}"


@dataclass(frozen=True)
class Exclusion:
    """Why a room cannot host a workload."""

    room: str
    rule: str
    """'accreditation', 'latency', 'unreachable', 'closing', 'candidate-closed' or 'size'."""
    detail: str


class NetworkLatency:
    """Shortest-path latencies between sites over one set of networks.

    Dijkstra runs once per source site and stops at ``cutoff`` ms (the largest
    latency limit in the estate), so on a national estate each search explores
    only a neighbourhood. Pairs beyond the cutoff are answered exactly on demand
    (they only matter for messages); pairs in different connected components
    are ``UNREACHABLE``.
    """

    def __init__(
        self,
        sites: Iterable[str],
        links: Iterable[tuple[str, str, float]],
        cutoff: float | None = None,
    ) -> None:
        graph = nx.Graph()
        graph.add_nodes_from(sites)
        for a, b, ms in links:
            if a == b:
                continue
            if graph.has_edge(a, b):
                graph[a][b]["weight"] = min(graph[a][b]["weight"], ms)
            else:
                graph.add_edge(a, b, weight=ms)
        self.graph = graph
        self.cutoff = cutoff
        self._from: dict[str, dict[str, float]] = {}
        self._far: dict[tuple[str, str], float] = {}

    def within(self, source: str) -> dict[str, float]:
        """Latency from ``source`` to every site within the cutoff (itself at 0)."""
        cached = self._from.get(source)
        if cached is None:
            if source in self.graph:
                cached = nx.single_source_dijkstra_path_length(
                    self.graph, source, cutoff=self.cutoff
                )
            else:
                cached = {source: 0.0}
            self._from[source] = cached
        return cached

    def latency(self, a: str, b: str) -> float:
        """Latency from a to b in ms; 0 on the same site; ``UNREACHABLE`` with no path."""
        if a == b:
            return 0.0
        if b in self._from and a not in self._from:
            a, b = b, a
        near = self.within(a).get(b)
        if near is not None:
            return near
        if self.component_of.get(a) is None or self.component_of.get(a) != self.component_of.get(b):
            return UNREACHABLE
        key = (a, b) if a < b else (b, a)
        if key not in self._far:
            self._far[key] = nx.dijkstra_path_length(self.graph, a, b)
        return self._far[key]

    @cached_property
    def components(self) -> list[set[str]]:
        """Sets of sites connected to each other over these networks."""
        return [set(c) for c in nx.connected_components(self.graph)]

    @cached_property
    def component_of(self) -> dict[str, int]:
        """Site -> index of its connected component."""
        return {site: i for i, comp in enumerate(self.components) for site in comp}


class EstateGraph:
    """The estate graph with cached queries for validation and optimisation."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.g = self._build(inventory)
        self._latency: dict[frozenset[str], NetworkLatency] = {}
        limits = [w.max_latency_ms for w in inventory.workloads if w.max_latency_ms is not None]
        limits += [d.max_latency_ms for w in inventory.workloads for d in w.depends_on]
        self.cutoff: float | None = max(limits) if limits else 0.0
        """Largest latency limit in the estate: Dijkstra searches stop there."""

    # ----------------------------------------------------------------- build
    @staticmethod
    def _build(inv: Inventory) -> nx.MultiGraph:
        g = nx.MultiGraph(name=inv.estate.name)
        for o in inv.organisations:
            g.add_node(
                node("org", o.id),
                kind="organisation",
                id=o.id,
                name=o.name,
                org_kind=o.kind,
                tickets_per_year=o.tickets_per_year,
            )
        for s in inv.sites:
            g.add_node(
                node("site", s.id),
                kind="site",
                id=s.id,
                name=s.name,
                lat=s.lat,
                lon=s.lon,
                organisation=s.organisation,
            )
        for r in inv.rooms:
            g.add_node(
                node("room", r.id),
                kind="room",
                id=r.id,
                name=r.name,
                site=r.site,
                racks=r.racks,
                power_kw=r.power_kw,
                annual_cost=r.annual_cost,
                status=r.status,
                accreditations=";".join(r.accreditations),
            )
        for d in inv.service_desks:
            g.add_node(
                node("desk", d.id),
                kind="desk",
                id=d.id,
                name=d.name,
                site=d.site,
                seats=d.seats,
                vetting=";".join(d.vetting),
            )
        for w in inv.workloads:
            g.add_node(
                node("workload", w.id),
                kind="workload",
                id=w.id,
                name=w.name,
                zone=w.zone,
                organisation=w.organisation,
                racks=w.racks,
                power_kw=w.power_kw,
            )

        def link(u: str, v: str, kind: str, **attrs: object) -> None:
            if u in g and v in g:
                g.add_edge(u, v, kind=kind, **attrs)

        for s in inv.sites:
            link(node("site", s.id), node("org", s.organisation), "owned-by")
        for r in inv.rooms:
            link(node("room", r.id), node("site", r.site), "located-at")
        for d in inv.service_desks:
            link(node("desk", d.id), node("site", d.site), "located-at")
        for o in inv.organisations:
            link(node("desk", o.desk), node("org", o.id), "serves")
        for w in inv.workloads:
            wn = node("workload", w.id)
            link(wn, node("room", w.room), "hosted-in")
            link(wn, node("org", w.organisation), "owned-by")
            for u in w.users:
                link(wn, node("site", u), "used-from")
            for dep in w.depends_on:
                link(
                    wn,
                    node("workload", dep.workload),
                    "depends-on",
                    max_latency_ms=dep.max_latency_ms,
                )
            for other in w.distinct_site_from:
                link(wn, node("workload", other), "distinct-site")
        for lk in inv.links:
            attrs: dict[str, object] = {"network": lk.network, "latency_ms": lk.latency_ms}
            if lk.bandwidth_mbps is not None:
                attrs["bandwidth_mbps"] = lk.bandwidth_mbps
            link(node("site", lk.a), node("site", lk.b), "network-link", **attrs)
        return g

    # ----------------------------------------------------------------- latency
    def over(self, networks: Iterable[str]) -> NetworkLatency:
        """The latency oracle for a set of networks (cached)."""
        key = frozenset(networks)
        oracle = self._latency.get(key)
        if oracle is None:
            oracle = NetworkLatency(
                (s.id for s in self.inventory.sites),
                ((lk.a, lk.b, lk.latency_ms) for lk in self.inventory.links if lk.network in key),
                cutoff=self.cutoff,
            )
            self._latency[key] = oracle
        return oracle

    def zone_networks(self, zone: str) -> frozenset[str]:
        z = self.inventory.zone.get(zone)
        return frozenset(z.networks) if z else frozenset()

    def zone_latency(self, zone: str, a: str, b: str) -> float:
        """Rule 5: latency from site a to site b over zone's networks."""
        return self.over(self.zone_networks(zone)).latency(a, b)

    def dependency_latency(self, zone_a: str, zone_b: str, a: str, b: str) -> float:
        """Rule 6: latency from site a to site b over networks common to both zones."""
        return self.over(self.zone_networks(zone_a) & self.zone_networks(zone_b)).latency(a, b)

    # ----------------------------------------------------------------- rooms
    def room_site(self, room: str) -> str | None:
        r = self.inventory.room.get(room)
        return r.site if r else None

    @cached_property
    def _months(self) -> int:
        est = self.inventory.estate
        return Calendar(est.start, est.horizon_years).months

    def attainable(self, room: Room) -> frozenset[str]:
        """The accreditations the room holds or can gain within the horizon (an upgrade
        whose lead time ends inside it; spec/decisions.md)."""
        gains = {u.accreditation for u in room.upgrades if u.lead_months < self._months}
        return frozenset(room.accreditations) | gains

    def exclusions(self, workload: Workload, room: Room) -> list[Exclusion]:
        """Why ``room`` may not host ``workload`` (rules 3, 5, close, size); [] if it may."""
        inv = self.inventory
        out: list[Exclusion] = []
        if room.close and room.id != workload.room:
            out.append(Exclusion(room.id, "closing", "the room is marked close: true"))
        elif room.close:
            out.append(
                Exclusion(
                    room.id,
                    "closing",
                    "the room is marked close: true, so everything in it must move",
                )
            )
        zone = inv.zone.get(workload.zone)
        if zone is not None:
            missing = sorted(set(zone.requires) - self.attainable(room))
            if missing:
                out.append(
                    Exclusion(
                        room.id,
                        "accreditation",
                        f"zone {zone.id} requires {', '.join(missing)}, "
                        "which the room does not hold"
                        + (" (nor can gain in the horizon)" if room.upgrades else ""),
                    )
                )
        if workload.racks > room.racks or workload.power_kw > room.power_kw:
            out.append(
                Exclusion(
                    room.id,
                    "size",
                    f"the workload ({workload.racks:g} racks, "
                    f"{workload.power_kw:g} kW) is larger than the room "
                    f"({room.racks:g} racks, {room.power_kw:g} kW)",
                )
            )
        networks = self.zone_networks(workload.zone)
        oracle = self.over(networks)
        for user in workload.users:
            ms = oracle.latency(user, room.site)
            if ms == UNREACHABLE:
                names = ", ".join(sorted(networks)) or "none"
                out.append(
                    Exclusion(
                        room.id,
                        "unreachable",
                        f"user site {user} has no path to site {room.site} over "
                        f"zone {workload.zone}'s networks ({names})",
                    )
                )
                break
            if workload.max_latency_ms is not None and ms > workload.max_latency_ms + 1e-9:
                out.append(
                    Exclusion(
                        room.id,
                        "latency",
                        f"user site {user} is {ms:g} ms from site {room.site}, "
                        f"over the {workload.max_latency_ms:g} ms limit",
                    )
                )
                break
        return out

    @cached_property
    def rooms_at(self) -> dict[str, list[Room]]:
        """Rooms by site id, in inventory order."""
        out: dict[str, list[Room]] = {}
        for r in self.inventory.rooms:
            out.setdefault(r.site, []).append(r)
        return out

    def sites_in_reach(self, workload: Workload) -> set[str] | None:
        """Sites every user of the workload reaches within its latency limit (rule 5).

        None means no user constrains the room's site.
        """
        if not workload.users:
            return None
        oracle = self.over(self.zone_networks(workload.zone))
        reach: set[str] | None = None
        for user in workload.users:
            if workload.max_latency_ms is None:
                comp = oracle.component_of.get(user)
                sites = oracle.components[comp] if comp is not None else {user}
            else:
                limit = workload.max_latency_ms + 1e-9
                sites = {s for s, ms in oracle.within(user).items() if ms <= limit}
            reach = set(sites) if reach is None else reach & sites
            if not reach:
                break
        return reach

    def admissible_rooms(self, workload: Workload) -> list[str]:
        """Rooms that may host the workload by rules 1 (pinned), 3, 5 and keep/close.

        A pinned workload may only stay where it is. Rooms marked ``close`` and rooms
        too small for the workload alone are excluded. Capacity shared with other
        workloads, separation and the pairwise rules are left to the model.
        """
        if workload.pinned:
            room = self.inventory.room.get(workload.room)
            return [workload.room] if room and not self.exclusions(workload, room) else []
        zone = self.inventory.zone.get(workload.zone)
        requires = set(zone.requires) if zone else set()
        reach = self.sites_in_reach(workload)
        if reach is None:
            candidates = self.inventory.rooms
        else:
            candidates = [r for site in reach for r in self.rooms_at.get(site, ())]
        ok = {
            r.id
            for r in candidates
            if not r.close
            and requires <= self.attainable(r)
            and workload.racks <= r.racks
            and workload.power_kw <= r.power_kw
        }
        # Inventory order, without scanning every room of the estate for every workload.
        positions = sorted(i for rid in ok for i in self._room_positions[rid])
        return [self.inventory.rooms[i].id for i in positions]

    @cached_property
    def _room_positions(self) -> dict[str, list[int]]:
        """Room id -> its positions in the inventory (several only for a duplicated id)."""
        out: dict[str, list[int]] = {}
        for i, r in enumerate(self.inventory.rooms):
            out.setdefault(r.id, []).append(i)
        return out

    # ----------------------------------------------------------------- groups
    @cached_property
    def dependency_groups(self) -> list[list[str]]:
        """Workloads linked by depends_on (either direction), as sorted groups of 2 or more."""
        dep = nx.Graph()
        for w in self.inventory.workloads:
            for d in w.depends_on:
                if d.workload in self.inventory.workload and d.workload != w.id:
                    dep.add_edge(w.id, d.workload)
        groups = [sorted(c) for c in nx.connected_components(dep)]
        return sorted(groups, key=lambda c: (-len(c), c[0]))

    # ----------------------------------------------------------------- summary
    def kind_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, data in self.g.nodes(data=True):
            counts[data["kind"]] = counts.get(data["kind"], 0) + 1
        return counts

    def edge_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, _, data in self.g.edges(data=True):
            counts[data["kind"]] = counts.get(data["kind"], 0) + 1
        return counts

    def network_components(self) -> dict[str, list[set[str]]]:
        """For each network, the sets of sites its links connect (sites it touches only)."""
        out: dict[str, list[set[str]]] = {}
        for net in self.inventory.networks:
            g = nx.Graph()
            g.add_edges_from((lk.a, lk.b) for lk in self.inventory.links if lk.network == net.id)
            out[net.id] = sorted(
                (set(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), sorted(c)[0])
            )
        return out

    def unreachable_pairs(self) -> list[tuple[str, str, str, str]]:
        """(zone, workload, user site, room site) where a user cannot reach today's room."""
        out = []
        for w in self.inventory.workloads:
            site = self.room_site(w.room)
            if site is None:
                continue
            for user in w.users:
                if self.zone_latency(w.zone, user, site) == UNREACHABLE:
                    out.append((w.zone, w.id, user, site))
        return out
