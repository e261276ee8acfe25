"""planner explore (spec/explore.md): prices of rules and Pareto curves with known answers,
the engine on a local cluster and on a real `dask scheduler` / `dask worker` pair.

Estates from tests/helpers/estates.py: one year at 0%, so A = 1 and an objective is
one-off + a year's running cost; one council with a GBP 40,000 desk (10,000 + 1 FTE).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.estates import base, load, room, run, variant, workload, write
from typer.testing import CliRunner

from planner.cli import app
from planner.explore import ExploreOptions, explore
from planner.explore.pareto import knee_index
from planner.explorefile import validate_explore

DESK = 40_000
ONLY = {"pareto": False, "risk": None, "shapley": False}


def two_rooms() -> dict[str, Any]:
    """ra (site a, GBP 100,000 a year) hosts w1 and w2; rb (site b, 60,000) hosts w3.

    Best plan: close ra, move w1 and w2 to rb: 60,000 + 2 x 1,000 + desk = 102,000.
    With w1 pinned in ra: ra must stay; the best is then to close rb and move w3 to ra:
    100,000 + 1,000 + desk = 141,000 (keeping both costs 160,000 + desk). So the pin
    costs 141,000 - 102,000 = 39,000. Zone official requires psn, which both rooms hold:
    that rule costs nothing.
    """
    doc = base()
    doc["zones"] = [{"id": "official", "networks": ["psn"], "requires": ["psn"]}]
    doc["rooms"] = [
        room("ra", "a", accreditations=["psn"]),
        room("rb", "b", annual_cost=60_000, accreditations=["psn"]),
    ]
    doc["workloads"] = [workload("w1", "ra"), workload("w2", "ra"), workload("w3", "rb")]
    return doc


def prices_of(doc: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    loaded = load(write(doc, tmp_path / "estate"))
    options = ExploreOptions(**ONLY, workers=1, time_limit_s=10)  # type: ignore[arg-type]
    result = explore(loaded, options)
    validate_explore(result.doc)
    return result.doc


def test_a_binding_rule_costs_what_the_hand_says_and_a_slack_one_nothing(
    tmp_path: Path,
) -> None:
    pinned = variant(two_rooms(), "workloads", "w1", pinned=True)
    doc = prices_of(pinned, tmp_path)
    assert doc["objective"] == pytest.approx(141_000 + DESK - DESK + 0, abs=0.01)
    by_rule = {p["rule"]: p for p in doc["prices"]}
    pin = by_rule["pinned w1"]
    assert pin["price"] == pytest.approx(39_000, abs=0.01)
    assert pin["objective_without"] == pytest.approx(102_000, abs=0.01)
    assert (pin["status"], pin["price_is"]) == ("optimal", "exact")
    assert by_rule["requires official"]["price"] == 0
    assert doc["prices"][0]["rule"] == "pinned w1"  # dearest first
    assert doc["baseline_objective"] == pytest.approx(160_000 + DESK, abs=0.01)


def test_an_estate_without_rules_has_no_prices_but_its_limits(tmp_path: Path) -> None:
    doc = two_rooms()
    doc["zones"] = [{"id": "official", "networks": ["psn"]}]
    loaded = load(write(doc, tmp_path / "estate"))
    options = ExploreOptions(**ONLY, workers=1, max_rooms=1)  # type: ignore[arg-type]
    prices = explore(loaded, options).doc["prices"]
    assert [(p["kind"], p["price"]) for p in prices] == [("max_rooms", 0.0)]


def three_rooms() -> dict[str, Any]:
    """Three rooms of 4 racks (100k, 80k, 60k a year), each with 3 one-rack workloads:
    one room cannot hold all 9, two can (8 racks? no: 4 + 4 = 8 < 9), so every plan keeps
    three rooms unless the rooms are bigger: rooms of 5 racks let two rooms hold 9."""
    doc = base()
    doc["rooms"] = [
        room("r1", "a", racks=5, annual_cost=100_000),
        room("r2", "b", racks=5, annual_cost=80_000),
        room("r3", "d", racks=5, annual_cost=60_000),
    ]
    doc["workloads"] = [workload(f"w{r}{i}", f"r{r}") for r in (1, 2, 3) for i in range(3)]
    return doc


def test_pareto_points_are_the_plans_of_optimise_max_rooms(tmp_path: Path) -> None:
    doc = three_rooms()
    loaded = load(write(doc, tmp_path / "estate"))
    options = ExploreOptions(prices=False, risk=None, shapley=False, workers=1, time_limit_s=10)
    result = explore(loaded, options)
    points = {p["max_rooms"]: p for p in result.doc["pareto"]}
    assert sorted(points) == [1, 2, 3]
    assert points[1]["status"] == "infeasible"
    assert points[1]["objective"] is None
    for k in (2, 3):
        _, expected = run(doc, tmp_path / f"k{k}", max_rooms=k)
        assert points[k]["objective"] == pytest.approx(
            expected.plan["solver"]["objective"], abs=0.01
        )
        assert points[k]["checked"] is True
    # two rooms: close r1 (100k), move its 3 workloads: 80k + 60k + 3,000 + desk
    assert points[2]["objective"] == pytest.approx(140_000 + 3_000 + DESK, abs=0.01)
    assert points[2]["knee"] is True  # a third room saves nothing
    assert [p["max_desks"] for p in result.doc["pareto_desks"]] == [1]


def test_the_knee_is_where_one_more_room_saves_least() -> None:
    assert knee_index([(1, None), (2, 100.0), (3, 40.0), (4, 30.0), (5, 25.0)]) == 2
    assert knee_index([(1, 50.0), (2, 50.0), (3, 50.0)]) == 0  # flat: the first point
    assert knee_index([(1, None)]) is None


def test_the_command_writes_explore_json_and_exits_0(tmp_path: Path) -> None:
    estate = write(two_rooms(), tmp_path / "estate")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["explore", str(estate), "--out", str(out), "--prices", "--workers", "1", "-q"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "explore.json").read_text(encoding="utf-8"))
    assert doc["format"] == "planner-explore/1"
    assert doc["engine"]["kind"] == "local"
    assert doc["engine"]["workers"] == 1
    assert doc["failed"] == []


def test_an_invalid_estate_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    doc = two_rooms()
    doc["workloads"][0]["room"] = "nowhere"
    estate = write(doc, tmp_path / "estate")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["explore", str(estate), "--out", str(out), "-q"])
    assert result.exit_code == 2
    assert not out.exists()


# ----------------------------------------------------------------- a real Dask cluster


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """`dask scheduler` and one `dask worker` on loopback, as a user starts them."""
    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
    assert dask, "the dask command comes with dask[distributed]"
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    logs = (tmp_path / "scheduler.log").open("w"), (tmp_path / "worker.log").open("w")
    port = address.rsplit(":", 1)[1]
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
        stdout=logs[0],
        stderr=subprocess.STDOUT,
        env=env,
    )
    worker = subprocess.Popen(
        [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        stdout=logs[1],
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s") as c:
                    c.wait_for_workers(1, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for proc in (worker, scheduler):
            proc.terminate()
        for proc in (worker, scheduler):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


@pytest.mark.slow
def test_explore_runs_on_a_dask_scheduler_and_worker_started_apart(
    tmp_path: Path, dask_cluster: str
) -> None:
    pinned = variant(two_rooms(), "workloads", "w1", pinned=True)
    loaded = load(write(pinned, tmp_path / "estate"))
    options = ExploreOptions(
        prices=True, pareto=True, risk=None, shapley=False, scheduler=dask_cluster, time_limit_s=10
    )
    result = explore(loaded, options)
    assert result.doc["engine"]["kind"] == "dask"
    assert result.doc["engine"]["scheduler"] == dask_cluster
    assert result.doc["engine"]["workers"] == 1
    local = explore(
        loaded,
        ExploreOptions(
            prices=True, pareto=True, risk=None, shapley=False, workers=1, time_limit_s=10
        ),
    )
    assert result.doc["prices"] == local.doc["prices"]
    assert result.doc["pareto"] == local.doc["pareto"]


def test_the_separation_of_tiny_costs_what_planning_without_it_saves(tmp_path: Path) -> None:
    """inventories/tiny keeps NHS systems apart from council ones; planned without that
    pair (the same files, `separate` removed), the plan is cheaper by exactly the price.
    (Removing a rule must build a new inventory: a copy would keep the old one's cached
    lookups, separated_pairs and zone, and the solve would still see the rule.)"""
    import yaml

    from planner.explore.prices import without
    from planner.explore.solves import solve_target

    tiny = Path(__file__).resolve().parents[1] / "inventories" / "tiny"
    inv = load(tiny).inventory
    lifted = without(inv, "separate", ("nhs", "official"))
    assert lifted.separated_pairs == frozenset()
    assert without(inv, "requires", ("nhs",)).zone["nhs"].requires == []
    copy = tmp_path / "tiny"
    shutil.copytree(tiny, copy)
    estate = yaml.safe_load((copy / "estate.yaml").read_text(encoding="utf-8"))
    estate.pop("separate")
    (copy / "estate.yaml").write_text(yaml.safe_dump(estate), encoding="utf-8")
    expected = solve_target(inv)["objective"] - solve_target(load(copy).inventory)["objective"]
    assert expected > 0  # the rule binds
    doc = prices_of_dir(tiny)
    price = next(p for p in doc["prices"] if p["rule"] == "separate nhs/official")
    assert price["price"] == pytest.approx(expected, abs=0.01)


def prices_of_dir(directory: Path) -> dict[str, Any]:
    options = ExploreOptions(**ONLY, workers=1, time_limit_s=10)  # type: ignore[arg-type]
    return explore(load(directory), options).doc


def test_a_scheduler_nobody_runs_exits_2_naming_it(tmp_path: Path) -> None:
    estate = write(two_rooms(), tmp_path / "estate")
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(
        app, ["explore", str(estate), "--out", str(out), "--prices", "--scheduler", address, "-q"]
    )
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler" in result.output
    assert address in result.output
    assert not out.exists()
