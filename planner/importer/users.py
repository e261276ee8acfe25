"""The user sites of an imported workload, chosen so that today's estate stays valid.

An export says where a VM runs, not who uses it. With
``defaults.users_from_owner_sites`` (the default) a workload's users are the sites of
its organisation that reach its room today within ``defaults.max_latency_ms`` over its
zone's networks (rule 5 of the inventory format): the staff it serves, as far as the
estate can tell, and never a user that would make today's estate invalid. Sites out
of reach are left out and listed in the report; change them by hand afterwards if a
site truly uses the workload (and then fix its links).
"""

from __future__ import annotations

from functools import cached_property

from planner.inventory.graph import UNREACHABLE, EstateGraph
from planner.inventory.items import Inventory

EPS = 1e-9


class UserSites:
    """Answers :meth:`of` for many workloads, remembering each (owner, zone, room)."""

    def __init__(self, inv: Inventory, max_latency_ms: float | None, enabled: bool) -> None:
        self.inv = inv
        self.max_latency_ms = max_latency_ms
        self.enabled = enabled
        self._memo: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}

    @cached_property
    def graph(self) -> EstateGraph:
        return EstateGraph(self.inv)

    @cached_property
    def sites_of(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s in self.inv.sites:
            out.setdefault(s.organisation, []).append(s.id)
        return out

    def of(self, organisation: str, zone: str, room: str) -> tuple[list[str], list[str]]:
        """(user sites, the owner's sites left out as out of reach)."""
        key = (organisation, zone, room)
        if key not in self._memo:
            self._memo[key] = self._choose(*key)
        return self._memo[key]

    def _choose(self, organisation: str, zone: str, room: str) -> tuple[list[str], list[str]]:
        candidates = self.sites_of.get(organisation, []) if self.enabled else []
        found = self.inv.room.get(room)
        if not candidates or found is None or zone not in self.inv.zone:
            return [], []
        kept, dropped = [], []
        for site in candidates:
            ms = self.graph.zone_latency(zone, site, found.site)
            limit = self.max_latency_ms
            if ms != UNREACHABLE and (limit is None or ms <= limit + EPS):
                kept.append(site)
            else:
                dropped.append(site)
        return kept, dropped
