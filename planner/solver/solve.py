"""Solve a problem with CP-SAT and report the outcome honestly.

Status is ``optimal`` only when CP-SAT proves it; ``feasible`` carries the
proven bound and the gap; ``infeasible`` when CP-SAT proves no plan exists;
``unknown`` when the time ran out before any plan was found.

Reproducibility: with one worker the limit is CP-SAT's deterministic time
(``max_deterministic_time``, roughly seconds of work), so the same problem,
options and seed give the same answer on any machine; with more workers it is
wall-clock time.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.solver.model import build
from planner.solver.problem import Problem
from planner.solver.vars import Built


class Status(enum.StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SolveOptions:
    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0
    linearization_level: int = 2
    """CP-SAT linearization level: 2 puts every linking row x[w, r] <= open[r] in the LP,
    which is the strong facility-location relaxation; 1 leaves the LP with the
    aggregated rows only (docs/benchmarks.md: cap131 proven in 0.1 s at 2, no proof
    in 10 s at 1). With several workers CP-SAT runs named subsolvers that set
    their own level ('default_lp' sets 1); :func:`configure` gives 'default_lp'
    this level too."""
    log: bool = False
    light_presolve_above: int = 50_000
    """With more assignment variables than this, presolve runs once without probing or
    big-overlap detection: on a 100 x 1000 benchmark that is the difference between a
    first solution after 7 s and after 2 s (docs/benchmarks.md)."""
    cp_sat_params: str = ""
    """Extra CP-SAT parameters in protobuf text format, applied last (for experiments,
    e.g. ``"subsolvers: 'max_lp'"``); invalid text raises ValueError."""


@dataclass(frozen=True)
class Progress:
    """A snapshot of the search for a progress display (money, not units)."""

    objective: float | None
    bound: float | None
    elapsed_s: float
    solutions: int

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """(objective - bound) / |objective|, 0 when equal; None without both."""
    if objective is None or bound is None:
        return None
    if abs(objective - bound) < 1e-9:
        return 0.0
    return max(0.0, (objective - bound) / max(abs(objective), 1e-9))


@dataclass
class Solution:
    """The decisions of a plan, by index into the problem."""

    room_open: list[bool]
    assignment: list[int]
    """Room index of each workload."""
    desk_open: list[bool] = field(default_factory=list)
    desk_of: list[int] = field(default_factory=list)
    """Desk index of each organisation."""
    fte: list[int] = field(default_factory=list)


@dataclass
class Outcome:
    """What a solve returns."""

    status: Status
    objective: float | None
    """Money (problem.cost_unit x units + offset)."""
    bound: float | None
    wall_s: float
    solution: Solution | None
    breakdown: dict[str, float] = field(default_factory=dict)
    """Objective terms in money."""
    solutions_found: int = 0

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


class _Watcher(cp_model.CpSolverSolutionCallback):
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


def solve(
    problem: Problem,
    options: SolveOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    built: Built | None = None,
) -> Outcome:
    """Build (unless given) and solve the model; ``on_progress`` gets snapshots."""
    options = options or SolveOptions()
    start = time.monotonic()
    b = built or build(problem)
    solver = cp_model.CpSolver()
    configure(solver, options, len(b.x))
    watcher = _Watcher(problem, on_progress, start)
    solver.best_bound_callback = watcher.on_bound
    code = solver.solve(b.model, watcher)
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
    if status in (Status.OPTIMAL, Status.FEASIBLE):
        solution = read_solution(b, solver)
        objective = problem.objective_money(solver.objective_value)
        bound = problem.objective_money(solver.best_objective_bound)
        if status is Status.OPTIMAL:
            bound = objective
        breakdown = {
            name: solver.value(term) * problem.cost_unit for name, term in b.objective_terms.items()
        }
        return Outcome(
            status, objective, bound, wall, solution, breakdown, max(watcher.solutions, 1)
        )
    last_bound = watcher.bound if status is Status.UNKNOWN else None
    return Outcome(status, None, last_bound, wall, None, solutions_found=0)


def read_solution(b: Built, solver: cp_model.CpSolver) -> Solution:
    p = b.problem
    room_open = [bool(solver.value(v)) for v in b.open]
    assignment = []
    for entries in b.by_workload:
        chosen = [r for r, var in entries if solver.value(var)]
        assignment.append(chosen[0])
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
