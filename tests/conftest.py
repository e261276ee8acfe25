"""Shared paths and helpers for the tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from planner.inventory.load import Loaded

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
VALID_SMALL = DATA / "valid-small"


@pytest.fixture
def small_estate(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/valid-small that a test may change."""
    target = tmp_path / "estate"
    shutil.copytree(VALID_SMALL, target)
    return target


BUNDLED = ("tiny", "worcestershire", "cambridgeshire", "cheshire")
"""The example estates under inventories/."""


@pytest.fixture(scope="session")
def bundled_plan() -> Callable[[str], tuple[Loaded, dict[str, Any]]]:
    """plan.json of inventories/NAME, optimised once per test session and shared.

    Options: 20 s time limit, 2 workers, no counterfactual reasons (they are not
    what these tests are about). Callers must not change the returned plan.
    """
    from planner.inventory.validate import load_and_validate
    from planner.optimise import OptimiseOptions, optimise

    cache: dict[str, tuple[Loaded, dict[str, Any]]] = {}

    def get(name: str) -> tuple[Loaded, dict[str, Any]]:
        if name not in cache:
            loaded = load_and_validate(ROOT / "inventories" / name)
            assert loaded.ok, [p.render() for p in loaded.findings.errors]
            options = OptimiseOptions(time_limit_s=20, workers=2, explain_reasons=False)
            cache[name] = (loaded, optimise(loaded, options).plan)
        return cache[name]

    return get
