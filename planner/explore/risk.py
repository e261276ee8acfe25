"""Risk (spec/explore.md): how sure are the savings when the figures are uncertain?

The plan's decisions (its :class:`~planner.target.Target`: where each workload goes,
which rooms and desks stay, which upgrades are bought) are held fixed and re-costed
under ``N`` sampled sets of figures. Sample ``i`` is one task (:class:`RiskSample`, key
``risk:<i>``); in its worker it

1. draws one multiplier per item and kind of figure (:mod:`planner.explore.sampling`:
   triangular, correlated by a Gaussian copula, seeded by ``(seed, i)`` alone);
2. scales the inventory's figures (:func:`sampled_inventory`): each workload's
   ``migration_cost`` and ``refresh_move_cost`` and its ``migration_days``, each room's
   and desk's ``closure_cost``, each room's ``annual_cost`` (and its upgrades'), each
   desk's ``fixed_cost`` and ``cost_per_fte``. Amounts stay within their fields' bounds
   and decimal places: money is rounded to pennies and capped at the field's bound,
   person-days rounded to hundredths and capped at ``migration_days_per_month`` (a move
   takes at most the team's month; a move already longer keeps its own days). A
   multiplier of exactly 1 leaves a figure as it is. Not sampled: candidate rooms'
   ``open_cost`` and upgrades' one-off ``cost``;
3. dates the migration again (:func:`sample_schedule`): the plan's months stand while
   every month's moves still fit the team's person-days (nothing else that rule 10 reads
   changes: costs do not make a month illegal); when slower moves overflow a month, the
   migration is re-dated by the greedy list scheduler (``schedule_migration(...,
   method="greedy")``), and if that finds none, by ``method="auto"`` (CP-SAT, one worker,
   a short time limit). Every sampled schedule so obeys rule 10. A re-dated schedule is
   the greedy's, which may cost more than the plan's optimised months even where no
   month overflowed: a slowdown is charged with the re-planning it forces;
4. costs the sample: :class:`~planner.plan.timeline.Timeline` and
   :func:`~planner.plan.finance.finance` on the sampled inventory give its net savings
   over the horizon (``finance.total_savings``), one-off cost (``costs.one_off``) and
   payback month.

A sample whose migration cannot be dated within the horizon is *unschedulable*: it is
counted (``unschedulable``) and left out of the percentiles and shares.

:func:`summarise_risk` turns the samples into explore.json's ``risk`` section:

* ``net_savings`` and ``one_off``: P10, P50, P90 by numpy's default ``linear`` method
  (the ``(n - 1) * p``-th order statistic, interpolated between neighbours; Hyndman and
  Fan's type 7) and the mean, each rounded to pennies;
* ``payback_month``: P50 and P90 of the payback month by the nearest-rank method (the
  ``ceil(p * n)``-th smallest, months in time order with "no payback in the horizon",
  ``null``, the latest); ``YYYY-MM`` or ``null``;
* ``p_net_negative``: the share of samples whose net savings are below zero;
  ``p_one_off_over_plan``: the share whose one-off cost exceeds the plan's;
* extension keys: ``used`` (samples in the figures), ``unschedulable``, ``missing``
  (tasks that returned nothing), ``rescheduled`` (samples whose months were re-dated),
  ``values`` (each sample's net savings and one-off cost, sorted, for charts),
  ``plan`` (the unsampled plan's net savings, one-off cost and payback month) and
  ``uncertainty`` (the parameters used).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from planner.explore.sampling import Draws, draw
from planner.explorefile import Risk
from planner.inventory.graph import EstateGraph
from planner.inventory.items import MONEY_MAX, Inventory, Uncertainty
from planner.plan.finance import finance
from planner.plan.timeline import Timeline
from planner.schedule import Schedule, schedule_migration
from planner.target import Target

DAYS_SCALE = 100
"""Person-days are counted in hundredths, as the schedule counts them."""

PERCENTILE_METHOD: Final = "linear"
"""numpy.percentile's method for net savings and one-off cost (its default, type 7)."""


def uncertainty_of(inv: Inventory) -> Uncertainty:
    """The estate's uncertainty block, or the Green Book defaults when it has none."""
    return inv.uncertainty or Uncertainty()


# ------------------------------------------------------------------ the sampled estate


def _money(amount: float, multiplier: float) -> float:
    if multiplier == 1.0:
        return amount
    return min(float(MONEY_MAX), round(amount * multiplier, 2))


def _days(days: float, multiplier: float, month: float) -> float:
    if multiplier == 1.0:
        return days
    scaled = round(days * multiplier, 2)
    return min(scaled, max(days, month))


def sampled_inventory(inv: Inventory, d: Draws) -> Inventory:
    """The inventory with its figures scaled by one sample's multipliers (module docstring,
    step 2); everything else as it is."""
    month = inv.estate.migration_days_per_month
    workloads = [
        w.model_copy(
            update={
                "migration_cost": _money(w.migration_cost, d.migration_cost[w.id]),
                "refresh_move_cost": None
                if w.refresh_move_cost is None
                else _money(w.refresh_move_cost, d.migration_cost[w.id]),
                "migration_days": _days(w.migration_days, d.migration_days[w.id], month),
            }
        )
        for w in inv.workloads
    ]
    rooms = [
        r.model_copy(
            update={
                "closure_cost": _money(r.closure_cost, d.room_closure[r.id]),
                "annual_cost": _money(r.annual_cost, d.room_annual[r.id]),
                "upgrades": [
                    u.model_copy(update={"annual_cost": _money(u.annual_cost, d.room_annual[r.id])})
                    for u in r.upgrades
                ],
            }
        )
        for r in inv.rooms
    ]
    desks = [
        s.model_copy(
            update={
                "closure_cost": _money(s.closure_cost, d.desk_closure[s.id]),
                "fixed_cost": _money(s.fixed_cost, d.desk_annual[s.id]),
                "cost_per_fte": _money(s.cost_per_fte, d.desk_annual[s.id]),
            }
        )
        for s in inv.service_desks
    ]
    return inv.replaced(workloads=workloads, rooms=rooms, service_desks=desks)


# ------------------------------------------------------------------ the sampled schedule


@dataclass(frozen=True)
class PlanMonths:
    """The plan's months (of its :class:`~planner.schedule.Schedule`), which a sample keeps
    while they stay legal."""

    move_month: dict[str, int]
    close_month: dict[str, int]
    open_month: dict[str, int]
    upgrade_month: dict[tuple[str, str], int]
    desk_switch_month: dict[str, int]
    desk_close_month: dict[str, int]

    @classmethod
    def of(cls, schedule: Schedule) -> PlanMonths:
        return cls(
            dict(schedule.move_month),
            dict(schedule.close_month),
            dict(schedule.open_month),
            dict(schedule.upgrade_month),
            dict(schedule.desk_switch_month),
            dict(schedule.desk_close_month),
        )

    def schedule(self) -> Schedule:
        return Schedule(
            status="feasible",
            move_month=dict(self.move_month),
            close_month=dict(self.close_month),
            open_month=dict(self.open_month),
            upgrade_month=dict(self.upgrade_month),
            desk_switch_month=dict(self.desk_switch_month),
            desk_close_month=dict(self.desk_close_month),
            method="plan",
        )


def days_fit(inv: Inventory, move_month: dict[str, int]) -> bool:
    """Whether every month's moves fit the team's person-days (in hundredths, rounded as
    the schedule rounds them: each move up, the month's budget down)."""
    cap = math.floor(inv.estate.migration_days_per_month * DAYS_SCALE + 1e-6)
    used: dict[int, int] = defaultdict(int)
    for w in inv.workloads:
        if w.id in move_month:
            used[move_month[w.id]] += max(0, math.ceil(w.migration_days * DAYS_SCALE - 1e-6))
    return all(total <= cap for total in used.values())


def sample_schedule(
    inv: Inventory, target: Target, months: PlanMonths | None, time_limit_s: float = 10.0
) -> Schedule | None:
    """The sample's migration schedule (module docstring, step 3); None when none is found
    within the horizon."""
    if months is not None and days_fit(inv, months.move_month):
        return months.schedule()
    graph = EstateGraph(inv)
    greedy = schedule_migration(inv, graph, target, method="greedy", workers=1)
    if greedy.status in ("optimal", "feasible"):
        return greedy
    auto = schedule_migration(
        inv,
        graph,
        target,
        method="auto",
        workers=1,
        time_limit_s=time_limit_s,
        explain_time_s=min(1.0, time_limit_s),
        patience_s=None,
    )
    return auto if auto.status in ("optimal", "feasible") else None


# ------------------------------------------------------------------ one sample, one task


@dataclass(frozen=True)
class RiskSample:
    """Sample ``index`` of a risk run: the plan's decisions re-costed under its draws."""

    index: int
    seed: int
    target: Target
    months: PlanMonths | None = None
    """The plan's months (None: always re-date the migration)."""
    time_limit_s: float = 10.0
    """CP-SAT's limit when the greedy scheduler finds no schedule."""

    @property
    def key(self) -> str:
        return f"risk:{self.index}"

    def run(self, inventory: Inventory) -> dict[str, Any]:
        """The sample's figures: net_savings, one_off, payback_month ('YYYY-MM' or None),
        unschedulable, and (extension) rescheduled and migration (the one-off's moves)."""
        d = draw(inventory, uncertainty_of(inventory), self.seed, self.index)
        inv = sampled_inventory(inventory, d)
        schedule = sample_schedule(inv, self.target, self.months, self.time_limit_s)
        if schedule is None:
            return {
                "net_savings": None,
                "one_off": None,
                "payback_month": None,
                "unschedulable": True,
                "rescheduled": True,
                "migration": None,
            }
        f = finance(Timeline(inv, self.target, schedule))
        return {
            "net_savings": f["finance"]["total_savings"],
            "one_off": f["costs"]["one_off"],
            "payback_month": f["finance"]["payback_month"],
            "unschedulable": False,
            "rescheduled": schedule.method != "plan",
            "migration": f["costs"]["one_off_breakdown"]["migration"],
        }


def risk_tasks(
    target: Target,
    schedule: Schedule | None,
    samples: int,
    seed: int,
    *,
    time_limit_s: float = 10.0,
) -> list[RiskSample]:
    """The ``samples`` tasks of a risk run, keys ``risk:0`` ... ``risk:<samples-1>``.
    ``schedule`` is the plan's (its months stand in a sample while they stay legal)."""
    months = PlanMonths.of(schedule) if schedule is not None else None
    return [RiskSample(i, seed, target, months, time_limit_s=time_limit_s) for i in range(samples)]


# ------------------------------------------------------------------ the section


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p10": None, "p50": None, "p90": None, "mean": None}
    a = np.asarray(values, dtype=np.float64)
    out: dict[str, float | None] = {
        f"p{p}": round(float(np.percentile(a, p, method=PERCENTILE_METHOD)), 2) + 0.0
        for p in (10, 50, 90)
    }
    out["mean"] = round(float(np.mean(a)), 2) + 0.0  # + 0.0: no -0.0 in the document
    return out


def nearest_rank(months: list[str | None], p: float) -> str | None:
    """The ``p``-th percentile (0 < p <= 100) of months 'YYYY-MM' by the nearest-rank
    method, None (no payback) counting as the latest; None for no months."""
    if not months:
        return None
    ordered = sorted(months, key=lambda m: (m is None, m or ""))
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise_risk(
    done: dict[str, dict[str, Any]],
    samples: int,
    seed: int,
    plan: dict[str, Any],
    uncertainty: Uncertainty,
) -> dict[str, Any]:
    """explore.json's ``risk`` section (module docstring) from the tasks' results by key
    (other keys are ignored), the plan (plan.json's document) and the parameters used
    (:func:`uncertainty_of` the estate). Valid against :class:`planner.explorefile.Risk`
    whenever at least one sample could be dated (else the figures are null)."""
    results = [done[f"risk:{i}"] for i in range(samples) if f"risk:{i}" in done]
    used = [r for r in results if not r["unschedulable"]]
    net = sorted(float(r["net_savings"]) for r in used)
    one_off = sorted(float(r["one_off"]) for r in used)
    plan_net = float(plan["finance"]["total_savings"])
    plan_one_off = float(plan["costs"]["one_off"])
    paybacks = [r["payback_month"] for r in used]
    n = len(used)
    section: dict[str, Any] = {
        "samples": samples,
        "seed": seed,
        "net_savings": _percentiles(net),
        "one_off": _percentiles(one_off),
        "payback_month": {"p50": nearest_rank(paybacks, 50), "p90": nearest_rank(paybacks, 90)},
        "p_net_negative": sum(v < 0 for v in net) / n if n else None,
        "p_one_off_over_plan": sum(v > plan_one_off for v in one_off) / n if n else None,
        "used": n,
        "unschedulable": sum(bool(r["unschedulable"]) for r in results),
        "missing": samples - len(results),
        "rescheduled": sum(bool(r.get("rescheduled")) for r in used),
        "values": {"net_savings": net, "one_off": one_off},
        "plan": {
            "net_savings": plan_net,
            "one_off": plan_one_off,
            "payback_month": plan["finance"]["payback_month"],
        },
        "uncertainty": uncertainty.model_dump(),
        "percentile_method": f"numpy {PERCENTILE_METHOD}; payback months by nearest rank",
    }
    if n:
        Risk.model_validate(section)
    return section
