"""`planner explore`: the plan's board questions answered by many solves on Dask.

The flow: every analysis asked for turns into tasks (:mod:`planner.explore.prices`,
:mod:`~planner.explore.pareto`, :mod:`~planner.explore.shapley`) submitted to the
cluster (:mod:`planner.explore.engine`); while they run, the plan being explored is
made here (``planner optimise`` with the same limits, one worker, no reasons), and the
risk samples of its decisions (:mod:`~planner.explore.risk`) follow. Each Pareto point's
plan is checked by the independent checker here (the workers have no files), and each
analysis summarises its results into its section of explore.json
(:mod:`planner.explorefile`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.checker import check_plan
from planner.explore import pareto, prices, risk, shapley
from planner.explore.engine import Results, Settings, session
from planner.explorefile import FORMAT, validate_explore
from planner.inventory.load import Loaded, inventory_sha256
from planner.optimise import OptimiseOptions, optimise


@dataclass(frozen=True)
class ExploreOptions:
    """What to explore and where to run it (spec/explore.md, docs/cli.md)."""

    prices: bool = True
    pareto: bool = True
    risk: int | None = 200
    """Samples of the risk analysis (None: no risk analysis)."""
    shapley: bool = True
    samples: int | None = None
    """Random orders for sampled Shapley values (None: exact up to 12 partners)."""
    time_limit_s: float = 10.0
    """Seconds per solve."""
    scheduler: str | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    seed: int = 0
    max_rooms: int | None = None
    max_desks: int | None = None


@dataclass
class Explored:
    """explore.json as a dict, and whether every task succeeded."""

    doc: dict[str, Any]
    results: Results
    plan: dict[str, Any]

    @property
    def ok(self) -> bool:
        return not self.doc["failed"]


def explore(
    loaded: Loaded,
    options: ExploreOptions,
    on_stage: Callable[[str], None] | None = None,
    on_done: Callable[[int, int], None] | None = None,
    dask_client: Any = None,
) -> Explored:
    """Explore a valid, loaded estate (see the module docstring)."""

    def stage(text: str) -> None:
        if on_stage is not None:
            on_stage(text)

    inv = loaded.inventory
    start = time.monotonic()
    price_tasks = (
        prices.price_tasks(
            inv,
            max_rooms=options.max_rooms,
            max_desks=options.max_desks,
            time_limit_s=options.time_limit_s,
            seed=options.seed,
        )
        if options.prices
        else []
    )
    pareto_tasks = (
        pareto.pareto_tasks(inv, desks=True, time_limit_s=options.time_limit_s, seed=options.seed)
        if options.pareto
        else []
    )
    coalition_tasks = (
        shapley.shapley_tasks(
            inv, samples=options.samples, seed=options.seed, time_limit_s=options.time_limit_s
        )
        if options.shapley
        else []
    )
    settings = Settings(scheduler=options.scheduler, workers=options.workers)
    stage("starting the cluster")
    with session(inv, settings, dask_client) as tasks:
        # The solves that need no plan run while the plan being explored is made here.
        tasks.submit([*price_tasks, *pareto_tasks, *coalition_tasks])
        stage("planning the estate (tasks running)")
        made = optimise(
            loaded,
            OptimiseOptions(
                max_rooms=options.max_rooms,
                max_desks=options.max_desks,
                time_limit_s=options.time_limit_s,
                workers=1,  # deterministic: the same plan, hence the same risk figures
                seed=options.seed,
                explain_reasons=False,
            ),
        )
        base = made.plan
        feasible = base["solver"]["status"] in ("optimal", "feasible")
        sample_tasks = (
            risk.risk_tasks(
                made.target,
                made.schedule,
                options.risk,
                options.seed,
                time_limit_s=options.time_limit_s,
            )
            if options.risk and made.target is not None
            else []
        )
        tasks.submit(sample_tasks)
        stage(f"running {len(tasks.futures)} task(s)")
        results = tasks.gather(on_done)
    stage("checking and summarising")
    _check_points(loaded, results)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "estate": inv.estate.name,
        "inventory_sha256": inventory_sha256(loaded.root),
        "engine": results.engine,
        "objective": base["solver"]["objective"] if feasible else None,
        "baseline_objective": _baseline_objective(base) if feasible else None,
        "time_limit_s": options.time_limit_s,
        "seed": options.seed,
        "options": {"max_rooms": options.max_rooms, "max_desks": options.max_desks},
    }
    if price_tasks and feasible:
        doc["prices"] = prices.summarise_prices(results.done, price_tasks)
    if pareto_tasks:
        doc["pareto"] = pareto.summarise_pareto(results.done, pareto_tasks, "rooms")
        doc["pareto_desks"] = pareto.summarise_pareto(results.done, pareto_tasks, "desks")
    if sample_tasks and options.risk:
        section = risk.summarise_risk(
            results.done, options.risk, options.seed, base, risk.uncertainty_of(inv)
        )
        if section.get("used"):
            doc["risk"] = section
        else:  # no sample could be costed: say why instead of figures
            doc["risk"] = None
            doc["risk_note"] = (
                f"none of the {options.risk} samples could be costed: "
                f"{section.get('unschedulable', 0)} could not be dated within the horizon "
                "(moves too slow for the team's months)"
            )
    if coalition_tasks:
        try:
            section = shapley.summarise_shapley(results.done, inv, options.samples, options.seed)
        except shapley.ShapleyError as exc:
            results.failed.append({"key": "shapley", "error": str(exc)})
        else:
            doc["shapley"] = _with_allocated(section, base) if feasible else section
    doc["failed"] = results.failed
    doc["task_times"] = task_times(results)
    doc["wall_s"] = round(time.monotonic() - start, 3)
    validate_explore(doc)
    return Explored(doc, results, base)


def _check_points(loaded: Loaded, results: Results) -> None:
    """Check each Pareto point's plan with the independent checker (its inventory_sha256 is
    the estate's: the worker had no files); keep only the verdict."""
    digest = inventory_sha256(loaded.root)
    for key, res in results.done.items():
        plan = res.pop("plan", None)
        if plan is None or not key.startswith("pareto:"):
            continue
        if plan["solver"]["status"] not in ("optimal", "feasible"):
            continue
        plan["inventory_sha256"] = digest
        report = check_plan(loaded, plan)
        res["checked"] = report.ok
        if not report.ok:
            results.failed.append(
                {
                    "key": key,
                    "error": "the checker rejected the plan: "
                    + "; ".join(v.render() for v in report.violations[:3]),
                }
            )


def task_times(results: Results) -> dict[str, dict[str, float]]:
    """Per analysis (the first part of a task's key): tasks, and the seconds they took in
    their workers, in all, on average and at most. A cluster of N workers needs about
    max(total / N, longest) for them, plus the time to start and to send the estate."""
    times: dict[str, list[float]] = {}
    for key, res in results.done.items():
        times.setdefault(key.split(":", 1)[0], []).append(float(res.get("task_s", 0.0)))
    return {
        kind: {
            "tasks": len(ts),
            "total_s": round(sum(ts), 3),
            "mean_s": round(sum(ts) / len(ts), 4),
            "max_s": round(max(ts), 3),
        }
        for kind, ts in sorted(times.items())
    }


def _with_allocated(section: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
    """Each value gains ``allocated``: the partner's part of the plan's net saving as the
    plan splits it (organisations[].share: after the estate's share_rule and its
    transfers; horizon_savings for a plan without shares), scaled to the Shapley total
    so the two can be compared (one is an objective saving, the other a net over the
    horizon's months)."""
    nets = {o["id"]: o.get("share", o["horizon_savings"]) for o in plan["organisations"]}
    total_net = sum(nets.values())
    for v in section["values"]:
        share = nets.get(v["organisation"], 0.0) / total_net if total_net else 0.0
        v["allocated"] = round(share * section["total"], 2)
    return section


def _baseline_objective(plan: dict[str, Any]) -> float:
    """Today's estate kept as it is, valued as the objective values a plan: A x today's
    steady cost (no one-off)."""
    return round(plan["solver"]["annuity_factor"] * plan["costs"]["baseline_steady"], 2)
