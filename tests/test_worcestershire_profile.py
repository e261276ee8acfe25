"""inventories/worcestershire: the savings profile of a phased programme.

The partners' public projection rises year by year (city: GBP 460 in 2010/11, 73,010 in
2011/12, 117,670 in 2012/13; all partners 396,874 in 2012/13). The estate is built so
that the plan's full-year saving is GBP 392,000 (README: baseline 1,182,000, plan
790,000) and the moves and closures are phased by not_before and earliest_close.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from planner.inventory.load import Loaded

BundledPlan = Callable[[str], tuple[Loaded, dict[str, Any]]]
FULL_YEAR = 392_000  # README: 1,182,000 - 790,000


def profile(plan: dict[str, Any]) -> str:
    return "; ".join(
        f"{y['year']}: savings {y['savings']:,.2f} (baseline - planned "
        f"{y['baseline'] - y['planned']:,.2f}, one-off {y['one_off']:,.2f})"
        for y in plan["years"]
    )


def test_full_year_saving_is_the_readme_figure(bundled_plan: BundledPlan) -> None:
    _, plan = bundled_plan("worcestershire")
    assert [y["year"] for y in plan["years"]] == [
        "2010/11",
        "2011/12",
        "2012/13",
        "2013/14",
        "2014/15",
    ]
    costs = plan["costs"]
    assert costs["baseline_steady"] == 1_182_000
    assert costs["planned_steady"] == 790_000
    assert costs["baseline_steady"] - costs["planned_steady"] == FULL_YEAR


def test_running_cost_saving_rises_year_by_year(bundled_plan: BundledPlan) -> None:
    """Baseline - planned (the README's basis for comparing with the projection, which
    has no one-off costs) never falls, and reaches the full-year saving."""
    _, plan = bundled_plan("worcestershire")
    running = [y["baseline"] - y["planned"] for y in plan["years"]]
    assert running == sorted(running), profile(plan)
    assert running[-1] == pytest.approx(FULL_YEAR, abs=0.01), profile(plan)
    assert running[0] < FULL_YEAR, profile(plan)


def test_savings_rise_like_a_phased_programme(bundled_plan: BundledPlan) -> None:
    """The profile of a phased programme, as the public projection has it: year one tiny
    (the city's GBP 460), then larger each year until the full saving.

    The projection counts running-cost savings (its one-off implementation costs are
    funded separately), so the rise is asserted on baseline - planned; the plan's net
    savings (baseline - planned - one_off, as the spec defines them) carry the moves and
    closures in 2011/12 and 2012/13, reach the full saving once the moves are done, and
    repay the one-off costs within the horizon (README, "The plan against the
    projection")."""
    _, plan = bundled_plan("worcestershire")
    years = plan["years"]
    running = [y["baseline"] - y["planned"] for y in years]
    assert running[0] < 0.05 * FULL_YEAR, profile(plan)  # year one tiny
    assert running[0] < running[1] < running[2] < running[3], profile(plan)
    assert running[3] == pytest.approx(FULL_YEAR, abs=0.01), profile(plan)
    savings = [y["savings"] for y in years]
    assert savings[3:] == pytest.approx([FULL_YEAR, FULL_YEAR], abs=0.01), profile(plan)
    assert savings[2] > savings[1], profile(plan)
    assert plan["finance"]["total_savings"] > 0, profile(plan)
    assert plan["finance"]["payback_month"] is not None, profile(plan)
