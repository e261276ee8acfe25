"""Finance recomputed by hand on inventories/tiny (docs/plan-format.md, "Finance, month by
month" and "Cost allocation to organisations").

The figures below are the README's (inventories/tiny/README.md); the months come from
the plan (move, close, desk switch and desk close months), and everything else (each
month's running cost and one-offs, financial years, savings, cumulative savings,
discount factors, NPV, payback month, each council's shares) is worked out here with
plain arithmetic, then compared with plan.json. The tiny estate is also re-dated
(a start in October or January, other horizons, a delayed desk change) to exercise
partial first years.
"""

from __future__ import annotations

import math
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from helpers.migration_verify import first_day, fy_start, horizon_months, label, label_index

from planner.checker import check_plan
from planner.inventory.validate import load_and_validate
from planner.optimise import OptimiseOptions, optimise

TINY = ROOT / "inventories" / "tiny"

# The README's figures.
ROOMS = {  # annual cost, closure cost, site owner
    "county-hall-mr": (150_000, 50_000, "midshire"),
    "civic-mr": (80_000, 30_000, "brookford"),
    "records-mr": (70_000, 20_000, "midshire"),
}
DESKS = {  # fixed, per FTE, tickets per FTE, closure cost, site owner
    "midshire-desk": (40_000, 35_000, 4_000, 10_000, "midshire"),
    "brookford-desk": (30_000, 35_000, 4_000, 10_000, "brookford"),
}
TICKETS = {"midshire": 12_000, "brookford": 6_000}
DESK_TODAY = {"midshire": "midshire-desk", "brookford": "brookford-desk"}
WORKLOADS = {  # owner, room today, racks, migration cost
    "county-finance": ("midshire", "county-hall-mr", 2, 15_000),
    "county-email": ("midshire", "county-hall-mr", 2, 10_000),
    "care-record": ("midshire", "records-mr", 1, 20_000),
    "care-db": ("midshire", "records-mr", 1, 10_000),
    "district-revs": ("brookford", "civic-mr", 1, 12_000),
    "district-sql": ("brookford", "civic-mr", 1, 8_000),
}
BASELINE = 545_000  # rooms 300,000 + desks 145,000 + 100,000
PLANNED = 435_000  # rooms 220,000 + desk 40,000 + 5 x 35,000
ONE_OFF = 60_000  # civic-mr 30,000 + moves 12,000 + 8,000 + brookford-desk 10,000
RATE = 0.035
A5 = 4.515052375
BASELINE_BY_ORG = {"midshire": 365_000, "brookford": 180_000}
# County Hall shared by racks 4:2, the merged desk by tickets 12,000:6,000.
PLANNED_BY_ORG = {"midshire": 100_000 + 70_000 + 215_000 * 2 / 3, "brookford": 50_000 + 215_000 / 3}
ONE_OFF_BY_ORG = {"midshire": 0, "brookford": 60_000}


def tiny(
    tmp_path: Path,
    start: str | None = None,
    years: int | None = None,
    brookford_desk_change_from: str | None = None,
) -> Path:
    """A copy of inventories/tiny, re-dated."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    estate = target / "estate.yaml"
    text = estate.read_text(encoding="utf-8")
    if start is not None:
        text = text.replace("start: 2026-04-01", f"start: {start}")
    if years is not None:
        text = text.replace("horizon_years: 5 ", f"horizon_years: {years} ")
    estate.write_text(text, encoding="utf-8")
    if brookford_desk_change_from is not None:
        org = target / "brookford.yaml"
        text = org.read_text(encoding="utf-8")
        text = text.replace(
            "    desk: brookford-desk\n",
            f"    desk: brookford-desk\n    desk_change_from: {brookford_desk_change_from}\n",
        )
        org.write_text(text, encoding="utf-8")
    return target


@dataclass
class Hand:
    """The finance sections of plan.json, by hand."""

    years: list[dict[str, Any]]
    npv: float
    total_savings: float
    payback: str | None
    one_off_total: float
    horizon_planned: dict[str, float]
    months: int


def by_hand(start_text: str, horizon: int, plan: dict[str, Any]) -> Hand:
    import datetime as dt

    start = dt.date.fromisoformat(start_text)
    T = horizon_months(start, horizon)
    to = {a["workload"]: a["to"] for a in plan["assignments"]}
    moved = {
        a["workload"]: label_index(start, a["month"])
        for a in plan["assignments"]
        if a["month"] is not None
    }
    rooms = {r["id"]: r for r in plan["rooms"]}
    desks = {d["id"]: d for d in plan["desks"]}
    desk_of = {d["organisation"]: d for d in plan["desk_assignments"]}

    def room_open(rid: str, m: int) -> bool:
        r = rooms[rid]
        return r["decision"] == "keep" or (
            r["decision"] == "close" and m < label_index(start, r["close_month"])
        )

    def serving(org: str, m: int) -> str:
        d = desk_of[org]
        if d["month"] is not None and m >= label_index(start, d["month"]):
            return str(d["desk"])
        return DESK_TODAY[org]

    def desk_fte(desk: str, orgs: list[str]) -> int:
        return math.ceil(sum(TICKETS[o] for o in orgs) / DESKS[desk][2])

    planned_month = [0.0] * T
    one_off_month = [0.0] * T
    org_month: dict[str, float] = defaultdict(float)
    for m in range(T):
        where = {
            w: (to[w] if w in moved and m >= moved[w] else spec[1]) for w, spec in WORKLOADS.items()
        }
        for rid, (annual, _, owner) in ROOMS.items():
            if not room_open(rid, m):
                continue
            planned_month[m] += annual / 12
            racks: dict[str, float] = defaultdict(float)
            for w, (org, _, size, _) in WORKLOADS.items():
                if where[w] == rid:
                    racks[org] += size
            total = sum(racks.values())
            for org, share in racks.items() if total else [(owner, 1.0)]:
                org_month[org] += annual / 12 * share / (total or 1.0)
        for did, (fixed, per_fte, _, _, owner) in DESKS.items():
            served = [o for o in TICKETS if serving(o, m) == did]
            if desks[did]["decision"] == "keep":
                fte = desk_fte(did, served)
            elif m < label_index(start, desks[did]["close_month"]):
                fte = desk_fte(did, [o for o in TICKETS if DESK_TODAY[o] == did])  # as today
            else:
                continue
            cost = (fixed + fte * per_fte) / 12
            planned_month[m] += cost
            tickets = sum(TICKETS[o] for o in served)
            for org in served or [owner]:
                org_month[org] += cost * (TICKETS[org] / tickets if served else 1.0)
    for w, t in moved.items():
        one_off_month[t] += WORKLOADS[w][3]
    for rid, (_, closure, _) in ROOMS.items():
        if rooms[rid]["decision"] == "close":
            one_off_month[label_index(start, rooms[rid]["close_month"]) - 1] += closure
    for did, spec in DESKS.items():
        if desks[did]["decision"] == "close":
            one_off_month[label_index(start, desks[did]["close_month"]) - 1] += spec[3]

    years: list[dict[str, Any]] = []
    cumulative = npv = 0.0
    first_fy = fy_start(start)
    for y in range(horizon):
        months = [m for m in range(T) if fy_start(first_day(start, m)) == first_fy + y]
        baseline = BASELINE / 12 * len(months)
        planned = sum(planned_month[m] for m in months)
        one_off = sum(one_off_month[m] for m in months)
        savings = baseline - planned - one_off
        cumulative += savings
        factor = (1 + RATE) ** -(y + 1)
        npv += savings * factor
        years.append(
            {
                "year": f"{first_fy + y}/{(first_fy + y + 1) % 100:02d}",
                "months": len(months),
                "baseline": baseline,
                "planned": planned,
                "one_off": one_off,
                "savings": savings,
                "cumulative_savings": cumulative,
                "discount_factor": factor,
                "discounted_savings": savings * factor,
            }
        )
    running, payback = 0.0, None
    for m in range(T):
        running += BASELINE / 12 - planned_month[m] - one_off_month[m]
        if running < -0.005:
            payback = None
        elif payback is None:
            payback = m
    return Hand(
        years=years,
        npv=npv,
        total_savings=cumulative,
        payback=label(start, payback) if payback is not None else None,
        one_off_total=sum(one_off_month),
        horizon_planned=dict(org_month),
        months=T,
    )


def optimised(directory: Path) -> dict[str, Any]:
    loaded = load_and_validate(directory)
    assert loaded.ok
    plan = optimise(loaded, OptimiseOptions(time_limit_s=10, workers=2)).plan
    report = check_plan(loaded, plan)
    assert report.ok, "\n".join(v.render() for v in report.violations)
    return plan


def assert_readme_optimum(plan: dict[str, Any]) -> None:
    decisions = {r["id"]: r["decision"] for r in plan["rooms"]}
    assert decisions == {"county-hall-mr": "keep", "civic-mr": "close", "records-mr": "keep"}
    to = {a["workload"]: a["to"] for a in plan["assignments"]}
    assert to["district-revs"] == to["district-sql"] == "county-hall-mr"
    assert {a["workload"] for a in plan["assignments"] if a["month"]} == {
        "district-revs",
        "district-sql",
    }
    assert {d["organisation"]: d["desk"] for d in plan["desk_assignments"]} == {
        "midshire": "midshire-desk",
        "brookford": "midshire-desk",
    }
    assert plan["costs"]["baseline_steady"] == BASELINE
    assert plan["costs"]["planned_steady"] == PLANNED
    assert plan["costs"]["one_off"] == ONE_OFF
    assert plan["costs"]["one_off_breakdown"] == {
        "migration": 20_000,
        "room_closure": 30_000,
        "room_opening": 0,
        "desk_closure": 10_000,
    }


CASES = [
    # start, horizon_years, brookford desk_change_from
    ("2026-04-01", 5, None),
    ("2015-10-01", 5, None),  # a six-month first year, 2015/16
    ("2027-01-01", 3, None),  # a three-month first year, 2026/27
    ("2026-04-01", 3, None),
    ("2026-04-01", 5, "2026-10-15"),  # Brookford's desk may change only from October
]


@pytest.mark.parametrize(("start", "years", "change_from"), CASES)
def test_finance_month_by_month_by_hand(
    tmp_path: Path, start: str, years: int, change_from: str | None
) -> None:
    plan = optimised(tiny(tmp_path, start, years, change_from))
    assert_readme_optimum(plan)
    hand = by_hand(start, years, plan)

    # horizon_years UK financial years, labelled, with the months of each.
    assert len(plan["years"]) == years == plan["finance"]["horizon_years"]
    for got, want in zip(plan["years"], hand.years, strict=True):
        assert got["year"] == want["year"]
        assert got["months"] == want["months"]
        for key in (
            "baseline",
            "planned",
            "one_off",
            "savings",
            "cumulative_savings",
            "discounted_savings",
        ):
            assert got[key] == pytest.approx(want[key], abs=0.011), (want["year"], key)
        assert got["discount_factor"] == pytest.approx(want["discount_factor"], abs=1e-9)
        assert got["savings"] == pytest.approx(
            got["baseline"] - got["planned"] - got["one_off"], abs=0.011
        )
    assert sum(y["months"] for y in plan["years"]) == hand.months
    assert plan["finance"]["npv"] == pytest.approx(hand.npv, abs=0.01 * years)
    assert plan["finance"]["total_savings"] == pytest.approx(hand.total_savings, abs=0.011)
    assert plan["finance"]["total_savings"] == pytest.approx(
        sum(y["savings"] for y in plan["years"]), abs=0.01 * years
    )
    assert sum(y["one_off"] for y in plan["years"]) == pytest.approx(plan["costs"]["one_off"])
    assert hand.one_off_total == ONE_OFF
    assert plan["finance"]["payback_month"] == hand.payback
    assert plan["finance"]["discount_rate"] == RATE

    # Each council's shares.
    orgs = {o["id"]: o for o in plan["organisations"]}
    assert set(orgs) == {"midshire", "brookford"}
    for org, o in orgs.items():
        assert o["baseline"] == pytest.approx(BASELINE_BY_ORG[org], abs=0.011)
        assert o["planned"] == pytest.approx(PLANNED_BY_ORG[org], abs=0.011)
        assert o["savings"] == pytest.approx(BASELINE_BY_ORG[org] - PLANNED_BY_ORG[org], abs=0.011)
        assert o["one_off"] == pytest.approx(ONE_OFF_BY_ORG[org], abs=0.011)
        horizon_baseline = BASELINE_BY_ORG[org] / 12 * hand.months
        assert o["horizon_baseline"] == pytest.approx(horizon_baseline, abs=0.011)
        assert o["horizon_planned"] == pytest.approx(hand.horizon_planned[org], abs=0.011)
        horizon_savings = horizon_baseline - hand.horizon_planned[org] - ONE_OFF_BY_ORG[org]
        assert o["horizon_savings"] == pytest.approx(horizon_savings, abs=0.011)
        assert o["worse_off"] is (horizon_savings < 0)
    # Shares add up to the whole.
    assert sum(o["planned"] for o in orgs.values()) == pytest.approx(PLANNED, abs=0.02)
    assert sum(o["horizon_savings"] for o in orgs.values()) == pytest.approx(
        plan["finance"]["total_savings"], abs=0.05
    )


def test_finance_of_the_bundled_tiny_plan_in_figures(tmp_path: Path) -> None:
    """The README's start (April 2026, five years): the programme is all in April 2026."""
    plan = optimised(tiny(tmp_path))
    months = {a["workload"]: a["month"] for a in plan["assignments"] if a["month"]}
    assert months == {"district-revs": "2026-04", "district-sql": "2026-04"}
    assert next(r for r in plan["rooms"] if r["id"] == "civic-mr")["close_month"] == "2026-05"
    assert next(d for d in plan["desks"] if d["id"] == "brookford-desk")["close_month"] == (
        "2026-05"
    )
    # April 2026 costs 300,000 + 215,000 + 100,000 over 12 = 51,250 (civic-mr and the
    # Brookford desk run to the end of the month, the merged desk has 5 FTE from the
    # start); every later month 435,000 / 12 = 36,250.
    assert [y["planned"] for y in plan["years"]] == [450_000, *[435_000] * 4]
    assert [y["one_off"] for y in plan["years"]] == [60_000, 0, 0, 0, 0]
    assert [y["savings"] for y in plan["years"]] == [35_000, *[110_000] * 4]
    assert [y["cumulative_savings"] for y in plan["years"]] == [
        35_000,
        145_000,
        255_000,
        365_000,
        475_000,
    ]
    factors = [0.9661836, 0.9335107, 0.9019427, 0.8714422, 0.8419732]
    assert [y["discount_factor"] for y in plan["years"]] == pytest.approx(factors, abs=1e-7)
    assert sum(factors) == pytest.approx(A5, abs=1e-6)
    assert plan["solver"]["annuity_factor"] == pytest.approx(A5, abs=1e-9)
    assert plan["finance"]["npv"] == pytest.approx(
        35_000 * factors[0] + 110_000 * sum(factors[1:]), abs=0.05
    )
    assert plan["finance"]["total_savings"] == 475_000
    # April: 545,000 / 12 - 51,250 - 60,000 = -65,833.33; then +9,166.67 a month:
    # the running sum turns positive in the eighth month after, December 2026.
    assert plan["finance"]["payback_month"] == "2026-12"
    assert plan["solver"]["objective"] == pytest.approx(2_024_047.78, abs=0.01)


def test_a_start_in_october_makes_a_six_month_first_year(tmp_path: Path) -> None:
    plan = optimised(tiny(tmp_path, "2015-10-01"))
    assert [(y["year"], y["months"]) for y in plan["years"]] == [
        ("2015/16", 6),
        ("2016/17", 12),
        ("2017/18", 12),
        ("2018/19", 12),
        ("2019/20", 12),
    ]
    first = plan["years"][0]
    assert first["baseline"] == 272_500  # half of 545,000
    assert first["planned"] == 51_250 + 5 * 36_250
    assert first["one_off"] == 60_000
    assert first["savings"] == -20_000
    assert first["discount_factor"] == pytest.approx(1 / 1.035, abs=1e-9)  # y = 1
    assert plan["finance"]["total_savings"] == 420_000
    assert plan["finance"]["payback_month"] == "2016-06"


def test_a_desk_change_date_delays_the_desk_saving(tmp_path: Path) -> None:
    """Brookford may change desk from 15 October 2026: it switches in October, the
    Brookford desk closes in November, and until then Midshire's desk has 3 FTE."""
    plan = optimised(tiny(tmp_path, brookford_desk_change_from="2026-10-15"))
    switch = {d["organisation"]: d["month"] for d in plan["desk_assignments"]}
    assert switch == {"midshire": None, "brookford": "2026-10"}
    assert next(d for d in plan["desks"] if d["id"] == "brookford-desk")["close_month"] == (
        "2026-11"
    )
    # Months 0-5: rooms (April 300,000, then 220,000) + 145,000 + 100,000 a year;
    # October: 220,000 + 215,000 + 100,000; November on: 435,000.
    first = (300_000 + 245_000) / 12 + 5 * (220_000 + 245_000) / 12 + 535_000 / 12
    first += 5 * 435_000 / 12
    assert plan["years"][0]["planned"] == pytest.approx(first, abs=0.01)


def test_desk_change_from_is_checked(tmp_path: Path) -> None:
    """planner optimise writes (its checker accepts) a plan whose desk change waits for
    desk_change_from (the checker once demanded month 0 and refused it, exit 70)."""
    from typer.testing import CliRunner

    from planner.cli import app

    estate = tiny(tmp_path, brookford_desk_change_from="2026-10-15")
    out = tmp_path / "plan"
    args = ["optimise", str(estate), "--out", str(out), "--time-limit", "10", "--quiet"]
    result = CliRunner().invoke(app, [*args, "--workers", "2", "--no-reasons"])
    assert result.exit_code == 0, result.output
