"""`planner import rvtools` on bad input: exit 2, every problem listed at once, each naming
its file, sheet, row and column (or the mapping file and line); nothing written; never a
traceback, whatever the files hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.rvtools_exports import (
    MAPPING,
    VC1_DATASTORES,
    VC1_HOSTS,
    VC1_VMS,
    base_estate,
    mapping,
    sheets,
    vc1,
    vc2,
    vm,
    write_csv_folder,
    write_xlsx,
)
from typer.testing import CliRunner

from planner.cli import app
from planner.importer.cells import CellError, flag, number
from planner.importer.mapping import read_mapping
from planner.inventory.findings import Findings

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def refused(*exports: Path | str, text: str = MAPPING, base: Path | None = None) -> str:
    """Import into ./out, expect exit 2 with nothing written; the output, on one line."""
    here = Path.cwd()
    base = base or (here / "base" if (here / "base").exists() else base_estate(here))
    args = [*map(str, exports), "--base", str(base.relative_to(here)), "--mapping",
            mapping(here, text).name, "--out", "out"]  # fmt: skip
    result = runner.invoke(app, ["import", "rvtools", *args])
    output: str = " ".join(result.output.split())
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert not (here / "out").exists()
    return output


def book(name: str, tabs: dict[str, list[list[Any]]]) -> str:
    write_xlsx(Path.cwd() / name, tabs)
    return name


# --------------------------------------------------------------------------- exports


def test_missing_sheet() -> None:
    tabs = sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES)
    del tabs["vHost"]
    out = refused(book("v.xlsx", tabs))
    assert "v.xlsx: error: vHost: the export has no vHost sheet" in out


def test_missing_csv_file(tmp_path: Path) -> None:
    tabs = sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES)
    del tabs["vDatastore"]
    write_csv_folder(tmp_path / "csvs", tabs)
    out = refused("csvs")
    assert "csvs/RVTools_tabvDatastore.csv: error: vDatastore: the export has no vDatastore" in out


def test_missing_column_named_with_its_sheet() -> None:
    tabs = sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES)
    tabs["vInfo"] = [[c for c in row if c != "CPUs"] for row in tabs["vInfo"]]
    tabs["vInfo"][0] = [h for h in tabs["vInfo"][0] if h != "CPUs"]
    tabs["vInfo"] = [tabs["vInfo"][0]] + [row[:4] + row[5:] for row in sheets(
        VC1_VMS, [], [])["vInfo"][1:]]  # fmt: skip
    tabs["vHost"][0][3] = "Cores"
    out = refused(book("v.xlsx", tabs))
    assert "v.xlsx:1: error: vInfo field 'CPUs': no column 'CPUs' in the header row" in out
    assert "v.xlsx:1: error: vHost field '# Cores': no column '# Cores'" in out


def test_a_column_the_mapping_needs() -> None:
    tabs = sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES)
    folder = tabs["vInfo"][0].index("Folder")
    tabs["vInfo"] = [row[:folder] + row[folder + 1 :] for row in tabs["vInfo"]]
    out = refused(book("v.xlsx", tabs))
    assert "v.xlsx:1: error: vInfo field 'Folder': no column 'Folder'" in out


def test_numbers_that_are_not_numbers() -> None:
    vms = [list(r) for r in VC1_VMS]
    vms[1][4] = "four"  # fin-db CPUs, row 3
    vms[2][6] = -5  # fin-dr Provisioned MiB, row 4
    hosts = [list(r) for r in VC1_HOSTS]
    hosts[0][4] = "lots"
    out = refused(book("v.xlsx", sheets(vms, hosts, VC1_DATASTORES)))
    assert "v.xlsx:3: error: vInfo 'fin-db' field 'CPUs': 'four' is not a number" in out
    assert "v.xlsx:4: error: vInfo 'fin-dr' field 'Provisioned MiB': -5 is negative" in out
    assert "v.xlsx:2: error: vHost 'esx1' field '# Memory': 'lots' is not a number" in out
    assert "nothing written" in out


def test_csv_rows_are_named_by_line(tmp_path: Path) -> None:
    vms = [list(r) for r in VC1_VMS]
    vms[0][5] = "2 GB"
    write_csv_folder(tmp_path / "csvs", sheets(vms, VC1_HOSTS, VC1_DATASTORES, mb=True))
    out = refused("csvs")
    assert (
        "csvs/RVTools_tabvInfo.csv:2: error: vInfo 'fin-app' field 'Memory': '2 GB' is not a number"
    ) in out


def test_bad_flag_and_empty_name() -> None:
    vms = [list(r) for r in VC1_VMS]
    vms[0][2] = "maybe"
    vms[1][0] = None
    out = refused(book("v.xlsx", sheets(vms, VC1_HOSTS, VC1_DATASTORES)))
    assert "v.xlsx:2: error: vInfo 'fin-app' field 'Template': 'maybe' is not True or False" in out
    assert "v.xlsx:3: error: vInfo field 'VM': the cell is empty" in out


def test_vm_matched_by_no_room_rule() -> None:
    text = MAPPING.replace('  - {match: {datacenter: "Guildhall*"}, room: guildhall-mr}\n', "")
    out = refused(book("v.xlsx", sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES)), text=text)
    assert (
        "v.xlsx:4: error: vInfo 'fin-dr' field 'VM': no rule of 'rooms' matches this VM "
        "(datacenter 'Guildhall', cluster 'GH-C1', host 'esx3', vcenter 'vc1.local')"
    ) in out
    assert "v.xlsx:8: error: vInfo 'spare'" in out
    assert "v.xlsx:6" not in out  # the template is skipped first


def test_vm_matched_by_no_zone_rule() -> None:
    text = MAPPING.replace("  - {default: official}\n", "")
    out = refused(book("v.xlsx", sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES)), text=text)
    assert "v.xlsx:2: error: vInfo 'fin-app' field 'VM': no rule of 'zones' matches" in out


def test_many_unmatched_vms_are_counted() -> None:
    vms = [vm(f"v{i}", 1, 1024, 1024, "F", "Nowhere", "C", "h", "vc") for i in range(60)]
    out = refused(book("v.xlsx", sheets(vms, [], [])))
    assert out.count("no rule of 'rooms' matches this VM") == 50
    assert "and 10 more VMs no rule of 'rooms' matches, e.g. in datacenter 'Nowhere'" in out


def test_the_same_vcenter_twice() -> None:
    first = vc1(Path.cwd())
    second = book("again.xlsx", sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES))
    out = refused(first.name, second)
    assert "again.xlsx: error: vInfo 'vc1.local' field 'VI SDK Server': vCenter 'vc1.local' is" \
        " also in vc1.xlsx" in out  # fmt: skip


# --------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("room: hq-dc}", "room: hq-dcc}", "mapping.yaml:2: error: rooms field 'room': no room "
         "'hq-dcc' in the base estate"),
        ("room: hq-dc}", "room: colo}", "mapping.yaml:2: error: rooms field 'room': room 'colo' "
         "is a candidate room"),
        ("zone: secure}", "zone: secret}", "mapping.yaml:5: error: zones field 'zone': no zone "
         "'secret'"),
        ("{default: official}", "{default: unofficial}", "mapping.yaml:6: error: zones field "
         "'zone': no zone 'unofficial'"),
        ("organisation: city}", "organisation: town}", "mapping.yaml:8: error: owners field "
         "'organisation': no organisation 'town' in the base estate Fix: use the id of one of "
         "its organisations: county, city"),
        ("vcpu_per_core: 4", "vcpu_per_core: lots", "mapping.yaml:15: error: compute field "
         "'vcpu_per_core'"),
        ("memory_headroom: 0.5", "memory_headroom: -1", "mapping.yaml:16: error: compute field "
         "'memory_headroom'"),
        ("group_by: folder", "group_by: colour", "group_by 'colour' is not one of vm, folder"),
        ("group_by: folder", "group_by: 'name:(a)(b)'", "has 2 groups; give exactly one"),
        ("group_by: folder", "group_by: 'name:(['", "does not compile"),
        ("  group_by: folder", "  group_by: folder\n  colour: red", "mapping.yaml:12: error: "
         "workloads field 'colour': unknown field"),
        ("skip:", "skipping:", "unknown section 'skipping'"),
        ('match: [{name: "*-old"}]', "match: [{vm: 3}]", "skip 'match[0]' field 'vm'"),
        ('match: [{name: "*-old"}]', "match: [{colour: red}]", "field 'colour': unknown field"),
        ('{match: {datacenter: "HQ"}, room: hq-dc}', "{match: {}, room: hq-dc}",
         "an empty match holds for every VM"),
        ("  - {default: county}", "  - {default: county}\n  - {match: {vm: x}, "
         "organisation: city}", "follows the default (line 9) and is never used"),
        ("migration_days_per_vm: 0.25", "migration_days_per_vm: 0.255",
         "mapping.yaml:20: error: defaults field 'migration_days_per_vm': 0.255 has more than 2 "
         "decimal places"),
        ("rooms:\n", "rooms: 3\nold_rooms:\n", "'rooms' must be a list of rules"),
    ],
)  # fmt: skip
def test_mapping_problems_name_the_line(old: str, new: str, expected: str) -> None:
    assert old in MAPPING
    out = refused(vc1(Path.cwd()).name, text=MAPPING.replace(old, new, 1))
    assert expected in out


def test_mapping_without_sections() -> None:
    out = refused(vc1(Path.cwd()).name, text="workloads: {group_by: vm}\n")
    for name in ("rooms", "zones", "owners"):
        assert f"error: {name}: the mapping has no '{name}' list" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b\n", "the file must be a mapping of top-level keys, found a list Fix: start "
         "with the sections: rooms"),
        ("rooms: [\n", "mapping.yaml:2: error: mapping: YAML syntax error"),
        ("\x00\x01\x02", "mapping.yaml"),
        ("", "the mapping has no 'rooms' list"),
    ],
)  # fmt: skip
def test_mapping_files_that_are_not_mappings(text: str, expected: str) -> None:
    assert expected in refused(vc1(Path.cwd()).name, text=text)


def test_mapping_that_is_missing_or_a_folder(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    for where in ("nowhere.yaml", "base"):
        result = runner.invoke(app, ["import", "rvtools", vc1(tmp_path).name, "--base", "base",
                                     "--mapping", where, "--out", "out"])  # fmt: skip
        assert result.exit_code == 2
        assert f"{where}: error: mapping:" in result.output
    assert base.exists()
    assert not (tmp_path / "out").exists()


def test_read_mapping_gives_defaults(tmp_path: Path) -> None:
    findings = Findings()
    path = mapping(tmp_path, "rooms: [{default: a}]\nzones: [{default: b}]\n"
                   "owners: [{default: c}]\n")  # fmt: skip
    got = read_mapping(path, findings)
    assert not findings.items
    assert got is not None
    assert (got.compute.vcpu_per_core, got.compute.memory_headroom) == (4, 0.8)
    assert (got.skip.templates, got.skip.powered_off, got.workloads.group_by) == (
        True,
        False,
        "folder",
    )
    assert got.defaults.migration_cost_per_vm == 1500


# --------------------------------------------------------------------------- base estate


def test_an_invalid_base_is_named(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    (base / "rooms.yaml").write_text("rooms:\n  - {id: hq-dc, site: nowhere, racks: 1, "
                                     "power_kw: 1, annual_cost: 1}\n")  # fmt: skip
    out = refused(vc1(tmp_path).name, base=base)
    assert "base/rooms.yaml:2: error: rooms 'hq-dc' field 'site'" in out


def test_a_base_holding_an_earlier_import(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    (base / "imported.yaml").write_text("workloads: []\n", encoding="utf-8")
    out = refused(vc1(tmp_path).name, base=base)
    assert "imported.yaml: error: file: the base estate already holds imported.yaml" in out


def test_missing_base(tmp_path: Path) -> None:
    out = refused(vc1(tmp_path).name, base=tmp_path / "nobase")
    assert "nobase" in out
    assert "no such file or directory" in out


# --------------------------------------------------------------------------- junk


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("junk.xlsx", b"\x00\x01binary junk" * 50, "junk.xlsx: error: export: cannot read the "
         "workbook"),
        ("empty.xlsx", b"", "empty.xlsx: error: export: cannot read the workbook"),
        ("broken.xls", b"\xd0\xcf\x11\xe0", "broken.xls: error: export: cannot read the "
         "workbook"),
        ("one.csv", b"VM,CPUs\n", "'.csv' is not an RVTools export"),
    ],
)  # fmt: skip
def test_files_that_are_not_exports(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    (tmp_path / name).write_bytes(content)
    assert expected in refused(name)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as z:
        z.writestr("hello.txt", "hi")
    assert "z.xlsx: error: export: cannot read the workbook" in refused("z.xlsx")


def test_a_damaged_sheet(tmp_path: Path) -> None:
    import zipfile

    good = vc1(tmp_path)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # cut off mid-sheet
            dst.writestr(item, data)
    out = refused("bad.xlsx")
    assert "bad.xlsx" in out
    assert "vInfo" in out


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x00\x00junk", b"\xff\xfe\x00\x00", b'VM\n"unterminated', b"\r\n\r\n"],
)
def test_csv_folders_holding_junk(tmp_path: Path, content: bytes) -> None:
    folder = write_csv_folder(tmp_path / "csvs", sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES))
    (folder / "RVTools_tabvInfo.csv").write_bytes(content)
    out = refused("csvs")
    assert "csvs/RVTools_tabvInfo.csv" in out


def test_an_empty_folder_and_a_missing_export(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    out = refused("nothing", "missing.xlsx")
    assert "nothing/RVTools_tabvInfo.csv: error: vInfo: the export has no vInfo file" in out
    assert "missing.xlsx: error: export: no such file or folder" in out


def test_every_problem_at_once(tmp_path: Path) -> None:
    tabs = sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES)
    del tabs["vHost"]
    out = refused(book("v.xlsx", tabs), vc2(tmp_path).name,
                  text=MAPPING.replace("room: hq-dc}", "room: nope}"))  # fmt: skip
    assert "no vHost sheet" in out
    assert "no room 'nope'" in out


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("cell", "value"),
    [(4, 4), (4.0, 4), ("4", 4), (" 16,384 ", 16384), ("1.5", 1.5), ("1e3", 1000), (None, None),
     ("", None), (2.25, 2.25)],
)  # fmt: skip
def test_number_cells(cell: Any, value: Any) -> None:
    assert number(cell) == value


@pytest.mark.parametrize("cell", ["four", "-1", -1, True, float("nan"), "1/2", "1,5", "0x10"])
def test_cells_that_are_not_numbers(cell: Any) -> None:
    with pytest.raises(CellError):
        number(cell)


def test_flag_cells() -> None:
    assert [flag(c) for c in (True, "True", "false", "1", 0, None, "", "yes")] == [
        True, True, False, True, False, False, False, True,
    ]  # fmt: skip
    with pytest.raises(CellError):
        flag("maybe")


def test_a_group_beyond_the_inventorys_bounds() -> None:
    vms = [vm("huge", 20_000_000, 1024, 1024, "Big", "HQ", "HQ-C1", "esx1", "vc1.local")]
    out = refused(book("v.xlsx", sheets(vms, VC1_HOSTS, VC1_DATASTORES)))
    assert (
        "v.xlsx:2: error: workloads 'big' field 'vcpu': group 'Big' (1 VM(s), the first on this "
        "row) needs 20,000,000 vcpu, more than the 10,000,000 one workload may have"
    ) in out
