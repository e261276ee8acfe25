"""Every plan keeps rule 10 month by month: the bundled estates, generated estates of 1-5
councils over several seeds, and small random estates built here.

Each plan must pass planner's checker (rules 1-10, money, staff) and, a second opinion,
``migration_verify.verify_months``, which recomputes every month's state from plan.json
and the inventory alone (capacity, accreditation, separation, latency, DR sites,
person-days per month, windows, close and open months).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED
from helpers.migration_verify import Latency, horizon_months, verify_months
from helpers.schedule_estates import Doc, load, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.checker import check_plan
from planner.generate import generate
from planner.inventory.items import Inventory
from planner.inventory.load import Loaded
from planner.inventory.validate import load_and_validate
from planner.inventory.write import write_yaml
from planner.optimise import OptimiseOptions, optimise

BundledPlan = Callable[[str], tuple[Loaded, dict[str, Any]]]
QUICK = OptimiseOptions(time_limit_s=3, workers=2, explain_reasons=False)


def explain(loaded: Loaded, plan: dict[str, Any]) -> str:
    return "\n".join(v.render() for v in check_plan(loaded, plan).violations[:20])


def assert_rule_10(loaded: Loaded, plan: dict[str, Any]) -> None:
    """The plan passes the checker and, if feasible, the independent month verifier."""
    report = check_plan(loaded, plan)
    assert report.ok, explain(loaded, plan)
    if plan["solver"]["status"] in ("optimal", "feasible"):
        inv = loaded.inventory
        assert report.checked["months"] == horizon_months(
            inv.estate.start, inv.estate.horizon_years
        )
        problems = verify_months(inv, plan)
        assert problems == [], "\n".join(problems[:20])
    else:
        assert plan["explanation"], "an infeasible plan says why"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_plans_keep_rule_10_every_month(bundled_plan: BundledPlan, name: str) -> None:
    loaded, plan = bundled_plan(name)
    assert plan["solver"]["status"] in ("optimal", "feasible")
    assert plan["solver"]["schedule_status"] in ("optimal", "feasible")
    assert_rule_10(loaded, plan)
    # The plan as written to disk (JSON round trip) checks the same.
    assert check_plan(loaded, json.loads(json.dumps(plan))).ok


@pytest.mark.parametrize(
    ("councils", "seed"),
    [(1, 0), (1, 4), (2, 0), (2, 2), (3, 1), (3, 2), (4, 0), (5, 0), (5, 2)],
)
def test_generated_plans_keep_rule_10_every_month(tmp_path: Path, councils: int, seed: int) -> None:
    directory = tmp_path / "estate"
    write_yaml(generate(councils, seed), directory)
    loaded = load(directory)
    result = optimise(loaded, QUICK)
    assert result.plan["solver"]["status"] in ("optimal", "feasible"), result.plan["explanation"]
    assert_rule_10(loaded, result.plan)


# ------------------------------------------------------------------ small random estates


def random_estate(rng: random.Random) -> Doc:
    """A small estate that is valid today, with tight rooms, dependencies, DR pairs,
    windows, flags and optional police (isolated) and NHS (separated) zones."""
    start = dt.date(rng.randint(2020, 2030), rng.randint(1, 12), rng.choice([1, 15, 28]))
    years = rng.randint(1, 3)
    T = horizon_months(start, years)
    doc: Doc = {
        "estate": {
            "name": "Random estate",
            "start": start.isoformat(),
            "horizon_years": years,
            "discount_rate": rng.choice([0.0, 0.035, 0.1]),
            "migration_days_per_month": rng.choice([10, 15, 20]),
        },
        "networks": [{"id": "psn"}],
        "zones": [{"id": "official", "networks": ["psn"], "requires": ["psn"]}],
        "separate": [],
        "organisations": [],
        "sites": [],
        "links": [],
        "rooms": [],
        "service_desks": [],
        "workloads": [],
    }

    def some_day() -> str:
        total = start.month - 1 + rng.randint(-2, T + 1)
        day = rng.choice([1, 10, 28])
        return dt.date(start.year + total // 12, total % 12 + 1, day).isoformat()

    zones = ["official"]
    if rng.random() < 0.5:
        doc["zones"].append(
            {"id": "police", "networks": ["psn"], "requires": ["pasf"], "isolation": "room"}
        )
        zones.append("police")
    if rng.random() < 0.5:
        doc["zones"].append({"id": "nhs", "networks": ["psn"], "requires": ["dspt"]})
        doc["separate"].append(["nhs", "official"])
        zones.append("nhs")
    requires = {"official": "psn", "police": "pasf", "nhs": "dspt"}

    n_sites = rng.randint(2, 4)
    sites = [f"s{i}" for i in range(n_sites)]
    for i, s in enumerate(sites):
        doc["sites"].append({"id": s, "organisation": "c", "lat": 52.0 + 0.06 * i, "lon": -1.0})
    for a, b in itertools.pairwise(sites):
        doc["links"].append({"a": a, "b": b, "network": "psn", "latency_ms": rng.randint(1, 4)})
    if n_sites > 2 and rng.random() < 0.5:
        doc["links"].append(
            {"a": sites[0], "b": sites[-1], "network": "psn", "latency_ms": rng.randint(1, 6)}
        )
    orgs = ["c"] if rng.random() < 0.5 else ["c", "d"]
    for o in orgs:
        doc["organisations"].append(
            {"id": o, "tickets_per_year": rng.randint(0, 9000), "desk": f"{o}-desk"}
        )

    # Rooms: each existing room hosts one zone today ('home'); accreditations may allow more.
    # One cheap roomy 'hub' room per zone, so that dearer rooms tend to empty into it.
    rooms: list[dict[str, Any]] = [{"home": zone, "hub": True} for zone in zones]
    for _ in range(rng.randint(1, 3)):
        rooms.append({"home": rng.choice(zones) if rng.random() < 0.75 else None})
    for i, r in enumerate(rooms):
        accreditations = {"psn"} if r["home"] is None else {"psn", requires[r["home"]]}
        accreditations |= {a for a in ("pasf", "dspt") if rng.random() < 0.3}
        flag = rng.random()
        r.update(
            {
                "id": f"r{i}",
                "site": rng.choice(sites),
                "annual_cost": rng.choice([0, 20_000] if r.get("hub") else [60_000, 300_000]),
                "closure_cost": rng.choice([0, 10_000, 40_000]),
                "accreditations": sorted(accreditations),
                "ops_fte": rng.choice([0, 0.5, 1, 2]),
                "status": "existing" if r["home"] is not None else "candidate",
            }
        )
        if r["status"] == "candidate":
            r["open_cost"] = rng.choice([0, 20_000])
            r["racks"] = rng.choice([2, 4, 8])
            r["power_kw"] = r["racks"] * 4
        elif flag < 0.15:
            r["close"] = True
        elif flag < 0.3:
            r["keep"] = True
        if r["status"] == "existing" and rng.random() < 0.25:
            r["earliest_close"] = some_day()

    workloads: list[dict[str, Any]] = []
    for i in range(rng.randint(3, 10)):
        home = rng.choice([r for r in rooms if r["home"] is not None])
        racks = rng.choice([0.25, 0.5, 1, 1.5, 2])
        w: dict[str, Any] = {
            "id": f"w{i}",
            "organisation": rng.choice(orgs),
            "zone": home["home"],
            "room": home["id"],
            "racks": racks,
            "power_kw": racks * rng.choice([2, 3, 4]),
            "migration_cost": rng.choice([0, 2_000, 5_000]),
            "migration_days": rng.choice([1, 3, 5, 8, 12, 25]),
        }
        if rng.random() < 0.15:
            w["not_before"] = some_day()
        if rng.random() < 0.15:
            w["not_after"] = some_day()
            if "not_before" in w and w["not_before"] > w["not_after"]:
                w["not_before"], w["not_after"] = w["not_after"], w["not_before"]
        if rng.random() < 0.05:
            w["pinned"] = True
        workloads.append(w)
    doc["workloads"] = workloads
    # Capacity: what is there today plus a little slack (often none).
    for r in rooms:
        if r["status"] == "existing":
            used = [w for w in workloads if w["room"] == r["id"]]
            slack = rng.choice([4, 8, 12] if r.get("hub") else [0, 0.5, 1])
            r["racks"] = sum(w["racks"] for w in used) + slack
            r["power_kw"] = sum(w["power_kw"] for w in used) + 4 * slack
            r["racks"] = max(r["racks"], 0.5)
            r["power_kw"] = max(r["power_kw"], 1)
        del r["home"]
        r.pop("hub", None)
    doc["rooms"] = rooms

    # Users, dependencies and DR pairs that hold today (latency from our own Dijkstra).
    inv = Inventory.model_validate(
        {k: v for k, v in doc.items() if k != "separate"} | {"separate": []}
    )
    lat = Latency(inv)
    site_of = {r["id"]: r["site"] for r in rooms}
    psn = frozenset({"psn"})
    for w in workloads:
        here = site_of[w["room"]]
        if rng.random() < 0.5:
            user = rng.choice(sites)
            d = lat.between(psn, user, here)
            w["users"] = [user]
            w["max_latency_ms"] = d + rng.choice([0, 4, 10, 20])
    for a in workloads:
        for b in workloads:
            if a is b or rng.random() > 0.12:
                continue
            d = lat.between(psn, site_of[a["room"]], site_of[b["room"]])
            if math.isfinite(d):
                a.setdefault("depends_on", []).append(
                    {"workload": b["id"], "max_latency_ms": d + rng.choice([0, 2, 4])}
                )
    for a in workloads:
        for b in workloads:
            if (
                a["id"] < b["id"]
                and site_of[a["room"]] != site_of[b["room"]]
                and rng.random() < 0.1
            ):
                a.setdefault("distinct_site_from", []).append(b["id"])

    for o in doc["organisations"]:
        per_fte = rng.choice([2000, 3000, 4500])
        doc["service_desks"].append(
            {
                "id": o["desk"],
                "site": rng.choice(sites),
                "seats": math.ceil(o["tickets_per_year"] / per_fte) + rng.choice([0, 1, 6]),
                "fixed_cost": rng.choice([0, 20_000, 50_000]),
                "cost_per_fte": 35_000,
                "tickets_per_fte": per_fte,
                "closure_cost": rng.choice([0, 10_000]),
            }
        )
    return doc


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_small_plans_keep_rule_10_every_month(
    seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    doc = random_estate(random.Random(seed))
    directory = write(doc, tmp_path_factory.mktemp("random"))
    loaded = load_and_validate(directory)
    if not loaded.ok:  # a 'close: true' room whose workloads have nowhere else to go
        codes = {p.code for p in loaded.findings.errors}
        assert codes <= {"no-possible-room", "pinned-in-closing-room"}, codes
        for r in doc["rooms"]:
            r.pop("close", None)
        loaded = load(write(doc, directory))
    result = optimise(loaded, QUICK)
    assert_rule_10(loaded, result.plan)


# ------------------------------------------------------------------ the verifier itself


MUTATIONS = [
    ("sql-later", "district-revs and district-sql are 4.0 ms apart"),
    ("sql-later", "civic-mr closes in 2026-05 before its last move out"),
    ("close-early", "civic-mr closes in 2026-04 before its last move out"),
    ("into-records", "room records-mr hosts nhs and official together"),
    ("team-of-ten", "2026-04: 13 person-days > 10"),
    ("window", "district-revs moves in 2026-04 before not_before 2026-06-01"),
    ("earliest-close", "civic-mr closes in 2026-05, not after 2026-05-01"),
]


@pytest.mark.parametrize(("mutation", "problem"), MUTATIONS)
def test_the_month_verifier_is_not_blind(
    bundled_plan: BundledPlan, mutation: str, problem: str
) -> None:
    """Each corruption of tiny's plan (or estate) is reported by verify_months."""
    loaded, original = bundled_plan("tiny")
    plan = json.loads(json.dumps(original))
    inv = loaded.inventory
    by_id = {a["workload"]: a for a in plan["assignments"]}
    civic = next(r for r in plan["rooms"] if r["id"] == "civic-mr")
    if mutation == "sql-later":
        by_id["district-sql"]["month"] = "2026-06"
        plan["waves"] = [
            {"month": "2026-04", "workloads": ["district-revs"]},
            {"month": "2026-06", "workloads": ["district-sql"]},
        ]
    elif mutation == "close-early":
        civic["close_month"] = "2026-04"
    elif mutation == "into-records":
        by_id["district-revs"]["to"] = "records-mr"
    else:  # change the estate, not the plan (a fresh model: no cached lookups)
        data = inv.model_dump()
        if mutation == "team-of-ten":
            data["estate"]["migration_days_per_month"] = 10
        elif mutation == "window":
            w = next(w for w in data["workloads"] if w["id"] == "district-revs")
            w["not_before"] = dt.date(2026, 6, 1)
        elif mutation == "earliest-close":
            r = next(r for r in data["rooms"] if r["id"] == "civic-mr")
            r["earliest_close"] = dt.date(2026, 5, 1)
        inv = Inventory.model_validate(data)
    problems = verify_months(inv, plan)
    assert any(problem in p for p in problems), problems
