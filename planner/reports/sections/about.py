"""The 'About this plan' section of report.html: where the plan came from and what the
solver proved."""

from __future__ import annotations

from planner.reports import fmt
from planner.reports.markup import e, table
from planner.reports.plan import PlanView


def about(v: PlanView) -> str:
    """The about section: one row per known fact, then how to re-create and check the plan."""
    rows = [
        f'<tr><th scope="row">{e(label)}</th><td>{e(value)}</td></tr>'
        for label, value in _facts(v)
        if value is not None and value != ""
    ]
    return (
        '<section id="about"><h2>About this plan</h2>'
        + table([], rows, cls="about compact")
        + '<p class="note">Re-create this page with <code>planner report PLAN_DIR</code>; '
        "check the plan against the estate with <code>planner check ESTATE_DIR "
        "PLAN_DIR/plan.json</code>. Money is in GBP; financial years run April to "
        "March.</p></section>"
    )


def _facts(v: PlanView) -> list[tuple[str, object]]:
    """(label, value) of the plan's provenance and solve; a None or '' value is left out."""
    p, s = v.plan, v.solver
    facts: list[tuple[str, object]] = [
        ("Estate", v.estate),
        ("Plan format", p.get("format")),
        ("Inventory SHA-256", p.get("inventory_sha256")),
        ("planner version", p.get("planner_version")),
        ("Created", p.get("created")),
        ("Options", ", ".join(f"{k} {val}" for k, val in v.options.items() if val is not None)),
        ("Solver status", v.status_text()),
    ]
    if v.objective is not None:
        facts.append(("Objective", fmt.gbp(v.objective, pence=True)))
    if s.get("bound") is not None:
        facts.append(("Proven lower bound", fmt.gbp(float(s["bound"]), pence=True)))
    if v.gap is not None:
        facts.append(("Gap", f"{v.gap * 100:.3f}%"))
    if s.get("annuity_factor") is not None:
        facts.append(("Annuity factor A", f"{float(s['annuity_factor']):.6f}"))
    if s.get("wall_s") is not None:
        facts.append(("Solve time", f"{float(s['wall_s']):.1f} s"))
    facts += [
        ("Schedule status", s.get("schedule_status")),
        ("Cost allocation", v.finance.get("allocation")),
    ]
    return facts
