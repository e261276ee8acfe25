"""plan.json, defined once: the pydantic models of the document and how it is read and written.

The models below are the definition of ``planner-plan/1``; ``docs/plan-format.md``
documents every key they declare (``tests/test_planfile_doc.py`` keeps the two in
step), ``planner schema --plan`` writes their JSON Schema, and:

- the reports (:mod:`planner.reports`) read a plan with :func:`load_plan` /
  :func:`check_plan`, which validate it against the models;
- the checker (:mod:`planner.checker`) reads the plan's layout from
  :func:`validate_plan`, then recomputes every figure itself;
- the writer (:mod:`planner.plan.write`) validates planner's own plan with
  :func:`validate_plan` and refuses any key the models do not declare.

Every field records how present it must be, under the JSON Schema keyword
``x-plan`` of its ``json_schema_extra`` (see :func:`presence`):

``core``  ``spec/plan-format.md`` requires it: a plan without it is unreadable;
``ext``   planner's extension: ``planner check`` requires it of planner's own plans
          and checks it when another tool's plan carries it;
``opt``   may be absent from any plan (planner writes it for people and tools).

A plan follows one of two layouts, chosen by ``solver.status``: a plan
(:class:`FeasiblePlan`, optimal|feasible) or the reasons there is none
(:class:`InfeasiblePlan`, infeasible|unknown). Keys the models do not declare are
allowed when reading (other tools' plans; readers ignore them). This module
imports only the standard library and pydantic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    ValidationError,
    WithJsonSchema,
)
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

FORMAT = "planner-plan/1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
FEASIBLE = ("optimal", "feasible")
ROOM_DECISIONS = ("keep", "close", "open", "unused")
DESK_DECISIONS = ("keep", "close")
YEAR_LABEL = re.compile(r"^(\d{4})/(\d{2})$")
"""A UK financial year label, e.g. ``2027/28`` (April 2027 to March 2028)."""
MAX_PROBLEMS = 20
"""At most this many problems are listed for one plan."""
MAX_NUMBER = 2**53 - 1
"""The largest number plan.json holds, either way: the largest whole number every JSON
reader keeps exactly (I-JSON, RFC 7493), some 9e15 (GBP 9 quadrillion). It also keeps
the reports' sums and charts far from a float's overflow."""

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_YEAR = re.compile(r"([0-9]{4})/([0-9]{2})")
MONTH_PATTERN = r"^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])$"
YEAR_PATTERN = r"^[0-9]{4}/[0-9]{2}$"

Plan = dict[str, Any]
"""plan.json as ``json.load`` gives it (after :func:`check_plan` found it readable)."""

# ---------------------------------------------------------------- presence of a key

PRESENCE = "x-plan"
"""The JSON Schema keyword (and json_schema_extra key) that records a field's presence."""
CORE, EXT, OPT = "core", "ext", "opt"


def _core(description: str, **kw: Any) -> Any:
    """A core key (required)."""
    return Field(description=description, json_schema_extra={PRESENCE: CORE}, **kw)


def _ext(description: str, **kw: Any) -> Any:
    """An extension key: planner always writes it; another tool's plan may leave it out."""
    return Field(None, description=description, json_schema_extra={PRESENCE: EXT}, **kw)


def _opt(description: str, **kw: Any) -> Any:
    """An optional key: it may be absent from any plan."""
    return Field(None, description=description, json_schema_extra={PRESENCE: OPT}, **kw)


def presence(model: type[BaseModel], field: str) -> str:
    """``core``, ``ext`` or ``opt``: how present ``field`` of ``model`` must be."""
    extra = model.model_fields[field].json_schema_extra
    assert isinstance(extra, dict), f"{model.__name__}.{field} records no presence"
    value = extra[PRESENCE]
    assert isinstance(value, str)
    return value


# ---------------------------------------------------------------- value types


class _Invalid(ValueError):
    """A value of the right JSON type that is still not what the key holds: ``message``
    follows the value (``'2027-13' is not a month YYYY-MM``) or stands alone."""

    def __init__(self, message: str, *, quote: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.quote = quote


def _text(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _Invalid(
            f"is not valid Unicode text (a lone surrogate at character {exc.start})", quote=False
        ) from None
    return value


def _whole(value: float) -> float:
    if not float(value).is_integer():
        raise _Invalid(f"must be a whole number, not {value!r}", quote=False)
    return value


def _month(value: str) -> str:
    match = _MONTH.fullmatch(value)
    if match is None or int(match.group(1)) < 1:
        raise _Invalid("is not a month YYYY-MM")
    return value


def _financial_year(value: str) -> str:
    match = _YEAR.fullmatch(value)
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise _Invalid("is not a financial year like 2027/28")
    return value


Text = Annotated[str, Strict(), AfterValidator(_text)]
"""A string (never a number or a boolean coerced to one), valid Unicode."""
Number = Annotated[float, Strict(), AllowInfNan(False), Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
"""A finite JSON number (never a string or a boolean), at most :data:`MAX_NUMBER` either way."""
Whole = Annotated[
    float,
    Strict(),
    AllowInfNan(False),
    Field(ge=-MAX_NUMBER, le=MAX_NUMBER),
    AfterValidator(_whole),
    WithJsonSchema({"type": "integer", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}),
]
"""A whole number: 9 or 9.0, not 9.5 (at most :data:`MAX_NUMBER` either way)."""
Month = Annotated[
    str,
    Strict(),
    AfterValidator(_month),
    WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN}),
]
"""A month ``YYYY-MM`` (month 01-12, year 0001 or later)."""
FinancialYear = Annotated[
    str,
    Strict(),
    AfterValidator(_financial_year),
    WithJsonSchema({"type": "string", "pattern": YEAR_PATTERN}),
]
"""A UK financial year ``2027/28`` (the second part is the next year's last two digits)."""
Status = Literal["optimal", "feasible", "infeasible", "unknown"]
RoomDecision = Literal["keep", "close", "open", "unused"]
DeskDecision = Literal["keep", "close"]


class _Part(BaseModel):
    """An object of plan.json: keys it does not declare are kept (readers ignore them)."""

    model_config = ConfigDict(extra="allow", populate_by_name=False)


class _Amounts(_Part):
    """An object of amounts (GBP): further keys are allowed, and must be numbers too."""

    __pydantic_extra__: dict[str, Number] = Field(init=False)


# ---------------------------------------------------------------- the parts of a plan


class Options(_Part):
    """The options of the run (what was asked for)."""

    max_rooms: Whole | None = _opt("--max-rooms (null: no limit)")
    max_desks: Whole | None = _opt("--max-desks (null: no limit)")
    time_limit_s: Number | None = _opt("--time-limit, seconds")
    workers: Whole | None = _opt("CP-SAT search workers")
    seed: Whole | None = _opt("random seed")


class Breakdown(_Amounts):
    """The objective's terms, GBP."""

    moves: Number = _ext("migration costs")
    rooms: Number = _ext("rooms: closures, openings and A x their running cost")
    desks: Number = _ext("desks: closures and A x their running cost")


class BudgetStage(_Part):
    """One stage of the run: what it was allowed and what it took."""

    stage: Text = _core(
        "build, target, schedule, re-target, re-schedule, explanation, reasons, or finance, "
        "checker and reports"
    )
    allowed_s: Number | None = _core(
        "seconds it was allowed (deterministic seconds with one worker; null: not limited)"
    )
    used_s: Number = _core("wall-clock seconds it took")


class TimeBudget(_Part):
    """--time-limit as the whole run's budget, and how it was split."""

    time_limit_s: Number = _core("--time-limit: the whole run's budget, seconds")
    clock: Literal["wall", "deterministic"] = _core(
        "what the allowances count: wall (several workers) or deterministic (one worker)"
    )
    stages: list[BudgetStage] = _core("the stages, in the order they ran")
    used_s: Number = _core("wall-clock seconds of the whole run")


class Solver(_Part):
    """How the plan was found (a feasible plan)."""

    status: Literal["optimal", "feasible"] = _core("optimal|feasible (the target estate)")
    objective: Number = _core("one-off + A x steady cost, GBP, recomputed from the decisions")
    bound: Number | None = _core("proven lower bound on the objective, GBP")
    gap: Number | None = _core("(objective - bound) / objective")
    wall_s: Number = _core("seconds the target estate's search took")
    target_status: Status = _opt("status of the target estate's solve")
    annuity_factor: Number = _ext("A = sum over the horizon years y of (1+r)^-y")
    breakdown: Breakdown = _ext("the objective's terms, GBP")
    schedule_status: Status = _ext("status of the month-by-month schedule")
    schedule_gap: Number | None = _opt("the schedule's proven relative gap (null: none proved)")
    schedule_method: Literal["cp-sat", "greedy"] | None = _opt(
        "what dated the moves: cp-sat or greedy (null: no schedule)"
    )
    schedule_wall_s: Number = _ext("seconds spent on the schedule")
    budget: TimeBudget = _opt("the run's time budget: each stage's allowance and time")


class InfeasibleSolver(_Part):
    """How the search for a plan ended (no plan)."""

    status: Literal["infeasible", "unknown"] = _core(
        "infeasible (proved) or unknown (nothing found in time)"
    )
    objective: Number | None = _opt("null: there is no plan")
    bound: Number | None = _opt("null, or a proven lower bound")
    gap: Number | None = _opt("null")
    wall_s: Number | None = _opt("seconds the target estate's search took")
    target_status: Status | None = _opt("status of the target estate's solve")
    annuity_factor: Number | None = _opt("A = sum over the horizon years y of (1+r)^-y")
    breakdown: Breakdown | None = _opt("empty: there is no objective")
    schedule_status: Status | None = _opt("status of the schedule (null: none)")
    schedule_gap: Number | None = _opt("null")
    schedule_method: Literal["cp-sat", "greedy"] | None = _opt("null")
    schedule_wall_s: Number | None = _opt("null")
    budget: TimeBudget = _opt("the run's time budget: each stage's allowance and time")


class Peak(_Part):
    """The month a room's workloads use most of one compute resource during the migration."""

    resource: Literal["vcpu", "memory_gib", "storage_tib"] = _core("the resource")
    month: Month = _core("the first month of greatest use (each month after its moves)")
    used: Number = _core("what its workloads use then")


class UpgradeBought(_Part):
    """An accreditation upgrade the plan buys for a room (spec/decisions.md)."""

    accreditation: Text = _core("the accreditation the room gains")
    month: Month = _core("the first month the room holds it (its cost falls then)")
    cost: Number = _opt("its one-off cost, GBP")
    annual_cost: Number = _opt("added to the room's running cost from that month, GBP a year")


class Room(_Part):
    """A machine room, existing or candidate, and what the plan does with it."""

    id: Text = _core("the room's id")
    decision: RoomDecision = _core("keep|close (existing rooms), open|unused (candidates)")
    close_month: Month | None = _core("the first month it no longer costs (closed rooms)")
    open_month: Month | None = _ext("the month of its first move in (opened candidates)")
    site: Text = _ext("its site")
    organisation: Text = _ext("the organisation owning its site")
    status: Literal["existing", "candidate"] = _opt("existing or candidate")
    annual_cost: Number = _ext("running cost a year, GBP")
    racks: Number = _ext("racks")
    power_kw: Number = _ext("power, kW")
    racks_used_before: Number = _ext("racks used today")
    racks_used_after: Number = _ext("racks used in the target estate")
    power_used_before: Number = _ext("kW used today")
    power_used_after: Number = _ext("kW used in the target estate")
    vcpu: Number | None = _opt("vCPU capacity (null: not limited); with compute only")
    vcpu_used_before: Number = _opt("vCPU used today; with compute only")
    vcpu_used_after: Number = _opt("vCPU used in the target estate; with compute only")
    memory_gib: Number | None = _opt("memory capacity, GiB (null: not limited); with compute only")
    memory_gib_used_before: Number = _opt("memory used today, GiB; with compute only")
    memory_gib_used_after: Number = _opt("memory used in the target, GiB; with compute only")
    storage_tib: Number | None = _opt(
        "storage capacity, TiB (null: not limited); with compute only"
    )
    storage_tib_used_before: Number = _opt("storage used today, TiB; with compute only")
    storage_tib_used_after: Number = _opt("storage used in the target, TiB; with compute only")
    peaks: list[Peak] = _opt("per compute resource, its month of greatest use; with compute only")
    zones_before: list[Text] = _ext("zones of its workloads today")
    zones_after: list[Text] = _ext("zones of its workloads in the target estate")
    accreditations: list[Text] = _ext("its accreditations")
    upgrades_bought: list[UpgradeBought] = _opt(
        "accreditation upgrades bought, with the month each holds from; rooms with upgrades only"
    )
    within: Text = _opt("the room a secure suite is built inside; suites only")
    ops_fte: Number = _opt("operations staff (FTE) while it is open")
    reason: Text = _ext("the main reason for the decision, in words")


class Desk(_Part):
    """A service desk and what the plan does with it."""

    id: Text = _core("the desk's id")
    decision: DeskDecision = _core("keep|close")
    fte: Whole = _core("FTE in the target plan (0 if closed)")
    fte_before: Whole = _ext("FTE today")
    close_month: Month | None = _ext("the month it closes (closed desks)")
    site: Text = _opt("its site")
    organisation: Text = _opt("the organisation owning its site")
    seats: Whole = _opt("seats")
    organisations: list[Text] = _ext("the organisations it serves in the plan")
    reason: Text = _ext("the main reason for the decision, in words")


class Assignment(_Part):
    """Where a workload runs in the plan, and when it moves."""

    workload: Text = _core("the workload's id")
    from_: Text = _core("its room today", alias="from")
    to: Text = _core("its room in the plan")
    month: Month | None = _core("the month it moves (null: it does not move)")
    organisation: Text = _ext("its organisation")
    zone: Text = _ext("its zone")
    name: Text = _opt("its name")
    migration_cost: Number = _ext("GBP in its move month (0 when it does not move)")
    migration_days: Number = _ext("person-days (0 when it does not move)")
    reason: Text = _ext("why it goes there, in words")


class DeskAssignment(_Part):
    """The desk serving an organisation in the plan."""

    organisation: Text = _core("the organisation's id")
    desk: Text = _core("the desk serving it in the plan")
    from_: Text = _ext("the desk serving it today", alias="from")
    month: Month | None = _ext("the month it changes desk (null: unchanged)")


class Wave(_Part):
    """The workloads moving in one month."""

    month: Month = _core("the month")
    workloads: list[Text] = _core("the workloads moving, in inventory order")
    days: Number = _core("their migration person-days")
    cost: Number = _ext("their migration cost, GBP")


class OneOffBreakdown(_Amounts):
    """One-off costs by kind, GBP."""

    migration: Number = _ext("moves")
    room_closure: Number = _ext("closing rooms")
    room_opening: Number = _ext("opening candidate rooms")
    desk_closure: Number = _ext("closing desks")
    room_upgrade: Number = _opt("accreditation upgrades bought; estates offering upgrades only")


class SteadyBreakdown(_Amounts):
    """Running costs a year, today and in the plan, GBP."""

    rooms_before: Number = _ext("rooms today")
    rooms_after: Number = _ext("rooms in the plan")
    desks_before: Number = _ext("desks today")
    desks_after: Number = _ext("desks in the plan")


class Costs(_Part):
    """The plan's costs, GBP."""

    baseline_steady: Number = _core("today's rooms and desks, a year")
    planned_steady: Number = _core("the target estate's rooms and desks, a year")
    one_off: Number = _core("migration, closures and openings")
    one_off_breakdown: OneOffBreakdown = _ext("one-off costs by kind")
    steady_breakdown: SteadyBreakdown = _ext("running costs by rooms and desks")


class InfeasibleCosts(_Part):
    """The baseline only (there is no plan)."""

    baseline_steady: Number = _core("today's rooms and desks, a year")
    planned_steady: Number | None = _opt("null: there is no plan")
    one_off: Number | None = _opt("null: there is no plan")


class Year(_Part):
    """One UK financial year of the horizon."""

    year: FinancialYear = _core("the financial year, e.g. 2027/28")
    months: Whole = _ext("months of the plan in the year")
    baseline: Number = _core("today's estate's cost in the year, GBP")
    planned: Number = _core("the plan's running cost in the year, GBP")
    one_off: Number = _core("one-off costs in the year, GBP")
    savings: Number = _core("baseline - planned - one_off")
    cumulative_savings: Number = _ext("running sum of savings")
    discount_factor: Number = _ext("(1+r)^-y, y = 1 for the first year")
    discounted_savings: Number = _ext("savings x discount_factor")


class MonthRow(_Part):
    """One month of the horizon."""

    month: Month = _core("the month")
    baseline: Number = _ext("today's estate's cost in the month, GBP")
    planned: Number = _ext("the plan's running cost in the month, GBP")
    one_off: Number = _ext("one-off costs in the month, GBP")
    savings: Number = _ext("baseline - planned - one_off")
    cumulative_savings: Number = _ext("running sum of savings")


class Finance(_Part):
    """The money over the horizon."""

    npv: Number = _ext("sum of the years' discounted_savings")
    total_savings: Number = _ext("sum of the years' savings")
    payback_month: Month | None = _ext(
        "first month from which cumulative savings stay >= 0 (null: never)"
    )
    discount_rate: Number = _ext("the estate's discount rate")
    horizon_years: Whole = _ext("the estate's horizon, financial years")
    allocation: Text = _ext("how costs are shared among organisations, in words")
    share_rule: Literal["allocated", "proportional", "shapley"] = _ext(
        "how the net saving over the horizon is split between partners (estate.share_rule)"
    )


class Organisation(_Part):
    """A partner's share of the costs."""

    id: Text = _core("the organisation's id")
    name: Text = _opt("its name")
    kind: Text = _opt("its kind (county, district, nhs, ...)")
    baseline: Number = _core("its share of today's running cost a year, GBP")
    planned: Number = _core("its share of the plan's running cost a year, GBP")
    savings: Number = _core("baseline - planned")
    one_off: Number = _ext("its share of the one-off costs, GBP")
    horizon_baseline: Number = _ext("its share of the baseline over the horizon, GBP")
    horizon_planned: Number = _ext("its share of the plan over the horizon, GBP")
    horizon_savings: Number = _ext("horizon_baseline - horizon_planned - one_off")
    worse_off: StrictBool = _ext("horizon_savings < 0")
    share: Number = _ext("its net over the horizon under finance.share_rule, GBP")
    horizon_savings_after_transfers: Number = _ext(
        "horizon_savings - transfers paid + transfers received (= share)"
    )
    shapley_value: Number = _opt("its Shapley value of the savings game (share_rule shapley)")


class Transfer(_Part):
    """A payment between partners over the horizon, moving each to its share."""

    from_: Text = _core("the organisation that pays", alias="from")
    to: Text = _core("the organisation that receives")
    amount: Number = _core("GBP over the horizon, more than 0")


class StaffByOrganisation(_Part):
    """Posts on one organisation's sites."""

    id: Text = _core("the organisation's id")
    desk_fte_before: Whole = _ext("desk FTE today")
    desk_fte_after: Whole = _ext("desk FTE in the plan")
    ops_fte_before: Number = _ext("room operations FTE today")
    ops_fte_after: Number = _ext("room operations FTE in the plan")
    transfer_out: Number = _ext("desk work it no longer serves (FTE-equivalents)")
    transfer_in: Number = _ext("desk work it now serves for others (FTE-equivalents)")
    removed: Number = _ext("posts removed")
    added: Number = _ext("posts added")
    stay_local: Number = _ext("before - transfer_out - removed")


class StaffBySite(_Part):
    """Posts on one site."""

    site: Text = _core("the site's id")
    organisation: Text = _ext("the organisation owning it")
    desk_fte_before: Whole = _ext("desk FTE today")
    desk_fte_after: Whole = _ext("desk FTE in the plan")
    ops_fte_before: Number = _ext("room operations FTE today")
    ops_fte_after: Number = _ext("room operations FTE in the plan")


class Staff(_Part):
    """Staff before and after."""

    desk_fte_before: Whole = _core("service desk FTE today")
    desk_fte_after: Whole = _core("service desk FTE in the plan")
    ops_fte_before: Number = _core("machine room operations FTE today")
    ops_fte_after: Number = _core("machine room operations FTE in the plan")
    by_organisation: list[StaffByOrganisation] = _ext("posts on each organisation's sites")
    by_site: list[StaffBySite] = _ext("posts on each site")


class InfeasibleStaff(_Part):
    """Staff figures of a plan that does not exist: null, or today's."""

    desk_fte_before: Whole | None = _opt("service desk FTE today")
    desk_fte_after: Whole | None = _opt("null: there is no plan")
    ops_fte_before: Number | None = _opt("machine room operations FTE today")
    ops_fte_after: Number | None = _opt("null: there is no plan")


class Zone(_Part):
    """A security zone's rules (for the security evidence)."""

    id: Text = _core("the zone's id")
    name: Text = _ext("its name")
    networks: list[Text] = _ext("networks its workloads need")
    requires: list[Text] = _ext("accreditations its rooms need")
    isolation: Text = _ext("none|rack|room")


# ---------------------------------------------------------------- the two layouts


class _Header(_Part):
    format: Literal["planner-plan/1"] = _core("the format of this document")
    estate: Text = _core("estate.name")
    inventory_sha256: Text = _core("sha256 over the estate's input files, sorted by name")
    planner_version: Text = _core("the version of planner that wrote it")
    created: Text = _core("when it was written, ISO 8601")
    options: Options = _core("the options of the run")


class FeasiblePlan(_Header):
    """plan.json with a plan: ``solver.status`` optimal or feasible."""

    model_config = ConfigDict(title="plan.json with a plan")

    solver: Solver = _core("how the plan was found")
    rooms: list[Room] = _core("every room, in inventory order")
    desks: list[Desk] = _core("every service desk, in inventory order")
    assignments: list[Assignment] = _core("every workload, in inventory order")
    desk_assignments: list[DeskAssignment] = _core("every organisation, in inventory order")
    waves: list[Wave] = _core("one per month with moves, by month")
    move_groups: list[list[Text]] = _ext("workloads that must move in the same month")
    zones: list[Zone] = _ext("the zones' rules")
    separate: list[list[Text]] = _ext("the separate pairs of zones, sorted")
    costs: Costs = _core("the costs")
    years: list[Year] = _core("horizon_years UK financial years")
    months: list[MonthRow] = _ext("every month of the horizon")
    finance: Finance = _ext("money over the horizon")
    organisations: list[Organisation] = _core("every organisation")
    transfers: list[Transfer] = _ext("payments between partners (empty: none)")
    staff: Staff = _core("staff before and after")
    explanation: list[Text] = _core("empty (there is a plan)")


class InfeasiblePlan(_Header):
    """plan.json without a plan: ``solver.status`` infeasible or unknown."""

    model_config = ConfigDict(title="plan.json without a plan")

    solver: InfeasibleSolver = _core("how the search ended")
    rooms: list[Room] = _core("empty")
    desks: list[Desk] = _core("empty")
    assignments: list[Assignment] = _core("empty")
    desk_assignments: list[DeskAssignment] = _core("empty")
    waves: list[Wave] = _core("empty")
    move_groups: list[list[Text]] = _opt("empty")
    costs: InfeasibleCosts = _core("the baseline only")
    years: list[Year] = _core("empty")
    organisations: list[Organisation] = _core("empty")
    staff: InfeasibleStaff = _opt("today's figures, or null")
    explanation: list[Text] = _core("the conflicting rules, in sentences naming ids")


LAYOUTS: tuple[type[_Header], ...] = (FeasiblePlan, InfeasiblePlan)


def field_paths(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every key a model declares, as (path, presence): ``rooms[].close_month``, ``core``."""
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = f"{prefix}.{key}" if prefix else key
        yield path, presence(model, name)
        inner, suffix = _inner_model(info.annotation)
        if inner is not None:
            yield from field_paths(inner, path + suffix)


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The model inside ``X``, ``X | None``, ``list[X]``, ``list[list[X]]``; and ``[]``s."""
    suffix = ""
    while True:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation, suffix
        args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
        origin = getattr(annotation, "__origin__", None)
        if origin is list and args:
            suffix += "[]"
            annotation = args[0]
        elif len(args) == 1 and origin is None:  # X | None
            annotation = args[0]
        else:
            return None, suffix


# ---------------------------------------------------------------- validating a plan


class PlanError(Exception):
    """A plan file that cannot be read or is not a planner plan; ``problems`` lists why."""

    def __init__(self, path: Path | None, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        where = f"{path}: " if path is not None else ""
        super().__init__(where + "; ".join(problems))


@dataclass(frozen=True)
class Validated:
    """A plan whose keys and types are right."""

    model: FeasiblePlan | InfeasiblePlan
    feasible: bool
    """Which layout it follows: a plan (optimal|feasible) or none (infeasible|unknown)."""
    missing_ext: list[str]
    """Extension keys it does not carry, e.g. ``rooms[0].open_month`` (a feasible plan's;
    an infeasible plan declares none)."""
    undeclared: list[str]
    """Keys the models do not declare, e.g. ``rooms[2].colour`` (allowed in others' plans)."""


def validate_plan(data: Any) -> Validated:
    """Validate plan.json (as parsed JSON) against the models; raise :class:`PlanError`
    (with no path) listing at most :data:`MAX_PROBLEMS` problems when it is not readable."""
    if not isinstance(data, dict):
        raise PlanError(None, [f"the file must hold a JSON object (a plan), not {_kind(data)}"])
    if "format" not in data:
        raise PlanError(
            None, [f'format: missing: this is not a planner plan (expected "{FORMAT}")']
        )
    if data["format"] != FORMAT:
        shown = _short(json.dumps(data["format"], ensure_ascii=True), 60)
        raise PlanError(None, [f'format: {shown} is not supported (this planner reads "{FORMAT}")'])
    solver = data.get("solver")
    if not isinstance(solver, dict) or solver.get("status") not in STATUSES:
        if "solver" not in data:
            problem = f"solver: missing (required by {FORMAT})"
        elif not isinstance(solver, dict):
            problem = f"solver: must be an object, not {_kind(solver)}"
        elif "status" not in solver:
            problem = f"solver.status: missing (required by {FORMAT})"
        else:
            problem = "solver.status: " + _not_one_of(solver["status"], STATUSES)
        # Without a status the layout is unknown: add the problems both layouts find.
        feasible_problems = _problems(FeasiblePlan, data)
        infeasible_problems = set(_problems(InfeasiblePlan, data))
        common = [
            p
            for p in feasible_problems
            if p in infeasible_problems and not p.startswith(("solver.", "solver:"))
        ]
        raise PlanError(None, [problem, *common][:MAX_PROBLEMS])
    feasible = solver["status"] in FEASIBLE
    layout: type[FeasiblePlan | InfeasiblePlan] = FeasiblePlan if feasible else InfeasiblePlan
    try:
        model = layout.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise PlanError(None, [_problem(e) for e in errors[:MAX_PROBLEMS]]) from None
    missing_ext: list[str] = []
    undeclared: list[str] = []
    _walk(model, "", missing_ext if feasible else [], undeclared)
    return Validated(model, feasible, missing_ext, undeclared)


def _problems(layout: type[BaseModel], data: dict[str, Any]) -> list[str]:
    try:
        layout.model_validate(data)
    except ValidationError as exc:
        return [_problem(e) for e in exc.errors(include_url=False)]
    return []


def check_plan(data: Any) -> list[str]:
    """Problems that make ``data`` unreadable as a plan (empty list: readable)."""
    try:
        validate_plan(data)
    except PlanError as exc:
        return exc.problems
    return []


def _walk(model: BaseModel, path: str, missing_ext: list[str], undeclared: list[str]) -> None:
    """Collect the extension keys ``model`` lacks and the keys it does not declare."""
    fields = type(model).model_fields
    for name, info in fields.items():
        key = info.alias or name
        where = _join(path, key)
        if name not in model.model_fields_set:
            if presence(type(model), name) == EXT:
                missing_ext.append(where)
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _walk(value, where, missing_ext, undeclared)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _walk(item, f"{where}[{i}]", missing_ext, undeclared)
    for key in model.model_extra or {}:
        undeclared.append(_join(path, key))


# ---------------------------------------------------------------- problems in words


def _problem(error: Any) -> str:
    """One pydantic error as ``where: what`` (``rooms[3].close_month: '2027-13' is not ...``)."""
    where = ""
    for step in error["loc"]:
        where = f"{where}[{step}]" if isinstance(step, int) else _join(where, str(step))
    return f"{where or 'the plan'}: {_what(error)}"


def _what(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return f"missing (required by {FORMAT})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be an object, not {_kind(value)}"
    if kind == "list_type":
        return f"must be a list, not {_kind(value)}"
    if kind == "string_type":
        return f"must be a string, not {_kind(value)}"
    if kind == "bool_type":
        return f"must be true or false, not {_kind(value)}"
    if kind == "float_type":
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{_TOO_LARGE}, not a {len(str(abs(value)))}-digit number"
        return f"must be a number, not {_kind(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{_TOO_LARGE}, not {value!r}"
    if kind == "finite_number":
        return f"must be a finite number, not {value}"
    if kind == "value_error" and isinstance(error.get("ctx", {}).get("error"), _Invalid):
        invalid: _Invalid = error["ctx"]["error"]
        return f"{_shown(value)} {invalid.message}" if invalid.quote else invalid.message
    if kind == "literal_error":
        expected = tuple(re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", ""))))
        return _not_one_of(value, expected)
    return str(error["msg"])  # pragma: no cover - every type the models raise is above


_TOO_LARGE = "must be at most 2^53 - 1 (about 9.007e15) either way"


def _not_one_of(value: Any, choices: tuple[str, ...]) -> str:
    if isinstance(value, str):
        return f"{_shown(value)} is not one of {', '.join(choices)}"
    return f"must be one of {', '.join(choices)}, not {_kind(value)}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    """A string value for a message: quoted, escaped, at most 40 characters."""
    text = str(value)
    if text.isprintable() and "'" not in text:
        return "'" + _short(text, 40) + "'"
    return _short(json.dumps(text, ensure_ascii=True), 42)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _key(key: Any) -> str:
    text = str(key)
    if re.fullmatch(r"[A-Za-z0-9_-]{1,60}", text):
        return text
    return "[" + _short(json.dumps(text, ensure_ascii=True), 62) + "]"


def _join(path: str, key: str) -> str:
    step = _key(key)
    if step.startswith("["):
        return path + step
    return f"{path}.{step}" if path else step


# ---------------------------------------------------------------- files


def plan_problems(file: Path, problems: list[str]) -> str:
    """One message for people: the file and its problem, or the file and a list of them."""
    if len(problems) == 1:
        return f"{file}: {problems[0]}"
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"{file}: not a usable plan ({len(problems)} problems):\n{lines}"


def plan_json_path(path: Path) -> Path:
    """``path`` itself when it is a file, else ``path/plan.json``."""
    return path / "plan.json" if path.is_dir() else path


def read_plan_json(path: Path) -> Any:
    """The JSON of a plan file (a plan directory or a plan.json), not yet validated.

    Raises :class:`PlanError` when it is missing, unreadable, not UTF-8 or not JSON
    (NaN and Infinity are not JSON; nesting deeper than Python can parse is refused).
    """
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
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise PlanError(
            file, [f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
        ) from None
    except ValueError as exc:
        raise PlanError(file, [f"not valid JSON: {exc}"]) from None
    except RecursionError:
        raise PlanError(file, ["not valid JSON here: nested too deeply"]) from None


def load_plan(path: Path) -> Plan:
    """Load and check a plan (a plan directory or a plan.json); raise PlanError if unusable."""
    data = read_plan_json(path)
    try:
        validate_plan(data)
    except PlanError as exc:
        raise PlanError(plan_json_path(path), exc.problems) from None
    return data


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


# ---------------------------------------------------------------- JSON Schema


class _Schema(GenerateJsonSchema):
    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of plan.json: one of the two layouts."""
    _, top = models_json_schema(
        [(FeasiblePlan, "validation"), (InfeasiblePlan, "validation")],
        ref_template="#/$defs/{model}",
        schema_generator=_Schema,
    )
    defs = top["$defs"]
    for definition in defs.values():
        for prop in definition.get("properties", {}).values():
            if prop.get("default", 0) is None:  # ext/opt keys: absent, not null by default
                del prop["default"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://planner.invalid/schema/plan.json",
        "title": f"plan.json ({FORMAT})",
        "description": (
            "A planner plan (docs/plan-format.md). Each key's x-plan says how present it "
            "must be: core (required), ext (planner's extension: planner writes it, other "
            "tools may leave it out), opt (may be absent). Keys not declared here are allowed."
        ),
        "oneOf": [{"$ref": "#/$defs/FeasiblePlan"}, {"$ref": "#/$defs/InfeasiblePlan"}],
        "$defs": defs,
    }


# ---------------------------------------------------------------- writing


VOLATILE_KEYS = (
    ("created",),
    ("solver", "wall_s"),
    ("solver", "schedule_wall_s"),
    ("solver", "budget"),
)
"""Keys that differ between two otherwise identical runs (timestamps and timings; in
``solver.budget`` the times taken, and with several workers the allowances too)."""


def dumps(plan: dict[str, Any]) -> str:
    """plan.json's text: indented, UTF-8, one trailing newline."""
    return json.dumps(plan, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def without_volatile(plan: dict[str, Any]) -> dict[str, Any]:
    """A copy without timestamps and timings (for comparing runs)."""
    copy = json.loads(json.dumps(plan))
    for path in VOLATILE_KEYS:
        node = copy
        for key in path[:-1]:
            node = node.get(key, {})
        node.pop(path[-1], None)
    return copy
