"""The inventory items an import adds: one Workload per part, one RoomCompute per room.

Workloads are built without running the inventory's validators on each (for 20,000
workloads they took 3 s, and the written estate is validated in full anyway, as
``planner validate`` does): every field is valid by construction (ids and names made
safe by :mod:`planner.importer.groups`, references from the checked mapping, amounts
rounded to thousandths), except that a very large group could pass an inventory
bound, which is checked here and reported naming the group and where its first VM was
read. Room capacities (a few) go through their model. Imported workloads take no racks
and no power (``racks: 0``, ``power_kw: 0``): the hosts they run on belong to the room.
``migration_cost`` and ``migration_days`` are the per-VM defaults times the workload's
VMs, exactly.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from planner.importer import amounts
from planner.importer.capacity import Capacities
from planner.importer.groups import Part
from planner.importer.mapping import Defaults
from planner.importer.users import UserSites
from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.items import (
    DAYS_MAX,
    MEMORY_GIB_MAX,
    MONEY_MAX,
    STORAGE_TIB_MAX,
    VCPU_MAX,
    RoomCompute,
    Workload,
)
from planner.inventory.parse import model_findings


@dataclass
class Items:
    """What imported.yaml holds, and what the report says about how it was chosen."""

    workloads: list[Workload] = field(default_factory=list)
    room_compute: list[RoomCompute] = field(default_factory=list)
    dropped_users: list[tuple[str, list[str]]] = field(default_factory=list)
    """(workload id, owner sites left out as out of reach)."""


def build_items(
    parts: list[Part],
    capacities: Capacities,
    users: UserSites,
    defaults: Defaults,
    findings: Findings,
) -> Items:
    """The workloads and room capacities to write; refusals go to ``findings``."""
    out = Items()
    for part in parts:
        sites, dropped = users.of(part.organisation, part.zone, part.room)
        if dropped:
            out.dropped_users.append((part.id, dropped))
        raw = _workload(part, sites, defaults)
        problems = list(_beyond_bounds(part, raw))
        findings.extend(problems)
        if not problems:
            out.workloads.append(Workload.model_construct(**{**_defaults(), **raw}))
    for cap in capacities.rooms.values():
        if not cap.written:
            continue
        try:
            out.room_compute.append(RoomCompute(room=cap.room, **cap.written))
        except ValidationError as exc:
            where = Location("imported.yaml")
            findings.extend(model_findings(exc, where, "room_compute", cap.room, RoomCompute))
    return out


@functools.cache
def _defaults() -> dict[str, Any]:
    """Workload fields the import leaves at their default, with it: given to
    ``model_construct``, which would otherwise look each up (slowly) per workload."""
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in Workload.model_fields.items()
        if not info.is_required()
    }


LIMITS = {
    "vcpu": VCPU_MAX,
    "memory_gib": MEMORY_GIB_MAX,
    "storage_tib": STORAGE_TIB_MAX,
    "migration_cost": MONEY_MAX,
    "migration_days": DAYS_MAX,
}
"""The inventory's bound on each amount an import computes (:mod:`planner.inventory.items`)."""


def _beyond_bounds(part: Part, raw: dict[str, Any]) -> Iterator[Finding]:
    where = Location(part.vms[0].place.file, part.vms[0].row)
    for name, limit in LIMITS.items():
        if raw[name] > limit:
            yield Finding(
                "error", "too-large", where, "workloads", part.id, name,
                f"group '{part.name}' ({len(part.vms):,} VM(s), the first on this row) needs "
                f"{amounts.shown(raw[name])} {name}, more than the {limit:,} one workload may "
                "have",
                "group its VMs more finely (workloads.group_by), or skip some",
            )  # fmt: skip


def _workload(part: Part, sites: list[str], defaults: Defaults) -> dict[str, Any]:
    count = len(part.vms)
    days = amounts.decimal(defaults.migration_days_per_vm) * count
    cost = amounts.decimal(defaults.migration_cost_per_vm) * count
    raw: dict[str, Any] = {
        "id": part.id,
        "organisation": part.organisation,
        "name": part.name,
        "zone": part.zone,
        "room": part.room,
        "racks": 0,
        "power_kw": 0,
        "vcpu": part.vcpu,
        "memory_gib": part.memory_gib,
        "storage_tib": part.storage_tib,
        "users": sites,
        "max_latency_ms": defaults.max_latency_ms,
        "migration_cost": amounts.up(cost, 2),
        "migration_days": float(days),
    }
    return raw
