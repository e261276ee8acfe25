"""Read a plan.json for the reports: load it, check its shape, and derive the figures.

The reports read only plan.json (docs/plan-format.md), never the optimiser's
modules, so that a plan file alone can be re-rendered years later. `check_plan`
checks every key the reports use (core keys must be present, *ext* keys may be
missing but must have the documented type when present), so that the renderers
can trust what they read and a malformed file gives a message naming the field
rather than a traceback.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "planner-plan/1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
ROOM_DECISIONS = ("keep", "close", "open", "unused")
DESK_DECISIONS = ("keep", "close")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")

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
        if isinstance(y.get("year"), str) and not _YEAR.match(y["year"]):
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


# ---------------------------------------------------------------- months


def month_index(month: str) -> int:
    """'2027-10' -> a month count (year * 12 + month - 1)."""
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def month_str(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fy_of(month: str) -> str:
    """UK financial year label of a month: '2028-02' -> '2027/28'."""
    i = month_index(month)
    y, m = divmod(i, 12)
    start = y if m >= 3 else y - 1
    return f"{start}/{(start + 1) % 100:02d}"


# ---------------------------------------------------------------- derived figures


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


@dataclass(frozen=True)
class Counts:
    before: int | None
    after: int | None


class PlanView:
    """Read-only accessors over a checked plan dict, with the figures every report shows."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.solver: dict[str, Any] = plan.get("solver") or {}
        self.costs: dict[str, Any] = plan.get("costs") or {}
        self.finance: dict[str, Any] = plan.get("finance") or {}
        self.staff: dict[str, Any] = plan.get("staff") or {}
        self.options: dict[str, Any] = plan.get("options") or {}
        self.rooms: list[dict[str, Any]] = plan.get("rooms") or []
        self.desks: list[dict[str, Any]] = plan.get("desks") or []
        self.assignments: list[dict[str, Any]] = plan.get("assignments") or []
        self.desk_assignments: list[dict[str, Any]] = plan.get("desk_assignments") or []
        self.waves: list[dict[str, Any]] = plan.get("waves") or []
        self.years: list[dict[str, Any]] = plan.get("years") or []
        self.organisations: list[dict[str, Any]] = plan.get("organisations") or []
        self.explanation: list[str] = plan.get("explanation") or []

    # -- headline
    @property
    def estate(self) -> str:
        return str(self.plan.get("estate", ""))

    @property
    def status(self) -> str:
        return str(self.solver.get("status", "unknown"))

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def objective(self) -> float | None:
        return _num(self.solver.get("objective"))

    @property
    def gap(self) -> float | None:
        return _num(self.solver.get("gap"))

    def status_text(self) -> str:
        """'optimal', 'feasible (gap 1.20%)', 'infeasible', 'unknown'."""
        if self.status == "feasible":
            gap = self.gap
            return "feasible" + (
                f" (gap {gap * 100:.2f}% to the proven bound)"
                if gap is not None
                else " (not proven optimal)"
            )
        if self.status == "optimal":
            return "optimal"
        return self.status

    # -- rooms and desks
    @property
    def rooms_count(self) -> Counts:
        if not self.rooms:
            return Counts(None, None)
        before = sum(1 for r in self.rooms if r["decision"] in ("keep", "close"))
        after = sum(1 for r in self.rooms if r["decision"] in ("keep", "open"))
        return Counts(before, after)

    @property
    def desks_count(self) -> Counts:
        if not self.desks:
            return Counts(None, None)
        return Counts(len(self.desks), sum(1 for d in self.desks if d["decision"] == "keep"))

    @property
    def moves(self) -> list[dict[str, Any]]:
        """The workloads that move, by month (inventory order within a month)."""
        moving = [a for a in self.assignments if a.get("month") is not None]
        return sorted(moving, key=lambda a: month_index(a["month"]))

    # -- money
    @property
    def baseline_steady(self) -> float | None:
        return _num(self.costs.get("baseline_steady"))

    @property
    def planned_steady(self) -> float | None:
        return _num(self.costs.get("planned_steady"))

    @property
    def one_off(self) -> float | None:
        return _num(self.costs.get("one_off"))

    @property
    def steady_saving(self) -> float | None:
        b, p = self.baseline_steady, self.planned_steady
        return None if b is None or p is None else b - p

    @property
    def npv(self) -> float | None:
        if self.finance.get("npv") is not None:
            return float(self.finance["npv"])
        disc = [
            float(y["discounted_savings"])
            for y in self.years
            if y.get("discounted_savings") is not None
        ]
        if self.years and len(disc) == len(self.years):
            return sum(disc)
        return None

    @property
    def total_savings(self) -> float | None:
        if self.finance.get("total_savings") is not None:
            return float(self.finance["total_savings"])
        if self.years:
            return float(sum(y["savings"] for y in self.years))
        return None

    @property
    def payback_month(self) -> str | None:
        v = self.finance.get("payback_month")
        return None if v is None else str(v)

    @property
    def horizon_years(self) -> int | None:
        h = self.finance.get("horizon_years")
        if h is not None:
            return int(h)
        return len(self.years) or None

    @property
    def discount_rate(self) -> float | None:
        return _num(self.finance.get("discount_rate"))

    def cumulative(self) -> list[float]:
        """Cumulative savings at the end of each year (the ext key, else a running sum)."""
        out, run = [], 0.0
        for y in self.years:
            run += float(y["savings"])
            c = y.get("cumulative_savings")
            out.append(float(c) if c is not None else run)
        return out

    # -- months
    @property
    def start_month(self) -> str | None:
        """Month 0 of the plan: from the first financial year and its month count, else the
        earliest dated event."""
        if self.years:
            m = _YEAR.match(str(self.years[0]["year"]))
            months = self.years[0].get("months")
            if m is not None:
                first = int(m.group(1)) * 12 + 3  # April of the first year
                n = int(months) if months is not None else 12
                return month_str(first + 12 - max(1, min(12, n)))
        dated = self.event_months()
        return min(dated, key=month_index) if dated else None

    @property
    def end_month(self) -> str | None:
        """The last month of the horizon (March of the last year), if years are known."""
        if self.years:
            m = _YEAR.match(str(self.years[-1]["year"]))
            if m is not None:
                return month_str(int(m.group(1)) * 12 + 12 + 2)
        return None

    def event_months(self) -> list[str]:
        out = [a["month"] for a in self.assignments if a.get("month")]
        out += [w["month"] for w in self.waves]
        for r in self.rooms:
            out += [r[k] for k in ("close_month", "open_month") if r.get(k)]
        for d in self.desks:
            if d.get("close_month"):
                out.append(d["close_month"])
        return out

    def month_number(self, month: str) -> int | None:
        """1-based month of the plan (month 0 of the docs is 'month 1' for people)."""
        s = self.start_month
        return None if s is None else month_index(month) - month_index(s) + 1

    # -- organisations and staff
    def org_name(self, org_id: str) -> str | None:
        """The organisation's name when the plan gives one (ext), else None."""
        for o in self.organisations:
            if o["id"] == org_id and o.get("name"):
                return str(o["name"])
        return None

    def worse_off(self, org: dict[str, Any]) -> bool:
        if org.get("worse_off") is not None:
            return bool(org["worse_off"])
        if org.get("horizon_savings") is not None:
            return float(org["horizon_savings"]) < 0
        return float(org["savings"]) < 0

    def staff_total(self, before: bool) -> float | None:
        suffix = "before" if before else "after"
        vals = [self.staff.get(f"desk_fte_{suffix}"), self.staff.get(f"ops_fte_{suffix}")]
        if any(v is None for v in vals):
            return None
        return float(sum(vals))  # type: ignore[arg-type]

    def zone_ids(self) -> list[str]:
        """Every zone the plan mentions, in first-seen order (rules' list first)."""
        seen: dict[str, None] = {}
        for z in self.plan.get("zones") or []:
            seen.setdefault(z["id"], None)
        for r in self.rooms:
            for z in (r.get("zones_before") or []) + (r.get("zones_after") or []):
                seen.setdefault(z, None)
        for a in self.assignments:
            if a.get("zone"):
                seen.setdefault(a["zone"], None)
        return list(seen)
