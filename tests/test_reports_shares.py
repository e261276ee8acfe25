"""The reports of a plan with a fair split (spec/decisions.md, "Partners: a fair split"):
the share rule in words, the transfers between partners and each partner's net over the
horizon before and after them, in summary.md, report.html, plan.xlsx and the console.

The plans are the severnvale fixture (tests/data/plans/) with the keys a fair split adds:
``finance.share_rule``, top-level ``transfers`` and each organisation's ``share`` and
``horizon_savings_after_transfers`` (and ``shapley_value`` under the Shapley rule).
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from helpers.chromium import CHROMIUM, load_page
from helpers.report_parts import Balance, sheet_rows
from openpyxl import load_workbook
from rich.console import Console

from planner.reports import render_reports, write_reports
from planner.reports.summary import terminal_summary

PLANS = DATA / "plans"

# The proportional split of severnvale's total net over the 5 years (£508,083.34), in
# proportion to each partner's running cost today, and the payments that reach it
# (largest first, as planner/plan/shares.py makes them).
SHARES = {
    "severn-county": 213052.27,
    "riverside": 100505.09,
    "hilltop": 102820.88,
    "vale-pct": 91705.10,
}
TRANSFERS = [
    {"from": "severn-county", "to": "riverside", "amount": 108451.46},
    {"from": "severn-county", "to": "vale-pct", "amount": 39357.06},
    {"from": "hilltop", "to": "vale-pct", "amount": 52348.04},
]
NEW_WORDING = (
    "share rule",
    "before transfers",
    "after transfers",
    "no transfers",
    "no longer worse off",
    " pays ",
    "transfers between partners",
)
"""Phrases only a plan with a fair split brings into the reports."""


def load(name: str) -> dict[str, Any]:
    """A fixture plan as json.load gives it."""
    return json.loads((PLANS / name / "plan.json").read_text(encoding="utf-8"))


def with_split(
    plan: dict[str, Any],
    rule: str,
    transfers: list[dict[str, Any]],
    shares: dict[str, float] | None = None,
) -> dict[str, Any]:
    """``plan`` with a share rule, transfers and each partner's share (its allocated net
    less what it pays plus what it receives, unless ``shares`` gives it)."""
    out = copy.deepcopy(plan)
    out["finance"]["share_rule"] = rule
    out["transfers"] = copy.deepcopy(transfers)
    for o in out["organisations"]:
        paid = sum(t["amount"] for t in transfers if t["from"] == o["id"])
        got = sum(t["amount"] for t in transfers if t["to"] == o["id"])
        share = (shares or {}).get(o["id"], round(o["horizon_savings"] - paid + got, 2))
        o["share"] = share
        o["horizon_savings_after_transfers"] = share
    return out


@pytest.fixture
def proportional() -> dict[str, Any]:
    return with_split(load("severnvale"), "proportional", TRANSFERS, SHARES)


def console_text(plan: dict[str, Any]) -> str:
    """What terminal_summary prints on a wide console without colour."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(terminal_summary(plan))
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


def partners_md(plan: dict[str, Any]) -> str:
    """The partners section of summary.md."""
    text = render_reports(plan)["summary.md"].decode()
    return text[text.index("## Partners") : text.index("## Staff")]


def partners_html(plan: dict[str, Any]) -> str:
    """The partners section of report.html."""
    html = render_reports(plan)["report.html"].decode()
    start = html.index('<section id="partners">')
    return html[start : html.index("</section>", start) + len("</section>")]


# ---------------------------------------------------------------- the fixture itself


def test_split_fixture_adds_up(proportional: dict[str, Any]) -> None:
    """The shares add up to the partnership's net, and each is the allocated net less
    what the partner pays plus what it receives (to the penny)."""
    orgs = proportional["organisations"]
    total = sum(o["horizon_savings"] for o in orgs)
    assert sum(o["share"] for o in orgs) == pytest.approx(total, abs=0.01)
    for o in orgs:
        paid = sum(t["amount"] for t in TRANSFERS if t["from"] == o["id"])
        got = sum(t["amount"] for t in TRANSFERS if t["to"] == o["id"])
        assert o["horizon_savings"] - paid + got == pytest.approx(o["share"], abs=0.01)


# ---------------------------------------------------------------- summary.md


def test_summary_md_shows_rule_transfers_and_net_before_and_after(
    proportional: dict[str, Any],
) -> None:
    md = partners_md(proportional)
    assert "Share rule: proportional" in md
    assert "in proportion to its running cost today" in md
    header = next(line for line in md.splitlines() if line.startswith("| Partner"))
    for col in ("Net before transfers", "Pays", "Receives", "Net after transfers"):
        assert col in header
    riverside = next(line for line in md.splitlines() if "Riverside District" in line)
    cells = [c.strip() for c in riverside.strip("|").split("|")]
    assert cells[5:] == ["-£7,946", "", "£108,451", "£100,505", "no longer worse off"]
    severn = next(line for line in md.splitlines() if "| Severnvale County" in line)
    assert "£360,861 | £147,809 |  | £213,052" in severn
    assert "worse off over the horizon before transfers:** Riverside District Council" in md
    assert "After transfers, no partner is worse off over the 5 years." in md
    assert "**Transfers** (payments between partners):" in md
    assert (
        "- Severnvale County Council pays Riverside District Council £108,451 over the 5 years"
        in md
    )
    assert "- Hilltop Borough Council pays Vale Primary Care Trust £52,348 over the 5 years" in md


def test_summary_md_allocated_rule_says_no_transfers_in_one_line() -> None:
    plan = with_split(load("severnvale"), "allocated", [])
    md = partners_md(plan)
    lines = [line for line in md.splitlines() if "transfers" in line.lower()]
    assert lines == [
        "Share rule: allocated (each partner keeps the net saving that the cost-sharing rules "
        "give it). No transfers: each partner keeps its allocated net over the 5 years."
    ]
    assert "| Net over horizon |" in md
    assert "Pays" not in md


def test_summary_md_rule_without_transfers_key_claims_nothing_of_them() -> None:
    """A plan that names its rule but not its transfers: the rule, and no claim that
    there are none (absent is no information)."""
    plan = load("severnvale")
    plan["finance"]["share_rule"] = "proportional"
    md = partners_md(plan)
    assert "Share rule: proportional" in md
    assert "No transfers" not in md
    assert "| Net over horizon |" in md


def test_summary_md_shapley_rule_and_values() -> None:
    shapley = {"severn-county": 250000.0, "riverside": 90000.0, "hilltop": 100000.0}
    plan = with_split(load("severnvale"), "shapley", TRANSFERS[:2])
    for o in plan["organisations"]:
        o["shapley_value"] = shapley.get(o["id"], 0.0)
    md = partners_md(plan)
    assert "Share rule: Shapley value" in md
    assert "| Shapley value |" in md
    assert "£250,000" in md


# ---------------------------------------------------------------- report.html


def test_report_html_shows_transfers_and_who_is_no_longer_worse_off(
    proportional: dict[str, Any],
) -> None:
    section = partners_html(proportional)
    Balance().feed(section)
    for col in ("Net before transfers", "Pays", "Receives", "Net after transfers"):
        assert f">{col}</th>" in section
    assert "Share rule: proportional" in section
    assert "<h3>Transfers between partners</h3>" in section
    assert (
        "<li><code>severn-county</code> pays <code>riverside</code> £108,451 over the 5 years</li>"
        in section
    )
    assert "<li><code>hilltop</code> pays <code>vale-pct</code> £52,348 over the 5 years</li>" in (
        section
    )
    row = re.search(r"<tr[^>]*><th scope=\"row\"><code>riverside</code>.*?</tr>", section)
    assert row is not None
    assert '<span class="badge warn">no longer worse off</span>' in row.group(0)
    assert "£108,451" in row.group(0)
    assert '<td class="num strong">£100,505</td>' in row.group(0)
    assert 'class="worse"' not in row.group(0)
    assert '<p class="status good">After transfers, no partner is worse off' in section
    assert "before transfers: <code>riverside</code>" in section


def test_report_html_flags_a_partner_still_worse_off_after_transfers() -> None:
    """Transfers that do not cover a partner's loss leave it flagged, in red."""
    small = [{"from": "severn-county", "to": "riverside", "amount": 5000.0}]
    section = partners_html(with_split(load("severnvale"), "proportional", small))
    row = re.search(r"<tr[^>]*><th scope=\"row\"><code>riverside</code>.*?</tr>", section)
    assert row is not None
    assert row.group(0).startswith('<tr class="worse">')
    assert '<span class="badge bad">worse off</span>' in row.group(0)
    assert '<td class="num strong neg">-£2,946</td>' in row.group(0)
    assert "1 partner is still worse off over the 5 years: <code>riverside</code>" in section


def test_report_html_escapes_partner_ids_in_transfers() -> None:
    plan = load("hostile")
    odd = "<b>x</b>&"
    plan["organisations"][0]["id"] = odd
    plan = with_split(plan, "proportional", [{"from": odd, "to": "riverside", "amount": 10.0}])
    html = render_reports(plan)["report.html"].decode()
    assert "<b>x</b>" not in html
    assert "<code>&lt;b&gt;x&lt;/b&gt;&amp;</code> pays <code>riverside</code> £10" in html


# ---------------------------------------------------------------- plan.xlsx


def test_xlsx_organisations_before_and_after_and_transfers_sheet(
    proportional: dict[str, Any],
) -> None:
    wb = load_workbook(io.BytesIO(render_reports(proportional)["plan.xlsx"]))
    assert wb.sheetnames.index("transfers") == wb.sheetnames.index("organisations") + 1
    orgs = list(wb["organisations"].iter_rows(values_only=True))
    head = orgs[0]
    before = head.index("Net before transfers")
    moved = head.index("Transfers (received - paid)")
    after = head.index("Net after transfers")
    rows = {r[0]: r for r in orgs[1:]}
    assert rows["riverside"][before] == pytest.approx(-7946.37)
    assert rows["riverside"][moved] == pytest.approx(108451.46)
    assert rows["riverside"][after] == pytest.approx(100505.09)
    assert rows["severn-county"][moved] == pytest.approx(-147808.52)
    assert rows["riverside"][head.index("Worse off before transfers")] == "yes"
    assert rows["riverside"][head.index("Worse off after transfers")] == "no"
    assert rows["Total"][after] == pytest.approx(508083.34)
    assert list(wb["transfers"].iter_rows(values_only=True)) == [
        ("From (pays)", "To (receives)", "Amount GBP"),
        ("severn-county", "riverside", 108451.46),
        ("severn-county", "vale-pct", 39357.06),
        ("hilltop", "vale-pct", 52348.04),
        ("Total", None, pytest.approx(200156.56)),
    ]
    assert wb["transfers"]["C2"].number_format.startswith('"£"')
    summary = dict(r for r in wb["summary"].iter_rows(values_only=True))
    assert str(summary["Share rule"]).startswith("proportional (")
    assert summary["Transfers"] == (
        "3 payments between partners, £200,157 in all over the 5 years (sheet transfers)"
    )


def test_xlsx_transfers_keep_formula_text_as_text() -> None:
    plan = load("severnvale")
    plan["organisations"][0]["id"] = "=1+1"
    plan = with_split(plan, "proportional", [{"from": "=1+1", "to": "riverside", "amount": 1.0}])
    wb = load_workbook(io.BytesIO(render_reports(plan)["plan.xlsx"]))
    cell = wb["transfers"]["A2"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"


def test_xlsx_empty_transfers_give_a_sheet_with_only_its_header() -> None:
    plan = with_split(load("severnvale"), "allocated", [])
    assert sheet_rows(plan, "transfers") == [("From (pays)", "To (receives)", "Amount GBP")]
    summary = dict(r for r in sheet_rows(plan, "summary"))
    assert summary["Transfers"] == (
        "No transfers: each partner keeps its allocated net over the 5 years."
    )


# ---------------------------------------------------------------- console


def test_console_partners_gain_after_transfers(proportional: dict[str, Any]) -> None:
    text = console_text(proportional)
    lines = text.splitlines()
    head = next(line for line in lines if line.startswith("partner "))
    assert "net before transfers" in head
    assert "after transfers" in head.replace("net before transfers", "")
    riverside = next(line for line in lines if line.startswith("riverside "))
    assert riverside.split()[-3:] == ["-£7,946", "£108,451", "£100,505"]  # pays nothing
    assert "WORSE OFF" not in riverside
    assert "severn-county pays riverside £108,451 over the 5 years" in " ".join(text.split())


def test_console_without_transfers_is_as_before() -> None:
    plan = with_split(load("severnvale"), "allocated", [])
    assert console_text(plan) == console_text(load("severnvale"))


# ---------------------------------------------------------------- plans without the keys


@pytest.mark.parametrize("name", ["severnvale", "infeasible", "hostile", "large"])
def test_plans_without_the_keys_say_nothing_of_transfers(name: str) -> None:
    """Older plans and those of other tools: no fair-split wording anywhere, and the
    organisations sheet and console keep their columns."""
    plan = load(name)
    out = render_reports(plan)
    for report in ("summary.md", "report.html"):
        text = out[report].decode().lower()
        for phrase in NEW_WORDING:
            assert phrase not in text, (report, phrase)
    wb = load_workbook(io.BytesIO(out["plan.xlsx"]))
    assert "transfers" not in wb.sheetnames
    head = next(wb["organisations"].iter_rows(max_row=1, values_only=True))
    assert head[-2:] == ("Net over horizon", "Worse off")
    assert " pays " not in console_text(plan)


def test_removing_the_keys_renders_the_fixture_again(proportional: dict[str, Any]) -> None:
    """The new keys alone change the reports: without them, summary.md and report.html
    are byte for byte those of the fixture."""
    stripped = copy.deepcopy(proportional)
    del stripped["transfers"]
    del stripped["finance"]["share_rule"]
    for o in stripped["organisations"]:
        del o["share"]
        del o["horizon_savings_after_transfers"]
    assert stripped == load("severnvale")
    plain, shared = render_reports(stripped), render_reports(proportional)
    original = render_reports(load("severnvale"))
    for report in ("summary.md", "report.html", "moves.csv"):
        assert plain[report] == original[report]
        if report != "moves.csv":
            assert shared[report] != original[report]


def test_partners_with_transfers_fit_the_page_in_chromium(
    proportional: dict[str, Any], tmp_path: Path
) -> None:
    """In a browser the wider partners table fits (no sideways scrolling) and the badge of
    the partner that transfers make good shows."""
    if not CHROMIUM.exists():
        why = f"{CHROMIUM} not found: install Debian's chromium package to run browser tests"
        if os.environ.get("PLANNER_REQUIRE_CHROMIUM") == "1":
            pytest.fail(why + " (PLANNER_REQUIRE_CHROMIUM=1)")
        pytest.skip(why)
    write_reports(proportional, tmp_path)
    wraps = "document.querySelectorAll('#partners .table-wrap')"
    page = load_page(
        tmp_path / "report.html",
        expressions={
            "scrolls": f"[...{wraps}].filter(w => w.scrollWidth > w.clientWidth + 1).length",
            "badge": "document.querySelector('#partners .badge.warn').textContent",
            "wider": "document.documentElement.scrollWidth > window.innerWidth",
        },
        shots={},
    )
    assert page.errors == []
    assert page.values == {"scrolls": 0, "badge": "no longer worse off", "wider": False}
