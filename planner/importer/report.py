"""import-report.md: what an import read, skipped and why, and what it made of it.

Sections: a summary; each export (sheets read, vCenters, VMs placed and skipped by
reason, hosts and datastores, anything read oddly); each room's use today against
its capacity, flagging any room over capacity (the estate would not validate) with
what to change; totals per zone and per organisation; groups split into several
workloads; user sites left out; the hardware behind each capacity; and every
skipped VM. Plain Markdown (GitHub tables), deterministic: the same inputs give the
same bytes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from planner.importer import amounts
from planner.importer.capacity import RoomCapacity
from planner.importer.exports import NETWORKS, Export
from planner.importer.outcome import Outcome
from planner.importer.placement import REASONS
from planner.inventory.items import COMPUTE, Workload

UNITS = {"vcpu": "vCPU", "memory_gib": "memory GiB", "storage_tib": "storage TiB"}
SETTING = {
    "vcpu": "compute.vcpu_per_core",
    "memory_gib": "compute.memory_headroom",
    "storage_tib": "compute.storage_headroom",
}
MAX_ROWS = 200
"""Longest list shown in full (the skipped VMs are always listed in full)."""


def render(outcome: Outcome, command: str) -> str:
    """The whole report."""
    sections = [
        _summary(outcome, command),
        _exports(outcome),
        _rooms(outcome),
        _totals(outcome, "zone", "Totals per zone"),
        _totals(outcome, "organisation", "Totals per organisation"),
        _splits(outcome),
        _workload_notes(outcome),
        _hardware(outcome),
        _skipped(outcome),
    ]
    return "\n".join(s for s in sections if s).rstrip() + "\n"


def cell(text: object) -> str:
    """Text safe in a Markdown table cell."""
    return " ".join(str(text).replace("|", "\\|").split()) or " "


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text and text else cell(text)


def vms(n: int) -> str:
    return f"{n:,} VM" + ("" if n == 1 else "s")


def _table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(r) + " |" for r in rows)
    return "\n".join(lines) + "\n"


def _cut(items: list[str], limit: int = MAX_ROWS) -> list[str]:
    return (
        items if len(items) <= limit else [*items[:limit], f"... and {len(items) - limit:,} more"]
    )


# --------------------------------------------------------------------------- sections


def _summary(o: Outcome, command: str) -> str:
    over = [f"{code(r)} ({UNITS[k]})" for r, k, _, _ in _over(o)]
    lines = [
        "# Import report",
        "",
        code(command),
        "",
        f"- Base estate: {code(o.base_path)}; mapping: {code(o.mapping.path)} "
        f"(grouped by {code(o.mapping.workloads.group_by)})",
        f"- {o.summary()}",
        f"- Workloads written to imported.yaml: {len(o.items.workloads):,}; room capacities: "
        f"{len(o.items.room_compute)}",
        "- Over capacity today: "
        + (", ".join(over) + " - the estate will not validate; see Rooms" if over else "none"),
    ]
    if o.grouping.splits:
        lines.append(f"- Groups split into several workloads: {len(o.grouping.splits):,}")
    return "\n".join(lines) + "\n"


def _exports(o: Outcome) -> str:
    out = ["## Exports\n"]
    placed = Counter(p.vm.export for p in o.placement.placed)
    off = Counter(
        p.vm.export
        for p in o.placement.placed
        if p.vm.powerstate.replace(" ", "").lower() != "poweredon"
    )
    skipped: dict[int, Counter[str]] = defaultdict(Counter)
    for s in o.placement.skipped:
        skipped[s.vm.export][REASONS[s.reason]] += 1
    for export in o.exports:
        out.append(_export(export, placed[export.index], off[export.index], skipped[export.index]))
    return "\n".join(out)


def _export(e: Export, placed: int, off: int, skipped: Counter[str]) -> str:
    why = ", ".join(f"{n:,} {reason}" for reason, n in sorted(skipped.items())) or "none"
    clusters = "no vCluster sheet" if e.clusters is None else f"clusters: {e.clusters:,}"
    lines = [
        f"### {code(e.shown)} ({e.kind})",
        "",
        f"- vCenters: {', '.join(code(v) for v in e.vcenters) or 'none'}",
        f"- VMs read: {len(e.vms):,}; in workloads: {placed:,}; skipped: "
        f"{sum(skipped.values()):,} ({why})",
        *(
            [f"- Powered off or suspended but imported (they still need a home): {off:,}"]
            if off
            else []
        ),
        f"- Hosts: {len(e.hosts):,}; datastores: {len(e.datastores):,}; {clusters}",
    ]
    for sheet, columns in sorted(e.missing.items()):
        if set(NETWORKS) - set(columns):  # fewer network columns is usual in older exports
            columns = [c for c in columns if c not in NETWORKS]
        if columns:
            listed = ", ".join(code(c) for c in columns)
            lines.append(f"- {sheet} has no {listed} column (the mapping does not need it)")
    if e.empty_cells:
        first = ", ".join(f"{s} row {r} {code(c)}" for s, r, c in e.empty_cells[:5])
        lines.append(f"- Empty number cells read as 0: {len(e.empty_cells):,} (e.g. {first})")
    lines.extend(f"- {note}" for note in e.notes)
    return "\n".join(lines) + "\n"


def _room_use(o: Outcome) -> dict[str, dict[str, int]]:
    """Room -> resource -> thousandths used today (base and imported workloads)."""
    use: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COMPUTE, 0))
    workloads: Iterator[Workload] = iter([*o.base.workloads, *o.items.workloads])
    for w in workloads:
        for k in COMPUTE:
            use[w.room][k] += round(getattr(w, k) * 1000)
    return use


def _over(o: Outcome) -> list[tuple[str, str, int, float]]:
    """(room, resource, thousandths used, capacity) of every capacity exceeded today."""
    use = _room_use(o)
    out = []
    for room, cap in o.capacities.rooms.items():
        for k in COMPUTE:
            limit = cap.capacity(k)
            if limit is not None and use[room][k] > round(limit * 1000):
                out.append((room, k, use[room][k], limit))
    return out


def _rooms(o: Outcome) -> str:
    use = _room_use(o)
    vms = Counter(p.room for p in o.placement.placed)
    loads = Counter(w.room for w in o.items.workloads)
    rows = []
    for room, cap in o.capacities.rooms.items():
        cells = [code(room), f"{vms[room]:,}", f"{loads[room]:,}"]
        cells += [_use_cell(use[room][k], cap, k) for k in COMPUTE]
        rows.append(cells)
    header = ["room", "VMs", "workloads", *(f"{UNITS[k]} used / capacity" for k in COMPUTE)]
    text = "## Rooms: today's use and capacity\n\n"
    text += "Use counts every workload in the room today (the base estate's too). "
    text += "A capacity is the base room's own, or computed from the exports' hosts and "
    text += "datastores; without either the room is not limited in that resource.\n\n"
    text += _table(header, rows)
    over = _over(o)
    if over:
        text += "\n" + "\n".join(_over_line(o, *entry) for entry in over) + "\n"
    return text


def _use_cell(used: int, cap: RoomCapacity, resource: str) -> str:
    limit = cap.capacity(resource)
    shown = amounts.shown(used / 1000)
    if limit is None:
        return f"{shown} / not limited"
    flag = " **OVER**" if used > round(limit * 1000) else ""
    return f"{shown} / {amounts.shown(limit)} ({cap.source(resource)}){flag}"


def _over_line(o: Outcome, room: str, resource: str, used: int, limit: float) -> str:
    cap = o.capacities.rooms[room]
    unit = UNITS[resource]
    if cap.source(resource) == "base estate":
        hint = f"correct the room's `{resource}` in the base estate, or its workloads"
    else:
        hint = (
            f"raise `{SETTING[resource]}` in {code(o.mapping.path)} (or state the room's "
            f"`{resource}` in the base estate), or map fewer VMs to it"
        )
    return (
        f"- **Over capacity**: {code(room)} uses {amounts.shown(used / 1000)} {unit} today "
        f"but has {amounts.shown(limit)}; the estate will not validate: {hint}."
    )


def _totals(o: Outcome, dimension: str, title: str) -> str:
    vms: Counter[str] = Counter()
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COMPUTE, 0))
    loads: Counter[str] = Counter()
    for p in o.placement.placed:
        vms[getattr(p, dimension)] += 1
    for w in o.items.workloads:
        key = getattr(w, dimension)
        loads[key] += 1
        for k in COMPUTE:
            sums[key][k] += round(getattr(w, k) * 1000)
    rows = [
        [code(key), f"{vms[key]:,}", f"{loads[key]:,}"]
        + [amounts.shown(sums[key][k] / 1000) for k in COMPUTE]
        for key in sorted(vms)
    ]
    header = [dimension, "VMs", "workloads", *(UNITS[k] for k in COMPUTE)]
    return f"## {title}\n\nImported workloads only.\n\n" + _table(header, rows)


def _splits(o: Outcome) -> str:
    if not o.grouping.splits:
        return ""
    lines = [
        f"- {cell(s.group)}: split by {' and '.join(s.by)} into "
        + ", ".join(f"{code(p.id)} ({vms(len(p.vms))})" for p in s.parts)
        for s in o.grouping.splits
    ]
    head = (
        "## Groups split\n\nA workload has one room, zone and organisation, so these groups "
        "became one workload each per combination.\n\n"
    )
    return head + "\n".join(_cut(lines)) + "\n"


def _workload_notes(o: Outcome) -> str:
    """Workloads made one per VM for want of a group, and user sites left out."""
    lines = []
    if o.grouping.ungrouped:
        lines.append(
            f"- {vms(o.grouping.ungrouped)} had no {o.mapping.workloads.group_by} to group "
            "by: each is a workload of its own, named after the VM.\n"
        )
    dropped = [
        f"- {code(w)}: {', '.join(code(s) for s in sites)}" for w, sites in o.items.dropped_users
    ]
    if dropped:
        limit = o.mapping.defaults.max_latency_ms
        within = f"within {amounts.shown(limit)} ms " if limit is not None else ""
        lines.append(
            "Owner sites left out of workloads' users because they do not reach the room "
            f"{within}over the zone's networks today (rule 5 would fail):\n"
        )
        lines.extend(_cut(dropped))
    return "## Workloads\n\n" + "\n".join(lines) + "\n" if lines else ""


def _hardware(o: Outcome) -> str:
    c = o.mapping.compute
    rows = [
        [
            code(room),
            f"{cap.hosts:,}",
            amounts.shown(cap.cores),
            amounts.shown(amounts.gib(cap.host_memory_mib)),
            f"{cap.datastores:,}",
            amounts.shown(amounts.tib(cap.datastore_mib)),
        ]
        for room, cap in o.capacities.rooms.items()
    ]
    text = (
        "## Hardware behind the capacities\n\n"
        f"vCPU = cores x {amounts.shown(c.vcpu_per_core)}; memory = host GiB x "
        f"{amounts.shown(c.memory_headroom)}; storage = datastore TiB x "
        f"{amounts.shown(c.storage_headroom)}; each rounded down to thousandths "
        "(workloads' demands are rounded up).\n\n"
    )
    text += _table(["room", "hosts", "cores", "host GiB", "datastores", "datastore TiB"], rows)
    return text + _hardware_notes(o)


def _hardware_notes(o: Outcome) -> str:
    caps = o.capacities
    notes = []
    for room, cap in caps.rooms.items():
        if not cap.hosts:
            notes.append(
                f"- {code(room)}: no host in the exports, so vCPU and memory are "
                "not limited (unless the base estate states them)"
            )
        if not cap.datastores:
            notes.append(
                f"- {code(room)}: no datastore in the exports, so storage is not "
                "limited (unless the base estate states it)"
            )
    if caps.unplaced_hosts:
        names = [f"{code(h.host)} ({h.place.file}:{h.row})" for h in caps.unplaced_hosts]
        notes.append(f"- Hosts no room rule matches (not counted): {', '.join(_cut(names, 50))}")
    for room, n in sorted(caps.other_rooms.items()):
        notes.append(f"- {n:,} hosts are in {code(room)}, where no imported VM runs (not counted)")
    if caps.unplaced_datastores:
        why = Counter(reason for _, reason in caps.unplaced_datastores)
        notes.append(
            f"- Datastores not counted: {len(caps.unplaced_datastores):,} ("
            + "; ".join(f"{n:,} {cell(r)}" for r, n in why.most_common())
            + ")"
        )
    if caps.stretched:
        notes.append(
            "- Clusters with hosts in several rooms (datastores counted in the room "
            f"of most of its hosts): {', '.join(cell(s) for s in caps.stretched)}"
        )
    return "\n" + "\n".join(notes) + "\n" if notes else ""


def _skipped(o: Outcome) -> str:
    if not o.placement.skipped:
        return "## Skipped VMs\n\nNone.\n"
    rows = [
        [
            code(s.vm.vm),
            code(s.vm.vcenter),
            REASONS[s.reason] + (f" ({s.detail})" if s.detail else ""),
            f"{cell(s.vm.place.file)}:{s.vm.row}",
        ]
        for s in o.placement.skipped
    ]
    return "## Skipped VMs\n\n" + _table(["VM", "vCenter", "reason", "read from"], rows)
