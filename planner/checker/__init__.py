"""`planner check`: an independent verifier of plan.json against the estate's files.

It shares no logic with the optimiser: it imports only the inventory package (the
loader and the pydantic inventory models), :mod:`planner.planfile` (plan.json's
models, for the keys and types of a plan: :mod:`planner.checker.planfile`) and the
standard library, reads plan.json as plain JSON, and recomputes everything the
documents define (spec/inventory-format.md rules 1-10 and the cost model;
spec/decisions.md's accreditation upgrades and secure suites; docs/plan-format.md's
months, finance, allocation and staff accounting) with its
own latency search, distance and exact arithmetic. The import contracts of
pyproject.toml (``lint-imports``, ``tests/test_layers.py``) enforce this.

    report = check_plan(loaded, json.load(open("plan.json")))
    for v in report.violations:
        print(v.render())
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from planner.checker.amounts import Total, money_ok
from planner.checker.context import Ctx, build
from planner.checker.facts import check_facts
from planner.checker.migration import check_migration
from planner.checker.money import check_money, compute
from planner.checker.planfile import read_shape
from planner.checker.report import CheckReport, PlanFormatError, Violation
from planner.checker.rules import check_target
from planner.checker.suites import check_suites
from planner.checker.upgrades import check_upgrades
from planner.inventory.findings import InvalidEstate
from planner.inventory.load import Loaded, inventory_sha256

__all__ = ["CheckReport", "PlanFormatError", "Violation", "check_plan"]


def check_plan(loaded: Loaded, plan: Any, *, strict: bool = True) -> CheckReport:
    """Check a plan (plan.json as parsed JSON) against a loaded estate.

    Raises :class:`InvalidEstate` when the estate has errors and
    :class:`PlanFormatError` when the plan is not a ``planner-plan/1`` document.
    With ``strict`` (the default, for planner's own plans) every extension key of
    docs/plan-format.md must be present; otherwise only the core keys are required and
    the extensions present are checked.
    """
    if not loaded.ok:
        raise InvalidEstate(loaded.findings.items)
    shape = read_shape(plan)
    report = CheckReport()
    ctx = Ctx(loaded.inventory, plan, report, strict)
    if shape.missing_ext:
        paths = sorted({re.sub(r"\[\d+\]", "[*]", p) for p in shape.missing_ext})
        text = f"extension keys of docs/plan-format.md not in the plan: {', '.join(paths)}"
        if strict:
            ctx.add("format", ("extension keys",), text)
        else:
            report.notes.append(text + " (not checked)")
    _check_header(ctx, loaded)
    if shape.feasible:
        build(ctx)
        check_target(ctx)
        check_upgrades(ctx)
        check_suites(ctx)
        check_facts(ctx)
        check_migration(ctx)
        check_money(ctx)
    else:
        _check_infeasible(ctx)
    return report


def _check_header(ctx: Ctx, loaded: Loaded) -> None:
    plan = ctx.plan
    try:
        dt.datetime.fromisoformat(plan["created"])
    except ValueError:
        ctx.add(
            "format",
            ("created",),
            f"created {plan['created']!r} is not an ISO 8601 time (e.g. 2026-11-23T10:00:00Z)",
        )
    if plan["estate"] != ctx.inv.estate.name:
        ctx.add(
            "estate",
            ("estate",),
            f"the plan is for estate '{plan['estate']}', the files are '{ctx.inv.estate.name}'",
        )
    if loaded.files:
        digest = inventory_sha256(loaded.root)
        if plan["inventory_sha256"] != digest:
            ctx.add(
                "sha",
                ("inventory_sha256",),
                f"inventory_sha256 is {plan['inventory_sha256']!r} but the estate's files "
                f"hash to {digest!r}: the plan was made from other files",
            )
    else:
        ctx.report.notes.append("inventory_sha256 not checked: the estate has no files")


def _check_infeasible(ctx: Ctx) -> None:
    """An infeasible (or unknown) plan: empty decisions, the baseline, an explanation."""
    plan = ctx.plan
    status = plan["solver"]["status"]
    for key in (
        "rooms",
        "desks",
        "assignments",
        "desk_assignments",
        "waves",
        "years",
        "organisations",
    ):
        if plan[key]:
            ctx.add(
                "format",
                (key,),
                f"solver.status is '{status}' but '{key}' is not empty ({len(plan[key])} "
                "entries); an infeasible plan has empty decisions",
            )
    if not [s for s in plan["explanation"] if s.strip()]:
        ctx.add(
            "format",
            ("explanation",),
            f"solver.status is '{status}' but the explanation is empty; it must say which "
            "rules conflict",
        )
    ctx.report.count("explanation sentences", len(plan["explanation"]))
    ctx.report.count("baseline figures")
    figures = compute_baseline(ctx)
    if not money_ok(plan["costs"]["baseline_steady"], figures):
        ctx.add(
            "costs",
            ("baseline_steady",),
            f"costs.baseline_steady is {plan['costs']['baseline_steady']} but today's rooms "
            f"and desks cost {float(figures.value):.2f} a year",
        )


def compute_baseline(ctx: Ctx) -> Total:
    """Today's steady cost, for an infeasible plan (no decisions: everything as today)."""
    for w in ctx.inv.workloads:
        ctx.target[w.id] = w.room
    for o in ctx.inv.organisations:
        ctx.serves[o.id] = o.desk
    return compute(ctx).baseline
