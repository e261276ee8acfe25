"""Shared paths and helpers for the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
VALID_SMALL = DATA / "valid-small"


@pytest.fixture
def small_estate(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/valid-small that a test may change."""
    target = tmp_path / "estate"
    shutil.copytree(VALID_SMALL, target)
    return target
