"""The reports of a plan with decisions beyond keep-or-close (spec/decisions.md): the
accreditation upgrades it buys (``rooms[].upgrades_bought``, with their one-off cost in
``costs.one_off_breakdown.room_upgrade``) and the secure suites among its rooms
(``rooms[].within``), in summary.md, report.html, plan.xlsx, the console and
``planner diff``.

The plans are the severnvale fixture (tests/data/plans/) with those keys added by hand:
county-hall-mr gains dspt from October 2027, and a police suite built inside it opens in
November 2027 and takes pct-db (zone nhs, which requires dspt) from pct-mr.
"""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from helpers.report_parts import Balance
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from planner.cli import app
from planner.planfile import check_plan
from planner.reports import render_reports
from planner.reports.diff import diff_markdown, diff_plans, diff_renderable
from planner.reports.plan import PlanView
from planner.reports.security import evidence
from planner.reports.summary import terminal_summary

PLANS = DATA / "plans"
GAINS = "gains dspt from Oct 2027 (£50,000 once, £10,000 a year)"
SUITE = "county-hall-police-suite"
NEW_WORDING = (
    "upgrade",
    "suite inside",
    "accreditations after the plan",
    "holds dspt from",
    "before its upgrade",
)
"""Phrases only a plan with upgrades or suites brings into the reports (lower case)."""
GAINS_ANY = re.compile(r"gains \S+ from")


def load(name: str) -> dict[str, Any]:
    """A fixture plan as json.load gives it."""
    return json.loads((PLANS / name / "plan.json").read_text(encoding="utf-8"))


def room(plan: dict[str, Any], rid: str) -> dict[str, Any]:
    """The plan's room ``rid`` (to change in place)."""
    return next(r for r in plan["rooms"] if r["id"] == rid)


def with_decisions(plan: dict[str, Any], month: str = "2027-10") -> dict[str, Any]:
    """``plan`` (severnvale) where county-hall-mr gains dspt from ``month`` for £50,000 and
    £10,000 a year, and a police suite inside county-hall-mr opens in November 2027 and
    takes pct-db."""
    out = copy.deepcopy(plan)
    room(out, "county-hall-mr")["upgrades_bought"] = [
        {"accreditation": "dspt", "month": month, "cost": 50000.0, "annual_cost": 10000.0}
    ]
    for r in out["rooms"]:
        r.setdefault("upgrades_bought", [])  # every room with upgrade options: none bought
    out["rooms"].append(
        {
            "id": SUITE,
            "decision": "open",
            "close_month": None,
            "open_month": "2027-11",
            "site": "county-hall",
            "organisation": "severn-county",
            "status": "candidate",
            "annual_cost": 15000.0,
            "racks": 4,
            "power_kw": 12,
            "racks_used_before": 0,
            "racks_used_after": 1,
            "power_used_before": 0,
            "power_used_after": 3,
            "zones_before": [],
            "zones_after": ["nhs"],
            "accreditations": ["psn", "dspt"],
            "within": "county-hall-mr",
            "reason": "Opened: a secure suite for the health records database.",
        }
    )
    pct_db = next(a for a in out["assignments"] if a["workload"] == "pct-db")
    pct_db.update(to=SUITE, month="2027-11", migration_cost=5000.0, migration_days=3)
    out["costs"]["one_off_breakdown"]["room_upgrade"] = 50000.0
    out["costs"]["one_off"] += 50000.0
    return out


@pytest.fixture
def decisions() -> dict[str, Any]:
    return with_decisions(load("severnvale"))


def section(html: str, anchor: str) -> str:
    """One <section> of report.html."""
    start = html.index(f'<section id="{anchor}">')
    return html[start : html.index("</section>", start) + len("</section>")]


def room_decisions(rooms: str) -> str:
    """The machine room decisions of the rooms section (its table, no charts)."""
    start = rooms.index("<h3>Machine room decisions</h3>")
    return rooms[start : rooms.index("<h3>Service desk decisions</h3>", start)]


def html_of(plan: dict[str, Any]) -> str:
    return render_reports(plan)["report.html"].decode()


def summary_of(plan: dict[str, Any]) -> str:
    return render_reports(plan)["summary.md"].decode()


def sheet(plan: dict[str, Any], name: str) -> list[tuple[Any, ...]]:
    """The rows of one sheet of plan.xlsx (values only)."""
    wb = load_workbook(io.BytesIO(render_reports(plan)["plan.xlsx"]))
    return list(wb[name].iter_rows(values_only=True))


def console_text(renderable: Any) -> str:
    """What rich prints on a wide console without colour, spaces collapsed."""
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(renderable)
    return buf.getvalue()


# ---------------------------------------------------------------- the fixture itself


def test_fixture_is_a_readable_plan(decisions: dict[str, Any]) -> None:
    assert check_plan(decisions) == []
    assert check_plan(with_decisions(load("severnvale"), "2027-12")) == []


# ---------------------------------------------------------------- report.html


def test_html_rooms_section_says_what_a_room_gains_and_where_a_suite_is(
    decisions: dict[str, Any],
) -> None:
    rooms = section(html_of(decisions), "rooms")
    Balance().feed(room_decisions(rooms))
    hall = re.search(
        r'<tr class="dec-keep"><th scope="row"><code>county-hall-mr</code>.*?</tr>', rooms
    )
    assert hall is not None
    assert (
        '<td><code>psn</code><div class="sub">gains <code>dspt</code> from Oct 2027 '
        "(£50,000 once, £10,000 a year)</div></td>"
    ) in hall.group(0)
    suite = re.search(rf'<tr class="dec-open"><th scope="row"><code>{SUITE}</code>.*?</tr>', rooms)
    assert suite is not None
    assert '<div class="sub">suite inside <code>county-hall-mr</code></div>' in suite.group(0)
    assert "gains" not in suite.group(0)
    # other rooms are as they were
    pct = re.search(r'<tr class="dec-keep"><th scope="row"><code>pct-mr</code>.*?</tr>', rooms)
    assert pct is not None
    assert "gains" not in pct.group(0)
    assert "suite" not in pct.group(0)


def test_html_one_off_cost_names_accreditation_upgrades(decisions: dict[str, Any]) -> None:
    html = html_of(decisions)
    finance = section(html, "finance")
    assert "accreditation upgrades £50,000" in finance
    assert "One-off cost £446,000 (moving systems £231,000" in finance
    headline = section(html, "headline")
    assert "accreditation upgrades £50k" in headline


def test_html_security_section_lists_accreditations_after_the_plan(
    decisions: dict[str, Any],
) -> None:
    sec = section(html_of(decisions), "security")
    Balance().feed(sec)
    assert "with those bought and the month each is held from" in sec
    assert "<h3>Accreditations after the plan</h3>" in sec
    assert (
        "<li><code>county-hall-mr</code>: <code>psn</code>, <code>dspt</code> from Oct 2027</li>"
        in sec
    )
    # official's rooms after: county-hall-mr holds dspt from October 2027
    assert (
        '<li><code>county-hall-mr</code> <span class="sub">psn, dspt from Oct 2027</span></li>'
        in sec
    )
    # today's column shows today's accreditations only
    assert '<li><code>county-hall-mr</code> <span class="sub">psn</span></li>' in sec
    # the suite, in nhs's rooms after
    assert (
        f'<li><code>{SUITE}</code> <span class="sub">suite inside <code>county-hall-mr</code>; '
        "psn, dspt</span></li>"
    ) in sec


def test_html_escapes_accreditations_and_parents(decisions: dict[str, Any]) -> None:
    odd = copy.deepcopy(decisions)
    room(odd, "county-hall-mr")["upgrades_bought"][0]["accreditation"] = "<b>x</b>&"
    room(odd, SUITE)["within"] = "<i>hall</i>"
    html = html_of(odd)
    assert "<b>x</b>" not in html
    assert "<i>hall</i>" not in html
    assert "gains <code>&lt;b&gt;x&lt;/b&gt;&amp;</code> from Oct 2027" in html
    assert "suite inside <code>&lt;i&gt;hall&lt;/i&gt;</code>" in html
    Balance().feed(room_decisions(section(html, "rooms")))
    Balance().feed(section(html, "security"))


# ---------------------------------------------------------------- security evidence


def nhs_into_county_hall(plan: dict[str, Any], month: str) -> dict[str, Any]:
    """``plan`` with the rule that nhs requires dspt, and pct-records moving into
    county-hall-mr in ``month``."""
    out = copy.deepcopy(plan)
    out["zones"] = [{"id": "nhs", "name": "NHS (HSCN)", "requires": ["dspt"]}]
    records = next(a for a in out["assignments"] if a["workload"] == "pct-records")
    records.update(to="county-hall-mr", month=month)
    room(out, "county-hall-mr")["zones_after"] = ["official", "nhs"]
    return out


def nhs_check(plan: dict[str, Any]) -> tuple[bool, str]:
    """The requires check of zone nhs."""
    nhs = next(z for z in evidence(PlanView(plan)).zones if z.zone == "nhs")
    (check,) = [c for c in nhs.checks if c.text.startswith(("requires", "every room"))]
    return check.ok, check.text


def test_security_an_upgrade_counts_from_its_month(decisions: dict[str, Any]) -> None:
    """A zone that requires dspt may move into a room that gains it, from that month."""
    ok, text = nhs_check(nhs_into_county_hall(decisions, "2027-11"))
    assert ok
    assert text == "every room hosting it holds dspt (county-hall-mr holds dspt from Oct 2027)"
    ok, text = nhs_check(nhs_into_county_hall(decisions, "2027-10"))
    assert ok


def test_security_a_move_before_the_upgrade_is_flagged(decisions: dict[str, Any]) -> None:
    ok, text = nhs_check(nhs_into_county_hall(decisions, "2027-09"))
    assert not ok
    assert text == "requires dspt, not held by county-hall-mr in Sep 2027, before its upgrade"
    html = html_of(nhs_into_county_hall(decisions, "2027-09"))
    assert "✗</span> requires dspt, not held by county-hall-mr in Sep 2027" in html


def test_security_without_the_upgrade_the_room_does_not_hold_it() -> None:
    """The same move without an upgrade: as before, the room is named alone."""
    ok, text = nhs_check(nhs_into_county_hall(load("severnvale"), "2027-11"))
    assert not ok
    assert text == "requires dspt, not held by county-hall-mr"


def test_security_a_suite_holds_its_own_accreditations(decisions: dict[str, Any]) -> None:
    """The suite holds dspt itself; its parent's accreditations are not its own."""
    plan = copy.deepcopy(decisions)
    plan["zones"] = [{"id": "nhs", "requires": ["dspt"]}]
    assert nhs_check(plan) == (True, "every room hosting it holds dspt")
    room(plan, SUITE)["accreditations"] = ["psn"]
    assert nhs_check(plan) == (False, f"requires dspt, not held by {SUITE}")
    ev = evidence(PlanView(plan))
    assert ev.within == {SUITE: "county-hall-mr"}
    assert ev.held_from == {"county-hall-mr": {"dspt": "2027-10"}}


# ---------------------------------------------------------------- summary.md


def test_summary_md_rooms_say_what_they_gain_and_where_suites_are(
    decisions: dict[str, Any],
) -> None:
    text = summary_of(decisions)
    rooms = text[text.index("## Machine rooms") : text.index("## Service desks")]
    assert f"| {SUITE} (suite inside county-hall-mr) | open (new) | from Nov 2027 |" in rooms
    assert "Accreditation upgrades bought:\n\n- **county-hall-mr** " + GAINS + "\n" in rooms
    assert "**One-off cost:** £446,000 (moving systems £231,000, closing rooms £85,000, " in text
    assert "accreditation upgrades £50,000)" in text


def test_summary_md_escapes_upgrade_and_suite_names(decisions: dict[str, Any]) -> None:
    odd = copy.deepcopy(decisions)
    room(odd, "county-hall-mr")["upgrades_bought"][0]["accreditation"] = "*pasf*"
    room(odd, SUITE)["within"] = "hall_[1]"
    text = summary_of(odd)
    assert "gains \\*pasf\\* from Oct 2027" in text
    assert "(suite inside hall\\_\\[1\\])" in text


def test_several_upgrades_of_a_room_are_listed_by_month(decisions: dict[str, Any]) -> None:
    plan = copy.deepcopy(decisions)
    room(plan, "county-hall-mr")["upgrades_bought"].insert(
        0, {"accreditation": "pasf", "month": "2028-04", "cost": 250000.0}
    )
    text = summary_of(plan)
    assert f"- **county-hall-mr** {GAINS}; gains pasf from Apr 2028 (£250,000 once)" in text
    rows = {r[0]: r for r in sheet(plan, "rooms")}
    head = sheet(plan, "rooms")[0]
    hall = rows["county-hall-mr"]
    assert hall[head.index("Upgrades one-off")] == 300000
    assert hall[head.index("Upgrades cost a year")] == 10000


# ---------------------------------------------------------------- plan.xlsx


def test_xlsx_rooms_sheet_has_within_and_upgrades_columns(decisions: dict[str, Any]) -> None:
    rows = sheet(decisions, "rooms")
    head = rows[0]
    assert head[:3] == ("Room", "Within", "Decision")
    at = head.index("Accreditations")
    assert head[at + 1 : at + 4] == ("Upgrades bought", "Upgrades one-off", "Upgrades cost a year")
    by_id = {r[0]: r for r in rows[1:]}
    hall = by_id["county-hall-mr"]
    assert hall[1] is None
    assert hall[at + 1 :] == (GAINS, 50000, 10000, room(decisions, "county-hall-mr")["reason"])
    assert by_id[SUITE][1] == "county-hall-mr"
    assert by_id[SUITE][at + 1 : at + 4] == (None, None, None)
    wb = load_workbook(io.BytesIO(render_reports(decisions)["plan.xlsx"]))
    ws = wb["rooms"]
    cost = ws.cell(row=2, column=at + 3)
    assert cost.value == 50000
    assert cost.number_format.startswith('"£"')


def test_xlsx_summary_sheet_names_accreditation_upgrades(decisions: dict[str, Any]) -> None:
    items = dict(r for r in sheet(decisions, "summary"))
    assert items["One-off: accreditation upgrades"] == 50000
    assert items["One-off cost"] == 446000
    plan = copy.deepcopy(decisions)
    plan["costs"]["one_off_breakdown"]["room_upgrade"] = 0.0
    assert "One-off: accreditation upgrades" not in dict(r for r in sheet(plan, "summary"))


def test_xlsx_upgrade_options_without_a_purchase_keep_the_columns() -> None:
    """A plan that says, room by room, that it buys no upgrade: the columns, empty."""
    plan = load("severnvale")
    for r in plan["rooms"]:
        r["upgrades_bought"] = []
    rows = sheet(plan, "rooms")
    assert "Upgrades bought" in rows[0]
    assert "Within" not in rows[0]
    col = rows[0].index("Upgrades bought")
    assert {r[col] for r in rows[1:]} == {None}


# ---------------------------------------------------------------- console


def test_console_lists_upgrades_and_suites(decisions: dict[str, Any]) -> None:
    text = console_text(terminal_summary(decisions))
    flat = " ".join(text.split())
    assert "Accreditation upgrades bought" in text
    assert f"county-hall-mr {GAINS}" in flat
    assert f"{SUITE} (suite inside county-hall-mr) open (new) Nov 2027" in flat
    assert "accreditation upgrades £50,000" in flat


# ---------------------------------------------------------------- planner diff


def test_diff_reports_an_upgrade_bought_in_one_plan_only(decisions: dict[str, Any]) -> None:
    without = copy.deepcopy(decisions)
    room(without, "county-hall-mr")["upgrades_bought"] = []
    without["costs"]["one_off_breakdown"]["room_upgrade"] = 0.0
    without["costs"]["one_off"] -= 50000.0
    d = diff_plans(decisions, without)
    assert [(u.room, u.accreditation, u.a, u.b) for u in d.upgrades] == [
        ("county-hall-mr", "dspt", "2027-10", None)
    ]
    assert not d.same_decisions
    text = diff_markdown(d)
    assert "## Accreditation upgrades bought or moved to another month (1)" in text
    assert "| county-hall-mr: dspt | bought, from Oct 2027 | not bought |" in text
    assert "| One-off: accreditation upgrades | £50,000 | £0 | -£50,000 |" in text
    assert "Same decisions" not in text
    flat = " ".join(console_text(diff_renderable(d)).split())
    assert "county-hall-mr: dspt bought, from Oct 2027 not bought" in flat


def test_diff_reports_an_upgrade_in_another_month(decisions: dict[str, Any]) -> None:
    later = with_decisions(load("severnvale"), "2027-12")
    d = diff_plans(decisions, later)
    assert [(u.room, u.a, u.b) for u in d.upgrades] == [("county-hall-mr", "2027-10", "2027-12")]
    assert d.rooms == []
    assert d.moves == []
    assert "| county-hall-mr: dspt | bought, from Oct 2027 | bought, from Dec 2027 |" in (
        diff_markdown(d)
    )


def test_diff_of_a_plan_with_itself_covers_upgrades(decisions: dict[str, Any]) -> None:
    d = diff_plans(decisions, copy.deepcopy(decisions))
    assert d.upgrades == []
    assert d.same_decisions
    text = diff_markdown(d)
    assert "Same decisions: no room, accreditation upgrade, desk or workload changed." in text
    assert "accreditation upgrades | £50,000 | £50,000 |  |" in text


def test_diff_against_a_plan_without_the_keys(decisions: dict[str, Any]) -> None:
    """An older plan buys nothing: the upgrade is bought in B only; the suite is a room of
    B only (a decision change, as any room)."""
    d = diff_plans(load("severnvale"), decisions)
    assert [(u.room, u.a, u.b) for u in d.upgrades] == [("county-hall-mr", None, "2027-10")]
    assert [(r.id, r.a, r.b) for r in d.rooms] == [(SUITE, None, "open")]
    text = diff_markdown(d)
    assert "| county-hall-mr: dspt | not bought | bought, from Oct 2027 |" in text


def test_planner_diff_command_shows_the_upgrade(decisions: dict[str, Any], tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d, plan in ((a, decisions), (b, with_decisions(load("severnvale"), "2028-01"))):
        d.mkdir()
        (d / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    out = tmp_path / "changes.md"
    result = CliRunner().invoke(
        app, ["diff", str(a), str(b), "--out", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Accreditation upgrades bought or moved to another month (1)" in result.output
    assert "bought, from Jan 2028" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- plans without the keys


@pytest.mark.parametrize("name", ["severnvale", "infeasible", "hostile", "large"])
def test_plans_without_the_keys_say_nothing_of_upgrades_or_suites(name: str) -> None:
    """Older plans and those of other tools: none of the new words, sheets keep their
    columns, and the diff of a plan with itself says what it always said."""
    plan = load(name)
    out = render_reports(plan)
    for report in ("summary.md", "report.html"):
        text = out[report].decode().lower()
        for phrase in NEW_WORDING:
            assert phrase not in text, (report, phrase)
        assert not GAINS_ANY.search(text), report
    wb = load_workbook(io.BytesIO(out["plan.xlsx"]))
    head = next(wb["rooms"].iter_rows(max_row=1, values_only=True))
    assert "Within" not in head
    assert "Upgrades bought" not in head
    assert head[:2] == ("Room", "Decision")
    labels = [r[0] for r in wb["summary"].iter_rows(values_only=True)]
    assert not any("upgrade" in str(label).lower() for label in labels)
    assert "upgrade" not in console_text(terminal_summary(plan)).lower()
    d = diff_plans(plan, plan)
    assert d.upgrades == []
    text = diff_markdown(d).lower()
    assert "upgrade" not in text
    if d.same_decisions:
        assert "same decisions: no room, desk or workload changed." in text


def test_removing_the_keys_renders_the_fixture_again(decisions: dict[str, Any]) -> None:
    """The new keys alone change the reports: without them, summary.md and report.html
    are byte for byte those of the fixture."""
    stripped = copy.deepcopy(decisions)
    stripped["rooms"] = [r for r in stripped["rooms"] if r["id"] != SUITE]
    for r in stripped["rooms"]:
        del r["upgrades_bought"]
    pct_db = next(a for a in stripped["assignments"] if a["workload"] == "pct-db")
    pct_db.update(to="pct-mr", month=None, migration_cost=0.0, migration_days=0)
    del stripped["costs"]["one_off_breakdown"]["room_upgrade"]
    stripped["costs"]["one_off"] -= 50000.0
    original = load("severnvale")
    assert stripped == original
    plain, decided, before = (
        render_reports(stripped),
        render_reports(decisions),
        render_reports(original),
    )
    for report in ("summary.md", "report.html"):
        assert plain[report] == before[report]
        assert decided[report] != before[report]


def test_empty_upgrades_and_zero_upgrade_cost_render_as_before() -> None:
    """[] (none bought) and a zero room_upgrade say nothing in summary.md and report.html."""
    plan = load("severnvale")
    for r in plan["rooms"]:
        r["upgrades_bought"] = []
    plan["costs"]["one_off_breakdown"]["room_upgrade"] = 0.0
    out, before = render_reports(plan), render_reports(load("severnvale"))
    for report in ("summary.md", "report.html"):
        assert out[report] == before[report]
