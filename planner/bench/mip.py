"""The textbook MIP of a solver problem, for HiGHS (issue 13): same problem, same optimum.

:func:`textbook_mip` writes every constraint family of :mod:`planner.solver.families`
in its plain linear form over the problem's integer units, with no solver-specific
cut; :func:`write_lp` writes it as a CPLEX-LP file that HiGHS reads
(``Highs.readModel``); :func:`evaluate` re-checks a solution row by row with
integers and recomputes its objective exactly. :func:`run_highs` writes the
file and solves it in a separate process (:mod:`planner.bench.highs_run`, which
imports HiGHS and no OR-Tools: the two cannot share a process).

Variables (all 0/1 unless stated; names in the file in brackets):

* ``open[r]`` (``o<r>``), ``x[w, r]`` (``x<w>_<r>``) for every option of w,
* ``z[r, k]`` (``z<r>_<k>``) zone k present in room r, only where two conflicting
  zones could meet (as the ``separation`` family creates them),
* ``bought[u]`` (``b<u>``), ``desk_open[d]`` (``d<d>``), ``serve[o, d]``
  (``s<o>_<d>``) for every desk o may use, ``fte[d]`` (``f<d>``) integer in
  [0, seats[d]].

Rows (y[w, s] = sum of x[w, r] over the rooms r on site s):

* assignment: sum_r x[w, r] = 1; x[w, r] <= open[r]
* capacity: sum_w d[w, k] x[w, r] <= C[r, k] open[r], for each room and resource whose
  admissible demand could exceed it (the others can never bind)
* separation: x[w, r] <= z[r, zone(w)]; z[r, k] <= open[r]; z[r, k1] + z[r, k2] <= 1
* dependency (site rule ``near``): y[a, s] <= sum_{(s, t) allowed} y[b, t] for each site s
  of a, and the same from b's side
* resilience (site rule ``apart``): y[a, s] + sum_{(s, t) forbidden} y[b, t] <= 1
* rooms: open[r] = 1 (keep), open[r] = 0 (close), sum of counted open[r] <= max_rooms
* suites: open[s] <= open[within(s)]
* upgrades: x[w, r] <= bought[u] for each upgrade u the option needs; bought[u] <= open[r(u)]
* migration budget: sum_w e[w] (sum of x[w, r], r not today) <= B, when it can bind
* move pairs: sum over each at-most-one set of x <= 1
* desks: sum_d serve[o, d] = 1; serve[o, d] <= desk_open[d]; desk_open[d] <= sum_o
  serve[o, d]; tpf[d] fte[d] >= sum_o T[o] serve[o, d]; fte[d] <= seats[d] desk_open[d];
  sum of counted desk_open[d] <= max_desks
* objective: sum c[w, r] x[w, r] + sum (F_open - F_closed) open[r] + sum U[u] bought[u]
  + sum (G_open - G_closed) desk_open[d] + g[d] fte[d], plus the constant
  sum F_closed + sum G_closed (units; money is ``problem.objective_money(units)``).

Accreditation, user latency, pinning and forced closure are in the option sets
already (as in the CP-SAT model). Left out: the families ``dominance`` and
``desk-bound`` and the aggregate capacity cut of ``capacity``: they only remove
non-optimal plans or add valid inequalities, so the optimum is the same without them.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.bench.child import run_child
from planner.solver import Problem, relative_gap

INFEASIBLE = "nil"
"""A column fixed to 0 that stands in for an empty sum that must be 1 (a workload or an
organisation without any option): the row nil = 1 makes the MIP infeasible, as
CP-SAT's empty clause does."""


@dataclass
class Row:
    """sum coef * column (sense) rhs; sense is '<=', '>=' or '='."""

    name: str
    terms: list[tuple[int, int]]
    """(column index, integer coefficient)."""
    sense: str
    rhs: int


@dataclass
class Mip:
    """A MIP with integer data: binary columns unless in ``general`` (integer, 0..upper)."""

    names: list[str] = field(default_factory=list)
    upper: list[int] = field(default_factory=list)
    general: set[int] = field(default_factory=set)
    objective: dict[int, int] = field(default_factory=dict)
    constant: int = 0
    rows: list[Row] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def column(self, name: str, upper: int = 1, *, general: bool = False) -> int:
        j = len(self.names)
        self.names.append(name)
        self.upper.append(upper)
        self.index[name] = j
        if general:
            self.general.add(j)
        return j

    def add(self, name: str, terms: Iterable[tuple[int, int]], sense: str, rhs: int) -> None:
        merged: dict[int, int] = {}
        for j, coef in terms:
            merged[j] = merged.get(j, 0) + coef
        kept = [(j, c) for j, c in merged.items() if c]
        if not kept:
            # An empty row: either always true (dropped) or never (kept via `nil`).
            if _holds(0, sense, rhs):
                return
            kept = [(self.infeasible_column(), 1)]
        self.rows.append(Row(name, kept, sense, rhs))

    def infeasible_column(self) -> int:
        if INFEASIBLE not in self.index:
            self.column(INFEASIBLE, upper=0)
        return self.index[INFEASIBLE]

    def cost(self, j: int, coef: int) -> None:
        if coef:
            self.objective[j] = self.objective.get(j, 0) + coef


def _holds(lhs: int, sense: str, rhs: int) -> bool:
    if sense == "<=":
        return lhs <= rhs
    if sense == ">=":
        return lhs >= rhs
    return lhs == rhs


# --------------------------------------------------------------------------- build


@dataclass
class TextbookMip:
    """The MIP of a problem and where each decision sits in it."""

    problem: Problem
    mip: Mip
    open: list[int]
    x: dict[tuple[int, int], int]
    zone: dict[tuple[int, int], int]
    bought: list[int]
    desk_open: list[int]
    serve: dict[tuple[int, int], int]
    fte: list[int]


def textbook_mip(p: Problem) -> TextbookMip:
    """The MIP of ``p`` (see the module docstring); the CP-SAT model's optimum is its optimum."""
    if p.explain:
        raise ValueError("an explanation problem has no objective; build it without explain")
    m = Mip()
    open_ = [m.column(f"o{r}") for r in range(len(p.rooms))]
    x: dict[tuple[int, int], int] = {}
    by_workload: list[list[tuple[int, int]]] = []
    by_room: list[list[tuple[int, int]]] = [[] for _ in p.rooms]
    for w, wl in enumerate(p.workloads):
        entries = []
        for r in dict.fromkeys(r for r, _ in wl.options):
            j = m.column(f"x{w}_{r}")
            x[(w, r)] = j
            entries.append((r, j))
            by_room[r].append((w, j))
        by_workload.append(entries)
    t = TextbookMip(p, m, open_, x, {}, [], [], {}, [])

    # assignment
    for w, entries in enumerate(by_workload):
        m.add(f"assign{w}", ((j, 1) for _, j in entries), "=", 1)
        for r, j in entries:
            m.add(f"link{w}_{r}", ((j, 1), (open_[r], -1)), "<=", 0)

    # capacity
    for r, room in enumerate(p.rooms):
        entries = by_room[r]
        for k, cap in enumerate(room.capacity):
            demand = [(j, p.workloads[w].demand[k]) for w, j in entries]
            if not entries or sum(d for _, d in demand) <= cap:
                continue
            m.add(f"cap{r}_{k}", [*demand, (open_[r], -cap)], "<=", 0)

    # separation
    for r, entries in enumerate(by_room):
        if not p.conflicts:
            break
        zones_here = {p.workloads[w].zone for w, _ in entries}
        pairs = [(a, b) for (a, b) in sorted(p.conflicts) if a in zones_here and b in zones_here]
        if not pairs:
            continue
        involved = sorted({k for pair in pairs for k in pair})
        for k in involved:
            z = t.zone[(r, k)] = m.column(f"z{r}_{k}")
            m.add(f"zopen{r}_{k}", ((z, 1), (open_[r], -1)), "<=", 0)
        for w, j in entries:
            k = p.workloads[w].zone
            if k in involved:
                m.add(f"zx{w}_{r}", ((j, 1), (t.zone[(r, k)], -1)), "<=", 0)
        for a, b in pairs:
            m.add(f"sep{r}_{a}_{b}", ((t.zone[(r, a)], 1), (t.zone[(r, b)], 1)), "<=", 1)

    # dependency (near) and resilience (apart) over site presence
    def presence(w: int) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for r, j in by_workload[w]:
            out.setdefault(p.rooms[r].site, []).append(j)
        return out

    for i, rule in enumerate(p.site_rules):
        ya, yb = presence(rule.a), presence(rule.b)
        if rule.kind == "near":
            for s, xs in ya.items():
                partners = [j for t_, js in yb.items() if (s, t_) in rule.pairs for j in js]
                m.add(f"near{i}_a{s}", [(j, 1) for j in xs] + [(j, -1) for j in partners], "<=", 0)
            for t_, xs in yb.items():
                partners = [j for s, js in ya.items() if (s, t_) in rule.pairs for j in js]
                m.add(f"near{i}_b{t_}", [(j, 1) for j in xs] + [(j, -1) for j in partners], "<=", 0)
        elif rule.kind == "apart":
            for s, xs in ya.items():
                clash = [j for t_, js in yb.items() if (s, t_) in rule.pairs for j in js]
                if clash:
                    m.add(f"apart{i}_{s}", [(j, 1) for j in xs + clash], "<=", 1)
        else:
            raise ValueError(f"site rule {i}: unknown kind {rule.kind!r}")

    # rooms
    for r, room in enumerate(p.rooms):
        if room.must_open:
            m.add(f"keep{r}", [(open_[r], 1)], "=", 1)
        if room.must_close:
            m.add(f"close{r}", [(open_[r], 1)], "=", 0)
    if p.max_rooms is not None:
        counted = [(open_[r], 1) for r, room in enumerate(p.rooms) if room.counts_to_limit]
        m.add("maxrooms", counted, "<=", p.max_rooms)

    # suites
    for r, room in enumerate(p.rooms):
        if room.within is not None:
            m.add(f"suite{r}", ((open_[r], 1), (open_[room.within], -1)), "<=", 0)

    # upgrades
    t.bought = [m.column(f"b{i}") for i in range(len(p.upgrades))]
    for i, u in enumerate(p.upgrades):
        m.add(f"bopen{i}", ((t.bought[i], 1), (open_[u.room], -1)), "<=", 0)
    for w, wl in enumerate(p.workloads):
        for r, needed in wl.needs:
            col = x.get((w, r))
            if col is None:
                continue
            for i in needed:
                m.add(f"need{w}_{r}_{i}", ((col, 1), (t.bought[i], -1)), "<=", 0)

    # migration budget
    if p.move_budget is not None:
        terms = [
            (j, wl.move_days)
            for w, wl in enumerate(p.workloads)
            if wl.move_days > 0
            for r, j in by_workload[w]
            if r != wl.today
        ]
        if terms and sum(wl.move_days for wl in p.workloads) > p.move_budget:
            m.add("budget", terms, "<=", p.move_budget)

    # move pairs
    for i, amo in enumerate(p.at_most_one):
        lits = [x[key] for key in amo.pairs if key in x]
        if len(lits) > 1:
            m.add(f"pair{i}", [(j, 1) for j in lits], "<=", 1)

    # desks
    if p.desks:
        t.desk_open = [m.column(f"d{d}") for d in range(len(p.desks))]
        t.fte = [
            m.column(f"f{d}", upper=max(0, desk.seats), general=True)
            for d, desk in enumerate(p.desks)
        ]
        served: list[list[tuple[int, int]]] = [[] for _ in p.desks]
        for o, org in enumerate(p.organisations):
            choices: list[tuple[int, int]] = []
            for d in dict.fromkeys(org.options):
                j = t.serve[(o, d)] = m.column(f"s{o}_{d}")
                m.add(f"sopen{o}_{d}", ((j, 1), (t.desk_open[d], -1)), "<=", 0)
                served[d].append((j, org.tickets))
                choices.append((j, 1))
            m.add(f"serve{o}", choices, "=", 1)
        for d, desk in enumerate(p.desks):
            load = [(j, -tickets) for j, tickets in served[d]]
            m.add(f"staff{d}", [(t.fte[d], desk.tickets_per_fte), *load], ">=", 0)
            m.add(f"seats{d}", ((t.fte[d], 1), (t.desk_open[d], -desk.seats)), "<=", 0)
            m.add(f"used{d}", [(t.desk_open[d], 1)] + [(j, -1) for j, _ in served[d]], "<=", 0)
        if p.max_desks is not None:
            counted = [
                (j, 1) for j, desk in zip(t.desk_open, p.desks, strict=True) if desk.counts_to_limit
            ]
            m.add("maxdesks", counted, "<=", p.max_desks)

    # objective (family `objective`)
    for w, wl in enumerate(p.workloads):
        for r, c in dict(wl.options).items():  # as CP-SAT's: the last cost of a room counts
            m.cost(x[(w, r)], c)
    for r, room in enumerate(p.rooms):
        m.cost(open_[r], room.cost_open - room.cost_closed)
        m.constant += room.cost_closed
    for i, u in enumerate(p.upgrades):
        m.cost(t.bought[i], u.cost)
    for d, desk in enumerate(p.desks):
        m.cost(t.desk_open[d], desk.cost_open - desk.cost_closed)
        m.cost(t.fte[d], desk.cost_per_fte)
        m.constant += desk.cost_closed
    return t


# --------------------------------------------------------------------------- write


def write_lp(mip: Mip, path: Path) -> None:
    """Write ``mip`` as a CPLEX-LP file (minimise; the constant as the objective's offset)."""
    with path.open("w", encoding="ascii") as fh:
        fh.write("\\ textbook MIP written by planner.bench.mip\nMinimize\n obj:")
        terms = sorted(mip.objective.items())
        if not terms and mip.names:
            terms = [(0, 0)]
        _write_terms(fh, terms, mip.names)
        if mip.constant:
            fh.write(f" {'+' if mip.constant > 0 else '-'} {abs(mip.constant)}")
        fh.write("\nSubject To\n")
        for row in mip.rows:
            fh.write(f" {row.name}:")
            _write_terms(fh, row.terms, mip.names)
            fh.write(f" {row.sense} {row.rhs}\n")
        fh.write("Bounds\n")
        for j in sorted(mip.general):
            fh.write(f" 0 <= {mip.names[j]} <= {mip.upper[j]}\n")
        for j, name in enumerate(mip.names):
            if j not in mip.general and mip.upper[j] == 0:
                fh.write(f" {name} = 0\n")
        if mip.general:
            fh.write("General\n")
            _write_names(fh, [mip.names[j] for j in sorted(mip.general)])
        binary = [n for j, n in enumerate(mip.names) if j not in mip.general and mip.upper[j] > 0]
        if binary:
            fh.write("Binary\n")
            _write_names(fh, binary)
        fh.write("End\n")


def _write_terms(fh: Any, terms: Sequence[tuple[int, int]], names: list[str]) -> None:
    for n, (j, coef) in enumerate(terms):
        if n and n % 8 == 0:
            fh.write("\n   ")
        fh.write(f" {'-' if coef < 0 else '+'} {abs(coef)} {names[j]}")


def _write_names(fh: Any, names: list[str]) -> None:
    for start in range(0, len(names), 16):
        fh.write(" " + " ".join(names[start : start + 16]) + "\n")


# --------------------------------------------------------------------------- check


@dataclass
class Checked:
    """A solution rounded to integers and re-checked against every row."""

    units: int
    """Objective (units), recomputed exactly from the rounded values."""
    violated: list[str]
    """Names of the rows the rounded solution breaks (none for a legal plan)."""
    assignment: list[int]
    """Room of each workload (-1 if none)."""


def evaluate(t: TextbookMip, values: dict[str, float]) -> Checked:
    """Round ``values`` (column name -> value; absent = 0) and check every row exactly."""
    m = t.mip
    v = [0] * len(m.names)
    for name, value in values.items():
        j = m.index.get(name)
        if j is not None:
            v[j] = round(value)
    violated = [
        row.name
        for row in m.rows
        if not _holds(sum(c * v[j] for j, c in row.terms), row.sense, row.rhs)
    ]
    violated += [m.names[j] for j in range(len(v)) if not 0 <= v[j] <= m.upper[j]]
    units = m.constant + sum(c * v[j] for j, c in m.objective.items())
    assignment = [-1] * len(t.problem.workloads)
    for (w, r), j in t.x.items():
        if v[j]:
            assignment[w] = r
    return Checked(units, violated, assignment)


def plan_values(
    t: TextbookMip,
    assignment: Sequence[int],
    room_open: Sequence[bool],
    desk_of: Sequence[int] = (),
    fte: Sequence[int] = (),
) -> dict[str, float]:
    """The MIP's values for a plan (a room per workload, open rooms, a desk per
    organisation and staff per desk); zone presence, upgrades bought and desks open
    follow from it."""
    p, m = t.problem, t.mip
    out: dict[str, float] = {}
    for r, is_open in enumerate(room_open):
        if is_open:
            out[m.names[t.open[r]]] = 1
    for w, r in enumerate(assignment):
        j = t.x.get((w, r))
        if j is not None:
            out[m.names[j]] = 1
        z = t.zone.get((r, p.workloads[w].zone))
        if z is not None:
            out[m.names[z]] = 1
    for i in p.upgrades_needed(list(assignment)):
        out[m.names[t.bought[i]]] = 1
    for o, d in enumerate(desk_of):
        j = t.serve.get((o, d))
        if j is not None:
            out[m.names[j]] = 1
            out[m.names[t.desk_open[d]]] = 1
    for d, staff in enumerate(fte):
        if d < len(t.fte) and staff:
            out[m.names[t.fte[d]]] = staff
    return out


# --------------------------------------------------------------------------- run


@dataclass
class HighsResult:
    """What a HiGHS run of a problem gave (money, like :class:`planner.solver.Outcome`)."""

    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    units: int | None
    """Objective (units), recomputed from the rounded solution."""
    bound_units: float | None
    wall_s: float
    """Writing the file, starting HiGHS, reading and solving: everything after the problem."""
    write_s: float
    solve_s: float | None
    """HiGHS' own run time (after reading the file)."""
    peak_mb: float | None
    """Peak resident memory of the HiGHS process."""
    rows: int
    columns: int
    nodes: int | None = None
    checked: Checked | None = None
    problems: list[str] = field(default_factory=list)
    note: str = ""


GRACE_S = 60.0
"""A HiGHS process still running this long after its time limit is killed."""


def run_highs(
    problem: Problem, time_limit_s: float, threads: int = 1, workdir: Path | None = None
) -> HighsResult:
    """Write the textbook MIP of ``problem`` and solve it with HiGHS in its own process
    (:mod:`planner.bench.highs_run`); ``time_limit_s`` counts from here (writing the file
    is HiGHS' build time)."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="planner-highs-", dir=workdir) as tmp:
        t = textbook_mip(problem)
        lp = Path(tmp) / "model.lp"
        write_lp(t.mip, lp)
        sol = Path(tmp) / "solution.json"
        write_s = time.monotonic() - start
        left = max(0.1, time_limit_s - write_s)
        cmd = [
            sys.executable,
            *("-m", "planner.bench.highs_run", str(lp)),
            *("--time-limit", f"{left:.3f}", "--threads", str(max(1, threads))),
            *("--solution", str(sol)),
        ]
        child = run_child(cmd, left + GRACE_S)
        wall = time.monotonic() - start
        found = child.last_json()
        # The process's own figure: the kernel's for the reaped child also counts this
        # process's peak, carried over at exec (planner.bench.highs_run.peak_mb).
        peak = (found or {}).get("peak_mb", child.peak_mb)
        base = dict(
            wall_s=wall,
            write_s=write_s,
            peak_mb=peak,
            rows=len(t.mip.rows),
            columns=len(t.mip.names),
        )
        if found is None:
            return HighsResult(
                status="error",
                objective=None,
                bound=None,
                gap=None,
                units=None,
                bound_units=None,
                solve_s=None,
                note=f"HiGHS process exited with {child.code}: {child.last_error_line()}",
                **base,  # type: ignore[arg-type]
            )
        values = json.loads(sol.read_text()) if sol.is_file() else {}
    checked = evaluate(t, values) if values else None
    problems: list[str] = []
    units: int | None = None
    if checked is not None:
        units = checked.units
        if checked.violated:
            problems.append(
                f"HiGHS' plan breaks {len(checked.violated)} row(s) once rounded, "
                f"first {checked.violated[0]}"
            )
        reported = found.get("objective")
        if reported is not None and abs(reported - units) > 1e-6 * max(1.0, abs(units)) + 1:
            problems.append(f"HiGHS reports {reported} units but its plan costs {units}")
    bound_units = found.get("bound")
    objective = problem.objective_money(units) if units is not None else None
    bound = problem.objective_money(bound_units) if bound_units is not None else None
    status = str(found.get("status", "error"))
    if status == "optimal" and objective is not None:
        bound = objective if bound is None or bound > objective else bound
    return HighsResult(
        status=status,
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        units=units,
        bound_units=bound_units,
        solve_s=found.get("run_s"),
        nodes=found.get("nodes"),
        checked=checked,
        problems=problems,
        note=str(found.get("note", "")),
        **base,  # type: ignore[arg-type]
    )
