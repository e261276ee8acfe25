"""`planner diff PLAN_A PLAN_B`: what changed between two plans."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from planner.cli.app import app
from planner.cli.common import console, fail
from planner.files import write_atomic
from planner.planfile import PlanError, load_plan, plan_json_path, plan_problems
from planner.reports.diff import diff_markdown, diff_plans, diff_renderable


@app.command()
def diff(
    plan_a: Path = typer.Argument(..., help="The first plan: a plan directory or a plan.json."),
    plan_b: Path = typer.Argument(..., help="The second plan: a plan directory or a plan.json."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Also write the comparison as markdown to this file."
    ),
) -> None:
    """Show what changed between two plans: room and desk decisions, workloads whose
    destination or month changed, money (running cost, one-off, NPV, each year),
    each partner's savings, and staff. Columns are A, B and B - A.

    Exit 0 when compared; 2 when a plan is missing, not JSON or not a planner plan.

    Examples:
      planner diff plans/max2 plans/max3
      planner diff plans/max2/plan.json plans/max3/plan.json --out changes.md
    """
    plans = []
    for path in (plan_a, plan_b):
        try:
            plans.append(load_plan(path))
        except PlanError as exc:
            fail(plan_problems(plan_json_path(path), exc.problems))
    d = diff_plans(plans[0], plans[1], str(plan_a), str(plan_b))
    console.print(diff_renderable(d))
    if out is not None:
        try:
            write_atomic(out, diff_markdown(d).encode("utf-8"))
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        console.print(Text(f"wrote {out}"))
