"""`planner validate` on the broken and warning cases under tests/data/.

Each case is tests/data/valid-small with one defect (see tests/data/make_cases.py);
its expected.txt lists substrings that one line of the output must hold: the file
(with the line where it matters), the item id, the field and the gist of the message.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest
from conftest import DATA, ROOT, VALID_SMALL
from typer.testing import CliRunner

from planner.cli import app
from planner.inventory.validate import load_and_validate

BROKEN = sorted(p for p in (DATA / "broken").iterdir() if p.is_dir())
WARNINGS = sorted(p for p in (DATA / "warnings").iterdir() if p.is_dir())

MORE_THAN_ONE_ERROR = {
    "yaml-syntax": "the file cannot be read, so references to its items dangle",
    "accreditation-today": "two workloads in the room, and no other room holds dspt",
    "candidate-room-hosts-workload": "three workloads run in the room today",
    "no-possible-room": "both health workloads lose their only room",
    "no-possible-desk": "today's desk also lacks the vetting",
    "deep-nesting": "the file cannot be read, so references to its items dangle",
}
"""Cases whose one defect legitimately yields several errors; every other case yields one."""


def expected(case: Path) -> list[str]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


def line_with_all(output: str, needles: list[str]) -> str | None:
    """The first output line holding every needle, or None."""
    for line in output.splitlines():
        if all(n in line for n in needles):
            return line
    return None


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an escaped exception: show its traceback
    return result.exit_code, result.output


def test_there_are_enough_cases() -> None:
    assert len(BROKEN) >= 34
    assert {c.name for c in WARNINGS} >= {"empty-room", "unlinked-site"}
    assert set(MORE_THAN_ONE_ERROR) <= {c.name for c in BROKEN}


def test_valid_small_is_clean() -> None:
    loaded = load_and_validate(VALID_SMALL)
    assert [p.render() for p in loaded.findings.items] == []
    code, output = run_cli("validate", str(VALID_SMALL))
    assert code == 0, output
    assert "valid" in output


@pytest.mark.parametrize("case", BROKEN, ids=lambda p: p.name)
def test_broken_case(case: Path) -> None:
    code, output = run_cli("validate", str(case))
    assert "Traceback" not in output
    assert code == 2, output
    needles = expected(case)
    assert needles, f"{case.name}/expected.txt lists nothing"
    assert line_with_all(output, needles) is not None, (
        f"no line of the output holds all of {needles}:\n{output}"
    )


@pytest.mark.parametrize("case", BROKEN, ids=lambda p: p.name)
def test_broken_case_error_count(case: Path) -> None:
    errors = load_and_validate(case).findings.errors
    if case.name in MORE_THAN_ONE_ERROR:
        assert len(errors) > 1
    else:
        assert len(errors) == 1, "\n".join(p.render() for p in errors)


@pytest.mark.parametrize("case", WARNINGS, ids=lambda p: p.name)
def test_warning_case(case: Path) -> None:
    code, output = run_cli("validate", str(case))
    assert "Traceback" not in output
    assert code == 0, output
    line = line_with_all(output, expected(case))
    assert line is not None, output
    assert "warning" in line
    code, output = run_cli("validate", "--no-warnings", str(case))
    assert code == 0
    assert line_with_all(output, expected(case)) is None


def test_real_exit_codes() -> None:
    """`python -m planner validate` on every case, as a user's shell sees it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(case: Path) -> tuple[Path, int, str]:
        proc = subprocess.run(
            [sys.executable, "-m", "planner", "validate", str(case)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        return case, proc.returncode, proc.stdout + proc.stderr

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(run, [*BROKEN, *WARNINGS, VALID_SMALL]))
    wrong = []
    for case, code, output in results:
        want = 2 if case in BROKEN else 0
        needles = [] if case == VALID_SMALL else expected(case)
        if code != want or "Traceback" in output or line_with_all(output, needles) is None:
            wrong.append(f"{case.name}: exit {code} (want {want})\n{output}")
    assert not wrong, "\n\n".join(wrong)


def _make_cases() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_cases", DATA / "make_cases.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _xlsx_cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}
    finally:
        book.close()


def test_cases_match_their_generator(tmp_path: Path) -> None:
    """The committed cases are what make_cases.py writes from valid-small today."""
    _make_cases().write(tmp_path)
    for folder in ("broken", "warnings"):
        fresh = {p.relative_to(tmp_path / folder) for p in (tmp_path / folder).rglob("*")}
        committed = {p.relative_to(DATA / folder) for p in (DATA / folder).rglob("*")}
        assert fresh == committed, "run: python tests/data/make_cases.py"
        for rel in sorted(fresh):
            new, old = tmp_path / folder / rel, DATA / folder / rel
            if new.is_dir():
                continue
            if new.suffix == ".xlsx":
                assert _xlsx_cells(new) == _xlsx_cells(old), rel
            else:
                assert new.read_bytes() == old.read_bytes(), (
                    f"{rel} differs: run python tests/data/make_cases.py"
                )


# ----------------------------------------------------------------- regressions


def test_leap_day_start_validates(small_estate: Path) -> None:
    """A start on 29 February used to crash the horizon arithmetic (date.replace)."""
    path = small_estate / "estate.yaml"
    path.write_text(path.read_text().replace("start: 2027-04-01", "start: 2028-02-29"))
    code, output = run_cli("validate", str(small_estate))
    assert code == 0, output


def test_start_near_year_9999_validates(small_estate: Path) -> None:
    path = small_estate / "estate.yaml"
    path.write_text(path.read_text().replace("start: 2027-04-01", "start: 9990-04-01"))
    code, output = run_cli("validate", str(small_estate))
    assert "Traceback" not in output
    assert code == 2, output
    assert line_with_all(output, ["estate.yaml:", "field 'start'", "1900-01-01 to 2199-12-31"])


def test_huge_ticket_count_is_an_error_not_a_crash(small_estate: Path) -> None:
    """An int too large for a float used to raise OverflowError in the desk check; it is
    now above the field's bound."""
    path = small_estate / "beta.yaml"
    path.write_text(
        path.read_text().replace("tickets_per_year: 4000", "tickets_per_year: 1" + "0" * 400)
    )
    code, output = run_cli("validate", str(small_estate))
    assert code == 2, output
    assert line_with_all(
        output,
        ["beta.yaml:", "organisations 'beta'", "field 'tickets_per_year'", "100000000"],
    )


def test_markup_in_names_is_printed_as_is(small_estate: Path) -> None:
    """Rich markup in user text used to raise MarkupError (or vanish)."""
    path = small_estate / "estate.yaml"
    path.write_text(
        path.read_text().replace(
            "name: Valid small test estate", 'name: "[/b] [red]Valid small test estate"'
        )
    )
    code, output = run_cli("validate", str(small_estate))
    assert code == 0, output
    assert "[/b] [red]Valid small" in output
    code, output = run_cli("graph", str(small_estate))
    assert code == 0, output
    assert "[/b] [red]Valid small" in output


def test_validate_missing_directory(tmp_path: Path) -> None:
    code, output = run_cli("validate", str(tmp_path / "nowhere"))
    assert code == 2
    assert "no such file or directory" in output


def test_validate_empty_directory(tmp_path: Path) -> None:
    code, output = run_cli("validate", str(tmp_path))
    assert code == 2
    assert "no .yaml, .yml, .csv or .xlsx files here" in output


def test_validate_unsupported_single_file(tmp_path: Path) -> None:
    """A single file of another type used to be opened as a workbook (a misleading error)."""
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    code, output = run_cli("validate", str(path))
    assert code == 2
    assert line_with_all(output, ["notes.txt", "'.txt' is not an estate file type"])
