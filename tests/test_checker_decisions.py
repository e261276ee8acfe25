"""planner check on accreditation upgrades and secure suites (spec/decisions.md).

The estate of ``checker_case.decisions_files`` has a police zone kept in a secure suite
inside a council room, and rooms that offer upgrades; ``decisions_plan`` buys one
upgrade and keeps the suite, every figure worked out by hand in ``checker_case.py``.
Every test but the first changes that plan (or its estate) in one way and asserts that
the checker reports the rule broken, naming the items at fault.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.checker_case import (
    check_case,
    decisions_files,
    decisions_plan,
    estate_files,
    explain,
    has,
    item,
    sha_of,
    valid_plan,
    write_estate,
)

from planner.checker import CheckReport, check_plan
from planner.inventory.validate import load_and_validate

Plan = dict[str, Any]
Files = dict[str, dict[str, Any]]

RULES = {str(n) for n in range(1, 11)}
"""The rules of spec/inventory-format.md (the rest are figures)."""


def run(
    tmp_path: Path,
    change_plan: Callable[[Plan], None] | None = None,
    change_estate: Callable[[Files], None] | None = None,
    *,
    strict: bool = True,
) -> CheckReport:
    """Write the decisions estate (changed), make its plan (changed) and check it."""
    report: CheckReport = check_case(
        tmp_path, decisions_files(), decisions_plan, change_plan, change_estate, strict=strict
    )
    return report


def room(plan: Plan, ident: str) -> dict[str, Any]:
    return next(r for r in plan["rooms"] if r["id"] == ident)


def assignment(plan: Plan, workload: str) -> dict[str, Any]:
    return next(a for a in plan["assignments"] if a["workload"] == workload)


def bought(plan: Plan) -> dict[str, Any]:
    """The psn upgrade the plan buys for n-dc-new."""
    entry: dict[str, Any] = room(plan, "n-dc-new")["upgrades_bought"][0]
    return entry


def upgrade_of(files: Files, room_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = item(files, "rooms", room_id)["upgrades"][0]
    return entry


# ------------------------------------------------------------------------ valid plans


def test_decisions_plan_passes(tmp_path: Path) -> None:
    report = run(tmp_path)
    assert report.ok, explain(report)
    assert report.checked["upgrades bought"] == 1
    assert report.checked["suites"] == 1
    assert report.notes == []


def test_decisions_plan_passes_core_only(tmp_path: Path) -> None:
    report = run(tmp_path, strict=False)
    assert report.ok, explain(report)


def test_plan_without_decisions_checks_as_before(tmp_path: Path) -> None:
    """No upgrades, no suites, no room_upgrade key: nothing new to say."""
    directory = write_estate(tmp_path / "estate", estate_files())
    loaded = load_and_validate(directory)
    plan = valid_plan(sha_of(directory))
    assert "room_upgrade" not in plan["costs"]["one_off_breakdown"]
    report = check_plan(loaded, plan)
    assert report.ok, explain(report)
    assert report.checked["upgrades bought"] == 0
    assert report.checked["suites"] == 0


def test_accreditations_may_list_the_bought_upgrades(tmp_path: Path) -> None:
    """rooms[].accreditations: its own, or its own and its upgrades' (the target room)."""
    report = run(tmp_path, lambda p: room(p, "n-dc-new").update(accreditations=["dspt", "psn"]))
    assert report.ok, explain(report)
    report = run(tmp_path, lambda p: room(p, "n-dc-new").update(accreditations=["psn"]))
    assert has(report, "8", "n-dc-new", "accreditations"), explain(report)


def test_upgrades_bought_may_be_absent_when_none_is_bought(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: room(p, "n-hall-mr").pop("upgrades_bought"))
    assert report.ok, explain(report)


# ------------------------------------------------------------------------ rule 3 by month


def test_workload_in_a_room_before_its_upgrade_holds(tmp_path: Path) -> None:
    # north-app-dr moves into n-dc-new in 2027-03, but psn holds only from 2027-05.
    report = run(tmp_path, lambda p: bought(p).update(month="2027-05"))
    assert has(
        report, "10", "north-app-dr", "n-dc-new", "psn", "2027-03", words="only from 2027-05"
    ), explain(report)
    assert any("2027-03..2027-04" in v.message for v in report.of_rule("10")), explain(report)
    assert not report.of_rule("3"), explain(report)  # the target estate holds psn


def test_target_findings_are_not_repeated_while_an_upgrade_is_awaited(tmp_path: Path) -> None:
    """From 2027-03 the placement is the target's; until psn holds (2027-05) those months
    are judged again, but only what differs from the target (rule 3) is reported."""

    def change_estate(files: Files) -> None:
        item(files, "rooms", "n-dc-new")["power_kw"] = 2  # north-app-dr draws 4 kW

    report = run(tmp_path, lambda p: bought(p).update(month="2027-05"), change_estate)
    assert has(report, "2", "n-dc-new", "power_kw"), explain(report)  # the target
    assert has(report, "10", "north-app-dr", "n-dc-new", "psn", "2027-03"), explain(report)
    assert not has(report, "10", "n-dc-new", "power_kw"), explain(report)


def test_upgrade_not_bought(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: room(p, "n-dc-new").update(upgrades_bought=[]))
    # in the target estate (the months in the target state are judged with it, once)
    assert has(report, "3", "north-app-dr", "n-dc-new", "psn"), explain(report)
    assert has(report, "costs", "one_off_breakdown.room_upgrade"), explain(report)


# ------------------------------------------------------------------------ bought upgrades


def test_upgrade_bought_before_its_lead_time(tmp_path: Path) -> None:
    report = run(tmp_path, change_estate=lambda f: upgrade_of(f, "n-dc-new").update(lead_months=3))
    assert has(report, "10", "n-dc-new", "psn", "2027-03", words="lead_months 3"), explain(report)
    assert has(report, "10", "n-dc-new", "psn", words="2027-04 at the earliest"), explain(report)


def test_upgrade_bought_in_a_month_the_room_is_not_open(tmp_path: Path) -> None:
    def change(files: Files) -> None:
        upgrade_of(files, "n-dc-new")["lead_months"] = 0

    report = run(tmp_path, lambda p: bought(p).update(month="2027-02"), change)
    assert has(report, "10", "n-dc-new", "psn", "2027-02", words="opens only in 2027-03"), explain(
        report
    )
    assert not has(report, "10", words="lead_months"), explain(report)


def test_upgrade_bought_after_the_horizon(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: bought(p).update(month="2028-05"))
    assert has(report, "10", "n-dc-new", "psn", "2028-05", words="outside"), explain(report)


def test_upgrade_the_room_does_not_offer(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        room(plan, "n-hall-mr")["upgrades_bought"] = [{"accreditation": "pasf", "month": "2027-01"}]

    report = run(tmp_path, change)
    assert has(report, "8", "n-hall-mr", "pasf", words="does not offer"), explain(report)


def test_upgrade_to_an_accreditation_the_room_holds(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        room(plan, "n-hall-mr")["upgrades_bought"] = [{"accreditation": "psn", "month": "2027-01"}]

    report = run(tmp_path, change)
    assert has(report, "8", "n-hall-mr", "psn", words="holds psn already"), explain(report)


def test_upgrade_bought_twice(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        entry = room(plan, "n-dc-new")
        entry["upgrades_bought"].append(copy.deepcopy(entry["upgrades_bought"][0]))

    report = run(tmp_path, change)
    assert has(report, "8", "n-dc-new", "psn", words="2 times"), explain(report)
    # counted once: the figures still hold
    assert {v.rule for v in report.violations} == {"8"}, explain(report)


def test_upgrade_for_a_closing_room(tmp_path: Path) -> None:
    def change_estate(files: Files) -> None:
        item(files, "rooms", "s-mr")["upgrades"] = [
            {"accreditation": "dspt", "cost": 1000, "annual_cost": 0}
        ]

    def change_plan(plan: Plan) -> None:
        room(plan, "s-mr")["upgrades_bought"] = [{"accreditation": "dspt", "month": "2027-01"}]

    report = run(tmp_path, change_plan, change_estate)
    assert has(report, "8", "s-mr", "dspt", words="closes it"), explain(report)


def test_upgrade_cost_stated_wrongly(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: bought(p).update(cost=8000.0, annual_cost=2000.0))
    assert has(report, "costs", "n-dc-new", "psn", "cost"), explain(report)
    assert has(report, "costs", "n-dc-new", "psn", "annual_cost"), explain(report)


# ------------------------------------------------------------------------ money


def test_wrong_upgrade_cost_in_the_one_off_breakdown(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        plan["costs"]["one_off_breakdown"]["room_upgrade"] = 8000.0

    report = run(tmp_path, change)
    assert has(report, "costs", "one_off_breakdown.room_upgrade"), explain(report)


def test_room_upgrade_left_out_of_the_breakdown(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        del plan["costs"]["one_off_breakdown"]["room_upgrade"]

    report = run(tmp_path, change)
    assert has(report, "costs", "one_off_breakdown.room_upgrade", words="9,000"), explain(report)
    report = run(tmp_path, change, strict=False)
    assert report.ok, explain(report)
    assert any("room_upgrade" in n for n in report.notes)


def test_upgrade_left_out_of_the_one_off_and_the_finance(tmp_path: Path) -> None:
    """A plan that forgot the upgrade's 9,000 in its month, its year and the totals."""

    def change(plan: Plan) -> None:
        plan["costs"]["one_off"] = 54000.0
        plan["months"][2]["one_off"] = 36000.0
        plan["years"][0]["one_off"] = 54000.0
        plan["years"][0]["savings"] = -52200.0
        plan["finance"]["total_savings"] = 17400.0

    report = run(tmp_path, change)
    assert has(report, "costs", "one_off"), explain(report)
    assert has(report, "months", "2027-03", "one_off"), explain(report)
    assert has(report, "years", "2026/27", "one_off"), explain(report)
    assert has(report, "years", "2026/27", "savings"), explain(report)
    assert has(report, "finance", "total_savings"), explain(report)


def test_upgrade_annual_cost_left_out_of_the_steady_cost(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        plan["costs"]["planned_steady"] = 426000.0
        plan["costs"]["steady_breakdown"]["rooms_after"] = 216000.0
        for row in plan["months"][2:]:
            row["planned"] -= 200.0

    report = run(tmp_path, change)
    assert has(report, "costs", "planned_steady"), explain(report)
    assert has(report, "costs", "steady_breakdown.rooms_after"), explain(report)
    assert has(report, "months", "2027-03", "planned"), explain(report)
    assert has(report, "months", "2028-03", "planned"), explain(report)


def test_upgrade_annual_cost_only_from_its_month(tmp_path: Path) -> None:
    """200 a month charged from 2027-01 instead of 2027-03 (when n-dc-new is not open)."""

    def change(plan: Plan) -> None:
        plan["months"][0]["planned"] += 200.0
        plan["months"][1]["planned"] += 200.0

    report = run(tmp_path, change)
    assert has(report, "months", "2027-01", "planned"), explain(report)
    assert has(report, "months", "2027-02", "planned"), explain(report)
    assert not has(report, "months", "2027-03", "planned"), explain(report)


def test_objective_and_breakdown_include_the_upgrade(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        plan["solver"]["breakdown"]["rooms"] = 436095.24  # without the 9,000
        plan["solver"]["objective"] = 850571.43
        plan["solver"]["bound"] = 850571.43

    report = run(tmp_path, change)
    assert has(report, "costs", "solver.breakdown.rooms"), explain(report)
    assert has(report, "costs", "solver.objective"), explain(report)


def test_upgrade_one_off_shared_by_the_rooms_use_in_the_target(tmp_path: Path) -> None:
    """Charged to the site owner of s-mr's old users instead of n-dc-new's (north)."""

    def change(plan: Plan) -> None:
        orgs = {o["id"]: o for o in plan["organisations"]}
        orgs["north"].update(one_off=28000.0, horizon_savings=31006.06, share=31006.06)
        orgs["north"]["horizon_savings_after_transfers"] = 31006.06
        orgs["south"].update(one_off=35000.0, horizon_savings=-22606.06, share=-22606.06)
        orgs["south"]["horizon_savings_after_transfers"] = -22606.06

    report = run(tmp_path, change)
    assert has(report, "organisations", "north", "one_off"), explain(report)
    assert has(report, "organisations", "south", "one_off"), explain(report)


def test_upgrade_annual_cost_shared_like_its_room(tmp_path: Path) -> None:
    """north's planned without its 2,400 (as if the upgrade were nobody's)."""

    def change(plan: Plan) -> None:
        orgs = {o["id"]: o for o in plan["organisations"]}
        orgs["north"].update(planned=230181.82, savings=53818.18)

    report = run(tmp_path, change)
    assert has(report, "organisations", "north", "planned"), explain(report)


# ------------------------------------------------------------------------ suites


@pytest.mark.parametrize("isolation", ["room", "separate"])
def test_police_outside_its_suite_in_a_shared_room(tmp_path: Path, isolation: str) -> None:
    """pnc moved into the suite's parent beside north-app: rule 4 holds per room, so the
    suite next door does not make it legal."""

    def change_estate(files: Files) -> None:
        if isolation == "separate":
            zones = files["estate.yaml"]["zones"]
            next(z for z in zones if z["id"] == "police")["isolation"] = "none"
            files["estate.yaml"]["separate"].append(["official", "police"])
            # and n-hall-mr could host police as far as rule 3 goes
            item(files, "rooms", "n-hall-mr")["accreditations"] = ["psn", "pasf"]

    def change_plan(plan: Plan) -> None:
        assignment(plan, "pnc").update(to="n-hall-mr", month="2027-01")

    report = run(tmp_path, change_plan, change_estate)
    if isolation == "room":
        assert has(report, "4", "n-hall-mr", "police"), explain(report)
    else:
        assert has(report, "4", "n-hall-mr", "official", "police"), explain(report)


def test_police_in_its_suite_beside_council_systems_is_legal(tmp_path: Path) -> None:
    """The valid plan already has it; with a separate pair too it still passes rule 4."""

    def change_estate(files: Files) -> None:
        files["estate.yaml"]["separate"].append(["official", "police"])

    def change_plan(plan: Plan) -> None:
        plan["separate"].append(["official", "police"])

    report = run(tmp_path, change_plan, change_estate)
    assert report.ok, explain(report)


def test_suite_open_after_its_parent_closed(tmp_path: Path) -> None:
    report = run(
        tmp_path, lambda p: room(p, "n-hall-mr").update(decision="close", close_month="2027-06")
    )
    assert has(report, "10", "n-hall-suite", "n-hall-mr", "2027-06", words="closed from 2027-06"), (
        explain(report)
    )
    assert has(report, "8", "n-hall-suite", "n-hall-mr", words="keeps suite"), explain(report)


def test_suite_closing_after_its_parent(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        room(plan, "n-hall-mr").update(decision="close", close_month="2027-05")
        room(plan, "n-hall-suite").update(decision="close", close_month="2027-07")

    report = run(tmp_path, change)
    assert has(report, "10", "n-hall-suite", "n-hall-mr", "2027-05", words="2027-05..2027-06"), (
        explain(report)
    )
    assert not has(report, "8", "n-hall-suite", "n-hall-mr"), explain(report)


def test_suite_closing_with_its_parent_is_legal(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        room(plan, "n-hall-mr").update(decision="close", close_month="2027-05")
        room(plan, "n-hall-suite").update(decision="close", close_month="2027-05")

    report = run(tmp_path, change)
    assert not has(report, "10", "n-hall-suite", "n-hall-mr"), explain(report)
    assert not has(report, "8", "n-hall-suite", "n-hall-mr"), explain(report)


def test_within_stated_wrongly(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        room(plan, "n-hall-suite")["within"] = "s-mr"
        room(plan, "h-mr")["within"] = "n-hall-mr"

    report = run(tmp_path, change)
    assert has(report, "8", "n-hall-suite", "within"), explain(report)
    assert has(report, "8", "h-mr", "within", words="not a suite"), explain(report)


def test_within_may_be_left_out(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: room(p, "n-hall-suite").pop("within"))
    assert report.ok, explain(report)


# --------------------------------------------------------- a candidate suite and its parent

CANDIDATE_SUITE = {
    "id": "n-dc-suite",
    "within": "n-dc-new",
    "status": "candidate",
    "racks": 1,
    "power_kw": 4,
    "annual_cost": 6000,
    "open_cost": 5000,
    "accreditations": ["psn", "pasf"],
}


def add_candidate_suite(files: Files) -> None:
    files["north.yaml"]["rooms"].append(copy.deepcopy(CANDIDATE_SUITE))


def open_candidate_suite(month: str, parent_month: str) -> Callable[[Plan], None]:
    """Open n-dc-suite (empty) in ``month`` and its parent n-dc-new in ``parent_month``; the
    figures are not redone (only the rules are asserted on)."""

    def change(plan: Plan) -> None:
        suite = copy.deepcopy(room(plan, "n-dc-new"))
        suite.update(
            id="n-dc-suite",
            within="n-dc-new",
            open_month=month,
            annual_cost=6000.0,
            racks=1,
            power_kw=4,
            racks_used_after=0,
            power_used_after=0,
            zones_after=[],
            accreditations=["pasf", "psn"],
        )
        del suite["upgrades_bought"]
        plan["rooms"].insert(4, suite)
        room(plan, "n-dc-new")["open_month"] = parent_month

    return change


def rules_broken(report: CheckReport) -> list[str]:
    return [v.render() for v in report.violations if v.rule in RULES]


def test_candidate_parent_opens_with_its_first_suite(tmp_path: Path) -> None:
    """n-dc-suite opens in 2027-02, before north-app-dr moves in: n-dc-new opens then."""
    report = run(tmp_path, open_candidate_suite("2027-02", "2027-02"), add_candidate_suite)
    assert rules_broken(report) == [], explain(report)
    assert not report.ok  # the figures were not redone: the check is not vacuous


def test_candidate_parent_opening_after_its_suite(tmp_path: Path) -> None:
    report = run(tmp_path, open_candidate_suite("2027-02", "2027-03"), add_candidate_suite)
    assert has(report, "10", "n-dc-suite", "n-dc-new", "2027-02", words="opens only in 2027-03"), (
        explain(report)
    )
    assert has(
        report, "10", "n-dc-new", "2027-03", words="its suite 'n-dc-suite' opens in 2027-02"
    ), explain(report)


def test_candidate_suite_opened_in_a_parent_not_opened(tmp_path: Path) -> None:
    def change(plan: Plan) -> None:
        open_candidate_suite("2027-02", "2027-02")(plan)
        room(plan, "n-dc-new").update(decision="unused", open_month=None, upgrades_bought=[])

    report = run(tmp_path, change, add_candidate_suite)
    assert has(report, "8", "n-dc-suite", "n-dc-new", words="does not open"), explain(report)
    assert has(report, "10", "n-dc-suite", "n-dc-new", words="is not opened"), explain(report)


# ------------------------------------------------------------------------ --max-rooms


def test_max_rooms_does_not_count_suites(tmp_path: Path) -> None:
    """n-hall-mr, n-dc-new and the suite are open: 2 rooms, within --max-rooms 2."""
    report = run(tmp_path)
    assert report.ok, explain(report)
    report = run(tmp_path, lambda p: p["options"].update(max_rooms=1))
    assert has(report, "8", "max_rooms", "n-hall-mr", "n-dc-new", words="2 rooms"), explain(report)
    assert not has(report, "8", "max_rooms", "n-hall-suite"), explain(report)
