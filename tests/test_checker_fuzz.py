"""The checker never fails with a traceback: any damage to a plan gives either a report
or PlanFormatError (exit 1 or 2 of `planner check`), never another exception."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.checker_case import sha_of, valid_plan, write_estate

from planner.checker import PlanFormatError, check_plan
from planner.inventory.validate import load_and_validate

IDS = ["h-mr", "n-dc-new", "s-mr", "care", "south-db", "north", "south-desk", "x", ""]
MONTHS = ["0000-01", "0001-01", "9999-12", "2026-12", "2027-01", "2027-02", "2028-03", "2028-04"]
VALUES: list[Any] = [
    None, True, False, 0, -1, 1, 2.5, -1e300, 1e300, float("nan"), float("inf"), "", "keep",
    "close", "open", "unused", [], {}, [1], {"a": 1}, *IDS, *MONTHS,
]  # fmt: skip


def _nodes(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, obj
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from _nodes(value, (*path, index))


def _damage(plan: dict[str, Any], rng: random.Random) -> None:
    for _ in range(rng.randint(1, 3)):
        path, node = rng.choice(list(_nodes(plan))[1:])
        parent: Any = plan
        for step in path[:-1]:
            parent = parent[step]
        roll = rng.random()
        if isinstance(node, list) and node and roll < 0.3:
            if rng.random() < 0.5:
                node.pop(rng.randrange(len(node)))
            else:
                node.append(copy.deepcopy(rng.choice(node)))
        elif isinstance(parent, dict) and roll < 0.4:
            del parent[path[-1]]
        else:
            parent[path[-1]] = rng.choice(VALUES)


@pytest.mark.parametrize("seed", range(4))
def test_damaged_plans_never_crash(tmp_path: Path, seed: int) -> None:
    directory = write_estate(tmp_path / "estate")
    loaded = load_and_validate(directory)
    base = valid_plan(sha_of(directory))
    rng = random.Random(seed)
    outcomes = {"report": 0, "format": 0}
    for _ in range(250):
        plan = copy.deepcopy(base)
        _damage(plan, rng)
        try:
            check_plan(loaded, plan)
        except PlanFormatError:
            outcomes["format"] += 1
        else:
            outcomes["report"] += 1
    assert outcomes["report"] > 0
    assert outcomes["format"] > 0
