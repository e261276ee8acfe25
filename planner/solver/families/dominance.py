"""Family ``dominance``: assignments no optimal plan makes, next to a room that never fills.

A room k is *roomy* when its capacity can never bind: the demands of every
workload that has k as an option fit in it together, in every resource. For a
workload w with options j and k, k roomy, and F_k = max(0, F_open[k] - F_closed[k]):

    x[w, j] = 0                       if c[w, j] > c[w, k] + F_k     (k open or not)
    x[w, j] <= 1 - open[k]            if c[w, j] > c[w, k]           (k is open)

Proof: take any optimal plan with x[w, j] = 1 breaking one of these. Move w to
k (opening k if it was closed). k's capacity holds (roomy); the cost falls by
c[w, j] - c[w, k] if k was open and by c[w, j] - c[w, k] - (F_open[k] -
F_closed[k]) if not. Under the first condition both are > 0 (F_k is clipped at
0 because k may already be open); the second only speaks of an open k, where the
first amount is > 0. Either way the plan was not optimal: a contradiction.
So every optimal plan satisfies all of them at once, and adding them never
changes the optimum. The inequalities are strict, so ties keep both options.

k must not need an upgrade for w (its cost would be more than c[w, k]), and the
first form does not apply to a suite k (opening it may open its parent too).
The move must not break another rule, so w qualifies only when it has no
side rules that a move could break: its zone conflicts with no other zone, it
is in no site rule (dependency, DR) and no move-pair set, and moving it costs
no migration budget (no budget, or no move days). The first form opens a room,
so it is used only without a room limit (or when k does not count towards it).
An explanation model has no objective, so it gets none of these. For n identical
workloads (:mod:`planner.solver.aggregate`) the same holds member by member: the
roomy test counts each of them, and x[w, j] = 0 says none is in j.
"""

from __future__ import annotations

from planner.solver.variables import FacilityModel


def roomy_rooms(b: FacilityModel) -> set[int]:
    """Rooms whose capacity can never bind (every admissible workload fits at once)."""
    p = b.problem
    out = set()
    for r, room in enumerate(p.rooms):
        entries = b.by_room[r]
        if not entries or room.must_close:
            continue
        if all(
            sum(p.workloads[w].demand[k] * p.workloads[w].count for w, _ in entries) <= cap
            for k, cap in enumerate(room.capacity)
        ):
            out.add(r)
    return out


def free_workloads(b: FacilityModel) -> list[bool]:
    """Workloads that any move leaves within every side rule (see the module docstring)."""
    p = b.problem
    zones_in_conflict = {k for pair in p.conflicts for k in pair}
    bound = p.ruled_workloads()
    out = []
    for w, wl in enumerate(p.workloads):
        budgeted = p.move_budget is not None and wl.move_days > 0
        out.append(wl.zone not in zones_in_conflict and w not in bound and not budgeted)
    return out


def add(b: FacilityModel) -> None:
    if b.explain:
        return
    p, m = b.problem, b.model
    roomy = roomy_rooms(b)
    if not roomy:
        return
    free = free_workloads(b)
    for w, wl in enumerate(p.workloads):
        if not free[w]:
            continue
        cost = dict(wl.options)
        needs = dict(wl.needs)
        near = [(cost[k], k) for k in roomy if k in cost and k not in needs]
        if not near:
            continue
        for j, var in b.by_workload[w]:
            cj = cost.get(j)
            if cj is None:
                continue
            for ck, k in near:
                if k == j:
                    continue
                room = p.rooms[k]
                opening = max(0, room.cost_open - room.cost_closed)
                may_open = room.within is None and (p.max_rooms is None or not room.counts_to_limit)
                if may_open and cj > ck + opening:
                    m.add(var == 0)
                    break
                if cj > ck:
                    b.only_if(w, var, b.open[k].Not())
