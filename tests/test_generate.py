"""The estate generator: valid today, realistic in shape, deterministic for a seed."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.generate import LAT_RANGE, LON_RANGE, generate
from planner.inventory.graph import EstateGraph
from planner.inventory.items import COUNCIL_KINDS, Inventory
from planner.inventory.load import load_estate
from planner.inventory.validate import load_and_validate
from planner.inventory.write import split_order, write_yaml


def _written(inv: Inventory, path: Path) -> Path:
    write_yaml(inv, path)
    return path


def _assert_valid(path: Path) -> None:
    loaded = load_and_validate(path)
    assert loaded.findings.items == [], [p.render() for p in loaded.findings.items[:10]]


@pytest.mark.parametrize(("councils", "seed"), [(1, 0), (1, 7), (3, 1), (3, 42), (10, 5)])
def test_generated_estates_are_valid(councils: int, seed: int, tmp_path: Path) -> None:
    inv = generate(councils, seed)
    path = _written(inv, tmp_path / "estate")
    _assert_valid(path)  # no errors and no warnings
    assert load_estate(path).inventory == inv  # returned in split order
    assert sum(o.kind in COUNCIL_KINDS for o in inv.organisations) == councils


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(councils=st.integers(1, 9), seed=st.integers(0, 2**32))
def test_any_small_estate_is_valid(
    councils: int, seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _assert_valid(_written(generate(councils, seed), tmp_path_factory.mktemp("g")))


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    def files(seed: int, name: str) -> dict[str, bytes]:
        out = _written(generate(6, seed), tmp_path / name)
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    first, again, other = files(3, "a"), files(3, "b"), files(4, "c")
    assert first == again
    assert first != other


def test_rejects_no_councils() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(0)


def test_structure_and_ranges() -> None:
    inv = generate(40, seed=2)
    kinds = Counter(o.kind for o in inv.organisations)
    assert sum(kinds[k] for k in COUNCIL_KINDS) == 40
    assert kinds["county"] >= 1  # 40 councils: some two-tier areas
    assert 3 * kinds["county"] <= kinds["district"] <= 7 * kinds["county"]
    assert kinds["police"] >= 1
    assert kinds["nhs"] >= 1
    assert {z.id: z.networks for z in inv.zones} == {
        "official": ["psn", "wan"],
        "police": ["psnp"],
        "nhs": ["hscn"],
    }
    assert inv.separate == [("nhs", "official")]
    assert split_order(inv) == inv

    for s in inv.sites:
        assert LAT_RANGE[0] <= s.lat <= LAT_RANGE[1]
        assert LON_RANGE[0] <= s.lon <= LON_RANGE[1]

    sites_of: dict[str, int] = Counter(s.organisation for s in inv.sites)
    site_org = {s.id: s.organisation for s in inv.sites}
    existing = [r for r in inv.rooms if r.status == "existing"]
    candidates = [r for r in inv.rooms if r.status == "candidate"]
    rooms_of = Counter(site_org[r.site] for r in existing)
    for o in inv.organisations:
        assert rooms_of[o.id] in (1, 2, 3)
        if o.kind in COUNCIL_KINDS:
            assert 1 <= sites_of[o.id] <= 3 + 2  # plus colocation sites of a lead council
    assert candidates
    assert all("psn" in r.accreditations and r.open_cost > 0 for r in candidates)
    assert sum(r.racks < 25 for r in existing) >= 0.6 * len(existing)

    racks: dict[str, float] = defaultdict(float)
    power: dict[str, float] = defaultdict(float)
    for w in inv.workloads:
        racks[w.room] += w.racks
        power[w.room] += w.power_kw
        assert 0.25 <= w.racks <= 3
        assert 0.5 <= w.power_kw <= 8
        assert w.power_kw <= 10 * w.racks
        assert w.max_latency_ms is not None
        assert 8 <= w.max_latency_ms <= 40
        assert 1 <= len(w.users) <= 3
        assert all(site_org[u] == w.organisation for u in w.users)
        assert 2000 <= w.migration_cost <= 60000
        assert 1 <= w.migration_days <= 20
        for dep in w.depends_on:
            assert 1 <= dep.max_latency_ms <= 5
            assert inv.workload[dep.workload].room == w.room  # co-located today
    for r in existing:
        assert 0 < racks[r.id] <= 0.7 * r.racks + 1e-9
        assert power[r.id] <= 0.75 * r.power_kw + 1e-9
        assert 60000 <= r.annual_cost <= 400000
        assert 20000 <= r.closure_cost <= 150000
    per_council = [
        sum(w.organisation == o.id for w in inv.workloads)
        for o in inv.organisations
        if o.kind in COUNCIL_KINDS
    ]
    assert all(20 <= n <= 60 for n in per_council)
    assert 32 <= statistics.mean(per_council) <= 48
    assert any(w.distinct_site_from for w in inv.workloads)
    assert any(w.pinned for w in inv.workloads)
    assert any(w.not_before for w in inv.workloads)
    assert any(w.not_after for w in inv.workloads)
    assert any(r.earliest_close for r in inv.rooms)

    for d in inv.service_desks:
        assert 20000 <= d.fixed_cost <= 80000
        assert 33000 <= d.cost_per_fte <= 40000
        assert 3000 <= d.tickets_per_fte <= 6400
    for o in inv.organisations:
        desk = inv.desk[o.desk]
        assert desk.seats > o.tickets_per_year / desk.tickets_per_fte  # headroom
        assert (o.vetting == ["npv3"]) == (o.kind == "police")


def test_admissible_rooms_are_regional() -> None:
    """Workloads reach rooms in their area and a neighbour's, not the whole country."""
    inv = generate(60, seed=9)
    graph = EstateGraph(inv)
    counts = [len(graph.admissible_rooms(w)) for w in inv.workloads if w.zone == "official"]
    assert min(counts) >= 1
    assert 5 <= statistics.median(counts) <= 60
    assert max(counts) < len(inv.rooms) / 2
