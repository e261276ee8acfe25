"""The public SSCFLP instances beside the checkout (../shared/bench/sscflp, or
$PLANNER_SSCFLP_DIR), and `planner bench sscflp` run on one of them as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(os.environ.get("PLANNER_SSCFLP_DIR", ROOT.parent / "shared" / "bench" / "sscflp"))


def bench_p1(tmp_path: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`planner bench sscflp holmberg/p1 --time-limit 20 --workers 2 OPTIONS --out CSV` in
    ``tmp_path``: the finished process and the CSV's path."""
    out = tmp_path / "bench.csv"
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "planner", "bench", "sscflp"),
            str(BENCH / "holmberg" / "p1"),
            *("--time-limit", "20", "--workers", "2", *options, "--out", str(out)),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    return proc, out
