"""`planner explore ESTATE_DIR --out DIR`: prices of rules, Pareto curves, risk and Shapley
values, as tasks on Dask (spec/explore.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planner.cli.app import app
from planner.cli.common import (
    EXIT_INFEASIBLE,
    EXIT_INTERRUPTED,
    EXIT_VIOLATIONS,
    console,
    err,
    fail,
    is_terminal,
    load_valid_estate,
)


@app.command("explore")
def explore_command(
    estate_dir: Path = typer.Argument(..., help="Estate directory (validated first)."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Folder for explore.json, explore.md and explore.html."
    ),
    prices: bool = typer.Option(False, "--prices", help="What each rule costs (one solve each)."),
    pareto: bool = typer.Option(
        False, "--pareto", help="The best plan for each --max-rooms k (and --max-desks k)."
    ),
    risk: int | None = typer.Option(
        None, "--risk", min=1, help="Sample the plan's figures N times (default 200 with no flag)."
    ),
    shapley: bool = typer.Option(False, "--shapley", help="Each partner's Shapley value."),
    samples: int | None = typer.Option(
        None, "--samples", min=1, help="Shapley from N random orders (default: exact up to 12)."
    ),
    time_limit: float = typer.Option(10.0, "--time-limit", min=0.1, help="Seconds per solve."),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="tcp://HOST:PORT of a running Dask scheduler (`dask scheduler`; workers "
        "joined with `dask worker tcp://HOST:PORT`); default: a local cluster.",
    ),
    workers: int = typer.Option(
        os.cpu_count() or 1, "--workers", min=1, help="Local worker processes (default: cores)."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed (risk samples, Shapley orders)."),
    max_rooms: int | None = typer.Option(
        None, "--max-rooms", min=0, help="Explore the plan made with this --max-rooms."
    ),
    max_desks: int | None = typer.Option(
        None, "--max-desks", min=0, help="Explore the plan made with this --max-desks."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
) -> None:
    """Answer the board's questions about a plan, each with many solves run on Dask.

    --prices: what each rule (separations, accreditations, pins, keep/close, latencies,
    the room limit) costs over the horizon. --pareto: the best plan for each number of
    rooms (and desks), the knee marked. --risk N: the plan's figures sampled N times
    (Green Book optimism bias unless the estate has an `uncertainty` block): P10/P50/P90
    of net savings, the chance of a loss. --shapley: each partner's fair share of the
    saving (`planner optimise --shares OUT/explore.json` uses it). With no flag, all four.

    Writes OUT/explore.json, explore.md and explore.html, all or nothing. Exit 0; 1 if a
    task failed twice (listed in explore.json `failed`); 2 invalid estate; 3 no plan.

    Example:  planner explore inventories/worcestershire --out explore/worcs --workers 2
    """
    from planner.explore import ExploreOptions, explore
    from planner.explore.engine import ClusterError
    from planner.files import write_files

    everything = not (prices or pareto or risk or shapley)
    options = ExploreOptions(
        prices=prices or everything,
        pareto=pareto or everything,
        risk=risk if risk is not None else (200 if everything else None),
        shapley=shapley or everything or samples is not None,
        samples=samples,
        time_limit_s=time_limit,
        scheduler=scheduler,
        workers=workers,
        seed=seed,
        max_rooms=max_rooms,
        max_desks=max_desks,
    )
    try:
        loaded = load_valid_estate(estate_dir, quiet=quiet)
        if quiet or not is_terminal():
            result = explore(loaded, options)
        else:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("planning the estate", total=None)
                result = explore(
                    loaded,
                    options,
                    on_stage=lambda text: bar.update(task, description=text),
                    on_done=lambda done, total: bar.update(task, completed=done, total=total),
                )
        files: dict[str, str | bytes] = {"explore.json": json.dumps(result.doc, indent=2) + "\n"}
        files |= _rendered(result.doc)
        write_files(out, files)
    except KeyboardInterrupt:
        err.print(f"interrupted: nothing was written; {out} is as it was", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except ClusterError as exc:
        fail(f"nothing was written: {exc}")
    except OSError as exc:
        fail(f"cannot write to {out}: {exc}")
    if not quiet:
        _summary(result.doc)
        console.print(f"wrote {out / 'explore.json'}")
    if result.doc["objective"] is None:
        raise typer.Exit(EXIT_INFEASIBLE)
    if not result.ok:
        for f in result.doc["failed"]:
            err.print(f"task {f['key']} failed: {f['error']}", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS)


def _rendered(doc: dict[str, object]) -> dict[str, bytes]:
    """explore.md and explore.html."""
    from planner.reports.explore import render_explore

    return render_explore(doc)


def _summary(doc: dict[str, object]) -> None:
    """A few lines on the terminal: the dearest rules, the knee, the risk."""
    prices = doc.get("prices") or []
    assert isinstance(prices, list)
    for p in prices[:5]:
        if p["price"]:
            console.print(f"  {p['rule']}: GBP {p['price']:,.0f}", markup=False)
    for point in doc.get("pareto") or []:  # type: ignore[attr-defined]
        if point["knee"]:
            console.print(f"  knee: {point['max_rooms']} rooms, GBP {point['objective']:,.0f}")
