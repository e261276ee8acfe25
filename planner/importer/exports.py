"""Read RVTools exports into plain records: the VMs (vInfo), hosts (vHost) and
datastores (vDatastore) of each export, every record keeping its file, sheet and row.

Columns are found by header name (ignoring case and spacing), in any order, extra
columns ignored; RVTools 4.x names are the contract and older exports' ``MB`` is
accepted where 4.x says ``MiB``. A missing sheet or required column, or a cell that is
not what its column needs, is a finding naming file, sheet, row and column. Columns
only some mappings need (``Folder``, ``Annotation``...) are optional here: the export
remembers which are missing, and :mod:`planner.importer.run` refuses a mapping that
needs one. An empty number cell reads as 0 and is counted for the report.

Records are slotted dataclasses, not pydantic models: 20,000 VMs are read in a few
seconds and validated once, as workloads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.importer import cells
from planner.importer.cells import CellError, Number
from planner.importer.tables import Source, Tab, open_source
from planner.inventory.findings import Finding, Findings, Location


@dataclass(frozen=True)
class Column:
    """A column an export may hold."""

    key: str
    """The record field it fills."""
    names: tuple[str, ...]
    """Header names accepted, the RVTools 4.x name first."""
    kind: str = "text"
    """'text', 'number' or 'flag'."""
    required: bool = True


def _col(key: str, *names: str, kind: str = "text", required: bool = True) -> Column:
    return Column(key, names, kind, required)


NETWORKS = tuple(f"Network #{n}" for n in range(1, 9))

VINFO: tuple[Column, ...] = (
    _col("vm", "VM"),
    _col("powerstate", "Powerstate"),
    _col("template", "Template", kind="flag"),
    _col("srm_placeholder", "SRM Placeholder", kind="flag", required=False),
    _col("cpus", "CPUs", kind="number"),
    _col("memory_mib", "Memory", "Memory MiB", "Memory MB", kind="number"),
    _col("provisioned_mib", "Provisioned MiB", "Provisioned MB", kind="number"),
    _col("in_use_mib", "In Use MiB", "In Use MB", kind="number", required=False),
    _col("folder", "Folder", required=False),
    _col("resource_pool", "Resource pool", required=False),
    _col("annotation", "Annotation", required=False),
    *(_col(f"network{n}", name, required=False) for n, name in enumerate(NETWORKS, start=1)),
    _col("datacenter", "Datacenter"),
    _col("cluster", "Cluster"),
    _col("host", "Host"),
    _col("os", "OS according to the configuration file", "OS", required=False),
    _col("vcenter", "VI SDK Server"),
)
"""vInfo: one row per VM (and template)."""

VHOST: tuple[Column, ...] = (
    _col("host", "Host"),
    _col("datacenter", "Datacenter"),
    _col("cluster", "Cluster"),
    _col("cores", "# Cores", kind="number"),
    _col("memory_mib", "# Memory", "# Memory MiB", "# Memory MB", kind="number"),
    _col("vcenter", "VI SDK Server", required=False),
)
"""vHost: one row per ESXi host."""

VDATASTORE: tuple[Column, ...] = (
    _col("name", "Name"),
    _col("capacity_mib", "Capacity MiB", "Capacity MB", kind="number"),
    _col("cluster", "Cluster name"),
    _col("vcenter", "VI SDK Server", required=False),
)
"""vDatastore: one row per datastore."""

REQUIRED_SHEETS = ("vInfo", "vHost", "vDatastore")
"""Sheets an export must hold; vCluster is read when present."""


@dataclass(frozen=True)
class Place:
    """The file and sheet a record came from (shared by every record of the sheet)."""

    file: str
    sheet: str


@dataclass(slots=True)
class Vm:
    """One row of vInfo. Field names are the mapping's match keys (``networks`` holds
    ``network``)."""

    place: Place
    row: int
    vm: str
    powerstate: str
    template: bool
    srm_placeholder: bool
    cpus: Number
    memory_mib: Number
    provisioned_mib: Number
    in_use_mib: Number
    folder: str
    resource_pool: str
    annotation: str
    networks: tuple[str, ...]
    datacenter: str
    cluster: str
    host: str
    os: str
    vcenter: str
    export: int
    """Index of the export (command-line order)."""

    @property
    def where(self) -> str:
        return f"{self.place.file}:{self.row}"


@dataclass(slots=True)
class Host:
    """One row of vHost."""

    place: Place
    row: int
    host: str
    datacenter: str
    cluster: str
    cores: Number
    memory_mib: Number
    vcenter: str
    export: int


@dataclass(slots=True)
class Datastore:
    """One row of vDatastore."""

    place: Place
    row: int
    name: str
    capacity_mib: Number
    cluster: str
    vcenter: str
    export: int


@dataclass
class Export:
    """What one export held."""

    shown: str
    """The export as given on the command line."""
    kind: str
    """'workbook' or 'CSV folder'."""
    index: int
    """Its position on the command line (records carry it as ``export``)."""
    vms: list[Vm] = field(default_factory=list)
    hosts: list[Host] = field(default_factory=list)
    datastores: list[Datastore] = field(default_factory=list)
    clusters: int | None = None
    """Rows of vCluster (None: the export has no vCluster sheet)."""
    missing: dict[str, list[str]] = field(default_factory=dict)
    """Sheet -> optional columns it lacks (RVTools 4.x names)."""
    empty_cells: list[tuple[str, int, str]] = field(default_factory=list)
    """(file:sheet, row, column) of every empty number cell (read as 0)."""
    notes: list[str] = field(default_factory=list)
    sheet_files: dict[str, str] = field(default_factory=dict)
    """Sheet -> the file findings name for it (the workbook, or its CSV file)."""

    @property
    def vcenters(self) -> list[str]:
        """The vCenters (VI SDK Server) its VMs name, in order of appearance."""
        return list(dict.fromkeys(v.vcenter for v in self.vms))


def read_exports(paths: Sequence[Path], findings: Findings) -> list[Export]:
    """Every export given, read in order; problems go to ``findings``."""
    out = []
    for index, path in enumerate(paths):
        export = read_export(path, index, findings)
        if export is not None:
            out.append(export)
    return out


def read_export(path: Path, index: int, findings: Findings) -> Export | None:
    """One export's records, or None when it cannot be opened at all."""
    source = open_source(path, findings)
    if source is None:
        return None
    export = Export(source.shown, source.kind, index)
    try:
        _read_sheets(source, export, index, findings)
    finally:
        source.close()
    export.notes.extend(source.notes)
    return export


def _read_sheets(source: Source, export: Export, index: int, findings: Findings) -> None:
    readers: dict[str, tuple[tuple[Column, ...], Callable[..., Any], list[Any]]] = {
        "vInfo": (VINFO, _vm, export.vms),
        "vHost": (VHOST, _host, export.hosts),
        "vDatastore": (VDATASTORE, _datastore, export.datastores),
    }
    for sheet, (columns, build, into) in readers.items():
        tab = source.tab(sheet)
        if tab is None:
            findings.add(_missing_sheet(source, sheet))
            continue
        export.sheet_files[sheet] = tab.file
        reader = _SheetReader(tab, columns, export, findings)
        place = Place(tab.file, tab.sheet)  # one per sheet, shared by its 20,000 rows
        into.extend(build(values, place, row, index) for row, values in reader.records())
    tab = source.tab("vCluster")
    if tab is not None:  # counted for the report; nothing else in it is needed
        export.clusters = sum(1 for _ in tab.rows)


def _missing_sheet(source: Source, sheet: str) -> Finding:
    if source.kind == "workbook":
        where, fix = source.shown, "export every tab from RVTools (File > Export all to Excel)"
    else:
        where = str(Path(source.shown) / f"RVTools_tab{sheet}.csv")
        fix = "export every tab from RVTools (File > Export all to csv) into this folder"
    return Finding(
        "error",
        "missing-sheet",
        Location(where),
        sheet,
        None,
        None,
        f"the export has no {sheet} {'sheet' if source.kind == 'workbook' else 'file'}",
        fix,
    )


class _SheetReader:
    """Reads the rows of one sheet into value tuples, in the order of its columns."""

    def __init__(
        self, tab: Tab, columns: tuple[Column, ...], export: Export, findings: Findings
    ) -> None:
        self.tab, self.columns, self.export, self.findings = tab, columns, export, findings
        self.index = self._locate()

    def _locate(self) -> list[int | None]:
        """Position of each column in the header (None: absent); a missing required
        column is a finding, a missing optional one is remembered."""
        positions: dict[str, int] = {}
        for i, name in enumerate(self.tab.header):
            positions.setdefault(_normal(name), i)
        index = []
        for col in self.columns:
            found = next((positions[n] for n in map(_normal, col.names) if n in positions), None)
            index.append(found)
            if found is None and col.required:
                self.findings.add(self._missing_column(col))
            elif found is None:
                self.export.missing.setdefault(self.tab.sheet, []).append(col.names[0])
        return index

    def _missing_column(self, col: Column) -> Finding:
        also = f" (or '{col.names[1]}')" if len(col.names) > 1 else ""
        return Finding(
            "error",
            "missing-column",
            Location(self.tab.file, 1),
            self.tab.sheet,
            None,
            col.names[0],
            f"no column '{col.names[0]}'{also} in the header row",
            "export the sheet with all its columns (RVTools 4.x names); columns may be "
            "in any order",
        )

    def records(self) -> Iterator[tuple[int, list[Any]]]:
        """(row, values) of each row whose cells all read; the others are findings."""
        if any(i is None and c.required for i, c in zip(self.index, self.columns, strict=True)):
            return  # reported by _locate
        plan = [(i, _CONVERT[c.kind], c) for i, c in zip(self.index, self.columns, strict=True)]
        for row, cells_ in self.tab.rows:
            values = self._values(row, cells_, plan)
            if values is not None:
                yield row, values

    def _values(
        self, row: int, cells_: Sequence[Any], plan: list[tuple[int | None, Any, Column]]
    ) -> list[Any] | None:
        """One row's values in column order; None (reported) when a cell does not read or
        the first, which names the record, is empty."""
        values: list[Any] = []
        good = True
        for i, convert, col in plan:
            raw = cells_[i] if i is not None and i < len(cells_) else None
            try:
                value = convert(raw)
            except CellError as exc:
                self.findings.add(self._bad_cell(row, cells_, i or 0, col, str(exc)))
                good = False
                continue
            if value is None:  # an empty number cell reads as 0, and is counted
                value = 0
                if i is not None:
                    self.export.empty_cells.append((self._label, row, col.names[0]))
            values.append(value)
        if good and not values[0]:
            first = self.columns[0]
            self.findings.add(
                self._bad_cell(row, cells_, self.index[0] or 0, first, "the cell is empty")
            )
            return None
        return values if good else None

    @property
    def _label(self) -> str:
        return f"{self.tab.file} {self.tab.sheet}"

    def _bad_cell(
        self, row: int, cells_: Sequence[Any], position: int, col: Column, message: str
    ) -> Finding:
        first = self.index[0]
        item = cells.text(cells_[first]) if first is not None and first < len(cells_) else ""
        name = self.tab.header[position] if position < len(self.tab.header) else col.names[0]
        fix = {
            "number": "write a number of 0 or more (such as 4 or 2048)",
            "flag": "write True or False",
        }.get(col.kind, f"give every row its {col.names[0]}")
        return Finding(
            "error",
            f"bad-{col.kind}",
            Location(self.tab.file, row),
            self.tab.sheet,
            item or None,
            name,
            message,
            fix,
        )


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "text": cells.text,
    "number": cells.number,
    "flag": cells.flag,
}


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


# --------------------------------------------------------------------------- records


def _vm(values: list[Any], place: Place, row: int, export: int) -> Vm:
    (vm, power, template, srm, cpus, mem, prov, in_use, folder, pool, note) = values[:11]
    networks = tuple(n for n in values[11:19] if n)
    datacenter, cluster, host, os_, vcenter = values[19:]
    return Vm(
        place,
        row,
        vm,
        power,
        template,
        srm,
        cpus,
        mem,
        prov,
        in_use,
        folder,
        pool,
        note,
        networks,
        datacenter,
        cluster,
        host,
        os_,
        vcenter,
        export,
    )


def _host(values: list[Any], place: Place, row: int, export: int) -> Host:
    host, datacenter, cluster, cores, memory, vcenter = values
    return Host(place, row, host, datacenter, cluster, cores, memory, vcenter, export)


def _datastore(values: list[Any], place: Place, row: int, export: int) -> Datastore:
    name, capacity, cluster, vcenter = values
    return Datastore(place, row, name, capacity, cluster, vcenter, export)


def check_overlap(exports: list[Export], findings: Findings) -> None:
    """Each vCenter's VMs come from one export: the same vCenter in two exports (an
    export given twice) would count its VMs twice."""
    seen: dict[str, Export] = {}
    for export in exports:
        for vcenter in export.vcenters:
            first = seen.setdefault(vcenter, export)
            if first is not export:
                findings.add(
                    Finding(
                        "error",
                        "vcenter-twice",
                        Location(export.shown),
                        "vInfo",
                        vcenter,
                        "VI SDK Server",
                        f"vCenter '{vcenter}' is also in {first.shown}: its "
                        "VMs would be counted twice",
                        "give each vCenter's export once",
                    )
                )
