"""`planner report PLAN_DIR`: re-render the human reports from plan.json."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

import typer
from rich.text import Text

from planner.cli.app import app
from planner.cli.common import console, fail
from planner.explorefile import ExploreFileError, validate_explore
from planner.planfile import PlanError, load_plan, plan_json_path, plan_problems
from planner.reports import write_reports
from planner.reports.explore import ExploreLink
from planner.reports.summary import terminal_summary


@app.command()
def report(
    plan_dir: Path = typer.Argument(
        ..., help="Plan directory holding plan.json (or the plan.json file itself)."
    ),
    explore: Path | None = typer.Option(
        None,
        "--explore",
        metavar="EXPLORE_DIR",
        help="Output directory of `planner explore` (or its explore.json): report.html gets "
        "an Exploration section with its headline figures and a link to its explore.html.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the summary."),
) -> None:
    """Re-render the human reports of a plan from its plan.json alone: summary.md,
    report.html (self-contained, opens offline), plan.xlsx (for finance) and moves.csv,
    written beside plan.json.

    Exit 0 when written; 2 when plan.json is missing, not JSON or not a planner plan, or
    when the explore.json given with --explore cannot be read.

    Example:  planner report plans/cheshire --explore explore/cheshire
    """
    file = plan_json_path(plan_dir)
    try:
        plan = load_plan(plan_dir)
    except PlanError as exc:
        fail(plan_problems(file, exc.problems))
    link = _explore_link(explore, file.parent) if explore is not None else None
    try:
        paths = write_reports(plan, file.parent, explore=link)
    except OSError as exc:
        fail(f"cannot write the reports in {file.parent}: {exc.strerror or exc}")
    if not quiet:
        console.print(terminal_summary(plan))
    for p in paths:
        console.print(Text(f"wrote {p}"))


def _explore_link(path: Path, report_dir: Path) -> ExploreLink:
    """explore.json at ``path`` (a directory holding one, or the file) and the address of
    the explore.html beside it relative to ``report_dir``; exit 2 if it cannot be read."""
    file = path / "explore.json" if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except OSError as exc:
        fail(f"{file}: cannot read it: {exc.strerror or exc}")
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        fail(f"{file}: not valid JSON: {exc}")
    try:
        doc = validate_explore(data)
    except ExploreFileError as exc:
        fail(f"{file}: {str(exc).removeprefix('explore.json: ')}")
    html = file.parent.resolve() / "explore.html"
    href = Path(os.path.relpath(html, report_dir.resolve())).as_posix()
    return ExploreLink(doc, quote(href))


def _no_constant(name: str) -> None:
    """NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not a JSON number")
