"""`planner report PLAN_DIR`: re-render the human reports from plan.json."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from planner.cli.app import app
from planner.cli.common import console, fail
from planner.planfile import PlanError, load_plan, plan_json_path, plan_problems
from planner.reports import write_reports
from planner.reports.summary import terminal_summary


@app.command()
def report(
    plan_dir: Path = typer.Argument(
        ..., help="Plan directory holding plan.json (or the plan.json file itself)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the summary."),
) -> None:
    """Re-render the human reports of a plan from its plan.json alone: summary.md,
    report.html (self-contained, opens offline), plan.xlsx (for finance) and moves.csv,
    written beside plan.json.

    Exit 0 when written; 2 when plan.json is missing, not JSON or not a planner plan.

    Example:  planner report plans/cheshire
    """
    file = plan_json_path(plan_dir)
    try:
        plan = load_plan(plan_dir)
    except PlanError as exc:
        fail(plan_problems(file, exc.problems))
    try:
        paths = write_reports(plan, file.parent)
    except OSError as exc:
        fail(f"cannot write the reports in {file.parent}: {exc.strerror or exc}")
    if not quiet:
        console.print(terminal_summary(plan))
    for p in paths:
        console.print(Text(f"wrote {p}"))
