"""Write a plan directory: check the plan independently, then write plan.json and the reports.

Every plan is first validated against plan.json's definition (the models of
:mod:`planner.planfile`): a value of the wrong type, or a key the models do not
declare, means planner's writer and the definition have drifted apart, so it stops
the run (:class:`PlanBug`); planner's own plans never carry an undocumented key.
Then the plan goes through :func:`planner.checker.check_plan`; a violation means
the optimiser is wrong, so it also stops the run loudly instead of writing a plan
that breaks a rule. Reports are rendered in memory first, then every file is
written all or nothing, so an existing plan is only ever replaced by a complete new
one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.checker import CheckReport, check_plan
from planner.files import write_files
from planner.inventory.load import Loaded
from planner.planfile import PlanError, dumps, validate_plan
from planner.reports import render_reports

__all__ = ["PlanBug", "definition_problems", "write_plan_dir"]


class PlanBug(RuntimeError):
    """The optimiser produced a plan that its definition or the independent checker rejects."""

    def __init__(
        self, report: CheckReport | None = None, problems: list[str] | None = None
    ) -> None:
        self.report = report
        self.problems = problems or []
        if report is not None:
            lines = "\n".join(v.render() for v in report.violations[:50])
            what = (
                f"the plan breaks {len(report.violations)} rule(s) according to the "
                "independent checker"
            )
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems[:50])
            what = (
                f"plan.json does not follow its definition (planner/planfile.py, "
                f"docs/plan-format.md): {len(self.problems)} problem(s)"
            )
        super().__init__(
            f"planner bug: {what}; nothing was written. Please report this with the estate.\n"
            f"{lines}"
        )


def definition_problems(plan: dict[str, Any]) -> list[str]:
    """How ``plan`` strays from plan.json's definition: wrong types, missing core keys, and
    keys the models do not declare (which other tools' plans may carry, planner's may not)."""
    try:
        valid = validate_plan(plan)
    except PlanError as exc:
        return exc.problems
    return [
        f"{path}: a key plan.json's definition does not declare (declare it in "
        "planner/planfile.py and document it in docs/plan-format.md, or do not write it)"
        for path in valid.undeclared
    ]


def write_plan_dir(
    plan: dict[str, Any],
    out: Path,
    loaded: Loaded,
    before_writing: Callable[[dict[str, Any]], None] | None = None,
) -> list[Path]:
    """Validate ``plan``, check it against the estate and write PLAN_DIR/plan.json and the
    reports.

    Nothing is written unless the plan follows its definition, the independent
    checker passes it and every report renders; then all the files are written all
    or nothing (:func:`planner.files.write_files`): on any failure the old plan
    directory is left as it was. ``before_writing`` may still update plan.json's
    timings once the checker and the reports are done (``solver.budget``); the
    reports are rendered before it.
    """
    problems = definition_problems(plan)
    if problems:
        raise PlanBug(problems=problems)
    report = check_plan(loaded, plan)
    if not report.ok:
        raise PlanBug(report)
    reports = render_reports(plan)
    if before_writing is not None:
        before_writing(plan)
    return write_files(out, {"plan.json": dumps(plan), **reports})
