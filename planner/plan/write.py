"""Write a plan directory: check the plan independently, then write plan.json and the reports.

Every plan goes through :func:`planner.checker.check_plan` before anything is
written; a violation means the optimiser is wrong, so it stops the run loudly
(:class:`PlanBug`) instead of writing a plan that breaks a rule. Reports are
rendered in memory first, then every file is written all or nothing, so an
existing plan is only ever replaced by a complete new one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.checker import CheckReport, check_plan
from planner.files import write_files
from planner.inventory.load import Loaded
from planner.planfile import dumps
from planner.reports import render_reports

__all__ = ["PlanBug", "write_plan_dir"]


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

    Nothing is written unless the independent checker passes the plan and every
    report renders; then all the files are written all or nothing
    (:func:`planner.files.write_files`): on any failure the old plan directory is
    left as it was.
    """
    report = check_plan(loaded, plan)
    if not report.ok:
        raise PlanBug(report)
    return write_files(out, {"plan.json": dumps(plan), **render_reports(plan)})
