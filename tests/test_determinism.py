"""Same estate, options and seed with one worker: byte-identical plan.json, apart from
``created``, ``solver.wall_s``, ``solver.schedule_wall_s`` and the times taken in
``solver.budget`` (its allowances are the same: with one worker they never depend on
the clock).

On inventories/tiny and on a generated one-council estate (93 workloads, 14 of which
move and one room closes), each run twice through `planner optimise`, with the
reasons' re-solves.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.generate import generate
from planner.inventory.write import write_yaml
from planner.planfile import VOLATILE_KEYS, without_volatile

TINY = Path(__file__).resolve().parent.parent / "inventories" / "tiny"
VOLATILE_LINE = re.compile(r'^(\s*"(?:created|wall_s|schedule_wall_s|used_s)": ).*$', re.M)


def run(estate: Path, out: Path, *options: str) -> str:
    result = CliRunner().invoke(
        app, ["optimise", str(estate), "--out", str(out), "--workers", "1", "--quiet", *options]
    )
    assert result.exit_code == 0, result.output
    return (out / "plan.json").read_text(encoding="utf-8")


def masked(text: str) -> str:
    """plan.json with the values of the volatile keys blanked, line by line."""
    return VOLATILE_LINE.sub(r"\1<volatile>", text)


def assert_same(first: str, second: str) -> None:
    assert masked(first) == masked(second)
    a, b = json.loads(first), json.loads(second)
    assert without_volatile(a) == without_volatile(b)
    for path in VOLATILE_KEYS:  # only these may differ, and they are present
        node_a, node_b = a, b
        for key in path:
            node_a, node_b = node_a[key], node_b[key]
        assert node_a is not None
        assert node_b is not None
    assert a["solver"]["status"] == "optimal"


def test_volatile_keys_are_the_documented_ones() -> None:
    assert set(VOLATILE_KEYS) == {
        ("created",),
        ("solver", "wall_s"),
        ("solver", "schedule_wall_s"),
        ("solver", "budget"),
    }


@pytest.mark.parametrize("seed", [0, 7])
def test_tiny_is_deterministic(tmp_path: Path, seed: int) -> None:
    first = run(TINY, tmp_path / "a", "--seed", str(seed))
    second = run(TINY, tmp_path / "b", "--seed", str(seed))
    assert_same(first, second)
    limited = ("--seed", str(seed), "--max-rooms", "2", "--max-desks", "1")
    assert_same(run(TINY, tmp_path / "c", *limited), run(TINY, tmp_path / "d", *limited))


def test_generated_estate_is_deterministic(tmp_path: Path) -> None:
    estate = tmp_path / "estate"
    write_yaml(generate(1, seed=5), estate)
    args = ("--seed", "5", "--time-limit", "30")
    first = run(estate, tmp_path / "a", *args)
    second = run(estate, tmp_path / "b", *args)
    assert_same(first, second)
    plan = json.loads(first)
    assert sum(a["month"] is not None for a in plan["assignments"]) >= 10  # not trivial
    # and in another copy of the same files (the plan names no path)
    copy = tmp_path / "copy"
    write_yaml(generate(1, seed=5), copy)
    assert_same(first, run(copy, tmp_path / "c", *args))
