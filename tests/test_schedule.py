"""Rule 10 on constructed estates: move groups, order, separation and capacity during the
migration, person-days, windows, earliest_close, and schedules that cannot exist.

Every estate forces its target with ``keep``/``close`` flags, accreditations and
latency, so each test is about the months alone. Months are checked on plan.json;
every plan also passes planner's checker (``schedule_estates.run``) and the
independent month-by-month verifier of ``migration_verify``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.migration_verify import verify_months
from helpers.schedule_estates import (
    Doc,
    base,
    depends,
    link,
    load,
    month,
    room,
    room_entry,
    run,
    site,
    workload,
    write,
)
from typer.testing import CliRunner

from planner.cli import app
from planner.optimise import OptimiseOptions, OptimiseResult
from planner.schedule import pairs


def moved(result: OptimiseResult, *workloads: str) -> list[str]:
    """The move months of workloads that must move."""
    out = [month(result, w) for w in workloads]
    assert None not in out, dict(zip(workloads, out, strict=True))
    return [m for m in out if m is not None]


# ------------------------------------------------------------------ dependencies


def two_sites_pair(days_each: float = 10, cap: float = 25) -> Doc:
    """app depends on db within 2 ms; both leave 'old' (site a) for 'new' (site b, 5 ms away):
    every mixed state is 5 ms apart, so they must move in one month."""
    doc = base(days=cap)
    site(doc, "b", 52.1)
    link(doc, "a", "b", 5)
    room(doc, "old", "a", cost=200_000, close=True)
    room(doc, "new", "b", cost=50_000, keep=True)
    workload(doc, "app", "old", days=days_each, not_before="2027-07-01")
    workload(doc, "db", "old", days=days_each)
    workload(doc, "other", "old", days=15)
    depends(doc, "app", "db", 2)
    return doc


def test_dependent_pair_out_of_latency_both_ways_moves_in_one_month(tmp_path: Path) -> None:
    loaded, result = run(two_sites_pair(), tmp_path / "e")
    plan = result.plan
    assert verify_months(loaded.inventory, plan) == []
    # db alone could go in April 2027 (closing 'old' early saves money); app may not
    # move before July, and the pair must share a month.
    assert month(result, "app") == month(result, "db") == "2027-07"
    assert ["app", "db"] in plan["move_groups"]
    assert result.schedule is not None
    assert ["app", "db"] in result.schedule.move_groups
    firsts = {(o.first, o.second) for o in result.schedule.orders}
    assert firsts == {("app", "db"), ("db", "app")}
    # 'other' (15 days) cannot join the pair's month (10 + 10 + 15 > 25 person-days).
    assert month(result, "other") != "2027-07"
    wave = next(w for w in plan["waves"] if w["month"] == "2027-07")
    assert sorted(wave["workloads"]) == ["app", "db"]
    assert room_entry(result, "old")["close_month"] == "2027-08"


def one_order_pair() -> Doc:
    """a (site x) depends on b (site y) within 2 ms; both go to z. x-y 2 ms, y-z 2 ms, no
    x-z link (4 ms via y). a first: (z, y) 2 ms, legal. b first: (x, z) 4 ms, illegal.
    So b may not move before a; 15 + 15 person-days do not fit one month of 20."""
    doc = base(days=20)
    site(doc, "x", 52.1)
    site(doc, "y", 52.2)
    site(doc, "z", 52.3)
    link(doc, "x", "y", 2)
    link(doc, "y", "z", 2)
    room(doc, "rx", "x", cost=100_000, close=True)
    room(doc, "ry", "y", cost=300_000, close=True)  # dear: b would leave first if it could
    room(doc, "rz", "z", cost=50_000, keep=True)
    workload(doc, "a", "rx", days=15, not_before="2027-08-01")
    workload(doc, "b", "ry", days=15)
    depends(doc, "a", "b", 2)
    return doc


def test_dependent_pair_with_one_illegal_order_moves_in_the_legal_order(tmp_path: Path) -> None:
    loaded, result = run(one_order_pair(), tmp_path / "e")
    plan = result.plan
    assert verify_months(loaded.inventory, plan) == []
    assert result.schedule is not None
    assert [(o.first, o.second, o.reason) for o in result.schedule.orders] == [
        ("a", "b", "dependency")
    ]
    assert plan["move_groups"] == []
    ta, tb = moved(result, "a", "b")
    assert ta == "2027-08"  # its not_before
    assert tb > ta  # b waits for a although its room is the dearer one
    assert tb == "2027-09"


def test_order_rules_of_the_pairs_directly(tmp_path: Path) -> None:
    """pairs.order_rules on the two estates, with the target given by hand."""
    from planner.inventory.graph import EstateGraph

    inv = load(write(one_order_pair(), tmp_path / "one")).inventory
    rules = pairs.order_rules(inv, EstateGraph(inv), {"a": "rz", "b": "rz"})
    assert [(r.first, r.second) for r in rules] == [("a", "b")]
    assert pairs.move_groups(rules) == []
    # Only one of them moving: every state is today's or the target's, no rule.
    assert pairs.order_rules(inv, EstateGraph(inv), {"a": "rx", "b": "rz"}) == []

    inv2 = load(write(two_sites_pair(), tmp_path / "two")).inventory
    target = {"app": "new", "db": "new", "other": "new"}
    rules2 = pairs.order_rules(inv2, EstateGraph(inv2), target)
    assert {(r.first, r.second) for r in rules2} == {("app", "db"), ("db", "app")}
    assert pairs.move_groups(rules2) == [["app", "db"]]


# ------------------------------------------------------------------ separation during


def police_into_pasf_room() -> Doc:
    """The police system must leave 'police-old' (closing) for the only other PASF room,
    'pasf-room', which hosts two OFFICIAL systems today; police is isolated by room, so
    they go to 'council-room' first. o1 may not move before June 2027; o1 and o2 take
    15 person-days each of 20 a month, so they leave in different months."""
    doc = base(days=20)
    doc["networks"].append({"id": "psnp"})
    doc["zones"].append(
        {"id": "police", "networks": ["psnp"], "requires": ["pasf"], "isolation": "room"}
    )
    doc["organisations"].append(
        {"id": "force", "kind": "police", "tickets_per_year": 0, "desk": "c-desk"}
    )
    site(doc, "s", 52.1)
    site(doc, "p", 52.2, org="force")
    link(doc, "a", "s", 2)
    link(doc, "s", "p", 2, network="psnp")
    room(doc, "council-room", "a", cost=60_000, keep=True)
    room(doc, "pasf-room", "s", 4, cost=60_000, accreditations=("psn", "pasf"), keep=True)
    room(doc, "police-old", "p", 2, cost=400_000, accreditations=("pasf",), close=True)
    workload(doc, "o1", "pasf-room", days=15, not_before="2027-06-01")
    workload(doc, "o2", "pasf-room", days=15)
    workload(doc, "pol", "police-old", days=5, zone="police", org="force")
    return doc


def test_police_waits_until_the_last_official_workload_has_left(tmp_path: Path) -> None:
    loaded, result = run(police_into_pasf_room(), tmp_path / "e")
    plan = result.plan
    assert verify_months(loaded.inventory, plan) == []  # every month separated
    to = {a["workload"]: a["to"] for a in plan["assignments"]}
    assert to == {"o1": "council-room", "o2": "council-room", "pol": "pasf-room"}
    o1, o2, pol = moved(result, "o1", "o2", "pol")
    assert o1 != o2
    assert o1 >= "2027-06"
    assert pol >= max(o1, o2)
    # The dear police room closes as soon as the police system can leave it.
    assert pol == max(o1, o2)
    assert room_entry(result, "police-old")["close_month"] > pol


def test_the_verifier_sees_a_police_system_arriving_too_early(tmp_path: Path) -> None:
    """The independent verifier is not blind: moving the police system a month before the
    last official system leaves breaks separation in that month (and planner's checker
    agrees)."""
    from planner.checker import check_plan

    loaded, result = run(police_into_pasf_room(), tmp_path / "e")
    plan = json.loads(json.dumps(result.plan))
    pol = next(a for a in plan["assignments"] if a["workload"] == "pol")
    last = max(a["month"] for a in plan["assignments"] if a["workload"] in ("o1", "o2"))
    year, mon = (int(x) for x in last.split("-"))
    early = f"{year:04d}-{mon - 1:02d}" if mon > 1 else f"{year - 1:04d}-12"
    pol["month"] = early
    plan["waves"] = [
        {**w, "workloads": [x for x in w["workloads"] if x != "pol"]} for w in plan["waves"]
    ]
    plan["waves"] = [w for w in plan["waves"] if w["workloads"]]
    problems = verify_months(loaded.inventory, plan)
    assert any("hosts official and police" in p and p.startswith(early) for p in problems)
    report = check_plan(loaded, plan)
    assert any(v.rule == "10" and "pasf-room" in v.ids for v in report.violations)


# ------------------------------------------------------------------ capacity during


def full_room_swap() -> Doc:
    """r1 (site a, 2 racks) is full with y today. x must leave r2 (closing) and may only go
    to r1 (its users at a allow 1 ms; r3 at c is 5 ms away), so y goes to r3 first; y may
    not move before July 2027."""
    doc = base()
    site(doc, "b", 52.1)
    site(doc, "c", 52.3)
    link(doc, "a", "b", 1)
    link(doc, "a", "c", 5)
    room(doc, "r1", "a", 2, cost=50_000, keep=True)
    room(doc, "r2", "b", 4, cost=300_000, close=True)
    room(doc, "r3", "c", 10, cost=50_000, keep=True)
    workload(doc, "x", "r2", racks=2, users=["a"], max_latency_ms=1)
    workload(doc, "y", "r1", racks=2, not_before="2027-07-01")
    return doc


def test_full_room_receives_only_after_its_tenant_leaves(tmp_path: Path) -> None:
    loaded, result = run(full_room_swap(), tmp_path / "e")
    plan = result.plan
    assert verify_months(loaded.inventory, plan) == []
    to = {a["workload"]: a["to"] for a in plan["assignments"]}
    assert to == {"x": "r1", "y": "r3"}
    tx, ty = moved(result, "x", "y")
    assert ty == "2027-07"
    assert tx >= ty
    assert tx == "2027-07"  # r2 is dear: x goes as soon as r1 has room
    assert room_entry(result, "r2")["close_month"] == "2027-08"


def test_person_days_spread_moves_over_several_months(tmp_path: Path) -> None:
    """Six moves of 10 person-days, 20 a month: three months of two moves."""
    doc = base(days=20)
    site(doc, "b", 52.1)
    link(doc, "a", "b", 3)
    room(doc, "old", "a", cost=200_000, close=True)
    room(doc, "new", "b", cost=50_000, keep=True)
    for i in range(6):
        workload(doc, f"w{i}", "old", days=10)
    loaded, result = run(doc, tmp_path / "e")
    plan = result.plan
    assert verify_months(loaded.inventory, plan) == []
    assert [(w["month"], w["days"]) for w in plan["waves"]] == [
        ("2027-04", 20),
        ("2027-05", 20),
        ("2027-06", 20),
    ]
    assert room_entry(result, "old")["close_month"] == "2027-07"


# ------------------------------------------------------------------ windows and closing


def test_not_before_is_compared_by_month(tmp_path: Path) -> None:
    """Closing 'old' early pays, so moves go as early as allowed: not_before 2027-06-15 allows
    June 2027 (month 2), not July."""
    doc = base()
    site(doc, "b", 52.1)
    link(doc, "a", "b", 3)
    room(doc, "old", "a", cost=200_000, close=True)
    room(doc, "new", "b", cost=50_000, keep=True)
    workload(doc, "mid", "old", not_before="2027-06-15")
    workload(doc, "first", "old", not_before="2027-06-01")
    workload(doc, "free", "old")
    loaded, result = run(doc, tmp_path / "e")
    assert verify_months(loaded.inventory, result.plan) == []
    assert month(result, "mid") == "2027-06"
    assert month(result, "first") == "2027-06"
    assert room_entry(result, "old")["close_month"] == "2027-07"


def test_not_after_is_compared_by_month(tmp_path: Path) -> None:
    """Opening the dear candidate late pays, so moves go as late as allowed: not_after
    2027-08-10 allows August 2027 (month 4), and the candidate opens then."""
    doc = base()
    site(doc, "b", 52.1)
    link(doc, "a", "b", 3)
    room(doc, "old", "a", cost=0, close=True)
    room(doc, "cand", "b", cost=300_000, status="candidate", keep=True)
    workload(doc, "due", "old", not_after="2027-08-10")
    workload(doc, "free", "old")
    loaded, result = run(doc, tmp_path / "e")
    assert verify_months(loaded.inventory, result.plan) == []
    assert month(result, "due") == "2027-08"
    free = month(result, "free")
    assert free is not None
    assert free >= "2027-08"
    cand = room_entry(result, "cand")
    assert cand["decision"] == "open"
    assert cand["open_month"] == "2027-08"


@pytest.mark.parametrize(
    ("earliest_close", "close_month"),
    [
        (None, "2027-05"),  # the month after the move in April
        ("2026-12-31", "2027-05"),  # before the start: no delay
        ("2027-09-15", "2027-10"),
        ("2027-09-30", "2027-10"),
        ("2027-10-01", "2027-11"),  # 1 October is not after 1 October
    ],
)
def test_earliest_close_delays_the_close_month(
    tmp_path: Path, earliest_close: str | None, close_month: str
) -> None:
    doc = base()
    site(doc, "b", 52.1)
    link(doc, "a", "b", 3)
    extra = {"earliest_close": earliest_close} if earliest_close else {}
    room(doc, "old", "a", cost=200_000, close=True, **extra)
    room(doc, "new", "b", cost=50_000, keep=True)
    workload(doc, "w", "old")
    loaded, result = run(doc, tmp_path / "e")
    assert verify_months(loaded.inventory, result.plan) == []
    moved = month(result, "w")
    assert moved is not None
    assert moved < close_month  # (the move itself may wait: a later one-off costs less)
    assert room_entry(result, "old")["close_month"] == close_month


# ------------------------------------------------------------------ no schedule


def group_over_person_days() -> Doc:
    """The pair must share a month but needs 12 + 12 person-days of 20."""
    doc = two_sites_pair(days_each=12, cap=20)
    doc["workloads"] = [w for w in doc["workloads"] if w["id"] != "other"]
    for w in doc["workloads"]:
        w.pop("not_before", None)
    return doc


def deadline_with_group() -> Doc:
    """x (15 days) and app (5) must move in April 2027 (not_after); app's partner db
    (5 days) must share app's month: 25 person-days of 20."""
    doc = base(days=20)
    site(doc, "b", 52.1)
    link(doc, "a", "b", 5)
    room(doc, "old", "a", cost=200_000, close=True)
    room(doc, "new", "b", cost=50_000, keep=True)
    workload(doc, "x", "old", days=15, not_after="2027-04-30")
    workload(doc, "app", "old", days=5, not_after="2027-04-30")
    workload(doc, "db", "old", days=5)
    depends(doc, "app", "db", 2)
    return doc


def cycle_order_and_swap() -> Doc:
    """a (zone 'special', needs accreditation 'secure') leaves rx (closing) for ry, the only
    other secure room, full with b, which goes to rz. a depends on b within 2 ms: x-y 2,
    y-z 2, x-z 4. b before a puts them 4 ms apart (order: a no later than b); a before b
    overfills ry (capacity: a no earlier than b). So one month, but 15 + 15 person-days
    do not fit 20."""
    doc = base(days=20)
    doc["zones"].append({"id": "special", "networks": ["psn"], "requires": ["secure"]})
    site(doc, "x", 52.1)
    site(doc, "y", 52.2)
    site(doc, "z", 52.3)
    link(doc, "x", "y", 2)
    link(doc, "y", "z", 2)
    room(doc, "rx", "x", 4, accreditations=("psn", "secure"), close=True)
    room(doc, "ry", "y", 1, accreditations=("psn", "secure"), keep=True)
    room(doc, "rz", "z", 10, keep=True)
    workload(doc, "a", "rx", days=15, zone="special")
    workload(doc, "b", "ry", days=15)
    depends(doc, "a", "b", 2)
    return doc


def infeasible_run(doc: Doc, directory: Path) -> list[str]:
    _, result = run(doc, directory, OptimiseOptions(time_limit_s=20, workers=2))
    plan = result.plan
    # A target estate exists, but neither it nor any other can be migrated month by month:
    # each is cut off in turn until the target model itself has no solution left.
    assert result.outcome.status.value == "infeasible"
    assert result.stages["targets"] >= 1
    assert "none can be migrated month by month" in plan["explanation"][0]
    assert plan["solver"]["status"] == "infeasible"
    assert plan["solver"]["schedule_status"] == "infeasible"
    assert (plan["assignments"], plan["waves"], plan["years"]) == ([], [], [])
    assert plan["explanation"]
    return list(plan["explanation"])


def test_pair_that_cannot_share_a_month_has_no_plan(tmp_path: Path) -> None:
    """The room must close, so app and db must move; no order keeps them within 2 ms and
    one month cannot hold both. The target model knows this (family move-pairs), so the
    run is infeasible before any schedule is tried, and says why."""
    _, result = run(group_over_person_days(), tmp_path / "e", OptimiseOptions(time_limit_s=20))
    plan = result.plan
    assert result.outcome.status.value == "infeasible"
    assert plan["solver"]["status"] == "infeasible"
    text = "\n".join(plan["explanation"])
    assert "room old is marked close: true" in text
    assert "app and db (dependency)" in text
    assert "12 + 12 person-days of 20 a month" in text


def test_deadline_that_person_days_and_a_dependency_cannot_meet(tmp_path: Path) -> None:
    text = "\n".join(infeasible_run(deadline_with_group(), tmp_path / "e"))
    assert "x may move only between the start and 2027-04-30 (not_before/not_after)" in text
    assert "app may move only between the start and 2027-04-30" in text
    assert "app depends on db within 2 ms" in text
    assert "migration_days_per_month" in text


def test_cycle_of_dependency_order_and_capacity_swap(tmp_path: Path) -> None:
    text = "\n".join(infeasible_run(cycle_order_and_swap(), tmp_path / "e"))
    assert "a may not move after b: a depends on b within 2 ms" in text
    assert "room ry holds 1 racks" in text
    assert "migration_days_per_month" in text


def test_the_cycle_is_feasible_with_room_for_both_moves_in_one_month(tmp_path: Path) -> None:
    """Control: with 30 person-days a month the same estate is scheduled, a and b together."""
    doc = cycle_order_and_swap()
    doc["estate"]["migration_days_per_month"] = 30
    loaded, result = run(doc, tmp_path / "e")
    assert verify_months(loaded.inventory, result.plan) == []
    assert month(result, "a") == month(result, "b") == "2027-04"


def test_planner_optimise_exits_3_when_no_schedule_exists(tmp_path: Path) -> None:
    estate = write(cycle_order_and_swap(), tmp_path / "e")
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        app,
        ["optimise", str(estate), "--out", str(out), "--time-limit", "20", "--workers", "2"],
    )
    assert result.exit_code == 3, result.output
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["solver"]["status"] == "infeasible"
    assert any("migration_days_per_month" in line for line in plan["explanation"])
    check = CliRunner().invoke(app, ["check", str(estate), str(out / "plan.json")])
    assert check.exit_code == 0, check.output


def test_infeasible_schedule_is_explained_by_schedule_migration(tmp_path: Path) -> None:
    """The schedule module on its own: status infeasible and the core's rule kinds."""
    from planner.inventory.graph import EstateGraph
    from planner.schedule import schedule_migration
    from planner.target import Target

    inv = load(write(cycle_order_and_swap(), tmp_path / "e")).inventory
    target = Target(
        room_of={"a": "ry", "b": "rz"},
        open_rooms=frozenset({"ry", "rz"}),
        desk_of={"c": "c-desk"},
    )
    sched = schedule_migration(inv, EstateGraph(inv), target, time_limit_s=10, workers=2)
    assert sched.status == "infeasible"
    assert sched.core is not None
    kinds = {key[0] for key in sched.core.keys}
    assert kinds == {"order", "capacity-during", "days-per-month"}
    assert sched.move_groups == []


def stuck_in_closing_room(**stuck: object) -> Doc:
    """'old' must close (close: true) but its only workload cannot move at all."""
    doc = base(days=15)
    site(doc, "b", 52.1)
    link(doc, "a", "b", 3)
    room(doc, "old", "a", close=True)
    room(doc, "new", "b", keep=True)
    workload(doc, "w", "old", **stuck)
    return doc


@pytest.mark.parametrize(
    "stuck",
    [
        {"days": 25},  # more person-days than migration_days_per_month (15)
        {"not_after": "2020-01-31"},  # its window ends before the start
    ],
    ids=["days", "window"],
)
def test_workload_that_cannot_move_out_of_a_closing_room_is_explained(
    tmp_path: Path, stuck: dict[str, object]
) -> None:
    _, result = run(stuck_in_closing_room(**stuck), tmp_path / "e")
    assert result.plan["solver"]["status"] == "infeasible"
    text = "\n".join(result.plan["explanation"])
    assert "w cannot move within the horizon" in text
    # the closure may be named as the room's flag or as the rooms w may not use
    assert "close: true" in text
    assert "old" in text


# ------------------------------------------------------------------ explanation sentences


def test_every_schedule_guard_has_one_sentence() -> None:
    from planner.schedule.explain import SENTENCES
    from planner.schedule.guards import ScheduleGuard

    assert set(SENTENCES) == set(ScheduleGuard)


def closing_after_earliest_close() -> Doc:
    """'old' closes no earlier than October 2027 (earliest_close); w moves out of it."""
    doc = base()
    site(doc, "b", 52.1)
    link(doc, "a", "b", 3)
    room(doc, "old", "a", cost=200_000, close=True, earliest_close="2027-09-15")
    room(doc, "new", "b", cost=50_000, keep=True)
    workload(doc, "w", "old")
    return doc


def test_every_guard_of_an_explanation_model_reads_as_a_sentence(tmp_path: Path) -> None:
    """The explanation models of schedules with no solution (a deadline, a cycle) and of
    two that have one (separation, earliest_close) create every kind of guard between
    them, and each guard reads as a sentence naming its workload, room or order rule."""
    from planner.inventory.graph import EstateGraph
    from planner.inventory.months import Calendar
    from planner.schedule.build import build
    from planner.schedule.explain import describe
    from planner.schedule.guards import ScheduleGuard
    from planner.schedule.migration import build_migration

    cases = {
        "deadline": (deadline_with_group(), {"x": "new", "app": "new", "db": "new"}),
        "cycle": (cycle_order_and_swap(), {"a": "ry", "b": "rz"}),
        "police": (
            police_into_pasf_room(),
            {"o1": "council-room", "o2": "council-room", "pol": "pasf-room"},
        ),
        "earliest": (closing_after_earliest_close(), {"w": "new"}),
    }
    kinds: set[ScheduleGuard] = set()
    for name, (doc, room_of) in cases.items():
        inv = load(write(doc, tmp_path / name)).inventory
        cal = Calendar(inv.estate.start, inv.estate.horizon_years)
        orders = pairs.order_rules(inv, EstateGraph(inv), room_of)
        open_rooms = frozenset(room_of.values())
        model = build(build_migration(inv, cal, room_of, open_rooms, orders), explain=True)
        assert model.guards, name
        for key in model.guards:
            kind = ScheduleGuard(str(key[0]))
            kinds.add(kind)
            sentence = describe(inv, cal, orders, key)
            if kind is ScheduleGuard.ORDER:
                assert isinstance(key[1], int)
                assert orders[key[1]].label in sentence, (key, sentence)
            elif len(key) > 1:
                assert str(key[1]) in sentence, (key, sentence)
            else:
                assert sentence, key
    assert kinds == set(ScheduleGuard)
