"""Group placed VMs into workloads: one per group (``workloads.group_by``), split where
its VMs run in different rooms or belong to different zones or owners.

Group names: ``vm`` the VM's name (with its vCenter in brackets when another vCenter
has a VM of the same name); ``folder`` and ``resource_pool`` the value as written;
``annotation`` its first non-blank line; ``name:<regex>`` the regex's group, searched
in the VM's name. A VM whose group would have no name (no folder, a regex that does
not match) is a workload of its own, named after it, and counted in the report. Groups
of the same name from different vCenters are one group (split again if their rooms
differ).

A workload's rooms, zone and organisation are single values, so a group whose VMs
differ in any of them is split into one workload per combination; each part's name
adds the values that tell the parts apart, e.g. ``Finance (guildhall-mr)``.

Ids: the name in lower case, letters and digits kept, every other run of characters
a ``-`` (accents dropped), at most 60 characters, made unique against each other and
the base estate's workloads by a ``-2``, ``-3``... suffix; ``workloads.id_prefix``
goes in front.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from planner.importer import amounts
from planner.importer.cells import Number
from planner.importer.exports import Vm
from planner.importer.mapping import Mapping
from planner.importer.placement import Placed

ID_LENGTH = 60
NAME_LENGTH = 200
DIMENSIONS = ("room", "zone", "organisation")


@dataclass
class Part:
    """One imported workload: the VMs of one group with one room, zone and owner."""

    id: str
    name: str
    group: str
    room: str
    zone: str
    organisation: str
    vms: list[Vm]
    cpus: Number = 0
    memory_mib: Number = 0
    provisioned_mib: Number = 0

    @property
    def vcpu(self) -> float:
        return amounts.up(self.cpus)

    @property
    def memory_gib(self) -> float:
        return amounts.up(amounts.gib(self.memory_mib))

    @property
    def storage_tib(self) -> float:
        return amounts.up(amounts.tib(self.provisioned_mib))


@dataclass
class Split:
    """A group split into several workloads, and by what."""

    group: str
    by: list[str]
    """The dimensions its parts differ in: room, zone, organisation."""
    parts: list[Part]


@dataclass
class Grouping:
    parts: list[Part] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
    ungrouped: int = 0
    """VMs whose group would have had no name (each a workload of its own)."""


def group_vms(placed: list[Placed], mapping: Mapping, taken: Iterable[str]) -> Grouping:
    """The workloads of the placed VMs; ids avoid ``taken`` (the base's workload ids)."""
    key_of = _keyer(mapping.workloads.group_by, placed)
    groups: dict[str, tuple[str, list[Placed]]] = {}
    out = Grouping()
    for p in placed:
        key, name, named = key_of(p.vm)
        out.ungrouped += not named
        if key not in groups:
            groups[key] = (name, [])
        groups[key][1].append(p)
    ids = _Ids(mapping.workloads.id_prefix, taken)
    for key in sorted(groups, key=lambda k: (groups[k][0], k)):
        name, members = groups[key]
        parts = _split(name, members, ids)
        out.parts.extend(parts)
        if len(parts) > 1:
            by = [d for d in DIMENSIONS if len({getattr(p, d) for p in parts}) > 1]
            out.splits.append(Split(name, by, parts))
    return out


def _split(name: str, members: list[Placed], ids: _Ids) -> list[Part]:
    """The group's parts, one per (room, zone, organisation), in sorted order."""
    by: dict[tuple[str, str, str], list[Vm]] = defaultdict(list)
    for p in members:
        by[(p.room, p.zone, p.organisation)].append(p.vm)
    combos = sorted(by)
    differ = [i for i in range(3) if len({c[i] for c in combos}) > 1]
    parts = []
    for combo in combos:
        part_name = name if not differ else f"{name} ({', '.join(combo[i] for i in differ)})"
        vms = by[combo]
        part = Part(ids.make(part_name), part_name, name, *combo, vms)
        part.cpus = _total(v.cpus for v in vms)
        part.memory_mib = _total(v.memory_mib for v in vms)
        part.provisioned_mib = _total(v.provisioned_mib for v in vms)
        parts.append(part)
    return parts


def _total(values: Iterable[Number]) -> Number:
    total: Number = 0
    for v in values:
        total += v
    return total if not isinstance(total, Fraction) or total.denominator != 1 else int(total)


# --------------------------------------------------------------------------- group keys

Keyer = Callable[[Vm], tuple[str, str, bool]]
"""VM -> (group key, group name, whether it had a group of its own)."""


def _keyer(group_by: str, placed: list[Placed]) -> Keyer:
    vcenters: dict[str, set[str]] = defaultdict(set)
    for p in placed:
        vcenters[p.vm.vm].add(p.vm.vcenter)
    repeated = {name for name, where in vcenters.items() if len(where) > 1}

    def alone(vm: Vm) -> tuple[str, str, bool]:
        name = clean(vm.vm) + (f" [{clean(vm.vcenter)}]" if vm.vm in repeated else "")
        return f"\0vm\0{vm.vcenter}\0{vm.vm}", name, False

    if group_by == "vm":
        return lambda vm: (*alone(vm)[:2], True)
    field_of = _field(group_by)

    def key(vm: Vm) -> tuple[str, str, bool]:
        name = clean(field_of(vm))
        return (name, name, True) if name else alone(vm)

    return key


def _field(group_by: str) -> Callable[[Vm], str]:
    if group_by == "folder":
        return lambda vm: vm.folder
    if group_by == "resource_pool":
        return lambda vm: vm.resource_pool
    if group_by == "annotation":
        return lambda vm: next((line for line in vm.annotation.splitlines() if line.strip()), "")
    pattern = re.compile(group_by.removeprefix("name:"))

    def by_name(vm: Vm) -> str:
        found = pattern.search(vm.vm)
        return (found.group(1) or "") if found else ""

    return by_name


def clean(text: str) -> str:
    """Text fit for a workload name: control characters and runs of white space become
    one space, at most :data:`NAME_LENGTH` characters."""
    if not text.isprintable():
        text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(text.split())[:NAME_LENGTH]


# --------------------------------------------------------------------------- ids


class _Ids:
    """Makes ids from names: lower-case safe characters, unique (ignoring case)."""

    def __init__(self, prefix: str, taken: Iterable[str]) -> None:
        self.prefix = prefix
        self.taken = {t.lower() for t in taken}
        self.counts: Counter[str] = Counter()

    def make(self, name: str) -> str:
        base = self.prefix + slug(name)
        candidate = base
        while candidate.lower() in self.taken:
            self.counts[base] += 1
            candidate = f"{base}-{self.counts[base] + 1}"
        self.taken.add(candidate.lower())
        return candidate


def slug(name: str) -> str:
    """'Finance / Payroll (Live)' -> 'finance-payroll-live'."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9._]+", "-", ascii_.lower()).strip("-._")
    return text[:ID_LENGTH].rstrip("-._") or "workload"
