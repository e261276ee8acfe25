"""The textbook MIP in HiGHS (planner/bench/mip.py, issue 13) has the CP-SAT model's optimum.

On estates and benchmark instances small enough for both to prove optimality, and on
random small problems that use every constraint family (room and desk limits, a
binding migration budget, move pairs, forced rooms, suites, upgrades, site rules,
zone conflicts, infeasible ones), the two optima are equal in integer units, and
CP-SAT's optimal plan is a legal plan of the MIP at the same cost. HiGHS runs in its
own process (planner/bench/highs_run.py), which must not load OR-Tools.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.sscflp_bench import BENCH, ROOT, bench_p1

from planner.bench.mip import evaluate, plan_values, run_highs, textbook_mip, write_lp
from planner.bench.sscflp import read_instance, to_problem
from planner.solver import (
    AtMostOne,
    Desk,
    Organisation,
    Problem,
    Room,
    SitePairRule,
    SolveOptions,
    Status,
    Upgrade,
    Workload,
    solve,
)

# Not importorskip: highspy must not be loaded into this process, which runs OR-Tools.
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("highspy") is None, reason="highspy is not installed"
)

needs_bench = pytest.mark.skipif(not BENCH.is_dir(), reason=f"no SSCFLP instances in {BENCH}")


def _estate(path: Path, **limits: int) -> Problem:
    from planner.inventory.validate import load_and_validate
    from planner.target import LimitOptions, build_problem

    loaded = load_and_validate(path)
    assert loaded.ok, loaded.findings.errors[:1]
    return build_problem(loaded.inventory, limits=LimitOptions(**limits)).problem


def _generated(councils: int, seed: int, decisions: bool) -> Problem:
    from planner.generate import generate
    from planner.inventory.write import write_yaml

    with tempfile.TemporaryDirectory(prefix="planner-test-highs-") as tmp:
        write_yaml(generate(councils, seed, decisions=decisions), Path(tmp) / "e", overwrite=True)
        return _estate(Path(tmp) / "e")


def _same_optimum(p: Problem) -> Status:
    """CP-SAT and HiGHS both prove an optimum (or infeasibility) and agree in units."""
    ours = solve(p, SolveOptions(time_limit_s=30, workers=2))
    theirs = run_highs(p, time_limit_s=30, threads=1)
    assert theirs.problems == [], theirs.problems
    if ours.status is Status.INFEASIBLE:
        assert theirs.status == "infeasible", theirs
        return ours.status
    assert ours.status is Status.OPTIMAL, ours.status
    assert theirs.status == "optimal", theirs
    assert ours.solution is not None
    assert ours.objective is not None
    t = textbook_mip(p)
    s = ours.solution
    mine = evaluate(t, plan_values(t, s.assignment, s.room_open, s.desk_of, s.fte))
    assert mine.violated == [], f"CP-SAT's optimal plan breaks MIP rows {mine.violated[:5]}"
    assert theirs.units == mine.units, (theirs.units, mine.units)
    assert ours.objective == pytest.approx(p.objective_money(mine.units), abs=1e-6)
    assert theirs.objective == pytest.approx(ours.objective, abs=1e-6)
    assert theirs.bound == pytest.approx(ours.objective, abs=1e-6)
    return ours.status


@pytest.mark.parametrize("name", ["tiny", "worcestershire", "cambridgeshire", "cheshire"])
def test_bundled_estates(name: str) -> None:
    _same_optimum(_estate(ROOT / "inventories" / name))


def test_room_and_desk_limits_on_an_estate() -> None:
    _same_optimum(_estate(ROOT / "inventories" / "cheshire", max_rooms=9, max_desks=6))


@pytest.mark.parametrize(
    ("councils", "seed", "decisions"),
    [(2, 0, False), (2, 1, True), (2, 2, True), (3, 1, False), (3, 3, True)],
)
def test_generated_estates(councils: int, seed: int, decisions: bool) -> None:
    p = _generated(councils, seed, decisions)
    if decisions:
        assert p.upgrades
        assert any(room.within is not None for room in p.rooms)
    _same_optimum(p)


@needs_bench
@pytest.mark.parametrize("name", ["holmberg/p1", "holmberg/p13", "orlib_single_source/cap71"])
def test_sscflp_instances(name: str) -> None:
    _same_optimum(to_problem(read_instance(BENCH / name)))


def _random_problem(seed: int) -> Problem:
    """A small problem with every side rule the families know, drawn at random."""
    rng = random.Random(seed)
    n_sites, n_rooms = rng.randint(2, 4), rng.randint(4, 7)
    rooms: list[Room] = []
    for r in range(n_rooms):
        within = rng.randrange(r) if r > 1 and rng.random() < 0.2 else None
        rooms.append(
            Room(
                id=f"r{r}",
                site=rooms[within].site if within is not None else rng.randrange(n_sites),
                capacity=(rng.randint(8, 20), rng.randint(6, 16)),
                cost_open=rng.randint(20, 200),
                cost_closed=rng.randint(0, 40),
                existing=rng.random() < 0.6,
                must_open=rng.random() < 0.06,
                must_close=rng.random() < 0.04,
                counts_to_limit=within is None,
                within=within,
            )
        )
    upgrades = tuple(
        Upgrade(room=rng.randrange(n_rooms), cost=rng.randint(5, 60), label=f"u{i}")
        for i in range(rng.randint(0, 3))
    )
    workloads = []
    for w in range(rng.randint(6, 11)):
        opts = rng.sample(range(n_rooms), rng.randint(2, 4))
        needs = tuple(
            (r, tuple(i for i, u in enumerate(upgrades) if u.room == r))
            for r in opts
            if rng.random() < 0.5 and any(u.room == r for u in upgrades)
        )
        workloads.append(
            Workload(
                id=f"w{w}",
                demand=(rng.randint(0, 4), rng.randint(1, 3)),
                options=tuple((r, rng.randint(0, 30)) for r in opts),
                zone=rng.randrange(3),
                today=rng.choice([*opts, None]),
                move_days=rng.randint(0, 5),
                needs=needs,
            )
        )
    all_pairs = [(s, t) for s in range(n_sites) for t in range(n_sites)]
    rules = []
    for _ in range(rng.randint(0, 3)):
        a, b = rng.sample(range(len(workloads)), 2)
        if rng.random() < 0.5:
            near = {(s, s) for s in range(n_sites)} | set(rng.sample(all_pairs, 2))
            rules.append(SitePairRule("near", a, b, frozenset(near)))
        else:
            apart = {(s, s) for s in range(n_sites)}
            rules.append(SitePairRule("apart", a, b, frozenset(apart)))
    at_most_one = []
    for _ in range(rng.randint(0, 2)):
        picks = rng.sample(range(len(workloads)), 2)
        at_most_one.append(
            AtMostOne(tuple((w, rng.choice(workloads[w].options)[0]) for w in picks))
        )
    desks, orgs = (), ()
    if rng.random() < 0.8:
        desks = tuple(
            Desk(
                id=f"d{d}",
                seats=rng.randint(2, 5),
                tickets_per_fte=rng.randint(4, 9),
                cost_open=rng.randint(10, 80),
                cost_per_fte=rng.randint(5, 25),
                cost_closed=rng.randint(0, 20),
                counts_to_limit=rng.random() < 0.8,
            )
            for d in range(rng.randint(1, 4))
        )
        orgs = tuple(
            Organisation(
                id=f"o{o}",
                tickets=rng.randint(0, 12),
                options=tuple(rng.sample(range(len(desks)), rng.randint(1, len(desks)))),
            )
            for o in range(rng.randint(1, 4))
        )
    total_days = sum(wl.move_days for wl in workloads)
    return Problem(
        name=f"random-{seed}",
        resources=("racks", "power"),
        resource_scale=(1, 1),
        sites=tuple(f"s{s}" for s in range(n_sites)),
        rooms=tuple(rooms),
        workloads=tuple(workloads),
        zones=("a", "b", "c"),
        conflicts=frozenset({(0, 1)} | ({(1, 2)} if rng.random() < 0.5 else set())),
        upgrades=upgrades,
        site_rules=tuple(rules),
        at_most_one=tuple(at_most_one),
        max_rooms=rng.choice([None, 3, 4]),
        move_budget=rng.choice([None, total_days * 2 // 3, total_days // 2]),
        desks=desks,
        organisations=orgs,
        max_desks=rng.choice([None, 2, 3]) if desks else None,
        cost_unit=0.01,
        cost_offset=7.5,
    )


def test_random_problems_with_every_side_rule() -> None:
    statuses = [_same_optimum(_random_problem(seed)) for seed in range(24)]
    # the draw covers both outcomes
    assert Status.OPTIMAL in statuses
    assert Status.INFEASIBLE in statuses


def test_a_workload_without_options_makes_the_mip_infeasible() -> None:
    p = _random_problem(0)
    stranded = Workload(id="lost", demand=(1, 1), options=())
    p = replace(p, workloads=(*p.workloads, stranded))
    assert solve(p, SolveOptions(time_limit_s=5, workers=1)).status is Status.INFEASIBLE
    assert run_highs(p, time_limit_s=10).status == "infeasible"


def test_evaluate_names_the_rows_a_plan_breaks() -> None:
    p = to_problem_small()
    t = textbook_mip(p)
    # Both customers in facility 0 (capacity 3 < 2 + 2), and facility 0 left closed.
    broken = evaluate(t, plan_values(t, [0, 0], [False, False]))
    assert {"link0_0", "link1_0"} <= set(broken.violated)
    legal = evaluate(t, plan_values(t, [0, 1], [True, True]))
    assert legal.violated == []
    assert legal.units == 10 + 20 + 1 + 2  # fixed costs + assignment costs
    over = evaluate(t, plan_values(t, [0, 0], [True, False]))
    assert "cap0_0" in over.violated


def to_problem_small() -> Problem:
    rooms = (
        Room(id="f1", site=0, capacity=(3,), cost_open=10),
        Room(id="f2", site=1, capacity=(5,), cost_open=20),
    )
    workloads = (
        Workload(id="c1", demand=(2,), options=((0, 1), (1, 4))),
        Workload(id="c2", demand=(2,), options=((0, 3), (1, 2))),
    )
    return Problem("small", ("demand",), (1,), ("a", "b"), rooms, workloads)


def test_the_highs_runner_loads_no_ortools(tmp_path: Path) -> None:
    lp = tmp_path / "m.lp"
    write_lp(textbook_mip(to_problem_small()).mip, lp)
    code = (
        "import json, sys\n"
        "from planner.bench import highs_run\n"
        f"highs_run.main([{str(lp)!r}, '--time-limit', '5'])\n"
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(("{", "["))]
    result, modules = json.loads(lines[-2]), set(json.loads(lines[-1]))
    assert result["status"] == "optimal"
    assert result["objective"] == 20 + 4 + 2  # both customers in f2
    assert "highspy" in modules
    assert "ortools" not in modules
    assert "highspy" not in sys.modules  # and this process (which runs CP-SAT) never loads it


@needs_bench
def test_cli_adds_a_highs_row_beside_ours(tmp_path: Path) -> None:
    proc, out = bench_p1(tmp_path, "--highs")
    assert proc.returncode == 0, proc.stderr
    assert "against HiGHS" in proc.stdout
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["solver"] for r in rows] == ["cp-sat", "highs"]
    for row in rows:
        assert row["instance"] == "p1"
        assert row["status"] == "optimal"
        assert row["objective"] == "8848"
        assert row["reference"] == "8848"
        assert float(row["peak_mb"]) > 10
        assert float(row["wall_s"]) > 0
    assert "LP " in rows[1]["note"]
