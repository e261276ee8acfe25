"""Single-source capacitated facility location (SSCFLP) files as solver problems.

File format (Holmberg et al. 1999; Beasley's OR-Library ``cap*`` files as
published in the OR-Datasets collection), whitespace-separated numbers::

    J I                 facilities, customers
    s_1 f_1             J lines: capacity, fixed cost
    ...
    d_1 ... d_I         demands
    c_11 ... c_1I       J rows of I assignment costs (row = facility)

Exactly 2 + 2J + I + J*I numbers are read. NUL bytes anywhere count as
whitespace (37 Holmberg files end in them) and anything after the last number
is ignored (p47 has extra tokens); a file that ends early or holds a
non-number where a number is due raises :class:`BenchFormatError` naming the
file, the token position and its line.

The problem is the same :class:`~planner.solver.problem.Problem` an estate
becomes (one solver, two producers): facility j is room ``f<j>`` on its own
site with one resource (``demand``) of capacity s_j, ``cost_open`` f_j and
``cost_closed`` 0; customer i is workload ``c<i>`` with demand d_i and every
facility as an option at cost c_ji. Numbers are parsed as decimals, so the
scales are exact: costs are multiplied by the smallest power of ten that makes
every fixed and assignment cost whole (``cost_unit`` = 1/scale, so objectives
come back in the file's units), demands and capacities likewise (demands
rounded up and capacities down past 10^6, which never happens in the public
sets).

Search hint: a plan from a short local search
(:func:`planner.bench.heuristic.hinted_problem`) is passed as "today's estate"
(``existing`` rooms open, ``today`` rooms), the hint the model already gives an
estate. It is only a starting point; the
objective and the bound never depend on it.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from planner.solver import Problem, Room, Workload

NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
TOKEN = re.compile(rb"[^\s\x00]+")
MAX_COST_DIGITS = 9
"""At most 10^9 as cost scale (the public files need 10^5 at most)."""
MAX_RESOURCE_DIGITS = 6
INT_LIMIT = 2**62


class BenchFormatError(ValueError):
    """A benchmark file that cannot be read; the message names file, token and line."""


@dataclass(frozen=True)
class Instance:
    """An SSCFLP instance, every number scaled to an integer."""

    name: str
    path: Path
    capacity: tuple[int, ...]
    """s_j x resource_scale."""
    fixed: tuple[int, ...]
    """f_j x cost_scale."""
    demand: tuple[int, ...]
    """d_i x resource_scale."""
    cost: tuple[tuple[int, ...], ...]
    """cost[j][i] = c_ji x cost_scale (row = facility, as in the file)."""
    cost_scale: int
    resource_scale: int
    trailing_tokens: int = 0
    """Tokens after the data (ignored)."""
    nul_bytes: int = 0
    """NUL bytes in the file (read as whitespace)."""
    exact: bool = True
    """False if a demand or capacity needed rounding (more than 6 decimals)."""

    @property
    def facilities(self) -> int:
        return len(self.capacity)

    @property
    def customers(self) -> int:
        return len(self.demand)

    @property
    def size(self) -> str:
        return f"{self.facilities}x{self.customers}"


@dataclass
class _Tokens:
    path: Path
    data: bytes
    matches: list[re.Match[bytes]] = field(default_factory=list)

    def where(self, k: int) -> str:
        """'token k+1 (line L)' for the k-th token (0-based), or the end of the file."""
        if k < len(self.matches):
            line = self.data.count(b"\n", 0, self.matches[k].start()) + 1
            return f"token {k + 1} (line {line})"
        line = self.data.count(b"\n") + 1
        return f"token {k + 1} (end of file, line {line})"

    def number(self, k: int, what: str) -> Decimal:
        if k >= len(self.matches):
            raise BenchFormatError(
                f"{self.path}: truncated: {what} expected at {self.where(k)}, "
                f"but the file holds only {len(self.matches)} tokens"
            )
        text = self.matches[k].group()
        if not NUMBER.fullmatch(text):
            shown = text[:20].decode("ascii", "replace")
            raise BenchFormatError(
                f"{self.path}: {what} at {self.where(k)} is not a number: {shown!r}"
            )
        return Decimal(text.decode("ascii"))


def _decimals(value: Decimal) -> int:
    """Digits after the point needed to write ``value`` exactly."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def _scale(values: list[Decimal], max_digits: int) -> tuple[int, bool]:
    digits = max((_decimals(v) for v in values), default=0)
    return 10 ** min(digits, max_digits), digits <= max_digits


def read_instance(path: Path | str) -> Instance:
    """Read an SSCFLP file (see the module docstring); raise BenchFormatError if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BenchFormatError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    toks = _Tokens(path, data, list(TOKEN.finditer(data)))
    header = []
    for k, what in enumerate(("the number of facilities J", "the number of customers I")):
        v = toks.number(k, what)
        if v != v.to_integral_value() or v < 1:
            raise BenchFormatError(
                f"{path}: {what} at {toks.where(k)} must be a positive whole number, not {v}"
            )
        header.append(int(v))
    n_fac, n_cus = header
    need = 2 + 2 * n_fac + n_cus + n_fac * n_cus
    if len(toks.matches) < need:
        raise BenchFormatError(
            f"{path}: truncated: J={n_fac}, I={n_cus} need {need} numbers "
            f"(2 + 2J + I + J*I) but the file holds {len(toks.matches)} tokens; "
            f"{toks.where(len(toks.matches))} is missing"
        )
    k = 2
    caps: list[Decimal] = []
    fixed: list[Decimal] = []
    for j in range(n_fac):
        caps.append(toks.number(k, f"capacity s_{j + 1}"))
        fixed.append(toks.number(k + 1, f"fixed cost f_{j + 1}"))
        k += 2
    demand = [toks.number(k + i, f"demand d_{i + 1}") for i in range(n_cus)]
    k += n_cus
    cost: list[list[Decimal]] = []
    for j in range(n_fac):
        cost.append([toks.number(k + i, f"cost c_{j + 1},{i + 1}") for i in range(n_cus)])
        k += n_cus
    for name, values, first in (("capacity", caps, 2), ("demand", demand, 2 + 2 * n_fac)):
        for n, v in enumerate(values):
            if v < 0:
                pos = first + (2 * n if name == "capacity" else n)
                raise BenchFormatError(f"{path}: negative {name} at {toks.where(pos)}: {v}")

    cost_values = fixed + [c for row in cost for c in row]
    cost_scale, cost_exact = _scale(cost_values, MAX_COST_DIGITS)
    if not cost_exact:
        raise BenchFormatError(
            f"{path}: costs need more than {MAX_COST_DIGITS} decimals to be whole; not supported"
        )
    res_scale, res_exact = _scale(caps + demand, MAX_RESOURCE_DIGITS)
    scaled_fixed = tuple(int(f * cost_scale) for f in fixed)
    scaled_cost = tuple(tuple(int(c * cost_scale) for c in row) for row in cost)
    worst = sum(abs(f) for f in scaled_fixed) + sum(abs(c) for row in scaled_cost for c in row)
    if worst >= INT_LIMIT:
        raise BenchFormatError(f"{path}: costs too large for 64-bit integers at scale {cost_scale}")
    return Instance(
        name=path.name,
        path=path,
        capacity=tuple(math.floor(c * res_scale) for c in caps),
        fixed=scaled_fixed,
        demand=tuple(math.ceil(d * res_scale) for d in demand),
        cost=scaled_cost,
        cost_scale=cost_scale,
        resource_scale=res_scale,
        trailing_tokens=len(toks.matches) - need,
        nul_bytes=data.count(b"\x00"),
        exact=res_exact,
    )


def to_problem(
    inst: Instance,
    *,
    opened: Sequence[bool] | None = None,
    today: Sequence[int | None] | None = None,
) -> Problem:
    """The solver's problem for ``inst`` (see the module docstring).

    ``opened`` and ``today``: the search hint, as "today's estate" (which facilities
    are open, each customer's facility); none by default (every facility closed, no
    assignment). :func:`planner.bench.heuristic.hinted_problem` fills them in from a
    local search.
    """
    opened = list(opened) if opened is not None else [False] * inst.facilities
    today = list(today) if today is not None else [None] * inst.customers
    rooms = tuple(
        Room(
            id=f"f{j + 1}",
            site=j,
            capacity=(inst.capacity[j],),
            cost_open=inst.fixed[j],
            cost_closed=0,
            existing=opened[j],
        )
        for j in range(inst.facilities)
    )
    workloads = tuple(
        Workload(
            id=f"c{i + 1}",
            demand=(inst.demand[i],),
            options=tuple((j, inst.cost[j][i]) for j in range(inst.facilities)),
            today=today[i],
        )
        for i in range(inst.customers)
    )
    return Problem(
        name=inst.name,
        resources=("demand",),
        resource_scale=(inst.resource_scale,),
        sites=tuple(room.id for room in rooms),
        rooms=rooms,
        workloads=workloads,
        cost_unit=1 / inst.cost_scale,
    )


def plan_cost(inst: Instance, assign: list[int]) -> Decimal:
    """The cost of an assignment in the file's units, exactly (for checking results)."""
    used = set(assign)
    units = sum(inst.fixed[j] for j in used) + sum(inst.cost[j][i] for i, j in enumerate(assign))
    return Decimal(units) / inst.cost_scale


def references_for(path: Path) -> dict[str, Decimal]:
    """Published optima from ``reference_values.csv`` beside ``path`` ({} if absent).

    Columns: instance, optimum[, source]. Optional input: the planner never needs it.
    """
    csv_path = path.parent / "reference_values.csv"
    return read_references(csv_path) if csv_path.is_file() else {}


def read_references(csv_path: Path) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name, value = (row.get("instance") or "").strip(), (row.get("optimum") or "").strip()
            if name and value and NUMBER.fullmatch(value.encode()):
                out[name] = Decimal(value)
    return out
