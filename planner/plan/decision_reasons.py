"""Why the plan buys each accreditation upgrade (spec/decisions.md), in words.

For small estates each bought upgrade is measured: the problem is solved again
without it (every option that needs it removed), and the reason states how much
more the best plan without it costs and which rooms that plan keeps instead, e.g.
"gains dspt in 2027-10 for GBP 50,000 and GBP 10,000 a year: GBP 466,806 cheaper
than the best plan without it, which keeps nhs-mr (GBP 120,000 a year)".
"""

from __future__ import annotations

import dataclasses
import time

from planner.inventory.months import Calendar
from planner.plan.reasons import COUNTERFACTUAL_MAX_ROOMS, RESOLVE_CAP_S, gbp
from planner.schedule import Schedule
from planner.solver import SolveOptions, Status, solve
from planner.target import EstateProblem, Target


def without_upgrades(
    ep: EstateProblem,
    target: Target,
    objective: float,
    *,
    budget_s: float = 20.0,
    workers: int = 1,
    seed: int = 0,
) -> dict[tuple[str, str], str]:
    """For each bought upgrade: what the best plan without it costs, and keeps instead.

    Within ``budget_s``, each re-solve at most 10 s: with several workers until the budget
    has passed on the clock; with one worker each of the n re-solves gets budget_s / n
    (deterministic time), as :func:`planner.plan.reasons.counterfactuals` does."""
    p = ep.problem
    if len(p.rooms) > COUNTERFACTUAL_MAX_ROOMS:
        return {}
    out: dict[tuple[str, str], str] = {}
    bought = [u for u, key in enumerate(ep.upgrade_keys) if key in target.upgrades]
    each = min(RESOLVE_CAP_S, budget_s / max(1, len(bought)))
    start = time.monotonic()
    for u in bought:
        key = ep.upgrade_keys[u]
        if workers <= 1:
            limit = each
        else:
            left = budget_s - (time.monotonic() - start)
            if left <= 0.5:
                break
            limit = min(RESOLVE_CAP_S, left)
        workloads = tuple(
            dataclasses.replace(
                wl,
                options=tuple((r, c) for r, c in wl.options if u not in dict(wl.needs).get(r, ())),
                needs=tuple((r, n) for r, n in wl.needs if u not in n),
            )
            for wl in p.workloads
        )
        variant = dataclasses.replace(p, workloads=workloads)
        if any(not wl.options for wl in workloads):
            out[key] = "no room could host its workloads without it"
            continue
        outcome = solve(variant, SolveOptions(time_limit_s=limit, workers=workers, seed=seed))
        if outcome.status is Status.INFEASIBLE:
            out[key] = "no legal plan does without it"
        elif outcome.objective is not None and outcome.solution is not None:
            qualifier = "" if outcome.status is Status.OPTIMAL else "at least "
            kept = [
                room
                for r, room in enumerate(p.rooms)
                if outcome.solution.room_open[r] and room.id not in target.open_rooms
            ]
            inv = ep.inventory
            instead = ", ".join(
                f"{room.id} ({gbp(inv.room[room.id].annual_cost)} a year)" for room in kept
            )
            saving = gbp(outcome.objective - objective)
            out[key] = f"{qualifier}{saving} cheaper than the best plan without it" + (
                f", which keeps {instead}" if instead else ""
            )
    return out


def upgrade_reasons(
    ep: EstateProblem, target: Target, schedule: Schedule, measured: dict[tuple[str, str], str]
) -> dict[str, str]:
    """Room -> '; gains dspt in 2027-10 for GBP 50,000 and GBP 10,000 a year: ...' for
    every room with upgrades bought."""
    inv = ep.inventory
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    out: dict[str, str] = {}
    for r in inv.rooms:
        for u in r.upgrades:
            key = (r.id, u.accreditation)
            if key not in target.upgrades:
                continue
            month = schedule.upgrade_month.get(key)
            when = cal.label(month) if month is not None else "?"
            needing = [
                w.id
                for w in inv.workloads
                if target.room_of[w.id] == r.id
                and w.room != r.id
                and u.accreditation in inv.zone[w.zone].requires
            ]
            why = measured.get(key) or f"for {', '.join(needing)}"
            out[r.id] = out.get(r.id, "") + (
                f"; gains {u.accreditation} in {when} for {gbp(u.cost)} and "
                f"{gbp(u.annual_cost)} a year: {why}"
            )
    return out
