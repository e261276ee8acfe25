"""Write a plan directory: check the plan independently, then write plan.json and the reports.

Every plan goes through :func:`planner.checker.check_plan` before anything is
written; a violation means the optimiser is wrong, so it stops the run loudly
(:class:`PlanBug`) instead of writing a plan that breaks a rule. Reports are
rendered in memory first, then plan.json and each report are written to a
temporary file and renamed, so an existing plan is only ever replaced by a
complete new one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from planner.checker import CheckReport, check_plan
from planner.inventory.load import Loaded
from planner.plan import dumps, write_atomic
from planner.reports import render_reports
from planner.reports.summary import terminal_summary

__all__ = ["PlanBug", "terminal_summary", "write_plan_dir"]


class PlanBug(RuntimeError):
    """The optimiser produced a plan that the independent checker rejects."""

    def __init__(self, report: CheckReport) -> None:
        self.report = report
        lines = "\n".join(v.render() for v in report.violations[:50])
        super().__init__(
            f"planner bug: the plan breaks {len(report.violations)} rule(s) according to the "
            f"independent checker; nothing was written. Please report this with the estate.\n"
            f"{lines}"
        )


def write_plan_dir(plan: dict[str, Any], out: Path, loaded: Loaded) -> list[Path]:
    """Check ``plan`` against the estate and write PLAN_DIR/plan.json and the reports.

    Every file is first written in full to a temporary file in PLAN_DIR; only when all
    are written are they renamed over the old ones (renames do not fail for lack of
    space). A failure before that removes the temporary files and leaves the old plan.
    """
    report = check_plan(loaded, plan)
    if not report.ok:
        raise PlanBug(report)
    files = {"plan.json": dumps(plan).encode(), **render_reports(plan)}
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            tmp = out / f".{name}.{os.getpid()}.tmp"
            write_atomic(tmp, data)
            staged.append((tmp, out / name))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]
