"""The 'Security evidence' section of report.html: where each zone is hosted, which zones
share its rooms, and whether its rules hold."""

from __future__ import annotations

from planner.reports import fmt
from planner.reports.markup import e, ids, table
from planner.reports.plan import PlanView
from planner.reports.security import Evidence, ZoneEvidence, evidence
from planner.reports.wording import held_after_words, suite_text


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
            [_zone_row(z, ev) for z in ev.zones],
            cls="security",
        )
        + rules_note
        + _accreditations_after(v)
        + "</section>"
    )


def _accreditations_after(v: PlanView) -> str:
    """The accreditations of each room that gains one, after the plan: today's, then those
    bought with the month each is held from ('' when the plan buys none)."""
    if not v.has_upgrades:
        return ""
    items = "".join(
        f"<li><code>{e(r['id'])}</code>: {', '.join(held_after_words(v, r, _code))}</li>"
        for r in v.rooms
        if r.get("upgrades_bought")
    )
    return (
        "<h3>Accreditations after the plan</h3>"
        '<p class="note">Today\'s accreditations, then those the plan buys, from the month '
        "each is held; a room hosts a zone that requires one only from that month.</p>"
        f'<ul class="plain">{items}</ul>'
    )


def _code(text: str) -> str:
    """An identifier from the plan as code (escaped)."""
    return f"<code>{e(text)}</code>"


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
    held = ""
    if ev.held_from:
        held = " (after the migration, with those bought and the month each is held from)"
    return (
        f'<p class="lead">Where each security zone is hosted {e(during)}, with '
        f"the rooms' accreditations{held}.</p>"
    )


def _zone_row(z: ZoneEvidence, ev: Evidence) -> str:
    """One zone: its rooms today and after, the zones it shares with, its rule checks."""
    shares = []
    for label, lst in (
        ("today", z.shares_before),
        ("during", z.shares_during),
        ("after", z.shares_after),
    ):
        if label == "during" and not ev.months_checked:
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
        f'<tr><th scope="row">{head}</th><td>{_rooms_cell(z.rooms_before, ev)}</td>'
        f"<td>{_rooms_cell(z.rooms_after, ev)}</td><td>{'<br>'.join(shares)}</td>"
        f'<td><ul class="checks">{checks}</ul></td></tr>'
    )


def _rooms_cell(items: list[tuple[str, list[str]]], ev: Evidence) -> str:
    """Rooms with their accreditations, one a line ('—' for none); a suite says which room
    it is inside, and an accreditation bought the month it is held from."""
    if not items:
        return fmt.DASH
    return '<ul class="plain">' + "".join(_room_item(r, acc, ev) for r, acc in items) + "</ul>"


def _room_item(room: str, acc: list[str], ev: Evidence) -> str:
    """'<code>room</code> psn, dspt from Oct 2027' (suite inside its parent, first)."""
    bought = ev.held_from.get(room, {})
    words = [a + (f" from {fmt.month(bought[a])}" if a in bought else "") for a in acc]
    suite = suite_text({"within": ev.within.get(room)}, _code)
    return (
        f'<li><code>{e(room)}</code> <span class="sub">'
        + (f"{suite}; " if suite else "")
        + f"{e(', '.join(words) if words else 'no accreditations')}</span></li>"
    )
