"""Secure suites (spec/decisions.md, "Secure suites").

A room with ``within`` in the inventory is a suite built inside its parent room. It is
a room of its own for rules 2, 3 and 4 (nothing to check here: the rules judge each room
by itself). This module verifies that

* ``rooms[].within``, when the plan states it, is the inventory's (rule 8);
* a suite open in the target estate (kept or opened) has its parent open there too
  (rule 8);
* in every month the suite is open its parent is open: an existing suite closes no
  later than its parent, an opened candidate suite opens no earlier than its parent
  (rule 10).

That a candidate parent opens with its first suite when no move in comes sooner is
checked with the other open months (:func:`planner.checker.migration.check_rooms_months`);
that ``--max-rooms`` leaves suites out, with the limit (:mod:`planner.checker.rules`).
"""

from __future__ import annotations

from planner.checker.context import Ctx
from planner.inventory.items import Room


def check_suites(ctx: Ctx) -> None:
    """Every suite against its parent (see the module docstring)."""
    inv = ctx.inv
    for room in inv.rooms:
        entry = ctx.room_entry.get(room.id)
        if entry is not None and "within" in entry and entry["within"] != room.within:
            truth = f"inside '{room.within}'" if room.within is not None else "not a suite"
            ctx.add(
                "8",
                (room.id, "within"),
                f"room '{room.id}' has within '{entry['within']}' in the plan, but it is "
                f"{truth} in the estate",
            )
        parent = inv.room.get(room.within) if room.within is not None else None
        if parent is None:
            continue
        ctx.report.count("suites")
        if ctx.room_open_in_plan(room) and not ctx.room_open_in_plan(parent):
            verb = "keeps" if room.status == "existing" else "opens"
            undone = "closes" if parent.status == "existing" else "does not open"
            ctx.add(
                "8",
                (room.id, parent.id),
                f"the plan {verb} suite '{room.id}' but {undone} its parent '{parent.id}'; a "
                "suite is open only while the room it is inside is",
            )
        _check_months(ctx, room, parent)


def _check_months(ctx: Ctx, suite: Room, parent: Room) -> None:
    """Suite open in month m => parent open in month m, for every month of the plan."""
    months = [
        m for m in range(ctx.T) if ctx.room_open_at(suite, m) and not ctx.room_open_at(parent, m)
    ]
    if not months:
        return
    first, last = months[0], months[-1]
    when = ctx.month_label(first)
    if last != first:
        when += f"..{ctx.month_label(last)}"
    p_first, p_end = ctx.open_months(parent)
    if p_first >= ctx.T:
        why = "is not opened"
    elif first < p_first:
        why = f"opens only in {ctx.month_label(p_first)}"
    else:
        why = f"closed from {ctx.month_label(p_end)}"
    ctx.add(
        "10",
        (suite.id, parent.id, ctx.month_label(first)),
        f"suite '{suite.id}' is open in {when} but its parent '{parent.id}' {why}; a suite "
        "is open only while its parent is",
    )
