"""The shape of plan.json, read as plain JSON (no model class of the optimiser).

``docs/plan-format.md`` marks keys *core* (``spec/plan-format.md``: must be
present) or *ext* (``planner``'s own). A value of the wrong type, or a missing
core key, makes the document unreadable as a ``planner-plan/1`` plan: that is
:class:`PlanFormatError` (exit 2). A missing ext key is only reported (as a
``format`` violation) when the plan is expected to be one of ``planner``'s own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from planner.checker.months import parse_month

FORMAT = "planner-plan/1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
FEASIBLE = ("optimal", "feasible")

CORE, EXT, OPT = "core", "ext", "opt"
"""Presence of a key: core (required), ext (planner's extension), opt (either way)."""


class Kind:
    """A JSON value type, with the words used when a value is not one."""

    name = "a value"

    def accepts(self, value: Any) -> bool:
        return True


class _Str(Kind):
    name = "a string"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)


class _Num(Kind):
    name = "a number"

    def accepts(self, value: Any) -> bool:
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        )


class _Int(Kind):
    name = "a whole number"

    def accepts(self, value: Any) -> bool:
        return _Num().accepts(value) and float(value).is_integer()


class _Bool(Kind):
    name = "true or false"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)


class _Month(Kind):
    name = "a month 'YYYY-MM'"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and parse_month(value) is not None


STR, NUM, INT, BOOL, MONTH = _Str(), _Num(), _Int(), _Bool(), _Month()


@dataclass(frozen=True)
class Nullable(Kind):
    of: Kind

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{self.of.name} or null"

    def accepts(self, value: Any) -> bool:
        return value is None or self.of.accepts(value)


@dataclass(frozen=True)
class ListOf(Kind):
    of: Kind
    name = "a list"


@dataclass(frozen=True)
class Obj(Kind):
    fields: dict[str, tuple[str, Kind]]
    name = "an object"


def _validate(value: Any, kind: Kind, path: str, errors: list[str], missing_ext: list[str]) -> None:
    if isinstance(kind, Obj):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected an object, found {_what(value)}")
            return
        for key, (presence, sub) in kind.fields.items():
            where = f"{path}.{key}" if path else key
            if key not in value:
                if presence == CORE:
                    errors.append(f"{where}: missing (a core key of {FORMAT})")
                elif presence == EXT:
                    missing_ext.append(where)
                continue
            _validate(value[key], sub, where, errors, missing_ext)
    elif isinstance(kind, ListOf):
        if not isinstance(value, list):
            errors.append(f"{path}: expected a list, found {_what(value)}")
            return
        for i, item in enumerate(value):
            _validate(item, kind.of, f"{path}[{i}]", errors, missing_ext)
    elif not kind.accepts(value):
        errors.append(f"{path}: expected {kind.name}, found {_what(value)}")


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _obj(**fields: tuple[str, Kind]) -> Obj:
    return Obj(dict(fields))


def _renamed(obj: Obj, **renames: str) -> Obj:
    """Python keywords cannot be field names in ``_obj``: ``from_`` -> ``from``."""
    return Obj({renames.get(k, k): v for k, v in obj.fields.items()})


MONEY = (CORE, NUM)
XMONEY = (EXT, NUM)

ROOM = _obj(
    id=(CORE, STR),
    decision=(CORE, STR),
    close_month=(CORE, Nullable(MONTH)),
    open_month=(EXT, Nullable(MONTH)),
    site=(EXT, STR),
    organisation=(EXT, STR),
    annual_cost=XMONEY,
    racks=(EXT, NUM),
    power_kw=(EXT, NUM),
    racks_used_before=(EXT, NUM),
    racks_used_after=(EXT, NUM),
    power_used_before=(EXT, NUM),
    power_used_after=(EXT, NUM),
    zones_before=(EXT, ListOf(STR)),
    zones_after=(EXT, ListOf(STR)),
    accreditations=(EXT, ListOf(STR)),
    reason=(EXT, STR),
)
DESK = _obj(
    id=(CORE, STR),
    decision=(CORE, STR),
    fte=(CORE, INT),
    fte_before=(EXT, INT),
    close_month=(EXT, Nullable(MONTH)),
    organisations=(EXT, ListOf(STR)),
    reason=(EXT, STR),
)
ASSIGNMENT = _renamed(
    _obj(
        workload=(CORE, STR),
        from_=(CORE, STR),
        to=(CORE, STR),
        month=(CORE, Nullable(MONTH)),
        organisation=(EXT, STR),
        zone=(EXT, STR),
        migration_cost=XMONEY,
        migration_days=(EXT, NUM),
        reason=(EXT, STR),
    ),
    from_="from",
)
DESK_ASSIGNMENT = _renamed(
    _obj(
        organisation=(CORE, STR),
        desk=(CORE, STR),
        from_=(EXT, STR),
        month=(EXT, Nullable(MONTH)),
    ),
    from_="from",
)
WAVE = _obj(month=(CORE, MONTH), workloads=(CORE, ListOf(STR)), days=(CORE, NUM), cost=XMONEY)
COSTS = _obj(
    baseline_steady=MONEY,
    planned_steady=MONEY,
    one_off=MONEY,
    one_off_breakdown=(
        EXT,
        _obj(migration=XMONEY, room_closure=XMONEY, room_opening=XMONEY, desk_closure=XMONEY),
    ),
    steady_breakdown=(
        EXT,
        _obj(rooms_before=XMONEY, rooms_after=XMONEY, desks_before=XMONEY, desks_after=XMONEY),
    ),
)
YEAR = _obj(
    year=(CORE, STR),
    months=(EXT, INT),
    baseline=MONEY,
    planned=MONEY,
    one_off=MONEY,
    savings=MONEY,
    cumulative_savings=XMONEY,
    discount_factor=(EXT, NUM),
    discounted_savings=XMONEY,
)
MONTH_ROW = _obj(
    month=(CORE, MONTH),
    baseline=XMONEY,
    planned=XMONEY,
    one_off=XMONEY,
    savings=XMONEY,
    cumulative_savings=XMONEY,
)
ZONE = _obj(
    id=(CORE, STR),
    name=(EXT, STR),
    networks=(EXT, ListOf(STR)),
    requires=(EXT, ListOf(STR)),
    isolation=(EXT, STR),
)
FINANCE = _obj(
    npv=XMONEY,
    total_savings=XMONEY,
    payback_month=(EXT, Nullable(MONTH)),
    discount_rate=(EXT, NUM),
    horizon_years=(EXT, INT),
    allocation=(EXT, STR),
)
ORGANISATION = _obj(
    id=(CORE, STR),
    baseline=MONEY,
    planned=MONEY,
    savings=MONEY,
    one_off=XMONEY,
    horizon_baseline=XMONEY,
    horizon_planned=XMONEY,
    horizon_savings=XMONEY,
    worse_off=(EXT, BOOL),
)
STAFF_ORG = _obj(
    id=(CORE, STR),
    desk_fte_before=(EXT, INT),
    desk_fte_after=(EXT, INT),
    ops_fte_before=(EXT, NUM),
    ops_fte_after=(EXT, NUM),
    transfer_out=(EXT, NUM),
    transfer_in=(EXT, NUM),
    removed=(EXT, NUM),
    added=(EXT, NUM),
    stay_local=(EXT, NUM),
)
STAFF_SITE = _obj(
    site=(CORE, STR),
    organisation=(EXT, STR),
    desk_fte_before=(EXT, INT),
    desk_fte_after=(EXT, INT),
    ops_fte_before=(EXT, NUM),
    ops_fte_after=(EXT, NUM),
)
STAFF = _obj(
    desk_fte_before=(CORE, INT),
    desk_fte_after=(CORE, INT),
    ops_fte_before=(CORE, NUM),
    ops_fte_after=(CORE, NUM),
    by_organisation=(EXT, ListOf(STAFF_ORG)),
    by_site=(EXT, ListOf(STAFF_SITE)),
)
OPTIONS = _obj(max_rooms=(OPT, Nullable(INT)), max_desks=(OPT, Nullable(INT)))
HEADER = dict(
    format=(CORE, STR),
    estate=(CORE, STR),
    inventory_sha256=(CORE, STR),
    planner_version=(CORE, STR),
    created=(CORE, STR),
    options=(CORE, OPTIONS),
    explanation=(CORE, ListOf(STR)),
)

FEASIBLE_PLAN = _obj(
    **HEADER,
    solver=(
        CORE,
        _obj(
            status=(CORE, STR),
            objective=(CORE, NUM),
            bound=(CORE, Nullable(NUM)),
            gap=(CORE, Nullable(NUM)),
            wall_s=(CORE, NUM),
            annuity_factor=(EXT, NUM),
            breakdown=(EXT, _obj(moves=XMONEY, rooms=XMONEY, desks=XMONEY)),
            schedule_status=(EXT, STR),
            schedule_wall_s=(EXT, NUM),
        ),
    ),
    rooms=(CORE, ListOf(ROOM)),
    desks=(CORE, ListOf(DESK)),
    assignments=(CORE, ListOf(ASSIGNMENT)),
    desk_assignments=(CORE, ListOf(DESK_ASSIGNMENT)),
    waves=(CORE, ListOf(WAVE)),
    costs=(CORE, COSTS),
    years=(CORE, ListOf(YEAR)),
    months=(EXT, ListOf(MONTH_ROW)),
    finance=(EXT, FINANCE),
    move_groups=(EXT, ListOf(ListOf(STR))),
    zones=(EXT, ListOf(ZONE)),
    separate=(EXT, ListOf(ListOf(STR))),
    organisations=(CORE, ListOf(ORGANISATION)),
    staff=(CORE, STAFF),
)

INFEASIBLE_PLAN = _obj(
    **HEADER,
    solver=(
        CORE,
        _obj(status=(CORE, STR), objective=(OPT, Nullable(NUM)), bound=(OPT, Nullable(NUM))),
    ),
    rooms=(CORE, ListOf(Kind())),
    desks=(CORE, ListOf(Kind())),
    assignments=(CORE, ListOf(Kind())),
    desk_assignments=(CORE, ListOf(Kind())),
    waves=(CORE, ListOf(Kind())),
    years=(CORE, ListOf(Kind())),
    organisations=(CORE, ListOf(Kind())),
    costs=(CORE, _obj(baseline_steady=MONEY)),
)


@dataclass(frozen=True)
class Shape:
    """A plan whose types are right: ``feasible`` says which layout it follows."""

    feasible: bool
    missing_ext: list[str]


def read_shape(plan: Any) -> Shape:
    """Check the plan's layout and types; raise :class:`PlanFormatError` when unreadable."""
    from planner.checker.report import PlanFormatError

    if not isinstance(plan, dict):
        raise PlanFormatError([f"the plan must be a JSON object, found {_what(plan)}"])
    if plan.get("format") != FORMAT:
        raise PlanFormatError([f"format: expected {FORMAT!r}, found {_what(plan.get('format'))}"])
    solver = plan.get("solver")
    status = solver.get("status") if isinstance(solver, dict) else None
    if status not in STATUSES:
        raise PlanFormatError(
            [f"solver.status: expected one of {', '.join(STATUSES)}, found {_what(status)}"]
        )
    feasible = status in FEASIBLE
    errors: list[str] = []
    missing_ext: list[str] = []
    _validate(plan, FEASIBLE_PLAN if feasible else INFEASIBLE_PLAN, "", errors, missing_ext)
    if errors:
        raise PlanFormatError(errors)
    return Shape(feasible, missing_ext)
