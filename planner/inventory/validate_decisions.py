"""Checks of the decisions beyond keep-or-close (spec/decisions.md): upgrades and suites.

Part of :data:`planner.inventory.validate.CHECKS`; like every check they tolerate
broken references (the reference check reports them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from planner.inventory.findings import Finding
from planner.inventory.items import Inventory
from planner.inventory.load import Loaded


class Context(Protocol):
    """What these checks need of :class:`planner.inventory.validate.Context`."""

    @property
    def loaded(self) -> Loaded: ...

    @property
    def inv(self) -> Inventory: ...

    def error(
        self,
        code: str,
        section: str,
        item: str | None,
        field: str | None,
        message: str,
        fix: str = "",
    ) -> Finding: ...

    def warning(
        self,
        code: str,
        section: str,
        item: str | None,
        field: str | None,
        message: str,
        fix: str = "",
    ) -> Finding: ...


def check_upgrades(ctx: Context) -> Iterator[Finding]:
    """An upgrade gains an accreditation the room does not hold, once, within the horizon."""
    inv = ctx.inv
    months = 12 * inv.estate.horizon_years
    for r in inv.rooms:
        seen: set[str] = set()
        for k, u in enumerate(r.upgrades):
            where = f"upgrades[{k}].accreditation"
            if u.accreditation in r.accreditations:
                yield ctx.error(
                    "upgrade-held",
                    "rooms",
                    r.id,
                    where,
                    f"the room already holds {u.accreditation}",
                    "remove the upgrade, or the accreditation if the room does not hold it yet",
                )
            elif u.accreditation in seen:
                yield ctx.error(
                    "upgrade-twice",
                    "rooms",
                    r.id,
                    where,
                    f"a second upgrade to {u.accreditation}",
                    "keep one upgrade per accreditation",
                )
            seen.add(u.accreditation)
            if ctx.loaded.has_estate and u.lead_months >= months:
                yield ctx.warning(
                    "upgrade-after-horizon",
                    "rooms",
                    r.id,
                    f"upgrades[{k}].lead_months",
                    f"lead_months {u.lead_months} reaches past the {months}-month horizon, "
                    "so the plan can never buy it",
                    "shorten the lead time or extend horizon_years",
                )


def check_suites(ctx: Context) -> Iterator[Finding]:
    """A suite is inside a room that is not a suite, on that room's site; an existing
    suite is inside an existing room; a suite kept open is not inside a room that closes."""
    inv = ctx.inv
    for r in inv.rooms:
        if r.within is None:
            continue
        parent = inv.room.get(r.within)
        if r.within == r.id:
            yield ctx.error(
                "suite-itself",
                "rooms",
                r.id,
                "within",
                "a room cannot be a suite inside itself",
                "name the room it is built inside",
            )
            continue
        if parent is None:
            continue  # reported as a dangling reference
        problem = None
        if parent.within is not None:
            problem = (
                f"room '{parent.id}' is itself a suite (inside '{parent.within}'); "
                "suites do not nest",
                f"name '{parent.within}' instead",
            )
        elif r.site != parent.site:
            problem = (
                f"the suite is on site '{r.site}' but room '{parent.id}' is on '{parent.site}'",
                "leave out the suite's site (it is its parent's) or correct it",
            )
        elif r.status == "existing" and parent.status == "candidate":
            problem = (
                f"an existing suite inside candidate room '{parent.id}', which is not open today",
                "make the suite a candidate too, or the parent existing",
            )
        elif r.keep and parent.close:
            problem = (
                f"the suite must stay open (keep: true) but room '{parent.id}' must close",
                "drop one of keep and close",
            )
        if problem is not None:
            yield ctx.error("suite", "rooms", r.id, "within", *problem)
