"""The reports rendered from plan.json: summary.md, report.html, plan.xlsx, moves.csv.

Fixtures are hand-made plans under tests/data/plans/ (see make_plans.py there):
severnvale (feasible: 5 rooms -> 3 with a candidate opened, 8 moves over 5 months,
a 9-month first year, one partner worse off), infeasible, hostile (markup,
script and formula text in names) and large (224 moves).
"""

from __future__ import annotations

import copy
import csv
import hashlib
import importlib.util
import io
import json
import os
import re
import stat
from base64 import b64encode
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from openpyxl import load_workbook
from rich.console import Console

from planner.planfile import PlanError, check_plan, load_plan
from planner.reports import REPORT_FILES, render_reports, write_reports
from planner.reports.diff import diff_markdown, diff_plans
from planner.reports.html import SCRIPT, report_html
from planner.reports.plan import PlanView
from planner.reports.security import evidence
from planner.reports.summary import summary_markdown, terminal_summary
from planner.reports.tables import MOVES_COLUMNS, moves_csv, plan_xlsx

PLANS = DATA / "plans"


def plan(name: str) -> dict[str, Any]:
    return json.loads((PLANS / name / "plan.json").read_text(encoding="utf-8"))


@pytest.fixture
def severnvale() -> dict[str, Any]:
    return plan("severnvale")


@pytest.fixture
def infeasible() -> dict[str, Any]:
    return plan("infeasible")


@pytest.fixture
def hostile() -> dict[str, Any]:
    return plan("hostile")


# ---------------------------------------------------------------- the fixtures themselves


def test_fixtures_are_what_make_plans_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_plans", PLANS / "make_plans.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name, build in (
        ("severnvale", mod.severnvale),
        ("infeasible", mod.infeasible),
        ("hostile", mod.hostile),
        ("large", mod.large),
    ):
        assert plan(name) == json.loads(json.dumps(build())), name


@pytest.mark.parametrize("name", ["severnvale", "infeasible", "hostile", "large"])
def test_fixtures_follow_the_plan_format(name: str) -> None:
    p = plan(name)
    assert check_plan(p) == []
    for y in p["years"]:
        assert y["savings"] == pytest.approx(y["baseline"] - y["planned"] - y["one_off"], abs=0.02)
        # discount_factor is rounded to 6 places in the file
        assert y["discounted_savings"] == pytest.approx(
            y["savings"] * y["discount_factor"], abs=1.0
        )
    if p["years"]:
        assert p["finance"]["npv"] == pytest.approx(
            sum(y["discounted_savings"] for y in p["years"]), abs=0.05
        )
        assert sum(y["one_off"] for y in p["years"]) == pytest.approx(p["costs"]["one_off"])
        assert sum(o["one_off"] for o in p["organisations"]) == pytest.approx(p["costs"]["one_off"])
        assert [w["month"] for w in p["waves"]] == sorted(w["month"] for w in p["waves"])
        moved = [a["workload"] for a in p["assignments"] if a["month"]]
        assert sorted(moved) == sorted(x for w in p["waves"] for x in w["workloads"])
        for s in p["staff"]["by_organisation"]:
            before = s["desk_fte_before"] + s["ops_fte_before"]
            after = s["desk_fte_after"] + s["ops_fte_after"]
            assert after == pytest.approx(
                before - s["transfer_out"] + s["transfer_in"] - s["removed"] + s["added"]
            )
    else:
        assert p["solver"]["status"] == "infeasible"
        assert p["explanation"]


# ---------------------------------------------------------------- loading and checking


def test_load_plan_accepts_a_directory_or_the_file(severnvale: dict[str, Any]) -> None:
    assert load_plan(PLANS / "severnvale") == severnvale
    assert load_plan(PLANS / "severnvale" / "plan.json") == severnvale


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"estate": "x"}', "format: missing"),
        ('{"format": "planner-plan/2"}', "is not supported"),
        ('{"format": "planner-plan/1", "x": NaN}', "not valid JSON"),
    ],
)
def test_load_plan_rejects_files_that_are_not_plans(
    tmp_path: Path, text: str, message: str
) -> None:
    f = tmp_path / "plan.json"
    f.write_text(text)
    with pytest.raises(PlanError) as exc:
        load_plan(tmp_path)
    assert message in str(exc.value)
    assert str(f) in str(exc.value)


def test_load_plan_missing(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match=r"no plan\.json in this directory"):
        load_plan(tmp_path)
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "nothing.json")


def test_check_plan_names_each_bad_field(severnvale: dict[str, Any]) -> None:
    p = copy.deepcopy(severnvale)
    p["rooms"][1]["decision"] = "demolish"
    p["assignments"][2]["month"] = "2027-13"
    p["years"][0]["savings"] = "lots"
    p["organisations"][0]["worse_off"] = "no"
    del p["costs"]["one_off"]
    problems = check_plan(p)
    assert "rooms[1].decision: 'demolish' is not one of keep, close, open, unused" in problems
    assert "assignments[2].month: '2027-13' is not a month YYYY-MM" in problems
    assert "years[0].savings: must be a number, not a string" in problems
    assert "organisations[0].worse_off: must be true or false, not a string" in problems
    assert "costs.one_off: missing (required by planner-plan/1)" in problems


def test_plan_ignores_unknown_keys(severnvale: dict[str, Any]) -> None:
    p = copy.deepcopy(severnvale)
    p["something_new"] = {"a": 1}
    p["rooms"][0]["colour"] = "blue"
    assert check_plan(p) == []
    render_reports(p)


def test_core_keys_only_plan_renders(severnvale: dict[str, Any]) -> None:
    """A plan from another tool with only the core keys of spec/plan-format.md."""
    core = {
        k: severnvale[k]
        for k in (
            "format",
            "estate",
            "inventory_sha256",
            "planner_version",
            "created",
            "options",
            "solver",
            "waves",
            "explanation",
        )
    }
    core["rooms"] = [
        {k: r[k] for k in ("id", "decision", "close_month")} for r in severnvale["rooms"]
    ]
    core["desks"] = [{k: d[k] for k in ("id", "decision", "fte")} for d in severnvale["desks"]]
    core["assignments"] = [
        {k: a[k] for k in ("workload", "from", "to", "month")} for a in severnvale["assignments"]
    ]
    core["desk_assignments"] = [
        {k: a[k] for k in ("organisation", "desk")} for a in severnvale["desk_assignments"]
    ]
    core["costs"] = {
        k: severnvale["costs"][k] for k in ("baseline_steady", "planned_steady", "one_off")
    }
    core["years"] = [
        {k: y[k] for k in ("year", "baseline", "planned", "one_off", "savings")}
        for y in severnvale["years"]
    ]
    core["organisations"] = [
        {k: o[k] for k in ("id", "baseline", "planned", "savings")}
        for o in severnvale["organisations"]
    ]
    core["staff"] = {
        k: severnvale["staff"][k]
        for k in ("desk_fte_before", "desk_fte_after", "ops_fte_before", "ops_fte_after")
    }
    assert check_plan(core) == []
    out = render_reports(core)
    assert (
        '>5 <span class="arrow">→</span></span> <span class="nw">3<' in out["report.html"].decode()
    )
    text = out["summary.md"].decode()
    assert "| Machine rooms | 5 | 3 | -2 |" in text


# ---------------------------------------------------------------- summary.md


def test_summary_feasible(severnvale: dict[str, Any]) -> None:
    text = summary_markdown(severnvale)
    assert text.startswith("# Severnvale shared ICT: consolidation plan\n")
    assert "Optimal plan" in text
    assert "| Machine rooms | 5 | 3 | -2 |" in text
    assert "| Service desks | 4 | 2 | -2 |" in text
    assert "| Running cost a year | £1,097,000 | £888,000 | -£209,000 (-19%) |" in text
    assert "| Service desk staff (FTE) | 13 | 12 | -1 |" in text
    assert "| Machine room staff (FTE) | 6.5 | 3.5 | -3 |" in text
    assert (
        "**One-off cost:** £396,000 (moving systems £231,000, closing rooms £85,000, "
        "opening rooms £60,000, closing desks £20,000)" in text
    )
    assert "(5 years, 3.5% discount rate):** £424,886" in text
    assert "**Payback:** Oct 2029 (month 28 of the plan)" in text
    # savings per financial year, the first one partial
    assert "| 2027/28 (9 months) | £822,750 | £754,667 | £396,000 | -£327,917 | -£327,917 |" in text
    assert "| 2031/32 | £1,097,000 | £888,000 | £0 | £209,000 | £508,083 |" in text
    # partners, with the worse-off flag
    assert re.search(r"\| Riverside District Council \|.*\| -£7,946 \| \*\*worse off\*\* \|", text)
    assert re.search(r"\| Hilltop Borough Council \|.*\| £155,169 \|  \|", text)
    assert "**1 partner worse off over the horizon:** Riverside District Council." in text
    # every closed room and every moved workload, with its reason
    for r in severnvale["rooms"]:
        assert r["id"] in text
    assert "| riverside-mr | close | from Oct 2027 | Closed: its three systems fit" in text
    assert "| colo-hall | open (new) | from Oct 2027 | Opened:" in text
    for a in severnvale["assignments"]:
        if a["month"]:
            assert a["workload"] in text
            assert a["reason"].replace("_", "\\_")[:40] in text
    assert "## Moves: 8 workloads in 5 waves, Aug 2027 – Jan 2028" in text
    assert "- **riverside-mr → county-hall-mr**: 3 workloads, Aug 2027 – Sep 2027\n" in text
    assert "  - riverside-email (Sep 2027): riverside-mr closes; county-hall-mr has room" in text
    # staff by partner
    assert "| Severnvale County Council | 8 | 12.5 | 0 | 4.25 | 0 | 0.25 |" in text


def test_summary_infeasible(infeasible: dict[str, Any]) -> None:
    text = summary_markdown(infeasible)
    assert "No feasible plan" in text
    assert "## Why there is no plan" in text
    for sentence in infeasible["explanation"]:
        assert sentence.split("(")[0].strip() in text.replace("\\", "")
    assert "Today's running cost: £545,000 a year." in text
    assert "## Partners" not in text
    assert "## Moves" not in text


def test_summary_feasible_with_gap(severnvale: dict[str, Any]) -> None:
    p = copy.deepcopy(severnvale)
    p["solver"].update(status="feasible", bound=p["solver"]["objective"] * 0.99, gap=0.01)
    text = summary_markdown(p)
    assert "Feasible plan: it meets every rule and is within 1.00% of the cheapest" in text


def test_summary_says_when_the_schedule_is_not_proven(severnvale: dict[str, Any]) -> None:
    p = copy.deepcopy(severnvale)
    p["solver"]["schedule_status"] = "feasible"
    text = summary_markdown(p)
    assert "schedule meets every rule but is not proven the best" in text
    assert "not proven the best" in report_html(p)
    assert "not proven the best" not in summary_markdown(severnvale)


def test_summary_escapes_markdown(hostile: dict[str, Any]) -> None:
    text = summary_markdown(hostile)
    # no '<' or '>' that a markdown renderer could take for HTML: each is backslash-escaped
    assert re.search(r"(?<!\\)[<>]", text) is None
    assert r"\<script\>alert(1)\</script\>" in text
    assert r"\<b\>riverside\</b\>-mr\|pipe" in text
    # the table rows keep their column count despite '|' in an id
    row = next(line for line in text.splitlines() if line.startswith(r"| \<b\>riverside"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 5


def render_console(renderable: Any) -> str:
    console = Console(width=120, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def test_terminal_summary(severnvale: dict[str, Any], infeasible: dict[str, Any]) -> None:
    out = render_console(terminal_summary(severnvale))
    assert "Severnvale shared ICT" in out
    assert "optimal" in out
    assert "£1,097,000" in out
    assert "£888,000" in out
    assert "WORSE OFF" in out
    assert "Payback: Oct 2029" in out
    assert "2031/32" in out
    out = render_console(terminal_summary(infeasible))
    assert "infeasible" in out
    assert "--max-rooms 1 allows one machine room" in out


def test_terminal_summary_wraps_on_a_soft_wrap_console(severnvale: dict[str, Any]) -> None:
    """planner's console prints with soft_wrap=True; lines inside the panel must still wrap
    rather than be cropped at the panel's edge."""
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None, soft_wrap=True)
    console.print(terminal_summary(severnvale))
    out = console.export_text()
    assert "closing desks £20,000)" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_terminal_summary_prints_markup_as_text(hostile: dict[str, Any]) -> None:
    out = render_console(terminal_summary(hostile))
    assert "[bold]ICT[/]" in out
    assert "[red]hilltop[/red]" in out


# ---------------------------------------------------------------- report.html


def test_html_sections_and_figures(severnvale: dict[str, Any]) -> None:
    page = report_html(severnvale)
    for section in (
        "headline",
        "rooms",
        "timeline",
        "finance",
        "partners",
        "staff",
        "security",
        "about",
    ):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") >= 5  # running cost, Gantt, two finance charts, sparks
    assert 'class="chart gantt"' in page
    assert "Savings by financial year" in page
    assert "Cumulative savings" in page
    arrow = '<span class="arrow">→</span></span> <span class="nw">'
    assert f">5 {arrow}3<" in page  # rooms before -> after
    assert f">4 {arrow}2<" in page  # desks
    assert f">£1.10m {arrow}£888k<" in page
    assert "payback Oct 2029" in page
    assert '<tr class="worse">' in page
    assert "worse off" in page
    assert "<code>riverside</code>" in page
    for a in severnvale["assignments"]:
        if a["month"]:
            assert f"<code>{a['workload']}</code>" in page
    # Gantt: one bar per workload (few moves), with tooltips
    assert (
        "<title>riverside-revs (Revenues and benefits): riverside-mr → county-hall-mr, Aug 2027"
        in page
    )
    assert "closes Oct 2027" in page
    assert "opens Oct 2027" in page


def test_html_contents_link_only_to_sections_the_page_has(severnvale: dict[str, Any]) -> None:
    full = report_html(severnvale)
    for anchor in ("rooms", "timeline", "finance", "partners", "staff"):
        assert f'href="#{anchor}"' in full
        assert f'id="{anchor}"' in full
    bare = copy.deepcopy(severnvale)
    bare["organisations"] = []
    bare["staff"] = {k: v for k, v in bare["staff"].items() if not isinstance(v, list)}
    page = report_html(bare)
    assert 'href="#partners"' not in page
    assert 'id="partners"' not in page
    for anchor in re.findall(r'href="#([a-z-]+)"', page):
        assert f'id="{anchor}"' in page, anchor


def test_html_is_self_contained(severnvale: dict[str, Any]) -> None:
    page = report_html(severnvale)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    assert "url(" not in page
    assert re.findall(r"<script\b", page) == ["<script"]
    assert re.search(r"<link\b", page) is None


def test_html_inlines_the_style_sheet_shipped_with_the_package(
    severnvale: dict[str, Any],
) -> None:
    """report.css is package data (it ships in the wheel) and the page carries it whole."""
    sheet = resources.files("planner.reports").joinpath("report.css")
    assert sheet.is_file()
    css = sheet.read_text(encoding="utf-8")
    assert css.startswith(":root{")
    assert css.endswith("}\n")
    assert f"<style>\n{css}</style>" in report_html(severnvale)


def test_html_csp_allows_exactly_its_script(severnvale: dict[str, Any]) -> None:
    page = report_html(severnvale)
    digest = b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert f"script-src &#x27;sha256-{digest}&#x27;" in csp.group(1)
    assert "default-src &#x27;none&#x27;" in csp.group(1)
    assert f"<script>{SCRIPT}</script>" in page


def test_html_escapes_every_plan_string(hostile: dict[str, Any]) -> None:
    page = report_html(hostile)
    assert "<script>alert" not in page
    assert "</svg><script>" not in page
    assert "<img src=x" not in page
    assert "<b>riverside</b>" not in page
    assert "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Severn&quot; &#x27;vale&#x27;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "colo&quot;hall&#x27;&lt;i&gt;" in page
    # only the page's own script element
    assert len(re.findall(r"<script\b", page)) == 1
    # no attribute was broken out of: every tag's quotes balance
    for tag in re.findall(r"<[a-zA-Z][^<>]*>", page):
        assert tag.count('"') % 2 == 0, tag


def test_html_infeasible(infeasible: dict[str, Any]) -> None:
    page = report_html(infeasible)
    assert "No feasible plan" in page
    assert "Why there is no plan" in page
    for sentence in infeasible["explanation"]:
        assert sentence.replace("'", "&#x27;") in page
    assert '<section id="timeline">' not in page
    assert "£545k" in page


def test_html_large_plan_groups_the_gantt() -> None:
    p = plan("large")
    page = report_html(p)
    n = sum(1 for a in p["assignments"] if a["month"])
    assert n > 200
    gantt = page[page.index('class="chart gantt"') :]
    gantt = gantt[: gantt.index("</svg>")]
    # grouped: one row per (destination, source), not one per workload
    assert "from epn-mr (16)" in gantt
    assert "epn-sys03  ←" not in gantt
    assert gantt.count("<rect") < 400
    # the full list is still there, collapsed
    assert "<details><summary>Into <code>cheshire-cc-mr</code>: 112 workloads" in page
    for a in p["assignments"]:
        if a["month"]:
            assert f"<code>{a['workload']}</code>" in page


def with_zone_rules(p: dict[str, Any]) -> dict[str, Any]:
    p = copy.deepcopy(p)
    p["zones"] = [
        {"id": "official", "name": "OFFICIAL", "requires": ["psn"]},
        {"id": "nhs", "name": "NHS (HSCN)", "requires": ["dspt"], "isolation": "none"},
    ]
    p["separate"] = [["nhs", "official"]]
    return p


def test_security_evidence_without_rules(severnvale: dict[str, Any]) -> None:
    ev = evidence(PlanView(severnvale))
    assert not ev.rules_recorded
    assert ev.months_checked == 6  # Aug 2027 .. Jan 2028
    z = {e.zone: e for e in ev.zones}
    assert [r for r, _ in z["official"].rooms_before] == [
        "county-hall-mr",
        "annexe-mr",
        "riverside-mr",
        "hilltop-mr",
    ]
    assert z["official"].rooms_after == [
        ("county-hall-mr", ["psn"]),
        ("colo-hall", ["psn", "dspt"]),
    ]
    assert z["nhs"].rooms_after == [("pct-mr", ["dspt"])]
    assert z["nhs"].shares_during == []
    assert z["official"].shares_after == []
    page = report_html(severnvale)
    assert "rules not recorded in the plan" in page


def test_security_evidence_checks_recorded_rules(severnvale: dict[str, Any]) -> None:
    p = with_zone_rules(severnvale)
    ev = evidence(PlanView(p))
    assert ev.rules_recorded
    z = {e.zone: e for e in ev.zones}
    assert [(c.ok, c.text) for c in z["nhs"].checks] == [
        (True, "never shares a room with official (separate: [nhs, official])"),
        (True, "every room hosting it holds dspt"),
    ]
    page = report_html(p)
    assert "✓</span> never shares a room with official" in page


def test_security_evidence_finds_a_shared_room_during_the_migration(
    severnvale: dict[str, Any],
) -> None:
    """pct-db passes through colo-hall while council systems are there: a breach that
    exists only during the migration, not at either end."""
    p = with_zone_rules(severnvale)
    p["assignments"].append(
        {
            "workload": "pct-tmp",
            "from": "pct-mr",
            "to": "pct-mr",
            "month": None,
            "organisation": "vale-pct",
            "zone": "nhs",
        }
    )
    # move a nhs workload into colo-hall in Nov 2027 and keep it there
    a = next(x for x in p["assignments"] if x["workload"] == "pct-db")
    a.update(to="colo-hall", month="2027-11")
    ev = evidence(PlanView(p))
    nhs = next(e for e in ev.zones if e.zone == "nhs")
    assert "official" in nhs.shares_during
    bad = [c for c in nhs.checks if not c.ok]
    assert bad
    assert "first in colo-hall, Nov 2027" in bad[0].text
    assert "✗</span> shares a room with official" in report_html(p)


# ---------------------------------------------------------------- plan.xlsx and moves.csv


def test_xlsx_sheets_and_values(severnvale: dict[str, Any]) -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(severnvale)))
    assert wb.sheetnames[:5] == ["moves", "rooms", "years", "organisations", "staff"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.bold for c in ws[1] if c.value), ws.title
    moves = wb["moves"]
    head = [c.value for c in moves[1]]
    assert head[:7] == ["Workload", "Name", "Partner", "Zone", "From room", "To room", "Month"]
    rows = list(moves.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 8 + 1  # moves and a total row
    first = rows[0]
    assert first[:6] == (
        "riverside-revs",
        "Revenues and benefits",
        "riverside",
        "official",
        "riverside-mr",
        "county-hall-mr",
    )
    assert first[6] == datetime(2027, 8, 1)
    assert first[7] == "2027/28"
    assert first[8] == 160000.0
    assert moves.cell(row=2, column=9).number_format.startswith('"£"#,##0.00')
    assert moves.cell(row=2, column=7).number_format == "mmm yyyy"
    assert rows[-1][0] == "Total"
    assert rows[-1][8] == 231000.0

    years = list(wb["years"].iter_rows(min_row=2, values_only=True))
    assert [y[0] for y in years] == ["2027/28", "2028/29", "2029/30", "2030/31", "2031/32", "Total"]
    assert years[0][1:7] == (9, 822750.0, 754666.67, 396000.0, -327916.67, -327916.67)
    assert years[-1][5] == pytest.approx(508083.33)
    assert years[-1][8] == pytest.approx(424885.89)
    assert wb["years"].cell(row=2, column=6).number_format.startswith('"£"')

    orgs = {r[0]: r for r in wb["organisations"].iter_rows(min_row=2, values_only=True)}
    assert orgs["riverside"][7] == pytest.approx(-7946.37)
    assert orgs["riverside"][8] == "yes"
    assert orgs["hilltop"][8] == "no"

    rooms = {r[0]: r for r in wb["rooms"].iter_rows(min_row=2, values_only=True)}
    assert rooms["riverside-mr"][1:3] == ("close", datetime(2027, 10, 1))
    assert rooms["colo-hall"][1] == "open"
    assert rooms["colo-hall"][3] == datetime(2027, 10, 1)
    assert rooms["science-park-colo"][1] == "unused"

    staff = list(wb["staff"].iter_rows(min_row=2, values_only=True))
    assert staff[0][0] == "severn-county"
    assert staff[0][6] == 4.25
    assert staff[-1][:5] == ("Total", 13, 12, 6.5, 3.5)
    summary = {r[0]: r[1] for r in wb["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Net present value of savings"] == pytest.approx(424885.89)
    assert summary["Payback month"] == datetime(2029, 10, 1)


def test_xlsx_text_is_never_a_formula(hostile: dict[str, Any]) -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(hostile)))
    reasons = [c for c in wb["moves"]["K"] if isinstance(c.value, str)]
    formula = next(c for c in reasons if c.value.startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    bell = next(c for c in reasons if c.value.startswith("@SUM"))
    assert "\x07" not in bell.value
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)


def test_xlsx_infeasible_has_headers_and_the_explanation(infeasible: dict[str, Any]) -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(infeasible)))
    assert wb["moves"].max_row == 1
    summary = {r[0]: r[1] for r in wb["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Solver status"] == "infeasible"
    assert summary["Why no plan (1)"].startswith("--max-rooms 1")


def test_moves_csv(severnvale: dict[str, Any]) -> None:
    text = moves_csv(severnvale)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == MOVES_COLUMNS
    assert len(rows) == 8
    assert rows[0] == {
        "workload": "riverside-revs",
        "name": "Revenues and benefits",
        "organisation": "riverside",
        "zone": "official",
        "from": "riverside-mr",
        "to": "county-hall-mr",
        "month": "2027-08",
        "financial_year": "2027/28",
        "migration_cost": "160000.00",
        "migration_days": "8",
        "reason": severnvale["assignments"][4]["reason"],
    }
    assert moves_csv(plan("infeasible")) == ",".join(MOVES_COLUMNS) + "\n"


def test_moves_csv_neutralises_formulas(hostile: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(moves_csv(hostile))))
    reasons = {r["workload"]: r["reason"] for r in rows}
    assert reasons["riverside-revs"] == '\'=HYPERLINK("http://evil.example","click")'
    assert reasons["<script>alert(1)</script>"].startswith("hilltop-mr closes")


# ---------------------------------------------------------------- write_reports


def test_write_reports_writes_every_file(tmp_path: Path, severnvale: dict[str, Any]) -> None:
    paths = write_reports(severnvale, tmp_path)
    assert [p.name for p in paths] == list(REPORT_FILES)
    assert sorted(os.listdir(tmp_path)) == sorted(REPORT_FILES)  # no temporary files left
    umask = os.umask(0)
    os.umask(umask)
    for p in paths:
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == summary_markdown(severnvale)
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == report_html(severnvale)


def test_write_reports_infeasible(tmp_path: Path, infeasible: dict[str, Any]) -> None:
    write_reports(infeasible, tmp_path)
    assert "No feasible plan" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_existing_reports_survive_a_failing_render(
    tmp_path: Path, severnvale: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_reports(severnvale, tmp_path)
    before = {n: (tmp_path / n).read_bytes() for n in REPORT_FILES}

    def broken(plan: dict[str, Any]) -> bytes:
        raise RuntimeError("renderer failed")

    import planner.reports.tables as tables

    monkeypatch.setattr(tables, "plan_xlsx", broken)  # the third of four renderers
    changed = copy.deepcopy(severnvale)
    changed["estate"] = "Renamed estate"
    with pytest.raises(RuntimeError, match="renderer failed"):
        write_reports(changed, tmp_path)
    assert {n: (tmp_path / n).read_bytes() for n in REPORT_FILES} == before
    assert sorted(os.listdir(tmp_path)) == sorted(REPORT_FILES)


def test_existing_report_survives_a_failing_write(
    tmp_path: Path, severnvale: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half way (disk full) leaves the old file and no temporary."""
    write_reports(severnvale, tmp_path)
    before = (tmp_path / "summary.md").read_bytes()
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.f = real_fdopen(fd, "wb")

        def write(self, data: Any) -> int:
            self.f.write(bytes(data)[:10])
            self.f.flush()
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            self.f.close()
            super().close()

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(fd))
    with pytest.raises(OSError, match="No space"):
        write_reports(severnvale, tmp_path)
    monkeypatch.undo()
    assert (tmp_path / "summary.md").read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == sorted(REPORT_FILES)


def test_write_reports_rejects_a_bad_plan(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="format"):
        write_reports({"estate": "x"}, tmp_path)
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- diff


def test_diff_same_plan(severnvale: dict[str, Any]) -> None:
    d = diff_plans(severnvale, severnvale)
    assert d.same_decisions
    assert not d.notes
    assert "Same decisions" in diff_markdown(d)


def test_diff_changes(severnvale: dict[str, Any]) -> None:
    b = copy.deepcopy(severnvale)
    b["options"]["max_rooms"] = 4
    hill = next(r for r in b["rooms"] if r["id"] == "hilltop-mr")
    hill.update(decision="keep", close_month=None)
    for a in b["assignments"]:
        if a["from"] == "hilltop-mr":
            a.update(to="hilltop-mr", month=None)
        if a["workload"] == "riverside-email":
            a["month"] = "2027-10"
    b["costs"]["planned_steady"] += 90000.0
    b["finance"]["npv"] -= 300000.0
    b["finance"]["payback_month"] = "2030-03"
    b["organisations"][2]["savings"] -= 60000.0
    b["organisations"][2]["horizon_savings"] = -5000.0
    b["organisations"][2]["worse_off"] = True
    d = diff_plans(severnvale, b, "a", "b")
    assert [(r.id, r.a, r.a_month, r.b) for r in d.rooms] == [
        ("hilltop-mr", "close", "2027-12", "keep")
    ]
    moved = {m.workload: m for m in d.moves}
    assert set(moved) == {"hilltop-planning", "hilltop-gis", "hilltop-files", "riverside-email"}
    assert (moved["riverside-email"].a_month, moved["riverside-email"].b_month) == (
        "2027-09",
        "2027-10",
    )
    assert "Options changed: max_rooms 3 → 4." in d.notes
    text = diff_markdown(d)
    assert "| hilltop-mr | close Dec 2027 | keep |" in text
    assert "| riverside-email | county-hall-mr, Sep 2027 | county-hall-mr, Oct 2027 |" in text
    assert "| Running cost a year in the plan | £888,000 | £978,000 | +£90,000 |" in text
    assert "| Net present value | £424,886 | £124,886 | -£300,000 |" in text
    assert "| Payback | Oct 2029 | Mar 2030 | +5 months |" in text
    assert (
        "| hilltop | £63,351 | £3,351 | -£60,000 | £155,169 | -£5,000 | -£160,169 | "
        "now worse off |" in text
    )
    out = render_console(__import__("planner.reports.diff", fromlist=["x"]).diff_renderable(d))
    assert "now worse off" in out
    assert "hilltop-mr" in out


def test_diff_feasible_against_infeasible(
    severnvale: dict[str, Any], infeasible: dict[str, Any]
) -> None:
    d = diff_plans(severnvale, infeasible)
    assert any("different estates" in n for n in d.notes)
    assert all(r.b is None for r in d.rooms)
    text = diff_markdown(d)
    assert "(not in plan)" in text
    assert "| Status | optimal | infeasible | changed |" in text


# ---------------------------------------------------------------- formats and chart scales


@pytest.mark.parametrize(
    ("x", "full", "short", "tick"),
    [
        (0.0, "£0", "£0", "£0"),
        (-0.4, "£0", "£0", "£0"),
        (950.0, "£950", "£950", "£950"),
        (-7946.37, "-£7,946", "-£7.9k", "-£7.95k"),
        (209000.0, "£209,000", "£209k", "£209k"),
        (1097000.0, "£1,097,000", "£1.10m", "£1.1m"),
        (-327916670.0, "-£327,916,670", "-£328m", "-£327.92m"),
        (-1163916670.0, "-£1,163,916,670", "-£1.16bn", "-£1.16bn"),
    ],
)
def test_money_formats(x: float, full: str, short: str, tick: str) -> None:
    from planner.reports import fmt

    assert fmt.gbp(x) == full
    assert fmt.gbp_short(x) == short
    assert fmt.gbp_tick(x) == tick


def test_chart_scales() -> None:
    from planner.reports.svg import nice_ticks

    assert nice_ticks(0.0, 0.0) == [0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]
    ticks = nice_ticks(-327917.0, 209000.0)
    assert ticks[0] <= -327917.0
    assert ticks[-1] >= 209000.0
    assert 0.0 in ticks
    assert len(ticks) <= 8
