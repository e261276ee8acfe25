"""Decide for each VM: skipped (and why), or its room, zone and owner by the mapping's
rules. A VM that no rule of a list matches is an error naming its file, sheet and row.

Skip reasons, in the order they are tried: template, SRM placeholder, a skip rule,
powered off (each only when the mapping's ``skip`` section asks for it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.importer.exports import Export, Vm
from planner.importer.mapping import TARGET, Mapping
from planner.importer.rules import RuleList
from planner.inventory.findings import Finding, Findings, Location

MAX_LISTED = 50
"""Unmatched VMs listed one by one per rule list; the rest are counted in one line."""

REASONS = {
    "template": "template",
    "srm": "SRM placeholder",
    "rule": "skip rule",
    "powered_off": "powered off",
}
"""Skip reason code -> how the report names it."""


@dataclass(slots=True)
class Placed:
    """A VM that goes into a workload, with where it runs and whose it is."""

    vm: Vm
    room: str
    zone: str
    organisation: str


@dataclass(slots=True)
class Skipped:
    """A VM left out, with its reason code (:data:`REASONS`) and detail."""

    vm: Vm
    reason: str
    detail: str = ""


@dataclass
class Placement:
    placed: list[Placed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def place_vms(exports: Iterable[Export], mapping: Mapping, findings: Findings) -> Placement:
    """Every VM of every export, placed or skipped; unmatched VMs are findings."""
    lists = {name: RuleList(rules) for name, rules in mapping.rules.items()}
    skip_list = RuleList(mapping.skip_rules)
    out = Placement()
    unmatched: dict[str, list[Vm]] = {name: [] for name in lists}
    for export in exports:
        for vm in export.vms:
            reason = _skip_reason(vm, mapping, skip_list)
            if reason is not None:
                out.skipped.append(Skipped(vm, *reason))
                continue
            targets = []
            for name in ("rooms", "zones", "owners"):
                hit = lists[name].first(vm)
                if hit is None:
                    unmatched[name].append(vm)
                else:
                    targets.append(hit[0].target)
            if len(targets) == 3:
                out.placed.append(Placed(vm, *targets))
    for name, vms in unmatched.items():
        findings.extend(_unmatched(name, vms, mapping))
    return out


def _skip_reason(vm: Vm, mapping: Mapping, skip_list: RuleList) -> tuple[str, str] | None:
    skip = mapping.skip
    if skip.templates and vm.template:
        return "template", ""
    if skip.srm_placeholders and vm.srm_placeholder:
        return "srm", ""
    hit = skip_list.first(vm)
    if hit is not None:
        return "rule", f"{mapping.path}:{hit[0].line}"
    if skip.powered_off and _powered_off(vm.powerstate):
        return "powered_off", ""
    return None


def _powered_off(state: str) -> bool:
    return state.replace(" ", "").lower() == "poweredoff"


def _unmatched(name: str, vms: list[Vm], mapping: Mapping) -> list[Finding]:
    """One finding per unmatched VM (up to :data:`MAX_LISTED`), then one counting the rest."""
    what = TARGET[name]
    fix = (
        f"add a rule for it to '{name}' in {mapping.path}, or end the list with "
        f"{{default: {what.upper()}-ID}}"
    )
    out = [
        Finding(
            "error",
            f"no-{what}-rule",
            Location(vm.place.file, vm.row),
            vm.place.sheet,
            vm.vm,
            "VM",
            f"no rule of '{name}' matches this VM ({_describe(vm, name)})",
            fix,
        )
        for vm in vms[:MAX_LISTED]
    ]
    rest = vms[MAX_LISTED:]
    if rest:
        places = Counter(f"datacenter '{v.datacenter}' cluster '{v.cluster}'" for v in rest)
        common = "; ".join(f"{p} ({n})" for p, n in places.most_common(5))
        out.append(
            Finding(
                "error",
                f"no-{what}-rule",
                Location(mapping.path),
                name,
                None,
                None,
                f"and {len(rest):,} more VMs no rule of '{name}' matches, e.g. in {common}",
                fix,
            )
        )
    return out


def _describe(vm: Vm, name: str) -> str:
    """The VM's fields a rule of list ``name`` most likely reads."""
    if name == "rooms":
        parts = [("datacenter", vm.datacenter), ("cluster", vm.cluster), ("host", vm.host)]
    else:
        parts = [("folder", vm.folder), ("datacenter", vm.datacenter)]
        if vm.networks:
            parts.append(("network", ", ".join(vm.networks)))
    parts.append(("vcenter", vm.vcenter))
    return ", ".join(f"{k} '{v}'" for k, v in parts)
