"""Every constraint family binds in one estate and not in another.

Each estate is built in code (tests/helpers/estates.py). A test that a family *binds* solves
the estate and the same estate with the rule relaxed: the relaxed optimum is cheaper,
and its decisions break the rule in the original estate (checked with the brute
force's own rules, tests/helpers/bruteforce.py), so the rule is what forbids the cheaper
plan. A test that it does *not* bind shows the optimum unchanged by the rule. Every
plan is optimal, passes the independent checker, and has the brute force's objective.

Unless a test says otherwise: discount rate 0 and a one-year horizon (A = 1), so an
objective is one-off + steady cost; one council ``c`` with desk ``c-desk`` (1,000
tickets at 1,000 per FTE: 1 FTE, GBP 10,000 + 30,000 = 40,000 a year); sites a, b, d
in a line (a-b 2 ms, b-d 2 ms, 11.1 km apart each).

The room estate (:func:`rooms_doc`): ``r1`` at a (GBP 100,000 a year) holds w1 and
w2, ``r2`` at b (GBP 60,000) holds w3; each workload 1 rack, 4 kW, GBP 1,000 to move.
Its optimum moves w1 and w2 to r2 and closes r1: 2,000 + 60,000 + 40,000 = 102,000.
Keeping r1 instead (w3 to r1, close r2) costs 1,000 + 100,000 + 40,000 = 141,000;
keeping both, 200,000.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from helpers.bruteforce import Rules, annuity, brute_force
from helpers.estates import (
    Doc,
    base,
    checked,
    decisions,
    desk,
    desk_of,
    find,
    link,
    objective,
    open_desks,
    open_rooms,
    org,
    room,
    room_of,
    run,
    site,
    variant,
    workload,
)

Plan = dict[str, Any]

KEEP_BOTH = 200_000.0
KEEP_R1 = 141_000.0
CONSOLIDATED = 102_000.0


def rooms_doc(**estate: Any) -> Doc:
    doc = base(**estate)
    doc["rooms"] = [room("r1", "a"), room("r2", "b", annual_cost=60_000)]
    doc["workloads"] = [workload("w1", "r1"), workload("w2", "r1"), workload("w3", "r2")]
    return doc


def optimum(doc: Doc, directory: Path, *, schedule: bool = False, **limits: int | None) -> Plan:
    """Solve; assert optimal, checked, and equal to the brute force's optimum (with
    ``schedule``, over the targets whose migration can be scheduled month by month)."""
    loaded, result = run(doc, directory, **limits)
    plan = result.plan
    assert plan["solver"]["status"] == "optimal", plan["explanation"]
    checked(loaded, plan)
    best = brute_force(
        loaded.inventory, limits.get("max_rooms"), limits.get("max_desks"), schedule=schedule
    )
    assert best.objective is not None
    assert objective(plan) == pytest.approx(best.objective, abs=0.05)
    return plan


def binds(
    tight: Doc,
    relaxed: Doc,
    tmp_path: Path,
    rule: str,
    *,
    tight_limits: dict[str, int] | None = None,
    relaxed_limits: dict[str, int] | None = None,
) -> tuple[Plan, Plan]:
    """Both optima; the relaxed one is cheaper and breaks ``rule`` in the tight estate."""
    tight_limits = tight_limits or {}
    plan = optimum(tight, tmp_path / "tight", **tight_limits)
    cheaper = optimum(relaxed, tmp_path / "relaxed", **(relaxed_limits or {}))
    assert objective(cheaper) < objective(plan) - 1
    loaded_inv = run(tight, tmp_path / "tight-again")[0].inventory
    broken = Rules(loaded_inv, tight_limits.get("max_rooms"), tight_limits.get("max_desks")).check(
        room_of(cheaper), open_rooms(cheaper), desk_of(cheaper)
    )
    assert any(b.startswith(rule) for b in broken), broken
    return plan, cheaper


def does_not_bind(
    doc: Doc,
    relaxed: Doc,
    tmp_path: Path,
    *,
    limits: dict[str, int] | None = None,
    unique: bool = True,
) -> Plan:
    """The optimum with the rule is the optimum without it (the same decisions, when
    the optimum is ``unique``)."""
    plan = optimum(doc, tmp_path / "rule", **(limits or {}))
    free = optimum(relaxed, tmp_path / "free")
    assert objective(plan) == objective(free)
    if unique:
        assert room_of(plan) == room_of(free)
        assert desk_of(plan) == desk_of(free)
    return plan


# ----------------------------------------------------------------- the base estate


def test_rooms_doc_consolidates(tmp_path: Path) -> None:
    plan = optimum(rooms_doc(), tmp_path)
    assert objective(plan) == CONSOLIDATED
    assert decisions(plan) == {"r1": "close", "r2": "keep"}
    assert room_of(plan) == {"w1": "r2", "w2": "r2", "w3": "r2"}


# ----------------------------------------------------------------- assignment (rule 1)


def test_assignment_binds(tmp_path: Path) -> None:
    """Without 'every workload in one open room', closing both rooms (40,000) would win."""
    plan = optimum(rooms_doc(), tmp_path)
    assert objective(plan) == CONSOLIDATED > 40_000
    rooms = open_rooms(plan)
    assert rooms
    assert all(r in rooms for r in room_of(plan).values())
    assert len(plan["assignments"]) == 3


def test_assignment_does_not_bind(tmp_path: Path) -> None:
    """Rooms dearer to close (GBP 1m) than to keep stay open with or without workloads in
    them, so 'every workload in an open room' changes nothing: nothing moves."""
    doc = rooms_doc()
    for r in ("r1", "r2"):
        find(doc, "rooms", r)["closure_cost"] = 1_000_000
    plan = optimum(doc, tmp_path)
    assert objective(plan) == KEEP_BOTH
    assert decisions(plan) == {"r1": "keep", "r2": "keep"}
    assert all(a["month"] is None for a in plan["assignments"])


# ----------------------------------------------------------------- capacity (rule 2)


@pytest.mark.parametrize(("field", "tight", "exact"), [("racks", 2, 3), ("power_kw", 11, 12)])
def test_capacity_binds(tmp_path: Path, field: str, tight: float, exact: float) -> None:
    """r2 cannot take w1 and w2 as well: keep r1 instead (141,000, not 102,000)."""
    plan, cheaper = binds(
        variant(rooms_doc(), "rooms", "r2", **{field: tight}),
        variant(rooms_doc(), "rooms", "r2", **{field: exact}),
        tmp_path,
        "2 racks" if field == "racks" else "2 power",
    )
    assert objective(plan) == KEEP_R1
    assert decisions(plan) == {"r1": "keep", "r2": "close"}
    assert objective(cheaper) == CONSOLIDATED


@pytest.mark.parametrize(("field", "exact"), [("racks", 3), ("power_kw", 12)])
def test_capacity_does_not_bind_when_it_fits_exactly(
    tmp_path: Path, field: str, exact: float
) -> None:
    plan = does_not_bind(
        variant(rooms_doc(), "rooms", "r2", **{field: exact}), rooms_doc(), tmp_path
    )
    assert objective(plan) == CONSOLIDATED
    after = next(r for r in plan["rooms"] if r["id"] == "r2")
    assert after["racks_used_after" if field == "racks" else "power_used_after"] == exact


def test_capacity_counts_racks_and_power_separately(tmp_path: Path) -> None:
    """Plenty of racks but not of power (and the reverse) each bind on their own."""
    power_short = variant(rooms_doc(), "rooms", "r2", racks=100, power_kw=11)
    racks_short = variant(rooms_doc(), "rooms", "r2", racks=2, power_kw=1_000)
    assert objective(optimum(power_short, tmp_path / "p")) == KEEP_R1
    assert objective(optimum(racks_short, tmp_path / "r")) == KEEP_R1


# ----------------------------------------------------------------- accreditation (rule 3)


def nhs_doc(requires: list[str], r1: list[str], r2: list[str]) -> Doc:
    doc = rooms_doc()
    doc["zones"].append({"id": "nhs", "networks": ["psn"], "requires": requires})
    find(doc, "rooms", "r1")["accreditations"] = r1
    find(doc, "rooms", "r2")["accreditations"] = r2
    find(doc, "workloads", "w1")["zone"] = "nhs"
    find(doc, "workloads", "w2")["zone"] = "nhs"
    return doc


def test_accreditation_binds(tmp_path: Path) -> None:
    """r2 lacks psn, one of the two accreditations zone nhs requires."""
    plan, _ = binds(
        nhs_doc(["dspt", "psn"], ["dspt", "psn"], ["dspt"]),
        nhs_doc(["dspt", "psn"], ["dspt", "psn"], ["dspt", "psn", "pasf"]),
        tmp_path,
        "3 accreditation",
    )
    assert objective(plan) == KEEP_R1
    assert room_of(plan) == {"w1": "r1", "w2": "r1", "w3": "r1"}


def test_accreditation_does_not_bind(tmp_path: Path) -> None:
    plan = does_not_bind(
        nhs_doc(["dspt"], ["dspt"], ["dspt", "psn"]), nhs_doc([], [], []), tmp_path
    )
    assert objective(plan) == CONSOLIDATED


# ----------------------------------------------------------------- separation (rule 4)


def zoned_doc(zone: dict[str, Any], separate: list[list[str]]) -> Doc:
    """rooms_doc with w3 in ``zone``."""
    doc = rooms_doc()
    doc["zones"].append(zone)
    doc["separate"] = separate
    find(doc, "workloads", "w3")["zone"] = zone["id"]
    return doc


NHS = {"id": "nhs", "networks": ["psn"]}
POLICE = {"id": "police", "networks": ["psn"], "isolation": "room"}


def test_separate_binds(tmp_path: Path) -> None:
    """nhs (w3) and official (w1, w2) may not share r2 or r1: both rooms stay."""
    plan, _ = binds(
        zoned_doc(NHS, [["nhs", "official"]]), zoned_doc(NHS, []), tmp_path, "4 separation"
    )
    assert objective(plan) == KEEP_BOTH
    assert room_of(plan) == {"w1": "r1", "w2": "r1", "w3": "r2"}


def test_isolation_binds(tmp_path: Path) -> None:
    plan, _ = binds(
        zoned_doc(POLICE, []),
        zoned_doc({**POLICE, "isolation": "none"}, []),
        tmp_path,
        "4 separation",
    )
    assert objective(plan) == KEEP_BOTH


def lonely_doc(zone: dict[str, Any], separate: list[list[str]]) -> Doc:
    """w3 (zone) must stay on site b in a one-rack room; w4 official sits in r3 at d
    (GBP 50,000), so the official workloads leave r1 for r3 with or without the rule:
    2,000 + 60,000 + 50,000 + 40,000 = 152,000."""
    doc = zoned_doc(zone, separate)
    find(doc, "rooms", "r2")["racks"] = 1
    w3 = find(doc, "workloads", "w3")
    w3.update(users=["b"], max_latency_ms=0)
    doc["rooms"].append(room("r3", "d", annual_cost=50_000))
    doc["workloads"].append(workload("w4", "r3"))
    return doc


def test_separate_does_not_bind(tmp_path: Path) -> None:
    plan = does_not_bind(lonely_doc(NHS, [["nhs", "official"]]), lonely_doc(NHS, []), tmp_path)
    assert objective(plan) == 152_000


def test_isolation_does_not_bind(tmp_path: Path) -> None:
    plan = does_not_bind(
        lonely_doc(POLICE, []), lonely_doc({**POLICE, "isolation": "none"}, []), tmp_path
    )
    assert objective(plan) == 152_000


def test_separate_applies_to_the_listed_pair_only(tmp_path: Path) -> None:
    """separate [nhs, police] says nothing about official: nhs may join official."""
    doc = zoned_doc(NHS, [["nhs", "police"]])
    doc["zones"].append({**POLICE, "isolation": "none"})
    assert objective(optimum(doc, tmp_path)) == CONSOLIDATED


# ----------------------------------------------------------------- user latency (rule 5)


def test_user_latency_binds(tmp_path: Path) -> None:
    """w1's users at a tolerate 1 ms; r2 is 2 ms away at b."""
    tight = variant(rooms_doc(), "workloads", "w1", users=["a"], max_latency_ms=1.9)
    relaxed = variant(rooms_doc(), "workloads", "w1", users=["a"], max_latency_ms=2)
    plan, _ = binds(tight, relaxed, tmp_path, "5 user latency")
    assert objective(plan) == KEEP_R1


def test_user_latency_does_not_bind_at_exactly_the_limit(tmp_path: Path) -> None:
    doc = variant(rooms_doc(), "workloads", "w1", users=["a", "b"], max_latency_ms=2)
    assert objective(does_not_bind(doc, rooms_doc(), tmp_path)) == CONSOLIDATED


def test_user_latency_needs_a_path_over_the_zones_networks(tmp_path: Path) -> None:
    """No max_latency_ms, but w1's zone runs on wan only, and no wan link reaches b."""
    tight = rooms_doc()
    tight["networks"].append({"id": "wan"})
    tight["zones"].append({"id": "local", "networks": ["wan"]})
    tight["links"].append(link("a", "d", 1, network="wan"))
    w1 = find(tight, "workloads", "w1")
    w1.update(zone="local", users=["a"])
    relaxed = copy.deepcopy(tight)
    relaxed["links"].append(link("a", "b", 50, network="wan"))
    plan, _ = binds(tight, relaxed, tmp_path, "5 user latency")
    assert objective(plan) == KEEP_R1


# ----------------------------------------------------------------- dependency latency (rule 6)


def dependency_doc(limit: float) -> Doc:
    """r1 at a (GBP 100,000) holds w1 (2 racks), w2 and w3; candidates r2 at b and r3 at d
    (GBP 30,000, 2 racks each). w1 depends on w2 within ``limit`` ms. Closing r1 splits
    w1 and w2 across b and d (2 ms): 3,000 + 60,000 + 40,000 = 103,000; else 140,000."""
    doc = base()
    doc["rooms"] = [
        room("r1", "a"),
        room("r2", "b", status="candidate", annual_cost=30_000, racks=2),
        room("r3", "d", status="candidate", annual_cost=30_000, racks=2),
    ]
    doc["workloads"] = [
        workload("w1", "r1", racks=2, depends_on=[{"workload": "w2", "max_latency_ms": limit}]),
        workload("w2", "r1"),
        workload("w3", "r1"),
    ]
    return doc


def test_dependency_latency_binds(tmp_path: Path) -> None:
    plan, cheaper = binds(dependency_doc(1.9), dependency_doc(2), tmp_path, "6 dependency")
    assert objective(plan) == 140_000
    assert decisions(plan) == {"r1": "keep", "r2": "unused", "r3": "unused"}
    assert objective(cheaper) == 103_000


def test_dependency_latency_does_not_bind(tmp_path: Path) -> None:
    # w1 at b and w2 at d, or the other way round: two optima
    plan = does_not_bind(dependency_doc(2), dependency_doc(100), tmp_path, unique=False)
    assert objective(plan) == 103_000
    sites = {"r2": "b", "r3": "d"}
    assert sites[room_of(plan)["w1"]] != sites[room_of(plan)["w2"]]


def test_dependency_latency_uses_networks_common_to_both_zones(tmp_path: Path) -> None:
    """w2 moves to zone db on network wan only: b and d share no common network, so the
    pair must share a site, which no candidate can hold."""
    doc = dependency_doc(100)
    doc["networks"].append({"id": "wan"})
    doc["zones"].append({"id": "db", "networks": ["wan"]})
    find(doc, "workloads", "w2")["zone"] = "db"
    assert objective(optimum(doc, tmp_path / "wan")) == 140_000
    doc["links"].append(link("b", "d", 40, network="wan"))
    doc["zones"][-1]["networks"] = ["wan", "psn"]
    assert objective(optimum(doc, tmp_path / "both")) == 103_000


# ----------------------------------------------------------------- resilience (rule 7)


def dr_doc() -> Doc:
    """r1 at a (GBP 100,000) holds w1, r2 at b (GBP 60,000) holds w2; w1 is w2's DR pair."""
    doc = base()
    doc["rooms"] = [room("r1", "a"), room("r2", "b", annual_cost=60_000)]
    doc["workloads"] = [
        workload("w1", "r1", distinct_site_from=["w2"]),
        workload("w2", "r2"),
    ]
    return doc


def test_resilience_distinct_sites_binds(tmp_path: Path) -> None:
    relaxed = variant(dr_doc(), "workloads", "w1", distinct_site_from=None)
    plan, cheaper = binds(dr_doc(), relaxed, tmp_path, "7 same site")
    assert objective(plan) == 200_000
    assert objective(cheaper) == 101_000


def test_resilience_distinct_sites_does_not_bind(tmp_path: Path) -> None:
    """r1 (1 rack) holds w1, r2 (2 racks) holds w2, r3 at b (GBP 120,000, 1 rack) holds w3. The
    optimum moves w3 into r2 and closes r3 (1,000 + 160,000 + 40,000 = 201,000); w1 has
    nowhere cheaper to go even without the DR pair."""
    doc = dr_doc()
    find(doc, "rooms", "r1")["racks"] = 1
    find(doc, "rooms", "r2")["racks"] = 2
    doc["rooms"].append(room("r3", "b", annual_cost=120_000, racks=1))
    doc["workloads"].append(workload("w3", "r3"))
    relaxed = variant(doc, "workloads", "w1", distinct_site_from=None)
    plan = does_not_bind(doc, relaxed, tmp_path)
    assert objective(plan) == 201_000


def distance_doc(km: float) -> Doc:
    """w1 at a and its pair w2 at d (22.2 km) today; r2 at b (11.1 km from each) holds w3.
    Closing r1 puts w1 at b, 11.1 km from w2: 1,000 + 80,000 + 40,000 = 121,000; else
    closing r2 costs 1,000 + 140,000 + 40,000 = 181,000."""
    doc = base(dr_min_distance_km=km)
    doc["rooms"] = [
        room("r1", "a"),
        room("r2", "b", annual_cost=40_000),
        room("r3", "d", annual_cost=40_000),
    ]
    doc["workloads"] = [
        workload("w1", "r1", distinct_site_from=["w2"]),
        workload("w2", "r3"),
        workload("w3", "r2"),
    ]
    return doc


def test_resilience_min_distance_binds(tmp_path: Path) -> None:
    plan, cheaper = binds(distance_doc(15), distance_doc(0), tmp_path, "7 too close")
    assert objective(plan) == 181_000
    assert objective(cheaper) == 121_000
    assert decisions(plan)["r1"] == "keep"


def test_resilience_min_distance_does_not_bind(tmp_path: Path) -> None:
    plan = does_not_bind(distance_doc(10), distance_doc(0), tmp_path)
    assert objective(plan) == 121_000
    assert room_of(plan)["w1"] == "r2"


# ----------------------------------------------------------------- keep, close, pinned (rules 1, 8)


def test_keep_binds(tmp_path: Path) -> None:
    plan, _ = binds(variant(rooms_doc(), "rooms", "r1", keep=True), rooms_doc(), tmp_path, "8 keep")
    assert objective(plan) == KEEP_R1
    assert decisions(plan) == {"r1": "keep", "r2": "close"}


def test_keep_does_not_bind(tmp_path: Path) -> None:
    doc = variant(rooms_doc(), "rooms", "r2", keep=True)
    assert objective(does_not_bind(doc, rooms_doc(), tmp_path)) == CONSOLIDATED


def test_close_binds(tmp_path: Path) -> None:
    plan, _ = binds(
        variant(rooms_doc(), "rooms", "r2", close=True), rooms_doc(), tmp_path, "8 close"
    )
    assert objective(plan) == KEEP_R1
    assert decisions(plan) == {"r1": "keep", "r2": "close"}


def test_close_does_not_bind(tmp_path: Path) -> None:
    doc = variant(rooms_doc(), "rooms", "r1", close=True)
    assert objective(does_not_bind(doc, rooms_doc(), tmp_path)) == CONSOLIDATED


def test_pinned_binds(tmp_path: Path) -> None:
    plan, _ = binds(
        variant(rooms_doc(), "workloads", "w1", pinned=True), rooms_doc(), tmp_path, "1 pinned"
    )
    assert objective(plan) == KEEP_R1
    assert room_of(plan)["w1"] == "r1"


def test_pinned_does_not_bind(tmp_path: Path) -> None:
    doc = variant(rooms_doc(), "workloads", "w3", pinned=True)
    assert objective(does_not_bind(doc, rooms_doc(), tmp_path)) == CONSOLIDATED


# ----------------------------------------------------------------- candidate rooms (rule 8)


def candidate_doc(annual: float, **fields: Any) -> Doc:
    doc = rooms_doc()
    doc["rooms"].append(
        room("r3", "d", status="candidate", annual_cost=annual, open_cost=5_000, **fields)
    )
    return doc


def test_candidate_opened_when_cheaper(tmp_path: Path) -> None:
    """Everything to r3 at GBP 30,000: 3,000 moves + 5,000 opening + 30,000 + 40,000."""
    plan = optimum(candidate_doc(30_000), tmp_path)
    assert objective(plan) == 78_000
    assert decisions(plan) == {"r1": "close", "r2": "close", "r3": "open"}
    assert set(room_of(plan).values()) == {"r3"}
    assert next(r for r in plan["rooms"] if r["id"] == "r3")["open_month"] is not None


def test_candidate_unused_otherwise(tmp_path: Path) -> None:
    plan = optimum(candidate_doc(70_000), tmp_path)
    assert objective(plan) == CONSOLIDATED
    assert decisions(plan)["r3"] == "unused"
    assert "r3" not in room_of(plan).values()


def test_candidate_with_keep_is_opened_and_with_close_is_unused(tmp_path: Path) -> None:
    """keep on a dear candidate opens it (everything moves there: 3,000 + 75,000 + 40,000);
    close on a cheap one leaves it unused."""
    kept = optimum(candidate_doc(70_000, keep=True), tmp_path / "keep")
    assert objective(kept) == 118_000
    assert decisions(kept)["r3"] == "open"
    closed = optimum(candidate_doc(30_000, close=True), tmp_path / "close")
    assert objective(closed) == CONSOLIDATED
    assert decisions(closed)["r3"] == "unused"


# ----------------------------------------------------------------- --max-rooms (rule 8)


def three_rooms_doc() -> Doc:
    """r1 at a (GBP 100,000) holds w1 and w2; r2 at b and r3 at d (GBP 60,000, GBP 100,000
    to close) hold w3 and w4. Closing r1 only: 2,000 + 120,000 + 40,000 = 162,000; one
    room: 3,000 + 60,000 + 100,000 + 40,000 = 203,000."""
    doc = rooms_doc()
    find(doc, "rooms", "r2")["closure_cost"] = 100_000
    doc["rooms"].append(room("r3", "d", annual_cost=60_000, closure_cost=100_000))
    doc["workloads"].append(workload("w4", "r3"))
    return doc


def test_max_rooms_binds(tmp_path: Path) -> None:
    plan, cheaper = binds(
        three_rooms_doc(), three_rooms_doc(), tmp_path, "8 max rooms", tight_limits={"max_rooms": 1}
    )
    assert objective(plan) == 203_000
    assert len(open_rooms(plan)) == 1
    assert objective(cheaper) == 162_000


def test_max_rooms_does_not_bind(tmp_path: Path) -> None:
    # Not unique: w1 and w2 may go to r2 or r3 (both GBP 60,000 a year).
    plan = does_not_bind(
        three_rooms_doc(), three_rooms_doc(), tmp_path, limits={"max_rooms": 2}, unique=False
    )
    assert objective(plan) == 162_000
    assert open_rooms(plan) == {"r2", "r3"}


def partner_doc(shared: list[str] | None) -> Doc:
    """three_rooms_doc plus a police force p on its own site e with room r4 (GBP 50,000,
    police zone, isolation room) that nothing else may use."""
    doc = three_rooms_doc()
    if shared is not None:
        doc["estate"]["shared_service"] = shared
    doc["zones"].append(POLICE)
    doc["organisations"].append(org("p", "c-desk", tickets=0, kind="police"))
    doc["sites"].append(site("e", "p", 52.3))
    doc["links"].append(link("d", "e", 2))
    doc["rooms"].append(room("r4", "e", annual_cost=50_000, closure_cost=100_000))
    doc["workloads"].append(workload("p1", "r4", org="p", zone="police", pinned=True))
    return doc


def test_max_rooms_counts_only_the_shared_service(tmp_path: Path) -> None:
    """With shared_service [c], r4 (the police force's) does not count: --max-rooms 2 lets
    the council keep r2 and r3 (162,000 + 50,000); counting every room, it binds."""
    plan = optimum(partner_doc(["c"]), tmp_path / "scoped", max_rooms=2)
    assert objective(plan) == 212_000
    assert open_rooms(plan) == {"r2", "r3", "r4"}
    everyone = optimum(partner_doc(None), tmp_path / "all", max_rooms=2)
    assert objective(everyone) == 253_000
    assert len(open_rooms(everyone)) == 2


# ----------------------------------------------------------------- desks (rule 9, --max-desks)


def desks_doc() -> Doc:
    """One room (GBP 100,000, nothing to decide). Councils c and e, 1,500 tickets each;
    c-desk at a (GBP 10,000 + 30,000 per FTE) and e-desk at b (GBP 20,000 + 30,000),
    1,000 tickets per FTE, 5 seats. Separate: 2 FTE each, 70,000 + 80,000; merged at
    c-desk: 3 FTE, 100,000 (at e-desk: 110,000)."""
    doc = base()
    doc["rooms"] = [room("r1", "a")]
    doc["workloads"] = [workload("w1", "r1")]
    doc["organisations"] = [org("c", "c-desk", tickets=1_500), org("e", "e-desk", tickets=1_500)]
    doc["service_desks"] = [desk("c-desk", "a"), desk("e-desk", "b", fixed_cost=20_000)]
    return doc


def test_desks_merge(tmp_path: Path) -> None:
    plan = optimum(desks_doc(), tmp_path)
    assert objective(plan) == 200_000
    assert desk_of(plan) == {"c": "c-desk", "e": "c-desk"}
    assert {d["id"]: (d["decision"], d["fte"]) for d in plan["desks"]} == {
        "c-desk": ("keep", 3),
        "e-desk": ("close", 0),
    }


def test_desk_vetting_binds(tmp_path: Path) -> None:
    tight = variant(desks_doc(), "organisations", "e", vetting=["npv3"])
    find(tight, "service_desks", "e-desk")["vetting"] = ["npv3"]
    relaxed = copy.deepcopy(tight)
    find(relaxed, "organisations", "e")["vetting"] = []
    plan, _ = binds(tight, relaxed, tmp_path, "9 vetting")
    assert objective(plan) == 210_000
    assert desk_of(plan) == {"c": "e-desk", "e": "e-desk"}


def test_desk_vetting_does_not_bind(tmp_path: Path) -> None:
    doc = variant(desks_doc(), "organisations", "e", vetting=["npv3"])
    find(doc, "service_desks", "e-desk")["vetting"] = ["npv3"]
    find(doc, "service_desks", "c-desk")["vetting"] = ["npv3", "sc"]
    assert objective(does_not_bind(doc, desks_doc(), tmp_path)) == 200_000


def test_desk_seats_bind(tmp_path: Path) -> None:
    plan, _ = binds(
        variant(desks_doc(), "service_desks", "c-desk", seats=2), desks_doc(), tmp_path, "9 seats"
    )
    assert objective(plan) == 210_000
    assert open_desks(plan) == {"e-desk"}


def test_desk_seats_do_not_bind_when_exactly_full(tmp_path: Path) -> None:
    doc = variant(desks_doc(), "service_desks", "c-desk", seats=3)
    plan = does_not_bind(doc, desks_doc(), tmp_path)
    assert objective(plan) == 200_000
    assert next(d for d in plan["desks"] if d["id"] == "c-desk")["fte"] == 3


def test_desk_fte_is_rounded_up(tmp_path: Path) -> None:
    """1,500 + 1,200 tickets at 1,000 per FTE: 2.7 -> 3 FTE at c-desk (10,000 + 90,000),
    not 2.7 FTE (91,000); c alone would need 2 FTE for 1.5."""
    doc = variant(desks_doc(), "organisations", "e", tickets_per_year=1_200)
    plan = optimum(doc, tmp_path / "merged")
    assert objective(plan) == 200_000
    assert next(d for d in plan["desks"] if d["id"] == "c-desk")["fte"] == 3
    alone = variant(desks_doc(), "service_desks", "c-desk", seats=2)
    find(alone, "service_desks", "e-desk")["seats"] = 2  # nobody can merge
    plan = optimum(alone, tmp_path / "alone")
    assert objective(plan) == 100_000 + 70_000 + 80_000
    assert {d["id"]: d["fte"] for d in plan["desks"]} == {"c-desk": 2, "e-desk": 2}


def test_desk_fte_exact_division_is_not_rounded(tmp_path: Path) -> None:
    doc = variant(desks_doc(), "organisations", "c", tickets_per_year=2_000)
    find(doc, "organisations", "e")["tickets_per_year"] = 1_000
    plan = optimum(doc, tmp_path)
    assert next(d for d in plan["desks"] if d["id"] == "c-desk")["fte"] == 3
    assert objective(plan) == 200_000


def test_desk_dearer_to_close_than_to_run_is_not_left_idle(tmp_path: Path) -> None:
    """Councils c and e, 1,000 tickets each. c-desk: GBP 1,000 + 10,000 per FTE at 2,000
    tickets per FTE; e-desk: the same at 1,000 per FTE, GBP 50,000 to close. Today:
    100,000 (room) + 11,000 + 11,000 = 122,000. Both at c-desk (1 FTE) but e-desk
    closed: 100,000 + 11,000 + 50,000 = 161,000. Both at e-desk (2 FTE), c-desk closed
    for nothing: 100,000 + 21,000 = 121,000, the optimum."""
    doc = desks_doc()
    doc["organisations"] = [org("c", "c-desk", tickets=1_000), org("e", "e-desk", tickets=1_000)]
    doc["service_desks"] = [
        desk("c-desk", "a", fixed_cost=1_000, cost_per_fte=10_000, tickets_per_fte=2_000),
        desk("e-desk", "b", fixed_cost=1_000, cost_per_fte=10_000, closure_cost=50_000),
    ]
    plan = optimum(doc, tmp_path)
    assert objective(plan) == 121_000
    assert desk_of(plan) == {"c": "e-desk", "e": "e-desk"}


def max_desks_doc(shared: list[str] | None = None) -> Doc:
    """e needs npv3, which only e-desk holds, and e-desk is slow (500 tickets per FTE):
    c 1,000 and e 1,000 tickets. Separate: c-desk 1 FTE (40,000) + e-desk 2 FTE (70,000)
    = 110,000; merged at e-desk: 4 FTE, 130,000."""
    doc = base()
    if shared is not None:
        doc["estate"]["shared_service"] = shared
    doc["rooms"] = [room("r1", "a")]
    doc["workloads"] = [workload("w1", "r1")]
    doc["organisations"] = [
        org("c", "c-desk", tickets=1_000),
        org("e", "e-desk", tickets=1_000, vetting=["npv3"]),
    ]
    doc["sites"][1]["organisation"] = "e"  # site b, e-desk's, is e's
    doc["service_desks"] = [
        desk("c-desk", "a"),
        desk("e-desk", "b", tickets_per_fte=500, vetting=["npv3"]),
    ]
    return doc


def test_max_desks_binds(tmp_path: Path) -> None:
    plan, cheaper = binds(
        max_desks_doc(), max_desks_doc(), tmp_path, "8 max desks", tight_limits={"max_desks": 1}
    )
    assert objective(plan) == 230_000
    assert open_desks(plan) == {"e-desk"}
    assert objective(cheaper) == 210_000


def test_max_desks_does_not_bind(tmp_path: Path) -> None:
    plan = does_not_bind(max_desks_doc(), max_desks_doc(), tmp_path, limits={"max_desks": 2})
    assert objective(plan) == 210_000


def test_max_desks_counts_only_the_shared_service(tmp_path: Path) -> None:
    plan = optimum(max_desks_doc(["c"]), tmp_path, max_desks=1)
    assert objective(plan) == 210_000
    assert open_desks(plan) == {"c-desk", "e-desk"}


# ----------------------------------------------------------------- rule 10 in the target


def test_cannot_move_when_a_move_exceeds_a_months_person_days(tmp_path: Path) -> None:
    plan, _ = binds(
        variant(rooms_doc(), "workloads", "w1", migration_days=41),
        variant(rooms_doc(), "workloads", "w1", migration_days=40),
        tmp_path,
        "10 cannot move",
    )
    assert objective(plan) == KEEP_R1
    assert room_of(plan)["w1"] == "r1"


def test_a_move_of_exactly_a_months_person_days_can_happen(tmp_path: Path) -> None:
    doc = variant(rooms_doc(), "workloads", "w1", migration_days=40)
    plan = does_not_bind(doc, rooms_doc(), tmp_path)
    assert objective(plan) == CONSOLIDATED
    assert max(w["days"] for w in plan["waves"]) <= 40


@pytest.mark.parametrize(
    "window",
    [
        {"not_after": "2027-03-31"},  # before the start (2027-04)
        {"not_before": "2028-04-01"},  # after the horizon (ends 2028-03)
    ],
    ids=["deadline-before-start", "start-after-horizon"],
)
def test_cannot_move_outside_the_window(tmp_path: Path, window: dict[str, str]) -> None:
    plan, _ = binds(
        variant(rooms_doc(), "workloads", "w1", **window),
        rooms_doc(),
        tmp_path,
        "10 cannot move",
    )
    assert objective(plan) == KEEP_R1


@pytest.mark.parametrize(
    "window",
    [{"not_after": "2027-04-01"}, {"not_before": "2028-03-31"}],
    ids=["deadline-in-first-month", "start-in-last-month"],
)
def test_window_touching_the_horizon_lets_it_move(tmp_path: Path, window: dict[str, str]) -> None:
    doc = variant(rooms_doc(), "workloads", "w1", **window)
    plan = does_not_bind(doc, rooms_doc(), tmp_path)
    assert objective(plan) == CONSOLIDATED
    month = next(a["month"] for a in plan["assignments"] if a["workload"] == "w1")
    assert month == ("2027-04" if "not_after" in window else "2028-03")


def test_room_whose_earliest_close_is_after_the_horizon_stays_open(tmp_path: Path) -> None:
    plan, _ = binds(
        variant(rooms_doc(), "rooms", "r1", earliest_close="2028-04-01"),
        rooms_doc(),
        tmp_path,
        "10 earliest_close",
    )
    assert objective(plan) == KEEP_R1


def test_room_may_close_in_the_month_after_the_horizon(tmp_path: Path) -> None:
    doc = variant(rooms_doc(), "rooms", "r1", earliest_close="2028-03-31")
    plan = does_not_bind(doc, rooms_doc(), tmp_path)
    assert objective(plan) == CONSOLIDATED
    assert next(r for r in plan["rooms"] if r["id"] == "r1")["close_month"] == "2028-04"


def test_dependent_workloads_with_disjoint_windows_stay_put(tmp_path: Path) -> None:
    """w1 depends on w2 within 0 ms, so they move in the same month or not at all; their
    windows (from October, until June) share no month: both stay in r1, and w3 joins."""
    doc = rooms_doc()
    find(doc, "workloads", "w1").update(
        not_before="2027-10-01", depends_on=[{"workload": "w2", "max_latency_ms": 0}]
    )
    find(doc, "workloads", "w2")["not_after"] = "2027-06-30"
    plan = optimum(doc, tmp_path, schedule=True)
    assert objective(plan) == KEEP_R1
    assert room_of(plan) == {"w1": "r1", "w2": "r1", "w3": "r1"}


def transient_doc() -> Doc:
    """Three months (January to March 2028), 6 person-days a month. r0 at a (GBP 100,000,
    10 racks) holds w0 (3 racks, 6 days, must have moved by 2028-01-31 if it moves); at
    b, r1 (GBP 30,000, 4 racks) holds w1 (3 racks) and r2 (GBP 20,000, 3 racks) holds
    w2 (1 rack, 6 days). The cheapest target, w0 to r2 and w2 to r1 closing r0
    (92,000), needs w2 out of r2 in the month w0 comes in, January: 12 person-days of
    6. The optimum brings w2 (January) and w1 (February) into r0 and closes r1 and r2:
    2,000 + 100,000 + 40,000 = 142,000."""
    doc = base(start="2028-01-01", migration_days_per_month=6)
    doc["rooms"] = [
        room("r0", "a"),
        room("r1", "b", annual_cost=30_000, racks=4),
        room("r2", "b", annual_cost=20_000, racks=3),
    ]
    doc["workloads"] = [
        workload("w0", "r0", racks=3, migration_days=6, not_after="2028-01-31"),
        workload("w1", "r1", racks=3),
        workload("w2", "r2", migration_days=6),
    ]
    return doc


def test_room_freed_for_a_deadline_within_the_months_person_days(tmp_path: Path) -> None:
    plan = optimum(transient_doc(), tmp_path, schedule=True)
    assert objective(plan) == 142_000
    assert room_of(plan) == {"w0": "r0", "w1": "r0", "w2": "r0"}


def budget_doc(days: float) -> Doc:
    """A one-month horizon (start 2028-03-01, one financial year 2027/28: March only) and
    40 person-days a month; w1 and w2 take ``days`` each to move."""
    doc = rooms_doc(start="2028-03-01")
    for w in ("w1", "w2"):
        find(doc, "workloads", w)["migration_days"] = days
    return doc


def test_migration_budget_does_not_bind(tmp_path: Path) -> None:
    plan = does_not_bind(budget_doc(20), rooms_doc(start="2028-03-01"), tmp_path)
    assert objective(plan) == CONSOLIDATED
    assert plan["waves"] == [
        {"month": "2028-03", "workloads": ["w1", "w2"], "days": 40, "cost": 2_000}
    ]


def test_migration_budget_binds(tmp_path: Path) -> None:
    """Moving w1 and w2 takes 60 person-days, the horizon has 40: only one can move, so
    r1 stays and w3 joins it."""
    plan, _ = binds(budget_doc(30), budget_doc(20), tmp_path, "10 migration days")
    assert objective(plan) == KEEP_R1


# ----------------------------------------------------------------- objective


def annuity_doc(years: int, rate: float) -> Doc:
    """r1 (GBP 40,000 a year) holds w1, which costs GBP 150,000 to move into r2 (GBP
    60,000, holding w2, pinned). Closing r1 saves 40,000 a year for 150,000 once."""
    doc = base(horizon_years=years, discount_rate=rate)
    doc["rooms"] = [room("r1", "a", annual_cost=40_000), room("r2", "b", annual_cost=60_000)]
    doc["workloads"] = [
        workload("w1", "r1", migration_cost=150_000),
        workload("w2", "r2", pinned=True),
    ]
    return doc


def hand_annuity(years: int, rate: float) -> float:
    return sum(1 / (1 + rate) ** y for y in range(1, years + 1))


def test_annuity_factor_values() -> None:
    assert hand_annuity(5, 0.035) == pytest.approx(4.515052375, abs=1e-9)
    assert hand_annuity(4, 0.035) == pytest.approx(3.673079, abs=1e-6)
    assert annuity(4, 0.0) == 4


@pytest.mark.parametrize(
    ("years", "rate", "moves"),
    [
        (4, 0.0, True),  # 4 x 40,000 = 160,000 > 150,000
        (4, 0.035, False),  # 3.6731 x 40,000 = 146,923 < 150,000: discounting binds
        (5, 0.035, True),  # 4.5151 x 40,000 = 180,602
        (3, 0.0, False),
    ],
)
def test_objective_is_one_off_plus_annuity_times_steady(
    tmp_path: Path, years: int, rate: float, moves: bool
) -> None:
    plan = optimum(annuity_doc(years, rate), tmp_path)
    a = hand_annuity(years, rate)
    desk_cost = 40_000
    expected = 150_000 + a * (60_000 + desk_cost) if moves else a * (100_000 + desk_cost)
    assert objective(plan) == pytest.approx(expected, abs=0.01)
    assert plan["solver"]["annuity_factor"] == pytest.approx(a, abs=1e-9)
    assert (room_of(plan)["w1"] == "r2") is moves
    costs = plan["costs"]
    assert costs["one_off"] + a * costs["planned_steady"] == pytest.approx(expected, abs=0.01)


def test_objective_sums_every_cost_term(tmp_path: Path) -> None:
    """Migration, room closure, candidate opening, desk closure and FTE at A = 2 (two
    years, rate 0): close r1 (closure 7,000) and r2 (3,000), open r3 (5,000 + 30,000 a
    year), move all three (6,000), merge e into c-desk (closure 2,000; 3 FTE)."""
    doc = candidate_doc(30_000)
    doc["estate"]["horizon_years"] = 2
    find(doc, "rooms", "r1")["closure_cost"] = 7_000
    find(doc, "rooms", "r2")["closure_cost"] = 3_000
    for w in ("w1", "w2", "w3"):
        find(doc, "workloads", w)["migration_cost"] = 2_000
    doc["organisations"] = [org("c", "c-desk", tickets=1_500), org("e", "e-desk", tickets=1_500)]
    doc["service_desks"] = [
        desk("c-desk", "a"),
        desk("e-desk", "b", fixed_cost=20_000, closure_cost=2_000),
    ]
    plan = optimum(doc, tmp_path)
    one_off = 6_000 + 7_000 + 3_000 + 5_000 + 2_000
    steady = 30_000 + 10_000 + 3 * 30_000
    assert objective(plan) == one_off + 2 * steady
    assert plan["costs"]["one_off"] == one_off
    assert plan["costs"]["planned_steady"] == steady
