"""Benchmark the aggregated model against the plain one (docs/benchmarks.md section 12).

For each estate directory, the target problem (``build_problem``, no limits) with
every workload that no side rule names copied ``--copies`` times (the copies identical
to it: same rooms, costs, zone, room today) and every room's capacity and the move
budget multiplied as much, so the estate's shape stays and its identical workloads
multiply. Each run solves it with ``SolveOptions(aggregate=False)`` and then with
aggregation, ``--repeats`` times in turn (pairs in one run: compare ratios), and prints
one JSON line per solve: estate, copies, workloads, classes, options, mode, status,
objective, gap and seconds.

    planner generate /tmp/g10 --councils 10 --seed 1
    python docs/bench/aggregate.py /tmp/g10 inventories/cheshire --copies 8 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from planner.inventory.graph import EstateGraph
from planner.inventory.load import load_estate
from planner.solver import SolveOptions, solve
from planner.solver.aggregate import aggregate
from planner.solver.problem import Problem
from planner.target import LimitOptions, build_problem


def copied(p: Problem, copies: int) -> Problem:
    """``p`` with each workload no side rule names ``copies`` times, capacities and the
    move budget ``copies`` times."""
    named = p.ruled_workloads()
    workloads, index = [], {}
    for w, wl in enumerate(p.workloads):
        index[w] = len(workloads)
        workloads.append(wl)
        if w not in named:
            workloads += [replace(wl, id=f"{wl.id}#{i}") for i in range(1, copies)]
    return replace(
        p.with_workloads(tuple(workloads), index),
        rooms=tuple(replace(r, capacity=tuple(c * copies for c in r.capacity)) for r in p.rooms),
        move_budget=None if p.move_budget is None else p.move_budget * copies,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("estates", nargs="+", type=Path)
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for estate in args.estates:
        inv = load_estate(estate).inventory
        plain = build_problem(inv, EstateGraph(inv), LimitOptions(None, None)).problem
        p = copied(plain, args.copies)
        merged = aggregate(p)
        row = {
            "estate": str(estate),
            "copies": args.copies,
            "workloads": len(p.workloads),
            "classes": len(merged.members) if merged else len(p.workloads),
            "options": sum(len(wl.options) for wl in p.workloads),
        }
        for _ in range(args.repeats):
            for mode in (False, True):
                options = SolveOptions(
                    time_limit_s=args.time_limit, workers=args.workers, aggregate=mode
                )
                start = time.monotonic()
                out = solve(p, options)
                print(
                    json.dumps(
                        {
                            **row,
                            "mode": "aggregated" if mode else "plain",
                            "status": str(out.status),
                            "objective": out.objective,
                            "gap": out.gap,
                            "seconds": round(time.monotonic() - start, 2),
                        }
                    ),
                    flush=True,
                )


if __name__ == "__main__":
    main()
