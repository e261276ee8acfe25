"""Why no schedule exists, in the words of the estate.

When CP-SAT proves the schedule model infeasible,
:func:`~planner.schedule.cpsat.schedule_migration` builds its explanation model
(every rule guarded, :func:`~planner.schedule.build.build`), finds a
minimal verified set of conflicting guards (:func:`planner.cores.minimal_core`),
and :func:`describe_core` turns each into a sentence that names the workloads,
rooms and figures involved: one sentence per
:class:`~planner.schedule.guards.ScheduleGuard`, in :data:`SENTENCES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planner.cores import Core, GuardKey
from planner.inventory.items import Inventory
from planner.inventory.months import Calendar
from planner.schedule.guards import ScheduleGuard
from planner.schedule.pairs import Order


@dataclass(frozen=True)
class _Said:
    """What a sentence may draw on: the estate, its calendar, the order rules, the key."""

    inv: Inventory
    cal: Calendar
    orders: list[Order]
    key: GuardKey

    @property
    def arg(self) -> str:
        return str(self.key[1])


def _horizon(s: _Said) -> str:
    return (
        f"every move and closure must happen within the {s.inv.estate.horizon_years}-year "
        f"horizon ({s.cal.label(0)} to {s.cal.label(s.cal.months - 1)})"
    )


def _window(s: _Said) -> str:
    w = s.inv.workload[s.arg]
    return (
        f"{w.id} may move only between {w.not_before or 'the start'} and "
        f"{w.not_after or 'the end of the horizon'} (not_before/not_after)"
    )


def _days_per_month(s: _Said) -> str:
    return (
        f"the migration team has {s.inv.estate.migration_days_per_month:g} person-days "
        f"a month (migration_days_per_month)"
    )


def _capacity_during(s: _Said) -> str:
    room = s.inv.room[s.arg]
    return (
        f"room {room.id} holds {room.holds()} in every month of the migration, not only at the end"
    )


def _separation_during(s: _Said) -> str:
    return (
        f"room {s.arg} may not host conflicting zones in any month, so newcomers "
        f"must wait until the conflicting workloads have left"
    )


def _order(s: _Said) -> str:
    index = s.key[1]
    assert isinstance(index, int)
    rule = s.orders[index]
    return f"{rule.first} may not move after {rule.second}: {rule.label}"


def _earliest_close(s: _Said) -> str:
    room = s.inv.room[s.arg]
    return f"room {room.id} may not close before {room.earliest_close} (earliest_close)"


SENTENCES: dict[ScheduleGuard, Callable[[_Said], str]] = {
    ScheduleGuard.HORIZON: _horizon,
    ScheduleGuard.WINDOW: _window,
    ScheduleGuard.DAYS_PER_MONTH: _days_per_month,
    ScheduleGuard.CAPACITY_DURING: _capacity_during,
    ScheduleGuard.SEPARATION_DURING: _separation_during,
    ScheduleGuard.ORDER: _order,
    ScheduleGuard.EARLIEST_CLOSE: _earliest_close,
}
"""One sentence for each guard of the schedule model."""


def describe(inv: Inventory, cal: Calendar, orders: list[Order], key: GuardKey) -> str:
    """One sentence for one guarded rule."""
    return SENTENCES[ScheduleGuard(str(key[0]))](_Said(inv, cal, orders, key))


def describe_core(
    inv: Inventory, cal: Calendar, orders: list[Order], core: Core | None
) -> list[str]:
    """Sentences for the rules that make the schedule impossible."""
    if core is None:
        return [
            "no schedule was found in the time allowed, and no conflicting set of rules "
            "could be proved; try a longer --time-limit"
        ]
    lines = [describe(inv, cal, orders, key) for key in core.keys]
    if not core.minimal:
        lines.append("(time ran out before every rule was tried: the set may not be minimal)")
    return lines
