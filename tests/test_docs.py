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
