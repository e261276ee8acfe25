"""The SSCFLP benchmark reader, runner checks and a few small instances solved to the
published optimum.

The instances live outside the repository (../shared/bench/sscflp, or the
directory in $PLANNER_SSCFLP_DIR); tests that need them skip when it is absent.
The full benchmark runs are in docs/benchmarks.md, not here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from helpers.sscflp_bench import BENCH, bench_p1

from planner.bench.heuristic import hinted_problem
from planner.bench.run import Row, judge
from planner.bench.sscflp import (
    BenchFormatError,
    plan_cost,
    read_instance,
    references_for,
    to_problem,
)
from planner.solver import SolveOptions, Status, solve

SETS = ("holmberg", "orlib_single_source")


def _files() -> list[Path]:
    if not BENCH.is_dir():
        return []
    return sorted(
        p for s in SETS if (BENCH / s).is_dir() for p in (BENCH / s).iterdir() if not p.suffix
    )


FILES = _files()
needs_bench = pytest.mark.skipif(not FILES, reason=f"benchmark files not found in {BENCH}")


def _header(path: Path) -> tuple[int, int]:
    j, i = path.read_bytes().replace(b"\x00", b" ").split()[:2]
    return int(float(j)), int(float(i))


@needs_bench
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_reader_counts_match_the_header(path: Path) -> None:
    inst = read_instance(path)
    n_fac, n_cus = _header(path)
    assert inst.facilities == n_fac
    assert inst.customers == n_cus
    assert len(inst.fixed) == n_fac
    assert len(inst.cost) == n_fac
    assert all(len(row) == n_cus for row in inst.cost)
    assert inst.exact
    assert all(d > 0 for d in inst.demand)
    # every cost is whole at the chosen scale and the scale is the smallest that works
    if inst.cost_scale > 1:
        assert any(c % 10 for row in inst.cost for c in row) or any(f % 10 for f in inst.fixed)


@needs_bench
def test_nul_bytes_and_trailing_tokens_are_tolerated() -> None:
    with_nul = [p for p in FILES if b"\x00" in p.read_bytes()]
    assert len(with_nul) == 37  # as the benchmark README says
    for p in with_nul:
        assert read_instance(p).nul_bytes > 0
    p47 = read_instance(BENCH / "holmberg" / "p47")
    assert p47.trailing_tokens > 0
    assert (p47.facilities, p47.customers) == (10, 90)


@needs_bench
def test_decimal_costs_are_scaled_exactly() -> None:
    inst = read_instance(BENCH / "orlib_single_source" / "cap61")
    assert inst.cost_scale == 10**4
    text = (BENCH / "orlib_single_source" / "cap61").read_text().split()
    n_fac, n_cus = int(text[0]), int(text[1])
    first_cost = Decimal(text[2 + 2 * n_fac + n_cus])
    assert Decimal(inst.cost[0][0]) / inst.cost_scale == first_cost
    assert to_problem(inst).cost_unit == pytest.approx(1e-4)


def _write_tokens(path: Path, tokens: list[str]) -> Path:
    path.write_text("\n".join(" ".join(tokens[k : k + 10]) for k in range(0, len(tokens), 10)))
    return path


@needs_bench
def test_a_truncated_copy_fails_naming_file_and_position(tmp_path: Path) -> None:
    tokens = (BENCH / "holmberg" / "p1").read_bytes().replace(b"\x00", b" ").decode().split()
    cut = _write_tokens(tmp_path / "p1-cut", tokens[:-7])
    with pytest.raises(BenchFormatError) as info:
        read_instance(cut)
    message = str(info.value)
    assert str(cut) in message
    assert "truncated" in message
    assert f"token {len(tokens) - 6}" in message


@needs_bench
def test_a_non_number_fails_naming_file_and_position(tmp_path: Path) -> None:
    tokens = (BENCH / "holmberg" / "p1").read_bytes().replace(b"\x00", b" ").decode().split()
    tokens[40] = "12x"
    bad = _write_tokens(tmp_path / "p1-bad", tokens)
    with pytest.raises(BenchFormatError) as info:
        read_instance(bad)
    message = str(info.value)
    assert str(bad) in message
    assert "token 41 (line 5)" in message
    assert "'12x'" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "truncated"),
        ("2 x", "not a number"),
        ("0 3", "positive whole number"),
        ("2.5 3", "positive whole number"),
        ("1 1 10 5", "truncated"),
        ("1 1 -10 5 3 7", "negative capacity"),
    ],
)
def test_malformed_headers_and_values(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "inst"
    path.write_text(text)
    with pytest.raises(BenchFormatError, match=expected):
        read_instance(path)


def test_a_tiny_instance_by_hand(tmp_path: Path) -> None:
    # 2 facilities (capacity, fixed), 3 customers; the cheap facility cannot hold all three.
    path = tmp_path / "tiny"
    path.write_bytes(b"2 3\n10 5.5\n100 20\n4 4 4\n1 1 1\n9 9 9\n\x00\x00junk")
    inst = read_instance(path)
    assert inst.cost_scale == 10
    assert inst.trailing_tokens == 1
    out = solve(hinted_problem(inst), SolveOptions(time_limit_s=10, workers=1))
    assert out.status is Status.OPTIMAL
    # both open: 5.5 + 20 + two customers at 1 + one at 9 = 36.5
    assert out.objective == pytest.approx(36.5)
    assert out.solution is not None
    assert plan_cost(inst, out.solution.assignment) == Decimal("36.5")


SMALL = ("holmberg/p1", "holmberg/p9", "holmberg/p47", "orlib_single_source/cap71")


@needs_bench
@pytest.mark.parametrize("name", SMALL)
def test_small_instances_reach_the_published_optimum(name: str) -> None:
    path = BENCH / name
    inst = read_instance(path)
    reference = references_for(path)[path.name]
    out = solve(hinted_problem(inst, hint_time_s=0.5), SolveOptions(time_limit_s=30, workers=2))
    assert out.status is Status.OPTIMAL
    assert out.solution is not None
    exact = plan_cost(inst, out.solution.assignment)
    assert abs(exact - reference) <= Decimal("0.005")
    assert out.objective == pytest.approx(float(reference), abs=0.01)


def test_judge_flags_impossible_results() -> None:
    fine = Row("x", status="optimal", objective=100.0, bound=100.0, reference="100")
    judge(fine)
    assert fine.problems == []
    assert fine.deviation == 0
    below = Row("x", status="feasible", objective=99.0, bound=90.0, reference="100")
    judge(below)
    assert any("below the proven optimum" in p for p in below.problems)
    wrong = Row("x", status="optimal", objective=101.0, bound=101.0, reference="100")
    judge(wrong)
    assert any("claims optimal" in p for p in wrong.problems)
    rounding = Row("x", status="optimal", objective=793439.5625, reference="793439.56")
    judge(rounding)
    assert rounding.problems == []
    high_bound = Row("x", status="feasible", objective=105.0, bound=101.0, reference="100")
    judge(high_bound)
    assert any("bound" in p for p in high_bound.problems)


@needs_bench
def test_cli_runs_in_subprocesses_and_writes_the_csv(tmp_path: Path) -> None:
    proc, out = bench_p1(tmp_path)
    assert proc.returncode == 0, proc.stderr
    header, row = out.read_text().splitlines()[:2]
    for column in ("instance", "size", "status", "objective", "bound", "gap", "reference"):
        assert column in header.split(",")
    for column in ("deviation", "wall_s", "peak_mb"):
        assert column in header.split(",")
    values = dict(zip(header.split(","), row.split(","), strict=False))
    assert values["instance"] == "p1"
    assert values["status"] == "optimal"
    assert values["objective"] == "8848"
    assert values["reference"] == "8848"
    assert float(values["peak_mb"]) > 10


def test_cli_rejects_a_bad_file_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_text("3 4\n1 2\n")
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "bench", "sscflp", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert str(bad) in proc.stderr
    assert re.search(r"token \d+", proc.stderr)
    assert "Traceback" not in proc.stderr
