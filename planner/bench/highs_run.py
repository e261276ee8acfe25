"""Solve a MIP file with HiGHS and print one JSON line: ``python -m planner.bench.highs_run``.

    python -m planner.bench.highs_run MODEL.lp --time-limit 60 --threads 2 [--solution OUT.json]

Imports HiGHS (``highspy``) and the standard library only: ``highspy`` and OR-Tools
9.15 cannot be loaded in one process (their HiGHS symbols clash), so the benchmark
(:mod:`planner.bench.mip`) writes the model and runs this module in a process of
its own. An import-linter contract in pyproject.toml keeps OR-Tools out.

Settings: ``time_limit`` (what is left of ``--time-limit`` after reading the file),
``threads``, ``mip_rel_gap`` = 0 (stop only at a proven optimum; the objective is
whole units, which HiGHS detects), everything else HiGHS' default.

Output (the last line of stdout; HiGHS prints its banner before it): ``status``
(optimal, feasible, infeasible, unknown, or HiGHS' model status otherwise),
``objective`` and ``bound`` (``mip_dual_bound``) in the file's units, ``gap``
(HiGHS' ``mip_gap``), ``wall_s`` (this process from the start of reading),
``read_s``, ``run_s`` (HiGHS' run), ``nodes``, ``peak_mb`` (this process's peak
resident memory, :func:`peak_mb`), ``highs`` (version). With ``--solution``, the
nonzero values of the best solution are written there as JSON (column name -> value).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from pathlib import Path
from typing import Any


def solve(path: str, time_limit_s: float, threads: int, solution: str | None) -> dict[str, Any]:
    start = time.monotonic()
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", max(1, threads))
    status = h.readModel(path)
    read_s = time.monotonic() - start
    if status == highspy.HighsStatus.kError:
        return {"status": "error", "note": f"HiGHS cannot read {path}", "read_s": read_s}
    h.setOptionValue("time_limit", max(0.1, time_limit_s - read_s))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("random_seed", 0)
    run_start = time.monotonic()
    h.run()
    run_s = time.monotonic() - run_start
    model_status = h.getModelStatus()
    info = h.getInfo()
    has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = info.objective_function_value if has_plan else None
    bound = _finite(info.mip_dual_bound)
    ms = highspy.HighsModelStatus
    if model_status == ms.kOptimal:
        name = "optimal"
    elif model_status == ms.kInfeasible:
        name = "infeasible"
    elif model_status in (ms.kTimeLimit, ms.kInterrupt, ms.kIterationLimit, ms.kSolutionLimit):
        name = "feasible" if has_plan else "unknown"
    else:
        name = h.modelStatusToString(model_status).lower()
    if solution is not None and has_plan:
        names = h.getLp().col_names_
        values = h.getSolution().col_value
        nonzero = {n: v for n, v in zip(names, values, strict=True) if abs(v) > 1e-9}
        Path(solution).write_text(json.dumps(nonzero), encoding="utf-8")
    return {
        "status": name,
        "model_status": h.modelStatusToString(model_status),
        "objective": objective,
        "bound": bound,
        "gap": _finite(info.mip_gap) if has_plan else None,
        "wall_s": time.monotonic() - start,
        "read_s": read_s,
        "run_s": run_s,
        "nodes": int(info.mip_node_count),
        "threads": threads,
        "highs": str(h.version()),
    }


def peak_mb() -> float:
    """This process's peak resident memory (MB) since it started this program.

    Linux: VmHWM of /proc/self/status, the high-water mark of this program's own memory.
    getrusage's ru_maxrss is not used there: at exec the kernel carries over the peak of
    the process that spawned it (which here holds the whole problem), so it would
    report the parent's peak for a small child.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) and abs(value) < 1e300 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner.bench.highs_run")
    parser.add_argument("model", help="MIP file HiGHS can read (.lp or .mps)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds from start")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--solution", default=None, help="write the best solution here (JSON)")
    args = parser.parse_args(argv)
    try:
        out = solve(args.model, args.time_limit, args.threads, args.solution)
    except Exception as exc:  # reported on the JSON line; the caller records the row
        out = {"status": "error", "note": f"{type(exc).__name__}: {exc}"}
    out["peak_mb"] = peak_mb()
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
