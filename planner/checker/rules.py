"""Rules 1-9 of spec/inventory-format.md on the plan's target estate.

:func:`state_findings` judges one state of the estate (which workload is in which
room) against rules 1 (each workload in an open room) and 2-7; the target is one
such state, and :mod:`planner.checker.migration` applies it to every month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from planner.checker.amounts import ceil_div, num, q
from planner.checker.context import Ctx
from planner.checker.latency import great_circle_km

DISTANCE_TOLERANCE_KM = 1e-9


@dataclass(frozen=True)
class Finding:
    """A rule broken in one state. ``key`` identifies the same breach in other months."""

    rule: str
    ids: tuple[str, ...]
    message: str

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.rule, self.ids)


RULE_2_AMOUNTS = (
    ("racks", "holds", "racks"),
    ("power_kw", "draws", "kW"),
    ("vcpu", "needs", "vCPU"),
    ("memory_gib", "needs", "GiB of memory"),
    ("storage_tib", "needs", "TiB of storage"),
)
"""Rule 2's resources as spec/inventory-format.md and spec/import.md name them: the field
on rooms (capacity; a compute one may be absent: no limit) and on workloads (demand;
absent: 0), with the verb and unit of a message."""


def _capacity_findings(ctx: Ctx, room_id: str, workloads: list[str]) -> list[Finding]:
    """Rule 2 on one room: the sum of each resource over its workloads, exactly, is at
    most the room's capacity of it."""
    inv, room = ctx.inv, ctx.inv.room[room_id]
    out = []
    for field, verb, unit in RULE_2_AMOUNTS:
        capacity = getattr(room, field)
        if capacity is None:
            continue
        used = sum((q(getattr(inv.workload[w], field)) for w in workloads), Fraction(0))
        if used > q(capacity):
            out.append(
                Finding(
                    "2",
                    (room_id, field),
                    f"room '{room_id}' {verb} {num(used)} {unit} but has {num(capacity)} "
                    f"{unit} ({num(used - q(capacity))} over): {', '.join(workloads)}",
                )
            )
    return out


def _accreditation_findings(
    ctx: Ctx, room_id: str, workloads: list[str], month: int | None
) -> list[Finding]:
    """Rule 3 on one room in month ``month`` (the target estate when None): each workload's
    zone requires only accreditations the room holds then, its own or bought with an upgrade
    whose month is at most ``month`` (spec/decisions.md)."""
    inv, room = ctx.inv, ctx.inv.room[room_id]
    held = ctx.held(room, month)
    bought = ctx.upgrades.get(room_id, {})
    out = []
    for wid in workloads:
        zone = inv.zone.get(inv.workload[wid].zone)
        if zone is None:
            continue
        missing = sorted(set(zone.requires) - held)
        if not missing:
            continue
        later = [a for a in missing if a in bought]
        lacks = [a for a in missing if a not in bought]
        why = []
        if lacks:
            why.append(f"which lacks the accreditation(s) {', '.join(lacks)} its zone requires")
        for a in later:
            why.append(
                f"which holds {a} (its zone requires it) only from {ctx.month_label(bought[a])}"
            )
        out.append(
            Finding(
                "3",
                (wid, room_id, *missing),
                f"workload '{wid}' (zone '{zone.id}') is in room '{room_id}', "
                + ", and ".join(why),
            )
        )
    return out


def state_findings(
    ctx: Ctx,
    placement: dict[str, str],
    is_open: Callable[[str], bool] | None = None,
    month: int | None = None,
) -> list[Finding]:
    """Rules 2-7 (and rule 1's "in an open room" when ``is_open`` is given) on one state:
    the state of month ``month``, or the target estate when None (rule 3 counts the
    upgrades bought by then)."""
    inv = ctx.inv
    out: list[Finding] = []
    by_room: dict[str, list[str]] = defaultdict(list)
    for w in inv.workloads:
        by_room[placement[w.id]].append(w.id)

    for room_id, workloads in by_room.items():
        if is_open is not None and not is_open(room_id):
            out.append(
                Finding(
                    "1",
                    (room_id,),
                    f"room '{room_id}' is not open but hosts {', '.join(workloads)}",
                )
            )
        out.extend(_capacity_findings(ctx, room_id, workloads))
        out.extend(_accreditation_findings(ctx, room_id, workloads, month))
        # Rule 4: separation and isolation.
        zones: dict[str, list[str]] = defaultdict(list)
        for wid in workloads:
            zones[inv.workload[wid].zone].append(wid)
        for pair in sorted(inv.separated_pairs, key=sorted):
            a, b = sorted(pair)
            if a in zones and b in zones:
                out.append(
                    Finding(
                        "4",
                        (room_id, a, b),
                        f"room '{room_id}' hosts zones '{a}' ({', '.join(zones[a])}) and "
                        f"'{b}' ({', '.join(zones[b])}), which must be kept apart",
                    )
                )
        for z in sorted(zones):
            zone = inv.zone.get(z)
            if zone is not None and zone.isolation == "room" and len(zones) > 1:
                others = sorted(set(zones) - {z})
                out.append(
                    Finding(
                        "4",
                        (room_id, z),
                        f"zone '{z}' requires a room of its own, but room '{room_id}' also "
                        f"hosts zone(s) {', '.join(others)}",
                    )
                )

    site = {w: inv.room[r].site for w, r in placement.items()}
    for w in inv.workloads:
        here = site[w.id]
        # Rule 5: users.
        for user in w.users:
            ms = ctx.lat.zone(w.zone, user, here)
            at = placement[w.id]
            if ms is None:
                out.append(
                    Finding(
                        "5",
                        (w.id, user, at),
                        f"user site '{user}' cannot reach workload '{w.id}' in room '{at}' "
                        f"(site '{here}') over zone '{w.zone}' networks",
                    )
                )
            elif w.max_latency_ms is not None and ms > q(w.max_latency_ms):
                out.append(
                    Finding(
                        "5",
                        (w.id, user, at),
                        f"user site '{user}' reaches workload '{w.id}' in room '{at}' "
                        f"(site '{here}') in {num(ms)} ms, over its max_latency_ms "
                        f"{num(w.max_latency_ms)} by {num(ms - q(w.max_latency_ms))} ms",
                    )
                )
        # Rule 6: dependencies.
        for dep in w.depends_on:
            other = inv.workload.get(dep.workload)
            if other is None:
                continue
            there = site[other.id]
            ms = ctx.lat.zones(w.zone, other.zone, here, there)
            if ms is None:
                out.append(
                    Finding(
                        "6",
                        (w.id, other.id),
                        f"workload '{w.id}' (site '{here}') cannot reach '{other.id}' (site "
                        f"'{there}') over networks common to zones '{w.zone}' and "
                        f"'{other.zone}'",
                    )
                )
            elif ms > q(dep.max_latency_ms):
                out.append(
                    Finding(
                        "6",
                        (w.id, other.id),
                        f"workload '{w.id}' (site '{here}') is {num(ms)} ms from '{other.id}' "
                        f"(site '{there}'), over the dependency's {num(dep.max_latency_ms)} ms "
                        f"by {num(ms - q(dep.max_latency_ms))} ms",
                    )
                )
    # Rule 7: resilience (each unordered pair once).
    seen: set[frozenset[str]] = set()
    min_km = inv.estate.dr_min_distance_km
    for w in inv.workloads:
        for x in w.distinct_site_from:
            pair = frozenset((w.id, x))
            if x not in inv.workload or pair in seen or len(pair) < 2:
                continue
            seen.add(pair)
            a, b = site[w.id], site[x]
            if a == b:
                out.append(
                    Finding(
                        "7",
                        (w.id, x),
                        f"workloads '{w.id}' and '{x}' must be on different sites but are both "
                        f"on '{a}'",
                    )
                )
                continue
            sa, sb = inv.site[a], inv.site[b]
            km = great_circle_km(sa.lat, sa.lon, sb.lat, sb.lon)
            if km < min_km - DISTANCE_TOLERANCE_KM:
                out.append(
                    Finding(
                        "7",
                        (w.id, x),
                        f"workloads '{w.id}' (site '{a}') and '{x}' (site '{b}') are "
                        f"{km:.3f} km apart, less than dr_min_distance_km {num(min_km)} "
                        f"by {min_km - km:.3f} km",
                    )
                )
    return out


def check_target(ctx: Ctx) -> None:
    """Rules 1-9 on the plan's target estate."""
    inv = ctx.inv
    report = ctx.report
    open_rooms = {r.id for r in inv.rooms if ctx.room_open_in_plan(r)}

    # Rule 1: pinned workloads stay; a move has a month, a stay has none (rule 10's moves
    # are judged in migration.py).
    for w in inv.workloads:
        if w.pinned and ctx.moved(w.id):
            ctx.add(
                "1",
                (w.id,),
                f"workload '{w.id}' is pinned to room '{w.room}' but the plan moves it to "
                f"'{ctx.target[w.id]}'",
            )
    for f in state_findings(ctx, ctx.target, lambda r: r in open_rooms):
        ctx.add(f.rule, f.ids, f.message + " (target estate)")
    report.count("workloads", len(inv.workloads))
    report.count("rooms", len(inv.rooms))

    # Rule 8: room decisions.
    for room in inv.rooms:
        d = ctx.decision(room.id)
        is_open = room.id in open_rooms
        if room.keep and not is_open:
            ctx.add("8", (room.id,), f"room '{room.id}' has keep: true but the plan closes it")
        if room.close and is_open:
            verb = "keeps" if room.status == "existing" else "opens"
            ctx.add("8", (room.id,), f"room '{room.id}' has close: true but the plan {verb} it")
        entry = ctx.room_entry.get(room.id)
        if entry is None:
            continue
        if d == "close" and entry["close_month"] is None:
            ctx.add("8", (room.id,), f"room '{room.id}' closes but has no close_month")
        if d != "close" and entry["close_month"] is not None:
            ctx.add(
                "8",
                (room.id,),
                f"room '{room.id}' has decision '{d}' but a close_month "
                f"{entry['close_month']}; only closed rooms have one",
            )
        if "open_month" in entry:
            if d == "open" and entry["open_month"] is None:
                ctx.add("8", (room.id,), f"candidate '{room.id}' opens but has no open_month")
            if d != "open" and entry["open_month"] is not None:
                ctx.add(
                    "8",
                    (room.id,),
                    f"room '{room.id}' has decision '{d}' but an open_month "
                    f"{entry['open_month']}; only opened candidates have one",
                )
    _check_limit(  # --max-rooms counts rooms, not the secure suites inside them
        ctx,
        "max_rooms",
        "rooms",
        [r.id for r in inv.rooms if r.id in open_rooms and r.within is None],
        lambda r: inv.site[inv.room[r].site].organisation,
    )

    # Rule 9: desks.
    check_desks(ctx)
    kept = [d.id for d in inv.service_desks if ctx.desk_kept(d.id)]
    _check_limit(ctx, "max_desks", "desks", kept, lambda d: inv.site[inv.desk[d].site].organisation)


def _check_limit(
    ctx: Ctx, option: str, what: str, open_ids: list[str], owner: Callable[[str], str]
) -> None:
    """Rule 8: --max-rooms / --max-desks, counting only the shared service's rooms/desks
    (``open_ids``: the rooms that count, suites left out by the caller)."""
    limit = ctx.plan["options"].get(option)
    if limit is None:
        return
    counted = [i for i in open_ids if ctx.inv.in_shared_service(owner(i))]
    if len(counted) > int(limit):
        scope = (
            " of the shared service's organisations"
            if ctx.inv.estate.shared_service is not None
            else ""
        )
        ctx.add(
            "8",
            (option, *counted),
            f"{len(counted)} {what}{scope} are open, more than --{option.replace('_', '-')} "
            f"{int(limit)} by {len(counted) - int(limit)}",
        )


def desk_fte(ctx: Ctx, desk: str, organisations: list[str]) -> int:
    d = ctx.inv.desk[desk]
    tickets = sum(ctx.inv.organisation[o].tickets_per_year for o in organisations)
    return ceil_div(tickets, d.tickets_per_fte)


def served_today(ctx: Ctx) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {d.id: [] for d in ctx.inv.service_desks}
    for o in ctx.inv.organisations:
        if o.desk in out:
            out[o.desk].append(o.id)
    return out


def served_in_plan(ctx: Ctx) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {d.id: [] for d in ctx.inv.service_desks}
    for o in ctx.inv.organisations:
        out[ctx.serves[o.id]].append(o.id)
    return out


def check_desks(ctx: Ctx) -> None:
    """Rule 9: one open desk per organisation with its vetting; FTE = ceil(...) <= seats."""
    inv = ctx.inv
    served = served_in_plan(ctx)
    today = served_today(ctx)
    for o in inv.organisations:
        desk_id = ctx.serves[o.id]
        desk = inv.desk[desk_id]
        if not ctx.desk_kept(desk_id):
            ctx.add(
                "9",
                (o.id, desk_id),
                f"organisation '{o.id}' is served by desk '{desk_id}', which the plan closes",
            )
        missing = sorted(set(o.vetting) - set(desk.vetting))
        if missing:
            ctx.add(
                "9",
                (o.id, desk_id),
                f"organisation '{o.id}' needs vetting {', '.join(missing)}, which desk "
                f"'{desk_id}' does not hold",
            )
        da = ctx.desk_assignment.get(o.id)
        if da is not None:
            changed = desk_id != o.desk
            if "from" in da and da["from"] != o.desk:
                ctx.add(
                    "9",
                    (o.id,),
                    f"organisation '{o.id}' is served today by '{o.desk}', not "
                    f"'{da['from']}' as desk_assignments 'from' says",
                )
            allowed = ctx.allowed_change.get(o.id)
            if changed and allowed is not None and allowed >= ctx.T:
                ctx.add(
                    "10",
                    (o.id, desk_id),
                    f"organisation '{o.id}' may change desk only from {o.desk_change_from} "
                    "(desk_change_from), after the horizon: it keeps its desk "
                    f"'{o.desk}', but the plan moves it to '{desk_id}'",
                )
            elif "month" in da:
                expected = ctx.month_label(allowed) if changed and allowed is not None else None
                if da["month"] != expected:
                    why = (
                        f"changes desk, so its desk_assignments month is {expected}, the "
                        "first month allowed ("
                        + (
                            f"desk_change_from {o.desk_change_from}"
                            if o.desk_change_from is not None and allowed
                            else "month 0"
                        )
                        + ")"
                        if changed
                        else "keeps its desk, so its desk_assignments month is null"
                    )
                    ctx.add("10", (o.id,), f"organisation '{o.id}' {why}, not {da['month']}")
    ctx.report.count("organisations", len(inv.organisations))
    ctx.report.count("desks", len(inv.service_desks))

    for desk in inv.service_desks:
        entry = ctx.desk_entry.get(desk.id)
        orgs = served[desk.id]
        kept = ctx.desk_kept(desk.id)
        fte = desk_fte(ctx, desk.id, orgs) if kept else 0
        if kept and fte > desk.seats:
            tickets = sum(inv.organisation[o].tickets_per_year for o in orgs)
            ctx.add(
                "9",
                (desk.id,),
                f"desk '{desk.id}' serves {tickets} tickets a year ({', '.join(orgs)}), "
                f"needing {fte} FTE at {num(desk.tickets_per_fte)} tickets per FTE, but has "
                f"{desk.seats} seats ({fte - desk.seats} over)",
            )
        if kept and not orgs:
            ctx.add(
                "9",
                (desk.id,),
                f"desk '{desk.id}' is kept open but serves no organisation; a desk left with "
                "no organisation closes (docs/plan-format.md)",
            )
        if entry is None:
            continue
        if int(entry["fte"]) != fte:
            ctx.add(
                "9",
                (desk.id,),
                f"desk '{desk.id}' has fte {int(entry['fte'])} in the plan, but "
                + (
                    f"ceil({sum(inv.organisation[o].tickets_per_year for o in orgs)} tickets / "
                    f"{num(desk.tickets_per_fte)}) = {fte}"
                    if kept
                    else "a closed desk has 0"
                ),
            )
        if "fte_before" in entry:
            before = desk_fte(ctx, desk.id, today[desk.id])
            if int(entry["fte_before"]) != before:
                ctx.add(
                    "9",
                    (desk.id,),
                    f"desk '{desk.id}' has fte_before {int(entry['fte_before'])}, but today it "
                    f"needs {before} FTE",
                )
        if "organisations" in entry and sorted(entry["organisations"]) != sorted(orgs):
            ctx.add(
                "9",
                (desk.id,),
                f"desk '{desk.id}' lists organisations {sorted(entry['organisations'])}, but "
                f"the plan's desk_assignments give it {sorted(orgs)}",
            )
        if "close_month" in entry:
            expected = ctx.month_label(ctx.desk_close_expected(desk.id)) if not kept else None
            if entry["close_month"] != expected:
                ctx.add(
                    "10",
                    (desk.id,),
                    f"desk '{desk.id}' "
                    + (
                        f"closes, so its close_month is {expected}, the month after its last "
                        "organisation leaves"
                        if not kept
                        else "stays open, so its close_month is null"
                    )
                    + f", not {entry['close_month']}",
                )
