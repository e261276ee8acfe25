"""Accreditation upgrades and secure suites (spec/decisions.md) on estates small enough to
know the answer by hand.

Every estate starts from tests/helpers/estates.py: one council ``c`` whose desk costs
GBP 40,000 a year (10,000 + one FTE at 30,000), sites a, b and d on network psn, moves
of GBP 1,000, rooms closing for nothing. Here zone official requires psn (so council
systems cannot go to a room without it), nhs requires dspt and police requires pasf
with ``isolation: room``. The objective is one-off + A x a year's running cost, A =
sum_{y=1..H} (1 + r)^-y (A = 1 for the default one year at 0%).

Each plan is also checked by the independent checker and each objective by the brute
force of tests/helpers/bruteforce.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.bruteforce import brute_force
from helpers.estates import (
    base,
    checked,
    decisions,
    objective,
    room,
    room_of,
    run,
    workload,
)

DESK = 40_000


def annuity(years: int, rate: float) -> float:
    return sum((1 + rate) ** -y for y in range(1, years + 1))


def zoned(**estate: Any) -> dict[str, Any]:
    """The default estate with the three zones of the module docstring."""
    doc = base(**estate)
    doc["zones"] = [
        {"id": "official", "networks": ["psn"], "requires": ["psn"]},
        {"id": "nhs", "networks": ["psn"], "requires": ["dspt"]},
        {"id": "police", "networks": ["psn"], "requires": ["pasf"], "isolation": "room"},
    ]
    return doc


def rooms_by_id(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in plan["rooms"]}


def move_month(plan: dict[str, Any], wid: str) -> str | None:
    month = next(a for a in plan["assignments"] if a["workload"] == wid)["month"]
    assert month is None or isinstance(month, str)
    return month


def bought(plan: dict[str, Any], rid: str) -> list[dict[str, Any]]:
    return list(rooms_by_id(plan)[rid].get("upgrades_bought") or [])


def agrees(
    loaded: Any, plan: dict[str, Any], expected: float, max_rooms: int | None = None
) -> None:
    """The plan passes the checker, and the optimiser, the brute force and the hand agree
    on the objective to the penny."""
    checked(loaded, plan)
    assert plan["solver"]["status"] == "optimal", plan["solver"]
    assert objective(plan) == pytest.approx(expected, abs=0.01)
    best = brute_force(loaded.inventory, max_rooms)
    assert best.objective == pytest.approx(expected, abs=0.01)


# ----------------------------------------------------------------- upgrades


def nhs_estate(
    cost: float, lead_months: int = 0, years: int = 1, rate: float = 0.0
) -> dict[str, Any]:
    """County room rc (site a, psn, GBP 100,000 a year) hosts council system wc; NHS room
    rn (site b, dspt, GBP 120,000 a year) hosts wn (zone nhs). rc can buy dspt for
    ``cost`` + 10,000 a year, after ``lead_months``. rn has no psn and no upgrade, so wc
    can never go there: the only question is whether wn joins wc in rc."""
    doc = zoned(horizon_years=years, discount_rate=rate)
    doc["rooms"] = [
        room(
            "rc",
            "a",
            accreditations=["psn"],
            upgrades=[
                {
                    "accreditation": "dspt",
                    "cost": cost,
                    "annual_cost": 10_000,
                    "lead_months": lead_months,
                }
            ],
        ),
        room("rn", "b", annual_cost=120_000, accreditations=["dspt"]),
    ]
    doc["workloads"] = [workload("wc", "rc"), workload("wn", "rn", zone="nhs")]
    return doc


def test_an_upgrade_that_bites(tmp_path: Path) -> None:
    """Two years at 5%: A = 1/1.05 + 1/1.05^2 = 1.859410...

    * keep both rooms: A x (100,000 + 120,000 + 40,000 desk) = 483,446.71;
    * buy dspt for rc, move wn there, close rn: 50,000 + 1,000 one-off
      + A x (100,000 + 10,000 + 40,000) = 51,000 + 278,911.56 = 329,911.56.

    The plan buys dspt for rc (from the first month: no lead) and closes rn."""
    a = annuity(2, 0.05)
    assert a == pytest.approx(1.8594104308, abs=1e-9)
    loaded, result = run(nhs_estate(50_000, years=2, rate=0.05), tmp_path)
    plan = result.plan
    agrees(loaded, plan, 50_000 + 1_000 + a * (100_000 + 10_000 + DESK))
    assert objective(plan) == pytest.approx(329_911.56, abs=0.01)
    assert decisions(plan) == {"rc": "keep", "rn": "close"}
    assert room_of(plan) == {"wc": "rc", "wn": "rc"}
    (up,) = bought(plan, "rc")
    assert (up["accreditation"], up["month"]) == ("dspt", "2027-04")
    assert move_month(plan, "wn") == "2027-04"
    assert plan["costs"]["one_off_breakdown"]["room_upgrade"] == pytest.approx(50_000)
    assert plan["costs"]["planned_steady"] == pytest.approx(100_000 + 10_000 + DESK)
    assert bought(plan, "rn") == []


def test_an_upgrade_that_does_not_bite(tmp_path: Path) -> None:
    """One year at 0% (A = 1), dspt at 110,000:

    * keep both rooms: 100,000 + 120,000 + 40,000 = 260,000;
    * buy it and close rn: 110,000 + 10,000 + 1,000 + 100,000 + 40,000 = 261,000.

    A thousand pounds dearer: the plan keeps rn and buys nothing."""
    loaded, result = run(nhs_estate(110_000), tmp_path)
    plan = result.plan
    agrees(loaded, plan, 260_000)
    assert decisions(plan) == {"rc": "keep", "rn": "keep"}
    assert room_of(plan) == {"wc": "rc", "wn": "rn"}
    assert bought(plan, "rc") == []
    assert plan["costs"]["one_off"] == pytest.approx(0)


@pytest.mark.parametrize(
    ("lead", "month", "closes"), [(5, "2027-09", "2027-10"), (11, "2028-03", "2028-04")]
)
def test_the_move_in_waits_for_the_lead_time(
    tmp_path: Path, lead: int, month: str, closes: str
) -> None:
    """dspt at 50,000 with a lead of ``lead`` months, one year at 0% from 2027-04 (12
    months): rc can hold dspt from month ``lead`` on (2027-09 for 5 months; 2028-03, the
    horizon's last month, for 11). The target is that of test_an_upgrade_that_bites at
    A = 1: 50,000 + 1,000 + 100,000 + 10,000 + 40,000 = 201,000 (the objective values
    the target; the months rn stays open meanwhile are the schedule's business). wn moves
    in as soon as rc holds dspt, the upgrade's month in plan.json, and rn closes the
    month after (2028-04: at the end of the horizon)."""
    loaded, result = run(nhs_estate(50_000, lead_months=lead), tmp_path)
    plan = result.plan
    agrees(loaded, plan, 201_000)
    assert decisions(plan) == {"rc": "keep", "rn": "close"}
    (up,) = bought(plan, "rc")
    assert up["accreditation"] == "dspt"
    assert move_month(plan, "wn") == up["month"] == month
    assert rooms_by_id(plan)["rn"]["close_month"] == closes


def test_a_move_whose_window_ends_before_the_lead_cannot_use_the_upgrade(
    tmp_path: Path,
) -> None:
    """dspt at 50,000 with a lead of 5 months (rc holds it from 2027-09), but wn must move
    by 2027-08-31: it can never be in rc holding dspt, so both rooms stay (260,000, as
    when the upgrade is too dear) and nothing is bought."""
    doc = nhs_estate(50_000, lead_months=5)
    doc["workloads"][1]["not_after"] = "2027-08-31"
    loaded, result = run(doc, tmp_path)
    plan = result.plan
    agrees(loaded, plan, 260_000)
    assert decisions(plan) == {"rc": "keep", "rn": "keep"}
    assert bought(plan, "rc") == []


def test_the_lead_can_push_a_move_past_its_refresh(tmp_path: Path) -> None:
    """dspt at 50,000 with a lead of 5 months; wn's move costs 1,000, or 5,000 from its
    hardware refresh in 2027-06 (new kit at the destination dearer than a move). wn can
    enter rc from 2027-09 only, after the refresh: its move costs 5,000, and the target
    50,000 + 5,000 + 100,000 + 10,000 + 40,000 = 205,000 (still below keeping rn,
    260,000)."""
    doc = nhs_estate(50_000, lead_months=5)
    doc["workloads"][1].update(refresh_due="2027-06-01", refresh_move_cost=5_000)
    loaded, result = run(doc, tmp_path)
    plan = result.plan
    agrees(loaded, plan, 205_000)
    assert decisions(plan) == {"rc": "keep", "rn": "close"}
    wn = next(a for a in plan["assignments"] if a["workload"] == "wn")
    assert (wn["month"], wn["migration_cost"]) == ("2027-09", 5_000)
    (up,) = bought(plan, "rc")
    assert up["month"] == "2027-09"


def test_an_upgrade_whose_lead_reaches_past_the_horizon_is_never_bought(tmp_path: Path) -> None:
    """A lead of 12 months on a 12-month horizon: rc could hold dspt only after the
    horizon, so the plan keeps both rooms (260,000, as when the upgrade is too dear),
    though buying it would be worth 59,000 a year."""
    loaded, result = run(nhs_estate(0, lead_months=12), tmp_path)
    plan = result.plan
    agrees(loaded, plan, 260_000)
    assert decisions(plan) == {"rc": "keep", "rn": "keep"}
    assert bought(plan, "rc") == []


# ----------------------------------------------------------------- suites


def police_estate(open_cost: float, annual_cost: float) -> dict[str, Any]:
    """County room rc (site a, psn, GBP 100,000 a year) hosts council system wc; police
    room rp (site d, pasf, GBP 150,000 a year) hosts police system wp (isolation: room).
    Candidate suite rc-suite inside rc (its site left out: rc's), pasf, opening at
    ``open_cost`` and costing ``annual_cost`` a year. wp can never share rc (isolation,
    and rc lacks pasf), wc never go to rp or the suite (isolation; no psn)."""
    doc = zoned()
    suite = room(
        "rc-suite",
        "a",
        within="rc",
        status="candidate",
        racks=4,
        power_kw=12,
        annual_cost=annual_cost,
        open_cost=open_cost,
        accreditations=["pasf"],
    )
    del suite["site"]
    doc["rooms"] = [
        room("rc", "a", accreditations=["psn"]),
        room("rp", "d", annual_cost=150_000, accreditations=["pasf"]),
        suite,
    ]
    doc["workloads"] = [workload("wc", "rc"), workload("wp", "rp", zone="police")]
    return doc


def test_a_suite_that_bites(tmp_path: Path) -> None:
    """Suite at 20,000 to open and 30,000 a year (A = 1):

    * keep the police building: 100,000 + 150,000 + 40,000 = 290,000;
    * open the suite, move wp into it, close rp: 20,000 + 1,000 + 100,000 + 30,000
      + 40,000 = 191,000.

    wc stays in rc, next to the police system across the suite wall (legal: the suite
    is a room of its own)."""
    loaded, result = run(police_estate(20_000, 30_000), tmp_path)
    plan = result.plan
    agrees(loaded, plan, 191_000)
    assert decisions(plan) == {"rc": "keep", "rp": "close", "rc-suite": "open"}
    assert room_of(plan) == {"wc": "rc", "wp": "rc-suite"}
    suite = rooms_by_id(plan)["rc-suite"]
    assert suite["within"] == "rc"
    assert suite["open_month"] == move_month(plan, "wp") == "2027-04"
    assert "within" not in rooms_by_id(plan)["rc"]


def test_a_suite_that_does_not_bite(tmp_path: Path) -> None:
    """Suite at 90,000 to open and 60,000 a year (A = 1):

    * keep the police building: 290,000;
    * the suite: 90,000 + 1,000 + 100,000 + 60,000 + 40,000 = 291,000.

    A thousand pounds dearer: rp stays, the suite is never built."""
    loaded, result = run(police_estate(90_000, 60_000), tmp_path)
    plan = result.plan
    agrees(loaded, plan, 290_000)
    assert decisions(plan) == {"rc": "keep", "rp": "keep", "rc-suite": "unused"}
    assert room_of(plan) == {"wc": "rc", "wp": "rp"}


def test_max_rooms_does_not_count_suites(tmp_path: Path) -> None:
    """The estate of test_a_suite_that_does_not_bite with --max-rooms 1: keeping rp
    would make two buildings, so the suite must open after all (291,000, as worked out
    there). rc and its suite open together count as one room; were the suite counted,
    no plan would exist (wc and wp can share no room)."""
    loaded, result = run(police_estate(90_000, 60_000), tmp_path, max_rooms=1)
    plan = result.plan
    agrees(loaded, plan, 291_000, max_rooms=1)
    assert decisions(plan) == {"rc": "keep", "rp": "close", "rc-suite": "open"}
    assert room_of(plan) == {"wc": "rc", "wp": "rc-suite"}
    assert plan["options"]["max_rooms"] == 1


def test_an_empty_candidate_parent_opens_for_its_suite(tmp_path: Path) -> None:
    """The police estate with the suite inside a candidate room rn (site b, GBP 10,000 to
    open, 20,000 a year) instead of rc; the suite costs 10,000 and 20,000 a year (A = 1):

    * keep the police building: 100,000 + 150,000 + 40,000 = 290,000;
    * open rn and its suite, move wp into the suite, close rp: 10,000 + 10,000 + 1,000
      + 100,000 + 20,000 + 20,000 + 40,000 = 201,000.

    rn hosts nothing but pays its opening and its running cost: a suite is open only
    while its parent is. The parent opens in its suite's month."""
    doc = police_estate(10_000, 20_000)
    doc["rooms"][2]["within"] = "rn"
    doc["rooms"][2]["id"] = "rn-suite"
    doc["rooms"].insert(
        2, room("rn", "b", status="candidate", open_cost=10_000, annual_cost=20_000)
    )
    loaded, result = run(doc, tmp_path)
    plan = result.plan
    agrees(loaded, plan, 201_000)
    assert decisions(plan) == {"rc": "keep", "rp": "close", "rn": "open", "rn-suite": "open"}
    assert room_of(plan) == {"wc": "rc", "wp": "rn-suite"}
    rooms = rooms_by_id(plan)
    assert rooms["rn"]["open_month"] == rooms["rn-suite"]["open_month"] == "2027-04"
    assert move_month(plan, "wp") == "2027-04"


def test_a_suite_closes_no_later_than_its_parent(tmp_path: Path) -> None:
    """The police estate (no candidate suite; wc and wp pinned, so rc and rp stay) plus
    room rx (site b, psn, GBP 80,000 a year) hosting council system wx, with an existing
    suite rx-suite (pasf, 20,000 a year) hosting police system wq, which may not move
    before 2027-08 (A = 1):

    * keep rx and its suite: 100,000 + 150,000 + 80,000 + 20,000 + 40,000 = 390,000;
    * close the suite only, wq to rp: 1,000 + 100,000 + 150,000 + 80,000 + 40,000 =
      371,000 (closing rx only is no plan: its suite would be open in a closed room);
    * close both, wx to rc and wq to rp: 2,000 + 100,000 + 150,000 + 40,000 = 292,000.

    wx could leave in April, but rx must stay open while its suite is: the suite closes
    in 2027-09, after wq leaves in August, and rx no sooner."""
    doc = zoned()
    suite = room("rx-suite", "b", within="rx", annual_cost=20_000, accreditations=["pasf"])
    doc["rooms"] = [
        room("rc", "a", accreditations=["psn"]),
        room("rp", "d", annual_cost=150_000, accreditations=["pasf"]),
        room("rx", "b", annual_cost=80_000, accreditations=["psn"]),
        suite,
    ]
    doc["workloads"] = [
        workload("wc", "rc", pinned=True),
        workload("wp", "rp", zone="police", pinned=True),
        workload("wx", "rx"),
        workload("wq", "rx-suite", zone="police", not_before="2027-08-01"),
    ]
    loaded, result = run(doc, tmp_path)
    plan = result.plan
    agrees(loaded, plan, 292_000)
    assert decisions(plan) == {"rc": "keep", "rp": "keep", "rx": "close", "rx-suite": "close"}
    assert room_of(plan) == {"wc": "rc", "wp": "rp", "wx": "rc", "wq": "rp"}
    rooms = rooms_by_id(plan)
    assert move_month(plan, "wq") == "2027-08"
    assert rooms["rx-suite"]["close_month"] == "2027-09"
    assert rooms["rx"]["close_month"] == "2027-09"
