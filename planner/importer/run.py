"""One import from start to end: read, check, place, group, size, build, render.

:func:`run_import` returns the files to write (the base estate's files, byte for
byte, plus ``imported.yaml`` and ``import-report.md``) or the findings that stop
the import; it writes nothing and prints nothing (the command line does both). Every
problem found before the VMs are placed is reported together: the mapping's, the base
estate's and every export's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from planner.importer.build import build_items
from planner.importer.capacity import room_capacities
from planner.importer.exports import NETWORKS, Export, check_overlap, read_exports
from planner.importer.groups import group_vms
from planner.importer.mapping import Mapping, check_ids, read_mapping
from planner.importer.outcome import Outcome
from planner.importer.output import imported_yaml
from planner.importer.placement import place_vms
from planner.importer.report import render
from planner.importer.users import UserSites
from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.load import Loaded, inventory_files
from planner.inventory.validate import load_and_validate

IMPORTED = "imported.yaml"
REPORT = "import-report.md"

COLUMN_OF = {
    "folder": "Folder",
    "resource_pool": "Resource pool",
    "annotation": "Annotation",
    "os": "OS according to the configuration file",
}
"""Match keys read from optional vInfo columns -> the column."""


@dataclass
class Request:
    """What to import."""

    exports: list[Path]
    base: Path
    mapping: Path
    command: str = "planner import rvtools"
    """The command line, quoted at the top of the report and imported.yaml."""


@dataclass
class Result:
    """The files to write, or the findings that stop the import."""

    findings: Findings
    outcome: Outcome | None = None
    files: dict[str, str | bytes] = field(default_factory=dict)
    report: str = ""

    @property
    def ok(self) -> bool:
        return not self.findings.errors and self.outcome is not None


def run_import(request: Request) -> Result:
    """Import the exports onto the base estate with the mapping."""
    findings = Findings()
    mapping = read_mapping(request.mapping, findings)
    base = _load_base(request.base, findings)
    if mapping is not None and base is not None:
        check_ids(mapping, base.inventory, findings)
    exports = read_exports(request.exports, findings)
    check_overlap(exports, findings)
    if mapping is not None:
        check_columns(exports, mapping, findings)
    copies = _base_files(request.base, findings) if base is not None else {}
    if findings.errors or mapping is None or base is None:
        return Result(findings)
    outcome = _decide(exports, mapping, base, request, findings)
    if findings.errors or outcome is None:
        return Result(findings)
    report = render(outcome, request.command)
    header = (
        f"Written by: {request.command}\n"
        "Imported workloads and room capacities; import again rather than edit by hand.\n"
        f"What was read, skipped and why: {REPORT}"
    )
    files: dict[str, str | bytes] = dict(copies)
    files[IMPORTED] = imported_yaml(outcome.items.workloads, outcome.items.room_compute, header)
    files[REPORT] = report
    return Result(findings, outcome, files, report)


def _decide(
    exports: list[Export], mapping: Mapping, base: Loaded, request: Request, findings: Findings
) -> Outcome | None:
    """Place, group and size the VMs and build the items; None when a step found errors."""
    placement = place_vms(exports, mapping, findings)
    if findings.errors:
        return None
    inv = base.inventory
    grouping = group_vms(placement.placed, mapping, (w.id for w in inv.workloads))
    capacities = room_capacities(exports, mapping, {p.room for p in placement.placed}, inv)
    d = mapping.defaults
    users = UserSites(inv, d.max_latency_ms, d.users_from_owner_sites)
    items = build_items(grouping.parts, capacities, users, d, findings)
    return Outcome(exports, mapping, inv, str(request.base), placement, grouping, capacities, items)


def _load_base(path: Path, findings: Findings) -> Loaded | None:
    """The base estate, loaded and validated; None (findings naming its files) when it
    has errors."""
    loaded = load_and_validate(path)
    if loaded.ok:
        return loaded
    for f in loaded.findings.errors:
        shown = str(path / f.where.file) if path.is_dir() else f.where.file
        findings.add(dataclasses.replace(f, where=Location(shown, f.where.line)))
    return None


def _base_files(path: Path, findings: Findings) -> dict[str, bytes]:
    """Name -> bytes of every inventory file of the base estate (copied unchanged)."""
    out: dict[str, bytes] = {}
    for file in inventory_files(path):
        if file.name in (IMPORTED, REPORT):
            findings.add(
                _problem(
                    str(file),
                    f"the base estate already holds {file.name} (the output of an earlier import?)",
                    "give the base estate without it: the import writes it",
                )
            )
            continue
        try:
            out[file.name] = file.read_bytes()
        except OSError as exc:
            findings.add(
                _problem(
                    str(file), f"cannot read it: {exc.strerror or exc}", "check its permissions"
                )
            )
    return out


def check_columns(exports: list[Export], mapping: Mapping, findings: Findings) -> None:
    """A match key or group_by the mapping uses needs its vInfo column in every export."""
    keys = mapping.keys_used()
    for export in exports:
        missing = set(export.missing.get("vInfo", []))
        need = [COLUMN_OF[k] for k in sorted(keys) if k in COLUMN_OF]
        if "network" in keys and set(NETWORKS) <= missing:
            need.append(NETWORKS[0])
        for column in need:
            if column in missing:
                where = Location(export.sheet_files.get("vInfo", export.shown), 1)
                findings.add(
                    Finding(
                        "error",
                        "missing-column",
                        where,
                        "vInfo",
                        None,
                        column,
                        f"no column '{column}' in the header row, and the mapping "
                        f"({mapping.path}) matches or groups on it",
                        "export vInfo with all its columns, or change the mapping",
                    )
                )


def _problem(shown: str, message: str, fix: str) -> Finding:
    return Finding("error", "base-file", Location(shown), "file", None, None, message, fix)
