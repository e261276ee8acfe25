"""The main reason behind each decision, in words a programme board can check.

Facts come from the plan itself (what moves where, what it costs). For small
estates the reason a room stays open, or a candidate stays unused, is also
measured: the problem is solved again with that room forced the other way,
and the reason states the difference in the objective, or, if no legal plan
exists that way, the rules that forbid it (an explained infeasibility).
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict

from planner.inventory.items import RESOURCE_UNITS, RESOURCES, Room, Workload, thousandths
from planner.inventory.months import Calendar
from planner.plan.explain import describe
from planner.plan.timeline import room_use
from planner.schedule import Schedule
from planner.solver import SolveOptions, Status, find_core, solve
from planner.target import EstateProblem, LimitOptions, Target, build_problem, refresh_month

COUNTERFACTUAL_MAX_ROOMS = 40
"""Estates with more rooms than this get factual reasons only (no re-solves)."""
RESOLVE_CAP_S = 10.0
"""The most one re-solve gets."""


def gbp(amount: float) -> str:
    """GBP 12,345: money in a reason."""
    return f"GBP {amount:,.0f}"


def counterfactuals(
    ep: EstateProblem,
    limits: LimitOptions,
    objective: float,
    open_rooms: frozenset[str],
    *,
    budget_s: float = 30.0,
    workers: int = 1,
    seed: int = 0,
) -> dict[str, str]:
    """For each kept room and unused candidate: what forcing it the other way would do.

    Within ``budget_s``, each re-solve at most 10 s. With several workers the re-solves
    run until the budget has passed on the clock, each given what is left. With one
    worker (deterministic time) each of the n re-solves gets budget_s / n (at most 10)
    whatever the clock says, so the same rooms are measured with the same limits on any
    machine."""
    p = ep.problem
    if len(p.rooms) > COUNTERFACTUAL_MAX_ROOMS:
        return {}
    out: dict[str, str] = {}
    flips = [
        r
        for r, room in enumerate(p.rooms)
        if not (room.id in open_rooms and room.must_open)
        and not (room.id not in open_rooms and (room.existing or room.must_close))
    ]
    each = min(RESOLVE_CAP_S, budget_s / max(1, len(flips)))
    start = time.monotonic()
    for r in flips:
        room = p.rooms[r]
        if workers <= 1:
            left = limit = each
        else:
            left = budget_s - (time.monotonic() - start)
            if left <= 0.5:
                break
            limit = min(RESOLVE_CAP_S, left)
        is_open = room.id in open_rooms
        flipped = dataclasses.replace(room, must_open=not is_open, must_close=is_open)
        variant = dataclasses.replace(p, rooms=(*p.rooms[:r], flipped, *p.rooms[r + 1 :]))
        outcome = solve(variant, SolveOptions(time_limit_s=limit, workers=workers, seed=seed))
        if outcome.status in (Status.OPTIMAL, Status.FEASIBLE) and outcome.objective is not None:
            delta = outcome.objective - objective
            qualifier = "" if outcome.status is Status.OPTIMAL else "at least "
            if is_open:
                out[room.id] = (
                    f"keeping it is {qualifier}{gbp(delta)} cheaper (one-off plus "
                    f"{ep.annuity:.2f} years of running cost) than the best plan "
                    "that closes it"
                )
            else:
                out[room.id] = f"opening it would cost {qualifier}{gbp(delta)} more than the plan"
        elif outcome.status is Status.INFEASIBLE:
            explain_ep = build_problem(ep.inventory, ep.graph, limits, explain=True)
            er = explain_ep.problem
            flipped_e = dataclasses.replace(er.rooms[r], must_open=not is_open, must_close=is_open)
            er = dataclasses.replace(er, rooms=(*er.rooms[:r], flipped_e, *er.rooms[r + 1 :]))
            core = find_core(er, time_limit_s=max(1.0, min(5.0, left)))
            verb = "close" if is_open else "open"
            if core is None:
                out[room.id] = f"no legal plan can {verb} it"
            else:
                rules = [
                    describe(dataclasses.replace(explain_ep, problem=er), key, limits)
                    for key in core.keys
                    if key[:2] not in (("close", r), ("keep", r))
                ]
                out[room.id] = f"no legal plan can {verb} it: " + "; ".join(rules)
    return out


def room_reasons(
    ep: EstateProblem,
    target: Target,
    schedule: Schedule,
    measured: dict[str, str],
    upgrades: dict[str, str] | None = None,
) -> dict[str, str]:
    """Each room's decision in words (``measured``: counterfactual reasons; ``upgrades``:
    what each room gains, appended)."""
    inv = ep.inventory
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    leaving: dict[str, list[str]] = defaultdict(list)
    entering: dict[str, list[str]] = defaultdict(list)
    for w in inv.workloads:
        to = target.room_of[w.id]
        if to != w.room:
            leaving[w.room].append(w.id)
            entering[to].append(w.id)
    out: dict[str, str] = {}
    for r in inv.rooms:
        moved_out = leaving[r.id]
        dests = sorted({target.room_of[w] for w in moved_out})
        if r.status == "existing" and r.id not in target.open_rooms:
            when = cal.label(schedule.close_month[r.id]) if r.id in schedule.close_month else "?"
            why = "marked close: true" if r.close else f"saves {gbp(r.annual_cost)} a year"
            moves = (
                f"its {len(moved_out)} workload(s) move to {', '.join(dests)}"
                if moved_out
                else "it hosts nothing"
            )
            out[r.id] = f"closes from {when}: {why}; {moves}; one-off closure {gbp(r.closure_cost)}"
        elif r.status == "existing":
            if r.keep:
                out[r.id] = "marked keep: true"
            elif r.id in measured:
                out[r.id] = measured[r.id]
            else:
                staying = sum(1 for w in inv.workloads if target.room_of[w.id] == r.id)
                out[r.id] = f"stays open for {staying} workload(s) ({len(entering[r.id])} arriving)"
            if r.earliest_close and r.id not in measured and not r.keep:
                out[r.id] += f"; it may not close before {r.earliest_close}"
        elif r.id in target.open_rooms:
            month = schedule.open_month.get(r.id)
            when = cal.label(month) if month is not None else cal.label(0)
            sources = sorted({inv.workload[w].room for w in entering[r.id]})
            out[r.id] = (
                f"opened from {when} for {len(entering[r.id])} workload(s) from "
                f"{', '.join(sources) or 'nowhere'}; {gbp(r.annual_cost)} a year "
                f"and {gbp(r.open_cost)} to open"
            )
        else:
            out[r.id] = measured.get(r.id, "not opened: the plan is cheaper without it")
        suites = [s.id for s in inv.rooms if s.within == r.id and s.id in target.open_rooms]
        if suites and r.id in target.open_rooms:
            out[r.id] += f"; it houses the suite {', '.join(suites)}"
        out[r.id] += (upgrades or {}).get(r.id, "")
    return out


def move_reasons(ep: EstateProblem, target: Target, schedule: Schedule) -> dict[str, str]:
    inv = ep.inventory
    group_of = {w: g for g in schedule.move_groups for w in g}
    use = room_use(inv, target.room_of)
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    out: dict[str, str] = {}
    for w in inv.workloads:
        to = target.room_of[w.id]
        if to == w.room:
            continue
        if w.room not in target.open_rooms:
            why = f"{w.room} closes"
        else:
            why = _no_room_for(inv.room[w.room], w, use) or (
                f"{w.room} stays open, but {to} is part of the cheapest plan found"
            )
        zone = inv.zone[w.zone]
        facts = []
        if zone.requires:
            gained = sorted(a for room, a in target.upgrades if room == to and a in zone.requires)
            holds = f"{to} holds {', '.join(zone.requires)}"
            if gained:
                months = [schedule.upgrade_month.get((to, a)) for a in gained]
                first = max((m for m in months if m is not None), default=0)
                holds += f" ({', '.join(gained)} bought, held from {cal.label(first)})"
            facts.append(holds)
        if w.max_latency_ms is not None and w.users:
            facts.append(f"within {w.max_latency_ms:g} ms of its users")
        text = f"{why}; moves to {to}" + (f" ({', '.join(facts)})" if facts else "")
        text += _refresh_words(w, schedule.move_month.get(w.id), cal)
        group = group_of.get(w.id)
        if group:
            others = [g for g in group if g != w.id]
            text += f"; moves in the same month as {', '.join(others)} (dependency or DR pair)"
        out[w.id] = text
    return out


def _refresh_words(w: Workload, month: int | None, cal: Calendar) -> str:
    """'; waits for its hardware refresh in 2028-04: GBP 198,000 cheaper than moving
    before it' when it moves at a refresh that makes its move cheaper; else ''."""
    r = refresh_month(w, cal)
    if r is None or month is None or r == 0 or w.refresh_move_cost is None:
        return ""
    saving = w.migration_cost - w.refresh_move_cost
    if month >= r and saving > 0:
        return (
            f"; waits for its hardware refresh in {cal.label(r)}: {gbp(saving)} cheaper "
            "than moving before it"
        )
    return ""


def _no_room_for(room: Room, w: Workload, use: dict[tuple[str, str], int]) -> str | None:
    """'pershore-mr stays open but has no room for it: with it, pershore-mr would hold
    412 of 344 vCPU' when staying would overfill a resource the room states; else None."""
    for k in RESOURCES:
        cap = getattr(room, k)
        need = use[(room.id, k)] + thousandths(getattr(w, k))
        if cap is not None and getattr(w, k) > 0 and need > thousandths(cap):
            return (
                f"{room.id} stays open but has no room for it: with it, {room.id} would "
                f"hold {need / 1000:g} of {cap:g} {RESOURCE_UNITS[k]}"
            )
    return None


def desk_reasons(ep: EstateProblem, target: Target, fte: dict[str, int]) -> dict[str, str]:
    inv = ep.inventory
    serving: dict[str, list[str]] = defaultdict(list)
    for o in inv.organisations:
        serving[target.desk_of[o.id]].append(o.id)
    out: dict[str, str] = {}
    for d in inv.service_desks:
        if d.id in serving:
            out[d.id] = f"serves {', '.join(serving[d.id])} with {fte[d.id]} FTE in {d.seats} seats"
        else:
            moved = [o.id for o in inv.organisations if o.desk == d.id]
            dest = sorted({target.desk_of[o] for o in moved})
            verb = "moves" if len(moved) == 1 else "move"
            out[d.id] = f"closes: saves {gbp(d.fixed_cost)} a year fixed cost" + (
                f"; {', '.join(moved)} {verb} to {', '.join(dest)}" if moved else ""
            )
    return out
