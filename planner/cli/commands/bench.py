"""`planner bench sscflp FILE...` and `planner bench estates`: solve benchmarks, one
subprocess per instance, and write a CSV of the results; `planner bench import`: time
the RVTools import on a synthetic export.

Exit codes: 0 every result is possible; 1 a result is impossible against a
proven optimum (below it beyond rounding, a bound above it, 'optimal' at a
different value, or a plan that fails the independent check) or an instance
failed to run; 2 invalid input or usage.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

import typer
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from planner.bench.imports import measure, prepare
from planner.bench.run import Job, Row, run_jobs, write_csv
from planner.cli.app import app
from planner.cli.common import EXIT_VIOLATIONS, console, err, fail, is_terminal

bench_app = typer.Typer(
    name="bench",
    help=(
        "Solve benchmark instances (public SSCFLP sets, bundled and generated estates) "
        "with the planner's solver and write a CSV of the results.\n\n"
        "Example:  planner bench sscflp bench/holmberg/p1 --time-limit 10 --out p1.csv"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(bench_app, name="bench")

DEFAULT_COUNCILS = (10, 50, 150, 337)

HIGHS_HELP = (
    "Also solve each instance as a textbook MIP in HiGHS (needs highspy: the 'bench' "
    "extra), in its own process right after ours, with the same time limit and "
    "--workers as threads: a row with solver=highs beside each solver=cp-sat row."
)


def _workers(workers: int | None) -> int:
    return workers if workers is not None else (os.cpu_count() or 1)


@bench_app.command("sscflp")
def sscflp(
    files: list[Path] = typer.Argument(
        ..., help="SSCFLP instance files (Holmberg / OR-Library format)."
    ),
    time_limit: float = typer.Option(
        60.0, "--time-limit", "-t", min=0.1, help="Seconds per instance."
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=1, help="CP-SAT workers (default: number of cores)."
    ),
    seed: int = typer.Option(0, "--seed", help="CP-SAT random seed."),
    out: Path | None = typer.Option(None, "--out", "-o", help="CSV file to write."),
    references: Path | None = typer.Option(
        None,
        "--references",
        help="CSV of published optima (instance,optimum). Default: reference_values.csv "
        "beside each instance file, if present.",
    ),
    hint: str = typer.Option(
        "search",
        "--hint",
        help="Search hint: search (local search), greedy, open (all open) or none.",
    ),
    hint_share: float = typer.Option(
        0.75, "--hint-share", min=0.0, max=0.9, help="Most of the time limit the hint may use."
    ),
    cp_sat_params: str = typer.Option(
        "", "--cp-sat-params", help="Extra CP-SAT parameters, protobuf text format."
    ),
    highs: bool = typer.Option(False, "--highs", help=HIGHS_HELP),
) -> None:
    """Solve single-source capacitated facility location files, one subprocess each.

    Each file is read into the same solver problem an estate becomes (facilities
    as rooms, customers as workloads). With a published optimum (reference_values.csv
    beside the file, or --references) the CSV gives the deviation, and a result
    better than a proven optimum, or 'optimal' at another value, exits 1.
    With --highs each file also gets a row solved by HiGHS (column solver).

    Example:  planner bench sscflp holmberg/p1 holmberg/p2 --time-limit 10 --out h.csv
    """
    from planner.bench.sscflp import BenchFormatError, read_instance, read_references
    from planner.bench.sscflp import references_for as refs_beside

    if hint not in ("search", "greedy", "open", "none"):
        fail(f"--hint must be search, greedy, open or none, not '{hint}'")
    _check_params(cp_sat_params)
    given: dict[str, object] = {}
    if references is not None:
        try:
            given = dict(read_references(references))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            fail(f"{references}: cannot read references: {exc}")
    jobs = []
    for path in files:
        try:
            inst = read_instance(path)  # fail fast (exit 2) before any solving
        except BenchFormatError as exc:
            fail(str(exc))
        refs = given or refs_beside(path)
        ref = refs.get(path.name)
        jobs.append(
            Job(
                kind="sscflp",
                name=path.name,
                path=str(path),
                seed=seed,
                time_limit_s=time_limit,
                workers=_workers(workers),
                group=path.parent.name,
                reference=str(ref) if ref is not None else "",
                hint=hint,
                hint_share=hint_share,
                cp_sat_params=cp_sat_params,
            )
        )
        if inst.trailing_tokens:
            err.print(f"{path}: ignored {inst.trailing_tokens} token(s) after the data")
    _run(_with_highs(jobs, highs), out, title="SSCFLP")


@bench_app.command("estates")
def estates(
    paths: list[Path] | None = typer.Argument(
        None,
        help="Estate directories (default: every directory in ./inventories with an estate.yaml).",
    ),
    councils: list[int] | None = typer.Option(
        None,
        "--councils",
        "-c",
        help="Generated estate sizes, repeatable (default: 10, 50, 150 and 337; 0 for none).",
    ),
    generate_seed: int = typer.Option(0, "--generate-seed", help="Seed of the generated estates."),
    time_limit: float = typer.Option(
        60.0, "--time-limit", "-t", min=0.1, help="Seconds per estate."
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=1, help="CP-SAT workers (default: number of cores)."
    ),
    seed: int = typer.Option(0, "--seed", help="CP-SAT random seed."),
    out: Path | None = typer.Option(None, "--out", "-o", help="CSV file to write."),
    cp_sat_params: str = typer.Option(
        "", "--cp-sat-params", help="Extra CP-SAT parameters, protobuf text format."
    ),
    highs: bool = typer.Option(False, "--highs", help=HIGHS_HELP),
) -> None:
    """Solve the bundled estates and generated estates of 10, 50, 150 and 337 councils.

    Same columns as `bench sscflp` (no reference); `size` is rooms x workloads,
    `options` the number of (workload, room) assignment variables, and the note
    gives desks x organisations, site rules and zone conflicts. With --highs each
    estate also gets a row solved by HiGHS (column solver).

    Example:  planner bench estates --councils 10 --councils 50 --out estates.csv
    """
    if paths is None:
        root = Path("inventories")
        paths = (
            sorted(p for p in root.iterdir() if (p / "estate.yaml").is_file())
            if root.is_dir()
            else []
        )
    for p in paths:
        if not p.exists():
            fail(f"{p}: no such estate directory")
    _check_params(cp_sat_params)
    sizes = DEFAULT_COUNCILS if councils is None else tuple(n for n in councils if n > 0)
    n_workers = _workers(workers)
    jobs = [
        Job(
            kind="estate",
            name=p.name,
            path=str(p),
            seed=seed,
            time_limit_s=time_limit,
            workers=n_workers,
            group="bundled",
            cp_sat_params=cp_sat_params,
        )
        for p in paths
    ] + [
        Job(
            kind="generated",
            name=f"generated-{n}",
            councils=n,
            generate_seed=generate_seed,
            seed=seed,
            time_limit_s=time_limit,
            workers=n_workers,
            group=f"generate seed {generate_seed}",
            cp_sat_params=cp_sat_params,
        )
        for n in sizes
    ]
    if not jobs:
        fail("no estates to run: pass estate directories or --councils N")
    _run(_with_highs(jobs, highs), out, title="Estates")


def _with_highs(jobs: list[Job], highs: bool) -> list[Job]:
    """Each job, followed by its HiGHS twin when ``highs`` (exit 2 without highspy)."""
    if not highs:
        return jobs
    import importlib.util

    if importlib.util.find_spec("highspy") is None:
        fail("--highs needs highspy: pip install 'planner[bench]' (or pip install highspy)")
    return [twin for job in jobs for twin in (job, replace(job, solver="highs"))]


def _check_params(text: str) -> None:
    """Exit 2 unless ``text`` parses as CP-SAT parameters."""
    if not text:
        return
    from ortools.sat.python import cp_model

    if not cp_model.CpSolver().parameters.merge_text_format(text):
        fail(f"--cp-sat-params: not valid CP-SAT parameters: {text!r}")


def _table(title: str, solvers: bool = False) -> Table:
    table = Table(title=title, title_justify="left")
    columns = [
        ("instance", "left"),
        ("size", "right"),
        ("status", "left"),
        ("objective", "right"),
        ("bound", "right"),
        ("gap", "right"),
        ("reference", "right"),
        ("deviation", "right"),
        ("wall s", "right"),
        ("peak MB", "right"),
    ]
    if solvers:
        columns.insert(1, ("solver", "left"))
    for col, just in columns:
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    return table


def _cells(row: Row, solvers: bool = False) -> list[str]:
    c = row.csv_row()
    style = {"optimal": "green", "feasible": "yellow"}.get(row.status, "red")
    status = f"[{style}]{escape(row.status)}[/]"
    if row.problems:
        status += " [bold red]IMPOSSIBLE[/]"
    gap = f"{row.gap:.3%}" if row.gap is not None else ""
    dev = f"{row.deviation:+.4%}" if row.deviation is not None else ""
    return [
        escape(row.instance),
        *((escape(row.solver),) if solvers else ()),
        c["size"],
        status,
        c["objective"],
        c["bound"],
        gap,
        c["reference"],
        dev,
        c["wall_s"],
        c["peak_mb"],
    ]


@bench_app.command("import")
def import_export(
    vms: int = typer.Option(20_000, "--vms", min=1, max=1_000_000, help="VMs in the export."),
    hosts: int = typer.Option(200, "--hosts", min=1, max=100_000, help="ESXi hosts."),
    vcenters: int = typer.Option(2, "--vcenters", min=1, max=20, help="vCenters: one export each."),
    seed: int = typer.Option(0, "--seed", help="Seed of the synthetic export."),
    form: str = typer.Option("xlsx", "--form", help="xlsx (workbooks) or csv (folders of tabs)."),
    runs: int = typer.Option(3, "--runs", "-n", min=1, max=20, help="Imports to time."),
    keep: Path | None = typer.Option(
        None, "--keep", help="Write the export, base, mapping and estate here and keep them."
    ),
) -> None:
    """Time `planner import rvtools` on a synthetic RVTools export.

    Writes one export per vCenter (real RVTools 4.x sheets and headers, templates,
    powered-off VMs, names repeated across vCenters), a base estate and a mapping,
    then runs the import --runs times, each in its own process, and prints each
    run's wall time and peak memory (the operating system's figures for the whole
    command) and their median. Exit 1 if an import fails.

    Example:  planner bench import --vms 20000 --hosts 200 --form xlsx
    """
    if form not in ("xlsx", "csv"):
        fail(f"--form is xlsx or csv, not {form!r}")
    with tempfile.TemporaryDirectory(prefix="planner-bench-import-") as scratch:
        where = keep if keep is not None else Path(scratch)
        try:
            prepared = prepare(where, vms=vms, hosts=hosts, vcenters=vcenters, seed=seed, form=form)
        except OSError as exc:
            fail(f"cannot write {where}: {exc.strerror or exc}")
        console.print(
            f"export: {vms:,} VMs, {hosts:,} hosts, {vcenters} vCenter(s) as {form} in {where}",
            markup=False,
        )
        done = []
        for k in range(runs):
            run = measure(prepared)
            if run.exit_code != 0:
                err.print(escape(run.output.strip()))
                err.print(f"[bold red]import failed[/] with exit {run.exit_code}")
                raise typer.Exit(EXIT_VIOLATIONS)
            done.append(run)
            console.print(
                f"run {k + 1}: {run.wall_s:.2f} s, peak {run.peak_mb:.0f} MB", markup=False
            )
    walls = sorted(r.wall_s for r in done)
    peaks = sorted(r.peak_mb for r in done)
    console.print(
        f"median of {runs}: {walls[len(walls) // 2]:.2f} s, peak {peaks[len(peaks) // 2]:.0f} MB "
        f"(min {walls[0]:.2f} s, max {walls[-1]:.2f} s)",
        markup=False,
    )
    console.print(done[-1].output.strip().splitlines()[-1] if done[-1].output.strip() else "")


def _run(jobs: list[Job], out: Path | None, *, title: str) -> None:
    solvers = any(job.solver != "cp-sat" for job in jobs)
    table = _table(title, solvers)
    live = Live(table, console=console, auto_refresh=False) if is_terminal() else None

    def on_row(row: Row) -> None:
        table.add_row(*_cells(row, solvers))
        if live is not None:
            live.refresh()
        else:
            c = row.csv_row()
            by = f" ({row.solver})" if solvers else ""
            console.print(
                f"{row.instance}{by}: {row.status} objective={c['objective']} bound={c['bound']} "
                f"reference={c['reference']} wall_s={c['wall_s']} peak_mb={c['peak_mb']}",
                markup=False,
            )
        for why in row.problems:
            err.print(f"[bold red]impossible:[/] {escape(row.instance)}: {escape(why)}")
        if row.status == "error":
            err.print(f"[red]failed:[/] {escape(row.instance)} ({row.solver}): {escape(row.note)}")

    if live is not None:
        with live:
            rows = run_jobs(jobs, on_row)
    else:
        rows = run_jobs(jobs, on_row)
        console.print(table, width=max(console.width, 132))
    _summary(rows)
    if out is not None:
        try:
            write_csv(rows, out)
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        console.print(f"wrote {out} ({len(rows)} rows)", markup=False)
    bad = [r for r in rows if r.problems or r.status == "error"]
    if bad:
        err.print(
            f"[bold red]{len(bad)} instance(s) impossible or failed:[/] "
            + ", ".join(escape(r.instance) for r in bad)
        )
        raise typer.Exit(EXIT_VIOLATIONS)


def _summary(rows: list[Row]) -> None:
    ours = [r for r in rows if r.solver == "cp-sat"]
    if len(ours) < len(rows):
        _versus(rows)
        rows = ours
    optimal = sum(r.status == "optimal" for r in rows)
    total = sum(r.wall_s or 0.0 for r in rows)
    worst = max((r.wall_s or 0.0 for r in rows), default=0.0)
    devs = [r.deviation for r in rows if r.deviation is not None]
    line = (
        f"{len(rows)} instance(s): {optimal} optimal; wall total {total:.1f} s, max {worst:.1f} s"
    )
    if devs:
        line += f"; deviation max {max(devs):+.4%}, mean {sum(devs) / len(devs):+.4%}"
    console.print(line, markup=False)


def _versus(rows: list[Row]) -> None:
    """One line comparing our objectives with HiGHS' on the same instances."""
    ours = {r.instance: r for r in rows if r.solver == "cp-sat"}
    cheaper = same = dearer = 0
    for r in rows:
        mine = ours.get(r.instance)
        if r.solver != "highs" or mine is None or mine.objective is None:
            continue
        if r.objective is None or mine.objective < r.objective - 1e-6 * abs(r.objective):
            cheaper += 1
        elif mine.objective > r.objective + 1e-6 * abs(r.objective):
            dearer += 1
        else:
            same += 1
    highs_optimal = sum(r.status == "optimal" for r in rows if r.solver == "highs")
    console.print(
        f"against HiGHS: ours cheaper on {cheaper}, equal on {same}, dearer on {dearer}; "
        f"HiGHS proved {highs_optimal} optimal",
        markup=False,
    )
