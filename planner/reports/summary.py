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

DECISION_WORDS = {"keep": "keep", "close": "close", "open": "open (new)", "unused": "not used"}


def headline_rows(v: PlanView) -> list[tuple[str, str, str, str]]:
    """(what, before, after, change) rows of the before/after table."""
    rows: list[tuple[str, str, str, str]] = []
    rc, dc = v.rooms_count, v.desks_count
    if rc.before is not None:
        rows.append(
            (
                "Machine rooms",
                str(rc.before),
                str(rc.after),
                fmt.num(None if rc.after is None else rc.after - rc.before, signed=True),
            )
        )
    if dc.before is not None:
        rows.append(
            (
                "Service desks",
                str(dc.before),
                str(dc.after),
                fmt.num(None if dc.after is None else dc.after - dc.before, signed=True),
            )
        )
    b, p = v.baseline_steady, v.planned_steady
    change = ""
    if b is not None and p is not None:
        change = fmt.gbp(p - b, signed=True)
        pc = fmt.change_pct(b, p)
        change += f" ({pc})" if pc else ""
    rows.append(("Running cost a year", fmt.gbp(b), fmt.gbp(p), change))
    s = v.staff
    for label, key in (
        ("Service desk staff (FTE)", "desk_fte"),
        ("Machine room staff (FTE)", "ops_fte"),
    ):
        before, after = s.get(f"{key}_before"), s.get(f"{key}_after")
        if before is None and after is None:
            continue
        diff = None if before is None or after is None else after - before
        rows.append((label, fmt.num(before), fmt.num(after), fmt.num(diff, signed=True)))
    return rows


def status_sentence(v: PlanView) -> str:
    text = _status_sentence(v)
    if v.feasible and v.solver.get("schedule_status") == "feasible":
        text += (
            " The month-by-month schedule meets every rule but is not proven the best;"
            " another order of moves might bring some savings forward."
        )
    return text


def _status_sentence(v: PlanView) -> str:
    if v.status == "optimal":
        return "Optimal plan: no cheaper plan meets every rule (proven by the solver)."
    if v.status == "feasible":
        gap = v.gap
        if gap is None:
            return (
                "Feasible plan: it meets every rule; the solver did not prove it is the cheapest."
            )
        return (
            f"Feasible plan: it meets every rule and is within {gap * 100:.2f}% of the "
            "cheapest possible (the solver's proven bound)."
        )
    if v.status == "infeasible":
        return "No feasible plan: the estate's rules and the options conflict (see why below)."
    return "No plan: the solver found none within its time limit (status unknown)."


def one_off_text(v: PlanView) -> str:
    parts = []
    labels = {
        "migration": "moving systems",
        "room_closure": "closing rooms",
        "room_opening": "opening rooms",
        "desk_closure": "closing desks",
    }
    for key, amount in (v.costs.get("one_off_breakdown") or {}).items():
        if amount:
            parts.append(f"{labels.get(key, key.replace('_', ' '))} {fmt.gbp(amount)}")
    return fmt.gbp(v.one_off) + (f" ({', '.join(parts)})" if parts else "")


def payback_text(v: PlanView) -> str:
    p = v.payback_month
    if p is None:
        return "not within the plan's horizon" if v.years else fmt.DASH
    n = v.month_number(p)
    return fmt.month(p) + (f" (month {n} of the plan)" if n is not None else "")


def npv_label(v: PlanView) -> str:
    h, r = v.horizon_years, v.discount_rate
    bits = []
    if h is not None:
        bits.append(f"{h} years")
    if r is not None:
        bits.append(f"{r * 100:g}% discount rate")
    return "Net present value of the savings" + (f" ({', '.join(bits)})" if bits else "")


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


def month_span(months: list[str]) -> str:
    if not months:
        return fmt.DASH
    if len(months) == 1:
        return fmt.month(months[0])
    return f"{fmt.month(months[0])} – {fmt.month(months[-1])}"


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

    if not v.feasible:
        L += ["## Why there is no plan", ""]
        L += [f"- {md(s)}" for s in v.explanation] or ["- (the plan gives no explanation)"]
        L += ["", f"Today's running cost: {fmt.gbp(v.baseline_steady)} a year."]
        s = v.staff
        if s.get("desk_fte_before") is not None or s.get("ops_fte_before") is not None:
            L.append(
                f"Today's staff: {fmt.num(s.get('desk_fte_before'))} service desk FTE, "
                f"{fmt.num(s.get('ops_fte_before'))} machine room FTE."
            )
        return "\n".join(L) + "\n"

    L += ["## Before and after", ""]
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

    if v.years:
        L += ["## Savings by financial year", ""]
        rows = []
        cum = v.cumulative()
        for y, c in zip(v.years, cum, strict=True):
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
        L += _table(
            ["Year", "Today's estate", "Plan", "One-off", "Savings", "Cumulative"], rows, "lrrrrr"
        )
        L += ["", "Savings = today's running cost - the plan's running cost - one-off costs.", ""]

    if v.organisations:
        L += ["## Partners", ""]
        rows = []
        worse = []
        for o in v.organisations:
            flag = "**worse off**" if v.worse_off(o) else ""
            if v.worse_off(o):
                worse.append(o.get("name") or o["id"])
            rows.append(
                [
                    md(o.get("name") or o["id"]),
                    fmt.gbp(o["baseline"]),
                    fmt.gbp(o["planned"]),
                    fmt.gbp(o["savings"]),
                    fmt.gbp(o.get("one_off")),
                    fmt.gbp(o.get("horizon_savings")),
                    flag,
                ]
            )
        L += _table(
            [
                "Partner",
                "Cost a year today",
                "Cost a year after",
                "Saving a year",
                "One-off share",
                "Net over horizon",
                "",
            ],
            rows,
            "lrrrrrl",
        )
        L.append("")
        if worse:
            L.append(
                f"**{fmt.plural(len(worse), 'partner')} worse off over the horizon:** "
                + ", ".join(md(w) for w in worse)
                + (
                    ". Its share of one-off costs exceeds its"
                    if len(worse) == 1
                    else ". Their shares of one-off costs exceed their"
                )
                + " running-cost savings within the horizon."
            )
        else:
            L.append("No partner is worse off over the horizon.")
        if v.finance.get("allocation"):
            L.append(f"Costs shared: {md(v.finance['allocation'])}.")
        L.append("")

    by_org = v.staff.get("by_organisation") or []
    if by_org:
        L += ["## Staff (posts on each partner's sites, FTE)", ""]
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
        L += _table(
            ["Partner", "Before", "After", "Transfer out", "Transfer in", "Removed", "Added"],
            rows,
            "lrrrrrr",
        )
        L.append("")

    L += ["## Machine rooms", ""]
    rows = []
    for r in v.rooms:
        when = ""
        if r["decision"] == "close":
            when = "from " + fmt.month(r.get("close_month"))
        elif r["decision"] == "open":
            when = "from " + fmt.month(r.get("open_month"))
        rows.append([md(r["id"]), DECISION_WORDS[r["decision"]], when, md(r.get("reason") or "")])
    L += _table(["Room", "Decision", "When", "Main reason"], rows, "llll")
    L.append("")

    if v.desks:
        L += ["## Service desks", ""]
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
        L += _table(
            ["Desk", "Decision", "When", "FTE before", "FTE after", "Main reason"], rows, "lllrrl"
        )
        L.append("")

    moves = v.moves
    L += [
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
    return "\n".join(L)


# ---------------------------------------------------------------- terminal


def _t(s: object, style: str = "") -> Text:
    """User text as a rich Text (never parsed as markup); it wraps even on a console
    printing with soft_wrap."""
    return Text(str(s), style=style, no_wrap=False, overflow="fold")


def terminal_summary(plan: Plan) -> RenderableType:
    """The headline and tables of a plan for the console (compact)."""
    v = PlanView(plan)
    parts: list[RenderableType] = []
    status_style = {"optimal": "bold green", "feasible": "bold yellow"}.get(v.status, "bold red")
    head = Text.assemble((v.estate, "bold"), "  ", (v.status_text(), status_style))
    if v.objective is not None:
        head.append(f"  objective {fmt.gbp(v.objective)}")
    if not v.feasible:
        body = Text(no_wrap=False, overflow="fold")
        for s in v.explanation or ["(the plan gives no explanation)"]:
            body.append("• " + s + "\n")
        body.append(f"Today's running cost: {fmt.gbp(v.baseline_steady)} a year.")
        parts.append(Panel(body, title=head, title_align="left", border_style="red"))
        return Group(*parts)

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
    parts.append(Panel(Group(t, money), title=head, title_align="left", border_style="blue"))

    if v.years:
        yt = Table(
            title="Savings by financial year",
            box=box.SIMPLE_HEAD,
            title_justify="left",
            show_edge=False,
            pad_edge=False,
        )
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
        parts.append(yt)

    if v.organisations:
        ot = Table(
            title="Partners",
            box=box.SIMPLE_HEAD,
            title_justify="left",
            show_edge=False,
            pad_edge=False,
        )
        for col in (
            "partner",
            "a year today",
            "a year after",
            "saving a year",
            "one-off",
            "net over horizon",
            "",
        ):
            ot.add_column(col, justify="left" if col in ("partner", "") else "right")
        for o in v.organisations:
            worse = v.worse_off(o)
            ot.add_row(
                _t(o["id"]),
                fmt.gbp(o["baseline"]),
                fmt.gbp(o["planned"]),
                fmt.gbp(o["savings"]),
                fmt.gbp(o.get("one_off")),
                _t(fmt.gbp(o.get("horizon_savings")), "red" if worse else ""),
                _t("WORSE OFF", "bold red") if worse else _t(""),
            )
        parts.append(ot)

    closing = [r for r in v.rooms if r["decision"] in ("close", "open")]
    if closing:
        rt = Table(
            title="Rooms closed and opened",
            box=box.SIMPLE_HEAD,
            title_justify="left",
            show_edge=False,
            pad_edge=False,
        )
        rt.add_column("room")
        rt.add_column("decision")
        rt.add_column("from")
        rt.add_column("main reason", overflow="fold")
        for r in closing:
            m = r.get("close_month") if r["decision"] == "close" else r.get("open_month")
            rt.add_row(
                _t(r["id"]),
                _t(DECISION_WORDS[r["decision"]]),
                _t(fmt.month(m)),
                _t(r.get("reason") or ""),
            )
        parts.append(rt)
    return Group(*parts)
