"""Shapley values of the savings game (spec/explore.md): known answers by hand.

Three partners p1, p2, p3, each with one site, one room and one workload (1 rack, 4 kW)
in it; rooms of GBP 100,000, 80,000 and 60,000 a year, moves of GBP 1,000, 2,000 and
3,000; one desk on p1's site serves all three (its cost never changes). A = 1 (one
year, no discounting), so closing room i saves c_i - m_i: 99,000, 78,000 and 57,000.

* Every room holds 10 racks: alone a partner saves nothing; two partners close the
  room that saves more, v12 = v13 = 99,000 and v23 = 78,000; all three keep room 3 and
  close rooms 1 and 2: v123 = 177,000. By the formula phi1 = 99/6 + 99/6 + (177 - 78)/3
  = 66,000 and phi2 = phi3 = 99/6 + 78/6 + (177 - 99)/3 = 55,500 (p2 and p3 are
  symmetric in the game).
* Room 3 holds 1 rack (its own workload only): nothing can move into it, so v12 =
  99,000, v13 = v23 = 57,000 and v123 = 99,000 + 57,000 = 156,000 (room 2 stays);
  phi1 = phi2 = 99/6 + 57/6 + (156 - 57)/3 = 59,000, phi3 = 57/6 + 57/6 + (156 - 99)/3
  = 38,000.
* Room 1 must close (``close: true``) and w2 depends on w1 within 2 ms (s1-s2 and s2-s3
  are 2 ms apart, s1-s3 4 ms). p1 alone cannot go anywhere, so w1 stays: v1 = 0; with
  p2 or p3, w1 moves and room 1 closes: v12 = v13 = 99,000; without p1, w1 stays at s1,
  so w2 stays at s2 and only room 3 can close: v23 = 57,000; all three move w1 and w2
  into room 3: v123 = GBP 180,000 of rooms less 3,000 of moves = 177,000. phi1 = 99/6
  + 99/6 + (177 - 57)/3 = 73,000, phi2 = phi3 = 99/6 + 57/6 + (177 - 99)/3 = 52,000.
  Without p1, the dependency is checked against w1's site of today (s1), which is none
  of w1's options (room 1 must close): the coalition's problem adds it.

Today's estate costs 240,000 for the rooms + 10,000 + 3 FTE x 30,000 for the desk
= 340,000 (the baseline).
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from helpers.estates import base, desk, load, org, room, run, site, workload, write
from typer.testing import CliRunner

from planner.cli import app
from planner.explore.coalition import restrict_to
from planner.explore.shapley import (
    ShapleyError,
    coalition_values,
    coalitions,
    key_of,
    mask_of,
    shapley_tasks,
    summarise_shapley,
)
from planner.explorefile import read_shapley_values, validate_explore
from planner.inventory.items import Inventory
from planner.inventory.load import load_estate
from planner.target import build_problem

BUNDLED = Path(__file__).resolve().parents[1] / "inventories"

PARTNERS = ("p1", "p2", "p3")


def three(small_room3: bool = False, **estate: Any) -> dict[str, Any]:
    doc = base(**estate)
    doc["organisations"] = [org(p, "desk") for p in PARTNERS]
    doc["sites"] = [site(f"s{i}", p, 52.0 + i / 10) for i, p in enumerate(PARTNERS, 1)]
    doc["links"] = [
        {"a": "s1", "b": "s2", "network": "psn", "latency_ms": 2},
        {"a": "s2", "b": "s3", "network": "psn", "latency_ms": 2},
    ]
    doc["service_desks"] = [desk("desk", "s1")]
    small = {"racks": 1, "power_kw": 4} if small_room3 else {}
    doc["rooms"] = [
        room("r1", "s1", annual_cost=100_000),
        room("r2", "s2", annual_cost=80_000),
        room("r3", "s3", annual_cost=60_000, **small),
    ]
    doc["workloads"] = [
        workload(f"w{i}", f"r{i}", org=p, migration_cost=1_000 * i)
        for i, p in enumerate(PARTNERS, 1)
    ]
    return doc


def solve_all(inv: Inventory, samples: int | None = None, seed: int = 0) -> dict[str, Any]:
    tasks = shapley_tasks(inv, samples=samples, seed=seed, time_limit_s=10)
    return {t.key: t.run(inv) for t in tasks}


def closing_room1() -> dict[str, Any]:
    doc = three()
    doc["rooms"][0]["close"] = True
    doc["workloads"][1]["depends_on"] = [{"workload": "w1", "max_latency_ms": 2}]
    return doc


CASES = {
    "roomy": (
        three(),
        {(): 0, ("p1", "p2"): 99_000, ("p1", "p3"): 99_000, ("p2", "p3"): 78_000},
        177_000,
        {"p1": 66_000, "p2": 55_500, "p3": 55_500},
    ),
    "room 3 full": (
        three(small_room3=True),
        {(): 0, ("p1", "p2"): 99_000, ("p1", "p3"): 57_000, ("p2", "p3"): 57_000},
        156_000,
        {"p1": 59_000, "p2": 59_000, "p3": 38_000},
    ),
    "room 1 closes": (
        closing_room1(),
        {(): 0, ("p1", "p2"): 99_000, ("p1", "p3"): 99_000, ("p2", "p3"): 57_000},
        177_000,
        {"p1": 73_000, "p2": 52_000, "p3": 52_000},
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_exact_values_known_by_hand(tmp_path: Path, case: str) -> None:
    doc, pairs, grand, expected = CASES[case]
    inv = load(write(doc, tmp_path)).inventory
    done = solve_all(inv)
    assert len(done) == 8
    assert all(r["status"] == "optimal" for r in done.values())
    values, baseline, not_optimal, no_plan = coalition_values(done, 3, coalitions(3))
    assert baseline == 340_000_00
    assert not_optimal == []
    assert no_plan == []
    by_members = {tuple(PARTNERS[i] for i in range(3) if m >> i & 1): v for m, v in values.items()}
    for members, value in {**pairs, ("p1",): 0, ("p2",): 0, ("p3",): 0}.items():
        assert by_members[members] == value * 100, members
    assert by_members[PARTNERS] == grand * 100

    section = summarise_shapley(done, inv)
    assert section["method"] == "exact"
    assert section["samples"] is None
    assert {v["organisation"]: v["value"] for v in section["values"]} == expected
    assert section["total"] == section["grand_value"] == grand
    assert sum(v["value"] for v in section["values"]) == pytest.approx(grand, abs=0.001)
    assert section["baseline_objective"] == 340_000
    assert section["coalitions"] == 8
    assert section["not_optimal"] == 0


def test_the_values_add_up_to_the_plans_saving(tmp_path: Path) -> None:
    loaded, result = run(three(), tmp_path)
    inv = loaded.inventory
    section = summarise_shapley(solve_all(inv), inv)
    plan_saving = section["baseline_objective"] - result.plan["solver"]["objective"]
    assert section["total"] == pytest.approx(plan_saving, abs=0.05)
    assert sum(v["value"] for v in section["values"]) == pytest.approx(section["total"], abs=1e-6)


def test_sampled_values_approach_the_exact_ones(tmp_path: Path) -> None:
    inv = load(write(three(), tmp_path)).inventory
    done = solve_all(inv, samples=300, seed=7)
    assert len(done) <= 8  # prefixes are shared: each coalition solved once
    section = summarise_shapley(done, inv, samples=300, seed=7)
    assert section["method"] == "sampled"
    assert section["samples"] == 300
    exact = CASES["roomy"][3]
    for v in section["values"]:
        assert v["standard_error"] is not None
        assert v["standard_error"] > 0
        assert abs(v["value"] - exact[v["organisation"]]) <= 3 * v["standard_error"], v
    # each order's marginals telescope to v(N), so the mean adds up too (to the penny)
    assert sum(v["value"] for v in section["values"]) == pytest.approx(177_000, abs=1e-6)
    again = summarise_shapley(solve_all(inv, samples=300, seed=7), inv, samples=300, seed=7)
    del again["solve_s"], section["solve_s"]
    assert again == section  # seeded: reproducible


def test_a_coalition_keeps_the_others_as_they_are(tmp_path: Path) -> None:
    doc = three()
    doc["rooms"].append(room("new", "s1", status="candidate", annual_cost=10_000))
    doc["service_desks"].append(desk("desk2", "s2"))
    inv = load(write(doc, tmp_path)).inventory
    ep = build_problem(inv)
    p = restrict_to(["p2", "p3"])(ep)
    rooms = [r.id for r in p.rooms]
    opts = {w.id: sorted(rooms[r] for r, _ in w.options) for w in p.workloads}
    # p1's workload stays; members may use members' rooms and the candidate on p1's site
    assert opts == {"w1": ["r1"], "w2": ["new", "r2", "r3"], "w3": ["new", "r2", "r3"]}
    must_open = {r.id for r in p.rooms if r.must_open}
    assert must_open == {"r1"}
    by_id = {d.id: d for d in p.desks}
    assert by_id["desk"].cost_closed == by_id["desk"].cost_open  # p1's desk stays open
    assert by_id["desk2"].cost_closed != by_id["desk2"].cost_open
    desks = [d.id for d in p.desks]
    serve = {o.id: sorted(desks[d] for d in o.options) for o in p.organisations}
    assert serve == {"p1": ["desk"], "p2": ["desk", "desk2"], "p3": ["desk", "desk2"]}
    task = shapley_tasks(inv)[3]
    assert pickle.loads(pickle.dumps(task)) == task  # a Dask task carries it
    assert pickle.loads(pickle.dumps(restrict_to(["p2"])))(ep) == restrict_to(["p2"])(ep)
    with pytest.raises(ValueError, match="not organisations"):
        restrict_to(["nobody"])(ep)


def test_keys_and_a_coalition_without_a_plan() -> None:
    assert key_of(0b101, 3) == "shapley:101"
    assert mask_of("shapley:011") == 0b110
    assert key_of(0b001, 3) == "shapley:100"

    def res(objective: float | None, status: str = "optimal") -> dict[str, Any]:
        return {"status": status, "objective": objective}

    done = {key_of(m, 2): res(100.0 - 10 * m) for m in range(4)}
    done[key_of(0b10, 2)] = res(None, "unknown")
    values, baseline, not_optimal, no_plan = coalition_values(done, 2, range(4))
    assert baseline == 10_000
    assert not_optimal == [0b10]
    assert no_plan == [0b10]
    assert values == {0: 0, 0b01: 1000, 0b10: 0, 0b11: 3000}  # {p2} gets v({}) = 0
    del done[key_of(0b01, 2)]  # its task failed
    values, _, not_optimal, no_plan = coalition_values(done, 2, range(4))
    assert values[0b01] == 0
    assert no_plan == not_optimal == [0b01, 0b10]
    done[key_of(0b11, 2)] = res(None, "infeasible")
    with pytest.raises(ShapleyError, match="grand coalition"):
        coalition_values(done, 2, range(4))


def test_worcestershire_exactly_on_the_engine() -> None:
    from distributed import Client, LocalCluster

    from planner.explore.engine import Settings, run_tasks

    inv = load_estate(BUNDLED / "worcestershire").inventory
    tasks = shapley_tasks(inv, time_limit_s=10)
    assert len(tasks) == 16  # 15 coalitions and the empty one
    with (
        LocalCluster(
            n_workers=1, processes=False, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        results = run_tasks(inv, tasks, Settings(), dask_client=client)
    assert not results.failed
    section = summarise_shapley(results.done, inv)
    assert section["method"] == "exact"
    assert section["not_optimal"] == 0
    values = {v["organisation"]: v["value"] for v in section["values"]}
    assert set(values) == {"malvern-hills", "worcester", "worcs-cc", "wychavon"}
    assert all(v > 0 for v in values.values())
    # v(N) = today's estate - the plan's target objective (docs: GBP 4,275,391.33)
    assert section["grand_value"] == pytest.approx(section["baseline_objective"] - 4_275_391.33)
    assert sum(values.values()) == pytest.approx(section["total"], abs=1e-6)


def test_round_trip_through_optimise_shares(tmp_path: Path) -> None:
    estate = write(three(share_rule="shapley"), tmp_path / "estate")
    inv = load(estate).inventory
    section = summarise_shapley(solve_all(inv), inv)
    doc = {
        "format": "planner-explore/1",
        "estate": inv.estate.name,
        "inventory_sha256": "0" * 64,
        "engine": {"kind": "local", "scheduler": None, "workers": 1, "tasks": 8},
        "objective": None,
        "baseline_objective": section["baseline_objective"],
        "shapley": section,
        "failed": [],
    }
    validate_explore(doc)
    explore = tmp_path / "explore.json"
    explore.write_text(json.dumps(doc), encoding="utf-8")
    assert read_shapley_values(explore, list(PARTNERS)) == {
        "p1": 66_000,
        "p2": 55_500,
        "p3": 55_500,
    }
    out = tmp_path / "plan"
    args = ["optimise", str(estate), "--out", str(out), "--quiet", "--no-reasons"]
    result = CliRunner().invoke(app, [*args, "--workers", "1", "--shares", str(explore)])
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    orgs = {o["id"]: o for o in plan["organisations"]}
    total = sum(o["horizon_savings"] for o in orgs.values())
    for p, phi in (("p1", 66_000), ("p2", 55_500), ("p3", 55_500)):
        assert orgs[p]["shapley_value"] == phi
        assert orgs[p]["share"] == pytest.approx(total * phi / 177_000, abs=0.01)
