"""explore.json (spec/explore.md), as far as other commands read it: the Shapley values.

``planner optimise --shares EXPLORE_DIR/explore.json`` splits the partnership's saving
by each partner's Shapley value when the estate's ``share_rule`` is ``shapley``
(spec/decisions.md). This module reads the ``shapley`` section of an explore result
and checks it against the estate's organisations; every problem is an
:class:`ExploreFileError` naming the file and the field. It imports only the
standard library and pydantic.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ExploreFileError(ValueError):
    """explore.json cannot give the Shapley values; the message names file and field."""


class _Value(BaseModel):
    model_config = ConfigDict(extra="allow")
    organisation: str
    value: float = Field(allow_inf_nan=False)


class _Shapley(BaseModel):
    model_config = ConfigDict(extra="allow")
    values: list[_Value]


class _Explore(BaseModel):
    model_config = ConfigDict(extra="allow")
    shapley: _Shapley | None = None


def read_shapley_values(path: Path, organisations: list[str]) -> dict[str, float]:
    """Organisation -> Shapley value from ``path`` (an explore.json, or the folder
    holding one), for exactly ``organisations``."""
    file = path / "explore.json" if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExploreFileError(f"{file}: cannot read it: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExploreFileError(f"{file}: not JSON: {exc}") from None
    try:
        explore = _Explore.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise ExploreFileError(f"{file}: field {where}: {first['msg']}") from None
    if explore.shapley is None:
        raise ExploreFileError(
            f"{file}: field shapley: missing; run planner explore with --shapley"
        )
    values: dict[str, float] = {}
    for n, v in enumerate(explore.shapley.values):
        if v.organisation in values:
            raise ExploreFileError(
                f"{file}: field shapley.values[{n}]: '{v.organisation}' is listed twice"
            )
        values[v.organisation] = v.value
    missing = [o for o in organisations if o not in values]
    extra = [o for o in values if o not in organisations]
    if missing or extra:
        raise ExploreFileError(
            f"{file}: field shapley.values: "
            + "; ".join(
                part
                for part in (
                    f"no value for {', '.join(missing)}" if missing else "",
                    f"values for {', '.join(extra)}, not partners of this estate" if extra else "",
                )
                if part
            )
            + " (was it explored from this estate?)"
        )
    if sum(max(v, 0.0) for v in values.values()) <= 0:
        raise ExploreFileError(
            f"{file}: field shapley.values: no partner has a positive value, so there is no "
            "saving to split by them"
        )
    return values


# ---------------------------------------------------------------- the whole document

FORMAT = "planner-explore/1"

PRICE_KINDS = (
    "separate",
    "isolation",
    "requires",
    "keep",
    "close",
    "earliest_close",
    "pinned",
    "dr_min_distance",
    "user_latency",
    "dependency_latency",
    "max_rooms",
    "max_desks",
)
"""The kinds of rule spec/explore.md prices."""


class _Doc(BaseModel):
    """A part of explore.json: keys it does not declare are kept (readers ignore them)."""

    model_config = ConfigDict(extra="allow")


class Engine(_Doc):
    kind: str
    """local (a cluster started for the run) or dask (an existing one)."""
    scheduler: str | None = None
    workers: int
    tasks: int


class Price(_Doc):
    """What one rule costs: the objective with it minus the objective without it."""

    rule: str
    """The rule in words, e.g. 'separate nhs/official'."""
    kind: str
    subject: list[str]
    objective_without: float | None
    price: float | None
    """objective - objective_without (None when the solve without it found no plan)."""
    status: str
    """Status of the solve without the rule: optimal, feasible, infeasible or unknown."""
    price_is: str = "exact"
    """exact, at_least or at_most (a solve not proven optimal makes the price a bound), or
    unknown."""


class ParetoPoint(_Doc):
    """One point of a curve: the best plan with at most ``max_rooms`` (or ``max_desks``)."""

    max_rooms: int | None = None
    max_desks: int | None = None
    objective: float | None
    status: str
    rooms_open: list[str] = Field(default_factory=list)
    desks_open: list[str] = Field(default_factory=list)
    knee: bool = False
    """The point after which one more room (desk) saves least (the curve's knee)."""


class Percentiles(_Doc):
    p10: float
    p50: float
    p90: float
    mean: float


class Risk(_Doc):
    samples: int
    seed: int
    net_savings: Percentiles
    one_off: Percentiles
    payback_month: dict[str, str | None]
    """p50 and p90 of the payback month ('YYYY-MM'; None: no payback in the horizon)."""
    p_net_negative: float
    p_one_off_over_plan: float


class ShapleyValue(_Doc):
    organisation: str
    value: float
    standard_error: float | None = None


class Shapley(_Doc):
    method: str
    """exact or sampled."""
    samples: int | None
    values: list[ShapleyValue]
    total: float


class Explore(_Doc):
    """explore.json (spec/explore.md)."""

    format: str
    estate: str
    inventory_sha256: str
    engine: Engine
    objective: float | None
    baseline_objective: float | None
    prices: list[Price] | None = None
    pareto: list[ParetoPoint] | None = None
    pareto_desks: list[ParetoPoint] | None = None
    risk: Risk | None = None
    shapley: Shapley | None = None
    failed: list[dict[str, str]] = Field(default_factory=list)


def validate_explore(data: object) -> Explore:
    """explore.json as its model; ExploreFileError naming the first field at fault."""
    try:
        return Explore.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise ExploreFileError(f"explore.json: field {where}: {first['msg']}") from None
