"""Prices of rules (spec/explore.md): what each rule costs over the horizon.

One task per rule instance, the target re-solved with that rule removed; ``price`` =
objective with the rule - objective without it (the target model's objective: one-off
plus A x running cost, GBP). Removing a rule only widens the choice, so a price is never
negative when both solves are optimal; a rule that does not bind costs 0.

The rules, as changes to the inventory (:data:`RULES`): each ``separate`` pair dropped;
each zone's ``isolation`` set to none; each zone's ``requires`` emptied; each room's
``keep``, ``close`` and ``earliest_close`` lifted; each workload's ``pinned`` lifted;
``dr_min_distance_km`` set to 0; every workload's user latency limit (``max_latency_ms``)
lifted at once (users must still reach the room over the zone's networks); every
dependency (``depends_on``) dropped at once; ``--max-rooms`` and ``--max-desks`` lifted
when given.

Prices are measured on the target's objective, which values a year of running cost the
same whichever month a room closes: a rule about dates (``earliest_close``, and the
windows of moves) changes when savings start, not the target, so it prices at 0 here
even where it delays savings; the risk analysis and the plan's finance see months.

When a solve is not proven optimal the price is a bound (``price_is``): the solve
without the rule found a plan no cheaper than its optimum, so the true price is at
least the one given (``at_least``); the solve with it may be dearer than its optimum,
so the true price is at most the one given (``at_most``); neither proven: ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.explore.solves import solve_target
from planner.inventory.items import Inventory

TOLERANCE = 0.005
"""GBP: a price smaller than half a penny is 0 (the objectives are exact to the penny)."""


@dataclass(frozen=True)
class RuleOff:
    """The target with one rule removed."""

    kind: str
    subject: tuple[str, ...]
    max_rooms: int | None
    max_desks: int | None
    time_limit_s: float
    seed: int

    @property
    def key(self) -> str:
        return f"price:{self.kind}:{'/'.join(self.subject)}"

    @property
    def rule(self) -> str:
        """The rule in words: 'separate nhs/official', 'pinned cc-psn-gateway'."""
        return f"{self.kind.replace('_', ' ')} {'/'.join(self.subject)}".strip()

    def run(self, inventory: Inventory) -> dict[str, Any]:
        return solve_target(
            without(inventory, self.kind, self.subject),
            max_rooms=None if self.kind == "max_rooms" else self.max_rooms,
            max_desks=None if self.kind == "max_desks" else self.max_desks,
            time_limit_s=self.time_limit_s,
            seed=self.seed,
        )


@dataclass(frozen=True)
class Base:
    """The target as it is (the objective every price is measured from)."""

    max_rooms: int | None
    max_desks: int | None
    time_limit_s: float
    seed: int
    key: str = "price:base"

    def run(self, inventory: Inventory) -> dict[str, Any]:
        return solve_target(
            inventory,
            max_rooms=self.max_rooms,
            max_desks=self.max_desks,
            time_limit_s=self.time_limit_s,
            seed=self.seed,
        )


def rule_instances(
    inv: Inventory, max_rooms: int | None, max_desks: int | None
) -> list[tuple[str, tuple[str, ...]]]:
    """(kind, subject) of every rule of the estate that spec/explore.md prices."""
    out: list[tuple[str, tuple[str, ...]]] = []
    out += [("separate", tuple(sorted(pair))) for pair in sorted(inv.separated_pairs, key=sorted)]
    out += [("isolation", (z.id,)) for z in inv.zones if z.isolation != "none"]
    out += [("requires", (z.id,)) for z in inv.zones if z.requires]
    for r in inv.rooms:
        out += [("keep", (r.id,))] if r.keep else []
        out += [("close", (r.id,))] if r.close else []
        out += [("earliest_close", (r.id,))] if r.earliest_close is not None else []
    out += [("pinned", (w.id,)) for w in inv.workloads if w.pinned]
    if inv.estate.dr_min_distance_km > 0 and any(w.distinct_site_from for w in inv.workloads):
        out.append(("dr_min_distance", ()))
    if any(w.max_latency_ms is not None for w in inv.workloads):
        out.append(("user_latency", ()))
    if any(w.depends_on for w in inv.workloads):
        out.append(("dependency_latency", ()))
    out += [("max_rooms", ())] if max_rooms is not None else []
    out += [("max_desks", ())] if max_desks is not None else []
    return out


def without(inv: Inventory, kind: str, subject: tuple[str, ...]) -> Inventory:
    """The inventory with one rule removed (``max_rooms``/``max_desks`` are options, not
    inventory: unchanged here)."""
    ident = subject[0] if subject else ""

    def zones(**change: Any) -> Inventory:
        return inv.replaced(
            zones=[z.model_copy(update=change) if z.id == ident else z for z in inv.zones]
        )

    def rooms(**change: Any) -> Inventory:
        return inv.replaced(
            rooms=[r.model_copy(update=change) if r.id == ident else r for r in inv.rooms]
        )

    def workloads(**change: Any) -> Inventory:
        return inv.replaced(workloads=[w.model_copy(update=change) for w in inv.workloads])

    if kind == "separate":
        pair = set(subject)
        return inv.replaced(separate=[p for p in inv.separate if set(p) != pair])
    if kind == "isolation":
        return zones(isolation="none")
    if kind == "requires":
        return zones(requires=[])
    if kind in ("keep", "close"):
        return rooms(**{kind: False})
    if kind == "earliest_close":
        return rooms(earliest_close=None)
    if kind == "pinned":
        return inv.replaced(
            workloads=[
                w.model_copy(update={"pinned": False}) if w.id == ident else w
                for w in inv.workloads
            ]
        )
    if kind == "dr_min_distance":
        return inv.replaced(estate=inv.estate.model_copy(update={"dr_min_distance_km": 0}))
    if kind == "user_latency":
        return workloads(max_latency_ms=None)
    if kind == "dependency_latency":
        return workloads(depends_on=[])
    if kind in ("max_rooms", "max_desks"):
        return inv
    raise ValueError(f"no rule kind {kind!r}")


def price_tasks(
    inv: Inventory,
    *,
    max_rooms: int | None,
    max_desks: int | None,
    time_limit_s: float,
    seed: int,
) -> list[Base | RuleOff]:
    """The base solve and one solve per rule instance."""
    tasks: list[Base | RuleOff] = [Base(max_rooms, max_desks, time_limit_s, seed)]
    for kind, subject in rule_instances(inv, max_rooms, max_desks):
        tasks.append(RuleOff(kind, subject, max_rooms, max_desks, time_limit_s, seed))
    return tasks


def summarise_prices(
    done: dict[str, dict[str, Any]], tasks: list[Base | RuleOff]
) -> list[dict[str, Any]]:
    """The ``prices`` section: one entry per rule, dearest first (rules whose solve failed
    are left out: they are in ``failed``)."""
    base = done.get("price:base")
    out = []
    for task in tasks:
        if not isinstance(task, RuleOff) or task.key not in done:
            continue
        res = done[task.key]
        price, price_is = _price(base, res)
        out.append(
            {
                "rule": task.rule,
                "kind": task.kind,
                "subject": list(task.subject),
                "objective_without": res["objective"],
                "price": price,
                "status": res["status"],
                "price_is": price_is,
                "status_with": base["status"] if base else "unknown",
            }
        )
    out.sort(key=lambda p: (-(p["price"] if p["price"] is not None else -1.0), p["rule"]))
    return out


def _price(base: dict[str, Any] | None, res: dict[str, Any]) -> tuple[float | None, str]:
    if base is None or base["objective"] is None or res["objective"] is None:
        return None, "unknown"
    price = base["objective"] - res["objective"]
    price = 0.0 if abs(price) < TOLERANCE else round(price, 2)
    with_proven = base["status"] == "optimal"
    without_proven = res["status"] == "optimal"
    if with_proven and without_proven:
        return price, "exact"
    if with_proven:
        return price, "at_least"
    if without_proven:
        return price, "at_most"
    return price, "unknown"
