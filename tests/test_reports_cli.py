"""`planner report` and `planner diff` through the typer app (exit codes, files, messages)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from typer.testing import CliRunner

from planner.cli import app
from planner.reports import REPORT_FILES

PLANS = DATA / "plans"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def copy_plan(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(PLANS / name, target)
    return target


@pytest.mark.parametrize("name", ["severnvale", "infeasible", "hostile", "large"])
def test_report_writes_every_report(runner: CliRunner, tmp_path: Path, name: str) -> None:
    d = copy_plan(name, tmp_path)
    result = runner.invoke(app, ["report", str(d)])
    assert result.exit_code == 0, result.output
    for f in REPORT_FILES:
        assert (d / f).stat().st_size > 0
        assert f"wrote {d / f}" in result.output
    plan = json.loads((d / "plan.json").read_text(encoding="utf-8"))
    assert plan["estate"] in result.output  # the summary, estate name printed as text


def test_report_accepts_the_plan_file(runner: CliRunner, tmp_path: Path) -> None:
    d = copy_plan("severnvale", tmp_path)
    result = runner.invoke(app, ["report", str(d / "plan.json"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Severnvale" not in result.output
    assert (d / "report.html").exists()


def test_report_prints_markup_in_names_as_text(runner: CliRunner, tmp_path: Path) -> None:
    d = copy_plan("hostile", tmp_path)
    result = runner.invoke(app, ["report", str(d)])
    assert result.exit_code == 0, result.output
    assert "[bold]ICT[/]" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no plan.json in this directory"),
        ("{not json", "not valid JSON"),
        ('{"format": "planner-plan/9"}', 'format: "planner-plan/9" is not supported'),
        ('{"format": "planner-plan/1", "estate": 1}', "estate: must be a string"),
        ("[]", "must hold a JSON object"),
    ],
)
def test_report_bad_plan_exits_2(
    runner: CliRunner, tmp_path: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "plan.json").write_text(content)
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output
    assert str(tmp_path / "plan.json") in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == (["plan.json"] if content else [])


def test_report_missing_path_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_report_unwritable_directory_exits_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = copy_plan("severnvale", tmp_path)

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("planner.files._write_new", refuse)
    result = runner.invoke(app, ["report", str(d)])
    assert result.exit_code == 2
    assert f"cannot write the reports in {d}: Permission denied" in result.output


def test_diff_two_plans(runner: CliRunner, tmp_path: Path) -> None:
    a = copy_plan("severnvale", tmp_path)
    plan: dict[str, Any] = json.loads((a / "plan.json").read_text(encoding="utf-8"))
    for r in plan["rooms"]:
        if r["id"] == "annexe-mr":
            r.update(decision="keep", close_month=None)
    for w in plan["assignments"]:
        if w["from"] == "annexe-mr":
            w.update(to="annexe-mr", month=None)
    b = tmp_path / "b.json"
    b.write_text(json.dumps(plan))
    out = tmp_path / "changes.md"
    result = runner.invoke(app, ["diff", str(a), str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "annexe-mr" in result.output
    assert "county-social-care" in result.output
    text = out.read_text(encoding="utf-8")
    assert "| annexe-mr | close Feb 2028 | keep |" in text
    assert "| county-backup | colo-hall, Oct 2027 | annexe-mr (stays) |" in text
    assert f"wrote {out}" in result.output


def test_diff_identical(runner: CliRunner) -> None:
    p = str(PLANS / "severnvale")
    result = runner.invoke(app, ["diff", p, p + "/plan.json"])
    assert result.exit_code == 0, result.output
    assert "Same decisions" in result.output


def test_diff_infeasible_and_hostile(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["diff", str(PLANS / "infeasible"), str(PLANS / "hostile")], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "[red]hilltop[/red]" in result.output


def test_diff_bad_input_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text('{"format": "something-else"}')
    result = runner.invoke(app, ["diff", str(PLANS / "severnvale"), str(tmp_path)])
    assert result.exit_code == 2
    assert "is not supported" in result.output
    result = runner.invoke(app, ["diff", str(tmp_path / "missing"), str(PLANS / "severnvale")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_diff_unwritable_out_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    p = str(PLANS / "severnvale")
    result = runner.invoke(app, ["diff", p, p, "--out", str(tmp_path / "no" / "dir.md")])
    assert result.exit_code == 2
    assert "cannot write" in result.output


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("report", "planner report plans/"),
        ("diff", "planner diff plans/"),
    ],
)
def test_help_has_an_example(runner: CliRunner, command: str, example: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert example in result.output


def test_report_names_a_fraction_where_a_whole_number_belongs(
    runner: CliRunner, tmp_path: Path
) -> None:
    d = copy_plan("severnvale", tmp_path)
    plan = json.loads((d / "plan.json").read_text(encoding="utf-8"))
    plan["desks"][0]["fte"] = 9.5
    plan["years"][1]["year"] = "2028/30"
    (d / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    for args in (["report", str(d)], ["diff", str(PLANS / "severnvale"), str(d)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "not a usable plan (2 problems)" in result.output
        assert "desks[0].fte: must be a whole number, not 9.5" in result.output
        assert "years[1].year: '2028/30' is not a financial year like 2027/28" in result.output


def test_report_an_infeasible_plan_without_staff(runner: CliRunner, tmp_path: Path) -> None:
    """staff is optional without a plan (as the checker has always read it)."""
    d = copy_plan("infeasible", tmp_path)
    plan = json.loads((d / "plan.json").read_text(encoding="utf-8"))
    del plan["staff"]
    (d / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    result = runner.invoke(app, ["report", str(d), "--quiet"])
    assert result.exit_code == 0, result.output


def test_check_prints_a_path_with_brackets_as_text(runner: CliRunner, tmp_path: Path) -> None:
    from helpers.checker_case import sha_of, valid_plan, write_estate

    directory = write_estate(tmp_path / "estate")
    path = tmp_path / "[red]plan.json"
    path.write_text(json.dumps(valid_plan(sha_of(directory))), encoding="utf-8")
    result = runner.invoke(app, ["check", str(directory), str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: valid" in result.output
