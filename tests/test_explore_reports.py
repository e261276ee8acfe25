"""The reports of an exploration (explore.md, explore.html) rendered from explore.json alone,
and report.html's Exploration section (`planner report PLAN_DIR --explore DIR`).

Fixtures are hand-made explore.json files under tests/data/explore/ (see make_explore.py
there): worcestershire (all four analyses, every risk sample, allocated shares),
prices-only, failed (three tasks failed; risk from percentiles only), shapley-sampled
(14 partners, standard errors), bounds (prices that are bounds or unknown) and hostile
(markup in every name). The browser test is skipped without Chromium unless
PLANNER_REQUIRE_CHROMIUM=1, as in test_reports_browser.py.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from helpers.chromium import load_page, png_stats, require_chromium
from helpers.report_parts import Balance
from typer.testing import CliRunner

from planner.cli import app
from planner.explorefile import ExploreFileError, validate_explore
from planner.reports import fmt, render_reports
from planner.reports.explore import EXPLORE_REPORT_FILES, ExploreLink, render_explore
from planner.reports.explore.charts import TORNADO_ROWS
from planner.reports.explore.view import (
    chance,
    loss_sentence,
    overrun_sentence,
    payback_sentence,
    price_text,
)
from planner.reports.html import report_html

EXPLORE = DATA / "explore"
PLANS = DATA / "plans"
FIXTURES = ("worcestershire", "prices-only", "failed", "shapley-sampled", "bounds", "hostile")


def doc(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPLORE / f"{name}.json").read_text(encoding="utf-8"))
    return data


def render(data: dict[str, Any]) -> tuple[str, str]:
    """(explore.html, explore.md) of ``data``."""
    out = render_explore(data)
    assert set(out) == set(EXPLORE_REPORT_FILES)
    return out["explore.html"].decode("utf-8"), out["explore.md"].decode("utf-8")


def balanced(page: str) -> None:
    b = Balance()
    b.feed(page)
    b.close()
    assert b.stack == []


def section(page: str, anchor: str) -> str:
    """The HTML of one <section> of the page."""
    m = re.search(rf'<section id="{anchor}">.*?</section>', page, re.S)
    assert m, anchor
    return m.group(0)


def section_ids(page: str) -> list[str]:
    return re.findall(r'<section id="([a-z-]+)">', page)


def md_section(text: str, title: str) -> str:
    """The markdown from '## title' to the next '## '."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, title
    return m.group(1)


# ---------------------------------------------------------------- the fixtures


def test_fixtures_are_what_make_explore_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_explore", EXPLORE / "make_explore.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name in FIXTURES:
        build = getattr(mod, name.replace("-", "_"))
        assert doc(name) == json.loads(json.dumps(build())), name


@pytest.mark.parametrize("name", FIXTURES)
def test_fixtures_are_valid_explore_files(name: str) -> None:
    x = validate_explore(doc(name))
    assert x.format == "planner-explore/1"


# ---------------------------------------------------------------- every fixture


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_renders_a_well_formed_self_contained_page(name: str) -> None:
    page, text = render(doc(name))
    balanced(page)
    assert page.startswith("<!DOCTYPE html>\n")
    assert page.endswith("</html>\n")
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    assert "url(" not in page
    assert re.search(r"<link\b", page) is None
    if name != "hostile":  # hostile has a URL in an error message, shown as text
        assert "http://" not in page
        assert "https://" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert "default-src &#x27;none&#x27;" in csp.group(1)
    assert "script-src" not in csp.group(1)
    # contents links only to sections the page has
    for anchor in re.findall(r'href="#([a-z-]+)"', page):
        assert f'id="{anchor}"' in page, anchor
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert text.startswith("# ")


@pytest.mark.parametrize("name", FIXTURES)
def test_rendering_is_deterministic_and_accepts_the_model(name: str) -> None:
    data = doc(name)
    first = render_explore(data)
    assert render_explore(copy.deepcopy(data)) == first
    assert render_explore(validate_explore(data)) == first


def test_a_document_that_is_not_explore_json_is_refused() -> None:
    data = doc("prices-only")
    del data["engine"]
    with pytest.raises(ExploreFileError, match="engine"):
        render_explore(data)


# ---------------------------------------------------------------- Worcestershire: everything


@pytest.fixture(scope="module")
def worcs() -> tuple[dict[str, Any], str, str]:
    data = doc("worcestershire")
    page, text = render(data)
    return data, page, text


def test_header_names_the_estate_engine_and_objective(
    worcs: tuple[dict[str, Any], str, str],
) -> None:
    data, page, text = worcs
    assert "<h1>Worcestershire shared ICT</h1>" in page
    assert "<title>Worcestershire shared ICT – exploring the decision</title>" in page
    assert "233 tasks on a local Dask cluster of 4 workers." in page
    assert "all 233 tasks done" in page
    assert "The plan&#x27;s objective is £4,275,391 against £5,337,000" in page
    assert "a saving of £1,061,609" in page
    assert "failed" not in section(page, "summary")
    assert section_ids(page) == ["summary", "prices", "pareto", "risk", "shapley"]
    assert text.startswith("# Worcestershire shared ICT: exploring the decision\n")
    assert "Ran 233 tasks on a local Dask cluster of 4 workers." in text
    assert data["inventory_sha256"] in page
    assert data["inventory_sha256"] in text


def test_prices_are_a_tornado_and_a_table(worcs: tuple[dict[str, Any], str, str]) -> None:
    data, page, text = worcs
    sec = section(page, "prices")
    balanced(sec)
    assert sec.count('<svg class="chart"') == 1
    binding = [p for p in data["prices"] if round(p["price"]) != 0]
    free = [p for p in data["prices"] if round(p["price"]) == 0]
    # one bar per binding rule, dearest first
    bars = re.findall(r"<g><title>([^<]*): £[\d,]+</title><text", sec)
    expected = sorted(binding, key=lambda p: -p["price"])
    assert bars == [p["rule"] for p in expected]
    assert "earliest close guildhall-mr: £41,236" in sec
    # the rules that do not bind are listed after, not drawn
    listed = re.search(r"<strong>Does not bind</strong> \(price £0\): ([^<]*)\.</p>", sec)
    assert listed is not None
    assert listed.group(1).split(", ") == sorted(p["rule"] for p in free)
    # the table: every rule, in the chart's order then the free ones
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>', sec)
    assert rows == [p["rule"] for p in expected] + sorted(p["rule"] for p in free)
    assert "<td>earliest closure</td><td><code>guildhall-mr</code></td>" in sec
    assert '<td class="num price strong">£41,236</td><td class="num">£4,234,155</td>' in sec
    # markdown
    md = md_section(text, "Prices of the rules")
    assert "| Rule | Kind | Subject | Price | Objective without it | Solve without it |" in md
    assert (
        "| earliest close guildhall-mr | earliest closure | guildhall-mr | £41,236 | "
        "£4,234,155 | optimal |" in md
    )
    assert "**Does not bind** (price £0): official requires psn, pinned wcc-psn-gateway" in md


def test_pareto_curves_mark_the_knee_and_the_limits_without_a_plan(
    worcs: tuple[dict[str, Any], str, str],
) -> None:
    _, page, text = worcs
    sec = section(page, "pareto")
    balanced(sec)
    assert sec.count('<svg class="chart"') == 2  # rooms and desks
    assert "Objective against the most rooms allowed" in sec
    assert "Objective against the most desks allowed" in sec
    assert sec.count(">knee</text>") == 2
    assert "at most 1 room: no plan" in sec  # the × of k = 1
    assert "at most 2 rooms: £4,275,391, the knee" in sec
    assert "The knee is at 2 rooms (objective £4,275,391): allowing one more saves £0." in sec
    assert "The knee is at 1 desk (objective £4,275,391)" in sec
    assert "×: no plan with at most 1 room." in sec
    assert '<th scope="row">2 <span class="badge warn">knee</span></th>' in sec
    assert "<code>county-hall-dc</code>, <code>kidderminster-dr</code>" in sec
    md = md_section(text, "Rooms worth keeping")
    assert "| Most rooms | Objective | Saving against today |" in md
    assert "| 2 (knee) | £4,275,391 | £1,061,609 | — | optimal |" in md
    assert "| 1 | — | — | — | no plan | — |" in md
    assert "No plan with at most 1 room." in md
    assert "### At most k desks" in md


def test_risk_shows_the_distribution_percentiles_and_chances(
    worcs: tuple[dict[str, Any], str, str],
) -> None:
    data, page, text = worcs
    r = data["risk"]
    sec = section(page, "risk")
    balanced(sec)
    assert sec.count('<svg class="chart"') == 2  # net savings and one-off
    # a histogram of every sample: the bars' sample counts add up to the samples
    counts = [int(n) for n in re.findall(r": (\d+) samples?</title><rect", sec)]
    assert sum(counts) == 2 * r["samples"]
    # P10/P50/P90 and the plan's own figure marked on each chart
    for key in ("net_savings", "one_off"):
        for q in ("p10", "p50", "p90"):
            assert f"{q.upper()}: {fmt.gbp(r[key][q])}</title>" in sec
        assert f"the plan: {fmt.gbp(r['plan'][key])}</title>" in sec
    assert "plan £645k" in sec
    assert "red" not in sec  # colours are hex codes
    assert (
        "About a 1 in 5 chance the programme loses money over the horizon (21.5% of 200 "
        "samples have net savings below zero)." in sec
    )
    assert "In every sample the one-off cost exceeds the plan&#x27;s £708,500." in sec
    assert (
        "Half the samples pay back by Sep 2014; more than 1 in 10 do not pay back within "
        "the horizon." in sec
    )
    assert "21.5%" in sec  # the card
    md = md_section(text, "Risk")
    assert "|  | P10 | P50 | P90 | Mean | The plan |" in md
    assert (
        f"| Net savings over the horizon | {fmt.gbp(r['net_savings']['p10'])} | "
        f"{fmt.gbp(r['net_savings']['p50'])} | {fmt.gbp(r['net_savings']['p90'])} | "
        f"{fmt.gbp(r['net_savings']['mean'])} | £645,167 |" in md
    )
    assert "- About a 1 in 5 chance the programme loses money over the horizon" in md
    assert "Payback month: P50 Sep 2014, P90 not within the horizon." in md


def test_shapley_values_beside_the_allocated_shares(
    worcs: tuple[dict[str, Any], str, str],
) -> None:
    data, page, text = worcs
    s = data["shapley"]
    sec = section(page, "shapley")
    balanced(sec)
    assert sec.count('<svg class="chart"') == 1
    assert "Exact: the saving of every one of the 15 coalitions of 4 partners was solved." in sec
    assert "The values add up to £1,061,609" in sec
    assert "today&#x27;s estate&#x27;s objective minus the plan&#x27;s" in sec
    for v in s["values"]:
        assert f"{v['organisation']}, Shapley value: {fmt.gbp(v['value'])}</title>" in sec
        assert f"{v['organisation']}, allocated: {fmt.gbp(v['allocated'])}</title>" in sec
        assert f'<code>{v["organisation"]}</code><div class="sub">{v["name"]}</div>' in sec
    assert "Standard error" not in sec  # exact: no standard errors
    assert "allocated in the plan" in sec  # the legend
    assert "The plan allocates £645,167 in all." in sec
    assert "Allocated less than their Shapley value: Worcester City Council" in sec
    md = md_section(text, "Fair shares")
    assert (
        "| Partner | Shapley value | Share of the total | Allocated in the plan | "
        "Allocated − Shapley |" in md
    )
    assert "| malvern-hills (Malvern Hills District Council) | £183,564 | 17.3% |" in md
    assert "| **Total** | **£1,061,609** | 100% | £645,167 |  |" in md


# ---------------------------------------------------------------- the other fixtures


def test_prices_only_leaves_the_other_sections_out() -> None:
    page, text = render(doc("prices-only"))
    assert section_ids(page) == ["summary", "prices"]
    for anchor in ("pareto", "risk", "shapley"):
        assert f'href="#{anchor}"' not in page
    assert "9 tasks on the Dask cluster at tcp://10.20.0.5:8786 (16 workers)." in page
    assert "separate nhs/official: £174,391</title>" in page
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Prices of the rules"
    ]


def test_failed_tasks_are_shown_prominently() -> None:
    data = doc("failed")
    page, text = render(data)
    assert '<span class="badge bad">3 tasks failed</span>' in page
    summary = section(page, "summary")
    assert '<div class="status bad" role="alert">3 of 209 tasks failed, even when retried' in (
        summary
    )
    for f in data["failed"]:
        assert f"<li><code>{f['key']}</code>: {f['error']}</li>" in summary
        assert f"- {fmt.md(f['key'])}: {fmt.md(f['error'])}" in text
    assert "206 of 209" in summary
    assert "**3 of 209 tasks failed, even when retried;" in text
    # risk without samples: a box from P10 to P90
    risk = section(page, "risk")
    assert "The box spans P10 to P90" in risk
    assert "samples</title><rect" not in risk
    assert "P10 to P90: " in risk
    assert "About a 1 in 18 chance the programme loses money" in risk
    assert "Half the samples pay back by Mar 2028, 9 in 10 by Jan 2029." in risk
    assert "shapley" not in section_ids(page)


def test_sampled_shapley_reports_the_method_and_standard_errors() -> None:
    data = doc("shapley-sampled")
    page, text = render(data)
    sec = section(page, "shapley")
    assert (
        "Sampled: 1,000 random orders in which the 14 partners join; each value is the mean "
        "of what the partner adds on joining, shown ± its standard error." in sec
    )
    assert "±1.96 standard errors (95%)" in sec  # the whiskers' legend
    assert '<th scope="col" class="num">Standard error</th>' in sec
    for v in data["shapley"]["values"]:
        se = fmt.gbp(v["standard_error"])
        assert f"± {se}</td>" in sec
        assert f"± {se} (standard error)</title>" in sec
        assert f"| ± {se} |" in text
    assert "14,006 tasks on the Dask cluster at tcp://scheduler.internal:8786" in page
    # the Pareto curve falls to its knee; a point not proven best is hollow
    pareto = section(page, "pareto")
    assert "at most 4 rooms: £19,880,400 (feasible)</title>" in pareto
    assert 'fill="#fff" stroke="#1d70b8"' in pareto
    assert "The knee is at 6 rooms (objective £18,350,220): allowing one more saves £0." in pareto
    assert "| 4 | £19,880,400 | £3,025,240 | £2,069,600 | feasible, not proven best |" in text


def test_prices_that_are_bounds_are_worded_as_bounds() -> None:
    page, text = render(doc("bounds"))
    sec = section(page, "prices")
    assert '<td class="num price strong">at least £170,000</td>' in sec
    assert '<td class="num price strong">at most £25,000</td>' in sec
    assert '<td class="num price strong">unknown</td>' in sec
    assert '<td class="num price strong">no plan without it</td>' in sec
    assert "≥ £170k" in sec  # the bar's label
    assert "≤ £25k" in sec
    assert "at least (not proven best without it)" in sec  # the legend
    assert "<td>feasible, not proven best</td>" in sec
    assert "<td>no plan found in time</td>" in sec
    assert (
        "<strong>No price</strong>: DR copies at least 20 km apart (unknown); close annex-mr "
        "(at least £0); isolation nhs (unknown); pinned gp-records (no plan without it)." in sec
    )
    assert "<strong>Does not bind</strong> (price £0): user latencies." in sec
    md = md_section(text, "Prices of the rules")
    assert "| at least £170,000 | £2,950,000 | feasible, not proven best |" in md
    assert "| no plan without it | — | no plan without it |" in md
    assert "| unknown | — | no plan found in time |" in md
    pareto = section(page, "pareto")
    assert "at most 2 rooms: unknown</title>" in pareto
    assert "×: no plan with at most 1 room. ?: no plan found in time with at most 2." in pareto
    assert "at most 1 room: no plan</title><line" in pareto


def test_every_string_is_escaped() -> None:
    page, text = render(doc("hostile"))
    balanced(page)
    for raw in (
        "<script>alert",
        "<img src=x",
        "<b>evil</b>",
        "<b>worcs-cc</b>",
        "<i>nhs</i>",
        "<a href=x>",
        "</svg><script>",
    ):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Severn&quot; &#x27;vale&#x27;" in (
        page
    )
    assert "separate &lt;img src=x onerror=alert(2)&gt;/official" in page
    assert "&lt;/svg&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert "colo&quot;hall&#x27;&lt;i&gt;" in page
    assert "see https://evil.example/&lt;a href=x&gt;" in page
    assert "<script" not in page
    # markdown: no raw HTML survives
    assert re.search(r"(?<!\\)<", text) is None
    assert "\\<script\\>alert(1)\\</script\\>" in text


# ---------------------------------------------------------------- edge cases


def test_absent_sections_and_objective() -> None:
    data = {
        "format": "planner-explore/1",
        "estate": "Nowhere",
        "inventory_sha256": "0" * 64,
        "engine": {"kind": "local", "workers": 1, "tasks": 0},
        "objective": None,
        "baseline_objective": None,
    }
    page, text = render(data)
    balanced(page)
    assert section_ids(page) == ["summary"]
    assert "No plan was found for the estate" in page
    assert "No plan was found for the estate" in text
    assert "## " not in text


def test_no_binding_rule_and_a_negative_price() -> None:
    data = doc("prices-only")
    for p in data["prices"]:
        p["objective_without"], p["price"] = data["objective"], 0.0
    page, _ = render(data)
    assert "No rule binds: removing any one saves nothing." in page
    assert '<svg class="chart"' not in page
    data["prices"][0]["price"] = -1500.0
    page, _ = render(data)
    sec = section(page, "prices")
    assert '<td class="num price strong neg">-£1,500</td>' in sec
    assert "-£1.5k" in sec  # the bar's label, left of £0
    balanced(sec)


def test_the_tornado_draws_the_dearest_rules_and_counts_the_rest() -> None:
    data = doc("prices-only")
    template = data["prices"][0]
    data["prices"] = [
        {
            **template,
            "rule": f"pinned w{i:02d}",
            "kind": "pinned",
            "subject": [f"w{i:02d}"],
            "price": 1000.0 * (i + 1),
        }
        for i in range(TORNADO_ROWS + 10)
    ]
    page, text = render(data)
    sec = section(page, "prices")
    assert "and 10 more rules in the table" in sec
    assert len(re.findall(r"<g><title>pinned w\d\d: ", sec)) == TORNADO_ROWS
    assert sec.count('<tr><th scope="row">pinned w') == TORNADO_ROWS + 10
    assert "pinned w39: £40,000</title>" in sec  # dearest drawn
    assert "pinned w00: " not in sec.split("</svg>")[0]  # cheapest only in the table
    assert text.count("| pinned w") == TORNADO_ROWS + 10


def test_extension_keys_that_are_not_numbers_are_ignored() -> None:
    data = doc("worcestershire")
    data["risk"]["values"] = {"net_savings": [1.0, "x"], "one_off": "nope"}
    data["risk"]["plan"] = {"net_savings": "lots"}
    data["shapley"]["values"][0]["allocated"] = True
    page, _ = render(data)
    risk = section(page, "risk")
    assert risk.count("The box spans P10 to P90") == 2
    assert "the plan: " not in risk
    assert "worcs-cc, allocated:" not in page
    assert "not allocated" in page


@pytest.mark.parametrize(
    ("p", "words"),
    [
        (0.2, "a 1 in 5 chance"),
        (0.25, "a 1 in 4 chance"),
        (0.75, "a 3 in 4 chance"),
        (0.5, "a 1 in 2 chance"),
        (0.215, "about a 1 in 5 chance"),
        (0.035, "about a 1 in 29 chance"),
        (0.64, "a 64% chance"),
        (0.625, "a 5 in 8 chance"),
    ],
)
def test_chances_in_words(p: float, words: str) -> None:
    assert chance(p) == words


def test_sentences_at_the_extremes() -> None:
    assert loss_sentence(0.0, 200) == "None of the 200 samples loses money over the horizon."
    assert loss_sentence(1.0, 200) == "Every one of the 200 samples loses money over the horizon."
    assert loss_sentence(0.2, 200) == (
        "A 1 in 5 chance the programme loses money over the horizon (20% of 200 samples "
        "have net savings below zero)."
    )
    assert overrun_sentence(0.0, 50, 1000.0) == (
        "In none of the 50 samples does the one-off cost exceed the plan's £1,000."
    )
    assert overrun_sentence(0.4, 50, None) == (
        "A 2 in 5 chance the one-off cost exceeds the plan's (40% of 50 samples)."
    )
    assert payback_sentence({"p50": None, "p90": None}) == (
        "More than half the samples do not pay back within the horizon."
    )
    assert payback_sentence({"p50": "2013-08", "p90": "2014-01"}) == (
        "Half the samples pay back by Aug 2013, 9 in 10 by Jan 2014."
    )


def test_price_words() -> None:
    x = validate_explore(doc("bounds"))
    assert x.prices is not None
    words = {p.rule: price_text(p) for p in x.prices}
    assert words["separate nhs/official"] == "at least £170,000"
    assert words["earliest close town-hall"] == "at most £25,000"
    assert words["keep county-dc"] == "£70,000"
    assert words["pinned gp-records"] == "no plan without it"
    assert words["DR copies at least 20 km apart"] == "unknown"


# ---------------------------------------------------------------- report.html --explore


def plan(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PLANS / name / "plan.json").read_text(encoding="utf-8"))
    return data


def test_report_html_without_an_exploration_is_as_before() -> None:
    severnvale = plan("severnvale")
    page = report_html(severnvale)
    assert 'id="exploration"' not in page
    plain, none = render_reports(severnvale), render_reports(severnvale, explore=None)
    for name in ("summary.md", "report.html", "moves.csv"):  # plan.xlsx holds its time
        assert plain[name] == none[name]


def test_report_html_with_an_exploration_has_its_headline_figures() -> None:
    severnvale = plan("severnvale")
    link = ExploreLink(doc("worcestershire"), "../explore/explore.html")
    page = report_html(severnvale, link)
    sec = section(page, "exploration")
    balanced(sec)
    assert section_ids(page)[-2:] == ["exploration", "about"]
    assert '<a href="#exploration">Exploration</a><a href="#about">' in page
    assert sec.count('href="../explore/explore.html"') == 2
    assert (
        '<th scope="row">Dearest rules</th><td>earliest close guildhall-mr <strong>£41,236'
        "</strong>; DR copies at least 15 km apart <strong>£38,211</strong>; earliest close "
        "pershore-mr <strong>£27,514</strong></td>" in sec
    )
    assert "earliest close malvern-mr" not in sec  # only the top 3
    assert "Knee of the room curve" in sec
    assert "<strong>2 rooms</strong> (objective £4,275,391)" in sec
    assert "Knee of the desk curve" in sec
    assert (
        "<strong>-£158,320</strong> to <strong>£468,837</strong> (P50 £221,963, 200 samples); "
        "about a 1 in 5 chance of a loss" in sec
    )
    # explored from another inventory than the plan's
    assert "The exploration was run on a different inventory" in sec


def test_exploration_section_of_a_matching_partial_exploration() -> None:
    severnvale = plan("severnvale")
    page = report_html(severnvale, ExploreLink(doc("prices-only"), "explore.html"))
    sec = section(page, "exploration")
    assert "different inventory" not in sec
    assert "separate nhs/official <strong>£174,391</strong>" in sec
    assert "Knee" not in sec
    assert "Net savings" not in sec
    failed = report_html(severnvale, ExploreLink(doc("failed"), "explore.html"))
    assert "3 of 209 tasks failed" in section(failed, "exploration")


def test_exploration_section_of_an_infeasible_plan_and_hostile_names() -> None:
    page = report_html(plan("infeasible"), ExploreLink(doc("hostile"), "a&b/explore.html"))
    balanced(section(page, "exploration"))
    assert section_ids(page) == ["headline", "exploration", "about"]
    sec = section(page, "exploration")
    assert 'href="a&amp;b/explore.html"' in sec
    assert "<img" not in sec
    assert "separate &lt;img src=x onerror=alert(2)&gt;/official" in sec


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_planner_report_explore_adds_the_section(runner: CliRunner, tmp_path: Path) -> None:
    plan_dir = tmp_path / "plans" / "severnvale"
    shutil.copytree(PLANS / "severnvale", plan_dir)
    explore_dir = tmp_path / "explore dirs" / "severnvale"
    explore_dir.mkdir(parents=True)
    shutil.copy(EXPLORE / "prices-only.json", explore_dir / "explore.json")
    result = runner.invoke(app, ["report", str(plan_dir), "--explore", str(explore_dir), "-q"])
    assert result.exit_code == 0, result.output
    page = (plan_dir / "report.html").read_text(encoding="utf-8")
    sec = section(page, "exploration")
    assert 'href="../../explore%20dirs/severnvale/explore.html"' in sec
    assert "separate nhs/official <strong>£174,391</strong>" in sec
    # the file itself is accepted too, and without --explore the section goes again
    result = runner.invoke(
        app, ["report", str(plan_dir), "--explore", str(explore_dir / "explore.json"), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert 'id="exploration"' in (plan_dir / "report.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["report", str(plan_dir), "-q"])
    assert result.exit_code == 0, result.output
    assert 'id="exploration"' not in (plan_dir / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read it"),
        ("{not json", "not valid JSON"),
        ('{"objective": NaN}', "not valid JSON"),
        ('{"format": "planner-explore/1"}', "field estate"),
    ],
)
def test_planner_report_refuses_a_bad_explore_json(
    runner: CliRunner, tmp_path: Path, content: str | None, message: str
) -> None:
    plan_dir = tmp_path / "plan"
    shutil.copytree(PLANS / "severnvale", plan_dir)
    before = sorted(p.name for p in plan_dir.iterdir())
    explore_dir = tmp_path / "explore"
    explore_dir.mkdir()
    if content is not None:
        (explore_dir / "explore.json").write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["report", str(plan_dir), "--explore", str(explore_dir)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert str(explore_dir / "explore.json") in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in plan_dir.iterdir()) == before  # nothing written


# ---------------------------------------------------------------- in Chromium


EXPRESSIONS = {
    "chart_sizes": (
        "Array.from(document.querySelectorAll('svg.chart')).map(s => {"
        "const r = s.getBoundingClientRect(); return [r.width, r.height];})"
    ),
    "sections": "Array.from(document.querySelectorAll('section')).map(s => s.id)",
    "h1": "document.querySelector('h1').textContent",
    "scripts": "document.querySelectorAll('script').length",
    "page_wider_than_window": "document.documentElement.scrollWidth > window.innerWidth",
    "overflowing_cards": (
        "Array.from(document.querySelectorAll('.card-value'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    ),
    "text": "document.body.innerText",
}


@pytest.mark.parametrize(
    ("name", "width", "charts"),
    [
        ("worcestershire", 1280, 6),  # tornado, 2 curves, 2 distributions, Shapley
        ("failed", 1280, 4),  # tornado, 1 curve, 2 boxes
        ("shapley-sampled", 390, 2),  # curve and Shapley, on a phone
        ("hostile", 1280, 6),
    ],
)
def test_explore_html_in_chromium(name: str, width: int, charts: int, tmp_path: Path) -> None:
    require_chromium()
    data = doc(name)
    html = tmp_path / "explore.html"
    html.write_bytes(render_explore(data)["explore.html"])
    page = load_page(html, width=width, expressions=EXPRESSIONS, shots={"full": None})
    assert page.errors == []
    assert page.requests == [page.url], "the page must load nothing but itself"
    v = page.values
    assert v["h1"] == data["estate"]
    assert v["scripts"] == 0
    assert len(v["chart_sizes"]) == charts
    for w, h in v["chart_sizes"]:
        assert w > 100
        assert h > 40
    assert v["page_wider_than_window"] is False
    assert v["overflowing_cards"] == 0
    assert v["sections"][0] == "summary"
    if name == "hostile":
        assert "<script>alert(1)</script>" in v["text"]
        assert "</svg><script>alert(3)</script>" in v["text"]
    png = page.screenshots["full"]
    (tmp_path / f"{name}.png").write_bytes(png)
    stats = png_stats(png)
    assert stats.width == width
    assert stats.colours > 50, stats
    assert 0.02 < stats.ink < 0.95, stats


def test_report_html_with_an_exploration_in_chromium(tmp_path: Path) -> None:
    require_chromium()
    html = tmp_path / "report.html"
    link = ExploreLink(doc("worcestershire"), "explore.html")
    html.write_text(report_html(plan("severnvale"), link), encoding="utf-8")
    page = load_page(html, expressions=EXPRESSIONS)
    assert page.errors == []
    assert page.requests == [page.url]
    assert page.values["sections"][-2:] == ["exploration", "about"]
    assert page.values["page_wider_than_window"] is False
