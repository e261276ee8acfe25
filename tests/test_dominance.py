"""Family dominance never changes the optimum (random small problems, with and without it)."""

from __future__ import annotations

import random

import pytest

from planner.solver import SolveOptions, Status, solve
from planner.solver.build import build
from planner.solver.families import FAMILIES
from planner.solver.families.dominance import free_workloads, roomy_rooms
from planner.solver.problem import Problem, Room, SitePairRule, Workload


def _problem(seed: int, *, rules: bool = False, max_rooms: int | None = None) -> Problem:
    rng = random.Random(seed)
    n_rooms, n_work = 6, 14
    demand = [rng.randint(1, 9) for _ in range(n_work)]
    total = sum(demand)
    rooms = tuple(
        Room(
            id=f"r{j}",
            site=j,
            # some rooms hold everything (roomy), others are tight
            capacity=(total if j % 2 == 0 else rng.randint(10, 30),),
            cost_open=rng.randint(0, 60),
            cost_closed=rng.randint(0, 20),
            existing=rng.random() < 0.5,
        )
        for j in range(n_rooms)
    )
    workloads = tuple(
        Workload(
            id=f"w{i}",
            demand=(demand[i],),
            options=tuple(
                (j, rng.randint(0, 40))
                for j in range(n_rooms)
                if rng.random() < 0.8 or j == i % n_rooms
            ),
        )
        for i in range(n_work)
    )
    site_rules = (SitePairRule("apart", 0, 1, frozenset((s, s) for s in range(n_rooms))),)
    return Problem(
        name=f"random-{seed}",
        resources=("units",),
        resource_scale=(1,),
        sites=tuple(r.id for r in rooms),
        rooms=rooms,
        workloads=workloads,
        site_rules=site_rules if rules else (),
        max_rooms=max_rooms,
    )


def _optimum(problem: Problem, with_dominance: bool) -> float | None:
    names = tuple(n for n in FAMILIES if with_dominance or n != "dominance")
    out = solve(problem, SolveOptions(time_limit_s=20, workers=1), families=names)
    assert out.status in (Status.OPTIMAL, Status.INFEASIBLE)
    return out.objective


@pytest.mark.parametrize("seed", range(24))
def test_dominance_keeps_the_optimum(seed: int) -> None:
    problem = _problem(seed, rules=seed % 3 == 1, max_rooms=3 if seed % 4 == 2 else None)
    assert roomy_rooms(build(problem))
    assert _optimum(problem, True) == pytest.approx(_optimum(problem, False))


def test_workloads_in_side_rules_are_not_free() -> None:
    problem = _problem(0, rules=True)
    free = free_workloads(build(problem))
    assert not free[0]
    assert not free[1]
    assert all(free[2:])
