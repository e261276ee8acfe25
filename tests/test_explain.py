"""Infeasible estates: exit 3, plan.json with the explanation, and the rules it names
really conflict (relaxing any one of them gives a plan).

Estates are built in code (tests/helpers/estates.py): sites a, b, d in a line, 11.1 km and
2 ms apart each; council c with desk c-desk.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from helpers.estates import Doc, base, desk, find, org, room, workload, write
from typer.testing import CliRunner

from planner.checker import check_plan
from planner.cli import app
from planner.inventory.validate import load_and_validate


def optimise_cli(doc: Doc, directory: Path, *limits: str) -> tuple[int, dict[str, Any]]:
    estate_dir = write(doc, directory / "estate")
    out = directory / "plan"
    result = CliRunner().invoke(
        app,
        ["optimise", str(estate_dir), "--out", str(out), "--workers", "1", "--quiet", *limits],
    )
    assert result.exit_code in (0, 3), result.output
    plan: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    loaded = load_and_validate(estate_dir)
    report = check_plan(loaded, plan)
    assert report.ok, [v.render() for v in report.violations]
    return result.exit_code, plan


def infeasible(doc: Doc, directory: Path, *limits: str) -> str:
    """Assert exit 3 and an infeasible plan.json; return its explanation as one text."""
    code, plan = optimise_cli(doc, directory, *limits)
    assert code == 3, plan["solver"]
    assert plan["solver"]["status"] == "infeasible"
    for key in ("rooms", "desks", "assignments", "desk_assignments", "waves", "years"):
        assert plan[key] == [], key
    assert plan["organisations"] == []
    lines = plan["explanation"]
    assert lines
    assert all(isinstance(line, str) and line.strip() for line in lines)
    assert len(set(lines)) == len(lines)
    return " ".join(lines)


def feasible(doc: Doc, directory: Path, *limits: str) -> dict[str, Any]:
    code, plan = optimise_cli(doc, directory, *limits)
    assert code == 0, plan["explanation"]
    assert plan["solver"]["status"] == "optimal"
    return plan


def contains(text: str, *words: str) -> None:
    for word in words:
        assert word in text, f"{word!r} not in: {text}"


def absent(text: str, *words: str) -> None:
    for word in words:
        assert word not in text, f"{word!r} in: {text}"


# ----------------------------------------------------------------- isolation and --max-rooms


def isolation_doc() -> Doc:
    """r1 at a holds council w1 and w2; r2 at b holds the police force's p1 (isolation)."""
    doc = base()
    doc["zones"].append({"id": "police", "networks": ["psn"], "isolation": "room"})
    doc["rooms"] = [room("r1", "a"), room("r2", "b")]
    doc["workloads"] = [
        workload("w1", "r1"),
        workload("w2", "r1"),
        workload("p1", "r2", zone="police"),
    ]
    return doc


def test_max_rooms_too_low_for_isolation(tmp_path: Path) -> None:
    text = infeasible(isolation_doc(), tmp_path / "one", "--max-rooms", "1")
    contains(text, "police", "isolation", "rule 4", "--max-rooms 1")
    absent(text, "capacity", "accreditation", "rule 9")
    # each named rule is needed: drop the limit, or the isolation, and a plan exists
    feasible(isolation_doc(), tmp_path / "two", "--max-rooms", "2")
    shared = isolation_doc()
    shared["zones"][-1]["isolation"] = "none"
    feasible(shared, tmp_path / "shared", "--max-rooms", "1")


# ----------------------------------------------------------------- accreditation and --max-rooms


def accreditation_doc() -> Doc:
    """nhs n1 needs dspt (only r1 at a has it); police p1 needs pasf (only r2 at b)."""
    doc = base()
    doc["zones"] += [
        {"id": "nhs", "networks": ["psn"], "requires": ["dspt"]},
        {"id": "police", "networks": ["psn"], "requires": ["pasf"]},
    ]
    doc["rooms"] = [
        room("r1", "a", accreditations=["dspt"]),
        room("r2", "b", accreditations=["pasf"]),
        room("r3", "d", annual_cost=1_000),
    ]
    doc["workloads"] = [
        workload("n1", "r1", zone="nhs"),
        workload("p1", "r2", zone="police"),
        workload("w1", "r3"),
    ]
    return doc


def test_accreditation_and_max_rooms(tmp_path: Path) -> None:
    text = infeasible(accreditation_doc(), tmp_path / "one", "--max-rooms", "1")
    contains(text, "n1", "dspt", "p1", "pasf", "rule 3", "--max-rooms 1")
    absent(text, "rule 4")
    feasible(accreditation_doc(), tmp_path / "two", "--max-rooms", "2")
    both = accreditation_doc()
    find(both, "rooms", "r1")["accreditations"] = ["dspt", "pasf"]
    plan = feasible(both, tmp_path / "both", "--max-rooms", "1")
    assert {a["to"] for a in plan["assignments"]} == {"r1"}


# ----------------------------------------------------------------- DR distance and --max-rooms


def distance_doc(km: float) -> Doc:
    """w1 at a and its DR pair w2 at d (22.2 km); r2 at b (11.1 km from both) must stay
    open (keep) and holds w3. With two rooms, one is r2, so the pair is 11.1 km apart."""
    doc = base(dr_min_distance_km=km)
    doc["rooms"] = [room("r1", "a"), room("r2", "b", keep=True), room("r3", "d")]
    doc["workloads"] = [
        workload("w1", "r1", distinct_site_from=["w2"]),
        workload("w2", "r3"),
        workload("w3", "r2"),
    ]
    return doc


def test_dr_distance_and_max_rooms(tmp_path: Path) -> None:
    text = infeasible(distance_doc(15), tmp_path / "far", "--max-rooms", "2")
    contains(text, "w1", "w2", "15 km", "rule 7", "--max-rooms 2", "r2", "keep")
    absent(text, "rule 4", "rule 3")
    feasible(distance_doc(10), tmp_path / "near", "--max-rooms", "2")
    feasible(distance_doc(15), tmp_path / "three", "--max-rooms", "3")
    unkept = distance_doc(15)
    find(unkept, "rooms", "r2")["keep"] = False
    feasible(unkept, tmp_path / "unkept", "--max-rooms", "2")


# ----------------------------------------------------------------- desk vetting and --max-desks


def desks_doc() -> Doc:
    """e needs npv3, held only by e-desk, which has 1 seat: it cannot also serve c."""
    doc = base()
    doc["rooms"] = [room("r1", "a")]
    doc["workloads"] = [workload("w1", "r1")]
    doc["organisations"] = [
        org("c", "c-desk", tickets=1_000),
        org("e", "e-desk", tickets=1_000, vetting=["npv3"]),
    ]
    doc["service_desks"] = [
        desk("c-desk", "a"),
        desk("e-desk", "b", seats=1, vetting=["npv3"]),
    ]
    return doc


def test_desk_vetting_and_max_desks(tmp_path: Path) -> None:
    text = infeasible(desks_doc(), tmp_path / "one", "--max-desks", "1")
    contains(text, "e", "npv3", "e-desk", "rule 9", "--max-desks 1", "seats")
    absent(text, "rule 4", "rule 3", "rule 7")
    feasible(desks_doc(), tmp_path / "two", "--max-desks", "2")
    vetted = desks_doc()
    find(vetted, "service_desks", "c-desk")["vetting"] = ["npv3"]
    plan = feasible(vetted, tmp_path / "vetted", "--max-desks", "1")
    assert {d["desk"] for d in plan["desk_assignments"]} == {"c-desk"}
    seats = desks_doc()
    find(seats, "service_desks", "e-desk")["seats"] = 2
    feasible(seats, tmp_path / "seats", "--max-desks", "1")


def test_explanation_names_the_separated_zones(tmp_path: Path) -> None:
    doc = isolation_doc()
    doc["zones"][-1] = {"id": "nhs", "networks": ["psn"]}
    find(doc, "workloads", "p1")["zone"] = "nhs"
    doc["separate"] = [["nhs", "official"]]
    text = infeasible(doc, tmp_path / "sep", "--max-rooms", "1")
    contains(text, "nhs", "official", "separate", "rule 4", "--max-rooms 1")
    relaxed = copy.deepcopy(doc)
    relaxed["separate"] = []
    feasible(relaxed, tmp_path / "free", "--max-rooms", "1")


# ----------------------------------------------------------------- rule 10: cannot move


def stuck_doc(**w1: Any) -> Doc:
    """w1 sits in r1, which is marked close: true, but w1 cannot move (``w1``'s fields)."""
    doc = base()
    doc["rooms"] = [room("r1", "a", close=True), room("r2", "b")]
    doc["workloads"] = [workload("w1", "r1", **w1), workload("w2", "r2")]
    return doc


@pytest.mark.parametrize(
    "why",
    [{"migration_days": 41}, {"not_after": "2027-03-01"}],
    ids=["days-over-a-month", "window-before-start"],
)
def test_cannot_move_out_of_a_closing_room(tmp_path: Path, why: dict[str, Any]) -> None:
    text = infeasible(stuck_doc(**why), tmp_path / "stuck")
    contains(text, "w1", "r1", "close: true", "rule 10")
    feasible(stuck_doc(), tmp_path / "free")


def test_pinned_in_a_room_that_must_close_is_invalid_not_infeasible(tmp_path: Path) -> None:
    """The validator refuses it first (exit 2), naming the workload."""
    estate_dir = write(stuck_doc(pinned=True), tmp_path / "estate")
    result = CliRunner().invoke(
        app, ["optimise", str(estate_dir), "--out", str(tmp_path / "plan"), "--quiet"]
    )
    assert result.exit_code == 2, result.output
    assert "w1" in result.output
    assert not (tmp_path / "plan" / "plan.json").exists()


# ----------------------------------------------------------------- more conflicts, named


def two_rooms_doc(**w: Any) -> Doc:
    doc = base()
    doc["rooms"] = [room("r1", "a"), room("r2", "b", annual_cost=60_000)]
    doc["workloads"] = [workload("w1", "r1", **w), workload("w3", "r2", **w)]
    return doc


def test_user_latency_and_max_rooms(tmp_path: Path) -> None:
    """Each workload's users sit on its own site and tolerate 1 ms (the sites are 2 ms
    apart): two rooms needed."""
    doc = two_rooms_doc(max_latency_ms=1)
    find(doc, "workloads", "w1")["users"] = ["a"]
    find(doc, "workloads", "w3")["users"] = ["b"]
    text = infeasible(doc, tmp_path / "one", "--max-rooms", "1")
    contains(text, "w1", "w3", "1 ms", "rule 5", "--max-rooms 1")
    feasible(doc, tmp_path / "two", "--max-rooms", "2")
    find(doc, "workloads", "w3")["max_latency_ms"] = 2
    feasible(doc, tmp_path / "looser", "--max-rooms", "1")


def test_capacity_and_max_rooms(tmp_path: Path) -> None:
    doc = two_rooms_doc()
    for r in ("r1", "r2"):
        find(doc, "rooms", r)["racks"] = 1
    text = infeasible(doc, tmp_path / "one", "--max-rooms", "1")
    contains(text, "r1", "r2", "racks", "rule 2", "--max-rooms 1")
    absent(text, "rule 5")
    find(doc, "rooms", "r2")["racks"] = 2
    feasible(doc, tmp_path / "bigger", "--max-rooms", "1")


def test_close_flag_against_earliest_close(tmp_path: Path) -> None:
    doc = two_rooms_doc()
    find(doc, "rooms", "r1").update(close=True, earliest_close="2030-01-01")
    text = infeasible(doc, tmp_path / "both")
    contains(text, "r1", "2030-01-01", "earliest_close", "close: true", "rule 8")
    find(doc, "rooms", "r1")["earliest_close"] = "2028-01-01"
    plan = feasible(doc, tmp_path / "sooner")
    closed = next(r for r in plan["rooms"] if r["id"] == "r1")
    assert closed["decision"] == "close"
    assert closed["close_month"] == "2028-02"


def test_every_guard_has_one_sentence() -> None:
    from planner.plan.explain import SENTENCES
    from planner.solver import Guard

    assert set(SENTENCES) == set(Guard)


def test_every_guard_of_an_explanation_model_reads_as_a_sentence() -> None:
    """Every guarded rule of Cheshire's explanation model (with both limits set, so
    max-rooms and max-desks are guarded too) turns into a sentence naming its items."""
    from planner.plan.explain import describe
    from planner.solver import Guard
    from planner.solver.build import build
    from planner.target import LimitOptions, build_problem

    loaded = load_and_validate(Path(__file__).resolve().parent.parent / "inventories" / "cheshire")
    limits = LimitOptions(max_rooms=2, max_desks=1)
    ep = build_problem(loaded.inventory, None, limits, explain=True)
    model = build(ep.problem, explain=True)
    kinds = {Guard(str(key[0])) for key in model.guards}
    assert len(kinds) >= 10, kinds
    for key in model.guards:
        sentence = describe(ep, key, limits)
        assert "rule " in sentence or "--max-" in sentence, (key, sentence)
