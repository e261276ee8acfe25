"""Write tests/data/broken/<case>/ and tests/data/warnings/<case>/ from tests/data/valid-small/.

Each case is the valid-small estate with exactly one defect (or, under warnings/,
one suspicious but legal change), plus ``expected.txt``: a comment line saying
what is wrong, then one substring per line that ``planner validate`` must print
(the file, the item id, the field and the gist of the message).

The cases are committed; run this script after changing valid-small or a case:

    python tests/data/make_cases.py

``tests/test_validate_cases.py`` checks that the committed tree matches what this
script writes, so a case cannot drift from its base estate unnoticed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
BASE = HERE / "valid-small"

Files = dict[str, str | bytes]
"""File name -> text (written as UTF-8) or bytes."""


def sub(files: Files, name: str, old: str, new: str) -> int:
    """Replace the one occurrence of ``old`` in a file; return the 1-based line where it starts."""
    text = files[name]
    assert isinstance(text, str)
    count = text.count(old)
    if count != 1:
        raise ValueError(f"{name}: {old!r} occurs {count} times, not once")
    at = text.index(old)
    files[name] = text.replace(old, new)
    return text[:at].count("\n") + 1


def line_of(files: Files, name: str, needle: str) -> int:
    """1-based line of the one occurrence of ``needle`` in a file."""
    text = files[name]
    assert isinstance(text, str)
    assert text.count(needle) == 1, (name, needle)
    return text[: text.index(needle)].count("\n") + 1


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV text, columns in first-seen order, lists ';'-joined."""
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(v) for k, v in row.items()})
    return out.getvalue()


def cell(value: Any) -> Any:
    """A YAML value as one CSV/XLSX cell (the loader's conventions)."""
    if isinstance(value, list):
        parts = [
            f"{v['workload']}:{v['max_latency_ms']}" if isinstance(v, dict) else str(v)
            for v in value
        ]
        return ";".join(parts)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def xlsx_bytes(doc: dict[str, list[dict[str, Any]]]) -> bytes:
    """One sheet per section, header row = field names; fixed metadata so output is stable."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for section, rows in doc.items():
        sheet = book.create_sheet(section)
        columns: list[str] = []
        for row in rows:
            columns += [k for k in row if k not in columns]
        sheet.append(columns)
        for row in rows:
            sheet.append([cell(row.get(c)) for c in columns])
    stamp = dt.datetime(2027, 1, 1)
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- cases

Case = Callable[[Files], list[str]]
BROKEN: dict[str, tuple[str, Case]] = {}
WARNINGS: dict[str, tuple[str, Case]] = {}


def broken(name: str, what: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        BROKEN[name] = (what, fn)
        return fn

    return register


def warning(name: str, what: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        WARNINGS[name] = (what, fn)
        return fn

    return register


@broken("yaml-syntax", "a colon inside an unquoted value")
def _(f: Files) -> list[str]:
    line = sub(f, "alpha.yaml", "    name: Finance and payroll\n", "    name: Finance: payroll\n")
    return [f"alpha.yaml:{line}:", "YAML syntax error", "mapping values are not allowed here"]


@broken("duplicate-yaml-key", "a room's racks given twice")
def _(f: Files) -> list[str]:
    line = sub(f, "beta.yaml", "    racks: 4\n", "    racks: 4\n    racks: 6\n")
    return [f"beta.yaml:{line + 1}:", "'house-mr'", "field 'racks'", "appears twice"]


@broken("unknown-field", "a typo in an optional field name")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    closure_cost: 50000\n", "    closure_costs: 50000\n")
    return ["alpha.yaml:", "rooms 'hall-mr'", "field 'closure_costs'", "unknown field"]


@broken("wrong-type", "a word where a number belongs")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    racks: 4\n", "    racks: four\n")
    return ["beta.yaml:", "rooms 'house-mr'", "field 'racks'", "valid number", "'four'"]


@broken("missing-required-field", "a room without annual_cost")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    annual_cost: 80000\n", "")
    return ["beta.yaml:", "rooms 'house-mr'", "field 'annual_cost'", "required field is missing"]


@broken("duplicate-id", "a workload id used in two partners' files")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "  - id: beta-portal\n", "  - id: alpha-care-db\n")
    return ["beta.yaml:", "workloads 'alpha-care-db'", "field 'id'", "already used", "alpha.yaml:"]


@broken("dangling-room-site", "a room on a site that does not exist")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    site: alpha-depot\n", "    site: alpha-dep0t\n")
    return ["alpha.yaml:", "rooms 'depot-mr'", "field 'site'", "no site has id 'alpha-dep0t'"]


@broken("dangling-workload-room", "a workload in a room that does not exist")
def _(f: Files) -> list[str]:
    sub(
        f,
        "beta.yaml",
        "    zone: official\n    room: house-mr\n",
        "    zone: official\n    room: house-mx\n",
    )
    return ["beta.yaml:", "workloads 'beta-revs'", "field 'room'", "no room has id 'house-mx'"]


@broken("dangling-workload-zone", "a workload in a zone that does not exist")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    zone: official\n", "    zone: officail\n")
    return ["beta.yaml:", "workloads 'beta-revs'", "field 'zone'", "no zone has id 'officail'"]


@broken("dangling-workload-organisation", "a workload owned by an unknown organisation")
def _(f: Files) -> list[str]:
    sub(
        f,
        "beta.yaml",
        "    organisation: beta\n    name: Revenues",
        "    organisation: bta\n    name: Revenues",
    )
    return [
        "beta.yaml:",
        "workloads 'beta-revs'",
        "field 'organisation'",
        "no organisation has id 'bta'",
    ]


@broken("dangling-depends-on", "a dependency on an unknown workload")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "{workload: alpha-care-db,", "{workload: alpha-care-dbb,")
    return [
        "alpha.yaml:",
        "workloads 'alpha-care'",
        "field 'depends_on[0].workload'",
        "no workload has id 'alpha-care-dbb'",
    ]


@broken("dangling-distinct-site-from", "a DR pair naming an unknown workload")
def _(f: Files) -> list[str]:
    sub(
        f,
        "alpha.yaml",
        "distinct_site_from: [alpha-finance-dr]",
        "distinct_site_from: [alpha-finance-rd]",
    )
    return [
        "alpha.yaml:",
        "workloads 'alpha-finance'",
        "field 'distinct_site_from[0]'",
        "no workload has id 'alpha-finance-rd'",
    ]


@broken("dangling-link-end", "a link to an unknown site")
def _(f: Files) -> list[str]:
    line = sub(f, "links.yaml", "{a: alpha-depot, b: beta-house", "{a: alpha-depto, b: beta-house")
    return [
        f"links.yaml:{line}:",
        "links 'alpha-depto-beta-house'",
        "field 'a'",
        "no site has id 'alpha-depto'",
    ]


@broken("dangling-link-network", "a link on an unknown network")
def _(f: Files) -> list[str]:
    line = sub(
        f,
        "links.yaml",
        "b: beta-house, network: wan, latency_ms: 6",
        "b: beta-house, network: wna, latency_ms: 6",
    )
    return [
        f"links.yaml:{line}:",
        "links 'alpha-depot-beta-house'",
        "field 'network'",
        "no network has id 'wna'",
    ]


@broken("dangling-organisation-desk", "an organisation served by an unknown desk")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    desk: beta-desk\n", "    desk: beta-dsk\n")
    return [
        "beta.yaml:",
        "organisations 'beta'",
        "field 'desk'",
        "no service desk has id 'beta-dsk'",
    ]


@broken("dangling-separate-zone", "a separate pair naming an unknown zone")
def _(f: Files) -> list[str]:
    line = sub(f, "estate.yaml", "  - [health, official]\n", "  - [health, oficial]\n")
    return [
        f"estate.yaml:{line}:",
        "separate 'separate[0]'",
        "field '[1]'",
        "no zone has id 'oficial'",
    ]


@broken("dangling-users-site", "a workload used from an unknown site")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "users: [beta-house, alpha-hall]", "users: [beta-house, alpha-hal]")
    return [
        "beta.yaml:",
        "workloads 'beta-portal'",
        "field 'users[1]'",
        "no site has id 'alpha-hal'",
    ]


@broken("dangling-site-organisation", "a site owned by an unknown organisation")
def _(f: Files) -> list[str]:
    sub(
        f,
        "beta.yaml",
        "{id: beta-house, organisation: beta,",
        "{id: beta-house, organisation: betta,",
    )
    return [
        "beta.yaml:",
        "sites 'beta-house'",
        "field 'organisation'",
        "no organisation has id 'betta'",
    ]


@broken("dangling-desk-site", "a desk on an unknown site")
def _(f: Files) -> list[str]:
    sub(
        f,
        "alpha.yaml",
        "  - id: alpha-desk\n    site: alpha-hall\n",
        "  - id: alpha-desk\n    site: alpha-hal\n",
    )
    return [
        "alpha.yaml:",
        "service_desks 'alpha-desk'",
        "field 'site'",
        "no site has id 'alpha-hal'",
    ]


@broken("dangling-zone-network", "a zone carried on an unknown network")
def _(f: Files) -> list[str]:
    sub(
        f,
        "estate.yaml",
        "    name: Partner portals\n    networks: [wan]\n",
        "    name: Partner portals\n    networks: [wna]\n",
    )
    return ["estate.yaml:", "zones 'partner'", "field 'networks'", "no network has id 'wna'"]


@broken("negative-capacity", "a room with negative racks")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    racks: 4\n", "    racks: -4\n")
    return ["beta.yaml:", "rooms 'house-mr'", "field 'racks'", "greater than or equal to 0", "-4"]


@broken("negative-cost", "a room with a negative running cost")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    annual_cost: 150000\n", "    annual_cost: -150000\n")
    return ["alpha.yaml:", "rooms 'hall-mr'", "field 'annual_cost'", "may not be negative"]


@broken("accreditation-today", "health workloads in a room that lost its dspt accreditation")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    accreditations: [psn, dspt]\n", "    accreditations: [psn]\n")
    return ["alpha.yaml:", "workloads 'alpha-care'", "field 'room'", "requires dspt", "'depot-mr'"]


@broken("over-capacity-today", "a room with fewer racks than today's workloads take")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    racks: 4\n", "    racks: 2\n")
    return ["beta.yaml:", "rooms 'house-mr'", "field 'racks'", "take 3 racks but the room has 2"]


@broken("separation-today", "a separate pair for two zones that share a room today")
def _(f: Files) -> list[str]:
    sub(
        f,
        "estate.yaml",
        "  - [health, official]\n",
        "  - [health, official]\n  - [official, partner]\n",
    )
    return [
        "beta.yaml:",
        "rooms 'house-mr'",
        "hosts zones 'official' (alpha-finance-dr, beta-revs) and 'partner' (beta-portal)",
        "beta-portal",
        "beta-revs",
    ]


@broken("isolation-today", "an isolated zone that shares a room today")
def _(f: Files) -> list[str]:
    sub(
        f,
        "estate.yaml",
        "    name: Partner portals\n",
        "    name: Partner portals\n    isolation: room\n",
    )
    return [
        "beta.yaml:",
        "rooms 'house-mr'",
        "zone 'partner' (beta-portal) has isolation: room",
        "'official' (alpha-finance-dr, beta-revs)",
    ]


@broken("user-latency-today", "a user site further away today than the workload's limit")
def _(f: Files) -> list[str]:
    sub(
        f,
        "alpha.yaml",
        "    users: [alpha-hall]\n    max_latency_ms: 20\n",
        "    users: [alpha-hall]\n    max_latency_ms: 4\n",
    )
    return [
        "alpha.yaml:",
        "workloads 'alpha-finance-dr'",
        "field 'max_latency_ms'",
        "'alpha-hall' is 5 ms",
        "over the 4 ms limit",
    ]


@broken("dependency-latency-today", "two dependent workloads further apart today than allowed")
def _(f: Files) -> list[str]:
    sub(
        f,
        "beta.yaml",
        "{workload: alpha-finance, max_latency_ms: 10}",
        "{workload: alpha-finance, max_latency_ms: 3}",
    )
    return [
        "beta.yaml:",
        "workloads 'beta-revs'",
        "field 'depends_on[0].max_latency_ms'",
        "'alpha-finance' is 5 ms away",
        "over the 3 ms limit",
    ]


@broken("resilience-same-site-today", "a DR pair on the same site today")
def _(f: Files) -> list[str]:
    sub(
        f,
        "alpha.yaml",
        "    zone: official\n    room: house-mr\n",
        "    zone: official\n    room: hall-mr\n",
    )
    return [
        "alpha.yaml:",
        "workloads 'alpha-finance'",
        "field 'distinct_site_from[0]'",
        "same site 'alpha-hall'",
    ]


@broken("resilience-distance-today", "a DR pair closer today than dr_min_distance_km")
def _(f: Files) -> list[str]:
    sub(f, "estate.yaml", "  dr_min_distance_km: 5\n", "  dr_min_distance_km: 50\n")
    return [
        "alpha.yaml:",
        "workloads 'alpha-finance'",
        "field 'distinct_site_from[0]'",
        "26.1 km",
        "dr_min_distance_km 50",
    ]


@broken("no-possible-room", "health workloads whose only dspt room is marked close")
def _(f: Files) -> list[str]:
    sub(
        f,
        "alpha.yaml",
        "    earliest_close: 2028-03-31\n",
        "    earliest_close: 2028-03-31\n    close: true\n",
    )
    return [
        "alpha.yaml:",
        "workloads 'alpha-care'",
        "no room in the estate could ever host it",
        "accreditation rules out 2 room(s)",
        "requires dspt",
        "closing rules out 1 room(s)",
    ]


@broken("no-possible-desk", "an organisation needing a vetting no desk holds")
def _(f: Files) -> list[str]:
    sub(
        f,
        "beta.yaml",
        "    kind: district\n    tickets_per_year: 4000\n    vetting: []\n",
        "    kind: district\n    tickets_per_year: 4000\n    vetting: [npv3]\n",
    )
    return [
        "beta.yaml:",
        "organisations 'beta'",
        "field 'vetting'",
        "no service desk holds its vetting [npv3]",
    ]


@broken("desk-seats-today", "a desk with fewer seats than its demand needs today")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    seats: 4\n", "    seats: 1\n")
    return [
        "alpha.yaml:",
        "service_desks 'alpha-desk'",
        "field 'seats'",
        "needing 2 FTE",
        "has 1 seats",
    ]


@broken("candidate-room-hosts-workload", "a room that hosts workloads today marked as a candidate")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    ops_fte: 1\n", "    ops_fte: 1\n    status: candidate\n")
    return ["beta.yaml:", "workloads 'beta-revs'", "field 'room'", "'house-mr' is a candidate"]


@broken("no-estate-block", "the estate block removed")
def _(f: Files) -> list[str]:
    text = f["estate.yaml"]
    assert isinstance(text, str)
    start, end = text.index("estate:\n"), text.index("networks:\n")
    f["estate.yaml"] = text[:start] + text[end:]
    return ["error: estate", "no file holds the 'estate:' block"]


@broken("two-estate-blocks", "a second estate block in a partner's file")
def _(f: Files) -> list[str]:
    f["beta.yaml"] = "estate:\n  name: Beta's own\n  start: 2027-04-01\n\n" + str(f["beta.yaml"])
    return ["estate.yaml:4:", "second estate block", "beta.yaml:2"]


@broken("not-before-after-not-after", "a migration window that closes before it opens")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    not_before: 2027-09-01\n", "    not_before: 2029-09-01\n")
    return [
        "alpha.yaml:",
        "workloads 'alpha-care'",
        "field 'not_after'",
        "not_before 2029-09-01 is after not_after 2029-03-31",
    ]


@broken("keep-and-close", "a room both kept and closed")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    ops_fte: 2\n", "    ops_fte: 2\n    keep: true\n    close: true\n")
    return ["alpha.yaml:", "rooms 'hall-mr'", "field 'close'", "keep and close are both true"]


@broken("non-utf8-file", "a partner's file saved as Windows-1252")
def _(f: Files) -> list[str]:
    line = line_of(f, "beta.yaml", "name: Beta House")
    text = f["beta.yaml"]
    assert isinstance(text, str)
    f["beta.yaml"] = text.replace("name: Beta House", "name: Beta H\u00f6use").encode("cp1252")
    return [f"beta.yaml:{line}:", "not UTF-8", "save the file as UTF-8"]


@broken("csv-bad-number", "links given as CSV, one latency written with its unit")
def _(f: Files) -> list[str]:
    links = yaml.safe_load(str(f.pop("links.yaml")))["links"]
    links[2]["latency_ms"] = "6ms"
    f["links.csv"] = csv_text(links)
    return ["links.csv:4:", "links 'links[2]'", "field 'latency_ms'", "valid number", "'6ms'"]


@broken("xlsx-bad-cell", "a partner's file given as a workbook, one cell a word")
def _(f: Files) -> list[str]:
    doc = yaml.safe_load(str(f.pop("beta.yaml")))
    doc["rooms"][0]["racks"] = "four"
    f["beta.xlsx"] = xlsx_bytes(doc)
    return ["beta.xlsx:2:", "rooms 'house-mr'", "field 'racks'", "valid number", "'four'"]


@broken("csv-unknown-section", "a CSV file not named after a section")
def _(f: Files) -> list[str]:
    f["notes.csv"] = "id,name\nx,a note\n"
    return ["notes.csv", "unknown top-level key 'notes'", "name the file or sheet after a section"]


@broken("csv-separate-extra-cell", "separate given as CSV with a stray third cell")
def _(f: Files) -> list[str]:
    sub(f, "estate.yaml", "separate:\n  - [health, official]\n", "")
    f["separate.csv"] = "a,b\nhealth,official,oops\n"
    return ["separate.csv:2:", "separate 'separate[0]'", "more cells than columns", "'oops'"]


@broken("separate-bad-id", "a separate pair naming a zone with a space in it")
def _(f: Files) -> list[str]:
    line = sub(f, "estate.yaml", "  - [health, official]\n", "  - [health, 'off icial']\n")
    return [f"estate.yaml:{line}:", "separate 'separate[0]'", "ids may not contain spaces"]


@broken("unknown-top-level-key", "a top-level key that is not a section")
def _(f: Files) -> list[str]:
    f["estate.yaml"] = str(f["estate.yaml"]) + "\nnotes: remember the milk\n"
    return ["estate.yaml:", "unknown top-level key 'notes'"]


@broken("section-not-a-list", "a section written as a mapping")
def _(f: Files) -> list[str]:
    f["extra.yaml"] = "rooms:\n  id: annex\n"
    return ["extra.yaml:2:", "rooms", "'rooms' must be a list"]


@broken("file-not-a-mapping", "a YAML file holding a bare list")
def _(f: Files) -> list[str]:
    f["extra.yaml"] = "- just\n- a list\n"
    return ["extra.yaml", "must be a mapping of top-level keys"]


@broken("impossible-date", "a start date that does not exist (30 February)")
def _(f: Files) -> list[str]:
    line = sub(f, "estate.yaml", "  start: 2027-04-01\n", "  start: 2027-02-30\n")
    return [
        f"estate.yaml:{line}:",
        "estate field 'start'",
        "'2027-02-30' is not a real date",
        "day is out of range for month",
    ]


@broken("bad-yaml-tag", "an explicit !!float tag on a word")
def _(f: Files) -> list[str]:
    line = sub(f, "beta.yaml", "    racks: 4\n", "    racks: !!float four\n")
    return [f"beta.yaml:{line}:", "rooms 'house-mr'", "field 'racks'", "not a valid !!float"]


@broken("deep-nesting", "a name nested a thousand lists deep")
def _(f: Files) -> list[str]:
    line = sub(
        f,
        "alpha.yaml",
        "    name: Finance and payroll\n",
        "    name: " + "[" * 1000 + "]" * 1000 + "\n",
    )
    return [f"alpha.yaml:{line}:", "workloads 'alpha-finance'", "field 'name'", "nested more"]


@broken("infinite-cost", "a room whose running cost is .inf")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    annual_cost: 150000\n", "    annual_cost: .inf\n")
    return ["alpha.yaml:", "rooms 'hall-mr'", "field 'annual_cost'", "finite number"]


@broken("cost-over-the-limit", "a room whose running cost is above the money limit")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    annual_cost: 150000\n", "    annual_cost: 1e308\n")
    return ["alpha.yaml:", "rooms 'hall-mr'", "field 'annual_cost'", "1000000000"]


@broken("person-days-decimals", "person-days finer than the hundredths the optimiser plans")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    migration_days: 5\n", "    migration_days: 5.000000001\n")
    return [
        "alpha.yaml:",
        "workloads 'alpha-care-db'",
        "field 'migration_days'",
        "more than 2 decimal places",
    ]


@broken("date-out-of-range", "a lease end in year 9999")
def _(f: Files) -> list[str]:
    sub(f, "alpha.yaml", "    earliest_close: 2028-03-31\n", "    earliest_close: 9999-12-31\n")
    return [
        "alpha.yaml:",
        "rooms 'depot-mr'",
        "field 'earliest_close'",
        "1900-01-01 to 2199-12-31",
    ]


@broken("control-character-id", "a workload id with an escape sequence in it")
def _(f: Files) -> list[str]:
    line = sub(f, "beta.yaml", "  - id: beta-portal\n", '  - id: "beta\\x1b[2Jportal"\n')
    return [
        f"beta.yaml:{line}:",
        "workloads 'beta\\x1b[2Jportal'",
        "field 'id'",
        "unprintable character U+001B",
    ]


@warning("empty-room", "an existing room with no workloads")
def _(f: Files) -> list[str]:
    sub(
        f,
        "beta.yaml",
        "service_desks:\n",
        "  - id: house-annex\n    site: beta-house\n    racks: 2\n    power_kw: 8\n"
        "    annual_cost: 20000\n\nservice_desks:\n",
    )
    return ["beta.yaml:", "rooms 'house-annex'", "no workload runs in this existing room"]


@warning("unlinked-site", "a site that no link reaches")
def _(f: Files) -> list[str]:
    sub(
        f,
        "beta.yaml",
        "\nrooms:\n",
        "  - {id: beta-store, organisation: beta, name: Beta Store, lat: 52.3, lon: -1.7}\n"
        "\nrooms:\n",
    )
    return ["beta.yaml:", "sites 'beta-store'", "no network link reaches this site"]


@warning("idle-desk", "a desk that serves no organisation today")
def _(f: Files) -> list[str]:
    sub(f, "beta.yaml", "    desk: beta-desk\n", "    desk: alpha-desk\n")
    return ["beta.yaml:", "service_desks 'beta-desk'", "no organisation names this desk"]


# --------------------------------------------------------------------------- writing


def base_files() -> Files:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(BASE.iterdir()) if p.is_file()}


def render(cases: dict[str, tuple[str, Case]]) -> dict[str, Files]:
    """Case name -> its files (estate files and expected.txt)."""
    out: dict[str, Files] = {}
    for name, (what, make) in cases.items():
        files = base_files()
        expected = make(files)
        files["expected.txt"] = "".join(f"{line}\n" for line in [f"# {what}", *expected])
        out[name] = files
    return out


def write(root: Path) -> None:
    """Write broken/ and warnings/ under ``root`` (replacing what was there)."""
    for folder, cases in (("broken", BROKEN), ("warnings", WARNINGS)):
        target = root / folder
        if target.exists():
            shutil.rmtree(target)
        for name, files in render(cases).items():
            case_dir = target / name
            case_dir.mkdir(parents=True)
            for file_name, content in files.items():
                path = case_dir / file_name
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content, encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
