"""plan.json's models (planner.planfile): types, layouts, markings, and problems in words.

The same models serve the reports (check_plan / load_plan), the checker (read_shape)
and the writer; these tests pin what they accept and how they word what they refuse.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from helpers.checker_case import infeasible_plan, sha_of, valid_plan, write_estate
from typer.testing import CliRunner

from planner.checker import PlanFormatError
from planner.checker import check_plan as check_against_estate
from planner.checker.planfile import read_shape
from planner.cli import app
from planner.inventory.validate import load_and_validate
from planner.planfile import (
    MAX_PROBLEMS,
    Desk,
    FeasiblePlan,
    InfeasiblePlan,
    PlanError,
    Room,
    check_plan,
    field_paths,
    load_plan,
    presence,
    validate_plan,
)

PLANS = DATA / "plans"


def plan(name: str) -> dict[str, Any]:
    return json.loads((PLANS / name / "plan.json").read_text(encoding="utf-8"))


@pytest.fixture
def severnvale() -> dict[str, Any]:
    return plan("severnvale")


def one_problem(p: dict[str, Any]) -> str:
    problems = check_plan(p)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda p: p["desks"][0].update(fte=9.5), "desks[0].fte: must be a whole number, not 9.5"),
        (lambda p: p["desks"][0].update(fte="9"), "desks[0].fte: must be a number, not a string"),
        (lambda p: p["desks"][0].update(fte=True), "desks[0].fte: must be a number, not a boolean"),
        (
            lambda p: p["rooms"][0].update(annual_cost="1"),
            "rooms[0].annual_cost: must be a number, not a string",
        ),
        (
            lambda p: p["rooms"][0].update(annual_cost=float("nan")),
            "rooms[0].annual_cost: must be a finite number, not nan",
        ),
        (
            lambda p: p["rooms"][0].update(annual_cost=10**400),
            "rooms[0].annual_cost: must be at most 2^53 - 1 (about 9.007e15) either way, "
            "not a 401-digit number",
        ),
        (
            lambda p: p["costs"].update(one_off=-1e308),
            "costs.one_off: must be at most 2^53 - 1 (about 9.007e15) either way, not -1e+308",
        ),
        (
            lambda p: p["desks"][0].update(fte=2**53),
            "desks[0].fte: must be at most 2^53 - 1 (about 9.007e15) either way, "
            "not 9007199254740992",
        ),
        (lambda p: p.update(estate=1), "estate: must be a string, not a number"),
        (
            lambda p: p["organisations"][0].update(worse_off=1),
            "organisations[0].worse_off: must be true or false, not a number",
        ),
        (
            lambda p: p["rooms"][3].update(close_month="0000-01"),
            "rooms[3].close_month: '0000-01' is not a month YYYY-MM",
        ),
        (
            lambda p: p["rooms"][3].update(close_month="2027-01\n"),
            'rooms[3].close_month: "2027-01\\n" is not a month YYYY-MM',
        ),
        (
            lambda p: p["waves"][0].update(month="２０２７-１０"),
            "waves[0].month: '２０２７-１０' is not a month YYYY-MM",
        ),
        (
            lambda p: p["years"][0].update(year="2027/29"),
            "years[0].year: '2027/29' is not a financial year like 2027/28",
        ),
        (
            lambda p: p["rooms"][0].update(reason="\ud800"),
            "rooms[0].reason: is not valid Unicode text (a lone surrogate at character 0)",
        ),
        (
            lambda p: p["options"].update(max_rooms="2"),
            "options.max_rooms: must be a number, not a string",
        ),
        (
            lambda p: p["desks"][0].update(decision="open"),
            "desks[0].decision: 'open' is not one of keep, close",
        ),
        (
            lambda p: p["rooms"][0].update(decision=None),
            "rooms[0].decision: must be one of keep, close, open, unused, not null",
        ),
        (
            lambda p: p["costs"]["one_off_breakdown"].update(tax="x"),
            "costs.one_off_breakdown.tax: must be a number, not a string",
        ),
        (lambda p: p.update(rooms={}), "rooms: must be a list, not an object"),
        (lambda p: p.update(costs=[]), "costs: must be an object, not a list"),
        (
            lambda p: p["rooms"].__setitem__(0, "guildhall"),
            "rooms[0]: must be an object, not a string",
        ),
        (
            lambda p: p["solver"].update(schedule_method="by hand"),
            "solver.schedule_method: 'by hand' is not one of cp-sat, greedy",
        ),
    ],
)
def test_types(severnvale: dict[str, Any], change: Any, problem: str) -> None:
    change(severnvale)
    assert one_problem(severnvale) == problem


def test_whole_numbers_may_be_written_as_floats(severnvale: dict[str, Any]) -> None:
    severnvale["desks"][0]["fte"] = 9.0
    severnvale["staff"]["desk_fte_before"] = 31.0
    assert check_plan(severnvale) == []


def test_numbers_up_to_two_to_the_53(severnvale: dict[str, Any]) -> None:
    severnvale["desks"][0]["fte"] = 2**53 - 1
    severnvale["costs"]["one_off"] = -(2**53 - 1)
    assert check_plan(severnvale) == []


def test_strange_keys_are_named_safely(severnvale: dict[str, Any]) -> None:
    severnvale["costs"]["steady_breakdown"]["a\nb [red]"] = None
    assert one_problem(severnvale) == (
        'costs.steady_breakdown["a\\nb [red]"]: must be a number, not null'
    )


def test_at_most_twenty_problems(severnvale: dict[str, Any]) -> None:
    for room in severnvale["rooms"]:
        room.update(decision="x", close_month="x", racks="x", site=1)
    problems = check_plan(severnvale)
    assert len(problems) == MAX_PROBLEMS == 20
    assert problems[0] == "rooms[0].decision: 'x' is not one of keep, close, open, unused"


def test_without_a_status_the_problems_of_both_layouts_are_listed() -> None:
    problems = check_plan({"format": "planner-plan/1", "estate": 1, "solver": {"status": "done"}})
    assert problems[0] == (
        "solver.status: 'done' is not one of optimal, feasible, infeasible, unknown"
    )
    assert "estate: must be a string, not a number" in problems
    assert "rooms: missing (required by planner-plan/1)" in problems
    # only a plan with a plan needs these
    assert "costs: missing (required by planner-plan/1)" in problems
    assert not any(p.startswith("staff") for p in problems)


# ---------------------------------------------------------------- layouts and markings


def test_an_infeasible_plan_needs_no_staff_and_no_planned_cost() -> None:
    p = plan("infeasible")
    del p["staff"]
    p["costs"]["planned_steady"] = None
    assert check_plan(p) == []
    p["solver"]["status"] = "feasible"
    problems = check_plan(p)
    assert "staff: missing (required by planner-plan/1)" in problems
    assert "costs.planned_steady: must be a number, not null" in problems


def test_the_layout_follows_the_status() -> None:
    assert validate_plan(plan("severnvale")).feasible
    assert not validate_plan(plan("infeasible")).feasible
    assert isinstance(validate_plan(plan("infeasible")).model, InfeasiblePlan)


def test_markings() -> None:
    assert presence(Room, "close_month") == "core"
    assert presence(Room, "open_month") == "ext"
    assert presence(Room, "status") == "opt"
    assert presence(Desk, "fte") == "core"
    paths = dict(field_paths(FeasiblePlan))
    assert paths["assignments[].from"] == "core"
    assert paths["staff.by_site[].site"] == "core"
    assert paths["move_groups"] == "ext"
    for path, marking in [*paths.items(), *field_paths(InfeasiblePlan)]:
        assert marking in ("core", "ext", "opt"), path


def test_missing_ext_and_undeclared_keys(severnvale: dict[str, Any]) -> None:
    severnvale["rooms"][2]["colour"] = "blue"
    severnvale["something_new"] = {"a": 1}
    del severnvale["rooms"][0]["open_month"]
    valid = validate_plan(severnvale)
    assert valid.undeclared == ["rooms[2].colour", "something_new"]
    # the fixture was written before move_groups, zones, separate, months and the split
    shares = [
        f"organisations[{i}].{key}"
        for i in range(4)
        for key in ("share", "horizon_savings_after_transfers")
    ]
    assert valid.missing_ext == [
        "rooms[0].open_month",
        "move_groups",
        "zones",
        "separate",
        "months",
        "finance.share_rule",
        *shares,
        "transfers",
    ]


def test_an_infeasible_plan_lists_no_missing_ext() -> None:
    assert validate_plan(plan("infeasible")).missing_ext == []


# ---------------------------------------------------------------- one wording everywhere


def test_the_checker_words_problems_as_the_reports_do(tmp_path: Path) -> None:
    directory = write_estate(tmp_path / "estate")
    loaded = load_and_validate(directory)
    p = valid_plan(sha_of(directory))
    p["rooms"][3]["close_month"] = "2027-13"
    p["desks"][0]["fte"] = 1.5
    with pytest.raises(PlanFormatError) as exc:
        check_against_estate(loaded, p)
    assert (
        exc.value.problems
        == check_plan(p)
        == [
            "rooms[3].close_month: '2027-13' is not a month YYYY-MM",
            "desks[0].fte: must be a whole number, not 1.5",
        ]
    )


def test_the_checker_refuses_an_unknown_decision(tmp_path: Path) -> None:
    """A decision outside keep|close|open|unused is a type error of the plan (exit 2)."""
    directory = write_estate(tmp_path / "estate")
    p = valid_plan(sha_of(directory))
    p["rooms"][0]["decision"] = "demolish"
    with pytest.raises(PlanFormatError, match=r"rooms\[0\]\.decision: 'demolish' is not one of"):
        read_shape(p)


def test_the_checker_reads_an_infeasible_plan_without_staff(tmp_path: Path) -> None:
    directory = write_estate(tmp_path / "estate")
    p = infeasible_plan(sha_of(directory))
    assert "staff" not in p
    assert read_shape(p).feasible is False
    assert check_plan(p) == []  # the reports read it too


# ---------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON here: nested too deeply"),
        (b'{"format": ' + b"9" * 5000 + b"}", "not valid JSON: Exceeds the limit"),
        ('{"format": "planner-plan/1"}'.encode("utf-16"), "not UTF-8 text (byte offset 0)"),
        (b'{"x": Infinity}', "not valid JSON: Infinity is not a number JSON allows"),
    ],
)
def test_files_that_are_not_json(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "plan.json").write_bytes(content)
    with pytest.raises(PlanError) as exc:
        load_plan(tmp_path)
    assert message in str(exc.value)
    result = CliRunner().invoke(
        app, ["check", str(write_estate(tmp_path / "estate")), str(tmp_path / "plan.json")]
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output


def test_check_names_each_problem_of_a_plan(tmp_path: Path) -> None:
    directory = write_estate(tmp_path / "estate")
    p = valid_plan(sha_of(directory))
    p["years"][0]["year"] = "2026/2027"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(p), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(directory), str(path)])
    assert result.exit_code == 2, result.output
    assert "years[0].year: '2026/2027' is not a financial year like 2027/28" in result.output


def test_load_plan_returns_the_json_itself(severnvale: dict[str, Any]) -> None:
    loaded = load_plan(PLANS / "severnvale")
    assert loaded == severnvale
    assert isinstance(loaded, dict)
    assert copy.deepcopy(loaded) == loaded
