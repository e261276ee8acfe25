"""Compute resources (spec/import.md): vCPU, memory and storage through the whole chain.

Each estate is small enough to know its optimum by hand. The default estate of
tests/helpers/estates.py has A = 1, so an objective is one-off + a year's running
cost. Rooms cost GBP 100,000 a year; a move costs GBP 1,000; the one desk GBP 40,000
(GBP 10,000 + one FTE at 30,000).
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from helpers.estates import (
    base,
    checked,
    decisions,
    load,
    objective,
    room,
    room_of,
    run,
    variant,
    workload,
    write,
)
from helpers.migration_verify import verify_months
from openpyxl import load_workbook

from planner.checker import check_plan
from planner.inventory.load import load_estate
from planner.inventory.validate import load_and_validate
from planner.reports import render_reports

DESK = 40_000


def two_rooms(**b_fields: float) -> dict:
    """Rooms ra (site a, 16 vCPU) and rb (site b, compute as given), one workload each
    of 10 vCPU and 40 GiB: closing either room puts 20 vCPU and 80 GiB in the other."""
    doc = base()
    doc["rooms"] = [room("ra", "a", vcpu=16, memory_gib=64), room("rb", "b", **b_fields)]
    doc["workloads"] = [
        workload("wa", "ra", vcpu=10, memory_gib=40),
        workload("wb", "rb", vcpu=10, memory_gib=40),
    ]
    return doc


def test_a_room_that_states_no_compute_does_not_limit_it(tmp_path: Path) -> None:
    """rb states no vCPU or memory: ra closes and wa joins wb (one room + one move)."""
    loaded, result = run(two_rooms(), tmp_path)
    plan = result.plan
    checked(loaded, plan)
    assert decisions(plan) == {"ra": "close", "rb": "keep"}
    assert objective(plan) == pytest.approx(100_000 + 1_000 + DESK)
    rb = next(r for r in plan["rooms"] if r["id"] == "rb")
    assert (rb["vcpu"], rb["vcpu_used_before"], rb["vcpu_used_after"]) == (None, 10, 20)
    assert (rb["memory_gib"], rb["memory_gib_used_after"]) == (None, 80)
    assert "storage_tib" not in rb  # no room states it and no workload needs it


@pytest.mark.parametrize(
    ("b_fields", "closes"),
    [
        ({"vcpu": 19}, None),  # 20 vCPU fit neither room: both stay
        ({"vcpu": 20}, "ra"),  # rb holds exactly 20
        ({"vcpu": 20, "memory_gib": 79.999}, None),  # memory binds instead
        ({"vcpu": 20, "memory_gib": 80}, "ra"),
    ],
)
def test_vcpu_and_memory_bind_like_racks(
    tmp_path: Path, b_fields: dict[str, float], closes: str | None
) -> None:
    loaded, result = run(two_rooms(**b_fields), tmp_path)
    plan = result.plan
    checked(loaded, plan)
    if closes is None:
        assert decisions(plan) == {"ra": "keep", "rb": "keep"}
        assert objective(plan) == pytest.approx(200_000 + DESK)
    else:
        assert decisions(plan)[closes] == "close"
        assert objective(plan) == pytest.approx(101_000 + DESK)


def test_storage_binds_too(tmp_path: Path) -> None:
    doc = two_rooms()
    doc["rooms"][1]["storage_tib"] = 1.5
    for w in doc["workloads"]:
        w["storage_tib"] = 0.75
    loaded, result = run(doc, tmp_path)
    assert decisions(result.plan)["ra"] == "close"  # 1.5 TiB fits exactly
    doc["rooms"][1]["storage_tib"] = 1.499
    loaded, result = run(doc, tmp_path / "tighter")
    checked(loaded, result.plan)
    assert decisions(result.plan) == {"ra": "keep", "rb": "keep"}


def test_compute_binds_month_by_month(tmp_path: Path) -> None:
    """Room rb (12 vCPU) holds wx (2 vCPU, pinned) and wb (10 vCPU) today. Closing ra
    (GBP 100,000) means wa (10 vCPU, zone psn-only, which rc lacks) goes to rb, so wb
    must go to the candidate rc, and wb may not move before 2027-08. wa can only enter
    rb once wb has left: wa moves in August 2027 or later, never before wb (rule 10
    with rule 2 on vCPU)."""
    doc = base()
    doc["zones"].append({"id": "psn-only", "networks": ["psn"], "requires": ["psn"]})
    doc["rooms"] = [
        room("ra", "a", accreditations=["psn"]),
        room("rb", "b", vcpu=12, annual_cost=10_000, accreditations=["psn"]),
        room("rc", "d", status="candidate", vcpu=64, annual_cost=10_000),
    ]
    doc["workloads"] = [
        workload("wa", "ra", zone="psn-only", vcpu=10),
        workload("wb", "rb", vcpu=10, not_before="2027-08-01"),
        workload("wx", "rb", vcpu=2, pinned=True),
    ]
    loaded, result = run(doc, tmp_path)
    plan = result.plan
    checked(loaded, plan)
    assert room_of(plan) == {"wa": "rb", "wb": "rc", "wx": "rb"}
    moves = {a["workload"]: a["month"] for a in plan["assignments"] if a["month"]}
    assert moves["wb"] >= "2027-08", moves
    assert moves["wa"] >= moves["wb"], moves
    assert verify_months(loaded.inventory, plan) == []
    rb = next(r for r in plan["rooms"] if r["id"] == "rb")
    assert rb["peaks"] == [{"resource": "vcpu", "month": "2027-04", "used": 12}]  # full today
    wb = next(a for a in plan["assignments"] if a["workload"] == "wb")
    assert wb["reason"].startswith(
        "rb stays open but has no room for it: with it, rb would hold 22 of 12 vCPU"
    )
    # without the vCPU limit wa moves at once (ra closes earlier), wb still waits
    free = variant(doc, "rooms", "rb", vcpu=None)
    loaded, result = run(free, tmp_path / "free")
    moves = {a["workload"]: a["month"] for a in result.plan["assignments"] if a["month"]}
    assert moves["wa"] < "2027-08", moves


def test_the_checker_finds_compute_over_capacity(tmp_path: Path) -> None:
    """A plan that closes ra although rb holds only 19 vCPU breaks rule 2."""
    loaded, result = run(two_rooms(vcpu=20), tmp_path)
    plan = copy.deepcopy(result.plan)
    assert decisions(plan)["ra"] == "close"
    tighter = variant(two_rooms(vcpu=20), "rooms", "rb", vcpu=19)
    loaded = load(write(tighter, tmp_path / "tighter"))
    report = check_plan(loaded, plan)
    assert not report.ok
    assert any("rb" in v.render() and "vCPU" in v.render() for v in report.violations)


def test_the_checker_recomputes_the_peaks(tmp_path: Path) -> None:
    loaded, result = run(two_rooms(vcpu=20), tmp_path)
    plan = copy.deepcopy(result.plan)
    rb = next(r for r in plan["rooms"] if r["id"] == "rb")
    assert rb["peaks"][0] == {"resource": "vcpu", "month": "2027-04", "used": 20}
    rb["peaks"][0]["used"] = 19
    report = check_plan(loaded, plan)
    assert any("peaks at 20 vcpu in 2027-04" in v.render() for v in report.violations)


def test_validate_requires_today_to_fit(tmp_path: Path) -> None:
    doc = two_rooms(vcpu=9)
    loaded = load_and_validate(write(doc, tmp_path))
    messages = [f.render() for f in loaded.findings.errors]
    assert any("rb" in m and "vcpu" in m and "10 vCPU" in m for m in messages), messages


def test_room_compute_sets_capacity_on_the_room(tmp_path: Path) -> None:
    doc = two_rooms()
    write(doc, tmp_path)
    (tmp_path / "imported.yaml").write_text(
        "room_compute:\n  - {room: rb, vcpu: 20, memory_gib: 80, storage_tib: 2.5}\n"
    )
    loaded = load(tmp_path)
    rb = loaded.inventory.room["rb"]
    assert (rb.vcpu, rb.memory_gib, rb.storage_tib) == (20, 80, 2.5)
    assert loaded.inventory.room_compute == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("room_compute:\n  - {room: nowhere, vcpu: 20}\n", "no room 'nowhere'"),
        ("room_compute:\n  - {room: ra, vcpu: 20}\n", "room 'ra' states vcpu itself"),
        (
            "room_compute:\n  - {room: rb, vcpu: 20}\n  - {room: rb, memory_gib: 8}\n",
            "a second compute entry for room 'rb'",
        ),
        ("room_compute:\n  - {room: rb, vcpu: -1}\n", "vcpu"),
        ("room_compute:\n  - {room: rb, vcpu: 1.0005}\n", "more than 3 decimal places"),
    ],
)
def test_room_compute_errors_name_file_and_line(tmp_path: Path, text: str, words: str) -> None:
    write(two_rooms(), tmp_path)
    (tmp_path / "imported.yaml").write_text(text)
    loaded = load_estate(tmp_path)
    errors = [f.render() for f in loaded.findings.errors]
    assert any(words in e and "imported.yaml:" in e for e in errors), errors


def test_estates_without_compute_write_no_compute_keys(tmp_path: Path) -> None:
    doc = base()
    doc["rooms"] = [room("ra", "a"), room("rb", "b")]
    doc["workloads"] = [workload("wa", "ra"), workload("wb", "rb")]
    _, result = run(doc, tmp_path)
    for r in result.plan["rooms"]:
        assert not any(k.startswith(("vcpu", "memory", "storage")) for k in r)


def test_reports_show_each_rooms_compute_before_and_after(tmp_path: Path) -> None:
    """The report page gives rb's vCPU and memory, before -> after of its capacity (or
    'no limit'); plan.xlsx has their columns; a plan without compute has neither."""
    _, result = run(two_rooms(vcpu=20, memory_gib=80), tmp_path)
    files = render_reports(result.plan)
    page = files["report.html"].decode()
    assert "10 → 20 of 20 vCPU; most 20 in Apr 2027" in page
    assert "40 → 80 of 80 GiB memory" in page
    assert "10 → 20 of 20 vCPU; most 20 in Apr 2027" in files["summary.md"].decode()
    sheet = load_workbook(io.BytesIO(files["plan.xlsx"]), read_only=True)["rooms"]
    header = next(sheet.iter_rows(values_only=True))
    assert "vCPU used after" in header
    assert "Storage TiB" not in header
    _, result = run(two_rooms(), tmp_path / "unlimited")
    assert "20 vCPU (no limit)" in render_reports(result.plan)["report.html"].decode()


def test_a_room_of_vms_is_shared_by_vcpu(tmp_path: Path) -> None:
    """Imported VMs take no racks: room ra's GBP 100,000 is shared 3:1 by vCPU between
    council c (30 vCPU) and district e (10 vCPU); the checker agrees to the penny."""
    doc = base()
    doc["organisations"].append({**doc["organisations"][0], "id": "e", "kind": "district"})
    doc["rooms"] = [room("ra", "a", racks=0, power_kw=0)]
    doc["workloads"] = [
        workload("wc", "ra", racks=0, power_kw=0, vcpu=30),
        workload("we", "ra", org="e", racks=0, power_kw=0, vcpu=10),
    ]
    loaded, result = run(doc, tmp_path)
    checked(loaded, result.plan)
    # the desk serves both, 1,000 tickets each: 2 FTE, GBP 70,000, half each
    rooms_share = {o["id"]: o["baseline"] - 35_000 for o in result.plan["organisations"]}
    assert rooms_share == pytest.approx({"c": 75_000, "e": 25_000})


def test_a_room_of_kit_and_vms_is_shared_half_by_racks_half_by_vcpu(tmp_path: Path) -> None:
    """Council c and district e each have one rack of kit in ra, and VMs of 30 and 10
    vCPU: racks shares 1/2 and 1/2, vCPU shares 3/4 and 1/4, so c pays 5/8 of the
    room's GBP 100,000 and e 3/8."""
    doc = base()
    doc["organisations"].append({**doc["organisations"][0], "id": "e", "kind": "district"})
    doc["rooms"] = [room("ra", "a")]
    doc["workloads"] = [
        workload("kit-c", "ra"),
        workload("kit-e", "ra", org="e"),
        workload("vm-c", "ra", racks=0, power_kw=0, vcpu=30),
        workload("vm-e", "ra", org="e", racks=0, power_kw=0, vcpu=10),
    ]
    loaded, result = run(doc, tmp_path)
    checked(loaded, result.plan)
    rooms_share = {o["id"]: o["baseline"] - 35_000 for o in result.plan["organisations"]}
    assert rooms_share == pytest.approx({"c": 62_500, "e": 37_500})
