"""The 'Rooms and desks' section of report.html: before and after, then every decision."""

from __future__ import annotations

from typing import Any

from planner.reports import fmt, svg
from planner.reports.markup import DECISION_BADGE, badge, e, ids, money, num_cell, table
from planner.reports.plan import PlanView
from planner.reports.wording import (
    DECISION_WORDS,
    compute_use,
    headline_rows,
    suite_text,
    upgrade_text,
)


def rooms(v: PlanView) -> str:
    """The rooms and desks section."""
    return (
        '<section id="rooms"><h2>Rooms and desks</h2>'
        + _before_after(v)
        + _room_decisions(v)
        + _desk_decisions(v)
        + "</section>"
    )


def _before_after(v: PlanView) -> str:
    """The before/after table beside the running-cost chart."""
    rows_ba = "".join(
        f'<tr><th scope="row">{e(w)}</th>{num_cell(b)}{num_cell(a)}{num_cell(c)}</tr>'
        for w, b, a, c in headline_rows(v)
    )
    chart = svg.steady_chart(v, "Running cost a year, today and in the plan")
    figure = f"<figure><h3>Running cost a year</h3>{chart}</figure>" if chart else ""
    return (
        '<div class="grid2"><div><h3>Before and after</h3>'
        + table(
            [("", "l"), ("Before", "r"), ("After", "r"), ("Change", "r")], [rows_ba], cls="compact"
        )
        + f"</div>{figure}</div>"
    )


def _room_decisions(v: PlanView) -> str:
    """One row per machine room: decision and when, racks, zones, accreditations, cost."""
    return "<h3>Machine room decisions</h3>" + table(
        [
            ("Room", "l"),
            ("Decision", "l"),
            ("Racks used", "r"),
            ("Zones", "l"),
            ("Accreditations", "l"),
            ("Cost a year", "r"),
            ("Main reason", "l"),
        ],
        [_room_row(r) for r in v.rooms],
        cls="decisions",
    )


def _room_row(r: dict[str, Any]) -> str:
    """One machine room's row."""
    d = r["decision"]
    when = ""
    if d == "close":
        when = "closes " + fmt.month(r.get("close_month"))
    elif d == "open":
        when = "opens " + fmt.month(r.get("open_month"))
    where = " / ".join(e(x) for x in (r.get("site"), r.get("organisation")) if x)
    suite = suite_text(r, _code)
    return (
        f'<tr class="dec-{d}"><th scope="row"><code>{e(r["id"])}</code>'
        + (f'<div class="sub">{suite}</div>' if suite else "")
        + (f'<div class="sub">{where}</div>' if where else "")
        + "</th>"
        f"<td>{badge(DECISION_WORDS[d], DECISION_BADGE[d])}"
        + (f'<div class="sub">{e(when)}</div>' if when else "")
        + "</td>"
        f'<td class="num">{e(_racks(r))}{_compute(r)}</td><td>{_zones(r)}</td>'
        f"<td>{ids(r.get('accreditations') or [])}{_upgrades(r)}</td>"
        f"{money(r.get('annual_cost'))}"
        f'<td class="reason">{e(r.get("reason") or "")}</td></tr>'
    )


def _code(text: str) -> str:
    """An identifier from the plan as code (escaped)."""
    return f"<code>{e(text)}</code>"


def _upgrades(r: dict[str, Any]) -> str:
    """One line per accreditation upgrade bought for the room ('' when none): 'gains
    dspt from Oct 2027 (£50,000 once, £10,000 a year)'."""
    return "".join(
        f'<div class="sub">{upgrade_text(u, _code)}</div>' for u in PlanView.upgrades_bought(r)
    )


def _racks(r: dict[str, Any]) -> str:
    """'4 → 0 of 10': racks used before → after, of the room's racks."""

    def used(key: str) -> str:
        x = r.get(key)
        return fmt.num(x) if x is not None else fmt.DASH

    racks = f"{used('racks_used_before')} → {used('racks_used_after')}"
    cap = r.get("racks")
    if cap is not None:
        racks += f" of {fmt.num(cap)}"
    return racks


def _compute(r: dict[str, Any]) -> str:
    """One line per compute resource the plan gives (:func:`compute_use`); '' without."""
    return "".join(f'<div class="sub">{e(text)}</div>' for text in compute_use(r))


def _zones(r: dict[str, Any]) -> str:
    """The room's security zones, before → after when they change."""
    zb = r.get("zones_before")
    za = r.get("zones_after")
    if zb is None and za is None:
        return ""
    if (zb or []) == (za or []):
        return ids(za or [])
    return f"{ids(zb or [])} → {ids(za or [])}"


def _desk_decisions(v: PlanView) -> str:
    """One row per service desk: decision and when, FTE, whom it serves ('' without desks)."""
    if not v.desks:
        return ""
    rows = []
    for d in v.desks:
        when = "closes " + fmt.month(d.get("close_month")) if d["decision"] == "close" else ""
        serves = d.get("organisations")
        rows.append(
            f'<tr class="dec-{d["decision"]}"><th scope="row"><code>{e(d["id"])}</code>'
            + (f'<div class="sub">{e(d["site"])}</div>' if d.get("site") else "")
            + "</th>"
            f"<td>{badge(d['decision'], DECISION_BADGE[d['decision']])}"
            + (f'<div class="sub">{e(when)}</div>' if when else "")
            + "</td>"
            f'<td class="num">{e(fmt.num(d.get("fte_before")))} → {e(fmt.num(d.get("fte")))}'
            f"</td><td>{ids(serves) if serves is not None else fmt.DASH}</td>"
            f'<td class="reason">{e(d.get("reason") or "")}</td></tr>'
        )
    return "<h3>Service desk decisions</h3>" + table(
        [
            ("Desk", "l"),
            ("Decision", "l"),
            ("FTE", "r"),
            ("Serves in the plan", "l"),
            ("Main reason", "l"),
        ],
        rows,
        cls="decisions",
    )
