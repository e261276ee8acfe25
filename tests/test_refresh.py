"""Hardware refresh (spec/decisions.md): a move on or after refresh_due costs
refresh_move_cost instead of migration_cost.

The estate (tests/helpers/estates.py: discount rate 0, one year from 2027-04, so the
money adds up by hand): room ra costs GBP 12,000 a year (1,000 a month) and hosts w,
whose move costs GBP 10,000, or 1,000 from its refresh in October 2027 (month 6);
room rb (GBP 5,000 a year) hosts v, pinned, so it stays. Closing ra is right either
way; the question is when w moves:

* now: 10,000 for the move + 1 month of ra (1,000) = 11,000;
* at its refresh: 1,000 + 7 months of ra (7,000) = 8,000: waiting bites.

With a refresh price of 9,500 instead, waiting costs 9,500 + 7,000 = 16,500 against
11,000: it does not bite, and w moves in April 2027.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from helpers.estates import base, checked, decisions, room, run, workload, write

from planner.checker import check_plan
from planner.inventory.load import load_estate
from planner.inventory.validate import load_and_validate


def estate(refresh_cost: float) -> dict:
    doc = base()
    doc["rooms"] = [room("ra", "a", annual_cost=12_000), room("rb", "b", annual_cost=5_000)]
    doc["workloads"] = [
        workload(
            "w",
            "ra",
            migration_cost=10_000,
            refresh_due="2027-10-01",
            refresh_move_cost=refresh_cost,
        ),
        workload("v", "rb", pinned=True),
    ]
    return doc


def move_of(plan: dict, wid: str) -> dict:
    return next(a for a in plan["assignments"] if a["workload"] == wid)


def test_waiting_for_the_refresh_bites(tmp_path: Path) -> None:
    loaded, result = run(estate(1_000), tmp_path)
    plan = result.plan
    checked(loaded, plan)
    assert decisions(plan)["ra"] == "close"
    w = move_of(plan, "w")
    assert (w["month"], w["migration_cost"]) == ("2027-10", 1_000)
    assert next(r for r in plan["rooms"] if r["id"] == "ra")["close_month"] == "2027-11"
    assert plan["costs"]["one_off"] == pytest.approx(1_000)
    assert "waits for its hardware refresh in 2027-10: GBP 9,000 cheaper" in w["reason"]


def test_waiting_does_not_bite_when_the_refresh_saves_little(tmp_path: Path) -> None:
    loaded, result = run(estate(9_500), tmp_path)
    plan = result.plan
    checked(loaded, plan)
    w = move_of(plan, "w")
    assert (w["month"], w["migration_cost"]) == ("2027-04", 10_000)
    assert plan["costs"]["one_off"] == pytest.approx(10_000)
    assert "refresh" not in w["reason"]


def test_the_checker_catches_a_refresh_price_before_the_refresh(tmp_path: Path) -> None:
    loaded, result = run(estate(1_000), tmp_path)
    early = copy.deepcopy(result.plan)
    move_of(early, "w")["month"] = "2027-05"  # at the refresh price, five months early
    wave = next(wv for wv in early["waves"] if wv["month"] == "2027-10")
    wave["month"] = "2027-05"
    report = check_plan(loaded, early)
    assert any(
        v.rule == "costs" and "its migration_cost is 10000" in v.message for v in report.violations
    ), [v.render() for v in report.violations]


def test_a_refresh_price_needs_its_date(tmp_path: Path) -> None:
    doc = estate(1_000)
    del doc["workloads"][0]["refresh_due"]
    loaded = load_estate(write(doc, tmp_path))
    errors = [f.render() for f in loaded.findings.errors]
    assert any("refresh_move_cost" in e and "needs the refresh_due" in e for e in errors), errors


def test_a_refresh_outside_the_window_changes_nothing(tmp_path: Path) -> None:
    """not_after 2027-08-31: the refresh month is out of reach; w moves at once, at
    its migration cost."""
    doc = estate(1_000)
    doc["workloads"][0]["not_after"] = "2027-08-31"
    loaded, result = run(doc, tmp_path)
    checked(loaded, result.plan)
    w = move_of(result.plan, "w")
    assert (w["month"], w["migration_cost"]) == ("2027-04", 10_000)
    assert load_and_validate(tmp_path).ok
