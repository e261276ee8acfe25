"""The inventory reader is split into modules with one job each (issue 9).

Every module of planner/inventory says its job in a docstring; the modules that read
files are short enough to follow, with no function longer than a screen; and the names
other modules import from planner.inventory.load still work.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

INVENTORY = Path(__file__).resolve().parent.parent / "planner" / "inventory"
READING = ("load", "raw", "yaml_reader", "yaml_values", "tables", "parse")
"""The modules that load.py (943 lines) was split into."""
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 400


@pytest.mark.parametrize("path", sorted(INVENTORY.glob("*.py")), ids=lambda p: p.name)
def test_every_module_says_its_job(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    if path.name == "__init__.py":
        return
    assert doc, f"{path.name} has no module docstring"
    assert len(doc.split()) >= 5, f"{path.name}: say what the module is for"


@pytest.mark.parametrize("name", READING)
def test_reading_modules_are_short(name: str) -> None:
    path = INVENTORY / f"{name}.py"
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{name}.py is too long"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{name}.{node.name} has {length} lines"


def test_load_keeps_its_public_names() -> None:
    load = importlib.import_module("planner.inventory.load")
    for name in (
        "Loaded",
        "load_estate",
        "inventory_sha256",
        "inventory_files",
        "read_file",
        "INPUT_SUFFIXES",
        "YAML_SUFFIXES",
        "TABLE_SUFFIXES",
        "PLACEHOLDER_ESTATE",
    ):
        assert hasattr(load, name), name
