"""`planner optimise ESTATE_DIR --out PLAN_DIR`: choose the consolidation and schedule it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.live import Live
from rich.text import Text

from planner.cli.app import app
from planner.cli.common import (
    EXIT_BUG,
    EXIT_INFEASIBLE,
    EXIT_INTERRUPTED,
    console,
    err,
    fail,
    is_terminal,
    load_valid_estate,
)

if TYPE_CHECKING:
    from planner.inventory.load import Loaded
    from planner.optimise import OptimiseOptions, OptimiseResult
    from planner.plan.budget import Budget
    from planner.solver import Progress


def _progress_text(stage: str, progress: Progress | None) -> Text:
    text = Text(f"{stage}", style="bold")
    if progress is not None:
        obj = f"GBP {progress.objective:,.0f}" if progress.objective is not None else "-"
        bound = f"GBP {progress.bound:,.0f}" if progress.bound is not None else "-"
        gap = f"{progress.gap:.2%}" if progress.gap is not None else "-"
        text.append(
            f"   objective {obj}   bound {bound}   gap {gap}   "
            f"{progress.elapsed_s:5.1f} s   {progress.solutions} plan(s)",
            style="",
        )
    return text


@app.command("optimise")
def optimise_command(
    estate_dir: Path = typer.Argument(..., help="Estate directory (validated first)."),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="Plan directory to write plan.json and the reports into (created if missing).",
    ),
    max_rooms: int | None = typer.Option(
        None,
        "--max-rooms",
        min=0,
        help="Most machine rooms open in the plan (counting the "
        "shared service's rooms: estate.shared_service).",
    ),
    max_desks: int | None = typer.Option(
        None, "--max-desks", min=0, help="Most service desks open in the plan."
    ),
    time_limit: float = typer.Option(
        60.0,
        "--time-limit",
        min=0.1,
        help="The whole run's budget, in seconds: split between choosing the target "
        "estate (most of it), the month-by-month schedule, and the re-solves that measure "
        "the reasons; time a stage does not use goes to the next. plan.json's "
        "solver.budget records the split. With --workers 1 the stages' limits are "
        "deterministic time and the run may take longer on the clock.",
    ),
    workers: int = typer.Option(
        os.cpu_count() or 1,
        "--workers",
        min=1,
        help="CP-SAT search workers (default: number of cores). With 1, "
        "the time limit is deterministic and runs are reproducible.",
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed of the search."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
    no_reasons: bool = typer.Option(
        False,
        "--no-reasons",
        help="Skip the re-solves that measure why each room stays open (small estates).",
    ),
    shares: Path | None = typer.Option(
        None,
        "--shares",
        help="explore.json (or its folder) whose Shapley values split the saving, for an "
        "estate with share_rule: shapley.",
    ),
) -> None:
    """Choose the rooms and desks that stay, every workload's room and the month it moves.

    Writes PLAN_DIR/plan.json (checked by the independent checker first) and the reports:
    summary.md, report.html, plan.xlsx and moves.csv.

    Exit 0 with a plan; 2 if the estate is invalid; 3 if no plan exists (plan.json then
    holds the explanation); 130 on Ctrl-C (nothing is written: PLAN_DIR stays as it was).

    Example:  planner optimise inventories/cheshire --out plans/cheshire --max-rooms 2
    """
    from planner.plan.budget import Budget, budget_line

    budget = Budget(time_limit, workers=workers)  # importing and reading the estate count too
    # The solver stack (OR-Tools) is imported here, not at start-up, so that
    # `planner validate` and `planner --help` stay fast.
    from planner.optimise import OptimiseOptions
    from planner.plan.write import PlanBug, write_plan_dir
    from planner.reports.summary import terminal_summary

    try:
        loaded = load_valid_estate(estate_dir, quiet=quiet)
        options = OptimiseOptions(
            max_rooms=max_rooms,
            max_desks=max_desks,
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            explain_reasons=not no_reasons,
            shapley=_shapley_values(loaded, shares),
        )
        result = _optimise(loaded, options, quiet, budget)
        write_plan_dir(result.plan, out, loaded, before_writing=budget.close)
    except KeyboardInterrupt:
        err.print(f"interrupted: nothing was written; {out} is as it was", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OSError as exc:
        fail(f"cannot write the plan to {out}: {exc}")
    except PlanBug as bug:
        err.print(str(bug), style="bold red", markup=False)
        raise typer.Exit(EXIT_BUG) from None
    if not quiet:
        console.print(terminal_summary(result.plan))
        console.print(budget_line(result.plan["solver"]["budget"]), markup=False)
        console.print(f"wrote {out / 'plan.json'}")
    if not result.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)


def _shapley_values(loaded: Loaded, shares: Path | None) -> dict[str, float] | None:
    """The Shapley values of --shares when the estate's share_rule is shapley; exit 2 when
    one is given without the other, or the file cannot give them."""
    from planner.explorefile import ExploreFileError, read_shapley_values

    rule = loaded.inventory.estate.share_rule
    if rule != "shapley":
        if shares is not None:
            fail(f"--shares is read only when the estate's share_rule is shapley (it is {rule})")
        return None
    if shares is None:
        fail(
            "the estate's share_rule is shapley: give the Shapley values with --shares "
            "EXPLORE_DIR/explore.json (planner explore ESTATE --shapley writes it)"
        )
    try:
        return read_shapley_values(shares, [o.id for o in loaded.inventory.organisations])
    except ExploreFileError as exc:
        fail(str(exc))


def _optimise(
    loaded: Loaded, options: OptimiseOptions, quiet: bool, budget: Budget
) -> OptimiseResult:
    """Run the optimiser within ``budget``, with live progress on a terminal."""
    from planner.optimise import optimise

    if quiet or not is_terminal():
        return optimise(loaded, options, budget=budget)
    state: dict[str, object] = {"stage": "starting", "progress": None}
    with Live(
        _progress_text("starting", None), console=err, refresh_per_second=4, transient=True
    ) as live:

        def on_stage(name: str) -> None:
            state["stage"] = name
            live.update(_progress_text(name, state["progress"]))  # type: ignore[arg-type]

        def on_progress(progress: Progress) -> None:
            state["progress"] = progress
            live.update(_progress_text(str(state["stage"]), progress))

        return optimise(loaded, options, on_progress, on_stage, budget)
