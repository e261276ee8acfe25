"""One CP-SAT search of a whole facility model, and the checks of a hinted plan.

:func:`solve_model` runs CP-SAT with the parameters of :func:`configure`,
reports progress through :class:`Watcher`, and returns an honest
:class:`~planner.solver.results.Outcome` (a plan found otherwise, the
``fallback``, is returned with CP-SAT's bound when the search finds nothing as
good). :func:`check_hint` proves a hinted plan legal by fixing every variable.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from planner import sat
from planner.solver.build import build
from planner.solver.options import SolveOptions
from planner.solver.problem import Problem
from planner.solver.results import Outcome, Progress, Solution, Status
from planner.solver.variables import FacilityModel


class Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, problem: Problem, on_progress: Callable[[Progress], None] | None, start: float
    ) -> None:
        super().__init__()
        self.problem = problem
        self.on_progress = on_progress
        self.start = start
        self.solutions = 0
        self.best: float | None = None
        self.bound: float | None = None
        self.lock = threading.Lock()

    def on_solution_callback(self) -> None:
        with self.lock:
            self.solutions += 1
            self.best = self.problem.objective_money(self.objective_value)
            self.bound = self.problem.objective_money(self.best_objective_bound)
        self.emit()

    def on_solution_value(self, money: float) -> None:
        """A plan found outside this CP-SAT run (today's estate, the block search)."""
        with self.lock:
            self.solutions += 1
            if self.best is None or money < self.best:
                self.best = money
        self.emit()

    def on_bound(self, bound: float) -> None:
        with self.lock:
            self.bound = self.problem.objective_money(bound)
        self.emit()

    def emit(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.snapshot())

    def snapshot(self) -> Progress:
        with self.lock:
            return Progress(self.best, self.bound, time.monotonic() - self.start, self.solutions)


def configure(solver: cp_model.CpSolver, options: SolveOptions, size: int = 0) -> None:
    """Set the CP-SAT parameters for ``options`` on ``solver`` (``size``: assignment variables)."""
    params = solver.parameters
    params.num_workers = max(1, options.workers)
    params.random_seed = options.seed
    params.linearization_level = options.linearization_level
    params.log_search_progress = options.log
    if options.workers <= 1:
        params.max_deterministic_time = options.time_limit_s
    else:
        params.max_time_in_seconds = options.time_limit_s
        # The full-problem worker 'default_lp' forces linearization level 1; keep ours.
        params.merge_text_format(
            "subsolver_params { name: 'default_lp' "
            f"linearization_level: {options.linearization_level} }}"
        )
    if size > options.light_presolve_above:
        params.max_presolve_iterations = 1
        params.cp_model_probing_level = 0
        params.find_big_linear_overlap = False
    if options.cp_sat_params and not params.merge_text_format(options.cp_sat_params):
        raise ValueError(f"invalid CP-SAT parameters: {options.cp_sat_params!r}")


def check_hint(b: FacilityModel) -> Outcome | None:
    """The model's hint (today's estate unless replaced) as a plan, when it satisfies
    every rule of the model: CP-SAT with every variable fixed to its hint, which takes
    seconds where a search of the same model takes minutes to find its first plan;
    None if it breaks a rule."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 60.0
    code = sat.run(solver, b.model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    p = b.problem
    return Outcome(
        Status.FEASIBLE,
        p.objective_money(solver.objective_value),
        None,
        0.0,
        read_solution(b, solver),
        {name: solver.value(term) * p.cost_unit for name, term in b.objective_terms.items()},
    )


def solve_model(
    problem: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    built: FacilityModel | None = None,
    watcher: Watcher | None = None,
    fallback: Outcome | None = None,
) -> Outcome:
    """Build (unless given) and solve the whole model with CP-SAT; ``fallback`` (a plan
    found otherwise) is returned, with CP-SAT's bound, when the search finds nothing as
    good."""
    start = time.monotonic()
    b = built or build(problem)
    solver = cp_model.CpSolver()
    configure(solver, options, len(b.x))
    watcher = watcher or Watcher(problem, on_progress, start)
    solver.best_bound_callback = watcher.on_bound
    code = sat.run(solver, b.model, watcher)
    wall = time.monotonic() - start
    if code == cp_model.OPTIMAL:
        status = Status.OPTIMAL
    elif code == cp_model.FEASIBLE:
        status = Status.FEASIBLE
    elif code == cp_model.INFEASIBLE:
        status = Status.INFEASIBLE
    elif code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {b.model.validate()}")
    else:
        status = Status.UNKNOWN
    if status is Status.INFEASIBLE and fallback is not None:
        raise RuntimeError(f"CP-SAT proved infeasible a problem with a plan: {problem.name}")
    bound: float | None = None
    if status in (Status.OPTIMAL, Status.FEASIBLE):
        objective = problem.objective_money(solver.objective_value)
        bound = problem.objective_money(solver.best_objective_bound)
        if fallback is None or fallback.objective is None or objective <= fallback.objective:
            if status is Status.OPTIMAL:
                bound = objective
            breakdown = {
                name: solver.value(term) * problem.cost_unit
                for name, term in b.objective_terms.items()
            }
            solution = read_solution(b, solver)
            found = max(watcher.solutions, 1)
            return Outcome(status, objective, bound, wall, solution, breakdown, found)
    else:
        bound = watcher.bound if status is Status.UNKNOWN else None
    if fallback is not None and fallback.objective is not None:
        if bound is not None and bound > fallback.objective + 1e-6 * abs(fallback.objective):
            raise RuntimeError(
                f"{problem.name}: a plan costs {fallback.objective}, below the proven bound {bound}"
            )
        proven = bound is not None and bound >= fallback.objective - 1e-9 * abs(fallback.objective)
        return replace(
            fallback,
            status=Status.OPTIMAL if proven else Status.FEASIBLE,
            bound=fallback.objective if proven else bound,
            wall_s=wall,
            solutions_found=max(watcher.solutions, 1),
        )
    return Outcome(status, None, bound, wall, None, solutions_found=0)


def read_solution(b: FacilityModel, solver: cp_model.CpSolver) -> Solution:
    """The plan CP-SAT found; a workload standing for n identical ones
    (:mod:`planner.solver.aggregate`) gets n entries in the assignment, one room each."""
    p = b.problem
    room_open = [bool(solver.value(v)) for v in b.open]
    assignment: list[int] = []
    for entries in b.by_workload:
        for r, var in entries:
            assignment += [r] * solver.value(var)
    desk_of = [-1] * len(p.organisations)
    for (o, d), var in b.serve.items():
        if solver.value(var):
            desk_of[o] = d
    return Solution(
        room_open=room_open,
        assignment=assignment,
        desk_open=[bool(solver.value(v)) for v in b.desk_open],
        desk_of=desk_of,
        fte=[int(solver.value(v)) for v in b.fte],
    )
