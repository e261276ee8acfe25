"""Room capacities from the exports' hosts and datastores.

Hosts go to rooms by the mapping's ``rooms`` rules, matched on their datacenter,
cluster, host and vCenter (a rule that names a VM-only key, such as ``folder``, does
not match a host). Datastores go to the room of their cluster (vDatastore ``Cluster
name``): the room most of the cluster's hosts are in, or, for a cluster without hosts,
the room the rules give the cluster itself.

For each room that imported VMs run in: ``vcpu`` = its hosts' ``# Cores`` x
``vcpu_per_core``; ``memory_gib`` = their ``# Memory`` / 1024 x ``memory_headroom``;
``storage_tib`` = its datastores' ``Capacity MiB`` / 1024 / 1024 x
``storage_headroom``; each rounded down to thousandths. A room without hosts (or
datastores) in the exports gets no such capacity: absent means not limited, which is
what the exports can tell of it, and the report says so. A capacity the base room
already states is kept, and not written again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from planner.importer import amounts
from planner.importer.cells import Number
from planner.importer.exports import Datastore, Export, Host
from planner.importer.mapping import Compute, Mapping
from planner.importer.rules import Cluster, RuleList
from planner.inventory.items import COMPUTE, Inventory

ClusterKey = tuple[int, str, str]
"""(export index, vCenter, cluster name)."""


@dataclass
class RoomCapacity:
    """A room's hardware in the exports and the capacities that follow."""

    room: str
    hosts: int = 0
    cores: Number = 0
    host_memory_mib: Number = 0
    datastores: int = 0
    datastore_mib: Number = 0
    computed: dict[str, float] = field(default_factory=dict)
    """Resource -> capacity from the exports (only resources the exports show)."""
    stated: dict[str, float] = field(default_factory=dict)
    """Resource -> capacity the base room states itself (kept)."""

    @property
    def written(self) -> dict[str, float]:
        """What imported.yaml states for the room: computed, less what the room states."""
        return {k: v for k, v in self.computed.items() if k not in self.stated}

    def capacity(self, resource: str) -> float | None:
        """The room's capacity once imported (None: not limited)."""
        return self.stated.get(resource, self.computed.get(resource))

    def source(self, resource: str) -> str:
        if resource in self.stated:
            return "base estate"
        return "exports" if resource in self.computed else "not limited"


@dataclass
class Capacities:
    rooms: dict[str, RoomCapacity] = field(default_factory=dict)
    """Rooms that imported VMs run in, in the order of the base estate."""
    unplaced_hosts: list[Host] = field(default_factory=list)
    """Hosts no room rule matches (not counted)."""
    other_rooms: Counter[str] = field(default_factory=Counter)
    """Room -> hosts matched to a room no imported VM runs in (not counted)."""
    unplaced_datastores: list[tuple[Datastore, str]] = field(default_factory=list)
    """Datastores not counted, with why."""
    stretched: list[str] = field(default_factory=list)
    """Clusters whose hosts are in several rooms (their datastores go to the first)."""


def room_capacities(
    exports: list[Export], mapping: Mapping, rooms: Iterable[str], inv: Inventory
) -> Capacities:
    """The capacities of ``rooms`` (those imported VMs run in) from the exports."""
    wanted = set(rooms)
    out = Capacities()
    for room in inv.rooms:
        if room.id in wanted:
            stated = {k: getattr(room, k) for k in COMPUTE if getattr(room, k) is not None}
            out.rooms[room.id] = RoomCapacity(room.id, stated=stated)
    rule_list = RuleList(mapping.rules.get("rooms", []))
    clusters = _place_hosts(exports, rule_list, out)
    _place_datastores(exports, rule_list, clusters, out)
    for cap in out.rooms.values():
        cap.computed = _computed(cap, mapping.compute)
    return out


def _place_hosts(
    exports: list[Export], rule_list: RuleList, out: Capacities
) -> dict[ClusterKey, Counter[str]]:
    """Count each host into its room; return the rooms of each cluster's hosts."""
    clusters: dict[ClusterKey, Counter[str]] = defaultdict(Counter)
    for export in exports:
        for host in export.hosts:
            hit = rule_list.first(host)
            if hit is None:
                out.unplaced_hosts.append(host)
                continue
            room = hit[0].target
            clusters[(host.export, host.vcenter, host.cluster)][room] += 1
            cap = out.rooms.get(room)
            if cap is None:
                out.other_rooms[room] += 1
                continue
            cap.hosts += 1
            cap.cores += host.cores
            cap.host_memory_mib += host.memory_mib
    return clusters


def _place_datastores(
    exports: list[Export],
    rule_list: RuleList,
    clusters: dict[ClusterKey, Counter[str]],
    out: Capacities,
) -> None:
    by_name: dict[tuple[int, str], list[ClusterKey]] = defaultdict(list)
    for key in clusters:
        by_name[(key[0], key[2])].append(key)
    for key, rooms in clusters.items():
        if len(rooms) > 1:
            out.stretched.append(f"{key[2]} ({', '.join(sorted(rooms))})")
    datacenters = _cluster_datacenters(exports)
    for export in exports:
        for ds in export.datastores:
            room, why = _datastore_room(ds, clusters, by_name, datacenters, rule_list)
            cap = out.rooms.get(room) if room is not None else None
            if cap is None:
                out.unplaced_datastores.append((ds, why or f"room '{room}' has no imported VM"))
                continue
            cap.datastores += 1
            cap.datastore_mib += ds.capacity_mib


def _datastore_room(
    ds: Datastore,
    clusters: dict[ClusterKey, Counter[str]],
    by_name: dict[tuple[int, str], list[ClusterKey]],
    datacenters: dict[ClusterKey, str],
    rule_list: RuleList,
) -> tuple[str | None, str]:
    """(room, '') of a datastore, or (None, why not)."""
    if not ds.cluster:
        return None, "no cluster"
    key = (ds.export, ds.vcenter, ds.cluster)
    if key not in clusters:  # a vDatastore or vHost without VI SDK Server
        key = next(iter(by_name.get((ds.export, ds.cluster), [])), key)
    if key in clusters:
        return clusters[key].most_common(1)[0][0], ""
    datacenter = datacenters.get(key, "")
    hit = rule_list.first(Cluster(datacenter, ds.cluster, key[1]))
    if hit is None:
        return None, f"cluster '{ds.cluster}' is in no room (no room rule matches it or its hosts)"
    return hit[0].target, ""


def _cluster_datacenters(exports: list[Export]) -> dict[ClusterKey, str]:
    """The datacenter of each cluster, as its VMs and hosts name it."""
    out: dict[ClusterKey, str] = {}
    for export in exports:
        for host in export.hosts:
            out.setdefault((host.export, host.vcenter, host.cluster), host.datacenter)
        for vm in export.vms:
            out.setdefault((vm.export, vm.vcenter, vm.cluster), vm.datacenter)
    return out


def _computed(cap: RoomCapacity, compute: Compute) -> dict[str, float]:
    out: dict[str, float] = {}
    if cap.hosts:
        out["vcpu"] = amounts.down(Fraction(cap.cores) * amounts.decimal(compute.vcpu_per_core))
        memory = amounts.gib(cap.host_memory_mib) * amounts.decimal(compute.memory_headroom)
        out["memory_gib"] = amounts.down(memory)
    if cap.datastores:
        storage = amounts.tib(cap.datastore_mib) * amounts.decimal(compute.storage_headroom)
        out["storage_tib"] = amounts.down(storage)
    return out
