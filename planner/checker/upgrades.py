"""Accreditation upgrades the plan buys (spec/decisions.md, "Accreditation upgrades").

plan.json's ``rooms[].upgrades_bought`` (absent or [] = none) lists, for a room, each
upgrade it buys and the month from which the room holds it. This module verifies that

* each is one of the room's ``upgrades`` in the inventory, listed once (rule 8);
* its month is in the horizon and no earlier than the estate's start plus the upgrade's
  ``lead_months`` (month index >= lead_months) (rule 10);
* the room is open in that month (an existing room not yet closed, a candidate already
  open) (rule 10), and open in the target estate: a room that closes, or a candidate not
  opened, has no use for an accreditation (rule 8);
* its ``cost`` and ``annual_cost``, when the plan states them, are the inventory's (costs).

What the upgrades change elsewhere is checked where it falls: rule 3 month by month and in
the target (:mod:`planner.checker.rules`, :mod:`planner.checker.migration`) and the money
(:mod:`planner.checker.one_off`, :mod:`planner.checker.steady`,
:mod:`planner.checker.costs`). Only upgrades the room offers, each the first time it is
listed, count there (:attr:`planner.checker.context.Ctx.upgrades`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from planner.checker.amounts import money_ok, num, q
from planner.checker.context import Ctx
from planner.inventory.items import Room, Upgrade


def check_upgrades(ctx: Ctx) -> None:
    """Every bought upgrade of every room (see the module docstring)."""
    for room in ctx.inv.rooms:
        entry = ctx.room_entry.get(room.id)
        bought = (entry or {}).get("upgrades_bought") or []
        offered = {u.accreditation: u for u in room.upgrades}
        counts = Counter(b["accreditation"] for b in bought)
        for accreditation, n in sorted(counts.items()):
            if n > 1 and accreditation in offered:
                ctx.add(
                    "8",
                    (room.id, accreditation),
                    f"room '{room.id}' buys its upgrade to {accreditation} {n} times; an "
                    "upgrade is bought once",
                )
        seen: set[str] = set()
        for b in bought:
            accreditation = b["accreditation"]
            upgrade = offered.get(accreditation)
            if upgrade is None:
                _not_offered(ctx, room, accreditation)
                continue
            if accreditation in seen:
                continue
            seen.add(accreditation)
            ctx.report.count("upgrades bought")
            _check_month(ctx, room, upgrade, b["month"])
            _check_amounts(ctx, room, upgrade, b)


def _not_offered(ctx: Ctx, room: Room, accreditation: str) -> None:
    if accreditation in room.accreditations:
        why = f"it holds {accreditation} already"
    elif room.upgrades:
        why = "its upgrades are to " + ", ".join(u.accreditation for u in room.upgrades)
    else:
        why = "it has no upgrades in the estate"
    ctx.add(
        "8",
        (room.id, accreditation),
        f"room '{room.id}' buys an upgrade to {accreditation}, which it does not offer ({why})",
    )


def _check_month(ctx: Ctx, room: Room, upgrade: Upgrade, label: str) -> None:
    """In the horizon, after the lead time, in a month the room is open; the room open in
    the target estate."""
    accreditation, ids = upgrade.accreditation, (room.id, upgrade.accreditation)
    t = ctx.cal.index(label)
    assert t is not None  # the shape check accepted it as a month
    if not 0 <= t < ctx.T:
        ctx.add(
            "10",
            (*ids, label),
            f"room '{room.id}' holds its upgrade to {accreditation} from {label}, outside the "
            f"plan's months {ctx.month_label(0)}..{ctx.month_label(ctx.T - 1)}",
        )
        return
    if t < upgrade.lead_months:
        ctx.add(
            "10",
            (*ids, label),
            f"room '{room.id}' holds its upgrade to {accreditation} from {label}, but its "
            f"lead_months {upgrade.lead_months} allow {ctx.month_label(upgrade.lead_months)} "
            "at the earliest",
        )
    if not ctx.room_open_at(room, t):
        ctx.add(
            "10",
            (*ids, label),
            f"room '{room.id}' holds its upgrade to {accreditation} from {label}, but "
            f"{_not_open(ctx, room, t)}",
        )
    if not ctx.room_open_in_plan(room):
        verb = "closes" if room.status == "existing" else "does not open"
        ctx.add(
            "8",
            ids,
            f"room '{room.id}' buys an upgrade to {accreditation}, but the plan {verb} it: "
            "only a room open in the target estate has a use for an accreditation",
        )


def _not_open(ctx: Ctx, room: Room, t: int) -> str:
    """Why a room is not open in month t, in words."""
    first, end = ctx.open_months(room)
    if first >= ctx.T:
        return "the plan does not open it"
    if t < first:
        return f"it opens only in {ctx.month_label(first)}"
    return f"it is closed from {ctx.month_label(end)}"


def _check_amounts(ctx: Ctx, room: Room, upgrade: Upgrade, bought: dict[str, Any]) -> None:
    """cost and annual_cost (opt): the inventory's."""
    for key in ("cost", "annual_cost"):
        exact = q(getattr(upgrade, key))
        if key in bought and not money_ok(bought[key], exact):
            ctx.add(
                "costs",
                (room.id, upgrade.accreditation, key),
                f"room '{room.id}' upgrade to {upgrade.accreditation} has {key} "
                f"{bought[key]} in the plan, but {num(exact)} in the estate",
            )
