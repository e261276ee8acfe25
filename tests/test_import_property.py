"""Property: an imported estate's plan never puts more vCPU, memory or storage in a room
than its hosts give, in any month (spec/import.md, rule 2 with rule 10).

Hypothesis draws a synthetic export (planner.generate.rvtools: 2 vCenters, up to 9
datacenters) and how tightly the mapping turns hosts into capacity (vCPU per core,
memory and storage headroom); the import must then validate or refuse with exit 2
(today's VMs over a room's capacity), and every plan of an accepted estate must pass
the independent checker (which judges every month's state) and this suite's own
month-by-month verifier.
"""

from __future__ import annotations

import pytest
from helpers.migration_verify import verify_months
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.checker import check_plan
from planner.cli import app
from planner.generate.rvtools import (
    synthetic_exports,
    synthetic_mapping,
    write_csv_folder,
    write_synthetic_base,
)
from planner.inventory.validate import load_and_validate
from planner.optimise import OptimiseOptions, optimise


def _tighten(mapping: str, vcpu_per_core: float, memory: float, storage: float) -> str:
    return (
        mapping.replace("vcpu_per_core: 4", f"vcpu_per_core: {vcpu_per_core}")
        .replace("memory_headroom: 0.8", f"memory_headroom: {memory}")
        .replace("storage_headroom: 0.8", f"storage_headroom: {storage}")
    )


@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    vms=st.integers(150, 320),
    hosts=st.integers(14, 30),
    vcpu_per_core=st.sampled_from([2.8, 3.2, 3.6, 4.0]),
    memory=st.sampled_from([0.7, 0.75, 0.8]),
    storage=st.sampled_from([0.7, 0.8]),
)
def test_plans_of_imported_estates_keep_compute_every_month(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    vms: int,
    hosts: int,
    vcpu_per_core: float,
    memory: float,
    storage: float,
) -> None:
    work = tmp_path_factory.mktemp("imported")
    exports = synthetic_exports(vms, hosts, vcenters=2, seed=seed)
    paths = []
    for export in exports:
        write_csv_folder(export, work / export.vcenter)
        paths.append(str(work / export.vcenter))
    write_synthetic_base(work / "base", exports)
    mapping = work / "mapping.yaml"
    mapping.write_text(_tighten(synthetic_mapping(exports), vcpu_per_core, memory, storage))
    args = ["import", "rvtools", *paths, "--base", str(work / "base")]
    args += ["--mapping", str(mapping), "--out", str(work / "estate")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:  # today's VMs need more than the hosts give: said so
        assert "today's workloads take" in result.output, result.output
        return
    loaded = load_and_validate(work / "estate")
    assert loaded.ok
    assert any(r.vcpu is not None for r in loaded.inventory.rooms)
    options = OptimiseOptions(time_limit_s=10, workers=1, explain_reasons=False)
    plan = optimise(loaded, options).plan
    assert plan["solver"]["status"] in ("optimal", "feasible")
    report = check_plan(loaded, plan)
    assert report.ok, [v.render() for v in report.violations[:10]]
    assert verify_months(loaded.inventory, plan) == []
