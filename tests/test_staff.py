"""Staff accounting (docs/plan-format.md, "Staff accounting"): totals before and after,
and for each organisation after = before - transfer_out + transfer_in - removed + added,
recomputed from the inventory and the plan's decisions."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from conftest import BUNDLED

from planner.inventory.items import Inventory
from planner.inventory.load import Loaded

BundledPlan = Callable[[str], tuple[Loaded, dict[str, Any]]]
EPS = 1e-6


def expected_staff(inv: Inventory, plan: dict[str, Any]) -> dict[str, defaultdict[str, float]]:
    """Per organisation: desk and ops FTE before and after, transfers in and out."""
    site_org = {s.id: s.organisation for s in inv.sites}
    desk_of = {d["organisation"]: d["desk"] for d in plan["desk_assignments"]}
    kept_desks = {d["id"] for d in plan["desks"] if d["decision"] == "keep"}
    open_rooms = {r["id"] for r in plan["rooms"] if r["decision"] in ("keep", "open")}
    tickets_before: dict[str, int] = defaultdict(int)
    tickets_after: dict[str, int] = defaultdict(int)
    for o in inv.organisations:
        tickets_before[o.desk] += o.tickets_per_year
        tickets_after[desk_of[o.id]] += o.tickets_per_year
    out: dict[str, defaultdict[str, float]] = {o.id: defaultdict(float) for o in inv.organisations}
    for d in inv.service_desks:
        row = out[site_org[d.site]]
        row["desk_fte_before"] += math.ceil(tickets_before[d.id] / d.tickets_per_fte - 1e-9)
        if d.id in kept_desks:
            row["desk_fte_after"] += math.ceil(tickets_after[d.id] / d.tickets_per_fte - 1e-9)
    for r in inv.rooms:
        row = out[site_org[r.site]]
        if r.status == "existing":
            row["ops_fte_before"] += r.ops_fte
        if r.id in open_rooms:
            row["ops_fte_after"] += r.ops_fte
    for o in inv.organisations:
        old, new = inv.desk[o.desk], inv.desk[desk_of[o.id]]
        giver, taker = site_org[old.site], site_org[new.site]
        if giver != taker:
            fte = o.tickets_per_year / new.tickets_per_fte
            out[giver]["transfer_out"] += fte
            out[taker]["transfer_in"] += fte
    return out


def assert_staff_identity(inv: Inventory, plan: dict[str, Any]) -> None:
    staff = plan["staff"]
    rows = {r["id"]: r for r in staff["by_organisation"]}
    assert set(rows) == {o.id for o in inv.organisations}
    want = expected_staff(inv, plan)
    for key in ("desk_fte_before", "desk_fte_after", "ops_fte_before", "ops_fte_after"):
        assert staff[key] == pytest.approx(sum(r[key] for r in rows.values()), abs=EPS), key
        assert staff[key] == pytest.approx(sum(w[key] for w in want.values()), abs=EPS), key
    # Desk FTE totals also agree with the desks' own rows.
    assert staff["desk_fte_before"] == sum(d["fte_before"] for d in plan["desks"])
    assert staff["desk_fte_after"] == sum(d["fte"] for d in plan["desks"])
    for org, r in rows.items():
        w = want[org]
        for key in (
            "desk_fte_before",
            "desk_fte_after",
            "ops_fte_before",
            "ops_fte_after",
            "transfer_out",
            "transfer_in",
        ):
            assert r[key] == pytest.approx(w[key], abs=EPS), (org, key)
        before = r["desk_fte_before"] + r["ops_fte_before"]
        after = r["desk_fte_after"] + r["ops_fte_after"]
        assert after == pytest.approx(
            before - r["transfer_out"] + r["transfer_in"] - r["removed"] + r["added"], abs=EPS
        ), org
        assert r["removed"] >= 0
        assert r["added"] >= 0
        assert min(r["removed"], r["added"]) == 0, org
        assert r["stay_local"] == pytest.approx(before - r["transfer_out"] - r["removed"], abs=EPS)
    assert sum(r["transfer_out"] for r in rows.values()) == pytest.approx(
        sum(r["transfer_in"] for r in rows.values()), abs=EPS
    )


@pytest.mark.parametrize("name", BUNDLED)
def test_staff_identity_on_bundled_estates(bundled_plan: BundledPlan, name: str) -> None:
    loaded, plan = bundled_plan(name)
    assert_staff_identity(loaded.inventory, plan)


def test_staff_of_tiny_by_hand(bundled_plan: BundledPlan) -> None:
    """README: desk FTE 5 before (3 + 2) and 5 after (the merged desk); ops 4 before
    (County Hall 2, Records 1, Civic 1), 3 after. Brookford's 6,000 tickets go to the
    Midshire desk: 6,000 / 4,000 = 1.5 FTE transferred. Brookford had 2 desk + 1 ops
    posts and keeps none: 1.5 transfer, 1.5 removed. Midshire had 3 + 3 and has 5 + 3:
    it takes 1.5 in and gains 0.5 more (the merged desk rounds 4.5 up to 5)."""
    _, plan = bundled_plan("tiny")
    staff = plan["staff"]
    assert (
        staff["desk_fte_before"],
        staff["desk_fte_after"],
        staff["ops_fte_before"],
        staff["ops_fte_after"],
    ) == (5, 5, 4, 3)
    rows = {r["id"]: r for r in staff["by_organisation"]}
    assert rows["brookford"] == {
        "id": "brookford",
        "desk_fte_before": 2,
        "desk_fte_after": 0,
        "ops_fte_before": 1,
        "ops_fte_after": 0,
        "transfer_out": 1.5,
        "transfer_in": 0.0,
        "removed": 1.5,
        "added": 0.0,
        "stay_local": 0.0,
    }
    assert rows["midshire"] == {
        "id": "midshire",
        "desk_fte_before": 3,
        "desk_fte_after": 5,
        "ops_fte_before": 3,
        "ops_fte_after": 3,
        "transfer_out": 0.0,
        "transfer_in": 1.5,
        "removed": 0.0,
        "added": pytest.approx(0.5),
        "stay_local": 6,
    }
    sites = {s["site"]: s for s in staff["by_site"]}
    assert sites["civic-centre"]["desk_fte_after"] == 0
    assert sites["county-hall"]["desk_fte_after"] == 5
    assert sites["records-centre"]["ops_fte_after"] == 1
