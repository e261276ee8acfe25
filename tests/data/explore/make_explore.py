"""Write the hand-made explore.json fixtures under tests/data/explore/ (run from anywhere).

The figures are chosen by hand (Worcestershire's from inventories/worcestershire/README.md:
objective about GBP 4.275m against 5.337m, one-off GBP 708,500, net savings GBP 645,167);
the risk samples are drawn here, seeded, so that the percentiles and shares in each file
agree with its samples. It does not import planner: the fixtures must not depend on the
explorer.

    python tests/data/explore/make_explore.py

- ``worcestershire.json``  all four analyses (and the desks curve), every risk sample
  (``risk.values``), the plan's own figures (``risk.plan``) and allocated shares.
- ``prices-only.json``     the rule prices alone, run on an existing Dask cluster.
- ``failed.json``          three tasks failed; risk from percentiles only (a box).
- ``shapley-sampled.json`` 14 partners: Shapley values sampled, with standard errors;
  a Pareto curve that falls to its knee, with a point not proven best.
- ``bounds.json``          prices that are bounds (at least, at most, unknown) and solves
  without a rule that are feasible, infeasible or unknown.
- ``hostile.json``         markup, script and URL-like text in every name.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
J = dict[str, Any]
SHA = "9f1c2b7e5d3a4c6b8e0f1a2d3c4b5a6978e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5"


def percentile(xs: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    s = sorted(xs)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return round(s[lo] + (s[hi] - s[lo]) * (pos - lo), 2)


def pct(xs: list[float]) -> J:
    return {
        "p10": percentile(xs, 0.1),
        "p50": percentile(xs, 0.5),
        "p90": percentile(xs, 0.9),
        "mean": round(sum(xs) / len(xs), 2),
    }


def mi(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def ms(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def month_pct(months: list[int | None], q: float) -> str | None:
    """The month by which a share q of the samples have paid back (None: not within the
    horizon)."""
    s = sorted(months, key=lambda m: float("inf") if m is None else m)
    m = s[min(len(s) - 1, int(q * len(s)))]
    return None if m is None else ms(m)


def tri(rng: random.Random, low: float, mode: float, high: float) -> float:
    return rng.triangular(low, high, mode)


def risk_section(
    rng: random.Random,
    *,
    samples: int,
    plan_one_off: float,
    plan_net: float,
    moves_cost: float,
    payback: str,
    horizon_end: str,
    monthly_saving: float,
    with_values: bool = True,
) -> J:
    """Sampled net savings, one-off cost and payback month around the plan's figures
    (the spec's default ranges, correlation 0.5)."""
    running = plan_net + plan_one_off
    nets, one_offs, paybacks = [], [], []
    for _ in range(samples):
        common = tri(rng, 0.9, 1.1, 3.0)
        own = sum(tri(rng, 0.9, 1.1, 3.0) for _ in range(20)) / 20
        move = 0.8 * common + 0.2 * own
        close = 0.5 * tri(rng, 0.9, 1.0, 1.5) + 0.5 * tri(rng, 0.9, 1.0, 1.5)
        annual = tri(rng, 0.97, 1.0, 1.05)
        delay = max(0, round((tri(rng, 0.9, 1.1, 1.54) - 1.0) * 10))
        one_off = moves_cost * move + (plan_one_off - moves_cost) * close
        saved = running * (1 + (1 - annual) * 2) - delay * monthly_saving
        nets.append(round(saved - one_off, 2))
        one_offs.append(round(one_off, 2))
        back = mi(payback) + delay + round((one_off - plan_one_off) / monthly_saving)
        paybacks.append(back if back <= mi(horizon_end) else None)
    out: J = {
        "samples": samples,
        "seed": 0,
        "net_savings": pct(nets),
        "one_off": pct(one_offs),
        "payback_month": {"p50": month_pct(paybacks, 0.5), "p90": month_pct(paybacks, 0.9)},
        "p_net_negative": sum(1 for x in nets if x < 0) / samples,
        "p_one_off_over_plan": sum(1 for x in one_offs if x > plan_one_off) / samples,
        "plan": {"net_savings": plan_net, "one_off": plan_one_off},
    }
    if with_values:
        out["values"] = {"net_savings": nets, "one_off": one_offs}
    return out


def price(
    rule: str,
    kind: str,
    subject: list[str],
    objective: float,
    without: float | None,
    status: str = "optimal",
    price_is: str = "exact",
) -> J:
    return {
        "rule": rule,
        "kind": kind,
        "subject": subject,
        "objective_without": without,
        "price": None if without is None else round(objective - without, 2),
        "status": status,
        "price_is": price_is,
    }


def worcestershire() -> J:
    obj, base = 4275391.33, 5337000.0
    prices = [
        price("DR copies at least 15 km apart", "dr_min_distance", [], obj, 4237180.50),
        price("earliest close guildhall-mr", "earliest_close", ["guildhall-mr"], obj, 4234155.12),
        price("earliest close pershore-mr", "earliest_close", ["pershore-mr"], obj, 4247877.40),
        price("earliest close malvern-mr", "earliest_close", ["malvern-mr"], obj, 4252520.05),
        price("dependency latencies", "dependency_latency", [], obj, 4263087.21),
        price("pinned wcc-erp-db-dr", "pinned", ["wcc-erp-db-dr"], obj, 4269211.33),
        price("pinned wcc-psn-gateway", "pinned", ["wcc-psn-gateway"], obj, obj),
        price("official requires psn", "requires", ["official"], obj, obj),
        price("user latencies", "user_latency", [], obj, obj),
    ]
    two = ["county-hall-dc", "kidderminster-dr"]
    pareto = [{"max_rooms": 1, "objective": None, "status": "infeasible", "rooms_open": []}]
    pareto += [
        {"max_rooms": k, "objective": obj, "status": "optimal", "rooms_open": two, "knee": k == 2}
        for k in range(2, 6)
    ]
    desks = [
        {
            "max_desks": k,
            "objective": obj,
            "status": "optimal",
            "desks_open": ["wcc-desk"],
            "knee": k == 1,
        }
        for k in range(1, 5)
    ]
    risk = risk_section(
        random.Random(0),
        samples=200,
        plan_one_off=708500.0,
        plan_net=645167.0,
        moves_cost=580000.0,
        payback="2013-08",
        horizon_end="2015-03",
        monthly_saving=32500.0,
    )
    total = round(base - obj, 2)
    shapley_values = [
        ("worcs-cc", "Worcestershire County Council", 401250.0, 617610.0),
        ("worcester", "Worcester City Council", 262418.0, 51308.0),
        ("wychavon", "Wychavon District Council", 214377.0, 20165.0),
    ]
    last = round(total - sum(v for _, _, v, _ in shapley_values), 2)
    shapley_values.append(("malvern-hills", "Malvern Hills District Council", last, -43916.0))
    return {
        "format": "planner-explore/1",
        "estate": "Worcestershire shared ICT",
        "inventory_sha256": SHA,
        "engine": {"kind": "local", "scheduler": None, "workers": 4, "tasks": 233},
        "objective": obj,
        "baseline_objective": base,
        "prices": prices,
        "pareto": pareto,
        "pareto_desks": desks,
        "risk": risk,
        "shapley": {
            "method": "exact",
            "samples": None,
            "values": [
                {"organisation": o, "name": n, "value": v, "allocated": a}
                for o, n, v, a in shapley_values
            ],
            "total": total,
        },
        "failed": [],
    }


def prices_only() -> J:
    obj, base = 2861204.75, 3410950.0
    prices = [
        price("separate nhs/official", "separate", ["nhs", "official"], obj, 2686813.42),
        price("isolation police", "isolation", ["police"], obj, 2790422.10),
        price("keep riverside-dc", "keep", ["riverside-dc"], obj, 2835000.00),
        price("close old-mill", "close", ["old-mill"], obj, obj),
        price("at most 3 rooms (--max-rooms)", "max_rooms", [], obj, 2820310.66),
        price("at most 2 desks (--max-desks)", "max_desks", [], obj, obj),
        price("pinned nhs-pas", "pinned", ["nhs-pas"], obj, 2849990.00),
        price("user latencies", "user_latency", [], obj, obj),
        price("dependency latencies", "dependency_latency", [], obj, 2857204.75),
    ]
    return {
        "format": "planner-explore/1",
        "estate": "Severnvale shared ICT",
        "inventory_sha256": "5e1c0a9f" * 8,  # tests/data/plans/severnvale's inventory
        "engine": {
            "kind": "dask",
            "scheduler": "tcp://10.20.0.5:8786",
            "workers": 16,
            "tasks": len(prices),
        },
        "objective": obj,
        "baseline_objective": base,
        "prices": prices,
        "failed": [],
    }


def failed() -> J:
    obj, base = 6120455.0, 7240100.0
    prices = [
        price("separate police/official", "separate", ["police", "official"], obj, 5980455.0),
        price("earliest close shire-hall", "earliest_close", ["shire-hall"], obj, 6071000.0),
        price("user latencies", "user_latency", [], obj, obj),
    ]
    pareto = [
        {
            "max_rooms": 2,
            "objective": 6388120.0,
            "status": "optimal",
            "rooms_open": ["shire-hall", "march-dr"],
        },
        {
            "max_rooms": 3,
            "objective": obj,
            "status": "optimal",
            "rooms_open": ["shire-hall", "march-dr", "ely-mr"],
            "knee": True,
        },
        {
            "max_rooms": 5,
            "objective": obj,
            "status": "optimal",
            "rooms_open": ["shire-hall", "march-dr", "ely-mr"],
        },
    ]
    risk = risk_section(
        random.Random(1),
        samples=199,
        plan_one_off=910000.0,
        plan_net=1210000.0,
        moves_cost=760000.0,
        payback="2027-02",
        horizon_end="2030-03",
        monthly_saving=45000.0,
        with_values=False,
    )
    return {
        "format": "planner-explore/1",
        "estate": "Cambridgeshire shared ICT",
        "inventory_sha256": SHA,
        "engine": {"kind": "local", "scheduler": None, "workers": 2, "tasks": 209},
        "objective": obj,
        "baseline_objective": base,
        "prices": prices,
        "pareto": pareto,
        "risk": risk,
        "failed": [
            {"key": "price:pinned:cc-erp-db", "error": "TimeoutError: no answer in 600 s"},
            {
                "key": "pareto:rooms:4",
                "error": "KilledWorker: worker tcp://127.0.0.1:40113 died twice (out of memory)",
            },
            {"key": "risk:57", "error": "ValueError: migration_days multiplier below 0"},
        ],
    }


def shapley_sampled() -> J:
    rng = random.Random(7)
    obj, base = 18350220.0, 22905640.0
    total = round(base - obj, 2)
    names = [
        ("birmingham", "Birmingham City Council"),
        ("coventry", "Coventry City Council"),
        ("dudley", "Dudley MBC"),
        ("sandwell", "Sandwell MBC"),
        ("solihull", "Solihull MBC"),
        ("walsall", "Walsall Council"),
        ("wolverhampton", "City of Wolverhampton Council"),
        ("wmp", "West Midlands Police"),
        ("wmfs", "West Midlands Fire Service"),
        ("tfwm", "Transport for West Midlands"),
        ("bsol-icb", "Birmingham and Solihull ICB"),
        ("bc-icb", "Black Country ICB"),
        ("uhb", "University Hospitals Birmingham"),
        ("wmca", "West Midlands Combined Authority"),
    ]
    weights = [rng.uniform(0.3, 3.0) for _ in names]
    weights[9] = -0.15  # a partner whose joining costs the others a little
    s = sum(weights)
    values = [round(total * w / s, 2) for w in weights]
    values[0] = round(total - sum(values[1:]), 2)
    pareto = []
    objectives = [21950000.0, 19880400.0, 18911000.0, 18350220.0, 18350220.0, 18350220.0]
    for k, o in zip(range(3, 9), objectives, strict=True):
        pareto.append(
            {
                "max_rooms": k,
                "objective": o,
                "status": "feasible" if k == 4 else "optimal",
                "rooms_open": [f"room-{i}" for i in range(1, min(k, 6) + 1)],
                "knee": k == 6,
            }
        )
    return {
        "format": "planner-explore/1",
        "estate": "West Midlands shared ICT",
        "inventory_sha256": SHA,
        "engine": {
            "kind": "dask",
            "scheduler": "tcp://scheduler.internal:8786",
            "workers": 64,
            "tasks": 14006,
        },
        "objective": obj,
        "baseline_objective": base,
        "pareto": pareto,
        "shapley": {
            "method": "sampled",
            "samples": 1000,
            "values": [
                {
                    "organisation": o,
                    "name": n,
                    "value": v,
                    "standard_error": round(abs(total) * rng.uniform(0.004, 0.012), 2),
                    "allocated": round(v * rng.uniform(0.7, 1.3), 2),
                }
                for (o, n), v in zip(names, values, strict=True)
            ],
            "total": total,
        },
        "failed": [],
    }


def bounds() -> J:
    obj, base = 3120000.0, 3800000.0
    prices = [
        price(
            "separate nhs/official",
            "separate",
            ["nhs", "official"],
            obj,
            2950000.0,
            status="feasible",
            price_is="at_least",
        ),
        price("keep county-dc", "keep", ["county-dc"], obj, 3050000.0),
        price(
            "earliest close town-hall",
            "earliest_close",
            ["town-hall"],
            obj,
            3095000.0,
            status="optimal",
            price_is="at_most",
        ),
        price(
            "isolation nhs",
            "isolation",
            ["nhs"],
            obj,
            3100000.0,
            status="feasible",
            price_is="unknown",
        ),
        price(
            "pinned gp-records",
            "pinned",
            ["gp-records"],
            obj,
            None,
            status="infeasible",
            price_is="unknown",
        ),
        price(
            "DR copies at least 20 km apart",
            "dr_min_distance",
            [],
            obj,
            None,
            status="unknown",
            price_is="unknown",
        ),
        price(
            "close annex-mr",
            "close",
            ["annex-mr"],
            obj,
            3120000.0,
            status="feasible",
            price_is="at_least",
        ),
        price("user latencies", "user_latency", [], obj, obj, status="optimal", price_is="at_most"),
    ]
    pareto = [
        {"max_rooms": 1, "objective": None, "status": "infeasible"},
        {"max_rooms": 2, "objective": None, "status": "unknown"},
        {
            "max_rooms": 3,
            "objective": 3190000.0,
            "status": "feasible",
            "rooms_open": ["a", "b", "c"],
        },
        {
            "max_rooms": 4,
            "objective": obj,
            "status": "optimal",
            "rooms_open": ["a", "b", "c", "d"],
            "knee": True,
        },
    ]
    return {
        "format": "planner-explore/1",
        "estate": "Wessex health and care ICT",
        "inventory_sha256": SHA,
        "engine": {"kind": "local", "scheduler": None, "workers": 8, "tasks": 12},
        "objective": obj,
        "baseline_objective": base,
        "prices": prices,
        "pareto": pareto,
        "failed": [],
    }


def hostile() -> J:
    doc = worcestershire()
    doc["estate"] = "<script>alert(1)</script> & \"Severn\" 'vale'"
    doc["engine"] = {
        "kind": "dask",
        "scheduler": "tcp://<b>evil</b>:8786",
        "workers": 2,
        "tasks": 233,
    }
    doc["prices"][0]["rule"] = "separate <img src=x onerror=alert(2)>/official"
    doc["prices"][0]["subject"] = ["<i>nhs</i>", "official"]
    doc["pareto"][1]["rooms_open"] = ["colo\"hall'<i>", "kidderminster-dr"]
    doc["shapley"]["values"][0]["organisation"] = "<b>worcs-cc</b>"
    doc["shapley"]["values"][0]["name"] = "</svg><script>alert(3)</script>"
    doc["failed"] = [
        {"key": "price:<script>x</script>", "error": "see https://evil.example/<a href=x>"}
    ]
    return doc


def main() -> None:
    for name, make in (
        ("worcestershire", worcestershire),
        ("prices-only", prices_only),
        ("failed", failed),
        ("shapley-sampled", shapley_sampled),
        ("bounds", bounds),
        ("hostile", hostile),
    ):
        doc = make()
        (HERE / f"{name}.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {HERE / (name + '.json')}")


if __name__ == "__main__":
    main()
