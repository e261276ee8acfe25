"""Issue 9 (robustness, inventory side): what fuzzing the bundled estates found.

* values the YAML reader cannot construct (an impossible date, an explicit tag with
  a bad value, nesting deeper than the reader's stack) are findings with file, line
  and field, listed with every other finding, never a traceback;
* every number has bounds that the optimiser, its integer scaling, the calendar and
  the checker's exact arithmetic can hold, so whatever ``validate`` accepts optimises
  (exit 0 or 3, never a traceback or 70);
* ids with control characters are rejected, and findings never print one raw.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.inventory.findings import Finding, Location
from planner.inventory.validate import load_and_validate


def edit(estate: Path, name: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` (occurring ``count`` times, all replaced) in one file of the
    estate; return the 1-based line of its first occurrence."""
    path = estate / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, (name, old, text.count(old))
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def edit_all(estate: Path, name: str, pattern: str, new: str) -> None:
    """Replace every match of a regular expression in one file of the estate."""
    path = estate / name
    text, n = re.subn(pattern, new, path.read_text(encoding="utf-8"), flags=re.M)
    assert n, (name, pattern)
    path.write_text(text, encoding="utf-8")


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an escaped exception: show its traceback
    return result.exit_code, result.output


def line_with_all(output: str, needles: list[str]) -> str | None:
    for line in output.splitlines():
        if all(n in line for n in needles):
            return line
    return None


def assert_invalid(estate: Path, *lines: list[str]) -> str:
    """`planner validate` exits 2 and prints a line holding all needles of each list."""
    code, output = run_cli("validate", str(estate))
    assert code == 2, output
    for needles in lines:
        assert line_with_all(output, needles), f"no line holds all of {needles}:\n{output}"
    return output


def optimise_ok(estate: Path, tmp_path: Path) -> int:
    """`planner optimise` on an estate validate accepts: a plan (0) or none (3), never
    a traceback or a planner bug (70)."""
    code, output = run_cli("validate", str(estate))
    assert code == 0, output
    code, output = run_cli(
        "optimise",
        str(estate),
        "--out",
        str(tmp_path / "plan"),
        "--time-limit",
        "2",
        "--workers",
        "1",
        "--no-reasons",
        "--quiet",
    )
    assert code in (0, 3), output
    return code


# --------------------------------------------------------------------------- YAML values


ANOTHER_DEFECT = ["beta.yaml:", "rooms 'house-mr'", "field 'racks'", "'four'"]
"""A defect in another file, which must still be listed beside the YAML one."""


@pytest.mark.parametrize(
    ("value", "gist"),
    [
        ("2026-02-30", "day is out of range for month"),
        ("2026-13-01", "month must be in 1..12"),
        ("0000-01-01", "year 0 is out of range"),
    ],
)
def test_an_impossible_date_is_a_finding(small_estate: Path, value: str, gist: str) -> None:
    line = edit(small_estate, "estate.yaml", "  start: 2027-04-01\n", f"  start: {value}\n")
    edit(small_estate, "beta.yaml", "    racks: 4\n", "    racks: four\n")
    assert_invalid(
        small_estate,
        [f"estate.yaml:{line}:", "estate field 'start'", f"'{value}' is not a real date", gist],
        ANOTHER_DEFECT,
    )
    errors = load_and_validate(small_estate).findings.errors
    assert len(errors) == 2, [p.render() for p in errors]  # one each, nothing doubled


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        (
            "    annual_cost: 150000\n",
            "    annual_cost: !!float nope\n",
            ["rooms 'hall-mr'", "field 'annual_cost'", "'nope' is not a valid !!float"],
        ),
        (
            "    racks: 10\n",
            "    racks: !!int 0x\n",
            ["rooms 'hall-mr'", "field 'racks'", "'0x' is not a valid !!int"],
        ),
        (
            "    ops_fte: 2\n",
            "    ops_fte: !!int ''\n",
            ["rooms 'hall-mr'", "field 'ops_fte'", "'' is not a valid !!int"],
        ),
        (
            "    earliest_close: 2028-03-31\n",
            "    earliest_close: !!timestamp soon\n",
            ["rooms 'depot-mr'", "field 'earliest_close'", "'soon' is not a valid !!timestamp"],
        ),
        (
            "    name: Finance and payroll\n",
            "    name: !!bool maybe\n",
            ["workloads 'alpha-finance'", "field 'name'", "'maybe' is not a valid !!bool"],
        ),
        (
            "      - {workload: alpha-care-db, max_latency_ms: 2}\n",
            "      - {workload: alpha-care-db, max_latency_ms: !!float two}\n",
            ["workloads 'alpha-care'", "field 'depends_on[0].max_latency_ms'", "'two'"],
        ),
        (
            "    users: [alpha-hall, alpha-depot]\n    max_latency_ms: 20\n",
            "    users: [alpha-hall, !!int 0b_]\n    max_latency_ms: 20\n",
            ["workloads 'alpha-finance'", "field 'users[1]'", "'0b_'", "whole number"],
        ),
    ],
)
def test_a_bad_tagged_value_is_a_finding(
    small_estate: Path, old: str, new: str, needles: list[str]
) -> None:
    line = edit(small_estate, "alpha.yaml", old, new)
    edit(small_estate, "beta.yaml", "    racks: 4\n", "    racks: four\n")
    last = line + old.count("\n") - 1
    output = assert_invalid(small_estate, ["alpha.yaml:", *needles], ANOTHER_DEFECT)
    found = line_with_all(output, needles)
    assert found is not None
    assert any(f"alpha.yaml:{n}:" in found for n in range(line, last + 1)), found


def test_an_implicit_bad_number_is_a_finding(small_estate: Path) -> None:
    """YAML 1.1 reads 0x_ as a hexadecimal int with no digits: the reader used to crash."""
    line = edit(small_estate, "alpha.yaml", "    racks: 10\n", "    racks: 0x_\n")
    assert_invalid(small_estate, [f"alpha.yaml:{line}:", "rooms 'hall-mr'", "field 'racks'"])


@pytest.mark.parametrize(
    "nested",
    [
        "[" * 1000 + "]" * 1000,
        "[" * 300 + "]" * 300,
        "{a: " * 400 + "1" + "}" * 400,
    ],
    ids=["1000-brackets", "300-brackets", "400-mappings"],
)
def test_deep_nesting_is_a_finding(small_estate: Path, nested: str) -> None:
    line = edit(
        small_estate, "alpha.yaml", "    name: Finance and payroll\n", f"    name: {nested}\n"
    )
    edit(small_estate, "beta.yaml", "    racks: 4\n", "    racks: four\n")
    assert_invalid(
        small_estate,
        [f"alpha.yaml:{line}:", "workloads", "field 'name'", "nested"],
        ANOTHER_DEFECT,
    )


def test_a_deeply_nested_key_is_a_finding(small_estate: Path) -> None:
    edit(
        small_estate,
        "beta.yaml",
        "    racks: 4\n",
        "    racks: 4\n    ? " + "[" * 500 + "]" * 500 + "\n    : 1\n",
    )
    assert_invalid(small_estate, ["beta.yaml:", "nested"])


@pytest.mark.parametrize(
    ("tail", "needles"),
    [
        ("", ["zz.yaml:", "unknown top-level key 'laugh0'"]),
        ("rooms:\n  - id: x\n    ? *l29\n    : 1\n", ["zz.yaml:", "rooms 'x'", "unknown field"]),
        ("rooms:\n  - id: x\n    accreditations: *l29\n", ["rooms 'x'", "accreditations[8]"]),
        ("separate:\n  - *l29\n", ["separate 'separate[0]'", "pair of zone ids"]),
        ("estate:\n  name: *l29\n", ["zz.yaml:", "a second estate block"]),
    ],
    ids=["keys", "as-a-key", "as-a-list", "as-a-pair", "as-a-name"],
)
def test_aliases_are_not_walked_exponentially(
    small_estate: Path, tail: str, needles: list[str]
) -> None:
    """A 'billion laughs' file: each of 30 levels refers to the one below nine times
    (9^30 strings if written out); it is read, reported and printed in moments."""
    lines = ["laugh0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for k in range(1, 30):
        refs = ", ".join([f"*l{k - 1}"] * 9)
        lines.append(f"laugh{k}: &l{k} [{refs}]")
    (small_estate / "zz.yaml").write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    assert_invalid(small_estate, needles)


# --------------------------------------------------------------------------- bounds


BOUND_CASES = [
    # money
    ("alpha.yaml", "    annual_cost: 150000\n", "    annual_cost: .inf\n", "finite number"),
    ("alpha.yaml", "    annual_cost: 150000\n", "    annual_cost: 1e308\n", "1000000000"),
    ("alpha.yaml", "    closure_cost: 50000\n", "    closure_cost: .nan\n", "finite number"),
    (
        "beta.yaml",
        "    migration_cost: 6000\n",
        "    migration_cost: 9223372036854775808\n",
        "1000000000",
    ),
    ("alpha.yaml", "    cost_per_fte: 35000\n", "    cost_per_fte: 1e10\n", "1000000000"),
    ("beta.yaml", "    fixed_cost: 30000\n", "    fixed_cost: -.inf\n", "finite number"),
    # capacities and sizes
    ("beta.yaml", "    racks: 4\n", "    racks: 9223372036854775808\n", "100000"),
    ("beta.yaml", "    racks: 4\n", "    racks: 4.0001\n", "decimal places"),
    ("beta.yaml", "    power_kw: 16\n", "    power_kw: .inf\n", "finite number"),
    ("alpha.yaml", "    ops_fte: 2\n", "    ops_fte: 1e308\n", "less than or equal to"),
    # person-days
    (
        "alpha.yaml",
        "    migration_days: 5\n",
        "    migration_days: 5.000000001\n",
        "decimal places",
    ),
    ("alpha.yaml", "    migration_days: 5\n", "    migration_days: 1e308\n", "1000000"),
    (
        "estate.yaml",
        "  migration_days_per_month: 40\n",
        "  migration_days_per_month: 13.001\n",
        "decimal places",
    ),
    (
        "estate.yaml",
        "  migration_days_per_month: 40\n",
        "  migration_days_per_month: .inf\n",
        "finite number",
    ),
    # desks and tickets
    (
        "alpha.yaml",
        "    tickets_per_year: 8000\n",
        "    tickets_per_year: 9223372036854775808\n",
        "100000000",
    ),
    ("alpha.yaml", "    seats: 4\n", "    seats: 1000000000\n", "100000"),
    (
        "alpha.yaml",
        "    tickets_per_fte: 4000\n",
        "    tickets_per_fte: 1e-300\n",
        "decimal places",
    ),
    ("alpha.yaml", "    tickets_per_fte: 4000\n", "    tickets_per_fte: .inf\n", "finite number"),
    # latency and distance
    ("links.yaml", "latency_ms: 3,", "latency_ms: .inf,", "finite number"),
    ("links.yaml", "latency_ms: 3,", "latency_ms: 3.0000000001,", "decimal places"),
    ("links.yaml", "bandwidth_mbps: 100}", "bandwidth_mbps: 1e308}", "1000000000"),
    (
        "beta.yaml",
        "    max_latency_ms: 20\n    depends_on",
        "    max_latency_ms: 1e308\n    depends_on",
        "100000",
    ),
    (
        "beta.yaml",
        "{workload: alpha-finance, max_latency_ms: 10}",
        "{workload: alpha-finance, max_latency_ms: .inf}",
        "finite number",
    ),
    ("estate.yaml", "  dr_min_distance_km: 5\n", "  dr_min_distance_km: .inf\n", "finite number"),
    ("estate.yaml", "  discount_rate: 0.035\n", "  discount_rate: .nan\n", "finite number"),
    ("beta.yaml", "lat: 52.20,", "lat: .nan,", "finite number"),
    # dates
    ("estate.yaml", "  start: 2027-04-01\n", "  start: 9999-12-31\n", "1900-01-01 to 2199-12-31"),
    ("estate.yaml", "  start: 2027-04-01\n", "  start: 1899-12-31\n", "1900-01-01 to 2199-12-31"),
    (
        "alpha.yaml",
        "    earliest_close: 2028-03-31\n",
        "    earliest_close: 9999-12-31\n",
        "1900-01-01 to 2199-12-31",
    ),
    (
        "alpha.yaml",
        "    not_before: 2027-09-01\n",
        "    not_before: 0001-01-01\n",
        "1900-01-01 to 2199-12-31",
    ),
]


def _field_of(new: str) -> str:
    """The field a case's replacement text sets (the key before its last colon)."""
    return new.rsplit(":", 1)[0].replace("{", " ").replace(",", " ").split()[-1]


@pytest.mark.parametrize(
    ("name", "old", "new", "gist"),
    BOUND_CASES,
    ids=[f"{_field_of(c[2])}={c[2].rsplit(':', 1)[1].split()[0].strip(',}')}" for c in BOUND_CASES],
)
def test_numbers_and_dates_out_of_bounds_are_findings(
    small_estate: Path, name: str, old: str, new: str, gist: str
) -> None:
    edit(small_estate, name, old, new)
    field = _field_of(new)
    assert_invalid(small_estate, [f"{name}:", "field '", field, gist])
    errors = load_and_validate(small_estate).findings.errors
    # One finding for the value (a rejected link or site may leave others unreachable).
    on_fields = [p for p in errors if p.code.startswith(("field-", "yaml-"))]
    assert len(on_fields) == 1, [p.render() for p in errors]
    assert on_fields[0].field is not None
    assert on_fields[0].field.endswith(field), on_fields[0].render()


def _money_at_the_cap(estate: Path) -> None:
    for name in ("alpha.yaml", "beta.yaml"):
        edit_all(
            estate,
            name,
            r"^(\s+)(annual_cost|closure_cost|fixed_cost|cost_per_fte|migration_cost): \d+$",
            r"\1\2: 1000000000",
        )


def _capacity_at_the_cap(estate: Path) -> None:
    for name in ("alpha.yaml", "beta.yaml"):
        edit_all(
            estate,
            name,
            r"^    racks: \d+\n    power_kw: \d+\n    annual_cost",
            "    racks: 100000\n    power_kw: 1000000\n    annual_cost",
        )
        edit_all(estate, name, r"^    racks: \d{1,2}$", "    racks: 33333.333")
        edit_all(estate, name, r"^    power_kw: \d{1,2}$", "    power_kw: 333333.333")
    edit_all(estate, "alpha.yaml", r"^    ops_fte: \d+$", "    ops_fte: 1000")


def _desks_at_the_cap(estate: Path) -> None:
    for name in ("alpha.yaml", "beta.yaml"):
        edit_all(estate, name, r"^    tickets_per_year: \d+$", "    tickets_per_year: 100000000")
        edit_all(estate, name, r"^    seats: \d+$", "    seats: 100000")
        edit_all(estate, name, r"^    tickets_per_fte: \d+$", "    tickets_per_fte: 1000")


def _tiny_ticket_rate(estate: Path) -> None:
    for name in ("alpha.yaml", "beta.yaml"):
        edit_all(estate, name, r"^    tickets_per_year: \d+$", "    tickets_per_year: 7")
        edit_all(estate, name, r"^    tickets_per_fte: \d+$", "    tickets_per_fte: 0.0001")
        edit_all(estate, name, r"^    seats: \d+$", "    seats: 100000")


def _person_days_in_hundredths(estate: Path) -> None:
    edit(
        estate,
        "estate.yaml",
        "  migration_days_per_month: 40\n",
        "  migration_days_per_month: 13\n",
    )
    edit_all(estate, "alpha.yaml", r"^    migration_days: 10$", "    migration_days: 6.99")
    edit_all(estate, "alpha.yaml", r"^    migration_days: 5$", "    migration_days: 6.01")
    edit_all(estate, "beta.yaml", r"^    migration_days: \d+$", "    migration_days: 12.99")


def _days_at_the_cap(estate: Path) -> None:
    edit(
        estate,
        "estate.yaml",
        "  migration_days_per_month: 40\n",
        "  migration_days_per_month: 1000000\n",
    )
    edit_all(estate, "alpha.yaml", r"^    migration_days: \d+$", "    migration_days: 999999.99")


def _longest_horizon(estate: Path) -> None:
    edit(
        estate,
        "estate.yaml",
        "  horizon_years: 5\n  discount_rate: 0.035\n",
        "  horizon_years: 30\n  discount_rate: 0\n",
    )
    _money_at_the_cap(estate)


def _earliest_start(estate: Path) -> None:
    edit(estate, "estate.yaml", "  start: 2027-04-01\n", "  start: 1900-01-01\n")
    edit(estate, "estate.yaml", "  horizon_years: 5\n", "  horizon_years: 30\n")


def _latest_start(estate: Path) -> None:
    edit(estate, "estate.yaml", "  start: 2027-04-01\n", "  start: 2199-12-31\n")
    edit(estate, "estate.yaml", "  horizon_years: 5\n", "  horizon_years: 30\n")
    edit(
        estate,
        "alpha.yaml",
        "    not_before: 2027-09-01\n    not_after: 2029-03-31\n",
        "    not_before: 2199-12-31\n    not_after: 2199-12-31\n",
    )
    edit(
        estate, "alpha.yaml", "    earliest_close: 2028-03-31\n", "    earliest_close: 2199-12-31\n"
    )


def _slow_links(estate: Path) -> None:
    edit_all(estate, "links.yaml", r"latency_ms: \d+", "latency_ms: 33333.333")
    for name in ("alpha.yaml", "beta.yaml"):
        edit_all(estate, name, r"max_latency_ms: \d+", "max_latency_ms: 100000")
    edit(estate, "estate.yaml", "  dr_min_distance_km: 5\n", "  dr_min_distance_km: 20000\n")
    edit(estate, "alpha.yaml", "    distinct_site_from: [alpha-finance-dr]\n", "")


def _one_desk_staff_near_the_total(estate: Path) -> None:
    """Worst case £9e14 of staff at one desk: within the £1e15 the optimiser holds."""
    _desks_at_the_cap(estate)
    edit(estate, "alpha.yaml", "    cost_per_fte: 35000\n", "    cost_per_fte: 1000000000\n")


AT_THE_LIMITS = {
    "money": _money_at_the_cap,
    "capacity": _capacity_at_the_cap,
    "desks": _desks_at_the_cap,
    "tiny-ticket-rate": _tiny_ticket_rate,
    "person-days": _person_days_in_hundredths,
    "days-at-the-cap": _days_at_the_cap,
    "longest-horizon": _longest_horizon,
    "earliest-start": _earliest_start,
    "latest-start": _latest_start,
    "slow-links": _slow_links,
    "staff-near-the-total": _one_desk_staff_near_the_total,
}


@pytest.mark.slow
@pytest.mark.parametrize("change", list(AT_THE_LIMITS))
def test_values_at_the_limits_optimise(small_estate: Path, tmp_path: Path, change: str) -> None:
    AT_THE_LIMITS[change](small_estate)
    optimise_ok(small_estate, tmp_path)


def test_costs_too_large_together_are_a_finding(small_estate: Path) -> None:
    """Each amount within its bound, but together more than the optimiser's integers hold."""
    _desks_at_the_cap(small_estate)
    for name in ("alpha.yaml", "beta.yaml"):
        edit_all(small_estate, name, r"^    cost_per_fte: \d+$", "    cost_per_fte: 1000000000")
    assert_invalid(small_estate, ["estate", "cost", "1,000,000,000,000,000"])


# --------------------------------------------------------------------------- control characters


def test_an_id_with_a_control_character_is_rejected(small_estate: Path) -> None:
    line = edit(
        small_estate, "beta.yaml", "  - id: beta-portal\n", '  - id: "beta\\x1b[2Jportal"\n'
    )
    output = assert_invalid(
        small_estate,
        [f"beta.yaml:{line}:", "workloads 'beta\\x1b[2Jportal'", "field 'id'", "U+001B"],
    )
    assert "\x1b" not in output


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x7f", "\x85", "\u200b", "\u202e", "\ufeff"])
def test_ids_must_be_printable(small_estate: Path, char: str) -> None:
    escaped = char.encode("unicode_escape").decode("ascii")
    edit(small_estate, "beta.yaml", "    desk: beta-desk\n", f'    desk: "beta{escaped}desk"\n')
    # NEL (U+0085) is white space, so the id's pattern rejects it first.
    gist = "white space" if char.isspace() else f"U+{ord(char):04X}"
    output = assert_invalid(
        small_estate, ["beta.yaml:", "organisations 'beta'", "field 'desk'", gist, escaped]
    )
    assert char not in output
    errors = load_and_validate(small_estate).findings.errors
    assert len(errors) == 1, [p.render() for p in errors]


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f", "\x9b"])
def test_names_hold_no_control_characters(small_estate: Path, char: str) -> None:
    """A name is shown on the terminal and in every report: an escape sequence pasted in
    (ESC, or the C1 CSI) would act on the reader's terminal."""
    escaped = char.encode("unicode_escape").decode("ascii")
    text = (small_estate / "estate.yaml").read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.strip().startswith("name:"))
    edit(small_estate, "estate.yaml", name_line + "\n", f'  name: "Shared{escaped}ICT"\n')
    output = assert_invalid(small_estate, ["estate.yaml:", "field 'name'", f"U+{ord(char):04X}"])
    assert char not in output


def test_unprintable_characters_in_csv_ids_are_rejected(small_estate: Path) -> None:
    (small_estate / "networks.csv").write_text("id,name\nlan\x07x,Bell\n", encoding="utf-8")
    output = assert_invalid(small_estate, ["networks.csv:2:", "networks", "U+0007"])
    assert "\x07" not in output


def test_render_escapes_unprintable_characters() -> None:
    from planner.inventory.findings import printable

    finding = Finding(
        "error",
        "code",
        Location("a\x1b.yaml", 3),
        "rooms",
        "r\x07",
        "f\u202e",
        "bad \x00 value\nsecond line",
        "fix \x9b it",
    )
    text = finding.render()
    assert text.isprintable(), repr(text)
    for shown in ("a\\x1b.yaml:3:", "'r\\x07'", "'f\\u202e'", "bad \\x00 value\\nsecond line"):
        assert shown in text
    assert "fix \\x9b it" in text
    assert printable("plain text, café: ok") == "plain text, café: ok"


def test_validate_prints_the_estate_name_escaped(small_estate: Path) -> None:
    edit(
        small_estate,
        "estate.yaml",
        "  name: Valid small test estate\n",
        '  name: "Valid \\x1b[2J small"\n',
    )
    code, output = run_cli("validate", str(small_estate))
    assert code == 2, output
    assert "\x1b" not in output
    assert "Valid \\x1b[2J small" in output


# --------------------------------------------------------------------------- workbooks


def test_a_damaged_sheet_is_a_finding(small_estate: Path) -> None:
    """A workbook whose sheet XML is cut short used to raise while its rows were read."""
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "networks"
    sheet.append(["id", "name"])
    sheet.append(["lan", "Local network"])
    whole = io.BytesIO()
    book.save(whole)
    damaged = io.BytesIO()
    with zipfile.ZipFile(whole) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for entry in zin.infolist():
            data = zin.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            zout.writestr(entry, data)
    (small_estate / "extra.xlsx").write_bytes(damaged.getvalue())
    assert_invalid(small_estate, ["extra.xlsx", "cannot read sheet 'networks'"])
