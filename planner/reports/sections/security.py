"""The 'Security evidence' section of report.html: where each zone is hosted, which zones
share its rooms, and whether its rules hold."""

from __future__ import annotations

from planner.reports import fmt
from planner.reports.markup import e, ids, table
from planner.reports.plan import PlanView
from planner.reports.security import Evidence, ZoneEvidence, evidence


def security(v: PlanView) -> str:
    """The security evidence section ('' when the plan mentions no zone)."""
    ev = evidence(v)
    if not ev.zones:
        return ""
    rules_note = ""
    if not ev.rules_recorded:
        rules_note = (
            '<p class="note">This plan does not record the estate\'s '
            "<code>separate</code> and <code>isolation</code> rules, so the table "
            "shows which zones share rooms; <code>planner check</code> verifies every "
            "rule against the estate's files.</p>"
        )
    return (
        '<section id="security"><h2>Security evidence</h2>'
        + _lead(ev)
        + table(
            [
                ("Zone", "l"),
                ("Rooms today", "l"),
                ("Rooms after", "l"),
                ("Shares a room with", "l"),
                ("Rules", "l"),
            ],
            [_zone_row(z, ev.months_checked) for z in ev.zones],
            cls="security",
        )
        + rules_note
        + "</section>"
    )


def _lead(ev: Evidence) -> str:
    """When the zones were checked: today, after, and each month of the migration."""
    if ev.months_checked:
        during = (
            "today, after, and in "
            + (
                "the one month"
                if ev.months_checked == 1
                else f"each of the {ev.months_checked} months"
            )
            + " of the migration (rebuilt from each move's month)"
        )
    else:
        during = "today and after the migration"
    return (
        f'<p class="lead">Where each security zone is hosted {e(during)}, with '
        "the rooms' accreditations.</p>"
    )


def _zone_row(z: ZoneEvidence, months_checked: int) -> str:
    """One zone: its rooms today and after, the zones it shares with, its rule checks."""
    shares = []
    for label, lst in (
        ("today", z.shares_before),
        ("during", z.shares_during),
        ("after", z.shares_after),
    ):
        if label == "during" and not months_checked:
            continue
        shares.append(f"{e(label)}: {ids(lst) if lst else 'no other zone'}")
    checks = "".join(
        f'<li class="{"ok" if c.ok else "fail"}">'
        f'<span class="mark">{"✓" if c.ok else "✗"}</span> {e(c.text)}</li>'
        for c in z.checks
    )
    if not checks:
        checks = '<li class="na">rules not recorded in the plan</li>'
    head = f"<code>{e(z.zone)}</code>"
    if z.name:
        head += f'<div class="sub">{e(z.name)}</div>'
    return (
        f'<tr><th scope="row">{head}</th><td>{_rooms_cell(z.rooms_before)}</td>'
        f"<td>{_rooms_cell(z.rooms_after)}</td><td>{'<br>'.join(shares)}</td>"
        f'<td><ul class="checks">{checks}</ul></td></tr>'
    )


def _rooms_cell(items: list[tuple[str, list[str]]]) -> str:
    """Rooms with their accreditations, one a line ('—' for none)."""
    if not items:
        return fmt.DASH
    return (
        '<ul class="plain">'
        + "".join(
            f'<li><code>{e(r)}</code> <span class="sub">'
            f"{e(', '.join(acc) if acc else 'no accreditations')}</span></li>"
            for r, acc in items
        )
        + "</ul>"
    )
