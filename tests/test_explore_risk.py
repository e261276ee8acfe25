"""planner explore --risk (spec/explore.md "Risk"): the uncertainty block, the draws and the
re-costed plan, with answers known beforehand.

Known answers: with no spread every sample is the plan itself (P10 = P50 = P90 = the
plan's figures, to the penny); a migration cost multiplier of exactly 2 doubles the
one-off's moves and nothing else; correlation 1 gives every item of a kind the same
multiplier; slower moves are dated again and still keep rule 10.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

from planner.cli import app
from planner.explore.risk import (
    PlanMonths,
    risk_tasks,
    sample_schedule,
    sampled_inventory,
    summarise_risk,
    uncertainty_of,
)
from planner.explore.sampling import FACTORS, draw, triangular_ppf
from planner.explorefile import Risk
from planner.inventory.graph import EstateGraph
from planner.inventory.items import Inventory, Triangle, Uncertainty
from planner.inventory.load import Loaded
from planner.inventory.months import Calendar
from planner.inventory.schema import file_schema
from planner.inventory.validate import load_and_validate
from planner.inventory.write import UnrepresentableError, write_csv, write_yaml
from planner.optimise import OptimiseOptions, optimise
from planner.schedule import Schedule
from planner.schedule.greedy import violations
from planner.schedule.migration import build_migration
from planner.schedule.pairs import order_rules
from planner.target import LimitOptions, Target, build_problem, target_of

ONE = Triangle(low=1, mode=1, high=1)


def fixed(**kinds: float) -> Uncertainty:
    """No spread: every kind's multiplier exactly 1, or the value given."""
    t = {k: Triangle(low=v, mode=v, high=v) for k, v in kinds.items()}
    return Uncertainty(**{k: t.get(k, ONE) for k in FACTORS}, correlation=0.3)


class Planned:
    """An estate, its plan (plan.json's document), target and schedule."""

    def __init__(self, loaded: Loaded) -> None:
        assert loaded.ok, [p.render() for p in loaded.findings.errors]
        options = OptimiseOptions(time_limit_s=10, workers=1, explain_reasons=False)
        result = optimise(loaded, options)
        assert result.feasible
        assert result.schedule is not None
        assert result.outcome.solution is not None
        inv = loaded.inventory
        ep = build_problem(inv, EstateGraph(inv), LimitOptions())
        self.inv: Inventory = inv
        self.plan: dict[str, Any] = result.plan
        self.schedule: Schedule = result.schedule
        self.target: Target = target_of(ep, result.outcome.solution)

    def with_uncertainty(self, u: Uncertainty | None) -> Inventory:
        return self.inv.model_copy(update={"uncertainty": u})

    def run(self, u: Uncertainty | None, n: int, seed: int = 0) -> dict[str, dict[str, Any]]:
        inv = self.with_uncertainty(u)
        return {t.key: t.run(inv) for t in risk_tasks(self.target, self.schedule, n, seed)}


@pytest.fixture(scope="module")
def tiny() -> Planned:
    return Planned(load_and_validate(ROOT / "inventories" / "tiny"))


@pytest.fixture(scope="module")
def cambs() -> Planned:
    """37 moves filling most months' person-days: slower moves must be dated again."""
    return Planned(load_and_validate(ROOT / "inventories" / "cambridgeshire"))


# ------------------------------------------------------------------ the uncertainty block


def test_defaults_are_the_green_book_figures() -> None:
    u = Uncertainty()
    assert u.model_dump() == {
        "migration_cost": {"low": 0.9, "mode": 1.1, "high": 3.0},
        "migration_days": {"low": 0.9, "mode": 1.1, "high": 1.54},
        "closure_cost": {"low": 0.9, "mode": 1.0, "high": 1.5},
        "annual_cost": {"low": 0.97, "mode": 1.0, "high": 1.05},
        "correlation": 0.5,
    }
    assert uncertainty_of(load_and_validate(ROOT / "inventories" / "tiny").inventory) == u


def estate_with(tmp_path: Path, text: str, name: str = "risk.yaml") -> Path:
    """inventories/tiny with one more YAML file."""
    estate = tmp_path / "estate"
    if not estate.exists():
        shutil.copytree(ROOT / "inventories" / "tiny", estate)
    (estate / name).write_text(text, encoding="utf-8")
    return estate


def test_block_parses_from_yaml_with_defaults(tmp_path: Path) -> None:
    estate = estate_with(
        tmp_path,
        "uncertainty:\n  migration_cost: {low: 1, mode: 1.2, high: 2}\n  correlation: 0.8\n",
    )
    loaded = load_and_validate(estate)
    assert loaded.ok, [p.render() for p in loaded.findings.errors]
    u = loaded.inventory.uncertainty
    assert u == Uncertainty(
        migration_cost=Triangle(low=1, mode=1.2, high=2), correlation=0.8
    )  # the kinds left out keep the Green Book defaults
    assert u is not None
    assert u.migration_days == Uncertainty().migration_days


@pytest.mark.parametrize(
    ("text", "line", "field", "needle"),
    [
        ("uncertainty:\n  correlation: 1.5\n", 2, "correlation", "less than or equal to 1"),
        ("uncertainty:\n  correlation: -0.1\n", 2, "correlation", "greater than or equal to 0"),
        (
            "uncertainty:\n  correlation: 0.5\n  migration_cost: {low: 0.9, mode: 0.8, high: 3}\n",
            3,
            "migration_cost.mode",
            "below low",
        ),
        (
            "uncertainty:\n  closure_cost:\n    low: 1\n    mode: 1.2\n    high: 1.1\n",
            5,
            "closure_cost.high",
            "below mode",
        ),
        ("uncertainty:\n  annual_cost: {low: 0, mode: 1, high: 1}\n", 2, "annual_cost.low", "0"),
        ("uncertainty:\n  annual_cost: {low: 1, mode: 1, high: 11}\n", 2, "annual_cost.high", "10"),
        ("uncertainty:\n  annual_cost: {low: 1, high: 2}\n", 2, "annual_cost.mode", "missing"),
        ("uncertainty:\n  annual_cost: {low: 1, mode: .nan, high: 2}\n", 2, "annual_cost.mode", ""),
        (
            "uncertainty:\n  annual_cost: {low: 1, mode: 1, high: 2, sd: 1}\n",
            2,
            "annual_cost.sd",
            "",
        ),
        ("uncertainty:\n\n  spread: 2\n", 3, "spread", "unknown field"),
        ("uncertainty: [1, 2]\n", 1, None, "must be a mapping"),
        ("uncertainty:\n", 1, None, "must be a mapping"),
    ],
)
def test_bad_values_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, needle: str
) -> None:
    loaded = load_and_validate(estate_with(tmp_path, text))
    errors = loaded.findings.errors
    assert len(errors) == 1, [p.render() for p in errors]
    e = errors[0]
    assert (e.where.file, e.where.line, e.section, e.field) == (
        "risk.yaml",
        line,
        "uncertainty",
        field,
    )
    assert needle in e.message
    assert f"risk.yaml:{line}: error: uncertainty" in e.render()


def test_validate_exits_2_and_a_second_block_is_an_error(tmp_path: Path) -> None:
    estate = estate_with(tmp_path, "uncertainty:\n  correlation: 0.2\n")
    result = CliRunner().invoke(app, ["validate", str(estate)])
    assert result.exit_code == 0, result.output
    estate_with(tmp_path, "# again\nuncertainty:\n  correlation: 0.3\n", "risk2.yaml")
    result = CliRunner().invoke(app, ["validate", str(estate)])
    assert result.exit_code == 2, result.output
    (e,) = load_and_validate(estate).findings.errors
    assert (e.code, e.where.file, e.where.line) == ("duplicate-uncertainty", "risk2.yaml", 3)
    assert "risk.yaml:2" in e.message


def test_the_schema_describes_the_block() -> None:
    import jsonschema

    schema = file_schema()
    assert schema["properties"]["uncertainty"]["$ref"] == "#/$defs/Uncertainty"
    for name in ("Uncertainty", "Triangle"):
        definition = schema["$defs"][name]
        assert definition["additionalProperties"] is False
        assert all(p.get("description") for p in definition["properties"].values())
    validator = jsonschema.Draft202012Validator(schema)
    good = {"uncertainty": {"migration_days": {"low": 1, "mode": 1.2, "high": 1.54}}}
    assert list(validator.iter_errors(good)) == []
    for bad in (
        {"uncertainty": {"correlation": 2}},
        {"uncertainty": {"annual_cost": {"low": 0, "mode": 1, "high": 1}}},
        {"uncertainty": {"annual_cost": {"low": 1, "high": 1}}},
        {"uncertainty": None},
    ):
        assert list(validator.iter_errors(bad)), bad


def test_every_field_is_documented() -> None:
    text = (ROOT / "docs" / "inventory-format.md").read_text()
    match = re.search(r"^## uncertainty\n(.*?)(?=^## )", text, re.M | re.S)
    assert match, "docs/inventory-format.md has no '## uncertainty' section"
    for model in (Uncertainty, Triangle):
        for name in model.model_fields:
            assert re.search(rf"^\| `{name}` \|", match.group(1), re.M), name


def test_written_yaml_loads_back_and_tables_refuse_it(tmp_path: Path) -> None:
    inv = load_and_validate(ROOT / "inventories" / "tiny").inventory
    u = Uncertainty(closure_cost=Triangle(low=0.95, mode=1.25, high=2.125), correlation=0.25)
    inv = inv.model_copy(update={"uncertainty": u})
    for split in ("single", "organisation"):
        out = tmp_path / split
        write_yaml(inv, out, split)
        back = load_and_validate(out)
        assert back.ok
        assert back.inventory.uncertainty == u
    doc = yaml.safe_load((tmp_path / "single" / "estate.yaml").read_text())
    assert doc["uncertainty"]["closure_cost"] == {"low": 0.95, "mode": 1.25, "high": 2.125}
    with pytest.raises(UnrepresentableError, match="uncertainty"):
        write_csv(inv, tmp_path / "csv")


# ------------------------------------------------------------------ the draws


def test_triangular_inverse_cdf_known_points() -> None:
    t = Triangle(low=0.9, mode=1.1, high=3.0)
    f_mode = (1.1 - 0.9) / (3.0 - 0.9)
    u = np.array([0.0, f_mode, 1.0])
    assert triangular_ppf(u, t) == pytest.approx([0.9, 1.1, 3.0])
    # F^-1 inverts F: F(x) = (x - a)^2 / ((b - a)(c - a)) left of the mode.
    x = float(triangular_ppf(np.array([0.05]), t)[0])
    assert (x - 0.9) ** 2 / (2.1 * 0.2) == pytest.approx(0.05)
    many = triangular_ppf(np.random.default_rng(1).random(200_000), t)
    assert many.mean() == pytest.approx((0.9 + 1.1 + 3.0) / 3, abs=0.01)
    assert triangular_ppf(np.array([0.3, 0.7]), ONE).tolist() == [1.0, 1.0]


def test_draws_are_reproducible_and_within_range(tiny: Planned) -> None:
    u = Uncertainty()
    a, b = draw(tiny.inv, u, 7, 3), draw(tiny.inv, u, 7, 3)
    assert a == b
    assert draw(tiny.inv, u, 8, 3) != a
    assert draw(tiny.inv, u, 7, 4) != a
    assert set(a.migration_cost) == {w.id for w in tiny.inv.workloads}
    assert set(a.room_annual) == {r.id for r in tiny.inv.rooms}
    assert set(a.desk_closure) == {d.id for d in tiny.inv.service_desks}
    for values, t in (
        (a.migration_cost, u.migration_cost),
        (a.migration_days, u.migration_days),
        (a.room_closure | a.desk_closure, u.closure_cost),
        (a.room_annual | a.desk_annual, u.annual_cost),
    ):
        assert all(t.low <= v <= t.high for v in values.values())


def test_correlation_one_gives_every_item_of_a_kind_one_multiplier(cambs: Planned) -> None:
    u = Uncertainty(correlation=1)
    for i in range(5):
        d = draw(cambs.inv, u, 0, i)
        for kind in (
            d.migration_cost,
            d.migration_days,
            d.room_closure | d.desk_closure,
            d.room_annual | d.desk_annual,
        ):
            assert len(set(kind.values())) == 1
    apart = draw(cambs.inv, Uncertainty(correlation=0), 0, 0)
    assert len(set(apart.migration_cost.values())) == len(cambs.inv.workloads)


def test_correlation_is_the_share_of_the_draw_in_common(tiny: Planned) -> None:
    """Two items' multipliers over many samples: their rank correlation is that of a
    Gaussian copula with correlation c, (6 / pi) asin(c / 2)."""
    c = 0.5
    u = Uncertainty(correlation=c)
    pairs = [draw(tiny.inv, u, 0, i).migration_cost for i in range(3000)]
    x = np.array([p["district-revs"] for p in pairs])
    y = np.array([p["care-db"] for p in pairs])
    rank = np.corrcoef(x.argsort().argsort(), y.argsort().argsort())[0, 1]
    assert rank == pytest.approx(6 / math.pi * math.asin(c / 2), abs=0.05)


def test_sampled_figures_keep_their_fields_limits(tiny: Planned) -> None:
    d = draw(tiny.inv, Uncertainty(), 0, 0)
    inv = sampled_inventory(tiny.inv, d)
    Inventory.model_validate(inv.model_dump())  # within every bound and decimal place
    month = inv.estate.migration_days_per_month
    for w, base in zip(inv.workloads, tiny.inv.workloads, strict=True):
        assert w.migration_cost == round(base.migration_cost * d.migration_cost[w.id], 2)
        assert w.migration_days == min(
            round(base.migration_days * d.migration_days[w.id], 2), month
        )
    for r in inv.rooms:
        assert inv.room[r.id] is r  # the lookups are of the sampled items
    huge = tiny.inv.model_copy(
        update={
            "workloads": [w.model_copy(update={"migration_days": 39}) for w in tiny.inv.workloads]
        }
    )
    slow = sampled_inventory(huge, draw(huge, fixed(migration_days=1.54), 0, 0))
    assert {w.migration_days for w in slow.workloads} == {month}  # a move takes a month at most


# ------------------------------------------------------------------ re-costing the plan


def test_no_spread_gives_the_plan_exactly(tiny: Planned) -> None:
    n = 12
    done = tiny.run(fixed(), n)
    section = summarise_risk(done, n, 0, tiny.plan, fixed())
    net = tiny.plan["finance"]["total_savings"]
    one_off = tiny.plan["costs"]["one_off"]
    assert section["net_savings"] == {"p10": net, "p50": net, "p90": net, "mean": net}
    assert section["one_off"] == {"p10": one_off, "p50": one_off, "p90": one_off, "mean": one_off}
    payback = tiny.plan["finance"]["payback_month"]
    assert section["payback_month"] == {"p50": payback, "p90": payback}
    assert section["p_net_negative"] == 0
    assert section["p_one_off_over_plan"] == 0
    assert section["plan"] == {"net_savings": net, "one_off": one_off, "payback_month": payback}
    assert (section["used"], section["unschedulable"], section["rescheduled"]) == (n, 0, 0)
    Risk.model_validate(section)
    json.dumps(section, allow_nan=False)


def test_same_seed_same_figures_other_seed_other_figures(tiny: Planned) -> None:
    first = tiny.run(None, 6, seed=3)
    assert tiny.run(None, 6, seed=3) == first
    other = tiny.run(None, 6, seed=4)
    assert [r["net_savings"] for r in other.values()] != [r["net_savings"] for r in first.values()]
    # Sample i depends on (seed, i) alone, not on how many samples there are.
    assert tiny.run(None, 3, seed=3) == {k: first[k] for k in ("risk:0", "risk:1", "risk:2")}


def test_twice_the_migration_cost_doubles_the_moves_and_nothing_else(tiny: Planned) -> None:
    moves = tiny.plan["costs"]["one_off_breakdown"]["migration"]
    assert moves > 0
    for r in tiny.run(fixed(migration_cost=2), 4).values():
        assert r["migration"] == 2 * moves
        assert r["one_off"] == tiny.plan["costs"]["one_off"] + moves
        assert r["net_savings"] == tiny.plan["finance"]["total_savings"] - moves
        assert not r["rescheduled"]


def legal(inv: Inventory, target: Target, schedule: Schedule) -> list[str]:
    """Rule 10 by the schedule's own check, and each month's person-days added up here."""
    cal = Calendar(inv.estate.start, inv.estate.horizon_years)
    orders = order_rules(inv, EstateGraph(inv), target.room_of)
    inst = build_migration(inv, cal, target.room_of, target.open_rooms, orders)
    problems = violations(inst, schedule.move_month, schedule.close_month, schedule.open_month)
    days: dict[int, float] = defaultdict(float)
    for w, m in schedule.move_month.items():
        days[m] += inv.workload[w].migration_days
        if not 0 <= m < cal.months:
            problems.append(f"{w} moves outside the horizon")
    cap = inv.estate.migration_days_per_month
    problems += [f"month {m}: {d} days" for m, d in days.items() if d > cap + 1e-9]
    return problems


@pytest.mark.parametrize("kind", ["slowest", "sampled"])
def test_slower_moves_are_dated_again_and_keep_rule_10(cambs: Planned, kind: str) -> None:
    u = fixed(migration_days=1.54) if kind == "slowest" else Uncertainty(correlation=0.9)
    inv = cambs.with_uncertainty(u)
    months = PlanMonths.of(cambs.schedule)
    rescheduled = 0
    for i in range(3):
        sampled = sampled_inventory(inv, draw(inv, u, 0, i))
        schedule = sample_schedule(sampled, cambs.target, months)
        assert schedule is not None
        assert legal(sampled, cambs.target, schedule) == []
        rescheduled += schedule.method != "plan"
    if kind == "slowest":
        assert rescheduled == 3  # x1.54 overflows the plan's full months
        assert legal(sampled, cambs.target, months.schedule())  # the plan's months would not do
        done = cambs.run(u, 2)
        assert all(r["rescheduled"] and not r["unschedulable"] for r in done.values())


def test_a_sample_that_cannot_be_dated_is_counted_and_left_out(tiny: Planned) -> None:
    # The two moves of tiny must go together (13 person-days); with a 13-day month,
    # 1.54 times as long cannot be dated at all.
    estate = tiny.inv.estate.model_copy(update={"migration_days_per_month": 13})
    inv = tiny.inv.model_copy(update={"estate": estate, "uncertainty": fixed(migration_days=1.54)})
    tasks = risk_tasks(tiny.target, tiny.schedule, 2, 0)
    done = {t.key: t.run(inv) for t in tasks}
    assert all(r["unschedulable"] and r["net_savings"] is None for r in done.values())
    ok = {t.key: t.run(tiny.inv) for t in risk_tasks(tiny.target, tiny.schedule, 3, 0)}
    mixed = {"risk:0": ok["risk:0"], "risk:1": done["risk:1"], "risk:2": ok["risk:2"]}
    section = summarise_risk(mixed, 4, 0, tiny.plan, Uncertainty())  # risk:3 returned nothing
    assert (section["used"], section["unschedulable"], section["missing"]) == (2, 1, 1)
    assert len(section["values"]["net_savings"]) == 2
    none = summarise_risk(done, 2, 0, tiny.plan, Uncertainty())
    assert none["used"] == 0
    assert none["net_savings"]["p50"] is None


# ------------------------------------------------------------------ the section


def result(net: float, one_off: float, payback: str | None) -> dict[str, Any]:
    return {
        "net_savings": net,
        "one_off": one_off,
        "payback_month": payback,
        "unschedulable": False,
        "rescheduled": False,
        "migration": 0.0,
    }


def test_summary_percentiles_and_shares_by_hand() -> None:
    plan = {
        "finance": {"total_savings": 5.0, "payback_month": "2027-01"},
        "costs": {"one_off": 3.0},
    }
    done = {
        "risk:0": result(30, 1, "2027-01"),
        "risk:1": result(-10, 5, None),
        "risk:2": result(10, 2, "2026-12"),
        "risk:3": result(0, 3, "2027-03"),
        "risk:4": result(20, 4, "2027-02"),
        "risk:5": {**result(0, 0, None), "unschedulable": True},
        "prices:x": {"ignored": True},
    }
    s = summarise_risk(done, 7, 11, plan, Uncertainty())
    # numpy linear: position p (n - 1) in [-10, 0, 10, 20, 30].
    assert s["net_savings"] == {"p10": -6.0, "p50": 10.0, "p90": 26.0, "mean": 10.0}
    assert s["one_off"] == {"p10": 1.4, "p50": 3.0, "p90": 4.6, "mean": 3.0}
    # Nearest rank on 2026-12, 2027-01, 2027-02, 2027-03, never: ranks 3 and 5.
    assert s["payback_month"] == {"p50": "2027-02", "p90": None}
    assert s["p_net_negative"] == 1 / 5  # -10 (0 is not below zero)
    assert s["p_one_off_over_plan"] == 2 / 5  # 4 and 5 (3 is not over 3)
    assert (s["samples"], s["seed"], s["used"], s["unschedulable"], s["missing"]) == (
        7,
        11,
        5,
        1,
        1,
    )
    assert s["values"] == {"net_savings": [-10, 0, 10, 20, 30], "one_off": [1, 2, 3, 4, 5]}
    assert s["uncertainty"]["migration_cost"] == {"low": 0.9, "mode": 1.1, "high": 3.0}
    Risk.model_validate(s)


# ------------------------------------------------------------------ on Dask


def test_tasks_run_on_a_dask_cluster(tiny: Planned) -> None:
    from distributed import Client, LocalCluster

    from planner.explore.engine import Settings, run_tasks

    tasks = risk_tasks(tiny.target, tiny.schedule, 4, 5)
    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=False,
            dashboard_address=":0",  # any free port: 8787 may be taken
            silence_logs=50,
        ) as cluster,
        Client(cluster) as client,
    ):
        results = run_tasks(tiny.inv, tasks, Settings(workers=1), dask_client=client)
    assert results.failed == []
    timed = {
        key: {k: v for k, v in res.items() if k != "task_s"} for key, res in results.done.items()
    }
    assert timed == {t.key: t.run(tiny.inv) for t in tasks}
    assert all(res["task_s"] >= 0 for res in results.done.values())
    section = summarise_risk(results.done, 4, 5, tiny.plan, uncertainty_of(tiny.inv))
    assert section["used"] == 4
