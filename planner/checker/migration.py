"""Rule 10, month by month (docs/plan-format.md, "Schedule rules").

Every move has one month in 0..T-1 inside its not_before/not_after window; the
person-days of a month's moves fit ``migration_days_per_month``; waves list
exactly the month's moves and their days; a room closes after its last move out,
in 1..T, and its first closed day is after ``earliest_close``; a candidate opens
in the month of its first move in, or of its first opened secure suite when that is
earlier (spec/decisions.md); and every month's state (the post-move state, counting
only rooms open that month, and for rule 3 the upgrades bought by that month) satisfies
rules 2-7.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from fractions import Fraction

from planner.checker.amounts import PENNY, money_ok, num, q
from planner.checker.context import Ctx
from planner.checker.facts import COMPUTE_FIELDS
from planner.checker.rules import Finding, state_findings


def _ranges(months: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in sorted(months):
        if out and out[-1][1] == m - 1:
            out[-1] = (out[-1][0], m)
        else:
            out.append((m, m))
    return out


def _when(ctx: Ctx, months: list[int]) -> str:
    parts = []
    for a, b in _ranges(months):
        parts.append(
            ctx.month_label(a) if a == b else f"{ctx.month_label(a)}..{ctx.month_label(b)}"
        )
    return ", ".join(parts)


def check_moves(ctx: Ctx) -> None:
    inv, est = ctx.inv, ctx.inv.estate
    T = ctx.T
    for w in inv.workloads:
        a = ctx.assignment.get(w.id)
        if a is None:
            continue
        moved = ctx.moved(w.id)
        label = a["month"]
        if not moved:
            if label is not None:
                ctx.add(
                    "10",
                    (w.id,),
                    f"workload '{w.id}' stays in '{w.room}' but has move month {label}; a "
                    "workload that does not move has month null",
                )
            if "migration_cost" in a and a["migration_cost"] != 0:
                ctx.add(
                    "costs",
                    (w.id,),
                    f"workload '{w.id}' does not move but its migration_cost is "
                    f"{a['migration_cost']} (0 when it does not move)",
                )
            if "migration_days" in a and a["migration_days"] != 0:
                ctx.add(
                    "10",
                    (w.id,),
                    f"workload '{w.id}' does not move but its migration_days is "
                    f"{a['migration_days']} (0 when it does not move)",
                )
            continue
        ctx.report.count("moves")
        price = ctx.move_price(w)
        if "migration_cost" in a and not money_ok(a["migration_cost"], price):
            refresh = " (its refresh price)" if price != q(w.migration_cost) else ""
            ctx.add(
                "costs",
                (w.id,),
                f"workload '{w.id}' moves in {a['month']}; its migration_cost is "
                f"{num(price)}{refresh}, not {a['migration_cost']}",
            )
        if "migration_days" in a and q(a["migration_days"]) != q(w.migration_days):
            ctx.add(
                "10",
                (w.id,),
                f"workload '{w.id}' moves; its migration_days is {num(w.migration_days)}, "
                f"not {a['migration_days']}",
            )
        if label is None:
            ctx.add("10", (w.id,), f"workload '{w.id}' moves but has no month")
            continue
        t = ctx.cal.index(label)
        assert t is not None  # the shape check accepted it as a month
        if not 0 <= t < T:
            ctx.add(
                "10",
                (w.id, label),
                f"workload '{w.id}' moves in {label}, outside the plan's months "
                f"{ctx.month_label(0)}..{ctx.month_label(T - 1)}",
            )
        if w.not_before is not None and t < ctx.cal.index_of_date(w.not_before):
            ctx.add(
                "10",
                (w.id, label),
                f"workload '{w.id}' moves in {label}, before its not_before {w.not_before} "
                f"(month {ctx.cal.label(ctx.cal.index_of_date(w.not_before))})",
            )
        if w.not_after is not None and t > ctx.cal.index_of_date(w.not_after):
            ctx.add(
                "10",
                (w.id, label),
                f"workload '{w.id}' moves in {label}, after its not_after {w.not_after} "
                f"(month {ctx.cal.label(ctx.cal.index_of_date(w.not_after))})",
            )
        if q(w.migration_days) > q(est.migration_days_per_month):
            ctx.add(
                "10",
                (w.id,),
                f"workload '{w.id}' takes {num(w.migration_days)} person-days to move, more "
                f"than migration_days_per_month {num(est.migration_days_per_month)}: it cannot "
                "move",
            )

    # Person-days per month.
    by_month: dict[int, list[str]] = defaultdict(list)
    for w_id, t in ctx.move_month.items():
        by_month[t].append(w_id)
    cap = q(est.migration_days_per_month)
    for t, movers in sorted(by_month.items()):
        days = sum((q(inv.workload[w].migration_days) for w in movers), Fraction(0))
        if days > cap:
            ctx.add(
                "10",
                (ctx.month_label(t), *movers),
                f"moves in {ctx.month_label(t)} take {num(days)} person-days, more than "
                f"migration_days_per_month {num(cap)} by {num(days - cap)}",
            )


def check_waves(ctx: Ctx) -> None:
    inv = ctx.inv
    waves = ctx.plan["waves"]
    labels = [wv["month"] for wv in waves]
    for label, n in Counter(labels).items():
        if n > 1:
            ctx.add("10", (label,), f"month {label} has {n} waves; one wave per month")
    if ctx.strict and labels != sorted(labels):
        ctx.add("format", ("waves",), "waves are not sorted by month (docs/plan-format.md)")
    expected: dict[str, list[str]] = defaultdict(list)
    for w in inv.workloads:
        a = ctx.assignment.get(w.id)
        if w.id in ctx.move_month and a is not None and a["month"] is not None:
            expected[a["month"]].append(w.id)
    appearances: Counter[str] = Counter()
    for wv in waves:
        label = wv["month"]
        appearances.update(wv["workloads"])
        listed = Counter(wv["workloads"])
        want = expected.get(label, [])
        for w_id in sorted(set(listed) - set(want)):
            if w_id not in inv.workload:
                ctx.add("10", (label, w_id), f"wave {label} lists '{w_id}', not a workload")
            else:
                ctx.add(
                    "10",
                    (label, w_id),
                    f"wave {label} lists '{w_id}', which does not move in {label}",
                )
        for w_id in want:
            if w_id not in listed:
                ctx.add(
                    "10",
                    (label, w_id),
                    f"workload '{w_id}' moves in {label} but is not in its wave",
                )
        if not want and not wv["workloads"]:
            ctx.add("10", (label,), f"wave {label} is empty; waves are for months with moves")
        days = sum((q(inv.workload[w].migration_days) for w in want), Fraction(0))
        if abs(q(wv["days"]) - days) > Fraction(1, 10**9) * max(len(want), 1):
            ctx.add(
                "10",
                (label,),
                f"wave {label} has days {wv['days']}, but its moves take {num(days)} person-days",
            )
        if "cost" in wv:
            cost = sum((ctx.move_price(inv.workload[w]) for w in want), Fraction(0))
            if abs(q(wv["cost"]) - cost) > PENNY * max(len(want), 1):
                ctx.add(
                    "costs",
                    (label,),
                    f"wave {label} has cost {wv['cost']}, but its moves cost {float(cost):.2f}",
                )
    for w_id, n in appearances.items():
        if n > 1 and w_id in inv.workload:
            ctx.add("10", (w_id,), f"workload '{w_id}' appears in {n} waves; a move is in one")
    for label in sorted(set(expected) - set(labels)):
        ctx.add(
            "10",
            (label,),
            f"{len(expected[label])} workload(s) move in {label} but there is no wave for it",
        )
    ctx.report.count("waves", len(waves))


def check_rooms_months(ctx: Ctx) -> None:
    """close_month and open_month against the moves and earliest_close."""
    inv, T = ctx.inv, ctx.T
    for room in inv.rooms:
        entry = ctx.room_entry.get(room.id)
        if entry is None:
            continue
        d = entry["decision"]
        if d == "close" and entry["close_month"] is not None:
            label = entry["close_month"]
            c = ctx.cal.index(label)
            assert c is not None
            if not 1 <= c <= T:
                ctx.add(
                    "10",
                    (room.id, label),
                    f"room '{room.id}' closes in {label}; a close_month is from "
                    f"{ctx.month_label(1)} to {ctx.month_label(T)} (1 <= c <= T)",
                )
            for w in inv.workloads:
                t = ctx.move_month.get(w.id)
                if w.room == room.id and t is not None and t + 1 > c:
                    ctx.add(
                        "10",
                        (room.id, w.id),
                        f"room '{room.id}' closes in {label}, but workload '{w.id}' leaves it "
                        f"in {ctx.assignment[w.id]['month'] or ctx.month_label(t)}; it closes "
                        "after its last move out",
                    )
            if room.earliest_close is not None and not ctx.cal.first_day(c) > room.earliest_close:
                ctx.add(
                    "10",
                    (room.id, label),
                    f"room '{room.id}' closes in {label} (from {ctx.cal.first_day(c)}), not after "
                    f"its earliest_close {room.earliest_close}",
                )
        if d == "open":
            ins = ctx.moves_into(room.id)
            suites = {s.id: ctx.open_index(s.id) for s in ctx.opened_suites(room.id)}
            label = entry.get("open_month")
            if not ins and not suites:
                # The docs define open_month only as the first move in; a candidate opened
                # empty (e.g. keep: true) may open in any month of the plan.
                ctx.report.notes.append(
                    f"candidate '{room.id}' is opened with nothing moving in; its open_month "
                    f"{label} is accepted (docs/plan-format.md defines it by the first move in)"
                )
            first = min([*ins, *suites.values()], default=None)
            if isinstance(label, str) and first is not None and ctx.cal.index(label) != first:
                why = []
                if ins:
                    why.append(f"its first move in is in {ctx.month_label(min(ins))}")
                why.extend(
                    f"its suite '{s}' opens in {ctx.month_label(t)}" for s, t in suites.items()
                )
                message = f"candidate '{room.id}' has open_month {label}, but " + " and ".join(why)
                if suites:
                    message += (
                        f": it opens in {ctx.month_label(first)}, the earliest of these "
                        "(spec/decisions.md)"
                    )
                ctx.add("10", (room.id, label), message)
            o = ctx.cal.index(label) if isinstance(label, str) else None
            if o is not None and not 0 <= o < T:
                ctx.add(
                    "10",
                    (room.id, label),
                    f"candidate '{room.id}' opens in {label}, outside the plan's months",
                )


def check_states(ctx: Ctx) -> None:
    """Every month's state satisfies rule 1 (an open room) and rules 2-7."""
    inv = ctx.inv
    found: dict[tuple[str, tuple[str, ...]], tuple[Finding, list[int]]] = {}
    last_placement: dict[str, str] | None = None
    last: list[Finding] = []
    upgrade_months = ctx.upgrade_months()
    all_held = upgrade_months[-1] if upgrade_months else 0
    last_held = -1
    target_keys: set[tuple[str, tuple[str, ...]]] | None = None
    for m in range(ctx.T):
        placement = ctx.placement_at(m)
        held = bisect_right(upgrade_months, m)  # how many upgrade months have come
        findings: list[Finding] = []
        for w_id, room_id in placement.items():
            if not ctx.room_open_at(inv.room[room_id], m):
                findings.append(
                    Finding(
                        "1",
                        (room_id, w_id),
                        f"workload '{w_id}' is in room '{room_id}', which is not open then",
                    )
                )
        # The target state, every upgrade held, is judged by rules.check_target; in the
        # target placement before the last upgrade holds, only what differs from it is news.
        if placement != ctx.target or m < all_held:
            if placement != last_placement or held != last_held:
                last = state_findings(ctx, placement, month=m)
                if placement == ctx.target:
                    if target_keys is None:
                        target_keys = {f.key for f in state_findings(ctx, ctx.target)}
                    last = [f for f in last if f.key not in target_keys]
            findings.extend(last)
        last_placement, last_held = placement, held
        for f in findings:
            if f.key in found:
                found[f.key][1].append(m)
            else:
                found[f.key] = (f, [m])
        ctx.report.count("months")
    for f, months in found.values():
        ctx.add(
            "10",
            (*f.ids, ctx.month_label(months[0])),
            f"in {_when(ctx, months)} (rule {f.rule} during the migration): {f.message}",
        )


def check_peaks(ctx: Ctx) -> None:
    """rooms[].peaks (opt): for each compute resource, the first month in which the room's
    workloads use most of it (each month's state after its moves), and that use, exactly."""
    wanted = {
        (room_id, p.get("resource")): p
        for room_id, entry in ctx.room_entry.items()
        for p in entry.get("peaks") or []
    }
    if not wanted:
        return
    best: dict[tuple[str, str], tuple[int, Fraction]] = {}
    resources = {resource for _, resource in wanted}
    for m in range(ctx.T):
        use: dict[tuple[str, str], Fraction] = defaultdict(Fraction)
        for w_id, room_id in ctx.placement_at(m).items():
            for resource in resources:
                use[(room_id, resource)] += q(getattr(ctx.inv.workload[w_id], resource, 0))
        for key in wanted:
            if key not in best or use[key] > best[key][1]:
                best[key] = (m, use[key])
    for (room_id, resource), peak in wanted.items():
        if resource not in COMPUTE_FIELDS:
            ctx.add("8", (room_id, "peaks"), f"room '{room_id}' peaks name '{resource}'")
            continue
        m, used = best[(room_id, resource)]
        if peak.get("month") != ctx.month_label(m) or q(peak.get("used", -1)) != used:
            ctx.add(
                "8",
                (room_id, "peaks", resource),
                f"room '{room_id}' peaks at {num(used)} {resource} in {ctx.month_label(m)}, "
                f"not {peak.get('used')} in {peak.get('month')}",
            )


def check_move_groups(ctx: Ctx) -> None:
    """move_groups (ext): workloads that must move in the same month do."""
    groups = ctx.plan.get("move_groups")
    if not isinstance(groups, list):
        return
    seen: dict[str, int] = {}
    for n, group in enumerate(groups):
        for w_id in group:
            if w_id not in ctx.inv.workload:
                ctx.add("10", (w_id,), f"move_groups[{n}] names '{w_id}', not a workload")
            elif w_id in seen:
                ctx.add(
                    "10",
                    (w_id,),
                    f"workload '{w_id}' is in move_groups[{seen[w_id]}] and move_groups[{n}]",
                )
            else:
                seen[w_id] = n
        months = {
            ctx.assignment[w]["month"] for w in group if w in ctx.move_month and w in ctx.assignment
        }
        if len(months) > 1:
            ctx.add(
                "10",
                tuple(group),
                f"move group {', '.join(group)} must move in one month, but moves in "
                f"{', '.join(sorted(str(m) for m in months))}",
            )


def check_migration(ctx: Ctx) -> None:
    check_moves(ctx)
    check_move_groups(ctx)
    check_waves(ctx)
    check_rooms_months(ctx)
    check_states(ctx)
    check_peaks(ctx)
