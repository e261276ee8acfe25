"""`planner optimise` on the command line: exit codes, --quiet, and the plan directory.

Exit codes (spec/cli.md): 0 with a plan, 2 for an invalid estate or usage, 3 when no
plan exists (plan.json still written). A few runs go through a real subprocess
(``python -m planner``), the rest through typer's CliRunner in process, where the
checker and the writers can be made to fail to show that an existing plan
directory is only ever replaced by a complete new plan.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import planner.files
import planner.plan.write
from planner.checker import CheckReport
from planner.cli import app
from planner.reports import REPORT_FILES

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "inventories" / "tiny"
FAST = ["--workers", "1", "--no-reasons"]


def python_m(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
        check=False,
    )


def broken_tiny(tmp_path: Path) -> Path:
    """tiny with county-finance's room misspelt (a dangling reference)."""
    estate = tmp_path / "broken"
    shutil.copytree(TINY, estate)
    path = estate / "midshire.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("    room: county-hall-mr\n")
    path.write_text(
        text[:first] + "    room: county-hall-rm\n" + text[first + 25 :], encoding="utf-8"
    )
    return estate


def load(out: Path) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return plan


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# ----------------------------------------------------------------- a real process


def test_subprocess_exit_0_and_quiet_prints_nothing(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    done = python_m("optimise", str(TINY), "--out", str(out), "--quiet", *FAST)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == ""
    assert load(out)["solver"]["status"] == "optimal"
    for name in REPORT_FILES:
        assert (out / name).stat().st_size > 0


def test_subprocess_exit_3_when_infeasible(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    done = python_m("optimise", str(TINY), "--out", str(out), "--max-rooms", "1", *FAST)
    assert done.returncode == 3, done.stderr
    plan = load(out)
    assert plan["solver"]["status"] == "infeasible"
    assert plan["explanation"]
    assert plan["options"]["max_rooms"] == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "infeasible" in done.stdout.lower()  # the summary says so


def test_subprocess_exit_2_for_an_invalid_estate(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    done = python_m("optimise", str(broken_tiny(tmp_path)), "--out", str(out), *FAST)
    assert done.returncode == 2
    text = done.stdout + done.stderr
    assert "Traceback" not in text
    for part in ("midshire.yaml", "county-finance", "room", "county-hall-rm"):
        assert part in text
    assert not out.exists()


# ----------------------------------------------------------------- in process


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_exit_0_prints_the_summary_unless_quiet(runner: CliRunner, tmp_path: Path) -> None:
    loud = runner.invoke(app, ["optimise", str(TINY), "--out", str(tmp_path / "a"), *FAST])
    assert loud.exit_code == 0, loud.output
    assert f"wrote {tmp_path / 'a' / 'plan.json'}" in loud.output
    assert "2,024,048" in loud.output or "2,024,047" in loud.output
    quiet = runner.invoke(
        app, ["optimise", str(TINY), "--out", str(tmp_path / "b"), "--quiet", *FAST]
    )
    assert quiet.exit_code == 0
    assert quiet.output == ""


def test_options_are_recorded(runner: CliRunner, tmp_path: Path) -> None:
    args = ["--max-rooms", "2", "--max-desks", "1", "--time-limit", "12", "--seed", "4"]
    result = runner.invoke(
        app, ["optimise", str(TINY), "--out", str(tmp_path / "p"), "--quiet", *FAST, *args]
    )
    assert result.exit_code == 0, result.output
    assert load(tmp_path / "p")["options"] == {
        "max_rooms": 2,
        "max_desks": 1,
        "time_limit_s": 12,
        "workers": 1,
        "seed": 4,
    }


@pytest.mark.parametrize(
    "bad",
    [
        ["--max-rooms", "-1"],
        ["--max-desks", "x"],
        ["--workers", "0"],
        ["--time-limit", "0"],
        ["--no-such-option"],
    ],
)
def test_exit_2_for_bad_usage(runner: CliRunner, tmp_path: Path, bad: list[str]) -> None:
    result = runner.invoke(app, ["optimise", str(TINY), "--out", str(tmp_path / "p"), *bad])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "p").exists()


def test_exit_2_for_a_missing_estate_or_out(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(
        app, ["optimise", str(tmp_path / "nowhere"), "--out", str(tmp_path / "p")]
    )
    assert missing.exit_code == 2
    assert "Traceback" not in missing.output
    no_out = runner.invoke(app, ["optimise", str(TINY)])
    assert no_out.exit_code == 2


def test_exit_3_writes_the_explanation(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["optimise", str(TINY), "--out", str(tmp_path / "p"), "--max-rooms", "1", *FAST],
    )
    assert result.exit_code == 3
    plan = load(tmp_path / "p")
    assert plan["solver"]["status"] == "infeasible"
    for line in plan["explanation"]:
        assert line in " ".join(result.output.split()) or line.split()[0] in result.output
    checked = runner.invoke(app, ["check", str(TINY), str(tmp_path / "p" / "plan.json")])
    assert checked.exit_code == 0, checked.output


# ----------------------------------------------------------------- replacing a plan directory


@pytest.fixture
def old_plan(runner: CliRunner, tmp_path: Path) -> Path:
    """A plan directory holding a complete plan (tiny, no limits)."""
    out = tmp_path / "plan"
    result = runner.invoke(app, ["optimise", str(TINY), "--out", str(out), "--quiet", *FAST])
    assert result.exit_code == 0
    return out


def rerun(runner: CliRunner, out: Path) -> Any:
    """Plan tiny again into ``out``, differently (--max-desks 2 changes options)."""
    return runner.invoke(
        app, ["optimise", str(TINY), "--out", str(out), "--quiet", "--max-desks", "2", *FAST]
    )


def test_a_new_plan_replaces_every_file(runner: CliRunner, old_plan: Path) -> None:
    before = snapshot(old_plan)
    result = rerun(runner, old_plan)
    assert result.exit_code == 0
    after = snapshot(old_plan)
    assert set(after) == set(before) == {"plan.json", *REPORT_FILES}
    assert load(old_plan)["options"]["max_desks"] == 2
    assert after["plan.json"] != before["plan.json"]


def test_a_plan_the_checker_rejects_replaces_nothing(
    runner: CliRunner, old_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(old_plan)

    def reject(loaded: object, plan: object, **_: object) -> CheckReport:
        report = CheckReport()
        report.add("4", ("county-hall-mr",), "made up by the test")
        return report

    monkeypatch.setattr(planner.plan.write, "check_plan", reject)
    result = rerun(runner, old_plan)
    assert result.exit_code == 70, result.output
    assert "planner bug" in result.output
    assert "made up by the test" in result.output
    assert snapshot(old_plan) == before  # no new file, no temporary file left


def test_reports_that_fail_to_render_replace_nothing(
    runner: CliRunner, old_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(old_plan)

    def boom(plan: object) -> dict[str, bytes]:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(planner.plan.write, "render_reports", boom)
    result = rerun(runner, old_plan)
    assert result.exit_code != 0
    assert snapshot(old_plan) == before


def test_a_write_failing_part_way_leaves_the_old_plan_whole(
    runner: CliRunner, old_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(old_plan)
    real = planner.files._write_new
    calls = {"n": 0}

    def flaky(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(planner.files, "_write_new", flaky)
    result = rerun(runner, old_plan)
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output
    after = snapshot(old_plan)
    assert after == before, "a mix of the new plan.json and the old reports"


def test_a_rename_failing_part_way_leaves_the_old_plan_whole(
    runner: CliRunner, old_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third file's rename into place fails: the two already renamed are taken back,
    the old files restored, and no temporary file is left (the folder is as before)."""
    before = snapshot(old_plan)
    real = os.replace
    calls = {"n": 0}

    def refuse_third(src: str | Path, dst: str | Path) -> None:
        if Path(src).name.startswith(".") and ".new." in Path(src).name:
            calls["n"] += 1
            if calls["n"] == 3:
                raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(planner.files.os, "replace", refuse_third)
    result = rerun(runner, old_plan)
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert calls["n"] == 3
    assert snapshot(old_plan) == before, "a mix of new and old files, or temporaries left"


def test_ctrl_c_stops_the_search_keeps_the_old_plan_and_exits_130(tmp_path: Path) -> None:
    """CP-SAT catches SIGINT itself and would end its search as if time had run out;
    planner stops instead: exit 130, nothing written, the old plan directory as it was."""
    import signal
    import time

    estate = tmp_path / "estate"
    made = python_m("generate", str(estate), "--councils", "40", "--seed", "3")
    assert made.returncode == 0, made.stderr
    out = tmp_path / "plan"
    assert python_m("optimise", str(TINY), "--out", str(out), "--quiet", *FAST).returncode == 0
    before = snapshot(out)
    run = subprocess.Popen(
        [*[sys.executable, "-m", "planner", "optimise", str(estate)], "--out", str(out), "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)  # loading, the graph and the model take a few seconds; then the search
    assert run.poll() is None, "the run ended before it could be interrupted"
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert snapshot(out) == before
