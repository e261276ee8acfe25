"""planner.inventory.graph against brute force, and the `planner graph` command.

The latency oracle (Dijkstra with a cutoff, exact answers past it, components
for unreachable pairs) is checked against a Floyd-Warshall written here, on
random small networks with several networks, parallel links, self-links and
disconnected parts. Latencies are multiples of 0.25 so sums are exact.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from pathlib import Path

import networkx as nx
import pytest
from conftest import VALID_SMALL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app
from planner.inventory.graph import UNREACHABLE, EstateGraph, NetworkLatency
from planner.inventory.items import (
    Dependency,
    Estate,
    Inventory,
    Link,
    Network,
    Organisation,
    Room,
    ServiceDesk,
    Site,
    Workload,
    Zone,
)
from planner.inventory.validate import load_and_validate

NETWORKS = ["n1", "n2", "n3"]
ACCREDITATIONS = ["acc1", "acc2"]
INF = math.inf


def floyd_warshall(
    sites: list[str], links: list[tuple[str, str, float, str]], networks: set[str]
) -> dict[tuple[str, str], float]:
    """All-pairs shortest latency over links whose network is in ``networks``."""
    dist = {(a, b): (0.0 if a == b else INF) for a in sites for b in sites}
    for a, b, ms, net in links:
        if net in networks and a != b:
            dist[a, b] = min(dist[a, b], ms)
            dist[b, a] = min(dist[b, a], ms)
    for k in sites:
        for i in sites:
            for j in sites:
                if dist[i, k] + dist[k, j] < dist[i, j]:
                    dist[i, j] = dist[i, k] + dist[k, j]
    return dist


latencies = st.integers(min_value=0, max_value=80).map(lambda q: q / 4)


@st.composite
def networks_of_sites(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str, float, str]]]:
    """Sites and links: several networks, parallel links, self-links, disconnected parts."""
    n = draw(st.integers(min_value=1, max_value=7))
    sites = [f"s{i}" for i in range(n)]
    site = st.sampled_from(sites)
    links = draw(st.lists(st.tuples(site, site, latencies, st.sampled_from(NETWORKS)), max_size=14))
    if links and draw(st.booleans()):  # a parallel link on the same network
        a, b, _ms, net = links[0]
        links.append((b, a, draw(latencies), net))
    return sites, links


@st.composite
def inventories(draw: st.DrawFn) -> Inventory:
    sites, links = draw(networks_of_sites())
    site = st.sampled_from(sites)
    zones = [
        Zone(
            id=f"z{i}",
            networks=draw(st.lists(st.sampled_from(NETWORKS), unique=True)),
            requires=draw(st.lists(st.sampled_from(ACCREDITATIONS), unique=True)),
        )
        for i in range(draw(st.integers(min_value=1, max_value=3)))
    ]
    rooms = []
    for i in range(draw(st.integers(min_value=1, max_value=5))):
        close = draw(st.booleans())
        rooms.append(
            Room(
                id=f"r{i}",
                site=draw(site),
                racks=draw(st.integers(min_value=0, max_value=6)),
                power_kw=draw(st.integers(min_value=0, max_value=20)),
                annual_cost=1000,
                accreditations=draw(st.lists(st.sampled_from(ACCREDITATIONS), unique=True)),
                status=draw(st.sampled_from(["existing", "candidate"])),
                close=close,
                keep=not close and draw(st.booleans()),
            )
        )
    n_workloads = draw(st.integers(min_value=1, max_value=6))
    workload_ids = [f"w{i}" for i in range(n_workloads)]
    workloads = [
        Workload(
            id=wid,
            organisation="o",
            zone=draw(st.sampled_from([*(z.id for z in zones), "z-undefined"])),
            room=draw(st.sampled_from([r.id for r in rooms])),
            racks=draw(st.integers(min_value=0, max_value=4)),
            power_kw=draw(st.integers(min_value=0, max_value=12)),
            users=draw(st.lists(site, unique=True, max_size=3)),
            max_latency_ms=draw(st.none() | latencies),
            depends_on=[
                Dependency(workload=other, max_latency_ms=draw(latencies))
                for other in draw(st.lists(st.sampled_from(workload_ids), max_size=2))
            ],
            pinned=draw(st.booleans()),
        )
        for wid in workload_ids
    ]
    return Inventory(
        estate=Estate(name="random", start=dt.date(2027, 4, 1)),
        zones=zones,
        networks=[Network(id=n) for n in NETWORKS],
        organisations=[Organisation(id="o", desk="d")],
        sites=[Site(id=s, organisation="o", lat=52, lon=-2) for s in sites],
        links=[Link(a=a, b=b, network=net, latency_ms=ms) for a, b, ms, net in links],
        rooms=rooms,
        service_desks=[
            ServiceDesk(
                id="d", site=sites[0], seats=1, fixed_cost=0, cost_per_fte=0, tickets_per_fte=1
            )
        ],
        workloads=workloads,
    )


def _links(inv: Inventory) -> list[tuple[str, str, float, str]]:
    return [(lk.a, lk.b, lk.latency_ms, lk.network) for lk in inv.links]


SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --------------------------------------------------------------------------- latency


@SETTINGS
@given(
    net=networks_of_sites(),
    networks=st.sets(st.sampled_from(NETWORKS)),
    cutoff=st.none() | latencies,
    data=st.data(),
)
def test_network_latency_matches_floyd_warshall(
    net: tuple[list[str], list[tuple[str, str, float, str]]],
    networks: set[str],
    cutoff: float | None,
    data: st.DataObject,
) -> None:
    sites, links = net
    oracle = NetworkLatency(
        sites, [(a, b, ms) for a, b, ms, n in links if n in networks], cutoff=cutoff
    )
    expected = floyd_warshall(sites, links, networks)
    # Ask in a random order: the oracle caches per source and may swap a pair's ends.
    pairs = data.draw(st.permutations(list(itertools.product(sites, sites))))
    for a, b in pairs:
        assert oracle.latency(a, b) == expected[a, b], (a, b, cutoff)
    for source in sites:
        near = oracle.within(source)
        limit = INF if cutoff is None else cutoff
        reach = {b: expected[source, b] for b in sites if expected[source, b] < INF}
        assert near == {b: ms for b, ms in reach.items() if ms <= limit}, (source, cutoff)
    components = {frozenset(c) for c in oracle.components}
    assert set().union(*components) == set(sites)
    for a, b in itertools.product(sites, sites):
        same = oracle.component_of[a] == oracle.component_of[b]
        assert same == (expected[a, b] < INF)


def test_unknown_site_reaches_only_itself() -> None:
    oracle = NetworkLatency(["a", "b"], [("a", "b", 1.0)], cutoff=0)
    assert oracle.latency("x", "x") == 0
    assert oracle.latency("x", "a") == UNREACHABLE
    assert oracle.latency("a", "x") == UNREACHABLE
    assert oracle.latency("b", "a") == 1.0  # beyond the cutoff: answered exactly


@SETTINGS
@given(inv=inventories())
def test_zone_and_dependency_latency(inv: Inventory) -> None:
    eg = EstateGraph(inv)
    sites = [s.id for s in inv.sites]
    links = _links(inv)
    by_zone = {z.id: floyd_warshall(sites, links, set(z.networks)) for z in inv.zones}
    for z in inv.zones:
        for a, b in itertools.product(sites, sites):
            assert eg.zone_latency(z.id, a, b) == by_zone[z.id][a, b]
    for z1, z2 in itertools.product(inv.zones, inv.zones):
        common = floyd_warshall(sites, links, set(z1.networks) & set(z2.networks))
        for a, b in itertools.product(sites, sites):
            assert eg.dependency_latency(z1.id, z2.id, a, b) == common[a, b]
    assert eg.zone_latency("no-such-zone", sites[0], sites[0]) == 0
    if len(sites) > 1:
        assert eg.zone_latency("no-such-zone", sites[0], sites[1]) == UNREACHABLE


# --------------------------------------------------------------------------- rooms


def brute_force_rooms(inv: Inventory, w: Workload) -> list[str]:
    """Rooms that may host w: pinned, close, accreditation, size, every user's latency."""
    zone = inv.zone.get(w.zone)
    requires = set(zone.requires) if zone else set()
    dist = floyd_warshall(
        [s.id for s in inv.sites], _links(inv), set(zone.networks) if zone else set()
    )
    out = []
    for r in inv.rooms:
        if w.pinned and r.id != w.room:
            continue
        if r.close or not requires <= set(r.accreditations):
            continue
        if w.racks > r.racks or w.power_kw > r.power_kw:
            continue
        reach = [dist[u, r.site] for u in w.users]
        if any(ms == INF for ms in reach):
            continue
        if w.max_latency_ms is not None and any(ms > w.max_latency_ms for ms in reach):
            continue
        out.append(r.id)
    return out


@SETTINGS
@given(inv=inventories())
def test_admissible_rooms_match_brute_force(inv: Inventory) -> None:
    eg = EstateGraph(inv)
    for w in inv.workloads:
        expected = brute_force_rooms(inv, w)
        assert eg.admissible_rooms(w) == expected, w
        for r in inv.rooms:  # exclusions() agrees with the filter, room by room
            if not w.pinned:
                assert (eg.exclusions(w, r) == []) == (r.id in expected), (w, r)


@SETTINGS
@given(inv=inventories())
def test_dependency_groups(inv: Inventory) -> None:
    g = nx.Graph()
    for w in inv.workloads:
        for d in w.depends_on:
            if d.workload != w.id:
                g.add_edge(w.id, d.workload)
    # Independent of networkx's components: grow each group by hand.
    groups: list[set[str]] = []
    for start in sorted(g.nodes):
        if any(start in grp for grp in groups):
            continue
        grp, todo = {start}, [start]
        while todo:
            for nxt in g.neighbors(todo.pop()):
                if nxt not in grp:
                    grp.add(nxt)
                    todo.append(nxt)
        groups.append(grp)
    expected = sorted((sorted(grp) for grp in groups), key=lambda c: (-len(c), c[0]))
    assert EstateGraph(inv).dependency_groups == expected


def test_graph_of_valid_small() -> None:
    eg = EstateGraph(load_and_validate(VALID_SMALL).inventory)
    assert eg.kind_counts() == {"organisation": 2, "site": 3, "room": 3, "desk": 2, "workload": 6}
    assert eg.edge_counts()["network-link"] == 4
    assert eg.dependency_groups == [["alpha-care", "alpha-care-db"], ["alpha-finance", "beta-revs"]]
    assert eg.zone_latency("official", "alpha-depot", "beta-house") == 6  # direct, not 3 + 5
    assert eg.zone_latency("health", "alpha-hall", "beta-house") == UNREACHABLE
    assert eg.unreachable_pairs() == []
    assert eg.network_components() == {
        "wan": [{"alpha-hall", "alpha-depot", "beta-house"}],
        "hscn": [{"alpha-hall", "alpha-depot"}],
    }


# --------------------------------------------------------------------------- the command


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_graph_summary() -> None:
    code, output = run("graph", str(VALID_SMALL))
    assert code == 0, output
    assert "Valid small test estate: 16 nodes, 37 edges" in output
    assert "desk 2, organisation 2, room 3, site 3, workload 6" in output
    assert "dependency groups: 2 (largest 2 workloads)" in output
    assert "wan: 1 component(s) of sizes 3" in output
    assert "unreachable (user site -> today's room) pairs: 0" in output


def _expected_graph() -> nx.MultiGraph:
    return EstateGraph(load_and_validate(VALID_SMALL).inventory).g


def test_export_graphml(tmp_path: Path) -> None:
    out = tmp_path / "estate.graphml"
    code, output = run("graph", str(VALID_SMALL), "--format", "graphml", "--out", str(out))
    assert code == 0, output
    g = nx.read_graphml(out)
    want = _expected_graph()
    assert set(g.nodes) == set(want.nodes)
    assert g.number_of_edges() == want.number_of_edges()
    assert g.nodes["room:hall-mr"]["kind"] == "room"
    assert g.nodes["room:hall-mr"]["racks"] == 10
    kinds = sorted(d["kind"] for _, _, d in g.edges(data=True))
    assert kinds == sorted(d["kind"] for _, _, d in want.edges(data=True))


def test_export_json(tmp_path: Path) -> None:
    out = tmp_path / "estate.json"
    code, output = run("graph", str(VALID_SMALL), "-f", "json", "-o", str(out))
    assert code == 0, output
    data = json.loads(out.read_text())
    want = _expected_graph()
    assert {n["id"] for n in data["nodes"]} == set(want.nodes)
    assert len(data["edges"]) == want.number_of_edges()
    g = nx.node_link_graph(data, edges="edges")
    assert g.number_of_edges() == want.number_of_edges()


def test_export_dot(tmp_path: Path) -> None:
    out = tmp_path / "estate.dot"
    code, output = run("graph", str(VALID_SMALL), "--format", "dot", "--out", str(out))
    assert code == 0, output
    text = out.read_text()
    assert text.startswith('graph "Valid small test estate" {')
    assert text.rstrip().endswith("}")
    for node in _expected_graph().nodes:
        assert f'"{node}" [' in text, node
    assert text.count(" -- ") == _expected_graph().number_of_edges()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "dot"], "--format and --out go together"),
        (["--out", "x.dot"], "--format and --out go together"),
        (["--format", "png", "--out", "x.png"], "--format must be graphml, dot or json"),
        (["--format", "dot", "--out", "/nonexistent/dir/x.dot"], "cannot write"),
    ],
)
def test_graph_usage_errors(args: list[str], needle: str) -> None:
    code, output = run("graph", str(VALID_SMALL), *args)
    assert code == 2
    assert needle in output


def test_graph_of_a_broken_estate_exits_2() -> None:
    code, output = run("graph", str(VALID_SMALL.parent / "broken" / "dangling-workload-room"))
    assert code == 2
    assert "no room has id 'house-mx'" in output
