"""The synthetic RVTools exports: real 4.x headers, XLSX and CSV alike, reproducible,
shaped like a council estate whose VMs fit their hosts, with a base estate that validates."""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.generate.rvtools import (
    Export,
    ExportDatastore,
    ExportHost,
    ExportVM,
    synthetic_exports,
    synthetic_mapping,
    write_csv_folder,
    write_synthetic_base,
    write_xlsx,
)
from planner.generate.rvtools.columns import VINFO
from planner.inventory.validate import load_and_validate

SPEC_VINFO = [
    "VM", "Powerstate", "Template", "CPUs", "Memory", "Provisioned MiB", "In Use MiB",
    "Folder", "Resource pool", "Annotation", *(f"Network #{k}" for k in range(1, 9)),
    "Datacenter", "Cluster", "Host", "OS according to the configuration file", "VI SDK Server",
]  # fmt: skip
"""The vInfo columns spec/import.md names."""
SPEC = {
    "vInfo": SPEC_VINFO,
    "vHost": ["Host", "Datacenter", "Cluster", "# Cores", "# Memory", "VI SDK Server"],
    "vDatastore": ["Name", "Capacity MiB", "Cluster name", "VI SDK Server"],
    "vCluster": ["Name", "NumHosts", "NumCpuCores", "VI SDK Server"],
}
EXTRAS = ["DNS Name", "Guest state", "Heartbeat", "Connection state", "Unshared MiB", "NICs",
          "Disks", "Primary IP Address", "VM ID", "VM UUID", "Cluster rule(s)", "Creation date",
          "HW version"]  # fmt: skip
"""A sprinkling of the vInfo columns a reader must skip."""
SHEETS = ("vInfo", "vCluster", "vHost", "vDatastore", "vMetaData")


@pytest.fixture(scope="module")
def exports() -> list[Export]:
    """An estate of two vCenters, four datacenters (with the police and NHS ones)."""
    return synthetic_exports(600, 24, vcenters=2, seed=3)


@dataclass
class Written:
    """Small exports written once as workbooks and CSV folders, and read back."""

    exports: list[Export]
    folder: Path
    xlsx: list[dict[str, list[tuple[Any, ...]]]]
    csv: list[dict[str, list[list[str]]]]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    folder = tmp_path_factory.mktemp("rvtools")
    made = synthetic_exports(150, 8, vcenters=2, seed=5)
    for k, export in enumerate(made):
        write_xlsx(export, folder / f"vc{k}.xlsx")
        write_csv_folder(export, folder / f"vc{k}")
    return Written(
        made,
        folder,
        [xlsx_sheets(folder / f"vc{k}.xlsx") for k in range(len(made))],
        [csv_sheets(folder / f"vc{k}") for k in range(len(made))],
    )


def xlsx_sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def csv_sheets(folder: Path) -> dict[str, list[list[str]]]:
    out = {}
    for name in SHEETS:
        with (folder / f"RVTools_tab{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            out[name] = list(csv.reader(fh))
    return out


def as_csv_text(value: Any) -> str:
    """A workbook cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value)


def test_headers_are_rvtools_4x(written: Written) -> None:
    sheets = written.xlsx[0]
    assert list(sheets) == list(SHEETS)
    for name, needed in SPEC.items():
        header = list(sheets[name][0])
        assert set(needed) <= set(header), set(needed) - set(header)
        assert len(header) == len(set(header)), f"{name} repeats a header"
    vinfo = list(sheets["vInfo"][0])
    assert vinfo == list(VINFO)
    assert set(EXTRAS) <= set(vinfo)
    assert len(vinfo) > 2 * len(SPEC_VINFO)  # as wide as a real export
    assert vinfo.index("VM") == 0
    assert vinfo.index("VI SDK Server") > vinfo.index("Folder")
    metadata = dict(zip(*sheets["vMetaData"][:2], strict=True))
    assert metadata["RVTools major version"] == 4
    assert metadata["Server"] == written.exports[0].vcenter


def test_types_are_as_rvtools_writes_them(written: Written) -> None:
    rows = written.xlsx[0]["vInfo"]
    column = {name: k for k, name in enumerate(rows[0])}
    first = rows[1]
    assert isinstance(first[column["Template"]], bool)
    assert isinstance(first[column["CPUs"]], int)
    assert isinstance(first[column["Provisioned MiB"]], int | float)
    assert isinstance(first[column["Creation date"]], dt.datetime)
    assert {r[column["Powerstate"]] for r in rows[1:]} <= {"poweredOn", "poweredOff", "suspended"}
    raw = (written.folder / "vc0" / "RVTools_tabvInfo.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + b'"VM","Powerstate","Template"')
    assert b"\r\n" in raw
    assert {r[2] for r in written.csv[0]["vInfo"][1:]} == {"True", "False"}


@pytest.mark.parametrize("writer", ["xlsx", "csv"])
def test_mb_headers(written: Written, tmp_path: Path, writer: str) -> None:
    if writer == "xlsx":
        write_xlsx(written.exports[0], tmp_path / "vc.xlsx", units="MB")
        sheets: dict[str, Any] = xlsx_sheets(tmp_path / "vc.xlsx")
    else:
        write_csv_folder(written.exports[0], tmp_path / "csv", units="MB")
        sheets = csv_sheets(tmp_path / "csv")
    headers = {name: list(rows[0]) for name, rows in sheets.items()}
    assert {"Provisioned MB", "In Use MB", "Memory", "Video Ram KB"} <= set(headers["vInfo"])
    assert "# Memory" in headers["vHost"]
    assert "Capacity MB" in headers["vDatastore"]
    assert not any("MiB" in h or "KiB" in h for names in headers.values() for h in names)
    metadata = dict(zip(*sheets["vMetaData"][:2], strict=True))
    assert str(metadata["RVTools major version"]) == "3"


def test_unknown_units_are_refused(written: Written, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="units"):
        write_xlsx(written.exports[0], tmp_path / "vc.xlsx", units="GB")
    with pytest.raises(ValueError, match="units"):
        write_csv_folder(written.exports[0], tmp_path / "csv", units="GiB")
    assert not (tmp_path / "vc.xlsx").exists()
    assert not (tmp_path / "csv").exists()


def test_csv_and_xlsx_carry_the_same_rows(written: Written) -> None:
    for export, book, folder in zip(written.exports, written.xlsx, written.csv, strict=True):
        for name in SHEETS:
            assert [[as_csv_text(v) for v in row] for row in book[name]] == folder[name], name
        assert len(book["vInfo"]) == len(export.vms) + 1
        assert len(book["vHost"]) == len(export.hosts) + 1
        assert len(book["vDatastore"]) == len(export.datastores) + 1


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    def files(seed: int, where: Path) -> dict[str, bytes]:
        made = synthetic_exports(200, 10, vcenters=2, seed=seed)
        write_xlsx(made[0], where / "vc1.xlsx")
        write_csv_folder(made[1], where / "vc2")
        return {p.relative_to(where).as_posix(): p.read_bytes() for p in where.rglob("*.*")}

    first, again = files(7, tmp_path / "a"), files(7, tmp_path / "b")
    assert len(first) == 6
    assert first == again
    other = files(8, tmp_path / "c")
    assert other["vc1.xlsx"] != first["vc1.xlsx"]
    assert synthetic_exports(200, 10, 2, 7) == synthetic_exports(200, 10, 2, 7)


def test_counts_and_estate_shape(exports: list[Export]) -> None:
    vms = [vm for e in exports for vm in e.vms]
    assert len(vms) == 600
    assert sum(len(e.hosts) for e in exports) == 24
    states = Counter(vm.powerstate for vm in vms)
    templates = [vm for vm in vms if vm.template]
    assert 3 <= len(templates) <= 30
    assert all(vm.powerstate == "poweredOff" for vm in templates)
    assert 0.03 * len(vms) <= states["poweredOff"] - len(templates) <= 0.15 * len(vms)
    for e in exports:
        names = [vm.vm for vm in e.vms]
        assert len(names) == len(set(names)), "VM names are unique within a vCenter"
        assert {vm.vcenter for vm in e.vms} == {h.vcenter for h in e.hosts} == {e.vcenter}
        assert any(vm.template for vm in e.vms)
    repeated = {vm.vm for vm in exports[0].vms} & {vm.vm for vm in exports[1].vms}
    assert "TPL-W2022" in repeated
    assert len(repeated) > 5
    for vm in vms:
        assert 1 <= len(vm.networks) <= 8
        assert len(set(vm.networks)) == len(vm.networks)
        assert vm.cpus in (2, 4, 8, 16)
        assert 4 <= vm.memory_mib / 1024 <= 64
        swap = vm.memory_mib if vm.powerstate == "poweredOn" else 0
        assert vm.provisioned_mib - swap >= 40 * 1024
        assert vm.provisioned_mib <= 4 * 1024 * 1024
        assert 0 < vm.in_use_mib <= vm.provisioned_mib
        police, nhs = vm.folder.startswith("Police/"), vm.folder.startswith("NHS/")
        assert (
            police
            == any(n.startswith("PSNP-") for n in vm.networks)
            == (vm.datacenter == "Hindlip")
        )
        assert (
            nhs == any(n.startswith("HSCN-") for n in vm.networks) == (vm.datacenter == "ShrubHill")
        )


@pytest.mark.parametrize(("vms", "hosts", "vcenters"), [(600, 24, 2), (20000, 200, 2), (90, 3, 3)])
def test_vms_fit_their_rooms_at_the_mapping_ratios(vms: int, hosts: int, vcenters: int) -> None:
    """vCPU per core at most 4 (about 2.5-3.5 where hosts are many), memory at most 80%
    and storage at most 80% of the room's, as the mapping's compute settings need."""
    made = synthetic_exports(vms, hosts, vcenters, seed=1)
    cores: Counter[str] = Counter()
    memory: Counter[str] = Counter()
    storage: Counter[str] = Counter()
    room_of = {h.cluster: h.datacenter for e in made for h in e.hosts}
    for e in made:
        for h in e.hosts:
            cores[h.datacenter] += h.cores
            memory[h.datacenter] += h.memory_mib
            assert 16 <= h.cores <= 128
            assert 255 * 1024 < h.memory_mib <= 4096 * 1024
        for d in e.datastores:
            storage[room_of.get(d.cluster_name, "")] += d.capacity_mib
    used: dict[str, Counter[str]] = defaultdict(Counter)
    for vm in (vm for e in made for vm in e.vms if not vm.template):
        used[vm.datacenter]["cpus"] += vm.cpus
        used[vm.datacenter]["memory"] += vm.memory_mib
        used[vm.datacenter]["storage"] += int(vm.provisioned_mib)
    for room, use in used.items():
        assert use["cpus"] <= 3.6 * cores[room]
        assert use["memory"] <= 0.72 * memory[room]
        assert 0.4 * storage[room] <= use["storage"] <= 0.72 * storage[room]
    if vms / hosts >= 20:
        assert sum(u["cpus"] for u in used.values()) >= 2.5 * sum(cores.values())


def test_local_datastores_have_no_cluster(exports: list[Export], written: Written) -> None:
    local = [d for e in exports for d in e.datastores if not d.cluster_name]
    assert local
    assert all(d.name.startswith("datastore1") for d in local)
    rows = [r for book in written.xlsx for r in book["vDatastore"][1:]]
    at = written.xlsx[0]["vDatastore"][0].index("Cluster name")
    assert any(r[at] is None for r in rows)
    assert any(r[at] for r in rows)


def test_a_hand_made_export_is_written(tmp_path: Path) -> None:
    """The writers take any export: odd text is escaped, not lost; a 9th network is not written."""
    vm = ExportVM(
        vm=" R&D <db> ", powerstate="suspended", template=False, cpus=3, memory_mib=3000,
        provisioned_mib=1234.5, in_use_mib=10.0, folder="A/B", resource_pool="Resources",
        annotation='=SUM(A1) "quoted", comma', networks=[f"n{k}" for k in range(9)],
        datacenter="DC", cluster="", host="h1", os="Other", vcenter="vc.local",
    )  # fmt: skip
    export = Export(
        "vc.local",
        vms=[vm],
        hosts=[ExportHost("h1", "DC", "", 12, 65536, "vc.local")],
        datastores=[ExportDatastore("ds", 2048.0, "", "vc.local")],
    )
    write_xlsx(export, tmp_path / "vc.xlsx")
    write_csv_folder(export, tmp_path / "csv")
    rows = xlsx_sheets(tmp_path / "vc.xlsx")["vInfo"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["VM"] == " R&D <db> "
    assert row["Annotation"] == '=SUM(A1) "quoted", comma'
    assert row["Provisioned MiB"] == 1234.5
    assert row["Network #8"] == "n7"
    assert row["Cluster"] is None
    text = csv_sheets(tmp_path / "csv")["vInfo"]
    assert dict(zip(text[0], text[1], strict=True))["Annotation"] == '=SUM(A1) "quoted", comma'
    vm.annotation = "bell\x07"
    with pytest.raises(ValueError, match="control character"):
        write_xlsx(export, tmp_path / "bad.xlsx")
    assert not (tmp_path / "bad.xlsx").exists()


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="vcenters"):
        synthetic_exports(10, 5, vcenters=0)
    with pytest.raises(ValueError, match="vcenters"):
        synthetic_exports(10, 50, vcenters=10)
    with pytest.raises(ValueError, match="host per vCenter"):
        synthetic_exports(10, 1, vcenters=2)
    assert [len(e.vms) for e in synthetic_exports(0, 2, vcenters=2)] == [0, 0]


def test_synthetic_base_validates(exports: list[Export], tmp_path: Path) -> None:
    write_synthetic_base(tmp_path / "base", exports)
    loaded = load_and_validate(tmp_path / "base")
    assert loaded.findings.errors == []
    assert {f.code for f in loaded.findings.warnings} <= {"empty-room"}
    inv = loaded.inventory
    assert inv.workloads == []
    assert all(r.racks > 0 and r.power_kw > 0 and r.annual_cost > 0 for r in inv.rooms)
    with pytest.raises(FileExistsError):
        write_synthetic_base(tmp_path / "base", exports)
    write_synthetic_base(tmp_path / "base", exports, overwrite=True)


def test_mapping_names_what_the_base_holds(exports: list[Export], tmp_path: Path) -> None:
    mapping = yaml.safe_load(synthetic_mapping(exports))
    write_synthetic_base(tmp_path / "base", exports)
    inv = load_and_validate(tmp_path / "base").inventory
    rooms, zones = {r.id for r in inv.rooms}, {z.id for z in inv.zones}
    organisations = {o.id for o in inv.organisations}
    assert {rule["room"] for rule in mapping["rooms"]} <= rooms
    assert {rule.get("zone", rule.get("default")) for rule in mapping["zones"]} <= zones
    assert {
        rule.get("organisation", rule.get("default")) for rule in mapping["owners"]
    } <= organisations
    datacenters = {h.datacenter for e in exports for h in e.hosts}
    for dc in datacenters:
        assert any(fnmatch.fnmatchcase(dc, r["match"]["datacenter"]) for r in mapping["rooms"])
    assert mapping["compute"]["vcpu_per_core"] == 4
    assert mapping["workloads"]["group_by"] == "folder"


def test_exports_import_into_a_valid_estate(exports: list[Export], tmp_path: Path) -> None:
    """End to end: one export as a workbook, one as CSV in MB, through `planner import`."""
    runner = CliRunner()
    if runner.invoke(app, ["import", "rvtools", "--help"]).exit_code != 0:
        pytest.skip("planner import rvtools is not available")
    write_xlsx(exports[0], tmp_path / "vc1.xlsx")
    write_csv_folder(exports[1], tmp_path / "vc2", units="MB")
    write_synthetic_base(tmp_path / "base", exports)
    (tmp_path / "mapping.yaml").write_text(synthetic_mapping(exports), encoding="utf-8")
    args = ["import", "rvtools", str(tmp_path / "vc1.xlsx"), str(tmp_path / "vc2")]
    args += ["--base", str(tmp_path / "base"), "--mapping", str(tmp_path / "mapping.yaml")]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "estate")])
    assert result.exit_code == 0, result.output
    loaded = load_and_validate(tmp_path / "estate")
    assert loaded.findings.errors == []
    assert loaded.inventory.workloads
