"""Run benchmark instances, each in its own subprocess, and collect one row per instance.

The parent (:func:`run_jobs`) starts ``python -m planner.bench.run JOB_JSON``
per instance and solver, one at a time, reads the child's one-line JSON result and reaps
it with ``os.wait4``, whose resource usage is the child's alone: ``peak_mb`` is
that child's peak resident memory. A child that crashes, is killed or runs far
past its time limit yields a row with status ``error`` and the run goes on.

The child (:func:`run_job`) reads the instance, builds the solver problem
(:mod:`planner.bench.sscflp` or :func:`planner.target.translate.build_problem`), solves
it with :func:`planner.solver.solve` and, for SSCFLP, re-checks the plan
independently of the model: capacities are recomputed and the objective is
recomputed exactly (decimal) from the decisions.

A job with ``solver = 'highs'`` (issue 13) builds the same problem, writes its
textbook MIP (:mod:`planner.bench.mip`) and solves it with HiGHS in a further
process of its own (:mod:`planner.bench.highs_run`; HiGHS and OR-Tools cannot share
a process), with the same time limit counted the same way: ``wall_s`` is reading +
building + writing the file + HiGHS, ``solve_s`` HiGHS' own run, ``peak_mb`` the
HiGHS process's peak; its plan is re-checked row by row and re-costed exactly.

Times: ``wall_s`` is the child's time from reading the instance to the end of
the solve (read + build + solve); ``solve_s`` the solver's own (build + solve);
``process_s`` the whole subprocess including interpreter start-up.
"""

from __future__ import annotations

import csv
import json
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.bench.child import run_child

COLUMNS = (
    "instance",
    "set",
    "size",
    "options",
    "status",
    "objective",
    "bound",
    "gap",
    "reference",
    "deviation",
    "wall_s",
    "solve_s",
    "process_s",
    "peak_mb",
    "solutions",
    "workers",
    "time_limit_s",
    "note",
    "solver",
)
"""CSV columns, in order (``solver`` last, so the older columns keep their places)."""

SOLVERS = ("cp-sat", "highs")
"""The planner's solver, and the textbook MIP in HiGHS (:mod:`planner.bench.mip`)."""

GRACE_S = 120.0
"""A child still running this long after its time limit (x2) is killed."""


@dataclass
class Job:
    """One instance to run: ``kind`` is 'sscflp', 'estate' or 'generated'."""

    kind: str
    name: str
    path: str = ""
    councils: int = 0
    """Generated estates: number of councils."""
    generate_seed: int = 0
    """Generated estates: the generator's seed."""
    seed: int = 0
    """CP-SAT random seed."""
    time_limit_s: float = 60.0
    workers: int = 2
    group: str = ""
    reference: str = ""
    """Published optimum (decimal text), '' if none."""
    hint: str = "search"
    """SSCFLP search hint (:func:`planner.bench.heuristic.hinted_problem`)."""
    hint_share: float = 0.75
    """Most of the time limit the SSCFLP hint's local search may use."""
    cp_sat_params: str = ""
    """Extra CP-SAT parameters (text format)."""
    solver: str = "cp-sat"
    """'cp-sat' (the planner's solver) or 'highs' (the textbook MIP in HiGHS)."""


@dataclass
class Row:
    """One CSV row (see :data:`COLUMNS`)."""

    instance: str
    set: str = ""
    size: str = ""
    options: int | None = None
    status: str = "error"
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    reference: str = ""
    deviation: float | None = None
    wall_s: float | None = None
    solve_s: float | None = None
    process_s: float | None = None
    peak_mb: float | None = None
    solutions: int | None = None
    workers: int | None = None
    time_limit_s: float | None = None
    note: str = ""
    solver: str = "cp-sat"
    problems: list[str] = field(default_factory=list)
    """Why the row is impossible (not a CSV column; it drives exit code 1)."""

    def csv_row(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for col in COLUMNS:
            value = getattr(self, col)
            if value is None:
                out[col] = ""
            elif isinstance(value, float):
                out[col] = _fmt(col, value)
            else:
                out[col] = str(value)
        return out


def _fmt(col: str, value: float) -> str:
    if col in ("gap", "deviation"):
        return f"{value:.6g}" if value else "0"
    if col in ("wall_s", "solve_s", "process_s", "time_limit_s"):
        return f"{value:.2f}"
    if col == "peak_mb":
        return f"{value:.0f}"
    return f"{value:.6f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- checks


def tolerance(reference: Decimal) -> Decimal:
    """Rounding allowed against a published optimum: half a unit of its last digit."""
    exponent = reference.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5) * Decimal(10) ** (exponent - 1) + abs(reference) * Decimal("1e-12")


def judge(row: Row) -> None:
    """Fill ``deviation`` and ``problems`` from the reference (a proven optimum).

    Impossible, hence a bug: an objective below the optimum beyond rounding, a
    bound above it, or 'optimal' with an objective that differs from it.
    """
    if not row.reference or row.objective is None:
        if row.reference and row.bound is not None:
            ref = Decimal(row.reference)
            if Decimal(repr(row.bound)) > ref + tolerance(ref):
                row.problems.append(f"bound {row.bound} above the proven optimum {ref}")
        return
    ref = Decimal(row.reference)
    obj = Decimal(repr(row.objective))
    tol = tolerance(ref)
    row.deviation = float(obj / ref - 1) if ref else None
    if obj < ref - tol:
        row.problems.append(f"objective {obj} below the proven optimum {ref}")
    if row.status == "optimal" and abs(obj - ref) > tol:
        row.problems.append(f"claims optimal at {obj} but the proven optimum is {ref}")
    if row.bound is not None and Decimal(repr(row.bound)) > ref + tol:
        row.problems.append(f"bound {row.bound} above the proven optimum {ref}")


# --------------------------------------------------------------------------- child


def _peak_mb_self() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_job(job: Job) -> dict[str, Any]:
    """Solve one instance (in the child process); a dict of :class:`Row` fields."""
    if job.solver not in SOLVERS:
        raise ValueError(f"unknown solver {job.solver!r}")
    if job.solver == "highs":
        return run_highs_job(job)
    from planner.solver import NEIGHBOURHOOD_ABOVE, SolveOptions, solve

    start = time.monotonic()
    out: dict[str, Any] = {}
    check: Callable[[list[int], float], list[str]] | None = None
    if job.kind == "sscflp":
        from planner.bench.heuristic import hinted_problem
        from planner.bench.sscflp import read_instance

        inst = read_instance(job.path)
        problem = hinted_problem(inst, job.hint, hint_time_s=job.hint_share * job.time_limit_s)
        check = _sscflp_checker(inst)
        out["note"] = f"read+hint {time.monotonic() - start:.2f} s"
    elif job.kind in ("estate", "generated"):
        from planner.target import build_problem

        loaded = _load_estate(job)
        if isinstance(loaded, str):
            return {"status": "invalid", "note": loaded}
        problem = build_problem(loaded).problem
        out["note"] = _estate_note(problem)
    else:
        raise ValueError(f"unknown job kind {job.kind!r}")
    left = max(0.1, job.time_limit_s - (time.monotonic() - start))
    options = SolveOptions(
        time_limit_s=left,
        workers=job.workers,
        seed=job.seed,
        cp_sat_params=job.cp_sat_params,
        # Estates start with the block search, as `planner optimise` does; benchmark
        # instances have no today's estate but the hint (their kernel search's role).
        neighbourhood_above=NEIGHBOURHOOD_ABOVE if job.kind != "sscflp" else None,
    )
    outcome = solve(problem, options)
    wall = time.monotonic() - start
    out.update(
        size=problem.size,
        options=sum(len(wl.options) for wl in problem.workloads),
        status=str(outcome.status),
        objective=outcome.objective,
        bound=outcome.bound,
        gap=outcome.gap,
        wall_s=wall,
        solve_s=outcome.wall_s,
        solutions=outcome.solutions_found,
    )
    if check is not None and outcome.solution is not None and outcome.objective is not None:
        problems = check(outcome.solution.assignment, outcome.objective)
        if problems:
            out["problems"] = problems
    out["peak_mb"] = _peak_mb_self()
    return out


def _estate_note(problem: Any) -> str:
    return (
        f"{len(problem.desks)}x{len(problem.organisations)} desks x orgs, "
        f"{len(problem.site_rules)} site rules, {len(problem.conflicts)} zone conflicts"
    )


def run_highs_job(job: Job) -> dict[str, Any]:
    """The textbook MIP of one instance in HiGHS (in the child process, which writes the
    file and runs HiGHS in a process of its own); a dict of :class:`Row` fields."""
    from planner.bench.mip import run_highs

    start = time.monotonic()
    check: Callable[[list[int], float], list[str]] | None = None
    note = ""
    if job.kind == "sscflp":
        from planner.bench.sscflp import read_instance, to_problem

        inst = read_instance(job.path)
        problem = to_problem(inst)  # no hint: the textbook MIP starts from nothing
        check = _sscflp_checker(inst)
    elif job.kind in ("estate", "generated"):
        from planner.target import build_problem

        loaded = _load_estate(job)
        if isinstance(loaded, str):
            return {"status": "invalid", "note": loaded}
        problem = build_problem(loaded).problem
        note = _estate_note(problem)
    else:
        raise ValueError(f"unknown job kind {job.kind!r}")
    left = max(0.1, job.time_limit_s - (time.monotonic() - start))
    res = run_highs(problem, left, threads=job.workers)
    wall = time.monotonic() - start
    about = (
        f"LP {res.rows} rows x {res.columns} columns written in {res.write_s:.2f} s"
        + (f", {res.nodes} nodes" if res.nodes is not None else "")
        + (f"; {res.note}" if res.note else "")
    )
    out: dict[str, Any] = dict(
        size=problem.size,
        options=sum(len(wl.options) for wl in problem.workloads),
        status=res.status,
        objective=res.objective,
        bound=res.bound,
        gap=res.gap,
        wall_s=wall,
        solve_s=res.solve_s,
        note=f"{note}; {about}" if note else about,
    )
    problems = list(res.problems)
    if check is not None and res.checked is not None and res.objective is not None:
        problems += check(res.checked.assignment, res.objective)
    if problems:
        out["problems"] = problems
    out["peak_mb"] = _peak_mb_self()
    if res.peak_mb is not None:
        out["solver_peak_mb"] = res.peak_mb
    return out


def _sscflp_checker(inst: Any) -> Callable[[list[int], float], list[str]]:
    from planner.bench.sscflp import plan_cost

    def check(assign: list[int], objective: float) -> list[str]:
        load = [0] * inst.facilities
        for i, j in enumerate(assign):
            load[j] += inst.demand[i]
        problems = [
            f"facility f{j + 1} holds {load[j]} > capacity {inst.capacity[j]}"
            for j in range(inst.facilities)
            if load[j] > inst.capacity[j]
        ]
        exact = plan_cost(inst, assign)
        allowed = Decimal("1e-6") * max(Decimal(1), abs(exact))
        if abs(exact - Decimal(repr(objective))) > allowed:
            problems.append(f"objective {objective} but the plan costs {exact}")
        return problems

    return check


def _load_estate(job: Job) -> Any:
    """The valid inventory of an estate job, or a message why there is none."""
    from planner.inventory.validate import load_and_validate

    if job.kind == "estate":
        loaded = load_and_validate(job.path)
    else:
        try:
            from planner.generate import generate
            from planner.inventory.write import write_yaml
        except ImportError as exc:  # the generator is not in this build
            return f"generator unavailable: {exc}"
        inv = generate(job.councils, job.generate_seed)
        with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
            write_yaml(inv, Path(tmp) / "estate", overwrite=True)
            loaded = load_and_validate(Path(tmp) / "estate")
    if not loaded.ok:
        first = loaded.findings.errors[0].render()
        return f"{len(loaded.findings.errors)} validation error(s), first: {first}"
    return loaded.inventory


def child_main(argv: list[str]) -> int:
    """``python -m planner.bench.run JOB_JSON``: print one JSON line with the result."""
    job = Job(**json.loads(argv[0]))
    try:
        result = run_job(job)
    except Exception as exc:  # reported as the row's note; the parent keeps going
        traceback.print_exc()
        result = {"status": "error", "note": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)
    return 0


# --------------------------------------------------------------------------- parent


def launch(job: Job) -> Row:
    """Run ``job`` in a fresh subprocess; its row (status 'error' if it failed)."""
    row = Row(
        instance=job.name,
        set=job.group,
        reference=job.reference,
        workers=job.workers,
        time_limit_s=job.time_limit_s,
        solver=job.solver,
    )
    cmd = [sys.executable, "-m", "planner.bench.run", json.dumps(asdict(job))]
    start = time.monotonic()
    child = run_child(cmd, 2 * job.time_limit_s + GRACE_S)
    row.process_s = time.monotonic() - start
    row.peak_mb = child.peak_mb
    result = child.last_json()
    if result is None:
        row.note = f"child exited with {child.code}: {child.last_error_line()}"
        return row
    problems = result.pop("problems", [])
    peak_self = result.pop("peak_mb", None)
    peak_solver = result.pop("solver_peak_mb", None)
    for key, value in result.items():
        setattr(row, key, value)
    if row.peak_mb is None:
        row.peak_mb = peak_self
    if peak_solver is not None:  # HiGHS ran in a process of its own: its peak is the solve's
        row.peak_mb = peak_solver
    judge(row)
    row.problems[:0] = problems
    return row


def run_jobs(jobs: Iterable[Job], on_row: Callable[[Row], None] | None = None) -> list[Row]:
    """Run every job in turn (one subprocess each); call ``on_row`` as each completes."""
    rows = []
    for job in jobs:
        row = launch(job)
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


def write_csv(rows: list[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow(row.csv_row())


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
