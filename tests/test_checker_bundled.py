"""planner optimise on every bundled estate, verified by planner check.

`planner optimise` already refuses to write a plan the checker rejects; here the
written plan.json is checked again through the command (exit 0), and then
corrupted in ways any plan can be, to show the checker is not vacuous on real
plans: each corruption must be reported.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.checker import check_plan
from planner.cli import app
from planner.inventory.validate import load_and_validate

INVENTORIES = Path(__file__).resolve().parents[1] / "inventories"
ESTATES = sorted(p.name for p in INVENTORIES.iterdir() if (p / "estate.yaml").is_file())

pytestmark = pytest.mark.slow

Plan = dict[str, Any]


def optimise(estate: str, out: Path, *options: str) -> tuple[int, Plan]:
    result = CliRunner().invoke(
        app,
        [
            "optimise",
            str(INVENTORIES / estate),
            "--out",
            str(out),
            "--time-limit",
            "10",
            "--workers",
            "2",
            "--no-reasons",
            "--quiet",
            *options,
        ],
    )
    assert result.exit_code in (0, 3), result.output + repr(result.exception)
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return result.exit_code, plan


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Plan]]:
    out = {}
    for estate in ESTATES:
        directory = tmp_path_factory.mktemp(estate)
        code, plan = optimise(estate, directory)
        assert code == 0, f"{estate}: no plan"
        out[estate] = (directory / "plan.json", plan)
    return out


def test_bundled_estates_exist() -> None:
    assert {"tiny", "cheshire"} <= set(ESTATES)


@pytest.mark.parametrize("estate", ESTATES)
def test_optimised_plan_passes_the_check(estate: str, plans: dict[str, tuple[Path, Plan]]) -> None:
    path, _ = plans[estate]
    result = CliRunner().invoke(app, ["check", str(INVENTORIES / estate), str(path)])
    assert result.exit_code == 0, result.output
    assert "all rules hold" in result.output


def test_tiny_is_the_readme_optimum(plans: dict[str, tuple[Path, Plan]]) -> None:
    # inventories/tiny/README.md: objective 2,024,047.78; steady 435,000; one-off 60,000.
    _, plan = plans["tiny"]
    assert plan["solver"]["objective"] == pytest.approx(2024047.78, abs=0.01)
    assert plan["costs"]["planned_steady"] == pytest.approx(435000.0, abs=0.01)
    assert plan["costs"]["one_off"] == pytest.approx(60000.0, abs=0.01)


def test_infeasible_plan_passes_the_check(tmp_path: Path) -> None:
    # inventories/tiny/README.md: with --max-rooms 1 there is no feasible plan.
    code, plan = optimise("tiny", tmp_path, "--max-rooms", "1")
    assert code == 3
    assert plan["solver"]["status"] == "infeasible"
    result = CliRunner().invoke(
        app, ["check", str(INVENTORIES / "tiny"), str(tmp_path / "plan.json")]
    )
    assert result.exit_code == 0, result.output


def _undo_a_move(plan: Plan) -> None:
    # A workload leaving a room that closes stays in it: it is left in a closed room.
    closed = {r["id"] for r in plan["rooms"] if r["decision"] == "close"}
    a = next(a for a in plan["assignments"] if a["month"] is not None and a["from"] in closed)
    a["to"], a["month"] = a["from"], None


def _move_later(plan: Plan) -> None:
    a = next(a for a in plan["assignments"] if a["month"] is not None)
    a["month"] = "2099-01"


def _drop_wave(plan: Plan) -> None:
    plan["waves"].pop()


def _cheaper_year(plan: Plan) -> None:
    plan["years"][-1]["planned"] -= 100.0
    plan["years"][-1]["savings"] += 100.0


def _share_moved(plan: Plan) -> None:
    plan["organisations"][0]["planned"] += 50.0
    plan["organisations"][-1]["planned"] -= 50.0


def _desk_fte(plan: Plan) -> None:
    desk = next(d for d in plan["desks"] if d["decision"] == "keep")
    desk["fte"] += 1


def _no_close_month(plan: Plan) -> None:
    room = next(r for r in plan["rooms"] if r["decision"] == "close")
    room["close_month"] = None


def _objective(plan: Plan) -> None:
    plan["solver"]["objective"] += 10.0


def _staff(plan: Plan) -> None:
    plan["staff"]["by_organisation"][0]["transfer_in"] += 0.5


MUTATIONS: dict[str, tuple[Callable[[Plan], None], str]] = {
    "undo a move": (_undo_a_move, "1"),
    "a move after the horizon": (_move_later, "10"),
    "a wave missing": (_drop_wave, "10"),
    "a year cheaper": (_cheaper_year, "years"),
    "a share moved between partners": (_share_moved, "organisations"),
    "one more desk post": (_desk_fte, "9"),
    "a closing room without close_month": (_no_close_month, "8"),
    "objective": (_objective, "costs"),
    "a transfer": (_staff, "staff"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("estate", ["cheshire", "worcestershire"])
def test_corrupted_real_plan_is_caught(
    estate: str, name: str, plans: dict[str, tuple[Path, Plan]]
) -> None:
    change, rule = MUTATIONS[name]
    plan = copy.deepcopy(plans[estate][1])
    change(plan)
    report = check_plan(load_and_validate(INVENTORIES / estate), plan)
    assert rule in report.rules, "\n".join(v.render() for v in report.violations)
