"""plan.json, defined once: its format name, how it is read, checked for shape and written.

The writer (:mod:`planner.plan`), the reports (:mod:`planner.reports`) and the
checker's shape test (:mod:`planner.checker`) all use this module; it imports
nothing else of planner. The checker still recomputes every figure itself.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

FORMAT = "planner-plan/1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
ROOM_DECISIONS = ("keep", "close", "open", "unused")
DESK_DECISIONS = ("keep", "close")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
YEAR_LABEL = re.compile(r"^(\d{4})/(\d{2})$")

Plan = dict[str, Any]


class PlanError(Exception):
    """A plan file that cannot be read or is not a planner plan; ``problems`` lists why."""

    def __init__(self, path: Path | None, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        where = f"{path}: " if path is not None else ""
        super().__init__(where + "; ".join(problems))


def plan_problems(file: Path, problems: list[str]) -> str:
    """One message for people: the file and its problem, or the file and a list of them."""
    if len(problems) == 1:
        return f"{file}: {problems[0]}"
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"{file}: not a usable plan ({len(problems)} problems):\n{lines}"


def plan_json_path(path: Path) -> Path:
    """``path`` itself when it is a file, else ``path/plan.json``."""
    return path / "plan.json" if path.is_dir() else path


def load_plan(path: Path) -> Plan:
    """Load and check a plan (a plan directory or a plan.json); raise PlanError if unusable."""
    file = plan_json_path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        if path.is_dir():
            raise PlanError(file, ["no plan.json in this directory"]) from None
        raise PlanError(file, ["no such file or directory"]) from None
    except UnicodeDecodeError as exc:
        raise PlanError(file, [f"not UTF-8 text (byte offset {exc.start})"]) from None
    except OSError as exc:
        raise PlanError(file, [f"cannot read: {exc.strerror or exc}"]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise PlanError(
            file, [f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
        ) from None
    except ValueError as exc:
        raise PlanError(file, [f"not valid JSON: {exc}"]) from None
    problems = check_plan(data)
    if problems:
        raise PlanError(file, problems)
    return data


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


# ---------------------------------------------------------------- shape checks


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(f"{where}: {message}")

    def obj(self, parent: dict[str, Any], key: str, where: str, *, required: bool) -> Any:
        if key not in parent:
            if required:
                self.add(where + key, "missing (required by planner-plan/1)")
            return None
        return parent[key]

    def is_dict(self, value: Any, where: str) -> bool:
        if not isinstance(value, dict):
            self.add(where, f"must be an object, not {_kind(value)}")
            return False
        return True

    def is_list(self, value: Any, where: str) -> bool:
        if not isinstance(value, list):
            self.add(where, f"must be a list, not {_kind(value)}")
            return False
        return True

    def string(
        self,
        d: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        null: bool = False,
        choices: tuple[str, ...] = (),
        pattern: re.Pattern[str] | None = None,
    ) -> None:
        v = self.obj(d, key, where, required=required)
        if v is None:
            if key in d and not null:
                self.add(where + key, "must not be null")
            return
        if not isinstance(v, str):
            self.add(where + key, f"must be a string, not {_kind(v)}")
        elif choices and v not in choices:
            self.add(where + key, f"'{v}' is not one of {', '.join(choices)}")
        elif pattern is not None and not pattern.match(v):
            self.add(where + key, f"'{v}' is not a month YYYY-MM")

    def number(
        self,
        d: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        null: bool = False,
    ) -> None:
        v = self.obj(d, key, where, required=required)
        if v is None:
            if key in d and not null:
                self.add(where + key, "must not be null")
            return
        if isinstance(v, bool) or not isinstance(v, int | float):
            self.add(where + key, f"must be a number, not {_kind(v)}")
        elif not math.isfinite(v):
            self.add(where + key, "must be a finite number")

    def boolean(self, d: dict[str, Any], key: str, where: str) -> None:
        v = d.get(key)
        if key in d and v is not None and not isinstance(v, bool):
            self.add(where + key, f"must be true or false, not {_kind(v)}")

    def strings(self, d: dict[str, Any], key: str, where: str) -> None:
        v = d.get(key)
        if v is None:
            return
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            self.add(where + key, "must be a list of strings")

    def items(self, plan: dict[str, Any], key: str) -> list[dict[str, Any]]:
        v = self.obj(plan, key, "", required=True)
        if v is None:
            if key in plan:
                self.add(key, "must be a list, not null")
            return []
        if not self.is_list(v, key):
            return []
        out = []
        for i, item in enumerate(v):
            if self.is_dict(item, f"{key}[{i}]"):
                out.append(item)
        return out


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(v), type(v).__name__)


def check_plan(data: Any) -> list[str]:
    """Problems that stop the reports reading ``data`` as a plan (empty list: readable)."""
    c = _Checker()
    if not isinstance(data, dict):
        return [f"the file must hold a JSON object (a plan), not {_kind(data)}"]
    fmt = data.get("format")
    if "format" not in data:
        return ['format: missing: this is not a planner plan (expected "planner-plan/1")']
    if fmt != FORMAT:
        return [f'format: {json.dumps(fmt)} is not supported (this planner reads "{FORMAT}")']
    c.string(data, "estate", "", required=True)
    for key in ("inventory_sha256", "planner_version", "created"):
        c.string(data, key, "", null=True)
    solver = c.obj(data, "solver", "", required=True)
    if solver is not None and c.is_dict(solver, "solver"):
        c.string(solver, "status", "solver.", required=True, choices=STATUSES)
        for key in ("objective", "bound", "gap", "wall_s", "annuity_factor"):
            c.number(solver, key, "solver.", null=True)
    options = data.get("options")
    if options is not None:
        c.is_dict(options, "options")

    for i, r in enumerate(c.items(data, "rooms")):
        w = f"rooms[{i}]."
        c.string(r, "id", w, required=True)
        c.string(r, "decision", w, required=True, choices=ROOM_DECISIONS)
        for key in ("close_month", "open_month"):
            c.string(r, key, w, null=True, pattern=_MONTH)
        for key in ("site", "organisation", "reason", "name"):
            c.string(r, key, w, null=True)
        for key in (
            "annual_cost",
            "racks",
            "power_kw",
            "racks_used_before",
            "racks_used_after",
            "power_used_before",
            "power_used_after",
            "ops_fte",
        ):
            c.number(r, key, w, null=True)
        for key in ("zones_before", "zones_after", "accreditations"):
            c.strings(r, key, w)
    for i, d in enumerate(c.items(data, "desks")):
        w = f"desks[{i}]."
        c.string(d, "id", w, required=True)
        c.string(d, "decision", w, required=True, choices=DESK_DECISIONS)
        c.number(d, "fte", w, null=True)
        c.number(d, "fte_before", w, null=True)
        c.string(d, "close_month", w, null=True, pattern=_MONTH)
        for key in ("site", "reason", "name"):
            c.string(d, key, w, null=True)
        c.strings(d, "organisations", w)
    for i, a in enumerate(c.items(data, "assignments")):
        w = f"assignments[{i}]."
        c.string(a, "workload", w, required=True)
        c.string(a, "from", w, required=True)
        c.string(a, "to", w, required=True)
        c.string(a, "month", w, required=True, null=True, pattern=_MONTH)
        for key in ("organisation", "zone", "reason", "name"):
            c.string(a, key, w, null=True)
        c.number(a, "migration_cost", w, null=True)
        c.number(a, "migration_days", w, null=True)
    for i, a in enumerate(c.items(data, "desk_assignments")):
        w = f"desk_assignments[{i}]."
        c.string(a, "organisation", w, required=True)
        c.string(a, "desk", w, required=True)
        c.string(a, "from", w, null=True)
        c.string(a, "month", w, null=True, pattern=_MONTH)
    for i, wave in enumerate(c.items(data, "waves")):
        w = f"waves[{i}]."
        c.string(wave, "month", w, required=True, pattern=_MONTH)
        c.strings(wave, "workloads", w)
        c.number(wave, "days", w, null=True)
        c.number(wave, "cost", w, null=True)
    for i, y in enumerate(c.items(data, "years")):
        w = f"years[{i}]."
        c.string(y, "year", w, required=True)
        if isinstance(y.get("year"), str) and not YEAR_LABEL.match(y["year"]):
            c.add(w + "year", f"'{y['year']}' is not a financial year like 2027/28")
        for key in ("baseline", "planned", "one_off", "savings"):
            c.number(y, key, w, required=True)
        for key in ("months", "cumulative_savings", "discount_factor", "discounted_savings"):
            c.number(y, key, w, null=True)
    for i, o in enumerate(c.items(data, "organisations")):
        w = f"organisations[{i}]."
        c.string(o, "id", w, required=True)
        for key in ("baseline", "planned", "savings"):
            c.number(o, key, w, required=True)
        for key in ("one_off", "horizon_baseline", "horizon_planned", "horizon_savings"):
            c.number(o, key, w, null=True)
        c.string(o, "name", w, null=True)
        c.boolean(o, "worse_off", w)
    costs = c.obj(data, "costs", "", required=True)
    if costs is not None and c.is_dict(costs, "costs"):
        c.number(costs, "baseline_steady", "costs.", required=True)
        feasible = isinstance(solver, dict) and solver.get("status") in ("optimal", "feasible")
        for key in ("planned_steady", "one_off"):
            c.number(costs, key, "costs.", required=feasible, null=not feasible)
        for key in ("one_off_breakdown", "steady_breakdown"):
            sub = costs.get(key)
            if sub is not None and c.is_dict(sub, f"costs.{key}"):
                for k in sub:
                    c.number(sub, k, f"costs.{key}.", null=True)
    finance = data.get("finance")
    if finance is not None and c.is_dict(finance, "finance"):
        for key in ("npv", "total_savings", "discount_rate", "horizon_years"):
            c.number(finance, key, "finance.", null=True)
        c.string(finance, "payback_month", "finance.", null=True, pattern=_MONTH)
        c.string(finance, "allocation", "finance.", null=True)
    staff = c.obj(data, "staff", "", required=True)
    if staff is not None and c.is_dict(staff, "staff"):
        for key in ("desk_fte_before", "desk_fte_after", "ops_fte_before", "ops_fte_after"):
            c.number(staff, key, "staff.", null=True)
        for sub in ("by_organisation", "by_site"):
            rows = staff.get(sub)
            if rows is None:
                continue
            if not c.is_list(rows, f"staff.{sub}"):
                continue
            for i, row in enumerate(rows):
                w = f"staff.{sub}[{i}]"
                if not c.is_dict(row, w):
                    continue
                for k, v in row.items():
                    if k in ("id", "site", "organisation", "name"):
                        c.string(row, k, w + ".", null=True)
                    elif v is not None:
                        c.number(row, k, w + ".", null=True)
    expl = c.obj(data, "explanation", "", required=True)
    if expl is not None and (
        not isinstance(expl, list) or not all(isinstance(s, str) for s in expl)
    ):
        c.add("explanation", "must be a list of sentences (strings)")
    zones = data.get("zones")
    if zones is not None and c.is_list(zones, "zones"):
        for i, z in enumerate(zones):
            if c.is_dict(z, f"zones[{i}]"):
                c.string(z, "id", f"zones[{i}].", required=True)
                c.string(z, "name", f"zones[{i}].", null=True)
                c.string(z, "isolation", f"zones[{i}].", null=True)
                c.strings(z, "requires", f"zones[{i}].")
                c.strings(z, "networks", f"zones[{i}].")
    separate = data.get("separate")
    if separate is not None and (
        not isinstance(separate, list)
        or not all(isinstance(p, list) and all(isinstance(s, str) for s in p) for p in separate)
    ):
        c.add("separate", "must be a list of pairs of zone ids")
    return c.problems


VOLATILE_KEYS = (("created",), ("solver", "wall_s"), ("solver", "schedule_wall_s"))
"""Keys that differ between two otherwise identical runs (timestamps and timings)."""


def dumps(plan: dict[str, Any]) -> str:
    """plan.json's text: indented, UTF-8, one trailing newline."""
    return json.dumps(plan, indent=2, ensure_ascii=False) + "\n"


def without_volatile(plan: dict[str, Any]) -> dict[str, Any]:
    """A copy without timestamps and timings (for comparing runs)."""
    copy = json.loads(json.dumps(plan))
    for path in VOLATILE_KEYS:
        node = copy
        for key in path[:-1]:
            node = node.get(key, {})
        node.pop(path[-1], None)
    return copy
