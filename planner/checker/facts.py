"""The descriptive extension keys of rooms and assignments, against the estate.

A room's ``accreditations`` are its own (the inventory's); a list that adds the
accreditations of the upgrades the plan buys for it (the room in the target estate) is
accepted too: docs/plan-format.md says only "its accreditations".
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from planner.checker.amounts import money_ok, num, q
from planner.checker.context import Ctx
from planner.inventory.items import Workload

COMPUTE_FIELDS = ("vcpu", "memory_gib", "storage_tib")
"""spec/import.md's compute resources: optional capacities of rooms, demands of workloads."""


def check_facts(ctx: Ctx) -> None:
    check_policy(ctx)
    inv = ctx.inv
    hosted_today: dict[str, list[Workload]] = defaultdict(list)
    hosted_after: dict[str, list[Workload]] = defaultdict(list)
    for w in inv.workloads:
        hosted_today[w.room].append(w)
        hosted_after[ctx.target[w.id]].append(w)
    for room in inv.rooms:
        entry = ctx.room_entry.get(room.id)
        if entry is None:
            continue
        owner = ctx.owner_of_site(room.site)
        before, after = hosted_today[room.id], hosted_after[room.id]
        expected_text = {
            "site": room.site,
            "organisation": owner,
        }
        for key, value in expected_text.items():
            if key in entry and entry[key] != value:
                ctx.add(
                    "8", (room.id, key), f"room '{room.id}' {key} is '{value}', not '{entry[key]}'"
                )
        expected_num = {
            "racks": q(room.racks),
            "power_kw": q(room.power_kw),
            "racks_used_before": sum((q(w.racks) for w in before), Fraction(0)),
            "racks_used_after": sum((q(w.racks) for w in after), Fraction(0)),
            "power_used_before": sum((q(w.power_kw) for w in before), Fraction(0)),
            "power_used_after": sum((q(w.power_kw) for w in after), Fraction(0)),
        }
        for k in COMPUTE_FIELDS:
            expected_num[f"{k}_used_before"] = sum((q(getattr(w, k)) for w in before), Fraction(0))
            expected_num[f"{k}_used_after"] = sum((q(getattr(w, k)) for w in after), Fraction(0))
            capacity = getattr(room, k)
            if capacity is not None:
                expected_num[k] = q(capacity)
            elif entry.get(k) is not None:
                ctx.add(
                    "8",
                    (room.id, k),
                    f"room '{room.id}' {k} is {entry[k]} in the plan, but the room does not "
                    "limit it (null)",
                )
        for key, exact in expected_num.items():
            if key in entry and entry[key] is None:
                ctx.add(
                    "8",
                    (room.id, key),
                    f"room '{room.id}' {key} is null in the plan, not {num(exact)}",
                )
            elif key in entry and abs(q(entry[key]) - exact) > Fraction(1, 10**9) * max(
                len(before) + len(after), 1
            ):
                ctx.add(
                    "8",
                    (room.id, key),
                    f"room '{room.id}' {key} is {entry[key]} in the plan, recomputed {num(exact)}",
                )
        if "annual_cost" in entry and not money_ok(entry["annual_cost"], q(room.annual_cost)):
            ctx.add(
                "costs",
                (room.id, "annual_cost"),
                f"room '{room.id}' annual_cost is {num(room.annual_cost)}, not "
                f"{entry['annual_cost']}",
            )
        expected_sets = {
            "zones_before": {w.zone for w in before},
            "zones_after": {w.zone for w in after},
            "accreditations": set(room.accreditations),
        }
        if "accreditations" in entry and set(entry["accreditations"]) == ctx.held(room):
            expected_sets.pop("accreditations")  # its own and its bought upgrades': also right
        for key, wanted in expected_sets.items():
            if key in entry and set(entry[key]) != wanted:
                ctx.add(
                    "8",
                    (room.id, key),
                    f"room '{room.id}' {key} is {sorted(entry[key])} in the plan, but "
                    f"{sorted(wanted)} from the estate",
                )
    for w in inv.workloads:
        a = ctx.assignment.get(w.id)
        if a is None:
            continue
        for key, value in (("organisation", w.organisation), ("zone", w.zone)):
            if key in a and a[key] != value:
                ctx.add("1", (w.id, key), f"workload '{w.id}' {key} is '{value}', not '{a[key]}'")


def check_policy(ctx: Ctx) -> None:
    """zones and separate (ext): the estate's zone rules, copied for the security evidence."""
    inv = ctx.inv
    zones = ctx.plan.get("zones")
    if isinstance(zones, list):
        given = {z["id"]: z for z in zones}
        for zone in inv.zones:
            z = given.get(zone.id)
            if z is None:
                ctx.add("estate", (zone.id,), f"zones has no entry for zone '{zone.id}'")
                continue
            expected = {
                "name": zone.name,
                "networks": sorted(zone.networks),
                "requires": sorted(zone.requires),
                "isolation": zone.isolation,
            }
            for key, value in expected.items():
                if key not in z:
                    continue
                have = sorted(z[key]) if isinstance(value, list) else z[key]
                if have != value:
                    ctx.add(
                        "estate",
                        (zone.id, key),
                        f"zone '{zone.id}' {key} is {value!r} in the estate, not {z[key]!r}",
                    )
        for ident in sorted(set(given) - set(inv.zone)):
            ctx.add("estate", (ident,), f"zones lists '{ident}', not a zone of the estate")
        if len(given) != len(zones):
            ctx.add("estate", ("zones",), "zones lists a zone more than once")
    pairs = ctx.plan.get("separate")
    if isinstance(pairs, list):
        have = [sorted(p) for p in pairs]
        want = sorted(sorted(p) for p in inv.separated_pairs)
        if sorted(have) != want or len(have) != len(want):
            ctx.add(
                "estate",
                ("separate",),
                f"separate is {have}, but the estate's separate pairs are {want}",
            )
        elif ctx.strict and (have != want or any(p != sorted(p) for p in pairs)):
            ctx.add("format", ("separate",), "separate is not sorted (docs/plan-format.md)")
