"""A fair split (spec/decisions.md): shares, transfers, the checker, --shares.

Known answers by hand: with nets over the horizon A +100.00 and B -20.00 (total 80.00)
and running costs today 300 and 100, the proportional shares are 60.00 and 20.00, so A
pays B 40.00; allocated keeps 100.00 and -20.00 with no transfer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from helpers.estates import base, checked, org, room, run, workload, write
from typer.testing import CliRunner

from planner.checker import check_plan
from planner.cli import app
from planner.plan.shares import split


def rows(*orgs: tuple[str, float, float]) -> list[dict[str, Any]]:
    return [{"id": i, "horizon_savings": h, "baseline": b} for i, h, b in orgs]


def test_proportional_by_running_cost_today() -> None:
    fair = split(rows(("a", 100.0, 300.0), ("b", -20.0, 100.0)), "proportional")
    assert fair.share == {"a": 6000, "b": 2000}
    assert fair.transfers == [("a", "b", 4000)]


def test_allocated_keeps_each_net() -> None:
    fair = split(rows(("a", 100.0, 300.0), ("b", -20.0, 100.0)), "allocated")
    assert fair.share == {"a": 10000, "b": -2000}
    assert fair.transfers == []


def test_pennies_add_up_by_largest_remainder() -> None:
    fair = split(rows(("a", 0.01, 1), ("b", 0.0, 1), ("c", 0.0, 1)), "proportional")
    assert sorted(fair.share.values()) == [0, 0, 1]
    assert sum(fair.share.values()) == 1
    fair = split(rows(("a", 100.0, 1), ("b", 0.0, 1), ("c", 0.0, 1)), "proportional")
    assert fair.share == {"a": 3334, "b": 3333, "c": 3333}
    assert sum(p for _, _, p in fair.transfers) == 6666


def test_shapley_gives_a_negative_value_no_share() -> None:
    fair = split(
        rows(("a", 50.0, 1), ("b", 50.0, 1), ("c", 0.0, 1)),
        "shapley",
        {"a": 30.0, "b": 10.0, "c": -5.0},
    )
    assert fair.share == {"a": 7500, "b": 2500, "c": 0}
    assert fair.transfers == [("b", "a", 2500)]


def two_partners(rule: str) -> dict[str, Any]:
    """Council c's room ra (GBP 100,000 a year) and district e's room rb (GBP 60,000):
    ra closes and c's workload joins e's in rb, whose cost the two then share by racks
    (1 of 2 each). Over two years c saves GBP 130,666.67 and e 60,000 as allocated;
    in proportion to their running costs today (135,000 and 95,000, the desk
    included) c's share is 111,913.05, so c pays e 18,753.62."""
    doc = base(share_rule=rule, horizon_years=2)
    doc["organisations"].append(org("e", "c-desk", kind="district"))
    doc["sites"].append({"id": "x", "organisation": "e", "lat": 52.05, "lon": -1.5})
    doc["links"].append({"a": "a", "b": "x", "network": "psn", "latency_ms": 1})
    doc["rooms"] = [room("ra", "a"), room("rb", "x", annual_cost=60_000, closure_cost=5_000)]
    doc["workloads"] = [workload("wc", "ra"), workload("we", "rb", org="e")]
    return doc


@pytest.mark.parametrize("rule", ["allocated", "proportional"])
def test_plans_split_and_the_checker_agrees(tmp_path: Path, rule: str) -> None:
    loaded, result = run(two_partners(rule), tmp_path)
    plan = result.plan
    checked(loaded, plan)
    assert plan["finance"]["share_rule"] == rule
    orgs = {o["id"]: o for o in plan["organisations"]}
    total = sum(o["horizon_savings"] for o in orgs.values())
    assert sum(o["share"] for o in orgs.values()) == pytest.approx(total, abs=0.01)
    for o in orgs.values():
        paid = sum(t["amount"] for t in plan["transfers"] if t["from"] == o["id"])
        got = sum(t["amount"] for t in plan["transfers"] if t["to"] == o["id"])
        assert o["horizon_savings_after_transfers"] == pytest.approx(
            o["horizon_savings"] - paid + got, abs=0.01
        )
    if rule == "allocated":
        assert plan["transfers"] == []
    else:
        base_total = sum(o["baseline"] for o in orgs.values())
        for o in orgs.values():
            assert o["share"] == pytest.approx(total * o["baseline"] / base_total, abs=0.01)
            assert o["share"] >= 0  # the total is a saving: nobody is worse off
        assert len(plan["transfers"]) == 1


def test_the_checker_catches_a_wrong_split(tmp_path: Path) -> None:
    loaded, result = run(two_partners("proportional"), tmp_path)
    plan = result.plan
    assert plan["transfers"], "the case needs a transfer"
    wrong = copy.deepcopy(plan)
    wrong["transfers"][0]["amount"] += 100
    assert any(v.rule == "shares" for v in check_plan(loaded, wrong).violations)
    to_self = copy.deepcopy(plan)
    to_self["transfers"].append({"from": "c", "to": "c", "amount": 5.0})
    report = check_plan(loaded, to_self)
    assert any("between two organisations" in v.message for v in report.violations)
    unsplit = copy.deepcopy(plan)  # shares as if allocated, under a proportional estate
    unsplit["transfers"] = []
    for o in unsplit["organisations"]:
        o["share"] = o["horizon_savings_after_transfers"] = o["horizon_savings"]
    report = check_plan(loaded, unsplit)
    assert any("under share_rule proportional" in v.message for v in report.violations)


def test_shapley_needs_shares_and_reads_them(tmp_path: Path) -> None:
    estate = write(two_partners("shapley"), tmp_path / "estate")
    runner = CliRunner()
    out = str(tmp_path / "plan")
    result = runner.invoke(app, ["optimise", str(estate), "--out", out, "--quiet"])
    assert result.exit_code == 2
    assert "--shares" in result.output
    explore = tmp_path / "explore.json"
    explore.write_text(json.dumps({"shapley": {"values": [{"organisation": "c", "value": 1}]}}))
    args = ["optimise", str(estate), "--out", out, "--quiet", "--shares", str(explore)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "explore.json: field shapley.values: no value for e" in result.output
    values = [{"organisation": "c", "value": 3000.0}, {"organisation": "e", "value": 1000.0}]
    explore.write_text(json.dumps({"shapley": {"method": "exact", "values": values}}))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "plan" / "plan.json").read_text())
    orgs = {o["id"]: o for o in plan["organisations"]}
    total = orgs["c"]["horizon_savings"] + orgs["e"]["horizon_savings"]
    assert orgs["c"]["share"] == pytest.approx(total * 0.75, abs=0.01)
    assert orgs["e"]["shapley_value"] == 1000.0
    check = runner.invoke(app, ["check", str(estate), str(tmp_path / "plan" / "plan.json")])
    assert check.exit_code == 0, check.output


def test_shares_without_shapley_is_refused(tmp_path: Path) -> None:
    estate = write(two_partners("allocated"), tmp_path / "estate")
    args = ["optimise", str(estate), "--out", str(tmp_path / "p"), "--shares", "x.json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "share_rule is shapley" in result.output
