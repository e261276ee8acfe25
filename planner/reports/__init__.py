"""The human reports of a plan, rendered from plan.json alone.

`write_reports(plan, plan_dir)` writes, beside plan.json:

- ``summary.md``  a short account for the head of ICT (markdown);
- ``report.html`` the self-contained page for the programme board (charts inline);
- ``plan.xlsx``   sheets moves, rooms, years, organisations, staff (+ transfers, desks,
  summary) for the finance team;
- ``moves.csv``   one row per workload that moves.

Every report is rendered in memory first; only when all four have rendered are
they written, all or nothing (:func:`planner.files.write_files`). A failing
render or write therefore leaves the previous reports as they were, and a
reader never sees a half-written file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from planner.files import write_files
from planner.planfile import Plan, PlanError, check_plan

if TYPE_CHECKING:
    from planner.reports.explore import ExploreLink

__all__ = ["REPORT_FILES", "render_reports", "write_reports"]

REPORT_FILES = ("summary.md", "report.html", "plan.xlsx", "moves.csv")


def render_reports(plan: Plan, *, explore: ExploreLink | None = None) -> dict[str, bytes]:
    """Every report's bytes, by file name (nothing is written). With ``explore``,
    report.html has an Exploration section summarising it and linking to its
    explore.html; without, the reports are exactly as before."""
    from planner.reports.html import report_html
    from planner.reports.summary import summary_markdown
    from planner.reports.tables import moves_csv, plan_xlsx

    renderers: dict[str, Callable[[Plan], str | bytes]] = {
        "summary.md": summary_markdown,
        "report.html": partial(report_html, explore=explore) if explore else report_html,
        "plan.xlsx": plan_xlsx,
        "moves.csv": moves_csv,
    }
    out: dict[str, bytes] = {}
    for name, render in renderers.items():
        data = render(plan)
        out[name] = data.encode("utf-8") if isinstance(data, str) else data
    return out


def write_reports(plan: Plan, plan_dir: Path, *, explore: ExploreLink | None = None) -> list[Path]:
    """Render every report of ``plan`` and write them into ``plan_dir``; return their paths.

    ``plan`` is the dict of plan.json (as json.load gives it). Raises PlanError if
    it is not a readable plan, OSError if the directory cannot be written; in both
    cases, and if a renderer fails, existing reports are left untouched. ``explore``: see
    :func:`render_reports`.
    """
    problems = check_plan(plan)
    if problems:
        raise PlanError(plan_dir / "plan.json", problems)
    return write_files(plan_dir, render_reports(plan, explore=explore))
