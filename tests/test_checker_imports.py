"""The checker is independent of the optimiser: it imports only the inventory package
and the standard library (the brief of `planner check`, spec/plan-format.md: "it must
not reuse the optimiser's model code")."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import planner

ROOT = Path(planner.__file__).resolve().parent
CHECKER = sorted((ROOT / "checker").glob("*.py"))
COMMAND = ROOT / "cli" / "commands" / "check.py"

ALLOWED_IN_CHECKER = ("planner.inventory", "planner.checker")
ALLOWED_IN_COMMAND = (*ALLOWED_IN_CHECKER, "planner.cli", "typer")
OPTIMISER = (
    "planner.graph",
    "planner.problem",
    "planner.solver",
    "planner.geo",
    "planner.schedule",
    "planner.plan",
    "planner.finance",
    "planner.optimise",
    "planner.staff",
    "planner.timeline",
    "planner.calendar",
    "planner.explain",
    "planner.reasons",
)


def imports(path: Path) -> list[str]:
    """Every module a file imports (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = "planner." + ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            out.append(module)
            # `from planner import graph` imports planner.graph
            out.extend(f"{module}.{alias.name}" for alias in node.names if module == "planner")
    return out


def allowed(module: str, prefixes: tuple[str, ...]) -> bool:
    top = module.split(".")[0]
    if top == "__future__" or (top in sys.stdlib_module_names and top != "planner"):
        return True
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_checker_package_exists() -> None:
    names = {p.name for p in CHECKER}
    assert {"__init__.py", "rules.py", "migration.py", "money.py", "latency.py"} <= names


def test_checker_imports_only_inventory_and_stdlib() -> None:
    bad = [
        f"{path.name}: {module}"
        for path in CHECKER
        for module in imports(path)
        if not allowed(module, ALLOWED_IN_CHECKER)
    ]
    assert not bad, bad


def test_check_command_imports_only_the_checker() -> None:
    bad = [m for m in imports(COMMAND) if not allowed(m, ALLOWED_IN_COMMAND)]
    assert not bad, bad


def test_importing_the_checker_loads_no_optimiser_module() -> None:
    code = (
        "import sys, planner.checker, planner.inventory.load; "
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('planner'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    leaked = [m for m in loaded if any(m == o or m.startswith(o + ".") for o in OPTIMISER)]
    assert not leaked, leaked


def test_the_import_scanner_sees_imports() -> None:
    # A self-test: a forbidden import in a checker-like file would be found.
    sample = ROOT / "checker" / "rules.py"
    assert "planner.checker.context" in imports(sample)
    assert not allowed("planner.graph", ALLOWED_IN_CHECKER)
    assert not allowed("ortools.sat.python.cp_model", ALLOWED_IN_CHECKER)
    assert allowed("heapq", ALLOWED_IN_CHECKER)
