"""The import contracts of pyproject.toml ([tool.importlinter]): data flows one way, the
checker and the reports are independent of the optimiser, the solver, target and
schedule are entered by their front doors, and no import cycle exists in planner/.

`lint-imports` runs on the package as it is, and on a copy with one forbidden import
added, which it must reject (so the contracts can fail)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"


def lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_contracts_hold() -> None:
    result = lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("checker/extra.py", "import planner.solver\n", "The checker shares no logic"),
        ("reports/extra.py", "import planner.inventory.items\n", "The reports read plan.json"),
        ("inventory/extra.py", "import planner.target\n", "Data flows one way"),
        ("plan/extra.py", "from planner.solver.search import check_hint\n", "front doors"),
        ("solver/extra.py", "import planner.solver.layers\n", "No import cycle"),
    ],
)
def test_a_broken_contract_is_caught(tmp_path: Path, module: str, line: str, contract: str) -> None:
    shutil.copytree(ROOT / "planner", tmp_path / "planner")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "planner" / module).write_text(line, encoding="utf-8")
    if module == "solver/extra.py":  # extra <-> layers: a cycle between siblings
        layers = tmp_path / "planner" / "solver" / "layers.py"
        layers.write_text(layers.read_text() + "\nimport planner.solver.extra\n")
    result = lint(tmp_path, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout
