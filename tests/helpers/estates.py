"""Small estates built in code for the optimiser's tests, and helpers to run them.

An estate is a plain dict shaped like one ``estate.yaml`` (``doc``); the item
builders below fill in every required field with round, harmless defaults so a
test states only what matters to it. :func:`write` dumps the dict with
``yaml.safe_dump``; :func:`load` reads it back through the loader and the
validator and fails the test on any error, so every estate a test uses is valid
today (as planner optimise would demand).

The default estate (:func:`base`) has one zone ``official`` on network ``psn``,
one council ``c`` with one desk ``c-desk`` and three sites ``a``, ``b``, ``d``
in a line (``a``-``b`` 2 ms, ``b``-``d`` 2 ms, about 11 km apart each), no
rooms and no workloads. Discount rate 0 and a one-year horizon make the annuity
factor A = 1, so an objective is one-off + steady cost, easy to add up by hand.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from planner.checker import CheckReport, check_plan
from planner.inventory.load import Loaded
from planner.inventory.validate import load_and_validate
from planner.optimise import OptimiseOptions, OptimiseResult, optimise

Doc = dict[str, Any]


def site(ident: str, org: str, lat: float, lon: float = -1.5) -> dict[str, Any]:
    return {"id": ident, "organisation": org, "lat": lat, "lon": lon}


def link(a: str, b: str, ms: float, network: str = "psn") -> dict[str, Any]:
    return {"a": a, "b": b, "network": network, "latency_ms": ms}


def room(ident: str, site_id: str, **fields: Any) -> dict[str, Any]:
    """A room: 10 racks, 40 kW, GBP 100,000 a year, no accreditation unless given."""
    out: dict[str, Any] = {
        "id": ident,
        "site": site_id,
        "racks": 10,
        "power_kw": 40,
        "annual_cost": 100_000,
    }
    out.update(fields)
    return out


def workload(ident: str, room_id: str, org: str = "c", **fields: Any) -> dict[str, Any]:
    """A workload of zone official: 1 rack, 4 kW, GBP 1,000 and 1 person-day to move."""
    out: dict[str, Any] = {
        "id": ident,
        "organisation": org,
        "zone": "official",
        "room": room_id,
        "racks": 1,
        "power_kw": 4,
        "migration_cost": 1_000,
        "migration_days": 1,
    }
    out.update(fields)
    return out


def org(ident: str, desk: str, tickets: int = 1_000, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "kind": "district",
        "tickets_per_year": tickets,
        "desk": desk,
    }
    out.update(fields)
    return out


def desk(ident: str, site_id: str, **fields: Any) -> dict[str, Any]:
    """A desk: 5 seats, GBP 10,000 a year + 30,000 per FTE, 1,000 tickets per FTE."""
    out: dict[str, Any] = {
        "id": ident,
        "site": site_id,
        "seats": 5,
        "fixed_cost": 10_000,
        "cost_per_fte": 30_000,
        "tickets_per_fte": 1_000,
    }
    out.update(fields)
    return out


def base(**estate: Any) -> Doc:
    """The default estate of the module docstring (no rooms, no workloads yet)."""
    block: dict[str, Any] = {
        "name": "Test estate",
        "start": "2027-04-01",
        "horizon_years": 1,
        "discount_rate": 0.0,
        "migration_days_per_month": 40,
    }
    block.update(estate)
    return {
        "estate": block,
        "networks": [{"id": "psn"}, {"id": "hscn"}, {"id": "psnp"}],
        "zones": [{"id": "official", "networks": ["psn"]}],
        "separate": [],
        "organisations": [org("c", "c-desk", kind="county")],
        "sites": [site("a", "c", 52.0), site("b", "c", 52.1), site("d", "c", 52.2)],
        "links": [link("a", "b", 2), link("b", "d", 2)],
        "rooms": [],
        "service_desks": [desk("c-desk", "a")],
        "workloads": [],
    }


def find(doc: Doc, section: str, ident: str) -> dict[str, Any]:
    """The item ``ident`` of ``section`` (to change one field of a copy)."""
    for entry in doc[section]:
        if entry.get("id") == ident:
            return entry
    raise KeyError(f"{section} has no {ident}")


def variant(doc: Doc, section: str, ident: str, **fields: Any) -> Doc:
    """A deep copy of ``doc`` with fields of one item changed (None removes a field)."""
    out = copy.deepcopy(doc)
    entry = find(out, section, ident)
    for key, value in fields.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return out


def write(doc: Doc, directory: Path) -> Path:
    """Write ``doc`` as ``directory/estate.yaml`` (replacing it) and return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    clean = {k: v for k, v in doc.items() if v != [] or k == "estate"}
    (directory / "estate.yaml").write_text(
        yaml.safe_dump(json.loads(json.dumps(clean)), sort_keys=False), encoding="utf-8"
    )
    return directory


def load(directory: Path) -> Loaded:
    """Load and validate; fail the test if the estate has an error."""
    loaded = load_and_validate(directory)
    errors = [p.render() for p in loaded.findings.errors]
    assert not errors, errors
    return loaded


def run(
    doc: Doc,
    directory: Path,
    *,
    max_rooms: int | None = None,
    max_desks: int | None = None,
    time_limit_s: float = 20.0,
    reasons: bool = False,
) -> tuple[Loaded, OptimiseResult]:
    """Write, load and optimise ``doc`` in process (one worker, deterministic)."""
    loaded = load(write(doc, directory))
    options = OptimiseOptions(
        max_rooms=max_rooms,
        max_desks=max_desks,
        time_limit_s=time_limit_s,
        workers=1,
        seed=0,
        explain_reasons=reasons,
    )
    return loaded, optimise(loaded, options)


def checked(loaded: Loaded, plan: dict[str, Any]) -> CheckReport:
    """The independent checker's report; fails the test with every violation listed."""
    report = check_plan(loaded, plan)
    assert report.ok, [v.render() for v in report.violations]
    return report


# ----------------------------------------------------------------- reading plans


def room_of(plan: dict[str, Any]) -> dict[str, str]:
    """workload -> room in the target estate."""
    return {a["workload"]: a["to"] for a in plan["assignments"]}


def decisions(plan: dict[str, Any]) -> dict[str, str]:
    """room -> keep|close|open|unused."""
    return {r["id"]: r["decision"] for r in plan["rooms"]}


def open_rooms(plan: dict[str, Any]) -> set[str]:
    return {r["id"] for r in plan["rooms"] if r["decision"] in ("keep", "open")}


def desk_of(plan: dict[str, Any]) -> dict[str, str]:
    return {d["organisation"]: d["desk"] for d in plan["desk_assignments"]}


def open_desks(plan: dict[str, Any]) -> set[str]:
    return {d["id"] for d in plan["desks"] if d["decision"] == "keep"}


def objective(plan: dict[str, Any]) -> float:
    value = plan["solver"]["objective"]
    assert isinstance(value, float | int), plan["solver"]
    return float(value)
