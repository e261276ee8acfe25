"""Writing an inventory back to YAML, CSV and XLSX: every format reads back equal."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.generate import generate
from planner.inventory.items import (
    DATE_MAX,
    DATE_MIN,
    DAYS_MAX,
    DISTANCE_MAX_KM,
    LATENCY_MAX_MS,
    MONEY_MAX,
    OPS_FTE_MAX,
    RACKS_MAX,
    SEATS_MAX,
    TICKETS_MAX,
    TICKETS_PER_FTE_MAX,
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
from planner.inventory.load import load_estate
from planner.inventory.write import (
    UnrepresentableError,
    organisation_files,
    split_order,
    write_csv,
    write_xlsx,
    write_yaml,
)

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "inventories" / "tiny"


def _load(path: Path) -> Inventory:
    loaded = load_estate(path)
    assert loaded.findings.items == [], [p.render() for p in loaded.findings.items]
    return loaded.inventory


def _round_trips(inv: Inventory, tmp: Path) -> None:
    """Every writer's output reads back as the inventory (split: in split order)."""
    write_yaml(inv, tmp / "single", "single")
    assert _load(tmp / "single") == inv
    write_yaml(inv, tmp / "split", "organisation")
    assert _load(tmp / "split") == split_order(inv)
    write_csv(inv, tmp / "csv")
    assert _load(tmp / "csv") == inv
    write_xlsx(inv, tmp / "xlsx" / "estate.xlsx")
    assert _load(tmp / "xlsx" / "estate.xlsx") == inv
    assert _load(tmp / "xlsx") == inv


# --------------------------------------------------------------------------- real estates


BUNDLED = sorted(
    p.parent
    for p in (ROOT / "inventories").glob("*/estate.yaml")  # also the example's base/
) + sorted(p.parent for p in (ROOT / "inventories").glob("*/base/estate.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_estates_round_trip(path: Path, tmp_path: Path) -> None:
    _round_trips(_load(path), tmp_path)


@pytest.mark.skipif(not TINY.is_dir(), reason="inventories/tiny not written yet")
def test_tiny_split_layout(tmp_path: Path) -> None:
    inv = _load(TINY)
    # tiny's items are grouped by organisation already, so even the split layout is exact
    write_yaml(inv, tmp_path, "organisation")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "brookford.yaml",
        "estate.yaml",
        "midshire.yaml",
    ]
    assert _load(tmp_path) == inv


def test_generated_round_trips(tmp_path: Path) -> None:
    inv = generate(4, seed=11)
    _round_trips(inv, tmp_path)
    # a generated estate is in split order: the split files read back exactly
    assert split_order(inv) == inv


def test_split_order_regroups_items(tmp_path: Path) -> None:
    """Items of organisations interleaved in the inventory come back grouped by file."""
    inv = Inventory(
        estate=Estate(name="x", start=dt.date(2027, 4, 1)),
        organisations=[
            Organisation(id="zeta", desk="dz"),
            Organisation(id="alpha", desk="da"),
        ],
        sites=[
            Site(id="s-z", organisation="zeta", lat=52, lon=-1),
            Site(id="s-a", organisation="alpha", lat=52, lon=-1),
            Site(id="s-orphan", organisation="nobody", lat=52, lon=-1),
        ],
        service_desks=[
            ServiceDesk(
                id="dz", site="s-z", seats=1, fixed_cost=0, cost_per_fte=0, tickets_per_fte=1
            ),
            ServiceDesk(
                id="da", site="s-a", seats=1, fixed_cost=0, cost_per_fte=0, tickets_per_fte=1
            ),
        ],
    )
    write_yaml(inv, tmp_path, "organisation")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha.yaml", "estate.yaml", "zeta.yaml"]
    back = _load(tmp_path)
    assert back == split_order(inv)
    assert back != inv
    assert [o.id for o in back.organisations] == ["alpha", "zeta"]
    # the orphan site (unknown organisation) stays in estate.yaml, read between the two
    assert [s.id for s in back.sites] == ["s-a", "s-orphan", "s-z"]


def test_organisation_file_names_are_safe_and_distinct() -> None:
    inv = Inventory(
        estate=Estate(name="x", start=dt.date(2027, 4, 1)),
        organisations=[
            Organisation(id="estate", desk="d"),
            Organisation(id="Worcester", desk="d"),
            Organisation(id="worcester", desk="d"),
            Organisation(id="a/b", desk="d"),
            Organisation(id=".hidden", desk="d"),
        ],
    )
    names = organisation_files(inv)
    assert names == {
        "estate": "estate-2.yaml",
        "Worcester": "Worcester.yaml",
        "worcester": "worcester-2.yaml",
        "a/b": "a_b.yaml",
        ".hidden": "hidden.yaml",
    }


def test_yaml_is_readable(tmp_path: Path) -> None:
    inv = generate(1, seed=3)
    write_yaml(inv, tmp_path, "single", header="Made by a test\nsecond line")
    text = (tmp_path / "estate.yaml").read_text()
    assert text.startswith("# Made by a test\n# second line\n\nestate:\n  name: ")
    assert "\n\nworkloads:\n- id: " in text  # block style, a blank line between sections
    assert "  users: [" in text  # short lists in flow style
    assert "- {a: " in text  # links one per line
    assert "pinned: false" not in text  # defaults are left out ...
    assert "  horizon_years: 5\n" in text  # ... except in the estate block
    assert "racks: 0.25\n" in text
    assert ".0\n" not in text.split("workloads:")[1]


def test_writers_refuse_to_mix_with_old_files(tmp_path: Path) -> None:
    inv = generate(1, seed=1)
    write_csv(inv, tmp_path)
    with pytest.raises(FileExistsError, match="already holds inventory files"):
        write_yaml(inv, tmp_path, "single")
    (tmp_path / "notes.txt").write_text("kept")
    write_yaml(inv, tmp_path, "single", overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["estate.yaml", "notes.txt"]
    write_xlsx(inv, tmp_path / "book.xlsx")
    with pytest.raises(FileExistsError):
        write_xlsx(inv, tmp_path / "book.xlsx")
    write_xlsx(inv, tmp_path / "book.xlsx", overwrite=True)


def test_tables_refuse_what_they_cannot_express(tmp_path: Path) -> None:
    base = Inventory(estate=Estate(name="x", start=dt.date(2027, 4, 1), shared_service=[]))
    with pytest.raises(UnrepresentableError, match="shared_service"):
        write_csv(base, tmp_path / "csv")
    with pytest.raises(UnrepresentableError, match="shared_service"):
        write_xlsx(base, tmp_path / "x.xlsx")
    write_yaml(base, tmp_path / "yaml", "single")
    assert _load(tmp_path / "yaml") == base
    cr = Inventory(estate=Estate(name="line\rbreak", start=dt.date(2027, 4, 1)))
    with pytest.raises(UnrepresentableError, match="carriage return"):
        write_xlsx(cr, tmp_path / "cr.xlsx")
    write_csv(cr, tmp_path / "cr-csv")
    assert _load(tmp_path / "cr-csv") == cr


# --------------------------------------------------------------------------- adversarial values

TRICKY_TEXT = [
    "yes", "No", "on", "null", "~", "true", "1.5", "010", "0x1F", "1e3", "1_000", ".inf",
    "2020-01-01", "=SUM(A1:A2)", "#N/A", "a: b", "- x", "'q'", '"dq"', "#comment", "[x]",
    "{y}", "a,b", "semi;colon", "ünïcödé €", "line\nbreak", "tab\tinside", "@at", "%pct",
    "!tag", "&anchor", "*alias", "|", ">", "?", "x\u2028y", "x\x85y", "+44 1905", "-5",
    "'=q", "''=q", "'-", "'plain", "'", "=", "@",
]  # fmt: skip
TRICKY_IDS = [
    "yes", "null", "1.5", "010", "2020-01-01", "=x", "#N/A", "a:b", "x,y", "é", "1e3",
    "true", "-", "[a]", "{b}", "a'b", 'a"b', "0", "+1", "-5", "@a", "'=x", "'-1", "'",
]  # fmt: skip

texts = st.one_of(
    st.sampled_from(TRICKY_TEXT),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
)
ids = st.one_of(
    st.sampled_from(TRICKY_IDS),
    st.text(
        st.characters(
            exclude_categories=("Cs", "Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"),
            exclude_characters=";",
        ),
        min_size=1,
        max_size=8,
    ).filter(lambda s: s.strip() == s and s.isprintable() and not any(c.isspace() for c in s)),
)


def _bounded(top: float, sampled: list[float]) -> st.SearchStrategy[float]:
    """Any float from 0 to ``top`` (awkward ones first): money, distances, FTE."""
    return st.one_of(
        st.sampled_from([x for x in sampled if x <= top]),
        st.floats(min_value=0, max_value=top, allow_nan=False, allow_infinity=False),
        st.integers(min_value=0, max_value=int(top)).map(float),
    )


def _decimals(top: int, places: int) -> st.SearchStrategy[float]:
    """Floats from 0 to ``top`` with at most ``places`` decimal places (racks, days, ms)."""
    return st.integers(min_value=0, max_value=top * 10**places).map(lambda n: n / 10**places)


AWKWARD = [0.0, 0.1, 0.1 + 0.2, 1 / 3, 1e-7, 2.5e-300, 123456789.123456789]
amounts = _bounded(MONEY_MAX, AWKWARD)
racks = _decimals(RACKS_MAX, 3)
person_days = _decimals(DAYS_MAX, 2)
latencies = _decimals(LATENCY_MAX_MS, 3)
dates = st.dates(min_value=DATE_MIN, max_value=DATE_MAX)
id_lists = st.lists(ids, max_size=3)


def _unique(items: list[Any]) -> list[Any]:
    """The first item of each id (the loader reports and drops later duplicates)."""
    seen: set[str] = set()
    out = []
    for it in items:
        if it.id not in seen:
            seen.add(it.id)
            out.append(it)
    return out


@st.composite
def inventories(draw: Any) -> Inventory:
    estate = Estate(
        name=draw(texts.filter(lambda s: s.strip() != "")),
        start=draw(dates),
        horizon_years=draw(st.integers(1, 30)),
        discount_rate=draw(st.floats(0, 1)),
        migration_days_per_month=draw(person_days),
        dr_min_distance_km=draw(_bounded(DISTANCE_MAX_KM, AWKWARD)),
        shared_service=draw(st.one_of(st.none(), st.lists(ids, min_size=1, max_size=3))),
    )
    zones = [
        Zone(
            id=draw(ids),
            name=draw(texts),
            networks=draw(id_lists),
            requires=draw(id_lists),
            isolation=draw(st.sampled_from(["none", "room"])),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    orgs = [
        Organisation(
            id=draw(ids),
            name=draw(texts),
            kind=draw(st.sampled_from(["county", "district", "police", "other"])),
            tickets_per_year=draw(st.integers(0, TICKETS_MAX)),
            vetting=draw(id_lists),
            desk=draw(ids),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    sites = [
        Site(
            id=draw(ids),
            organisation=draw(st.sampled_from([o.id for o in orgs]) if orgs else ids),
            name=draw(texts),
            lat=draw(st.floats(-90, 90)),
            lon=draw(st.floats(-180, 180)),
            flood_zone=draw(st.integers(1, 3)),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    links = [
        Link(
            a=draw(ids),
            b=draw(ids),
            network=draw(ids),
            latency_ms=draw(latencies),
            bandwidth_mbps=draw(st.one_of(st.none(), st.floats(1e-3, 1e6))),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    site_ids = st.sampled_from([s.id for s in sites]) if sites else ids
    rooms = []
    for _ in range(draw(st.integers(0, 2))):
        keep = draw(st.booleans())
        rooms.append(
            Room(
                id=draw(ids),
                site=draw(site_ids),
                name=draw(texts),
                racks=draw(racks),
                power_kw=draw(racks),
                annual_cost=draw(amounts),
                closure_cost=draw(amounts),
                accreditations=draw(id_lists),
                earliest_close=draw(st.one_of(st.none(), dates)),
                status=draw(st.sampled_from(["existing", "candidate"])),
                open_cost=draw(amounts),
                ops_fte=draw(_bounded(OPS_FTE_MAX, AWKWARD)),
                keep=keep,
                close=not keep and draw(st.booleans()),
            )
        )
    desks = [
        ServiceDesk(
            id=draw(ids),
            site=draw(site_ids),
            name=draw(texts),
            seats=draw(st.integers(0, SEATS_MAX)),
            fixed_cost=draw(amounts),
            cost_per_fte=draw(amounts),
            tickets_per_fte=draw(_decimals(TICKETS_PER_FTE_MAX, 4).filter(lambda x: x > 0)),
            vetting=draw(id_lists),
            closure_cost=draw(amounts),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    workloads = []
    for _ in range(draw(st.integers(0, 3))):
        window = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
        workloads.append(
            Workload(
                id=draw(ids),
                organisation=draw(ids),
                name=draw(texts),
                zone=draw(ids),
                room=draw(ids),
                racks=draw(racks),
                power_kw=draw(racks),
                users=draw(id_lists),
                max_latency_ms=draw(st.one_of(st.none(), latencies)),
                depends_on=[
                    Dependency(workload=draw(ids), max_latency_ms=draw(latencies))
                    for _ in range(draw(st.integers(0, 2)))
                ],
                distinct_site_from=draw(id_lists),
                migration_cost=draw(amounts),
                migration_days=draw(person_days),
                not_before=window[0] if draw(st.booleans()) else None,
                not_after=window[1] if draw(st.booleans()) else None,
                pinned=draw(st.booleans()),
            )
        )
    networks = [Network(id=draw(ids), name=draw(texts)) for _ in range(draw(st.integers(0, 2)))]
    return Inventory(
        estate=estate,
        zones=_unique(zones),
        separate=draw(st.lists(st.tuples(ids, ids), max_size=2)),
        networks=_unique(networks),
        organisations=_unique(orgs),
        sites=_unique(sites),
        links=links,
        rooms=_unique(rooms),
        service_desks=_unique(desks),
        workloads=_unique(workloads),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inv=inventories())
def test_any_inventory_round_trips(
    inv: Inventory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Awkward text (YAML keywords, numbers, formulas), floats and dates survive every format.

    The loader does not check references, so an inventory need not be valid to round-trip.
    """
    _round_trips(inv, tmp_path_factory.mktemp("rt"))


# --------------------------------------------------------------------------- formula injection


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    """Text a spreadsheet would run (=, +, -, @) gets a leading apostrophe in CSV; numbers
    such as a negative longitude do not; the reader removes exactly that apostrophe."""
    inv = Inventory(
        estate=Estate(name='=HYPERLINK("http://x","y")', start=dt.date(2027, 4, 1)),
        organisations=[
            Organisation(id="-org", name="+44 1905 000000", desk="@desk", vetting=["=v"]),
        ],
        sites=[Site(id="'=site", organisation="-org", name="'plain", lat=52.1, lon=-2.5)],
        separate=[("=a", "b")],
    )
    write_csv(inv, tmp_path / "csv")
    cells = {
        path.stem: list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        for path in (tmp_path / "csv").glob("*.csv")
    }
    assert cells["estate"][1][0] == '\'=HYPERLINK("http://x","y")'
    org = dict(zip(cells["organisations"][0], cells["organisations"][1], strict=True))
    assert (org["id"], org["name"], org["desk"], org["vetting"]) == (
        "'-org",
        "'+44 1905 000000",
        "'@desk",
        "'=v",
    )
    site = dict(zip(cells["sites"][0], cells["sites"][1], strict=True))
    assert (site["id"], site["organisation"], site["name"]) == ("''=site", "'-org", "'plain")
    assert site["lon"] == "-2.5"  # a number, not text: never escaped
    assert cells["separate"][1] == ["'=a", "b"]
    for rows in cells.values():
        for row in rows[1:]:
            for cell in row:
                assert not cell or (cell[0] not in "=+@" and not cell.startswith("-o")), cell
    assert _load(tmp_path / "csv") == inv
