"""The docs stay true: every inventory field and every plan.json key is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.inventory.items import SECTIONS, Dependency, Estate

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/inventory-format.md has no '## {heading}' section"
    return match.group(1)


@pytest.mark.parametrize("section", ["estate", *SECTIONS])
def test_every_inventory_field_is_documented(section: str) -> None:
    text = (DOCS / "inventory-format.md").read_text()
    model = Estate if section == "estate" else SECTIONS[section]
    body = _section(text, section)
    for field in model.model_fields:
        row = re.compile(rf"^\| `{field}`( \*ext\*)? \|", re.M)
        assert row.search(body), f"{section}.{field} is not in docs/inventory-format.md"


def test_dependency_fields_are_documented() -> None:
    text = (DOCS / "inventory-format.md").read_text()
    for field in Dependency.model_fields:
        assert field in _section(text, "workloads")


def test_every_module_docs_architecture_names_exists() -> None:
    """docs/architecture.md stays true to the tree: every module and package it names
    (``planner/inventory/graph.py``, ``families/capacity.py``, ``sections/``) exists."""
    root = DOCS.parent
    text = (DOCS / "architecture.md").read_text()
    files = {p.relative_to(root).as_posix() for p in root.glob("planner/**/*.py")}
    files |= {p.relative_to(root).as_posix() for p in root.glob("tests/**/*.py")}
    folders = {p.relative_to(root).as_posix() + "/" for p in (root / "planner").rglob("*/")}
    folders.add("planner/")
    named = set(re.findall(r"(?<![\w.])((?:planner/)?[\w/]*[\w]+(?:\.py|/))(?=[\s`:,)]|$)", text))
    named = {n for n in named if n.endswith(".py") or n.startswith("planner/")}
    assert len(named) > 40
    for name in sorted(named):
        hits = [f for f in files | folders if f == name or f.endswith("/" + name)]
        assert hits, f"docs/architecture.md names {name}, which is not in the tree"
