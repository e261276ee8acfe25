"""summary.md (a short markdown account of a plan) and the console summary (rich)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from planner.reports import fmt
from planner.reports.fmt import md
from planner.reports.plan import Plan, PlanView, month_index
from planner.reports.wording import (
    DECISION_WORDS,
    after_transfers_sentence,
    compute_use,
    headline_rows,
    month_span,
    npv_label,
    one_off_text,
    payback_text,
    share_rule_sentence,
    status_sentence,
    suite_text,
    transfer_sentence,
    upgrade_text,
    upgrades_text,
)


def move_routes(v: PlanView) -> list[dict[str, Any]]:
    """Moves by route (from, to), routes in order of their first month; within a route,
    the moves grouped by reason, in order of their first month."""
    routes: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for a in v.moves:  # v.moves is in month order
        routes[(a["from"], a["to"])][a.get("reason") or ""].append(a)
    out = []
    for (src, dst), by_reason in routes.items():
        items = [a for group in by_reason.values() for a in group]
        months = sorted({a["month"] for a in items}, key=month_index)
        reasons = [{"reason": r, "moves": group} for r, group in by_reason.items()]
        out.append({"from": src, "to": dst, "moves": items, "months": months, "reasons": reasons})
    out.sort(key=lambda g: (month_index(g["months"][0]), g["to"], g["from"]))
    return out


# ---------------------------------------------------------------- markdown


def _table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    """A markdown table; ``align`` has one of l/r per column."""
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def summary_markdown(plan: Plan) -> str:
    """The text of summary.md."""
    v = PlanView(plan)
    L = _md_title(v)
    if not v.feasible:
        return "\n".join(L + _md_no_plan(v)) + "\n"
    for section in (
        _md_before_after,
        _md_years,
        _md_partners,
        _md_staff,
        _md_rooms,
        _md_desks,
        _md_moves,
    ):
        L += section(v)
    return "\n".join(L)


def _md_title(v: PlanView) -> list[str]:
    """The estate, what the solver proved, the objective, when and how the plan was made."""
    plan = v.plan
    L: list[str] = [f"# {md(v.estate)}: consolidation plan", ""]
    meta = []
    if plan.get("created"):
        meta.append(f"created {md(plan['created'])}")
    if plan.get("planner_version"):
        meta.append(f"planner {md(plan['planner_version'])}")
    opts = ", ".join(f"{md(k)} {md(val)}" for k, val in v.options.items() if val is not None)
    if opts:
        meta.append(f"options: {opts}")
    L += [f"**{status_sentence(v)}**", ""]
    if v.objective is not None:
        L += [f"Objective (one-off cost + discounted running costs): {fmt.gbp(v.objective)}.", ""]
    if meta:
        L += ["_" + "; ".join(meta) + "_", ""]
    return L


def _md_no_plan(v: PlanView) -> list[str]:
    """Why there is no plan, and today's running cost and staff."""
    L = ["## Why there is no plan", ""]
    L += [f"- {md(s)}" for s in v.explanation] or ["- (the plan gives no explanation)"]
    L += ["", f"Today's running cost: {fmt.gbp(v.baseline_steady)} a year."]
    s = v.staff
    if s.get("desk_fte_before") is not None or s.get("ops_fte_before") is not None:
        L.append(
            f"Today's staff: {fmt.num(s.get('desk_fte_before'))} service desk FTE, "
            f"{fmt.num(s.get('ops_fte_before'))} machine room FTE."
        )
    return L


def _md_before_after(v: PlanView) -> list[str]:
    """Rooms, desks, running cost and staff before and after; one-off cost, NPV, payback."""
    L = ["## Before and after", ""]
    L += _table(["", "Before", "After", "Change"], [list(r) for r in headline_rows(v)], "lrrr")
    L += [
        "",
        f"- **One-off cost:** {one_off_text(v)}",
        f"- **{npv_label(v)}:** {fmt.gbp(v.npv)}",
        f"- **Total savings over the horizon** (undiscounted, after one-off costs): "
        f"{fmt.gbp(v.total_savings)}",
        f"- **Payback:** {payback_text(v)}",
        "",
    ]
    return L


def _md_years(v: PlanView) -> list[str]:
    """Costs and savings by financial year, with the totals ([] without years)."""
    if not v.years:
        return []
    rows = []
    for y, c in zip(v.years, v.cumulative(), strict=True):
        months = y.get("months")
        label = md(y["year"]) + (f" ({months} months)" if months not in (None, 12) else "")
        rows.append(
            [
                label,
                fmt.gbp(y["baseline"]),
                fmt.gbp(y["planned"]),
                fmt.gbp(y["one_off"]),
                fmt.gbp(y["savings"]),
                fmt.gbp(c),
            ]
        )
    rows.append(
        [
            "**Total**",
            fmt.gbp(sum(y["baseline"] for y in v.years)),
            fmt.gbp(sum(y["planned"] for y in v.years)),
            fmt.gbp(sum(y["one_off"] for y in v.years)),
            f"**{fmt.gbp(sum(y['savings'] for y in v.years))}**",
            "",
        ]
    )
    return [
        "## Savings by financial year",
        "",
        *_table(
            ["Year", "Today's estate", "Plan", "One-off", "Savings", "Cumulative"], rows, "lrrrrr"
        ),
        "",
        "Savings = today's running cost - the plan's running cost - one-off costs.",
        "",
    ]


def _md_partners(v: PlanView) -> list[str]:
    """Each partner's costs and savings; who is worse off; how costs are shared; with a fair
    split, the share rule, the transfers and each partner's net before and after them."""
    if not v.organisations:
        return []
    header, align = _md_partner_header(v)
    rows = [_md_partner_row(v, o) for o in v.organisations]
    L = ["## Partners", "", *_table(header, rows, align), ""]
    L.append(_md_worse_off(v))
    if v.has_transfers:
        L.append(after_transfers_sentence(v, lambda ids: ", ".join(_md_org(v, i) for i in ids)))
    if v.finance.get("allocation"):
        L.append(f"Costs shared: {md(v.finance['allocation'])}.")
    L.append("")
    return L + _md_shares(v)


def _md_org(v: PlanView, org_id: str) -> str:
    """A partner as the partners table names it (its name when the plan gives one)."""
    return md(v.org_name(org_id) or org_id)


def _md_partner_header(v: PlanView) -> tuple[list[str], str]:
    """The partners table's headings and alignment (net before and after transfers, what
    each pays and receives, when the plan has transfers)."""
    head = ["Partner", "Cost a year today", "Cost a year after", "Saving a year", "One-off share"]
    if not v.has_transfers:
        return [*head, "Net over horizon", ""], "lrrrrrl"
    shapley = ["Shapley value"] if v.has_shapley else []
    after = ["Net before transfers", "Pays", "Receives", "Net after transfers"]
    return [*head, *shapley, *after, ""], "lrrrr" + "r" * (len(shapley) + 4) + "l"


def _md_partner_row(v: PlanView, o: dict[str, Any]) -> list[str]:
    """One partner's row of the partners table."""
    row = [
        md(o.get("name") or o["id"]),
        fmt.gbp(o["baseline"]),
        fmt.gbp(o["planned"]),
        fmt.gbp(o["savings"]),
        fmt.gbp(o.get("one_off")),
    ]
    if not v.has_transfers:
        return [*row, fmt.gbp(o.get("horizon_savings")), "**worse off**" if v.worse_off(o) else ""]
    paid, got = v.paid_received(o["id"])
    if v.has_shapley:
        row.append(fmt.gbp(o.get("shapley_value")))
    flag = ""
    if v.worse_off_after(o):
        flag = "**worse off**"
    elif v.worse_off(o):
        flag = "no longer worse off"
    return [
        *row,
        fmt.gbp(o.get("horizon_savings")),
        fmt.gbp(paid) if paid else "",
        fmt.gbp(got) if got else "",
        fmt.gbp(v.net_after(o)),
        flag,
    ]


def _md_worse_off(v: PlanView) -> str:
    """Who is worse off over the horizon (before transfers, when there are any)."""
    worse = [o.get("name") or o["id"] for o in v.organisations if v.worse_off(o)]
    when = " before transfers" if v.has_transfers else ""
    if not worse:
        return f"No partner is worse off over the horizon{when}."
    return (
        f"**{fmt.plural(len(worse), 'partner')} worse off over the horizon{when}:** "
        + ", ".join(md(w) for w in worse)
        + (
            ". Its share of one-off costs exceeds its"
            if len(worse) == 1
            else ". Their shares of one-off costs exceed their"
        )
        + " running-cost savings within the horizon."
    )


def _md_shares(v: PlanView) -> list[str]:
    """The share rule in words and the transfers between partners ([] when the plan says
    nothing of either: older plans and those of other tools)."""
    if v.transfers is None and v.share_rule is None:
        return []
    L = [md(share_rule_sentence(v)), ""]
    if v.has_transfers:
        L += ["**Transfers** (payments between partners):", ""]
        L += [f"- {transfer_sentence(v, t, lambda i: _md_org(v, i))}" for t in v.transfers or []]
        L.append("")
    return L


def _md_staff(v: PlanView) -> list[str]:
    """Each partner's posts before and after, transfers, removals and additions."""
    by_org = v.staff.get("by_organisation") or []
    if not by_org:
        return []
    rows = []
    for s in by_org:
        before = (s.get("desk_fte_before") or 0) + (s.get("ops_fte_before") or 0)
        after = (s.get("desk_fte_after") or 0) + (s.get("ops_fte_after") or 0)
        rows.append(
            [
                md(v.org_name(s.get("id", "")) or s.get("id", "")),
                fmt.num(before),
                fmt.num(after),
                fmt.num(s.get("transfer_out")),
                fmt.num(s.get("transfer_in")),
                fmt.num(s.get("removed")),
                fmt.num(s.get("added")),
            ]
        )
    return [
        "## Staff (posts on each partner's sites, FTE)",
        "",
        *_table(
            ["Partner", "Before", "After", "Transfer out", "Transfer in", "Removed", "Added"],
            rows,
            "lrrrrrr",
        ),
        "",
    ]


def _md_rooms(v: PlanView) -> list[str]:
    """Each machine room's decision, from when, and the main reason."""
    rows = []
    for r in v.rooms:
        when = ""
        if r["decision"] == "close":
            when = "from " + fmt.month(r.get("close_month"))
        elif r["decision"] == "open":
            when = "from " + fmt.month(r.get("open_month"))
        room = md(r["id"]) + (f" ({suite_text(r, md)})" if r.get("within") else "")
        rows.append([room, DECISION_WORDS[r["decision"]], when, md(r.get("reason") or "")])
    compute = [[md(r["id"]), md("; ".join(compute_use(r)))] for r in v.rooms if compute_use(r)]
    return [
        "## Machine rooms",
        "",
        *_table(["Room", "Decision", "When", "Main reason"], rows, "llll"),
        "",
        *_md_upgrades(v),
        *(
            [
                "Compute, today → in the plan, of each room's capacity, and its busiest month:",
                "",
                *_table(["Room", "vCPU, memory, storage"], compute, "ll"),
                "",
            ]
            if compute
            else []
        ),
    ]


def _md_upgrades(v: PlanView) -> list[str]:
    """The accreditation upgrades the plan buys, one room a line ([] when none)."""
    if not v.has_upgrades:
        return []
    return [
        "Accreditation upgrades bought:",
        "",
        *(
            f"- **{md(r['id'])}** {upgrades_text(r, md)}"
            for r in v.rooms
            if r.get("upgrades_bought")
        ),
        "",
    ]


def _md_desks(v: PlanView) -> list[str]:
    """Each service desk's decision, from when, FTE and the main reason ([] without desks)."""
    if not v.desks:
        return []
    rows = []
    for d in v.desks:
        when = "from " + fmt.month(d.get("close_month")) if d["decision"] == "close" else ""
        rows.append(
            [
                md(d["id"]),
                d["decision"],
                when,
                fmt.num(d.get("fte_before")),
                fmt.num(d.get("fte")),
                md(d.get("reason") or ""),
            ]
        )
    return [
        "## Service desks",
        "",
        *_table(
            ["Desk", "Decision", "When", "FTE before", "FTE after", "Main reason"], rows, "lllrrl"
        ),
        "",
    ]


def _md_moves(v: PlanView) -> list[str]:
    """The moves by route (from room → to room), and why, in order of their first month."""
    moves = v.moves
    L = [
        f"## Moves: {fmt.plural(len(moves), 'workload')} in {fmt.plural(len(v.waves), 'wave')}"
        + (
            f", {month_span(sorted({a['month'] for a in moves}, key=month_index))}" if moves else ""
        ),
        "",
    ]
    if not moves:
        L += ["No workload moves.", ""]
    for g in move_routes(v):
        n = len(g["moves"])
        L.append(
            f"- **{md(g['from'])} → {md(g['to'])}**: {fmt.plural(n, 'workload')}, "
            f"{month_span(g['months'])}"
        )
        for r in g["reasons"]:
            names = ", ".join(
                md(a["workload"]) + (f" ({fmt.month(a['month'])})" if len(g["months"]) > 1 else "")
                for a in r["moves"]
            )
            reason = md(r["reason"]) if r["reason"] else "(no reason given)"
            L.append(f"  - {names}: {reason}")
    L.append("")
    return L


# ---------------------------------------------------------------- terminal


def _t(s: object, style: str = "") -> Text:
    """User text as a rich Text (never parsed as markup); it wraps even on a console
    printing with soft_wrap."""
    return Text(str(s), style=style, no_wrap=False, overflow="fold")


def terminal_summary(plan: Plan) -> RenderableType:
    """The headline and tables of a plan for the console (compact)."""
    v = PlanView(plan)
    status_style = {"optimal": "bold green", "feasible": "bold yellow"}.get(v.status, "bold red")
    head = Text.assemble((v.estate, "bold"), "  ", (v.status_text(), status_style))
    if v.objective is not None:
        head.append(f"  objective {fmt.gbp(v.objective)}")
    if not v.feasible:
        return Group(_console_no_plan(v, head))
    parts: list[RenderableType] = [_console_headline(v, head)]
    if v.years:
        parts.append(_console_years(v))
    if v.organisations:
        parts.append(_console_partners(v))
    if any(r["decision"] in ("close", "open") for r in v.rooms):
        parts.append(_console_rooms(v))
    if v.has_upgrades:
        parts.append(_console_upgrades(v))
    return Group(*parts)


def _console_table(title: str) -> Table:
    """A compact table with its title on the left."""
    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )


def _console_no_plan(v: PlanView, head: Text) -> Panel:
    """Why there is no plan, and today's running cost (a red panel)."""
    body = Text(no_wrap=False, overflow="fold")
    for s in v.explanation or ["(the plan gives no explanation)"]:
        body.append("• " + s + "\n")
    body.append(f"Today's running cost: {fmt.gbp(v.baseline_steady)} a year.")
    return Panel(body, title=head, title_align="left", border_style="red")


def _console_headline(v: PlanView, head: Text) -> Panel:
    """Before and after, one-off cost, NPV, payback and the moves (a blue panel)."""
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for col, j in (("", "left"), ("before", "right"), ("after", "right"), ("change", "right")):
        t.add_column(col, justify=j)  # type: ignore[arg-type]
    for row in headline_rows(v):
        t.add_row(*[_t(c) for c in row])
    money = Text(no_wrap=False, overflow="fold")
    money.append("One-off cost: ", "bold")
    money.append(one_off_text(v) + "\n")
    money.append("NPV of savings: ", "bold")
    money.append(f"{fmt.gbp(v.npv)}   ")
    money.append("Payback: ", "bold")
    money.append(payback_text(v) + "\n")
    money.append("Moves: ", "bold")
    moves = v.moves
    span = month_span(sorted({a["month"] for a in moves}, key=month_index))
    money.append(
        f"{fmt.plural(len(moves), 'workload')} in {fmt.plural(len(v.waves), 'wave')}"
        + (f", {span}" if moves else "")
    )
    return Panel(Group(t, money), title=head, title_align="left", border_style="blue")


def _console_years(v: PlanView) -> Table:
    """Costs and savings by financial year (losses in red)."""
    yt = _console_table("Savings by financial year")
    for col in ("year", "today", "plan", "one-off", "savings", "cumulative"):
        yt.add_column(col, justify="left" if col == "year" else "right")
    for y, c in zip(v.years, v.cumulative(), strict=True):
        sav = y["savings"]
        yt.add_row(
            _t(y["year"]),
            fmt.gbp(y["baseline"]),
            fmt.gbp(y["planned"]),
            fmt.gbp(y["one_off"]),
            _t(fmt.gbp(sav), "red" if sav < 0 else "green"),
            _t(fmt.gbp(c), "red" if c < 0 else ""),
        )
    return yt


def _console_partners(v: PlanView) -> Table:
    """Each partner's costs and savings, the worse off flagged in red; with transfers, what
    each pays and receives and its net after them (the transfers in the caption)."""
    ot = _console_table("Partners")
    net = ["net before transfers", "pays", "receives", "after transfers"]
    cols = ["partner", "a year today", "a year after", "saving a year", "one-off"]
    cols += net if v.has_transfers else ["net over horizon"]
    for col in (*cols, ""):
        ot.add_column(col, justify="left" if col in ("partner", "") else "right")
    for o in v.organisations:
        worse = v.worse_off(o)
        row: list[RenderableType] = [
            _t(o["id"]),
            fmt.gbp(o["baseline"]),
            fmt.gbp(o["planned"]),
            fmt.gbp(o["savings"]),
            fmt.gbp(o.get("one_off")),
            _t(fmt.gbp(o.get("horizon_savings")), "red" if worse else ""),
        ]
        if v.has_transfers:
            row += _console_after(v, o)
            worse = v.worse_off_after(o)
        ot.add_row(*row, _t("WORSE OFF", "bold red") if worse else _t(""))
    if v.has_transfers:
        ot.caption = _t("; ".join(transfer_sentence(v, t, str) for t in v.transfers or []))
        ot.caption_justify = "left"
    return ot


def _console_after(v: PlanView, o: dict[str, Any]) -> list[RenderableType]:
    """What a partner pays and receives, and its net after transfers (red if negative)."""
    paid, got = v.paid_received(o["id"])
    after = v.net_after(o)
    return [
        fmt.gbp(paid) if paid else "",
        fmt.gbp(got) if got else "",
        _t(fmt.gbp(after), "red" if v.worse_off_after(o) else "green"),
    ]


def _console_rooms(v: PlanView) -> Table:
    """The rooms that close or open, from when, and why."""
    rt = _console_table("Rooms closed and opened")
    rt.add_column("room")
    rt.add_column("decision")
    rt.add_column("from")
    rt.add_column("main reason", overflow="fold")
    for r in v.rooms:
        if r["decision"] not in ("close", "open"):
            continue
        m = r.get("close_month") if r["decision"] == "close" else r.get("open_month")
        suite = suite_text(r)
        rt.add_row(
            _t(r["id"] + (f" ({suite})" if suite else "")),
            _t(DECISION_WORDS[r["decision"]]),
            _t(fmt.month(m)),
            _t(r.get("reason") or ""),
        )
    return rt


def _console_upgrades(v: PlanView) -> Table:
    """The accreditation upgrades the plan buys: the room, what it gains and from when,
    and what it costs."""
    ut = _console_table("Accreditation upgrades bought")
    ut.add_column("room")
    ut.add_column("upgrade", overflow="fold")
    for r in v.rooms:
        suite = suite_text(r)
        for u in v.upgrades_bought(r):
            ut.add_row(_t(r["id"] + (f" ({suite})" if suite else "")), _t(upgrade_text(u)))
    return ut
