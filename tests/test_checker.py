"""planner check: the independent verifier, on a hand-made estate and plan.

Every test corrupts the valid plan of ``checker_case`` (or its estate) in one way
and asserts that the checker reports the rule broken, naming the items at fault;
the valid plan reports nothing. The figures of the valid plan are worked out by
hand in ``checker_case.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.checker_case import (
    check_case,
    desk_change_plan,
    estate_files,
    explain,
    has,
    infeasible_plan,
    item,
    sha_of,
    valid_plan,
    write_estate,
)
from typer.testing import CliRunner

from planner.checker import CheckReport, PlanFormatError, check_plan
from planner.checker.latency import great_circle_km, shortest_paths
from planner.checker.months import Calendar
from planner.inventory.findings import InvalidEstate
from planner.inventory.validate import load_and_validate

Plan = dict[str, Any]
Files = dict[str, dict[str, Any]]


def run(
    tmp_path: Path,
    change_plan: Callable[[Plan], None] | None = None,
    change_estate: Callable[[Files], None] | None = None,
    *,
    strict: bool = True,
) -> CheckReport:
    """Write the estate (changed), make the valid plan for it (changed) and check it."""
    report: CheckReport = check_case(
        tmp_path, estate_files(), valid_plan, change_plan, change_estate, strict=strict
    )
    return report


def entry(plan: Plan, key: str, ident: str, field: str = "id") -> dict[str, Any]:
    return next(e for e in plan[key] if e[field] == ident)


def assignment(plan: Plan, workload: str) -> dict[str, Any]:
    return entry(plan, "assignments", workload, "workload")


# ------------------------------------------------------------------------ the valid plan


def test_valid_plan_passes(tmp_path: Path) -> None:
    report = run(tmp_path)
    assert report.ok, explain(report)
    assert report.checked["workloads"] == 6
    assert report.checked["rooms"] == 4
    assert report.checked["months"] == 15  # 2027-01 .. 2028-03
    assert report.checked["moves"] == 3
    assert report.checked["years"] == 2


def test_valid_infeasible_plan_passes(tmp_path: Path) -> None:
    directory = write_estate(tmp_path / "estate")
    report = check_plan(load_and_validate(directory), infeasible_plan(sha_of(directory)))
    assert report.ok, explain(report)


def test_infeasible_plan_needs_an_explanation_and_empty_decisions(tmp_path: Path) -> None:
    directory = write_estate(tmp_path / "estate")
    plan = infeasible_plan(sha_of(directory))
    plan["explanation"] = []
    plan["rooms"] = [{"id": "h-mr", "decision": "keep", "close_month": None}]
    plan["costs"]["baseline_steady"] = 485000.0
    report = check_plan(load_and_validate(directory), plan)
    assert has(report, "format", "explanation"), explain(report)
    assert has(report, "format", "rooms"), explain(report)
    assert has(report, "costs", "baseline_steady"), explain(report)


def test_calendar_of_the_case() -> None:
    import datetime as dt

    cal = Calendar(dt.date(2027, 1, 1), 2)
    assert cal.months == 15
    assert cal.label(14) == "2028-03"
    assert [(y, len(m)) for y, m in cal.years()] == [("2026/27", 3), ("2027/28", 12)]
    assert Calendar(dt.date(2015, 10, 1), 5).months == 54  # a six-month first year
    assert Calendar(dt.date(2026, 4, 1), 5).months == 60


# ------------------------------------------------------------------------ rule 1


def test_rule1_pinned_workload_moved(tmp_path: Path) -> None:
    def move_care(plan: Plan) -> None:
        a = assignment(plan, "care")
        a["to"], a["month"] = "n-dc-new", "2027-03"

    report = run(tmp_path, move_care)
    assert has(report, "1", "care"), explain(report)


def test_rule1_workload_missing(tmp_path: Path) -> None:
    def drop(plan: Plan) -> None:
        plan["assignments"] = [a for a in plan["assignments"] if a["workload"] != "north-app"]

    report = run(tmp_path, drop)
    assert has(report, "1", "north-app"), explain(report)


def test_rule1_workload_listed_twice(tmp_path: Path) -> None:
    def twice(plan: Plan) -> None:
        plan["assignments"].append(dict(assignment(plan, "north-app")))

    report = run(tmp_path, twice)
    assert has(report, "1", "north-app"), explain(report)


def test_rule1_workload_left_in_a_closed_room(tmp_path: Path) -> None:
    def stay(plan: Plan) -> None:
        a = assignment(plan, "south-db")
        a["to"], a["month"] = "s-mr", None

    report = run(tmp_path, stay)
    assert has(report, "1", "s-mr"), explain(report)


def test_rule1_from_is_not_todays_room(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: assignment(p, "north-app").update({"from": "h-mr"}))
    assert has(report, "1", "north-app", "h-mr"), explain(report)


# ------------------------------------------------------------------------ rule 2


def test_rule2_racks(tmp_path: Path) -> None:
    # n-hall-mr ends with north-app 2 + south-revs 1 + south-db 1 = 4 racks.
    report = run(tmp_path, change_estate=lambda f: item(f, "rooms", "n-hall-mr").update(racks=3.5))
    assert has(report, "2", "n-hall-mr", "racks"), explain(report)
    assert "0.5 over" in explain(report)


def test_rule2_power(tmp_path: Path) -> None:
    # 8 + 4 + 4 = 16 kW in a 15 kW room.
    report = run(
        tmp_path, change_estate=lambda f: item(f, "rooms", "n-hall-mr").update(power_kw=15)
    )
    assert has(report, "2", "n-hall-mr", "power_kw"), explain(report)
    assert not has(report, "2", "n-hall-mr", "racks")


def test_rule2_exact_decimals_fit(tmp_path: Path) -> None:
    # 0.1 + 0.2 racks fill a 0.3-rack room exactly (no float noise).
    def tiny(files: Files) -> None:
        item(files, "workloads", "south-revs").update(racks=0.1)
        item(files, "workloads", "south-db").update(racks=0.2)
        item(files, "workloads", "north-app").update(racks=0)
        item(files, "rooms", "n-hall-mr").update(racks=0.3)

    report = run(tmp_path, change_estate=tiny)
    assert "2" not in report.rules, explain(report)


# ------------------------------------------------------------------------ rule 3


def test_rule3_accreditation(tmp_path: Path) -> None:
    # north-app-dr (official, requires psn) moves to n-dc-new, which loses psn.
    def no_psn(files: Files) -> None:
        item(files, "rooms", "n-dc-new")["accreditations"] = ["dspt"]

    report = run(tmp_path, change_estate=no_psn)
    assert has(report, "3", "north-app-dr", "n-dc-new"), explain(report)


# ------------------------------------------------------------------------ rule 4


def _care_db_to_dc(plan: Plan) -> None:
    a = assignment(plan, "care-db")
    a["to"], a["month"] = "n-dc-new", "2027-03"


def test_rule4_separation(tmp_path: Path) -> None:
    report = run(tmp_path, _care_db_to_dc)
    assert has(report, "4", "n-dc-new", "nhs", "official"), explain(report)


def test_rule4_isolation(tmp_path: Path) -> None:
    def isolate(files: Files) -> None:
        files["estate.yaml"]["separate"] = []
        files["estate.yaml"]["zones"][1]["isolation"] = "room"

    report = run(tmp_path, _care_db_to_dc, isolate)
    assert has(report, "4", "n-dc-new", "nhs"), explain(report)
    assert not has(report, "4", "n-dc-new", "nhs", "official")


# ------------------------------------------------------------------------ rule 5


def test_rule5_user_latency(tmp_path: Path) -> None:
    # s-office -> n-dc: direct 4.5 ms, via n-hall 3 + 2 = 5 ms; north-app-dr allows 4 ms.
    def slower(files: Files) -> None:
        files["estate.yaml"]["links"][2]["latency_ms"] = 4.5

    report = run(tmp_path, change_estate=slower)
    assert has(report, "5", "north-app-dr", "s-office", "n-dc-new"), explain(report)
    assert "4.5 ms" in explain(report)


def test_rule5_unreachable(tmp_path: Path) -> None:
    # Without the two wan links into n-dc, s-office cannot reach north-app-dr's new room.
    def cut(files: Files) -> None:
        links = files["estate.yaml"]["links"]
        files["estate.yaml"]["links"] = [
            link
            for link in links
            if not ("n-dc" in (link["a"], link["b"]) and link["network"] == "wan")
        ]

    report = run(tmp_path, change_estate=cut)
    assert has(report, "5", "north-app-dr", "s-office"), explain(report)
    assert "cannot reach" in explain(report)


def test_dijkstra_takes_the_shorter_path() -> None:
    from fractions import Fraction

    adjacency = {
        "a": [("b", Fraction(5)), ("c", Fraction(1))],
        "b": [("a", Fraction(5)), ("c", Fraction(2))],
        "c": [("a", Fraction(1)), ("b", Fraction(2))],
    }
    assert shortest_paths(adjacency, "a") == {"a": 0, "b": 3, "c": 1}


def test_great_circle() -> None:
    # One degree of latitude is R x pi / 180 = 6371.0088 x 0.01745329 = 111.195 km.
    assert great_circle_km(52.0, -1.0, 53.0, -1.0) == pytest.approx(111.195, abs=1e-3)
    assert great_circle_km(52.0, -1.0, 52.0, -1.0) == 0.0


# ------------------------------------------------------------------------ rule 6


def test_rule6_dependency(tmp_path: Path) -> None:
    # south-db goes to n-dc-new, 2 ms from south-revs at n-hall; the pair allows 0 ms.
    report = run(tmp_path, lambda p: assignment(p, "south-db").update(to="n-dc-new"))
    assert has(report, "6", "south-revs", "south-db"), explain(report)


# ------------------------------------------------------------------------ rule 7


def test_rule7_same_site(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: assignment(p, "north-app-dr").update(to="n-hall-mr"))
    assert has(report, "7", "north-app", "north-app-dr"), explain(report)


def test_rule7_too_close(tmp_path: Path) -> None:
    # n-dc moved to 52.05 N: 0.05 degrees = 5.56 km from n-hall, under the 10 km minimum.
    report = run(tmp_path, change_estate=lambda f: item(f, "sites", "n-dc").update(lat=52.05))
    assert has(report, "7", "north-app", "north-app-dr"), explain(report)
    assert "5.560 km apart" in explain(report)


# ------------------------------------------------------------------------ rule 8


def test_rule8_keep_flag(tmp_path: Path) -> None:
    report = run(tmp_path, change_estate=lambda f: item(f, "rooms", "s-mr").update(keep=True))
    assert has(report, "8", "s-mr"), explain(report)


def test_rule8_candidate_decision(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "rooms", "n-dc-new").update(decision="keep"))
    assert has(report, "8", "n-dc-new"), explain(report)


def test_rule8_max_rooms(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["options"].update(max_rooms=1))
    assert has(report, "8", "max_rooms", "n-hall-mr", "n-dc-new"), explain(report)


def test_rule8_limits_count_only_the_shared_service(tmp_path: Path) -> None:
    # Without shared_service, health's room and desk count too: 3 rooms > 2, 2 desks > 1.
    def everyone(files: Files) -> None:
        del files["estate.yaml"]["estate"]["shared_service"]

    report = run(tmp_path, change_estate=everyone)
    assert has(report, "8", "max_rooms", "h-mr"), explain(report)
    assert has(report, "8", "max_desks", "health-desk"), explain(report)


def test_rule8_room_missing(tmp_path: Path) -> None:
    def drop(plan: Plan) -> None:
        plan["rooms"] = [r for r in plan["rooms"] if r["id"] != "h-mr"]

    report = run(tmp_path, drop)
    assert has(report, "8", "h-mr"), explain(report)


def test_rule8_keep_candidate_opened_empty(tmp_path: Path) -> None:
    # A keep: true candidate that can host nothing is opened with no move in: the docs
    # define open_month only by the first move in, so any month of the plan is accepted.
    def must_open(files: Files) -> None:
        files["north.yaml"]["rooms"].append(
            {"id": "must-open", "site": "n-dc", "status": "candidate", "keep": True,
             "racks": 1, "power_kw": 1, "annual_cost": 0, "open_cost": 0}
        )  # fmt: skip

    def opened(plan: Plan) -> None:
        plan["rooms"].insert(3, dict(entry(plan, "rooms", "n-dc-new"), id="must-open"))
        plan["rooms"][3].update(
            open_month="2027-05", annual_cost=0.0, racks=1, power_kw=1, racks_used_after=0,
            power_used_after=0, zones_after=[], accreditations=[],
        )  # fmt: skip
        plan["options"]["max_rooms"] = 3

    report = run(tmp_path, opened, must_open)
    assert report.ok, explain(report)
    assert any("must-open" in note for note in report.notes)

    def left_unused(plan: Plan) -> None:
        opened(plan)
        entry(plan, "rooms", "must-open").update(decision="unused", open_month=None)

    unopened = run(tmp_path / "b", left_unused, must_open)
    assert has(unopened, "8", "must-open"), explain(unopened)


# ------------------------------------------------------------------------ rule 9


def test_rule9_vetting(tmp_path: Path) -> None:
    report = run(
        tmp_path,
        lambda p: entry(p, "desk_assignments", "health", "organisation").update(desk="north-desk"),
    )
    assert has(report, "9", "health", "north-desk"), explain(report)


def test_rule9_fte(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "desks", "north-desk").update(fte=3))
    assert has(report, "9", "north-desk"), explain(report)
    assert "ceil(11000 tickets / 3000) = 4" in explain(report)


def test_rule9_seats(tmp_path: Path) -> None:
    report = run(
        tmp_path, change_estate=lambda f: item(f, "service_desks", "north-desk").update(seats=3)
    )
    assert has(report, "9", "north-desk"), explain(report)
    assert "1 over" in explain(report)


def test_rule9_served_by_a_closed_desk(tmp_path: Path) -> None:
    report = run(
        tmp_path,
        lambda p: entry(p, "desk_assignments", "south", "organisation").update(desk="south-desk"),
    )
    assert has(report, "9", "south", "south-desk"), explain(report)


def test_rule9_idle_desk_kept(tmp_path: Path) -> None:
    # A desk that serves nobody (0 seats) stays open: a desk left with no organisation
    # closes (docs/plan-format.md, schedule rules).
    def spare(files: Files) -> None:
        files["north.yaml"]["service_desks"].append(
            {"id": "spare-desk", "site": "n-dc", "seats": 0, "fixed_cost": 0,
             "cost_per_fte": 36000, "tickets_per_fte": 3000}
        )  # fmt: skip

    def kept(plan: Plan) -> None:
        plan["desks"].insert(2, {"id": "spare-desk", "decision": "keep", "fte": 0,
                                 "fte_before": 0, "close_month": None, "organisations": [],
                                 "reason": "by hand"})  # fmt: skip

    report = run(tmp_path, kept, spare)
    assert has(report, "9", "spare-desk"), explain(report)
    assert report.rules == {"8", "9"}, explain(report)  # and 2 desks > --max-desks 1


# ------------------------------------------------------------------------ rule 10


def test_rule10_person_days(tmp_path: Path) -> None:
    # north-app-dr in 2027-02 too: 10 + 15 + 5 = 30 person-days > 20.
    report = run(tmp_path, lambda p: assignment(p, "north-app-dr").update(month="2027-02"))
    assert has(report, "10", "2027-02", "north-app-dr", "south-revs"), explain(report)
    assert "by 10" in explain(report)


def test_rule10_not_before(tmp_path: Path) -> None:
    def early(plan: Plan) -> None:
        assignment(plan, "south-revs")["month"] = "2027-01"
        assignment(plan, "south-db")["month"] = "2027-01"

    report = run(tmp_path, early)
    assert has(report, "10", "south-revs", "2027-01"), explain(report)


def test_rule10_not_after(tmp_path: Path) -> None:
    report = run(
        tmp_path,
        change_estate=lambda f: item(f, "workloads", "north-app-dr").update(not_after="2026-12-31"),
    )
    assert has(report, "10", "north-app-dr", "2027-01"), explain(report)


def test_rule10_close_before_earliest_close_and_last_move(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "rooms", "s-mr").update(close_month="2027-02"))
    assert has(report, "10", "s-mr", "2027-02"), explain(report)  # earliest_close 2027-02-15
    assert has(report, "10", "s-mr", "south-revs"), explain(report)  # leaves in 2027-02


def test_rule10_close_month_within_horizon(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "rooms", "s-mr").update(close_month="2028-05"))
    assert has(report, "10", "s-mr", "2028-05"), explain(report)


def test_rule10_state_during_migration(tmp_path: Path) -> None:
    # south-db a month after south-revs: in 2027-02 the pair is split (3 ms > 0 ms).
    report = run(tmp_path, lambda p: assignment(p, "south-db").update(month="2027-03"))
    assert has(report, "10", "south-revs", "south-db", "2027-02"), explain(report)
    assert not has(report, "6", "south-revs", "south-db")  # the target state is fine


def test_rule10_open_month_is_first_move_in(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "rooms", "n-dc-new").update(open_month="2027-02"))
    assert has(report, "10", "n-dc-new", "2027-02"), explain(report)
    # and north-app-dr sits in the unopened room in 2027-01
    assert has(report, "10", "n-dc-new", "north-app-dr", "2027-01"), explain(report)


def test_rule10_wave_days(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["waves"][1].update(days=19.0))
    assert has(report, "10", "2027-02"), explain(report)


def test_rule10_workload_missing_from_its_wave(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["waves"][1].update(workloads=["south-revs"]))
    assert has(report, "10", "2027-02", "south-db"), explain(report)


def test_rule10_move_without_month(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: assignment(p, "south-db").update(month=None))
    assert has(report, "10", "south-db"), explain(report)


def test_rule10_desk_close_month(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "desks", "south-desk").update(close_month="2027-03"))
    assert has(report, "10", "south-desk"), explain(report)


def _south_waits(files: Files) -> None:
    item(files, "organisations", "south")["desk_change_from"] = "2027-02-10"


def test_rule10_desk_change_from(tmp_path: Path) -> None:
    files = estate_files()
    _south_waits(files)
    directory = write_estate(tmp_path / "waits", files)
    loaded = load_and_validate(directory)
    report = check_plan(loaded, desk_change_plan(sha_of(directory)))
    assert report.ok, explain(report)
    # The plan made without the date changes desk in month 0, too early; its money and
    # close month follow from that month, so that is the one thing reported.
    early = check_plan(loaded, valid_plan(sha_of(directory)))
    assert has(early, "10", "south"), explain(early)
    assert "desk_change_from 2027-02-10" in explain(early)
    assert len(early.violations) == 1, explain(early)
    # Moving only the month and not the money is caught by the money.
    late = valid_plan(sha_of(directory))
    entry(late, "desk_assignments", "south", "organisation")["month"] = "2027-02"
    report = check_plan(loaded, late)
    assert has(report, "10", "south-desk"), explain(report)  # closes 2027-03, not 2027-02
    assert has(report, "years", "2026/27", "planned"), explain(report)


def test_rule10_desk_change_after_the_horizon(tmp_path: Path) -> None:
    def never(files: Files) -> None:
        item(files, "organisations", "south")["desk_change_from"] = "2028-04-01"

    report = run(tmp_path, change_estate=never)
    assert has(report, "10", "south", "north-desk"), explain(report)
    assert "keeps its desk" in explain(report)


def test_rule10_move_group(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p.update(move_groups=[["north-app-dr", "south-revs"]]))
    assert has(report, "10", "north-app-dr", "south-revs"), explain(report)


# ------------------------------------------------------------------------ costs


def test_costs_baseline(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["costs"].update(baseline_steady=486001.0))
    assert has(report, "costs", "baseline_steady"), explain(report)
    assert "off by GBP 1.00" in explain(report)


def test_costs_one_off_breakdown(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["costs"]["one_off_breakdown"].update(room_opening=0.0))
    assert has(report, "costs", "one_off_breakdown.room_opening"), explain(report)


def test_costs_objective(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["solver"].update(objective=823796.92, bound=823795.92))
    assert has(report, "costs", "solver.objective"), explain(report)


def test_costs_objective_within_a_penny(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["solver"].update(objective=823795.93, bound=823795.93))
    assert report.ok, explain(report)


def test_costs_annuity_factor(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["solver"].update(annuity_factor=1.86))
    assert has(report, "costs", "solver.annuity_factor"), explain(report)


def test_costs_breakdown(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["solver"]["breakdown"].update(desks=396000.0))
    assert has(report, "costs", "solver.breakdown.desks"), explain(report)


# ------------------------------------------------------------------------ years, finance


def test_years_savings(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["years"][1].update(savings=72001.0))
    assert has(report, "years", "2027/28", "savings"), explain(report)


def test_years_planned(tmp_path: Path) -> None:
    # As if south-desk stopped costing in 2027-01: 7,000 less in 2026/27.
    def cheaper(plan: Plan) -> None:
        plan["years"][0].update(planned=113500.0, savings=-46000.0)

    report = run(tmp_path, cheaper)
    assert has(report, "years", "2026/27", "planned"), explain(report)


def test_years_labels(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["years"][0].update(year="2027/28"))
    assert "years" in report.rules, explain(report)


def test_years_discount_factor(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["years"][1].update(discount_factor=0.9))
    assert has(report, "years", "2027/28", "discount_factor"), explain(report)


def test_months_series(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["months"][1].update(one_off=18000.0, savings=-17000.0))
    assert has(report, "months", "2027-02", "one_off"), explain(report)
    assert has(report, "months", "2027-02", "savings"), explain(report)


def test_months_cover_the_horizon(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["months"].pop())
    assert has(report, "months", "months"), explain(report)


def test_zone_rules_copied(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["zones"][1].update(requires=[]))
    assert has(report, "estate", "nhs", "requires"), explain(report)
    report = run(tmp_path / "b", lambda p: p.update(separate=[]))
    assert has(report, "estate", "separate"), explain(report)


def test_finance_npv(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["finance"].update(npv=14830.93))
    assert has(report, "finance", "npv"), explain(report)


def test_finance_payback(tmp_path: Path) -> None:
    # The running sum is -5,000 in 2027-11.
    report = run(tmp_path, lambda p: p["finance"].update(payback_month="2027-11"))
    assert has(report, "finance", "payback_month"), explain(report)
    assert "from 2027-12 on" in explain(report)


def test_finance_payback_never(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["finance"].update(payback_month=None))
    assert has(report, "finance", "payback_month"), explain(report)


# ------------------------------------------------------------------------ organisations


def test_organisations_planned(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "organisations", "south").update(planned=105819.18))
    assert has(report, "organisations", "south", "planned"), explain(report)


def test_organisations_one_off_share(tmp_path: Path) -> None:
    # All of s-mr's closure to south instead of 1/3 to north by today's racks.
    def all_south(plan: Plan) -> None:
        entry(plan, "organisations", "north")["one_off"] = 24000.0
        entry(plan, "organisations", "south")["one_off"] = 30000.0

    report = run(tmp_path, all_south)
    assert has(report, "organisations", "north", "one_off"), explain(report)
    assert has(report, "organisations", "south", "one_off"), explain(report)


def test_organisations_horizon_planned(tmp_path: Path) -> None:
    report = run(
        tmp_path,
        lambda p: entry(p, "organisations", "north").update(horizon_planned=277000.0),
    )
    assert has(report, "organisations", "north", "horizon_planned"), explain(report)


def test_organisations_worse_off(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: entry(p, "organisations", "south").update(worse_off=False))
    assert has(report, "organisations", "south", "worse_off"), explain(report)


def test_organisations_missing(tmp_path: Path) -> None:
    def drop(plan: Plan) -> None:
        plan["organisations"] = [o for o in plan["organisations"] if o["id"] != "health"]

    report = run(tmp_path, drop)
    assert has(report, "organisations", "health"), explain(report)


# ------------------------------------------------------------------------ staff


def test_staff_transfer(tmp_path: Path) -> None:
    report = run(
        tmp_path,
        lambda p: entry(p["staff"], "by_organisation", "north").update(transfer_in=0.0),
    )
    assert has(report, "staff", "north", "transfer_in"), explain(report)
    assert has(report, "staff", "north", "identity"), explain(report)


def test_staff_totals(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["staff"].update(ops_fte_after=3.0))
    assert has(report, "staff", "ops_fte_after"), explain(report)


def test_staff_by_site(tmp_path: Path) -> None:
    report = run(
        tmp_path, lambda p: entry(p["staff"], "by_site", "n-dc", "site").update(ops_fte_after=0.0)
    )
    assert has(report, "staff", "n-dc", "ops_fte_after"), explain(report)


# ------------------------------------------------------------------------ inputs


def test_sha(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p.update(inventory_sha256="0" * 64))
    assert has(report, "sha", "inventory_sha256"), explain(report)
    assert report.rules == {"sha"}


def test_sha_changes_with_the_files(tmp_path: Path) -> None:
    files = estate_files()
    directory = write_estate(tmp_path / "estate", files)
    plan = valid_plan(sha_of(directory))
    (directory / "north.yaml").write_text(
        (directory / "north.yaml").read_text() + "# edited\n", encoding="utf-8"
    )
    report = check_plan(load_and_validate(directory), plan)
    assert report.rules == {"sha"}, explain(report)


def test_created_is_iso(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p.update(created="yesterday"))
    assert has(report, "format", "created"), explain(report)


def test_estate_name(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p.update(estate="Another estate"))
    assert has(report, "estate", "estate"), explain(report)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda p: p.update(format="planner-plan/2"), "format"),
        (lambda p: p.pop("costs"), "costs: missing"),
        (lambda p: p["rooms"][0].update(decision=3), "rooms[0].decision"),
        (lambda p: p["assignments"][0].update(month="2027-13"), "assignments[0].month"),
        (lambda p: p["rooms"][3].update(close_month="0000-01"), "rooms[3].close_month"),
        (lambda p: p["solver"].update(status="done"), "solver.status"),
        (lambda p: p["desks"][0].update(fte=True), "desks[0].fte"),
    ],
)
def test_not_a_plan(tmp_path: Path, change: Callable[[Plan], Any], words: str) -> None:
    with pytest.raises(PlanFormatError, match=words.replace("[", r"\[").replace("]", r"\]")):
        run(tmp_path, change)


def test_not_an_object(tmp_path: Path) -> None:
    directory = write_estate(tmp_path / "estate")
    with pytest.raises(PlanFormatError):
        check_plan(load_and_validate(directory), [1, 2])


def test_invalid_estate_is_refused(tmp_path: Path) -> None:
    files = estate_files()
    item(files, "rooms", "s-mr")["racks"] = 1  # three racks in it today
    directory = write_estate(tmp_path / "estate", files)
    with pytest.raises(InvalidEstate):
        check_plan(load_and_validate(directory), valid_plan(sha_of(directory)))


def test_missing_extension_keys(tmp_path: Path) -> None:
    def core_only(plan: Plan) -> None:
        del plan["finance"]
        for room in plan["rooms"]:
            del room["open_month"]

    assert has(run(tmp_path, core_only), "format", "extension keys")
    relaxed = run(tmp_path, core_only, strict=False)
    assert relaxed.ok, explain(relaxed)
    assert any("finance" in note for note in relaxed.notes)


def test_inventory_order(tmp_path: Path) -> None:
    report = run(tmp_path, lambda p: p["rooms"].reverse())
    assert has(report, "format", "rooms"), explain(report)


# ------------------------------------------------------------------------ the command


def _write(tmp_path: Path, plan: Any) -> tuple[Path, Path]:
    directory = write_estate(tmp_path / "estate")
    path = tmp_path / "plan.json"
    if plan == "valid":
        plan = valid_plan(sha_of(directory))
    path.write_text(plan if isinstance(plan, str) else json.dumps(plan), encoding="utf-8")
    return directory, path


def test_cli_exit_codes(tmp_path: Path) -> None:
    from planner.cli import app

    runner = CliRunner()
    directory, path = _write(tmp_path, "valid")
    result = runner.invoke(app, ["check", str(directory), str(path)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output

    plan = valid_plan(sha_of(directory))
    plan["costs"]["one_off"] = 50000.0
    path.write_text(json.dumps(plan), encoding="utf-8")
    result = runner.invoke(app, ["check", str(directory), str(path)])
    assert result.exit_code == 1, result.output
    assert "rule costs [one_off]" in result.output

    plan = valid_plan(sha_of(directory))
    del plan["finance"]  # an extension key: required of planner's plans, not of others'
    path.write_text(json.dumps(plan), encoding="utf-8")
    assert runner.invoke(app, ["check", str(directory), str(path)]).exit_code == 1
    result = runner.invoke(app, ["check", str(directory), str(path), "--core-only"])
    assert result.exit_code == 0, result.output
    assert "note:" in result.output

    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["check", str(directory), str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)

    path.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    assert runner.invoke(app, ["check", str(directory), str(path)]).exit_code == 2

    result = runner.invoke(app, ["check", str(directory), str(tmp_path / "missing.json")])
    assert result.exit_code == 2

    (directory / "south.yaml").write_text("rooms: [{id: 1}]\n", encoding="utf-8")
    path.write_text(json.dumps(valid_plan("x")), encoding="utf-8")
    assert runner.invoke(app, ["check", str(directory), str(path)]).exit_code == 2
