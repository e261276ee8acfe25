"""The 'Staff' section of report.html: posts before and after, by site and by partner."""

from __future__ import annotations

from planner.reports import fmt
from planner.reports.markup import e, num_cell, table
from planner.reports.plan import STAFF_BY_ORGANISATION, PlanView


def staff(v: PlanView) -> str:
    """The staff section ('' when the plan has no staff figures)."""
    if not v.staff:
        return ""
    return (
        '<section id="staff"><h2>Staff</h2><div class="grid2">'
        + _posts(v)
        + _by_site(v)
        + "</div>"
        + _by_partner(v)
        + "</section>"
    )


def _posts(v: PlanView) -> str:
    """Service desk and machine room FTE, before, after and the change; the total."""
    s = v.staff
    rows = []
    for label, key in (("Service desk", "desk_fte"), ("Machine rooms", "ops_fte")):
        b, a = s.get(f"{key}_before"), s.get(f"{key}_after")
        diff = None if a is None or b is None else a - b
        rows.append(
            f'<tr><th scope="row">{e(label)}</th>{num_cell(fmt.num(b))}'
            f"{num_cell(fmt.num(a))}{num_cell(fmt.num(diff, signed=True), diff)}</tr>"
        )
    b, a = v.staff_total(True), v.staff_total(False)
    diff = None if a is None or b is None else a - b
    foot = (
        f'<tr><th scope="row">Total</th>{num_cell(fmt.num(b))}{num_cell(fmt.num(a))}'
        f"{num_cell(fmt.num(diff, signed=True), diff)}</tr>"
    )
    return (
        "<div><h3>Posts (FTE)</h3>"
        + table(
            [("", "l"), ("Before", "r"), ("After", "r"), ("Change", "r")],
            rows,
            cls="compact",
            foot=foot,
        )
        + "</div>"
    )


def _by_site(v: PlanView) -> str:
    """FTE on each site, before and after ('' when the plan has no by_site)."""
    by_site = v.staff.get("by_site") or []
    if not by_site:
        return ""
    rows = []
    for r in by_site:
        before = (r.get("desk_fte_before") or 0) + (r.get("ops_fte_before") or 0)
        after = (r.get("desk_fte_after") or 0) + (r.get("ops_fte_after") or 0)
        rows.append(
            f'<tr><th scope="row"><code>{e(r.get("site") or "")}</code>'
            f'<div class="sub">{e(r.get("organisation") or "")}</div></th>'
            f"{num_cell(fmt.num(before))}{num_cell(fmt.num(after))}"
            f"{num_cell(fmt.num(after - before, signed=True), after - before)}</tr>"
        )
    return (
        "<div><h3>By site</h3>"
        + table(
            [("Site", "l"), ("Before", "r"), ("After", "r"), ("Change", "r")],
            rows,
            cls="compact",
        )
        + "</div>"
    )


def _by_partner(v: PlanView) -> str:
    """Each partner's posts, transfers, removals and additions ('' without by_organisation)."""
    by_org = v.staff.get("by_organisation") or []
    if not by_org:
        return ""
    rows = []
    for r in by_org:
        cells = "".join(num_cell(fmt.num(r.get(k))) for k in STAFF_BY_ORGANISATION)
        name = v.org_name(r.get("id") or "")
        sub = f'<div class="sub">{e(name)}</div>' if name else ""
        rows.append(
            f'<tr><th scope="row"><code>{e(r.get("id") or "")}</code>{sub}</th>{cells}</tr>'
        )
    return (
        "<h3>By partner</h3>"
        + table(
            [
                ("Partner", "l"),
                ("Desk before", "r"),
                ("Desk after", "r"),
                ("Rooms before", "r"),
                ("Rooms after", "r"),
                ("Transfer out", "r"),
                ("Transfer in", "r"),
                ("Removed", "r"),
                ("Added", "r"),
                ("Stay local", "r"),
            ],
            rows,
            cls="money",
        )
        + '<p class="note">Posts are those on each partner\'s sites: desk FTE plus '
        "the operations staff of open machine rooms. A transfer is desk work that "
        "moves to another partner's desk (FTE-equivalent at the receiving desk). "
        "After = before − transfer out + transfer in − removed + added.</p>"
    )
