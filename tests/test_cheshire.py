"""inventories/cheshire: nine council rooms become two and nine council desks one, with
police and NHS systems kept apart, with and without --max-rooms 2 --max-desks 1.

Council rooms and desks are those on sites of the organisations in
``estate.shared_service``. Two runs of a 330-workload estate: about 20-40 s together
on this machine (noisy), so marked slow but part of the default suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.checker import check_plan
from planner.inventory.load import Loaded
from planner.inventory.validate import load_and_validate
from planner.optimise import OptimiseOptions, optimise

CHESHIRE = Path(__file__).resolve().parent.parent / "inventories" / "cheshire"


@pytest.fixture(scope="module")
def cheshire() -> Loaded:
    loaded = load_and_validate(CHESHIRE)
    assert loaded.ok
    return loaded


def council_orgs(loaded: Loaded) -> set[str]:
    shared = loaded.inventory.estate.shared_service
    assert shared, "cheshire names its shared service"
    return set(shared)


def owner(loaded: Loaded, site_id: str) -> str:
    return loaded.inventory.site[site_id].organisation


@pytest.mark.slow
@pytest.mark.parametrize(
    "limits", [{}, {"max_rooms": 2, "max_desks": 1}], ids=["no-limit", "max-rooms-2-desks-1"]
)
def test_cheshire_consolidates_councils_and_keeps_partners_apart(
    cheshire: Loaded, limits: dict[str, int]
) -> None:
    inv = cheshire.inventory
    options = OptimiseOptions(time_limit_s=120, workers=2, explain_reasons=False, **limits)
    plan: dict[str, Any] = optimise(cheshire, options).plan
    solver = plan["solver"]
    assert solver["status"] == "optimal", solver
    assert solver["bound"] == solver["objective"]
    assert solver["gap"] == 0
    assert plan["options"]["max_rooms"] == limits.get("max_rooms")
    report = check_plan(cheshire, plan)
    assert report.ok, [v.render() for v in report.violations[:20]]

    councils = council_orgs(cheshire)
    council_rooms_before = [r for r in inv.rooms if r.status == "existing"]
    council_rooms_before = [r for r in council_rooms_before if owner(cheshire, r.site) in councils]
    assert len(council_rooms_before) == 9
    open_after = [r for r in plan["rooms"] if r["decision"] in ("keep", "open")]
    council_open = sorted(r["id"] for r in open_after if owner(cheshire, r["site"]) in councils)
    assert len(council_open) == 2, council_open
    assert council_open == ["county-hall-dc", "northwich-dc"]  # the README's story

    council_desks_before = [d for d in inv.service_desks if owner(cheshire, d.site) in councils]
    assert len(council_desks_before) == 9
    council_desks_open = [
        d["id"]
        for d in plan["desks"]
        if d["decision"] == "keep" and owner(cheshire, d["site"]) in councils
    ]
    assert council_desks_open == ["cc-desk"]
    cc = next(d for d in plan["desks"] if d["id"] == "cc-desk")
    assert cc["fte"] == 20  # 122,500 / 6,400 = 19.1, rounded up

    # police and NHS rooms never host council zones; partners' systems stay in theirs
    zone_of = {w.id: w.zone for w in inv.workloads}
    org_of = {w.id: w.organisation for w in inv.workloads}
    hosted: dict[str, set[str]] = {}
    for a in plan["assignments"]:
        hosted.setdefault(a["to"], set()).add(zone_of[a["workload"]])
        room_owner = owner(cheshire, inv.room[a["to"]].site)
        if org_of[a["workload"]] in councils:
            assert room_owner in councils or inv.room[a["to"]].status == "candidate"
    for r in inv.rooms:
        kind = inv.organisation[owner(cheshire, r.site)].kind
        if kind in ("police", "nhs"):
            assert hosted.get(r.id, set()) <= {kind}, (r.id, hosted.get(r.id))
        zones = hosted.get(r.id, set())
        assert "police" not in zones or zones == {"police"}, (r.id, zones)
        assert not {"nhs", "official"} <= zones, (r.id, zones)

    # The PASF and NHS suites (spec/decisions.md) do not pay under the README's assumed
    # costs: the partners keep their rooms, and no upgrade is bought.
    rooms = {r["id"]: r for r in plan["rooms"]}
    for suite, parent in (
        ("county-hall-police-suite", "county-hall-dc"),
        ("northwich-nhs-suite", "northwich-dc"),
    ):
        assert rooms[suite]["decision"] == "unused"
        assert rooms[suite]["within"] == parent
    assert rooms["northwich-nhs-suite"]["upgrades_bought"] == []
    assert rooms["police-dr-mr"]["decision"] == rooms["pct-mr"]["decision"] == "keep"


@pytest.mark.slow
def test_cheshire_readme_states_what_the_suites_would_cost(cheshire: Loaded) -> None:
    """The README quotes the measured reasons of the two unused suites; they stay true."""
    options = OptimiseOptions(time_limit_s=120, workers=2, explain_reasons=True)
    plan: dict[str, Any] = optimise(cheshire, options).plan
    readme = (CHESHIRE / "README.md").read_text(encoding="utf-8")
    for suite in ("county-hall-police-suite", "northwich-nhs-suite"):
        reason = next(r["reason"] for r in plan["rooms"] if r["id"] == suite)
        assert reason.startswith("opening it would cost GBP "), reason
        assert f'`{suite}`: "{reason}' in readme.replace("\n  ", " "), reason
