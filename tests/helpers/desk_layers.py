"""Small desk layers for tests: desks and organisations and nothing else."""

from __future__ import annotations

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
