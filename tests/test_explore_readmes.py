"""The bundled estates' READMEs quote a real `planner explore` run in "What the board would
ask (planner explore)"; for inventories/worcestershire the run is repeated here with the
README's own command (through the Python API) and every figure the README quotes must come
out again, rounded to the pound as quoted: the plan's saving, the rule prices and the rules
that bind nothing, the rooms knee and the room either side of it, the risk percentiles, the
plan's own figures, the chances, the payback months and the samples left out, the Shapley
values and shares, and the allocated shares under the estate's `share_rule: proportional`.

All of them are reproducible: prices, Pareto points and coalition values are proven optima
(exact to the penny); the explored plan is made with one CP-SAT worker, so its decisions and
months are the same every run; and a risk sample's draws depend only on (seed, sample
index), its schedule on those and the plan (a greedy re-dating, or CP-SAT with one worker
and a deterministic time limit).
About 35 s on this 2-core machine: marked slow.
"""

from __future__ import annotations

import calendar
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from planner.explore import ExploreOptions, explore
from planner.inventory.items import Uncertainty
from planner.inventory.validate import load_and_validate

HEADING = "## What the board would ask (planner explore)"


def section(readme: Path) -> str:
    """The README's explore section, up to the next second-level heading."""
    text = readme.read_text(encoding="utf-8")
    assert HEADING in text, f"{readme} has no section {HEADING!r}"
    body = text.split(HEADING, 1)[1]
    return body.split("\n## ", 1)[0]


def table(text: str, first_header: str) -> list[list[str]]:
    """The body rows (cells stripped) of the Markdown table whose header starts with
    ``| first_header |``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    assert rows, f"empty table {first_header!r}"
    return rows


def pounds(text: str) -> int:
    """'1,061,401' -> 1061401 ('-6' -> -6)."""
    return int(text.replace(",", ""))


def whole(amount: float) -> int:
    return round(amount)


def find(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, " ".join(text.split()))
    assert match, f"the README's explore section no longer says {pattern!r}"
    return match


def options_of(command: str) -> tuple[str, ExploreOptions]:
    """(estate directory, options) of the README's `planner explore` command."""
    words = shlex.split(command)
    assert words[:2] == ["planner", "explore"], command
    estate, flags = words[2], words[3:]
    values: dict[str, str] = {}
    bare: set[str] = set()
    i = 0
    while i < len(flags):
        if flags[i] in ("--prices", "--pareto", "--shapley", "--quiet", "-q"):
            bare.add(flags[i])
            i += 1
        else:
            values[flags[i]] = flags[i + 1]
            i += 2
    chosen = bool(bare & {"--prices", "--pareto", "--shapley"}) or "--risk" in values
    risk = int(values["--risk"]) if "--risk" in values else (None if chosen else 200)
    options = ExploreOptions(
        prices=not chosen or "--prices" in bare,
        pareto=not chosen or "--pareto" in bare,
        risk=risk,
        shapley=not chosen or "--shapley" in bare,
        samples=int(values["--samples"]) if "--samples" in values else None,
        time_limit_s=float(values.get("--time-limit", 10)),
        workers=int(values["--workers"]),
        seed=int(values.get("--seed", 0)),
    )
    return estate, options


@pytest.fixture(scope="module")
def worcestershire() -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(the README's section, explore.json, the explored plan) of the README's command."""
    text = section(ROOT / "inventories" / "worcestershire" / "README.md")
    command = find(r"(planner explore [^`\n]*?--seed \d+)", text).group(1)
    estate, options = options_of(command)
    assert estate == "inventories/worcestershire"
    assert (options.workers, options.time_limit_s, options.seed) == (2, 10.0, 0)
    loaded = load_and_validate(ROOT / estate)
    assert loaded.ok
    result = explore(loaded, options)
    assert result.ok, result.doc["failed"]
    return text, result.doc, result.plan


@pytest.mark.slow
def test_worcestershire_readme_quotes_the_runs_prices_and_knee(
    worcestershire: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    text, doc, _ = worcestershire
    saving = doc["baseline_objective"] - doc["objective"]
    assert pounds(find(r"the plan saves GBP ([\d,]+) against today", text).group(1)) == whole(
        saving
    )

    quoted = [(row[0].strip("`"), pounds(row[1])) for row in table(text, "rule")]
    dearest = [(p["rule"], whole(p["price"])) for p in doc["prices"][: len(quoted)]]
    assert quoted == dearest
    assert all(p["price_is"] == "exact" for p in doc["prices"])
    idle = find(r"Binds nothing \(GBP 0\): ((?:`[^`]+`(?:, )?)+)", text).group(1)
    assert set(re.findall(r"`([^`]+)`", idle)) == {
        p["rule"] for p in doc["prices"] if p["price"] == 0
    }

    knee = find(r"knee is at \*\*(\d+) (?:council )?rooms\*\* \(objective GBP ([\d,]+)\)", text)
    points = {p["max_rooms"]: p for p in doc["pareto"]}
    k = int(knee.group(1))
    assert points[k]["knee"] is True
    assert pounds(knee.group(2)) == whole(points[k]["objective"])
    assert "one room fewer has no plan" in " ".join(text.split())
    assert points[k - 1]["status"] == "infeasible"
    more = find(r"one room more saves GBP ([\d,]+)", text).group(1)
    assert pounds(more) == whole(points[k]["objective"] - points[k + 1]["objective"])


def month(words: str) -> str:
    """'June 2014' -> '2014-06'."""
    name, year = words.split()
    return f"{year}-{list(calendar.month_name).index(name):02d}"


@pytest.mark.slow
def test_worcestershire_readme_quotes_the_runs_risk(
    worcestershire: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    text, doc, plan = worcestershire
    risk = doc["risk"]
    assert risk["uncertainty"] == Uncertainty().model_dump()  # no `uncertainty` block
    assert "Green Book default uncertainty" in " ".join(text.split())
    rows = {row[0]: [pounds(c) for c in row[1:]] for row in table(text, "GBP over 5 years")}
    for label, key in (("net savings", "net_savings"), ("one-off cost", "one_off")):
        figures = [risk[key][p] for p in ("p10", "p50", "p90")] + [risk["plan"][key]]
        assert rows[label] == [whole(f) for f in figures], label
    assert risk["plan"]["net_savings"] == plan["finance"]["total_savings"]
    assert pounds(find(r"the partners net GBP ([\d,]+)", text).group(1)) == whole(
        risk["net_savings"]["p50"]
    )
    payback = find(
        r"payback slips from (\w+ \d{4}) to (\w+ \d{4}) \(P50\), (\w+ \d{4}) \(P90\)", text
    )
    assert [month(payback.group(i)) for i in (1, 2, 3)] == [
        risk["plan"]["payback_month"],
        risk["payback_month"]["p50"],
        risk["payback_month"]["p90"],
    ]

    loss = find(r"net loss is ([\d.]+)% \((\d+) of (\d+) samples\)", text)
    assert float(loss.group(1)) == round(risk["p_net_negative"] * 100, 1)
    assert int(loss.group(2)) == round(risk["p_net_negative"] * risk["used"])
    assert int(loss.group(3)) == risk["used"]
    overrun = find(r"of a one-off overrun (\d+)%", text).group(1)
    assert int(overrun) == round(risk["p_one_off_over_plan"] * 100)
    left_out = find(r"(\d+|No) samples? (?:are|is) left out", text).group(1)
    assert (0 if left_out == "No" else int(left_out)) == risk["unschedulable"]
    assert risk["used"] + risk["unschedulable"] == risk["samples"] == 200
    assert risk["missing"] == 0


@pytest.mark.slow
def test_worcestershire_readme_quotes_the_runs_shapley_values(
    worcestershire: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    text, doc, plan = worcestershire
    shapley = doc["shapley"]
    assert shapley["method"] == "exact"
    assert (
        pounds(find(r"\(exact, ([\d,]+) coalitions\)", text).group(1))
        == 2 ** len(shapley["values"]) - 1
    )
    total = shapley["total"]
    values = {v["organisation"]: v["value"] for v in shapley["values"]}
    allocated = {v["organisation"]: v["allocated"] for v in shapley["values"]}
    baseline = {o["id"]: o["baseline"] for o in plan["organisations"]}
    assert plan["finance"]["share_rule"] == "proportional"
    rows = table(text, "partner")
    assert {row[0].strip("`") for row in rows} == set(values)
    shares: dict[str, tuple[str, str]] = {}
    for row in rows:
        org = row[0].strip("`")
        assert pounds(row[1]) == whole(values[org]), org
        assert row[2] == f"{values[org] / total * 100:.1f}%", org
        # allocated: the plan's share after share_rule (proportional: by running cost today)
        assert row[3] == f"{allocated[org] / total * 100:.1f}%", org
        assert row[3] == f"{baseline[org] / sum(baseline.values()) * 100:.1f}%", org
        shares[org] = (row[2], row[3])
    said = find(
        r"gives the county ([\d.]+%) and Malvern Hills ([\d.]+%), "
        r"against Shapley shares of ([\d.]+%) and ([\d.]+%)",
        text,
    )
    assert said.groups() == (
        shares["worcs-cc"][1],
        shares["malvern-hills"][1],
        shares["worcs-cc"][0],
        shares["malvern-hills"][0],
    )
