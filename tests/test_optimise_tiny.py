"""`planner optimise inventories/tiny` finds the optimum its README computes by hand.

The expected figures and decisions are read from inventories/tiny/README.md, so the
test fails if the README and the planner drift apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.inventory.validate import load_and_validate

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "inventories" / "tiny"
README = (TINY / "README.md").read_text(encoding="utf-8")


def _money(text: str) -> float:
    return float(text.replace(",", ""))


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no section '{title}'"
    return match.group(1)


def readme_optimum() -> float:
    """The bold objective of the README's 'The optimum' section."""
    match = re.search(r"Objective = [^\n]*?\*\*([\d,]+\.\d\d)\*\*", _section("The optimum"))
    assert match, "no 'Objective = ... **N**' line under '## The optimum'"
    return _money(match.group(1))


def readme_baseline() -> float:
    match = re.search(r"Objective = [^\n]*?\*\*([\d,]+\.\d\d)\*\*", _section("Baseline"))
    assert match
    return _money(match.group(1))


def readme_annuity() -> float:
    match = re.search(r"\*\*A\*\* \| \*\*[\d.]+\*\* \(([\d.]+)\)", _section("Discounting"))
    assert match
    return float(match.group(1))


def readme_decisions() -> dict[str, Any]:
    """The bold sentence of 'The optimum': rooms kept/closed, moves, the desks."""
    inv = load_and_validate(TINY).inventory
    rooms, desks, wls = set(inv.room), set(inv.desk), set(inv.workload)
    bold = re.search(r"\*\*(.+?)\*\*", _section("The optimum"), re.S)
    assert bold
    out: dict[str, Any] = {"rooms": {}, "desks": {}, "moves": {}, "desk_of": {}}
    for clause in bold.group(1).replace("\n", " ").split(";"):
        ids = re.findall(r"`([^`]+)`", clause)
        verb = clause.strip().split()[0].lower()
        if verb == "move":
            head, _, tail = clause.partition(" to ")
            target = re.findall(r"`([^`]+)`", tail)[0]
            for w in re.findall(r"`([^`]+)`", head):
                assert w in wls
                out["moves"][w] = target
        elif verb in ("keep", "close"):
            serve = re.search(r"serve [^`]*from `([^`]+)`", clause)
            named = ids[:-1] if serve else ids
            for ident in named:
                decision = "keep" if verb == "keep" else "close"
                if ident in rooms:
                    out["rooms"][ident] = decision
                else:
                    assert ident in desks, ident
                    out["desks"][ident] = decision
            if serve:
                if "both councils" in clause or "every" in clause:
                    out["desk_of"] = {o.id: serve.group(1) for o in inv.organisations}
                out["desks"][serve.group(1)] = "keep"
    assert all((out["rooms"], out["moves"], out["desk_of"])), out
    return out


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("tiny") / "plan"
    result = CliRunner().invoke(
        app, ["optimise", str(TINY), "--out", str(out), "--workers", "1", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    plan: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    plan["_dir"] = str(out)
    return plan


def test_readme_states_the_optimum() -> None:
    assert readme_optimum() == 2_024_047.78  # the figure the issue quotes
    assert readme_baseline() == 2_460_703.54


def test_tiny_objective_is_the_readme_optimum_to_the_penny(tiny_plan: dict[str, Any]) -> None:
    solver = tiny_plan["solver"]
    assert solver["status"] == "optimal"
    assert solver["objective"] == readme_optimum()
    assert solver["bound"] == readme_optimum()
    assert solver["gap"] == 0
    assert solver["annuity_factor"] == pytest.approx(readme_annuity(), abs=1e-9)


def test_tiny_decisions_are_the_readmes(tiny_plan: dict[str, Any]) -> None:
    want = readme_decisions()
    rooms = {r["id"]: r["decision"] for r in tiny_plan["rooms"]}
    for room, decision in want["rooms"].items():
        assert rooms[room] == decision, (room, rooms)
    assert set(rooms) == {"county-hall-mr", "civic-mr", "records-mr"}
    moved = {a["workload"]: a["to"] for a in tiny_plan["assignments"] if a["to"] != a["from"]}
    assert moved == want["moves"]  # "All other workloads stay put."
    desks = {d["id"]: d["decision"] for d in tiny_plan["desks"]}
    assert desks == want["desks"]
    assert {d["organisation"]: d["desk"] for d in tiny_plan["desk_assignments"]} == want["desk_of"]
    assert {d["id"]: d["fte"] for d in tiny_plan["desks"]} == {
        "midshire-desk": 5,
        "brookford-desk": 0,
    }


def test_tiny_costs_are_the_readmes(tiny_plan: dict[str, Any]) -> None:
    section = _section("The optimum")
    steady = re.search(r"total \*\*([\d,]+) a year\*\*", section)
    one_off = re.search(r"= \*\*([\d,]+)\*\*\.", section)
    assert steady
    assert one_off
    costs = tiny_plan["costs"]
    assert costs["planned_steady"] == _money(steady.group(1))
    assert costs["one_off"] == _money(one_off.group(1))
    assert costs["baseline_steady"] == 545_000
    a = tiny_plan["solver"]["annuity_factor"]
    assert costs["one_off"] + a * costs["planned_steady"] == pytest.approx(
        readme_optimum(), abs=0.01
    )


def test_tiny_plan_passes_planner_check(tiny_plan: dict[str, Any]) -> None:
    plan_json = Path(tiny_plan["_dir"]) / "plan.json"
    result = CliRunner().invoke(app, ["check", str(TINY), str(plan_json)])
    assert result.exit_code == 0, result.output


def test_tiny_with_the_readmes_limits(tmp_path: Path) -> None:
    """'With --max-rooms 2 --max-desks 1 the optimum is the same plan. With --max-rooms 1
    there is no feasible plan (separation).'"""
    flat = " ".join(README.split())
    assert "With `--max-rooms 2 --max-desks 1` the optimum is the same plan" in flat
    assert "With `--max-rooms 1` there is no feasible plan (separation)" in flat
    runner = CliRunner()
    args = ["optimise", str(TINY), "--workers", "1", "--quiet", "--no-reasons"]
    limits = ["--max-rooms", "2", "--max-desks", "1"]
    same = runner.invoke(app, [*args, "--out", str(tmp_path / "a"), *limits])
    assert same.exit_code == 0, same.output
    plan = json.loads((tmp_path / "a" / "plan.json").read_text(encoding="utf-8"))
    assert plan["solver"]["objective"] == readme_optimum()
    none = runner.invoke(app, [*args, "--out", str(tmp_path / "b"), "--max-rooms", "1"])
    assert none.exit_code == 3, none.output
    plan = json.loads((tmp_path / "b" / "plan.json").read_text(encoding="utf-8"))
    assert plan["solver"]["status"] == "infeasible"
    text = " ".join(plan["explanation"])
    assert "--max-rooms 1" in text
    for word in ("nhs", "official", "rule 4"):
        assert word in text
