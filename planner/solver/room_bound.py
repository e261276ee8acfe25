"""A lower bound on the room layer's cost in a fraction of a second: a transportation
problem, for when CP-SAT proves no bound in the time (large estates).

With G[r] = F_open[r] - F_closed[r], the rooms' cost is

    sum_r F_closed[r] + G[r] open[r] + sum_{w, r} c[w, r] x[w, r].

For any resource k, capacity gives open[r] >= sum_w d[w, k] x[w, r] / C[r, k], so
with K = sum_r F_closed[r] + min(0, G[r]) (+ G[r] when r must open) the cost is at
least

    K + sum_{w, r} x[w, r] (c[w, r] + max(0, G[r]) d[w, k] / C[r, k])

(no G term for a room that must open). Minimising that over fractional x with
sum_r x[w, r] = 1 and sum_w d[w, k] x[w, r] <= C[r, k] is a transportation
problem in the flow f[w, r] = d[w, k] x[w, r]: unit cost c[w, r] / d[w, k] +
max(0, G[r]) / C[r, k], supply d[w, k], capacity C[r, k]; a workload with
d[w, k] = 0 just takes its cheapest option. Unit costs are rounded down to 1e-3
of a unit and the flow is integral, so the bound is valid; the larger of the
bounds over the resources is returned.

It is weaker than CP-SAT's own bound once CP-SAT has solved the LP of the whole
model (it ignores x[w, r] <= open[r]): 47.3M against 63.6M on the rooms of a
generated 50-council estate (docs/benchmarks.md), but it exists at once.
"""

from __future__ import annotations

from ortools.graph.python import min_cost_flow

from planner.solver.problem import Problem

SCALE = 1_000


def transport_bound(p: Problem) -> int | None:
    """The bound above in cost units; None when some resource's flow has no solution."""
    constant = 0
    for room in p.rooms:
        extra = room.cost_open - room.cost_closed
        constant += room.cost_closed + (extra if room.must_open else min(0, extra))
    if any(not wl.options for wl in p.workloads):
        return None
    best: int | None = None
    resources: list[int | None] = list(range(len(p.resources))) or [None]
    for k in resources:
        value = _flow(p, k, constant)
        if value is None:
            return None
        best = value if best is None else max(best, value)
    return best


def _flow(p: Problem, k: int | None, constant: int) -> int | None:
    flow = min_cost_flow.SimpleMinCostFlow()
    n = len(p.workloads)
    source, sink = n + len(p.rooms), n + len(p.rooms) + 1
    total = free = 0
    for w, wl in enumerate(p.workloads):
        demand = wl.demand[k] if k is not None else 0
        if demand <= 0:
            free += min(c for _, c in wl.options)
            continue
        total += demand
        flow.add_arc_with_capacity_and_unit_cost(source, w, demand, 0)
        for r, cost in wl.options:
            room = p.rooms[r]
            unit = cost * SCALE // demand
            extra = room.cost_open - room.cost_closed
            if not room.must_open and extra > 0 and k is not None and room.capacity[k] > 0:
                unit += extra * SCALE // room.capacity[k]
            flow.add_arc_with_capacity_and_unit_cost(w, n + r, demand, unit)
    if total == 0:
        return constant + free
    for r, room in enumerate(p.rooms):
        capacity = 0 if room.must_close or k is None else room.capacity[k]
        flow.add_arc_with_capacity_and_unit_cost(n + r, sink, capacity, 0)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        return None
    return constant + free + flow.optimal_cost() // SCALE
