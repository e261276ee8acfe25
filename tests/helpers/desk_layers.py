"""Small desk layers for tests: desks and organisations and nothing else."""

from __future__ import annotations

import itertools
import random

from planner.solver.problem import Desk, Organisation, Problem


def random_desk_layer(rng: random.Random) -> Problem:
    """1 to 4 desks and 1 to 5 organisations, each vetted for a random set of them."""
    desks = []
    for d in range(rng.randint(1, 4)):
        tpf = rng.randint(2, 9)
        desks.append(
            Desk(
                id=f"d{d}",
                seats=rng.randint(1, 6),
                tickets_per_fte=tpf,
                cost_open=rng.randint(0, 400),
                cost_per_fte=rng.randint(10, 200),
                cost_closed=rng.randint(0, 300),
            )
        )
    orgs = []
    for o in range(rng.randint(1, 5)):
        options = tuple(sorted(rng.sample(range(len(desks)), rng.randint(1, len(desks)))))
        orgs.append(Organisation(id=f"o{o}", tickets=rng.randint(0, 25), options=options))
    return desks_only(desks, orgs)


def desks_only(desks: list[Desk], orgs: list[Organisation]) -> Problem:
    """A problem with desks and organisations and nothing else."""
    return Problem(
        name="desks",
        resources=(),
        resource_scale=(),
        sites=(),
        rooms=(),
        workloads=(),
        desks=tuple(desks),
        organisations=tuple(orgs),
    )


def desk_cost(p: Problem, desk_of: list[int]) -> int | None:
    """The desks' cost of a plan (None when it breaks a rule), counted here by hand."""
    total = 0
    for d, desk in enumerate(p.desks):
        orgs = [o for o, at in enumerate(desk_of) if at == d]
        if not orgs:
            total += desk.cost_closed
            continue
        load = sum(p.organisations[o].tickets for o in orgs)
        staff = -(-load // desk.tickets_per_fte) if desk.tickets_per_fte > 0 else 0
        if staff > desk.seats or (desk.tickets_per_fte <= 0 and load > 0):
            return None
        if any(d not in p.organisations[o].options for o in orgs):
            return None
        total += desk.cost_open + desk.cost_per_fte * staff
    if p.max_desks is not None:
        counted = {d for d in desk_of if p.desks[d].counts_to_limit}
        if len(counted) > p.max_desks:
            return None
    return total


def optimum(p: Problem) -> int | None:
    """The least desk cost over every assignment (None when none is legal)."""
    costs = [
        cost
        for plan in itertools.product(*(org.options for org in p.organisations))
        if (cost := desk_cost(p, list(plan))) is not None
    ]
    return min(costs, default=None)
