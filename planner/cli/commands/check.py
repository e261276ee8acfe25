"""`planner check ESTATE_DIR PLAN_JSON`: independently verify a plan against the estate."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from planner.checker import PlanFormatError, check_plan
from planner.cli.app import app
from planner.cli.common import EXIT_INVALID, EXIT_VIOLATIONS, console, err, fail, load_valid_estate
from planner.planfile import PlanError, plan_problems, read_plan_json


@app.command()
def check(
    estate_dir: Path = typer.Argument(..., help="Estate directory (YAML/CSV/XLSX files)."),
    plan_json: Path = typer.Argument(..., help="The plan to verify (PLAN_DIR/plan.json)."),
    core_only: bool = typer.Option(
        False,
        "--core-only",
        help="Require only the core keys of spec/plan-format.md (a plan from another tool); "
        "planner's extension keys are checked when present.",
    ),
) -> None:
    """Re-verify every rule and figure of a plan from the estate's files alone.

    Checks rules 1-10 (month by month), the costs and the objective, every year,
    the finance, each organisation's shares and the staff figures, and that the
    plan was made from these files (inventory_sha256). Shares no code with the
    optimiser.

    Exit 0 when everything holds, 1 listing each violation, 2 when the estate or
    the plan cannot be read.

    Example:  planner check inventories/tiny out/plan.json
    """
    loaded = load_valid_estate(estate_dir, quiet=True)
    if not plan_json.is_file():
        fail(f"{plan_json}: no such file; give the plan.json that `planner optimise` wrote")
    try:
        plan = read_plan_json(plan_json)
    except PlanError as exc:
        fail(plan_problems(plan_json, exc.problems))
    try:
        report = check_plan(loaded, plan, strict=not core_only)
    except PlanFormatError as exc:
        for problem in exc.problems:
            err.print(f"{plan_json}: {problem}", markup=False, style="red")
        fail(
            f"{plan_json}: not a planner-plan/1 plan ({len(exc.problems)} problem(s))", EXIT_INVALID
        )
    for violation in report.violations:
        console.print(violation.render(), markup=False, style="red")
    for note in report.notes:
        console.print(f"note: {note}", markup=False, style="yellow")
    if report.ok:
        console.print(
            Text.assemble(f"{plan_json}: ", ("valid", "bold green"), f" - {report.summary()}")
        )
        return
    console.print(
        Text.assemble(f"{plan_json}: ", ("invalid", "bold red"), f" - {report.summary()}")
    )
    raise typer.Exit(EXIT_VIOLATIONS)
