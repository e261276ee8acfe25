"""Small estates for the migration-schedule tests, written as one YAML file.

Each builder states only what the test needs; :func:`base` gives one zone
``official`` on network ``psn``, one council ``c`` served by desk ``c-desk``
(no tickets, so desks cost nothing and never move) on site ``a``, start
2027-04-01 and a two-year horizon (T = 24 months, 2027-04 .. 2029-03). Rooms
carry ``keep`` or ``close`` flags so that the target estate is forced and the
tests are about the months alone.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from planner.checker import check_plan
from planner.inventory.load import Loaded
from planner.inventory.validate import load_and_validate
from planner.optimise import OptimiseOptions, OptimiseResult, optimise

Doc = dict[str, Any]

FAST = OptimiseOptions(time_limit_s=10, workers=2, explain_reasons=False)


def base(*, start: str = "2027-04-01", years: int = 2, days: float = 40) -> Doc:
    return {
        "estate": {
            "name": "Schedule test estate",
            "start": start,
            "horizon_years": years,
            "discount_rate": 0.035,
            "migration_days_per_month": days,
        },
        "networks": [{"id": "psn"}],
        "zones": [{"id": "official", "networks": ["psn"]}],
        "organisations": [{"id": "c", "kind": "county", "tickets_per_year": 0, "desk": "c-desk"}],
        "sites": [{"id": "a", "organisation": "c", "lat": 52.0, "lon": -1.0}],
        "links": [],
        "rooms": [],
        "service_desks": [
            {
                "id": "c-desk",
                "site": "a",
                "seats": 1,
                "fixed_cost": 0,
                "cost_per_fte": 0,
                "tickets_per_fte": 1000,
            }
        ],
        "workloads": [],
    }


def site(doc: Doc, ident: str, lat: float = 52.0, lon: float = -1.0, org: str = "c") -> None:
    doc["sites"].append({"id": ident, "organisation": org, "lat": lat, "lon": lon})


def link(doc: Doc, a: str, b: str, ms: float, network: str = "psn") -> None:
    doc["links"].append({"a": a, "b": b, "network": network, "latency_ms": ms})


def room(
    doc: Doc,
    ident: str,
    site_id: str,
    racks: float = 10,
    *,
    power: float | None = None,
    cost: float = 100_000,
    accreditations: tuple[str, ...] = ("psn",),
    **extra: Any,
) -> None:
    doc["rooms"].append(
        {
            "id": ident,
            "site": site_id,
            "racks": racks,
            "power_kw": racks * 4 if power is None else power,
            "annual_cost": cost,
            "accreditations": list(accreditations),
            **extra,
        }
    )


def workload(
    doc: Doc,
    ident: str,
    room_id: str,
    *,
    racks: float = 1,
    days: float = 5,
    cost: float = 10_000,
    zone: str = "official",
    org: str = "c",
    **extra: Any,
) -> None:
    doc["workloads"].append(
        {
            "id": ident,
            "organisation": org,
            "zone": zone,
            "room": room_id,
            "racks": racks,
            "power_kw": racks * 4,
            "migration_cost": cost,
            "migration_days": days,
            **extra,
        }
    )


def depends(doc: Doc, ident: str, on: str, ms: float) -> None:
    w = next(w for w in doc["workloads"] if w["id"] == ident)
    w.setdefault("depends_on", []).append({"workload": on, "max_latency_ms": ms})


def write(doc: Doc, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "estate.yaml").write_text(
        yaml.safe_dump(json.loads(json.dumps(copy.deepcopy(doc))), sort_keys=False),
        encoding="utf-8",
    )
    return directory


def load(directory: Path) -> Loaded:
    loaded = load_and_validate(directory)
    assert loaded.ok, [p.render() for p in loaded.findings.errors]
    return loaded


def run(
    doc: Doc, directory: Path, options: OptimiseOptions = FAST
) -> tuple[Loaded, OptimiseResult]:
    """Write, load, optimise and check the plan with planner's own checker."""
    loaded = load(write(doc, directory))
    result = optimise(loaded, options)
    report = check_plan(loaded, result.plan)
    assert report.ok, "\n".join(v.render() for v in report.violations)
    return loaded, result


def month(result: OptimiseResult, workload_id: str) -> str | None:
    return next(a["month"] for a in result.plan["assignments"] if a["workload"] == workload_id)


def room_entry(result: OptimiseResult, room_id: str) -> dict[str, Any]:
    return next(r for r in result.plan["rooms"] if r["id"] == room_id)
