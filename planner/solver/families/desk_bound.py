"""Family ``desk-bound``: a cut on the desks' cost that keeps every optimum.

For desk d let G[d] = G_open[d] - G_closed[d] (what opening it adds), g[d] the
cost per FTE, tpf[d] its tickets per FTE and S[d] its seats. Every plan has
fte[d] >= L[d] / tpf[d], where L[d] = sum_o T[o] serve[o, d] is its load, and
desk_open[d] >= fte[d] / S[d] >= L[d] / (S[d] tpf[d]). So the desks' cost

    sum_d G_closed[d] + G[d] desk_open[d] + g[d] fte[d]

is at least K + sum_d rho[d] L[d], with

    rho[d] = g[d] / tpf[d] + max(0, G[d]) / (S[d] tpf[d])
    K      = sum_d G_closed[d] + min(0, G[d])

and the loads form a transportation plan: each organisation's T[o] tickets
split over its desks D(o), at most S[d] tpf[d] at desk d. The cheapest such
plan, a min-cost flow (organisation -> desk -> sink, unit cost rho[d] rounded
down to 1e-6 of a unit, capacities exact), is the LP bound of the desk layer
without the integer rounding of staff and openings; the cut is

    sum_d G[d] desk_open[d] + g[d] fte[d] >= ceil(K + flow cost) - sum_d G_closed[d]

Measured (docs/benchmarks.md): CP-SAT's own bound on the desks of a generated
150-council estate was 31M after 60 s against a best plan of 186.5M; the flow
gives 180.0M in 0.04 s. The flow is solved with integer arithmetic, so the cut
never removes a plan. Not added to explanation models (no objective there), nor
when the flow has no solution (then the desks have no plan either and the
``desks`` family says why).
"""

from __future__ import annotations

from ortools.graph.python import min_cost_flow

from planner.solver.problem import Problem
from planner.solver.variables import FacilityModel

SCALE = 1_000_000
"""Unit costs of the flow in 1e-6 cost units (rounded down, so the bound stays valid)."""


def staffing_bound(p: Problem) -> int | None:
    """The least cost (units) of the desk layer over every plan, by the flow above;
    None when no fractional plan exists."""
    found = cheapest_flow(p)
    return None if found is None else found[0]


def staffing(p: Problem) -> tuple[int, list[int] | None] | None:
    """From one flow: the bound, and a desk for each organisation rounded from it
    (largest organisations first, each to the desk that carries most of its tickets in
    the flow if its seats still hold them, else to the cheapest desk by rho that can;
    None when some organisation finds no desk with room). None when no fractional plan
    exists."""
    found = cheapest_flow(p)
    return None if found is None else (found[0], _round(p, found))


def _round(p: Problem, found: tuple[int, list[dict[int, int]], list[int]]) -> list[int] | None:
    _, shares, rate = found
    room = [desk.seats * max(0, desk.tickets_per_fte) for desk in p.desks]
    plan = [-1] * len(p.organisations)
    order = sorted(range(len(p.organisations)), key=lambda o: (-p.organisations[o].tickets, o))
    for o in order:
        org = p.organisations[o]
        ranked = sorted(org.options, key=lambda d: (-shares[o].get(d, 0), rate[d], d))
        fits = [d for d in ranked if room[d] >= org.tickets]
        if not fits:
            return None
        plan[o] = fits[0]
        room[fits[0]] -= org.tickets
    return plan


def cheapest_flow(p: Problem) -> tuple[int, list[dict[int, int]], list[int]] | None:
    """(bound, tickets of each organisation at each desk, rho of each desk in 1e-6
    units) of the cheapest flow."""
    if not p.desks or not p.organisations:
        return None
    constant = 0
    rate: list[int] = []
    for desk in p.desks:
        extra = desk.cost_open - desk.cost_closed
        constant += desk.cost_closed + min(0, extra)
        if desk.tickets_per_fte <= 0 or desk.seats <= 0:
            rate.append(0)
            continue
        per = desk.cost_per_fte * SCALE // desk.tickets_per_fte
        if extra > 0:
            per += extra * SCALE // (desk.seats * desk.tickets_per_fte)
        rate.append(per)
    flow = min_cost_flow.SimpleMinCostFlow()
    orgs, desks = len(p.organisations), len(p.desks)
    source, sink = orgs + desks, orgs + desks + 1
    total = 0
    arcs: list[tuple[int, int, int]] = []
    for o, org in enumerate(p.organisations):
        if org.tickets <= 0:
            continue
        total += org.tickets
        flow.add_arc_with_capacity_and_unit_cost(source, o, org.tickets, 0)
        for d in org.options:
            arc = flow.add_arc_with_capacity_and_unit_cost(o, orgs + d, org.tickets, rate[d])
            arcs.append((arc, o, d))
    shares: list[dict[int, int]] = [{} for _ in p.organisations]
    if total == 0:
        return constant, shares, rate
    for d, desk in enumerate(p.desks):
        flow.add_arc_with_capacity_and_unit_cost(
            orgs + d, sink, desk.seats * max(0, desk.tickets_per_fte), 0
        )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        return None
    for arc, o, d in arcs:
        if flow.flow(arc) > 0:
            shares[o][d] = flow.flow(arc)
    return constant + -(-flow.optimal_cost() // SCALE), shares, rate


def add(b: FacilityModel) -> None:
    if b.explain:
        return
    p = b.problem
    bound = staffing_bound(p)
    if bound is None:
        return
    b.model.add(
        sum(
            (desk.cost_open - desk.cost_closed) * b.desk_open[d] + desk.cost_per_fte * b.fte[d]
            for d, desk in enumerate(p.desks)
        )
        >= bound - sum(desk.cost_closed for desk in p.desks)
    )
