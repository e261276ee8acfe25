"""The writer validates planner's own plan against plan.json's definition before writing.

A key the models do not declare, or a value of the wrong type, is a planner bug
(PlanBug, exit 70 from `planner optimise`): nothing is written, so planner's plans
never carry an undocumented key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.checker_case import sha_of, valid_plan, write_estate

from planner.inventory.load import Loaded
from planner.inventory.validate import load_and_validate
from planner.plan.write import PlanBug, definition_problems, write_plan_dir
from planner.planfile import dumps


@pytest.fixture
def case(tmp_path: Path) -> tuple[Loaded, dict[str, Any]]:
    directory = write_estate(tmp_path / "estate")
    return load_and_validate(directory), valid_plan(sha_of(directory))


def test_a_valid_plan_is_written(tmp_path: Path, case: tuple[Loaded, dict[str, Any]]) -> None:
    loaded, plan = case
    assert definition_problems(plan) == []
    write_plan_dir(plan, tmp_path / "out", loaded)
    assert (tmp_path / "out" / "plan.json").read_text(encoding="utf-8") == dumps(plan)


def test_an_undeclared_key_is_a_planner_bug(
    tmp_path: Path, case: tuple[Loaded, dict[str, Any]]
) -> None:
    loaded, plan = case
    plan["rooms"][1]["colour"] = "blue"
    plan["solver"]["temperature"] = 1.0
    with pytest.raises(PlanBug) as exc:
        write_plan_dir(plan, tmp_path / "out", loaded)
    text = str(exc.value)
    assert text.startswith("planner bug: plan.json does not follow its definition")
    assert "solver.temperature: a key plan.json's definition does not declare" in text
    assert "rooms[1].colour: a key plan.json's definition does not declare" in text
    assert exc.value.problems == definition_problems(plan)
    assert not (tmp_path / "out").exists()


def test_a_wrong_type_is_a_planner_bug(tmp_path: Path, case: tuple[Loaded, dict[str, Any]]) -> None:
    """Before, the checker's PlanFormatError escaped the writer (a traceback, not exit 70)."""
    loaded, plan = case
    plan["desks"][0]["fte"] = 1.5
    with pytest.raises(PlanBug, match=r"desks\[0\]\.fte: must be a whole number, not 1\.5"):
        write_plan_dir(plan, tmp_path / "out", loaded)
    assert not (tmp_path / "out").exists()


def test_an_extra_amount_in_a_breakdown_is_refused_too(case: tuple[Loaded, dict[str, Any]]) -> None:
    _, plan = case
    plan["costs"]["one_off_breakdown"]["legal"] = 100.0  # valid in another tool's plan
    assert definition_problems(plan) == [
        "costs.one_off_breakdown.legal: a key plan.json's definition does not declare "
        "(declare it in planner/planfile.py and document it in docs/plan-format.md, "
        "or do not write it)"
    ]


def test_dumps_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        dumps({"x": float("nan")})
    assert json.loads(dumps({"x": "é"})) == {"x": "é"}
    assert dumps({"x": "é"}) == '{\n  "x": "é"\n}\n'
