"""The 'Migration timeline' section of report.html: the chart, the monthly waves, the
service desk changes and every move, grouped by destination room."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from planner.reports import fmt
from planner.reports.fmt import plural
from planner.reports.gantt import DETAIL_LIMIT, gantt
from planner.reports.markup import e, money, num_cell, table
from planner.reports.plan import PlanView, fy_of, month_index
from planner.reports.wording import month_span

OPEN_LIMIT = 40
"""Move lists per destination room are expanded when the plan has at most this many moves."""


def timeline(v: PlanView) -> str:
    """The migration timeline section."""
    return (
        '<section id="timeline"><h2>Migration timeline</h2>'
        + _lead(v)
        + _chart(v)
        + _waves_and_desks(v)
        + _moves_by_destination(v)
        + "</section>"
    )


def _lead(v: PlanView) -> str:
    """'12 workloads move in 4 monthly waves, Oct 2027 – Jan 2028, 30 person-days in all.'"""
    moves = v.moves
    if not moves:
        return '<p class="lead">No workload moves.</p>'
    months = sorted({a["month"] for a in moves}, key=month_index)
    days = sum(float(w.get("days") or 0) for w in v.waves)
    return (
        f'<p class="lead">{plural(len(moves), "workload")} '
        f"{'moves' if len(moves) == 1 else 'move'} in "
        f"{plural(len(v.waves), 'monthly wave')}, "
        f"{e(month_span(months))}"
        + (f", {e(fmt.num(days))} person-days in all" if days else "")
        + ".</p>"
    )


def _chart(v: PlanView) -> str:
    """The Gantt chart with its caption ('' when nothing moves, closes or opens)."""
    chart = gantt(v)
    if not chart:
        return ""
    mode = (
        "one bar per workload"
        if len(v.moves) <= DETAIL_LIMIT
        else "one row per source room; each block is a month's moves, with the count"
    )
    return (
        f'<figure class="wide">{chart}<figcaption>Rooms from today to the end of '
        f"the migration, then the moves into each destination room ({e(mode)}), "
        "then the person-days of each month. Hover a bar for details."
        "</figcaption></figure>"
    )


def _waves_and_desks(v: PlanView) -> str:
    """The waves table beside the service desk changes ('' without waves)."""
    if not v.waves:
        return ""
    return (
        '<div class="grid2"><div><h3>Waves</h3>'
        + _waves(v)
        + "</div><div>"
        + _desk_changes(v)
        + "</div></div>"
    )


def _waves(v: PlanView) -> str:
    """One row per monthly wave: workloads, person-days, cost, financial year; a total."""
    rows = []
    for w in v.waves:
        names = w.get("workloads") or []
        rows.append(
            f'<tr><th scope="row">{e(fmt.month(w["month"]))}</th>'
            f"{num_cell(str(len(names)))}{num_cell(fmt.num(w.get('days')))}"
            f"{money(w.get('cost'))}<td>{e(fy_of(w['month']))}</td></tr>"
        )
    total_cost = sum(float(w.get("cost") or 0) for w in v.waves)
    foot = (
        f'<tr><th scope="row">Total</th>{num_cell(str(len(v.moves)))}'
        f"{num_cell(fmt.num(sum(float(w.get('days') or 0) for w in v.waves)))}"
        f"{money(total_cost)}<td></td></tr>"
    )
    return table(
        [
            ("Month", "l"),
            ("Workloads", "r"),
            ("Person-days", "r"),
            ("Migration cost", "r"),
            ("Financial year", "l"),
        ],
        rows,
        cls="compact",
        foot=foot,
    )


def _desk_changes(v: PlanView) -> str:
    """Partners whose service desk changes, and when ('' when none does)."""
    das = [d for d in v.desk_assignments if d.get("month")]
    if not das:
        return ""
    rows = [
        f'<tr><th scope="row"><code>{e(d["organisation"])}</code></th>'
        f"<td><code>{e(d.get('from') or '')}</code> → <code>{e(d['desk'])}</code>"
        f"</td><td>{e(fmt.month(d.get('month')))}</td></tr>"
        for d in das
    ]
    return "<h3>Service desk changes</h3>" + table(
        [("Partner", "l"), ("Desk", "l"), ("From", "l")], rows, cls="compact"
    )


def _moves_by_destination(v: PlanView) -> str:
    """Every move, one collapsible list per destination room (room order, then name)."""
    moves = v.moves
    if not moves:
        return ""
    by_dest: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in moves:
        by_dest[a["to"]].append(a)
    order = {r["id"]: i for i, r in enumerate(v.rooms)}
    opened = " open" if len(moves) <= OPEN_LIMIT else ""
    return "<h3>Every move, by destination room</h3>" + "".join(
        _destination(dest, by_dest[dest], opened)
        for dest in sorted(by_dest, key=lambda d: (order.get(d, 10**6), d))
    )


def _destination(dest: str, moves: list[dict[str, Any]], opened: str) -> str:
    """The moves into one room: a summary line, then one row per workload."""
    items = sorted(moves, key=lambda a: (month_index(a["month"]), a["from"], a["workload"]))
    span = month_span(sorted({a["month"] for a in items}, key=month_index))
    cost = sum(float(a.get("migration_cost") or 0) for a in items)
    rows = [
        f'<tr><th scope="row"><code>{e(a["workload"])}</code>'
        + (f'<div class="sub">{e(a["name"])}</div>' if a.get("name") else "")
        + "</th>"
        f"<td>{e(a.get('organisation') or '')}</td>"
        f"<td>{e(a.get('zone') or '')}</td>"
        f"<td><code>{e(a['from'])}</code></td>"
        f"<td>{e(fmt.month(a['month']))}</td>"
        f"{num_cell(fmt.num(a.get('migration_days')))}"
        f"{money(a.get('migration_cost'))}"
        f'<td class="reason">{e(a.get("reason") or "")}</td></tr>'
        for a in items
    ]
    return (
        f"<details{opened}><summary>Into <code>{e(dest)}</code>: "
        f"{plural(len(items), 'workload')}, {e(span)}, {e(fmt.gbp(cost))}</summary>"
        + table(
            [
                ("Workload", "l"),
                ("Partner", "l"),
                ("Zone", "l"),
                ("From", "l"),
                ("Month", "l"),
                ("Days", "r"),
                ("Cost", "r"),
                ("Main reason", "l"),
            ],
            rows,
            cls="moves",
        )
        + "</details>"
    )
