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
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.solver import lns
from planner.solver.families.desk_bound import staffing
from planner.solver.model import build, replace_hint
from planner.solver.problem import Problem
from planner.solver.room_bound import transport_bound
from planner.solver.vars import Built


class Status(enum.StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


NEIGHBOURHOOD_ABOVE = 100_000
"""Estates with more assignment variables than this are solved by layers with the
block search (generated estates of about 100 councils and more). Measured at 50
councils (44,227 options, 60 s; docs/benchmarks.md): the whole model 144.50M with a
3.4% gap, the layers 143.45M-144.88M with 4.1-7.3% (the room model gets half the
time), so the threshold sits above it; at 150 councils the layers win clearly."""


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
    neighbourhood_above: int | None = None
    """With more assignment variables than this (and no room limit), the room layer is
    first improved block by block (:mod:`planner.solver.lns`) for
    ``neighbourhood_share`` of the time, and the whole model starts from the result;
    None: never. Estates use :data:`NEIGHBOURHOOD_ABOVE`."""
    neighbourhood_share: float = 0.5
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


def solve(
    problem: Problem,
    options: SolveOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    built: Built | None = None,
    neighbourhood: bool = True,
) -> Outcome:
    """Solve the problem; ``on_progress`` gets snapshots.

    A problem with more options than ``options.neighbourhood_above`` is solved in
    two layers, desks then rooms (:func:`solve_layers`), the rooms starting with the
    block search; ``neighbourhood=False`` or a given ``built`` model (which may hold
    cuts the layers do not know, such as :mod:`planner.optimise`'s no-good cuts)
    solves the whole model as one."""
    options = options or SolveOptions()
    if neighbourhood and built is None and _big(problem, options):
        if problem.desks and problem.workloads:
            return solve_layers(problem, options, on_progress)
        return _solve_rooms_from_blocks(problem, options, on_progress)
    return _solve_model(problem, options, on_progress, built)


def _big(problem: Problem, options: SolveOptions) -> bool:
    above = options.neighbourhood_above
    return above is not None and sum(len(wl.options) for wl in problem.workloads) > above


def solve_layers(
    problem: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None = None,
) -> Outcome:
    """Solve the desk layer and the room layer apart, then add them up.

    No constraint links a desk variable to a room variable (families ``desks`` and
    ``objective``), so with z = z_desks + z_rooms (+ the offset) the optimum is the
    sum of the layers' optima and the sum of their proven bounds is a proven bound.
    Each CP-SAT run then spends its time on one layer instead of interleaving both
    (docs/benchmarks.md). The desks get a share of the time in proportion to their
    variables (between 20% and 50%); the rooms get what is left."""
    start = time.monotonic()
    offset = problem.cost_offset
    desks = replace(
        problem,
        name=problem.name + " (desks)",
        rooms=(),
        workloads=(),
        site_rules=(),
        at_most_one=(),
        max_rooms=None,
        move_budget=None,
        cost_offset=0.0,
    )
    rooms = replace(
        problem,
        name=problem.name + " (rooms)",
        desks=(),
        organisations=(),
        max_desks=None,
        cost_offset=0.0,
    )
    desk_vars = sum(len(o.options) for o in problem.organisations)
    room_vars = sum(len(wl.options) for wl in problem.workloads)
    share = min(0.5, max(0.2, desk_vars / max(1, desk_vars + room_vars)))
    total = options.time_limit_s

    def report(desk_out: Outcome | None) -> Callable[[Progress], None] | None:
        if on_progress is None:
            return None
        progress = on_progress

        def send(p: Progress) -> None:
            elapsed = time.monotonic() - start
            if desk_out is None:
                progress(Progress(None, None, elapsed, p.solutions))
                return
            objective = bound = None
            if p.objective is not None and desk_out.objective is not None:
                objective = p.objective + desk_out.objective + offset
            if p.bound is not None and desk_out.bound is not None:
                bound = p.bound + desk_out.bound + offset
            progress(Progress(objective, bound, elapsed, p.solutions))

        return send

    desk_model = build(desks)
    desk_plan = check_hint(desk_model)
    flow = staffing(desks)
    if flow is not None and flow[1] is not None:
        replace_hint(desk_model, _desk_solution(desks, flow[1]))
        rounded = check_hint(desk_model)
        if rounded is not None and (
            desk_plan is None or (rounded.objective or 0) < (desk_plan.objective or 0)
        ):
            desk_plan = rounded
    d = _solve_model(
        desks,
        replace(options, time_limit_s=total * share),
        report(None),
        desk_model,
        fallback=desk_plan,
    )
    if flow is not None and (d.bound is None or d.bound < desks.objective_money(flow[0])):
        d = replace(d, bound=desks.objective_money(flow[0]))  # the cut CP-SAT had no time for
    used = total * share if options.workers <= 1 else time.monotonic() - start
    if d.status is Status.INFEASIBLE:
        return Outcome(Status.INFEASIBLE, None, None, time.monotonic() - start, None)
    r = solve(rooms, replace(options, time_limit_s=max(1.0, total - used)), report(d))
    wall = time.monotonic() - start
    if r.status is Status.INFEASIBLE:
        return Outcome(Status.INFEASIBLE, None, None, wall, None)
    bound = None if d.bound is None or r.bound is None else d.bound + r.bound + offset
    if d.solution is None or r.solution is None or d.objective is None or r.objective is None:
        return Outcome(Status.UNKNOWN, None, bound, wall, None)
    both = d.status is Status.OPTIMAL and r.status is Status.OPTIMAL
    solution = Solution(
        room_open=r.solution.room_open,
        assignment=r.solution.assignment,
        desk_open=d.solution.desk_open,
        desk_of=d.solution.desk_of,
        fte=d.solution.fte,
    )
    return Outcome(
        Status.OPTIMAL if both else Status.FEASIBLE,
        d.objective + r.objective + offset,
        bound,
        wall,
        solution,
        {**r.breakdown, **{k: v for k, v in d.breakdown.items() if k == "desks"}},
        d.solutions_found + r.solutions_found,
    )


def _desk_solution(p: Problem, desk_of: list[int]) -> Solution:
    """Organisations at these desks, each desk with the staff its tickets need (at most
    its seats) and open when it serves someone or must open."""
    load = [0] * len(p.desks)
    for o, d in enumerate(desk_of):
        load[d] += p.organisations[o].tickets
    fte = [
        min(desk.seats, -(-load[d] // desk.tickets_per_fte)) if desk.tickets_per_fte else 0
        for d, desk in enumerate(p.desks)
    ]
    served = set(desk_of)
    desk_open = [d in served or desk.must_open for d, desk in enumerate(p.desks)]
    return Solution([], [], desk_open, list(desk_of), fte)


def _solve_rooms_from_blocks(
    problem: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
) -> Outcome:
    """Rooms only: today's estate checked, the block search
    (:mod:`planner.solver.lns`) for ``neighbourhood_share`` of the time, then the whole
    model from its result, which gives the proven bound and may improve on it. The
    best of the three plans is returned."""
    start = time.monotonic()
    watcher = _Watcher(problem, on_progress, start)
    b = build(problem)
    today = check_hint(b)
    if today is not None and today.objective is not None:
        watcher.on_solution_value(today.objective)

    def on_incumbent(units: int) -> None:
        watcher.on_solution_value(problem.objective_money(units))

    budget = options.time_limit_s * options.neighbourhood_share
    found = lns.improve(
        problem, budget, options.workers, options.seed, on_incumbent, legal=today is not None
    )
    spent = found.spent if options.workers <= 1 else time.monotonic() - start
    left = replace(options, time_limit_s=max(1.0, options.time_limit_s - spent))
    best = today
    if found.incumbent is not None:
        first = Solution(list(found.incumbent.room_open), list(found.incumbent.assignment))
        replace_hint(b, first)
        terms = lns.cost_terms(problem, found.incumbent)
        best = Outcome(
            Status.FEASIBLE,
            problem.objective_money(found.units),
            None,
            0.0,
            first,
            {name: units * problem.cost_unit for name, units in terms.items()},
        )
    out = _solve_model(problem, left, on_progress, b, watcher, fallback=best)
    bound = transport_bound(problem)
    if bound is not None and out.status is Status.FEASIBLE:
        money = problem.objective_money(bound)
        if out.bound is None or out.bound < money:
            out = replace(out, bound=money)  # CP-SAT proved less in the time
    return replace(out, wall_s=time.monotonic() - start)


def check_hint(b: Built) -> Outcome | None:
    """The model's hint (today's estate unless replaced) as a plan, when it satisfies
    every rule of the model: CP-SAT with every variable fixed to its hint, which takes
    seconds where a search of the same model takes minutes to find its first plan;
    None if it breaks a rule."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 60.0
    code = solver.solve(b.model)
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


def _solve_model(
    problem: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    built: Built | None = None,
    watcher: _Watcher | None = None,
    fallback: Outcome | None = None,
) -> Outcome:
    """Build (unless given) and solve the whole model with CP-SAT; ``fallback`` (a plan
    found otherwise) is returned, with CP-SAT's bound, when the search finds nothing as
    good."""
    start = time.monotonic()
    b = built or build(problem)
    solver = cp_model.CpSolver()
    configure(solver, options, len(b.x))
    watcher = watcher or _Watcher(problem, on_progress, start)
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
