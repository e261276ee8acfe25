"""inventories/wychavon-vmware: the README's walk-through, run as it is written.

Import the two RVTools exports through the command line, validate, optimise in process
(one worker, as the README asks for the same months), check the plan with the
independent checker; then the facts the README states: the import's figures, the
rooms' fate, and vCPU binding in May 2026 (Pershore full while the remote desktop farm
waits for the Citrix farm to leave). Last, make_export.py writes the committed export
files again, byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from planner.checker import check_plan
from planner.cli import app
from planner.inventory.load import Loaded
from planner.inventory.validate import load_and_validate
from planner.optimise import OptimiseOptions, optimise

EXAMPLE = Path(__file__).resolve().parents[1] / "inventories" / "wychavon-vmware"
EXPORTS = EXAMPLE / "exports"
README = (EXAMPLE / "README.md").read_text(encoding="utf-8")
SUMMARY = (
    "93 VMs read from 2 export(s): 80 in 29 workloads, 13 skipped (skip rule 8, "
    "template 5); 2 of 2 rooms with compute capacity: valid"
)

Plan = dict[str, Any]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`planner import rvtools` as the README runs it: (the estate directory, its output)."""
    out = tmp_path_factory.mktemp("wychavon") / "estate"
    result = CliRunner().invoke(
        app,
        [
            "import",
            "rvtools",
            str(EXPORTS / "wychavon-vcenter.xlsx"),
            str(EXPORTS / "malvern-vcenter"),
            "--base",
            str(EXAMPLE / "base"),
            "--mapping",
            str(EXAMPLE / "mapping.yaml"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def planned(imported: tuple[Path, str]) -> tuple[Loaded, Plan]:
    """Validated and optimised as `planner optimise --workers 1 --time-limit 20` does."""
    loaded = load_and_validate(imported[0])
    assert loaded.ok, [p.render() for p in loaded.findings.errors]
    assert not loaded.findings.warnings, [p.render() for p in loaded.findings.warnings]
    options = OptimiseOptions(time_limit_s=20, workers=1, seed=0)
    return loaded, optimise(loaded, options).plan


def demands(estate: Path) -> dict[str, dict[str, float]]:
    """workload -> its vcpu, memory_gib and storage_tib, from every file of the estate."""
    out = {}
    for path in sorted(estate.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for w in doc.get("workloads", []):
            out[w["id"]] = {k: float(w.get(k, 0)) for k in ("vcpu", "memory_gib", "storage_tib")}
    return out


def room(plan: Plan, ident: str) -> dict[str, Any]:
    return next(r for r in plan["rooms"] if r["id"] == ident)


def test_the_import_reads_what_the_readme_says(imported: tuple[Path, str]) -> None:
    out, output = imported
    assert SUMMARY in output
    assert f"wrote /tmp/wychavon: {SUMMARY}" in README
    doc = yaml.safe_load((out / "imported.yaml").read_text(encoding="utf-8"))
    capacities = {r["room"]: r for r in doc["room_compute"]}
    assert capacities["pershore-mr"] == {
        "room": "pershore-mr",
        "vcpu": 344,
        "memory_gib": 1843.2,
        "storage_tib": 41.6,
    }
    assert capacities["malvern-mr"]["vcpu"] == 240
    report = (out / "import-report.md").read_text(encoding="utf-8")
    for row in (
        "| `malvern-mr` | 30 | 13 | 156 / 240 (exports) | 656 / 1,228.8 (exports) "
        "| 13.316 / 16 (exports) |",
        "| `pershore-mr` | 50 | 16 | 256 / 344 (exports) | 1,229 / 1,843.2 (exports) "
        "| 24.902 / 41.6 (exports) |",
    ):
        assert row in report
        assert row in README


def test_the_plan_is_optimal_and_passes_the_checker(planned: tuple[Loaded, Plan]) -> None:
    loaded, plan = planned
    report = check_plan(loaded, plan)
    assert report.ok, [v.render() for v in report.violations]
    assert plan["solver"]["status"] == "optimal"
    assert plan["solver"]["schedule_status"] == "optimal"
    assert plan["solver"]["objective"] == pytest.approx(1_327_823.3, abs=0.01)
    assert "objective £1,327,823" in README
    costs = plan["costs"]
    assert (costs["baseline_steady"], costs["planned_steady"], costs["one_off"]) == (
        362_000,
        254_000,
        181_000,
    )
    assert plan["finance"]["payback_month"] == "2028-05"
    assert plan["finance"]["npv"] == pytest.approx(262_665.91, abs=0.01)
    decisions = {r["id"]: (r["decision"], r["open_month"], r["close_month"]) for r in plan["rooms"]}
    assert decisions == {
        "colo-hall": ("open", "2026-06", None),
        "malvern-mr": ("close", None, "2026-07"),
        "pershore-mr": ("keep", None, None),
    }
    moved = {a["workload"]: (a["to"], a["month"]) for a in plan["assignments"] if a["month"]}
    assert moved["wychavon-citrix-live"] == ("colo-hall", "2026-06")
    assert moved["malvern-backup"] == ("colo-hall", "2026-06")
    assert moved["malvern-hills-rds-live"] == ("pershore-mr", "2026-06")
    # every other Malvern Hills workload goes to Pershore, in April or May
    malvern = [a for a in plan["assignments"] if a["from"] == "malvern-mr"]
    assert len(malvern) == 15
    for a in malvern:
        if a["workload"] not in ("malvern-backup", "malvern-hills-rds-live"):
            assert a["to"] == "pershore-mr"
            assert a["month"] in ("2026-04", "2026-05"), a
    assert [(w["month"], w["days"]) for w in plan["waves"]] == [
        ("2026-04", 7),
        ("2026-05", 8),
        ("2026-06", 8),
    ]


def test_vcpu_binds_in_may_while_the_remote_desktops_wait(
    imported: tuple[Path, str], planned: tuple[Loaded, Plan]
) -> None:
    """Pershore reaches its vCPU capacity in the middle of the migration (not only at the
    end), and an entrant that could not fit then moves in only when a leaver has gone."""
    _, plan = planned
    pershore = room(plan, "pershore-mr")
    capacity = pershore["vcpu"]
    assert capacity == 344
    assert pershore["vcpu_used_before"] == 256
    assert pershore["vcpu_used_after"] == 340
    peak = next(p for p in pershore["peaks"] if p["resource"] == "vcpu")
    assert peak == {"resource": "vcpu", "month": "2026-05", "used": 344}
    assert '{"resource": "vcpu", "month": "2026-05", "used": 344.0}' in README

    # Recompute Pershore's vCPU month by month from the moves (each month after its moves).
    need = demands(imported[0])
    delta: dict[str, float] = defaultdict(float)
    entrants: dict[str, list[str]] = defaultdict(list)
    leavers: dict[str, list[str]] = defaultdict(list)
    for a in plan["assignments"]:
        if a["month"] is None:
            continue
        if a["to"] == "pershore-mr":
            delta[a["month"]] += need[a["workload"]]["vcpu"]
            entrants[a["month"]].append(a["workload"])
        if a["from"] == "pershore-mr":
            delta[a["month"]] -= need[a["workload"]]["vcpu"]
            leavers[a["month"]].append(a["workload"])
    use, by_month = pershore["vcpu_used_before"], {}
    for month in sorted(delta):
        use += delta[month]
        by_month[month] = use
        assert use <= capacity
    assert by_month == {"2026-04": 276, "2026-05": 344, "2026-06": 340}
    # The first leaver goes in June; everything that arrived before filled the free vCPU.
    assert sorted(leavers) == ["2026-06"]
    assert leavers["2026-06"] == ["wychavon-citrix-live"]
    before = sum(need[w]["vcpu"] for m in entrants if m < "2026-06" for w in entrants[m])
    assert before == capacity - pershore["vcpu_used_before"] == 88
    # The remote desktop farm (68 vCPU) did not fit in May's full room: it waited for June.
    assert entrants["2026-06"] == ["malvern-hills-rds-live"]
    assert by_month["2026-05"] + need["malvern-hills-rds-live"]["vcpu"] > capacity
    # Memory and storage stay below their capacities throughout.
    for resource in ("memory_gib", "storage_tib"):
        top = next(p for p in pershore["peaks"] if p["resource"] == resource)
        assert top["used"] < pershore[resource]


def test_make_export_writes_the_committed_files(tmp_path: Path) -> None:
    script = EXAMPLE / "make_export.py"
    subprocess.run(
        [sys.executable, str(script), str(tmp_path)], check=True, capture_output=True, timeout=120
    )
    committed = sorted(p.relative_to(EXPORTS) for p in EXPORTS.rglob("*") if p.is_file())
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == committed
    assert len(committed) == 6  # the workbook and five CSV tabs
    for name in committed:
        assert (tmp_path / name).read_bytes() == (EXPORTS / name).read_bytes(), name
