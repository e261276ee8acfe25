"""`planner import rvtools`: known totals per room and zone from small exports written in
the tests (tests/helpers/rvtools_exports.py), both file forms, MB and MiB headers, two
vCenters with a repeated VM name, grouping modes, split groups, skip reasons, room
capacities, --dry-run, --force, --init-mapping, and an imported estate that validates
and optimises."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.rvtools_exports import (
    MAPPING,
    VC1_DATASTORES,
    VC1_HOSTS,
    VC1_VMS,
    VC2_DATASTORES,
    VC2_HOSTS,
    VC2_VMS,
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
from planner.inventory.validate import load_and_validate

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path, so files are named as a user would type them (vc1.xlsx:6)."""
    monkeypatch.chdir(tmp_path)


def run(*args: Any) -> Any:
    """`planner import rvtools ARGS`, paths under the working directory made relative."""
    here = Path.cwd()
    shown = [str(a.relative_to(here)) if isinstance(a, Path) and a.is_relative_to(here)
             else str(a) for a in args]  # fmt: skip
    return runner.invoke(app, ["import", "rvtools", *shown])


def imported(out: Path) -> dict[str, Any]:
    doc = yaml.safe_load((out / "imported.yaml").read_text(encoding="utf-8"))
    return {
        "workloads": {w["id"]: w for w in doc.get("workloads", [])},
        "room_compute": {r["room"]: r for r in doc.get("room_compute", [])},
    }


def do_import(tmp_path: Path, text: str = MAPPING, *exports: Path, code: int = 0) -> Path:
    """Import vc1 and vc2 (or ``exports``) with the mapping ``text``; return --out."""
    base = tmp_path / "base" if (tmp_path / "base").exists() else base_estate(tmp_path)
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    exports = exports or (vc1(tmp_path), vc2(tmp_path))
    result = run(*exports, "--base", base, "--mapping", mapping(tmp_path, text), "--out", out)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return out


# --------------------------------------------------------------------------- known totals


def test_known_workloads_rooms_and_capacities(tmp_path: Path) -> None:
    out = do_import(tmp_path)
    got = imported(out)
    w = got["workloads"]
    assert sorted(w) == [
        "city-revs",
        "city-spare",
        "county-cctv",
        "county-finance-guildhall-mr",
        "county-finance-hq-dc",
    ]
    fin = w["county-finance-hq-dc"]
    assert fin == {
        "id": "county-finance-hq-dc",
        "organisation": "county",
        "name": "County/Finance (hq-dc)",
        "zone": "official",
        "room": "hq-dc",
        "racks": 0,
        "power_kw": 0,
        "vcpu": 6,
        "memory_gib": 20,
        "storage_tib": 0.586,  # (102400 + 512000) / 1024 / 1024 = 0.5859375, rounded up
        "users": ["hq", "depot"],
        "max_latency_ms": 10,
        "migration_cost": 2000,
        "migration_days": 0.5,
    }
    revs = w["city-revs"]  # vc2: MB headers, the fin-app of vCenter vc2
    assert (revs["room"], revs["organisation"], revs["vcpu"], revs["memory_gib"]) == (
        "guildhall-mr",
        "city",
        6,
        10,
    )
    assert revs["storage_tib"] == 0.215  # 225280 MiB = 0.21484375 TiB, rounded up
    assert revs["users"] == ["guildhall"]  # far reaches nothing: left out
    assert w["city-spare"]["memory_gib"] == 1.5
    assert w["city-spare"]["storage_tib"] == 0.01  # 0.009765625 rounded up
    cctv = w["county-cctv"]
    assert (cctv["zone"], cctv["users"], cctv["storage_tib"]) == ("secure", ["hq"], 1)
    assert got["room_compute"] == {
        "hq-dc": {"room": "hq-dc", "vcpu": 128, "memory_gib": 256, "storage_tib": 2},
        # guildhall-mr states vcpu: 1000 itself: kept, and not written again
        "guildhall-mr": {"room": "guildhall-mr", "memory_gib": 96, "storage_tib": 1.5},
    }
    loaded = load_and_validate(out)
    assert loaded.ok
    assert loaded.inventory.room["guildhall-mr"].vcpu == 1000
    assert loaded.inventory.room["hq-dc"].memory_gib == 256


def test_report_totals_per_room_and_zone(tmp_path: Path) -> None:
    report = (do_import(tmp_path) / "import-report.md").read_text(encoding="utf-8")
    # hq-dc: fin-app, fin-db, cctv = 7 vCPU, 22 GiB; guildhall-mr: 4 VMs, 9 vCPU, 15.5 GiB
    assert (
        "| `hq-dc` | 3 | 2 | 7 / 128 (exports) | 22 / 256 (exports) | 1.586 / 2 (exports) |"
        in report
    )
    assert "| `guildhall-mr` | 4 | 3 | 9 / 1,000 (base estate) | 15.5 / 96 (exports) |" in report
    assert "| `official` | 6 | 4 | 15 | 35.5 | 0.909 |" in report
    assert "| `secure` | 1 | 1 | 1 | 2 | 1 |" in report
    assert "| `city` | 3 | 2 | 7 | 11.5 | 0.225 |" in report
    assert "Over capacity today: none" in report
    assert "County/Finance: split by room into `county-finance-guildhall-mr` (1 VM)" in report
    assert "| `gold` | `vc1.local` | template | vc1.xlsx:6 |" in report
    assert "| `legacy-old` | `vc1.local` | skip rule (mapping.yaml:13) | vc1.xlsx:7 |" in report
    assert "### `vc1.xlsx` (workbook)" in report
    assert "- VMs read: 7; in workloads: 5; skipped: 2 (1 skip rule, 1 template)" in report


def test_summary_line_and_valid(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    result = run(vc1(tmp_path), vc2(tmp_path), "--base", base, "--mapping", mapping(tmp_path),
                 "--out", tmp_path / "out")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "9 VMs read from 2 export(s): 7 in 5 workloads, 2 skipped (skip rule 1, template 1); "
        "2 of 2 rooms with compute capacity: valid"
    ) in " ".join(result.output.split())


def test_base_files_are_copied_unchanged(tmp_path: Path) -> None:
    out = do_import(tmp_path)
    for name in ("estate.yaml", "rooms.yaml"):
        assert (out / name).read_bytes() == (tmp_path / "base" / name).read_bytes()
    assert sorted(p.name for p in out.iterdir()) == [
        "estate.yaml",
        "import-report.md",
        "imported.yaml",
        "rooms.yaml",
    ]


def test_same_bytes_every_time(tmp_path: Path) -> None:
    first = do_import(tmp_path)
    text = (first / "imported.yaml").read_bytes(), (first / "import-report.md").read_bytes()
    again = do_import(tmp_path)
    assert (
        (again / "imported.yaml").read_bytes(),
        (again / "import-report.md").read_bytes(),
    ) == text


# --------------------------------------------------------------------------- file forms


def test_csv_folder_and_workbook_give_the_same_workloads(tmp_path: Path) -> None:
    """vc1 as a CSV folder (MiB, no BOM) and vc2 as a workbook (MB headers)."""
    xlsx_out = imported(do_import(tmp_path))
    other = tmp_path / "other"
    other.mkdir()
    shutil.copytree(tmp_path / "base", other / "base")
    csv1 = write_csv_folder(other / "vc1", sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES), bom=False)
    xlsx2 = write_xlsx(other / "vc2.xlsx", sheets(VC2_VMS, VC2_HOSTS, VC2_DATASTORES, mb=True))
    assert imported(do_import(other, MAPPING, csv1, xlsx2)) == xlsx_out


def test_csv_with_semicolons_and_text_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "semi"
    folder.mkdir()
    for name, rows in sheets(VC1_VMS, VC1_HOSTS, VC1_DATASTORES).items():
        text = "\n".join(";".join("" if c is None else str(c) for c in row) for row in rows)
        (folder / f"RVTools_tab{name}.csv").write_text(text + "\n", encoding="utf-8")
    got = imported(do_import(tmp_path, MAPPING, folder))
    assert got["workloads"]["county-finance-hq-dc"]["vcpu"] == 6
    assert got["room_compute"]["hq-dc"]["vcpu"] == 128


def test_thousands_separators_and_whole_floats(tmp_path: Path) -> None:
    vms = [vm("a", "2", "16,384", 1048576.0, "F", "HQ", "HQ-C1", "esx1", "vc1.local")]
    book = write_xlsx(tmp_path / "v.xlsx", sheets(vms, VC1_HOSTS, VC1_DATASTORES))
    w = imported(do_import(tmp_path, MAPPING, book))["workloads"]["f"]
    assert (w["vcpu"], w["memory_gib"], w["storage_tib"]) == (2, 16, 1)


# --------------------------------------------------------------------------- grouping


def test_group_by_vm_keeps_a_repeated_name_apart(tmp_path: Path) -> None:
    out = do_import(tmp_path, MAPPING.replace("group_by: folder", "group_by: vm"))
    w = imported(out)["workloads"]
    one, two = w["fin-app-vc1.local"], w["fin-app-vc2.local"]
    assert (one["name"], two["name"]) == ("fin-app [vc1.local]", "fin-app [vc2.local]")
    assert (one["room"], two["room"]) == ("hq-dc", "guildhall-mr")
    assert (one["organisation"], two["organisation"]) == ("county", "city")
    assert (one["vcpu"], one["memory_gib"], two["memory_gib"]) == (2, 4, 2)
    assert len(w) == 7
    assert w["fin-db"]["migration_cost"] == 1000


def test_group_by_name_regex_and_prefix(tmp_path: Path) -> None:
    text = MAPPING.replace("group_by: folder", 'group_by: "name:^([a-z]+)-"\n  id_prefix: vm-')
    w = imported(do_import(tmp_path, text))["workloads"]
    # fin-app, fin-db (hq-dc) | fin-dr (guildhall-mr) | fin-app, revs-db (vc2) | cctv, spare alone
    assert sorted(w) == [
        "vm-cctv",
        "vm-fin-guildhall-mr-city",
        "vm-fin-guildhall-mr-county",
        "vm-fin-hq-dc-county",
        "vm-revs",
        "vm-spare",
    ]
    assert w["vm-fin-hq-dc-county"]["vcpu"] == 6
    assert w["vm-fin-guildhall-mr-county"]["name"] == "fin (guildhall-mr, county)"
    report = (tmp_path / "out" / "import-report.md").read_text(encoding="utf-8")
    assert "fin: split by room and organisation" in report
    assert "2 VMs had no name:^([a-z]+)- to group by" in report


def test_group_by_annotation_and_resource_pool(tmp_path: Path) -> None:
    vms = [
        vm("a1", 1, 1024, 1024, "F", "HQ", "HQ-C1", "esx1", "vc1.local",
           annotation="\nPayroll\nowner: HR", pool="Gold"),
        vm("a2", 1, 1024, 1024, "F", "HQ", "HQ-C1", "esx1", "vc1.local",
           annotation="Payroll", pool="Gold"),
        vm("a3", 1, 1024, 1024, "F", "HQ", "HQ-C1", "esx1", "vc1.local", pool="Silver"),
    ]  # fmt: skip
    book = write_xlsx(tmp_path / "v.xlsx", sheets(vms, VC1_HOSTS, VC1_DATASTORES))
    text = MAPPING.replace("group_by: folder", "group_by: annotation")
    assert sorted(imported(do_import(tmp_path, text, book))["workloads"]) == ["a3", "payroll"]
    text = MAPPING.replace("group_by: folder", "group_by: resource_pool")
    w = imported(do_import(tmp_path, text, book))["workloads"]
    assert (w["gold"]["vcpu"], w["silver"]["vcpu"]) == (2, 1)


def test_a_group_split_by_zone(tmp_path: Path) -> None:
    text = MAPPING.replace('{match: {network: "SECURE-*"}, zone: secure}',
                           '{match: {vm: "fin-db"}, zone: secure}')  # fmt: skip
    w = imported(do_import(tmp_path, text))["workloads"]
    assert w["county-finance-hq-dc-secure"]["vcpu"] == 4
    assert w["county-finance-hq-dc-official"]["vcpu"] == 2
    assert w["county-finance-guildhall-mr-official"]["vcpu"] == 2


def test_ids_avoid_the_base_estates_workloads(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    (base / "physical.yaml").write_text(
        "workloads:\n  - {id: city-revs, organisation: city, zone: official, room: hq-dc, "
        "racks: 1, power_kw: 2, vcpu: 100}\n",
        encoding="utf-8",
    )
    out = do_import(tmp_path)
    w = imported(out)["workloads"]
    assert "city-revs" not in w
    assert w["city-revs-2"]["name"] == "City/Revs"
    report = (out / "import-report.md").read_text(encoding="utf-8")
    assert "| `hq-dc` | 3 | 2 | 107 / 128 (exports)" in report  # the base's 100 vCPU count


# --------------------------------------------------------------------------- skipping


def test_skip_reasons(tmp_path: Path) -> None:
    text = MAPPING.replace("skip:\n", "skip:\n  powered_off: true\n")
    vms = [*VC1_VMS, vm("srm", 8, 8192, 8192, "County/Finance", "HQ", "HQ-C1", "esx1",
                        "vc1.local")]  # fmt: skip
    vms[-1][3] = True  # SRM Placeholder
    book = write_xlsx(tmp_path / "v.xlsx", sheets(vms, VC1_HOSTS, VC1_DATASTORES))
    out = do_import(tmp_path, text, book)
    assert "city-spare" not in imported(out)["workloads"]
    report = (out / "import-report.md").read_text(encoding="utf-8")
    assert "| `spare` | `vc1.local` | powered off | v.xlsx:8 |" in report
    assert "| `srm` | `vc1.local` | SRM placeholder | v.xlsx:9 |" in report
    assert "skipped: 4 (1 SRM placeholder, 1 powered off, 1 skip rule, 1 template)" in report


def test_templates_kept_when_asked(tmp_path: Path) -> None:
    text = MAPPING.replace("skip:\n", "skip:\n  templates: false\n")
    w = imported(do_import(tmp_path, text))["workloads"]
    assert w["templates"]["vcpu"] == 2


# --------------------------------------------------------------------------- capacity


def test_capacity_rounds_down_and_demand_up(tmp_path: Path) -> None:
    text = MAPPING.replace("vcpu_per_core: 4", "vcpu_per_core: 0.3333").replace(
        "memory_headroom: 0.5", "memory_headroom: 0.3333"
    )
    got = imported(do_import(tmp_path, text, vc1(tmp_path)))
    hq = got["room_compute"]["hq-dc"]
    assert hq["vcpu"] == 10.665  # 32 x 0.3333 = 10.6656
    assert hq["memory_gib"] == 170.649  # 512 x 0.3333 = 170.6496


def test_over_capacity_is_reported_and_fails_validation(tmp_path: Path) -> None:
    text = MAPPING.replace("vcpu_per_core: 4", "vcpu_per_core: 0.1")
    out = do_import(tmp_path, text, code=2)
    report = (out / "import-report.md").read_text(encoding="utf-8")
    assert "7 / 3.2 (exports) **OVER**" in report
    assert "Over capacity today: `hq-dc` (vCPU)" in report
    assert "raise `compute.vcpu_per_core`" in report


def test_over_capacity_message(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    text = MAPPING.replace("vcpu_per_core: 4", "vcpu_per_core: 0.1")
    result = run(vc1(tmp_path), "--base", base, "--mapping", mapping(tmp_path, text),
                 "--out", tmp_path / "out")  # fmt: skip
    assert result.exit_code == 2
    assert "over-capacity-today" in result.output
    assert "invalid" in result.output


def test_rooms_without_hosts_are_not_limited(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "v.xlsx", sheets(VC1_VMS, [], []))
    out = do_import(tmp_path, MAPPING, book)
    assert imported(out)["room_compute"] == {}
    report = (out / "import-report.md").read_text(encoding="utf-8")
    assert "`hq-dc`: no host in the exports" in report


def test_host_rules_and_unplaced_hosts(tmp_path: Path) -> None:
    hosts = [*VC1_HOSTS, ["esx9", "Elsewhere", "X-C1", 64, 1048576, "vc1.local"]]
    datastores = [*VC1_DATASTORES, ["local", 1024, "", ""], ["ds9", 1024, "X-C1", "vc1.local"]]
    book = write_xlsx(tmp_path / "v.xlsx", sheets(VC1_VMS, hosts, datastores))
    out = do_import(tmp_path, MAPPING, book)
    assert imported(out)["room_compute"]["hq-dc"]["vcpu"] == 128
    report = (out / "import-report.md").read_text(encoding="utf-8")
    assert "Hosts no room rule matches (not counted): `esx9`" in report
    assert "Datastores not counted: 2 (1 no cluster; 1 cluster 'X-C1' is in no room" in report


# --------------------------------------------------------------------------- options


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    out = tmp_path / "out"
    result = run(vc1(tmp_path), vc2(tmp_path), "--base", base, "--mapping", mapping(tmp_path),
                 "--out", out, "--dry-run")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not out.exists()
    assert result.stdout.startswith("# Import report")
    assert "dry run (nothing written)" in result.output
    assert "valid" in result.output


def test_dry_run_without_out(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    result = run(vc1(tmp_path), "--base", base, "--mapping", mapping(tmp_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base", "mapping.yaml", "vc1.xlsx"]


def test_out_holding_files_needs_force(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.yaml").write_text("zones: []\n", encoding="utf-8")
    (out / "notes.txt").write_text("keep me\n", encoding="utf-8")
    args = [vc1(tmp_path), "--base", base, "--mapping", mapping(tmp_path), "--out", out]
    refused = run(*args)
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "stale.yaml"]
    forced = run(*args, "--force")
    assert forced.exit_code == 0, forced.output
    names = sorted(p.name for p in out.iterdir())
    assert "stale.yaml" not in names
    assert "notes.txt" in names
    assert "imported.yaml" in names


def test_out_may_not_be_the_base(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    result = run(vc1(tmp_path), "--base", base, "--mapping", mapping(tmp_path), "--out", base,
                 "--force")  # fmt: skip
    assert result.exit_code == 2
    assert "is or holds an input" in result.output
    assert not (base / "imported.yaml").exists()


def test_out_may_not_hold_an_export(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    result = run(vc1(tmp_path), "--base", base, "--mapping", mapping(tmp_path), "--out", ".",
                 "--force")  # fmt: skip
    assert result.exit_code == 2
    assert (tmp_path / "vc1.xlsx").exists()


def test_usage_errors(tmp_path: Path) -> None:
    assert run(vc1(tmp_path)).exit_code == 2
    assert run(vc1(tmp_path), "--init-mapping", "m.yaml", "--out", "x").exit_code == 2


def test_help_has_examples() -> None:
    result = runner.invoke(app, ["import", "rvtools", "--help"])
    assert result.exit_code == 0
    assert "--init-mapping" in result.output
    assert "planner import rvtools vc1.xlsx" in result.output


# --------------------------------------------------------------------------- --init-mapping


def test_init_mapping_lists_what_the_exports_hold(tmp_path: Path) -> None:
    base = base_estate(tmp_path)
    path = tmp_path / "new.yaml"
    result = run(vc1(tmp_path), vc2(tmp_path), "--init-mapping", path, "--base", base)
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    for found in ('datacenter: "HQ"', 'datacenter: "Guildhall-2"', 'network: "SECURE-1"',
                  'folder: "County/*"', 'folder: "City/*"', "rooms: hq-dc, guildhall-mr",
                  "clusters in HQ: HQ-C1 (5 VMs)"):  # fmt: skip
        assert found in text, found
    yaml.safe_load(text)
    # As written, its placeholders name no room: the import says where.
    out = tmp_path / "out"
    failed = run(vc1(tmp_path), vc2(tmp_path), "--base", base, "--mapping", path, "--out", out)
    assert failed.exit_code == 2
    assert "new.yaml:" in failed.output
    assert "CHANGE-ME-room" in failed.output
    assert not out.exists()
    filled = (
        text.replace("CHANGE-ME-room}    # 5", "hq-dc}    # 5")
        .replace("CHANGE-ME-room", "guildhall-mr")
        .replace("CHANGE-ME-zone", "official")
        .replace("CHANGE-ME-organisation", "county")
    )
    path.write_text(filled, encoding="utf-8")
    done = run(vc1(tmp_path), vc2(tmp_path), "--base", base, "--mapping", path, "--out", out)
    assert done.exit_code == 0, done.output


def test_init_mapping_keeps_an_existing_file(tmp_path: Path) -> None:
    path = mapping(tmp_path)
    result = run(vc1(tmp_path), "--init-mapping", path)
    assert result.exit_code == 2
    assert "--force" in result.output
    assert path.read_text(encoding="utf-8") == MAPPING
    assert run(vc1(tmp_path), "--init-mapping", path, "--force").exit_code == 0


def test_init_mapping_escapes_globs_and_quotes(tmp_path: Path) -> None:
    vms = [vm("a", 1, 1024, 1024, 'Odd "x"/[y]*', "DC [1]?", "C", "h", "vc")]
    book = write_xlsx(tmp_path / "v.xlsx", sheets(vms, [], []))
    path = tmp_path / "m.yaml"
    assert run(book, "--init-mapping", path).exit_code == 0
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["rooms"][0]["match"]["datacenter"] == "DC [[]1][?]"
    assert doc["owners"][0]["match"]["folder"] == 'Odd "x"/*'


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_an_imported_estate_optimises(tmp_path: Path) -> None:
    # One owner throughout: rooms' costs are shared by racks, and imported workloads
    # take none; with several owners in a room the plan and the checker share such a
    # room differently today (equally / all to the site's owner), which is not the
    # import's to settle.
    base = base_estate(tmp_path)
    estate = (base / "estate.yaml").read_text(encoding="utf-8")
    (base / "estate.yaml").write_text(
        estate.replace(
            "{id: guildhall, organisation: city", "{id: guildhall, organisation: county"
        ),
        encoding="utf-8",
    )
    out = do_import(
        tmp_path,
        MAPPING.replace(
            '{match: {folder: "City/*"}, organisation: city}',
            '{match: {folder: "City/*"}, organisation: county}',
        ),
    )
    result = runner.invoke(
        app,
        ["optimise", str(out), "--out", str(tmp_path / "plan"), "--time-limit", "5",
         "--workers", "1", "--quiet", "--no-reasons"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan" / "plan.json").exists()
