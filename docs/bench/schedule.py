"""Benchmark the month-by-month schedule (docs/benchmarks.md, "Migration schedule").

For each estate (the four bundled ones and generated ones, ``planner generate --seed
1``), one run of ``planner.optimise.optimise`` with ``--no-reasons`` and ``--time-limit``
T (the target estate gets up to T seconds, then the schedule up to T seconds), the
plan checked by ``planner.checker.check_plan``; one JSON line per estate with the
target's status and gap, the greedy's time and objective, CP-SAT's time, the
schedule's status, gap, method and final objective.

With ``--ablation`` the schedule of the same target is then solved again under each
configuration of :data:`CONFIGS` (schedule only, ``--ablation-limit`` seconds each), to
measure what each change does; ``--baseline PATH`` adds the schedule of an older
checkout of planner (``mkdir /tmp/before && git archive 9a0dc97 planner | tar -x -C
/tmp/before``), run in a
subprocess with that checkout first on ``sys.path``.

Objectives are the schedule model's (pence, :meth:`Migration.cost`): the discounted
running and one-off costs of the rooms that close or open, relative to each room's
earliest possible month, minus the discounting of migration costs moved later. Lower
is better; only differences between runs of one estate mean money.

    python docs/bench/schedule.py --out /tmp/bench.jsonl --ablation --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from planner.checker import check_plan
from planner.generate import generate
from planner.inventory.graph import EstateGraph
from planner.inventory.months import Calendar
from planner.inventory.validate import load_and_validate
from planner.inventory.write import write_yaml
from planner.optimise import OptimiseOptions, optimise
from planner.schedule import schedule_migration
from planner.schedule.migration import Migration, build_migration
from planner.schedule.pairs import order_rules
from planner.schedule.variables import Options
from planner.target import Target

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ["tiny", "cheshire", "cambridgeshire", "worcestershire"]
GENERATED = [10, 50, 150, 337]

OFF = Options(
    energetic=False,
    weighted_months=False,
    separation_var=False,
    time_indexed_days=0,
    time_indexed_capacity=0,
    month_links=False,
)
CONFIGS: dict[str, tuple[str, Options]] = {
    "cp-sat, plain model": ("cp-sat", OFF),
    "cp-sat, new model": ("cp-sat", Options()),
    "greedy only": ("greedy", Options()),
    "greedy hint, plain model": ("auto", OFF),
    "greedy hint, new model": ("auto", Options()),
    "greedy hint, no energetic rows": ("auto", Options(energetic=False)),
    "greedy hint, no time-indexed rows": (
        "auto",
        Options(time_indexed_days=0, time_indexed_capacity=0, month_links=False),
    ),
}
"""Schedule configurations of the ablation: (method, model options)."""

BASELINE_CHILD = """
import json, pickle, sys, time
from planner.inventory.graph import EstateGraph
from planner.inventory.validate import load_and_validate
from planner.schedule import schedule_migration
estate, target_file, limit, workers = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
inv = load_and_validate(estate).inventory
target = pickle.load(open(target_file, "rb"))
start = time.monotonic()
s = schedule_migration(inv, EstateGraph(inv), target, time_limit_s=limit, workers=workers)
wall = time.monotonic() - start
import planner
print(json.dumps({"status": s.status, "gap": s.gap, "wall_s": wall, "planner": planner.__file__,
                  "months": [s.move_month, s.close_month, s.open_month]}))
"""


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem_kb / 2**20, 1)}


def estates(tmp: Path, generated: list[int]) -> list[tuple[str, Path]]:
    out = [(name, ROOT / "inventories" / name) for name in BUNDLED]
    for n in generated:
        path = tmp / f"gen{n}"
        write_yaml(generate(n, seed=1), path)
        out.append((f"generated-{n}", path))
    return out


def target_of(plan: dict[str, Any]) -> Target:
    return Target(
        room_of={a["workload"]: a["to"] for a in plan["assignments"]},
        open_rooms=frozenset(r["id"] for r in plan["rooms"] if r["decision"] in ("keep", "open")),
        desk_of={d["organisation"]: d["desk"] for d in plan["desk_assignments"]},
    )


def run_estate(name: str, path: Path, args: argparse.Namespace) -> dict[str, Any]:
    loaded = load_and_validate(path)
    inv = loaded.inventory
    options = OptimiseOptions(
        time_limit_s=args.time_limit, workers=args.workers, explain_reasons=False
    )
    start = time.monotonic()
    result = optimise(loaded, options)
    wall = time.monotonic() - start
    plan = result.plan
    solver = plan["solver"]
    sched = result.schedule
    report = check_plan(loaded, plan)
    row: dict[str, Any] = {
        "estate": name,
        "workloads": len(inv.workloads),
        "target_status": solver.get("target_status"),
        "target_gap": solver.get("gap"),
        "target_s": round(result.stages.get("solve", 0.0), 1),
        "optimise_s": round(wall, 1),
        "checked": report.ok,
    }
    if sched is not None:
        row.update(
            movers=sched.stats.get("movers"),
            months=sched.stats.get("months"),
            variables=sched.stats.get("variables"),
            constraints=sched.stats.get("constraints"),
            greedy_s=round(sched.greedy_wall_s, 2),
            greedy_objective=sched.greedy_cost,
            greedy_variant=sched.stats.get("greedy_variant"),
            cp_s=round(sched.cp_wall_s, 1),
            schedule_s=round(sched.wall_s, 1),
            status=sched.status,
            method=sched.method,
            gap=sched.gap,
            objective=sched.cost,
            bound=sched.bound,
        )
    if args.ablation and sched is not None and sched.move_month:
        target = target_of(plan)
        graph = EstateGraph(inv)
        runs: dict[str, Any] = {}
        if args.baseline:
            cal = Calendar(inv.estate.start, inv.estate.horizon_years)
            orders = order_rules(inv, graph, target.room_of)
            inst = build_migration(inv, cal, target.room_of, target.open_rooms, orders)
            runs["before (baseline checkout)"] = baseline(path, target, inst, args)
        for label, (method, model) in CONFIGS.items():
            s = schedule_migration(
                inv,
                graph,
                target,
                time_limit_s=args.ablation_limit,
                workers=args.workers,
                method=method,
                options=model,
            )
            runs[label] = {
                "status": s.status,
                "method": s.method,
                "gap": s.gap,
                "objective": s.cost,
                "bound": s.bound,
                "wall_s": round(s.wall_s, 1),
                "variables": s.stats.get("variables"),
                "constraints": s.stats.get("constraints"),
            }
        row["ablation"] = runs
    return row


def baseline(
    path: Path, target: Target, inst: Migration, args: argparse.Namespace
) -> dict[str, Any]:
    """The schedule of an older checkout for the same target, and its cost on ``inst``."""
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
        pickle.dump(target, f)
    env = dict(os.environ, PYTHONPATH=str(Path(args.baseline).resolve()))
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                BASELINE_CHILD,
                str(path),
                f.name,
                str(args.ablation_limit),
                str(args.workers),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),  # not this checkout: '' comes first on sys.path
            check=False,
            timeout=args.ablation_limit * 3 + 120,
        )
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    months = out.pop("months")
    if out["status"] in ("optimal", "feasible"):
        out["objective"] = inst.cost(*months)
    return out


def gbp(pence: float | None) -> str:
    return "-" if pence is None else f"{pence / 100:,.0f}"


def pct(gap: float | None) -> str:
    return "-" if gap is None else f"{100 * gap:.2f}%"


def render(path: Path) -> str:
    """Markdown tables from the JSON lines of a run."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if "estate" in r]
    out = [
        "| estate | workloads | target (status, gap, s) | movers | months | greedy s | "
        "greedy objective GBP | CP-SAT s | status | method | gap | final objective GBP | "
        "checked |",
        "|---|--:|---|--:|--:|--:|--:|--:|---|---|--:|--:|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['estate']} | {r['workloads']} | {r['target_status']}, "
            f"{pct(r['target_gap'])}, {r['target_s']} | {r.get('movers', '-')} | "
            f"{r.get('months', '-')} | {r.get('greedy_s', '-')} | "
            f"{gbp(r.get('greedy_objective'))} | {r.get('cp_s', '-')} | "
            f"{r.get('status', '-')} | {r.get('method', '-')} | {pct(r.get('gap'))} | "
            f"{gbp(r.get('objective'))} | {'yes' if r['checked'] else 'NO'} |"
        )
    ablations = [r for r in rows if r.get("ablation")]
    if ablations:
        labels = list(ablations[0]["ablation"])
        out += ["", "| configuration | " + " | ".join(r["estate"] for r in ablations) + " |"]
        out.append("|---|" + "---|" * len(ablations))
        for label in labels:
            cells = []
            for r in ablations:
                a = r["ablation"].get(label, {})
                if "error" in a or not a:
                    cells.append("error")
                    continue
                cells.append(
                    f"{a['status']} {pct(a.get('gap'))}, {gbp(a.get('objective'))}, "
                    f"{a['wall_s']:.1f} s"
                )
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="JSON lines, one per estate")
    parser.add_argument("--render", type=Path, help="print the tables of a run's JSON lines")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generated", type=int, nargs="*", default=GENERATED)
    parser.add_argument("--only", nargs="*", help="e.g. tiny generated-10 (default: all)")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--ablation-limit", type=float, default=60.0)
    parser.add_argument("--baseline", help="an older planner checkout for the 'before' run")
    args = parser.parse_args()
    if args.render:
        print(render(args.render))
        return
    if args.out is None:
        parser.error("--out is required")
    print(json.dumps({"machine": machine(), "date": time.strftime("%Y-%m-%d")}), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in estates(Path(tmp), args.generated):
            if args.only and name not in args.only:
                continue
            row = run_estate(name, path, args)
            with args.out.open("a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
