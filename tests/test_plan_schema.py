"""`planner schema --plan`: the JSON Schema of plan.json, from the models of planner.planfile.

It is a valid 2020-12 schema that accepts the plan fixtures and a plan freshly
optimised from inventories/tiny, and refuses what the models refuse; every key
carries its marking (x-plan: core, ext or opt). `planner schema` alone still
writes the inventory file's schema.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import DATA, ROOT
from typer.testing import CliRunner

from planner.cli import app
from planner.planfile import check_plan, validate_plan

PLANS = DATA / "plans"
FIXTURES = sorted(PLANS.glob("*/plan.json"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema", "--plan"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("tiny")
    tiny = str(ROOT / "inventories" / "tiny")
    result = CliRunner().invoke(
        app, ["optimise", tiny, "--out", str(out), "--workers", "1", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    plan: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return plan


def test_the_fixtures_are_valid(validator: jsonschema.Draft202012Validator) -> None:
    assert len(FIXTURES) >= 4
    for path in FIXTURES:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path}: {errors[0].message}"


def test_a_fresh_plan_is_valid(
    validator: jsonschema.Draft202012Validator, tiny_plan: dict[str, Any]
) -> None:
    assert not list(validator.iter_errors(tiny_plan))
    # and planner's own plan carries every ext key and no undeclared one
    valid = validate_plan(tiny_plan)
    assert valid.missing_ext == []
    assert valid.undeclared == []


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["rooms"][0].update(decision="demolish"),
        lambda p: p["rooms"][0].update(close_month="2027-13"),
        lambda p: p["rooms"][0].update(close_month="0000-01"),
        lambda p: p["desks"][0].update(fte=9.5),
        lambda p: p["desks"][0].update(fte="9"),
        lambda p: p["organisations"][0].update(worse_off="no"),
        lambda p: p["years"][0].update(year="2027"),
        lambda p: p["costs"].pop("one_off"),
        lambda p: p["solver"].update(status="done"),
        lambda p: p.update(format="planner-plan/2"),
        lambda p: p["costs"]["one_off_breakdown"].update(tax="x"),
    ],
)
def test_what_the_models_refuse_the_schema_refuses(
    validator: jsonschema.Draft202012Validator, change: Any
) -> None:
    p = json.loads((PLANS / "severnvale" / "plan.json").read_text(encoding="utf-8"))
    change(p)
    assert list(validator.iter_errors(p))
    assert check_plan(p)


def test_whole_numbers_and_unknown_keys_are_accepted(
    validator: jsonschema.Draft202012Validator,
) -> None:
    p = json.loads((PLANS / "severnvale" / "plan.json").read_text(encoding="utf-8"))
    p["desks"][0]["fte"] = 9.0
    p["rooms"][0]["colour"] = "blue"
    p["from_another_tool"] = [1, 2]
    assert not list(validator.iter_errors(p))


def test_every_key_has_its_marking(schema: dict[str, Any]) -> None:
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            assert prop.get("x-plan") in ("core", "ext", "opt"), f"{name}.{key}"
            assert "default" not in prop, f"{name}.{key}: an absent key has no default"
            assert prop.get("description"), f"{name}.{key} has no description"
            if prop["x-plan"] == "core":
                assert key in definition.get("required", []), f"{name}.{key}"
            else:
                assert key not in definition.get("required", []), f"{name}.{key}"


def test_the_layouts(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["oneOf"] == [
        {"$ref": "#/$defs/FeasiblePlan"},
        {"$ref": "#/$defs/InfeasiblePlan"},
    ]
    feasible = schema["$defs"]["FeasiblePlan"]
    assert feasible["properties"]["format"]["const"] == "planner-plan/1"
    assert feasible["additionalProperties"] is True


def test_schema_out_writes_a_file(tmp_path: Path, schema: dict[str, Any]) -> None:
    out = tmp_path / "plan.schema.json"
    result = CliRunner().invoke(app, ["schema", "--plan", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def test_the_default_is_still_the_inventory_schema(schema: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    inventory = json.loads(result.stdout)
    assert inventory["title"] == "planner inventory file"
    assert inventory != schema


def test_schema_out_unwritable_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["schema", "--plan", "--out", str(tmp_path / "no" / "such" / "dir.json")]
    )
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_the_infeasible_fixture_follows_the_second_layout(
    validator: jsonschema.Draft202012Validator, schema: dict[str, Any]
) -> None:
    p = json.loads((PLANS / "infeasible" / "plan.json").read_text(encoding="utf-8"))
    infeasible = jsonschema.Draft202012Validator(
        {**schema, "oneOf": [{"$ref": "#/$defs/InfeasiblePlan"}]}
    )
    assert not list(infeasible.iter_errors(p))
    q = copy.deepcopy(p)
    q["solver"]["status"] = "optimal"  # then it is a plan with a plan, and lacks most of it
    assert list(validator.iter_errors(q))
