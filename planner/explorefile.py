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
