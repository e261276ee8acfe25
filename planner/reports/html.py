"""report.html: one self-contained page (inline CSS and SVG; no network, no fonts to fetch).

Every string from the plan is HTML-escaped with ``e`` before it reaches the
page. The only script is a few lines that open the collapsed move lists before
printing; a Content-Security-Policy allows that script (by its hash) and
nothing else to run or load.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from planner.reports import fmt, svg
from planner.reports.fmt import plural
from planner.reports.plan import Plan, PlanView, fy_of, month_index
from planner.reports.security import evidence
from planner.reports.summary import (
    DECISION_WORDS,
    headline_rows,
    month_span,
    npv_label,
    one_off_text,
    payback_text,
    status_sentence,
)

OPEN_LIMIT = 40
"""Move lists per destination room are expanded when the plan has at most this many moves."""


def e(s: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(str(s), quote=True)


def _num_cell(text: str, value: float | None = None, cls: str = "") -> str:
    classes = ["num", cls] if cls else ["num"]
    if value is not None and value < 0 and round(value) != 0:
        classes.append("neg")
    return f'<td class="{" ".join(classes)}">{e(text)}</td>'


def _money(x: float | None, cls: str = "") -> str:
    return _num_cell(fmt.gbp(x), x, cls)


def _table(
    headers: Iterable[tuple[str, str]],
    rows: Iterable[str],
    cls: str = "",
    caption: str = "",
    foot: str = "",
) -> str:
    """``headers``: (escaped label, 'l'|'r'), none for a table without a header row;
    ``rows``: '<tr>...</tr>' strings."""
    th = "".join(
        f'<th scope="col" class="{"num" if a == "r" else ""}">{h}</th>' for h, a in headers
    )
    thead = f"<thead><tr>{th}</tr></thead>" if th else ""
    cap = f"<caption>{caption}</caption>" if caption else ""
    tfoot = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (
        f'<div class="table-wrap"><table class="{cls}">{cap}{thead}'
        f"<tbody>{''.join(rows)}</tbody>{tfoot}</table></div>"
    )


def _when(iso: object) -> str:
    """'2026-11-23T10:00:00Z' -> '23 Nov 2026, 10:00 UTC' (else the text as given)."""
    try:
        t = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    zone = " UTC" if t.utcoffset() == timedelta(0) else ""
    return f"{t.day} {fmt.MONTHS[t.month - 1]} {t.year}, {t:%H:%M}{zone}"


def _badge(text: str, kind: str) -> str:
    return f'<span class="badge {kind}">{e(text)}</span>'


DECISION_BADGE = {"keep": "keep", "close": "close", "open": "open", "unused": "unused"}


def _ids(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(f"<code>{e(i)}</code>" for i in items) if items else fmt.DASH


# ---------------------------------------------------------------- sections


def _masthead(v: PlanView) -> str:
    status_kind = {"optimal": "good", "feasible": "warn"}.get(v.status, "bad")
    label = {
        "optimal": "Optimal plan",
        "feasible": "Feasible plan",
        "infeasible": "No feasible plan",
        "unknown": "No plan found",
    }.get(v.status, v.status)
    meta = []
    if v.plan.get("created"):
        meta.append(f"Created {e(_when(v.plan['created']))}")
    if v.plan.get("planner_version"):
        meta.append(f"planner {e(v.plan['planner_version'])}")
    if v.start_month and v.end_month:
        meta.append(f"Horizon {e(fmt.month(v.start_month))} – {e(fmt.month(v.end_month))}")
    return (
        '<header class="masthead"><div class="wrap">'
        '<p class="kicker">Infrastructure consolidation plan</p>'
        f"<h1>{e(v.estate)}</h1>"
        f'<p class="meta">{_badge(label, status_kind)} {" · ".join(meta)}</p>'
        "</div></header>"
    )


def _nav(v: PlanView) -> str:
    links = [("headline", "Headline")]
    if v.feasible:
        links += [
            ("rooms", "Rooms and desks"),
            ("timeline", "Timeline"),
            ("finance", "Finance"),
            ("partners", "Partners"),
            ("staff", "Staff"),
            ("security", "Security"),
        ]
    links.append(("about", "About this plan"))
    items = "".join(f'<a href="#{k}">{e(t)}</a>' for k, t in links)
    return f'<nav class="toc no-print" aria-label="Contents"><div class="wrap">{items}</div></nav>'


def _card(label: str, value: str, sub: str = "", kind: str = "") -> str:
    """``value`` and ``sub`` are escaped HTML."""
    return (
        f'<div class="card {kind}"><div class="card-label">{e(label)}</div>'
        f'<div class="card-value">{value}</div>'
        + (f'<div class="card-sub">{sub}</div>' if sub else "")
        + "</div>"
    )


def _arrow(a: str, b: str) -> str:
    return (
        f'<span class="nw">{e(a)} <span class="arrow">→</span></span> '
        f'<span class="nw">{e(b)}</span>'
    )


def _headline(v: PlanView) -> str:
    parts = ['<section id="headline"><h2 class="visually-hidden">Headline</h2>']
    status = status_sentence(v)
    if v.status == "feasible" and v.objective is not None and v.solver.get("bound") is not None:
        slack = v.objective - float(v.solver["bound"])
        status += f" A better plan could save at most {fmt.gbp(slack)} more over the horizon."
    kind = {"optimal": "good", "feasible": "warn"}.get(v.status, "bad")
    parts.append(f'<p class="status {kind}">{e(status)}</p>')
    if not v.feasible:
        items = "".join(f"<li>{e(s)}</li>" for s in v.explanation) or (
            "<li>The plan gives no explanation.</li>"
        )
        parts.append(f'<div class="explain"><h3>Why there is no plan</h3><ol>{items}</ol></div>')
        cards = [
            _card(
                "Running cost a year today",
                e(fmt.gbp_short(v.baseline_steady)),
                e(fmt.gbp(v.baseline_steady)),
            )
        ]
        s = v.staff
        if s.get("desk_fte_before") is not None:
            cards.append(
                _card("Service desk staff today", e(fmt.num(s["desk_fte_before"])) + " FTE")
            )
        if s.get("ops_fte_before") is not None:
            cards.append(
                _card("Machine room staff today", e(fmt.num(s["ops_fte_before"])) + " FTE")
            )
        parts.append(f'<div class="cards">{"".join(cards)}</div></section>')
        return "".join(parts)

    rc, dc = v.rooms_count, v.desks_count
    cards = []
    if rc.before is not None:
        closed = sum(1 for r in v.rooms if r["decision"] == "close")
        opened = sum(1 for r in v.rooms if r["decision"] == "open")
        sub = f"{closed} closed" + (f", {opened} opened" if opened else "")
        cards.append(_card("Machine rooms", _arrow(str(rc.before), str(rc.after)), e(sub)))
    if dc.before is not None:
        closed = sum(1 for d in v.desks if d["decision"] == "close")
        cards.append(
            _card("Service desks", _arrow(str(dc.before), str(dc.after)), e(f"{closed} closed"))
        )
    saving = v.steady_saving
    sub = ""
    if saving is not None:
        pc = fmt.change_pct(v.baseline_steady, v.planned_steady)
        sub = (
            f"saves {fmt.gbp(saving)} a year ({pc})"
            if saving >= 0
            else f"costs {fmt.gbp(-saving)} a year more ({pc})"
        )
    cards.append(
        _card(
            "Running cost a year",
            _arrow(fmt.gbp_short(v.baseline_steady), fmt.gbp_short(v.planned_steady)),
            e(sub),
            "good" if (saving or 0) > 0 else "",
        )
    )
    bd = v.costs.get("one_off_breakdown") or {}
    short = {
        "migration": "moves",
        "room_closure": "room closures",
        "room_opening": "room openings",
        "desk_closure": "desk closures",
    }
    sub = ", ".join(f"{short.get(k, k)} {fmt.gbp_short(x)}" for k, x in bd.items() if x)
    cards.append(_card("One-off cost", e(fmt.gbp_short(v.one_off)), e(sub)))
    npv = v.npv
    h, r = v.horizon_years, v.discount_rate
    sub = " ".join(
        x for x in (f"{h} years" if h else "", f"at {r * 100:g}%" if r is not None else "") if x
    )
    cards.append(
        _card(
            "Net present value",
            e(fmt.gbp_short(npv)),
            e(sub),
            "good" if (npv or 0) > 0 else ("bad" if npv is not None else ""),
        )
    )
    p = v.payback_month
    total_months = sum(int(y.get("months") or 12) for y in v.years) if v.years else None
    if p is not None:
        n = v.month_number(p)
        sub = f"month {n}" + (f" of {total_months}" if total_months else "") if n else ""
        cards.append(_card("Payback", e(fmt.month(p)), e(sub), "good"))
    elif v.years:
        cards.append(_card("Payback", "not reached", e("within the horizon"), "bad"))
    b, a = v.staff_total(True), v.staff_total(False)
    if b is not None and a is not None:
        s = v.staff
        sub = (
            f"desk {fmt.num(s['desk_fte_before'])} → {fmt.num(s['desk_fte_after'])}, "
            f"rooms {fmt.num(s['ops_fte_before'])} → {fmt.num(s['ops_fte_after'])}"
        )
        cards.append(_card("Staff (FTE)", _arrow(fmt.num(b), fmt.num(a)), e(sub)))
    if v.organisations:
        worse = [o["id"] for o in v.organisations if v.worse_off(o)]
        sub = ", ".join(worse) if worse else "every partner gains or breaks even"
        cards.append(
            _card(
                "Partners worse off",
                e(f"{len(worse)} of {len(v.organisations)}"),
                e(sub),
                "bad" if worse else "good",
            )
        )
    parts.append(f'<div class="cards">{"".join(cards)}</div>')
    if v.objective is not None:
        parts.append(
            f'<p class="note">Objective (one-off cost + annuity factor × running cost '
            f"a year): {e(fmt.gbp(v.objective))}.</p>"
        )
    parts.append("</section>")
    return "".join(parts)


def _rooms(v: PlanView) -> str:
    parts = ['<section id="rooms"><h2>Rooms and desks</h2>']
    rows_ba = "".join(
        f'<tr><th scope="row">{e(w)}</th>{_num_cell(b)}{_num_cell(a)}{_num_cell(c)}</tr>'
        for w, b, a, c in headline_rows(v)
    )
    chart = svg.steady_chart(v, "Running cost a year, today and in the plan")
    parts.append('<div class="grid2"><div>')
    parts.append("<h3>Before and after</h3>")
    parts.append(
        _table(
            [("", "l"), ("Before", "r"), ("After", "r"), ("Change", "r")], [rows_ba], cls="compact"
        )
    )
    parts.append("</div>")
    if chart:
        parts.append(f"<figure><h3>Running cost a year</h3>{chart}</figure>")
    parts.append("</div>")

    rows = []
    for r in v.rooms:
        d = r["decision"]
        when = ""
        if d == "close":
            when = "closes " + fmt.month(r.get("close_month"))
        elif d == "open":
            when = "opens " + fmt.month(r.get("open_month"))
        where = " / ".join(e(x) for x in (r.get("site"), r.get("organisation")) if x)
        cap = r.get("racks")

        def used(key: str, r: dict[str, Any] = r) -> str:
            x = r.get(key)
            return fmt.num(x) if x is not None else fmt.DASH

        racks = f"{used('racks_used_before')} → {used('racks_used_after')}"
        if cap is not None:
            racks += f" of {fmt.num(cap)}"
        zb = r.get("zones_before")
        za = r.get("zones_after")
        if zb is None and za is None:
            zones = ""
        elif (zb or []) == (za or []):
            zones = _ids(za or [])
        else:
            zones = f"{_ids(zb or [])} → {_ids(za or [])}"
        rows.append(
            f'<tr class="dec-{d}"><th scope="row"><code>{e(r["id"])}</code>'
            + (f'<div class="sub">{where}</div>' if where else "")
            + "</th>"
            f"<td>{_badge(DECISION_WORDS[d], DECISION_BADGE[d])}"
            + (f'<div class="sub">{e(when)}</div>' if when else "")
            + "</td>"
            f'<td class="num">{e(racks)}</td><td>{zones}</td>'
            f"<td>{_ids(r.get('accreditations') or [])}</td>"
            f"{_money(r.get('annual_cost'))}"
            f'<td class="reason">{e(r.get("reason") or "")}</td></tr>'
        )
    parts.append("<h3>Machine room decisions</h3>")
    parts.append(
        _table(
            [
                ("Room", "l"),
                ("Decision", "l"),
                ("Racks used", "r"),
                ("Zones", "l"),
                ("Accreditations", "l"),
                ("Cost a year", "r"),
                ("Main reason", "l"),
            ],
            rows,
            cls="decisions",
        )
    )
    if v.desks:
        rows = []
        for d in v.desks:
            when = "closes " + fmt.month(d.get("close_month")) if d["decision"] == "close" else ""
            serves = d.get("organisations")
            rows.append(
                f'<tr class="dec-{d["decision"]}"><th scope="row"><code>{e(d["id"])}</code>'
                + (f'<div class="sub">{e(d["site"])}</div>' if d.get("site") else "")
                + "</th>"
                f"<td>{_badge(d['decision'], DECISION_BADGE[d['decision']])}"
                + (f'<div class="sub">{e(when)}</div>' if when else "")
                + "</td>"
                f'<td class="num">{e(fmt.num(d.get("fte_before")))} → {e(fmt.num(d.get("fte")))}'
                f"</td><td>{_ids(serves) if serves is not None else fmt.DASH}</td>"
                f'<td class="reason">{e(d.get("reason") or "")}</td></tr>'
            )
        parts.append("<h3>Service desk decisions</h3>")
        parts.append(
            _table(
                [
                    ("Desk", "l"),
                    ("Decision", "l"),
                    ("FTE", "r"),
                    ("Serves in the plan", "l"),
                    ("Main reason", "l"),
                ],
                rows,
                cls="decisions",
            )
        )
    parts.append("</section>")
    return "".join(parts)


def _timeline(v: PlanView) -> str:
    moves = v.moves
    parts = ['<section id="timeline"><h2>Migration timeline</h2>']
    if moves:
        months = sorted({a["month"] for a in moves}, key=month_index)
        days = sum(float(w.get("days") or 0) for w in v.waves)
        parts.append(
            f'<p class="lead">{plural(len(moves), "workload")} '
            f"{'moves' if len(moves) == 1 else 'move'} in "
            f"{plural(len(v.waves), 'monthly wave')}, "
            f"{e(month_span(months))}"
            + (f", {e(fmt.num(days))} person-days in all" if days else "")
            + ".</p>"
        )
    else:
        parts.append('<p class="lead">No workload moves.</p>')
    chart = svg.gantt(v)
    if chart:
        mode = (
            "one bar per workload"
            if len(moves) <= svg.DETAIL_LIMIT
            else "one row per source room; each block is a month's moves, with the count"
        )
        parts.append(
            f'<figure class="wide">{chart}<figcaption>Rooms from today to the end of '
            f"the migration, then the moves into each destination room ({e(mode)}), "
            "then the person-days of each month. Hover a bar for details."
            "</figcaption></figure>"
        )
    if v.waves:
        rows = []
        for w in v.waves:
            names = w.get("workloads") or []
            rows.append(
                f'<tr><th scope="row">{e(fmt.month(w["month"]))}</th>'
                f"{_num_cell(str(len(names)))}{_num_cell(fmt.num(w.get('days')))}"
                f"{_money(w.get('cost'))}<td>{e(fy_of(w['month']))}</td></tr>"
            )
        total_cost = sum(float(w.get("cost") or 0) for w in v.waves)
        foot = (
            f'<tr><th scope="row">Total</th>{_num_cell(str(len(moves)))}'
            f"{_num_cell(fmt.num(sum(float(w.get('days') or 0) for w in v.waves)))}"
            f"{_money(total_cost)}<td></td></tr>"
        )
        parts.append('<div class="grid2"><div><h3>Waves</h3>')
        parts.append(
            _table(
                [
                    ("Month", "l"),
                    ("Workloads", "r"),
                    ("Person-days", "r"),
                    ("Migration cost", "r"),
                    ("Financial year", "l"),
                ],
                rows,
                cls="compact",
                foot=foot,
            )
        )
        parts.append("</div><div>")
        das = [d for d in v.desk_assignments if d.get("month")]
        if das:
            rows = [
                f'<tr><th scope="row"><code>{e(d["organisation"])}</code></th>'
                f"<td><code>{e(d.get('from') or '')}</code> → <code>{e(d['desk'])}</code>"
                f"</td><td>{e(fmt.month(d.get('month')))}</td></tr>"
                for d in das
            ]
            parts.append("<h3>Service desk changes</h3>")
            parts.append(
                _table([("Partner", "l"), ("Desk", "l"), ("From", "l")], rows, cls="compact")
            )
        parts.append("</div></div>")
    if moves:
        by_dest: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in moves:
            by_dest[a["to"]].append(a)
        order = {r["id"]: i for i, r in enumerate(v.rooms)}
        parts.append("<h3>Every move, by destination room</h3>")
        opened = " open" if len(moves) <= OPEN_LIMIT else ""
        for dest in sorted(by_dest, key=lambda d: (order.get(d, 10**6), d)):
            items = sorted(
                by_dest[dest], key=lambda a: (month_index(a["month"]), a["from"], a["workload"])
            )
            span = month_span(sorted({a["month"] for a in items}, key=month_index))
            cost = sum(float(a.get("migration_cost") or 0) for a in items)
            rows = []
            for a in items:
                rows.append(
                    f'<tr><th scope="row"><code>{e(a["workload"])}</code>'
                    + (f'<div class="sub">{e(a["name"])}</div>' if a.get("name") else "")
                    + "</th>"
                    f"<td>{e(a.get('organisation') or '')}</td>"
                    f"<td>{e(a.get('zone') or '')}</td>"
                    f"<td><code>{e(a['from'])}</code></td>"
                    f"<td>{e(fmt.month(a['month']))}</td>"
                    f"{_num_cell(fmt.num(a.get('migration_days')))}"
                    f"{_money(a.get('migration_cost'))}"
                    f'<td class="reason">{e(a.get("reason") or "")}</td></tr>'
                )
            parts.append(
                f"<details{opened}><summary>Into <code>{e(dest)}</code>: "
                f"{plural(len(items), 'workload')}, {e(span)}, {e(fmt.gbp(cost))}</summary>"
                + _table(
                    [
                        ("Workload", "l"),
                        ("Partner", "l"),
                        ("Zone", "l"),
                        ("From", "l"),
                        ("Month", "l"),
                        ("Days", "r"),
                        ("Cost", "r"),
                        ("Main reason", "l"),
                    ],
                    rows,
                    cls="moves",
                )
                + "</details>"
            )
    parts.append("</section>")
    return "".join(parts)


def _finance(v: PlanView) -> str:
    parts = ['<section id="finance"><h2>Finance</h2>']
    parts.append(
        f'<p class="lead">One-off cost {e(one_off_text(v))}. {e(npv_label(v))}: '
        f"<strong>{e(fmt.gbp(v.npv))}</strong>. Payback: <strong>{e(payback_text(v))}"
        "</strong>.</p>"
    )
    if v.years:
        labels = [
            str(y["year"]) + ("*" if y.get("months") not in (None, 12) else "") for y in v.years
        ]
        bars = svg.bar_chart(
            labels, [float(y["savings"]) for y in v.years], "Savings by financial year"
        )
        line = svg.cumulative_chart(v, "Cumulative savings")
        parts.append('<div class="grid2">')
        parts.append(f"<figure><h3>Savings by financial year</h3>{bars}</figure>")
        if line:
            parts.append(
                f"<figure><h3>Cumulative savings</h3>{line}<figcaption>At the end of each "
                "financial year. One-off costs fall early, so within a year the running total "
                "can dip below the line; payback is the first month from which it stays at or "
                "above zero.</figcaption></figure>"
            )
        parts.append("</div>")
        part_years = [y for y in v.years if y.get("months") not in (None, 12)]
        if part_years:
            parts.append(
                '<p class="note">* '
                + "; ".join(
                    f"{e(y['year'])} covers {e(y['months'])} months of the plan" for y in part_years
                )
                + ".</p>"
            )
        rows = []
        cum = v.cumulative()
        for y, c in zip(v.years, cum, strict=True):
            rows.append(
                f'<tr><th scope="row">{e(y["year"])}</th>'
                f"{_num_cell(fmt.num(y.get('months')))}{_money(y['baseline'])}"
                f"{_money(y['planned'])}{_money(y['one_off'])}{_money(y['savings'], 'strong')}"
                f"{_money(c)}{_num_cell(_df(y.get('discount_factor')))}"
                f"{_money(y.get('discounted_savings'))}</tr>"
            )
        disc = [y.get("discounted_savings") for y in v.years]
        foot = (
            f'<tr><th scope="row">Total</th>'
            f"{_num_cell(fmt.num(sum(float(y.get('months') or 12) for y in v.years)))}"
            f"{_money(sum(y['baseline'] for y in v.years))}"
            f"{_money(sum(y['planned'] for y in v.years))}"
            f"{_money(sum(y['one_off'] for y in v.years))}"
            f"{_money(sum(y['savings'] for y in v.years), 'strong')}<td></td><td></td>"
            f"{_money(v.npv if all(d is not None for d in disc) else None, 'strong')}</tr>"
        )
        parts.append(
            _table(
                [
                    ("Financial year", "l"),
                    ("Months", "r"),
                    ("Today's estate", "r"),
                    ("Plan", "r"),
                    ("One-off", "r"),
                    ("Savings", "r"),
                    ("Cumulative", "r"),
                    ("Discount factor", "r"),
                    ("Discounted", "r"),
                ],
                rows,
                cls="money",
                foot=foot,
            )
        )
        parts.append(
            '<p class="note">Savings = cost of today\'s estate − cost of the plan − '
            "one-off costs, month by month. Discounted = savings × (1 + r)<sup>−y</sup> "
            "for the y-th year; their total is the net present value.</p>"
        )
    parts.append("</section>")
    return "".join(parts)


def _df(x: float | None) -> str:
    return fmt.DASH if x is None else f"{x:.4f}"


def _partners(v: PlanView) -> str:
    if not v.organisations:
        return ""
    parts = ['<section id="partners"><h2>Partners</h2>']
    worse = [o for o in v.organisations if v.worse_off(o)]
    if worse:
        parts.append(
            f'<p class="status bad">{plural(len(worse), "partner")} would be worse '
            f"off over the horizon: {_ids(o['id'] for o in worse)}. "
            + (
                "Its share of one-off costs is more than its"
                if len(worse) == 1
                else "Their shares of one-off costs are more than their"
            )
            + " running-cost savings before the horizon ends; the board may wish to "
            "rebalance the one-off costs.</p>"
        )
    else:
        parts.append('<p class="status good">No partner is worse off over the horizon.</p>')
    scale = max((abs(float(o.get("horizon_savings") or 0)) for o in v.organisations), default=0.0)
    rows = []
    for o in v.organisations:
        w = v.worse_off(o)
        hs = o.get("horizon_savings")
        spark = svg.spark_bar(float(hs), scale) if hs is not None else ""
        name = o.get("name")
        rows.append(
            f'<tr class="{"worse" if w else ""}"><th scope="row"><code>{e(o["id"])}</code>'
            + (f'<div class="sub">{e(name)}</div>' if name else "")
            + "</th>"
            f"{_money(o['baseline'])}{_money(o['planned'])}{_money(o['savings'])}"
            f"{_money(o.get('one_off'))}{_money(o.get('horizon_baseline'))}"
            f"{_money(o.get('horizon_planned'))}"
            f'<td class="num strong{" neg" if hs is not None and hs < 0 else ""}">'
            f"{e(fmt.gbp(hs))}{spark}</td>"
            f"<td>{_badge('worse off', 'bad') if w else _badge('gains', 'good')}</td></tr>"
        )
    parts.append(
        _table(
            [
                ("Partner", "l"),
                ("Cost a year today", "r"),
                ("Cost a year after", "r"),
                ("Saving a year", "r"),
                ("One-off share", "r"),
                ("Horizon: today's estate", "r"),
                ("Horizon: plan", "r"),
                ("Net over horizon", "r"),
                ("", "l"),
            ],
            rows,
            cls="money partners",
        )
    )
    alloc = v.finance.get("allocation")
    parts.append(
        '<p class="note">Net over horizon = cost of today\'s estate − cost of the plan '
        "over the horizon, month by month − the partner's share of one-off costs."
        + (f" Costs are shared: {e(alloc)}." if alloc else "")
        + "</p>"
    )
    parts.append("</section>")
    return "".join(parts)


def _staff(v: PlanView) -> str:
    s = v.staff
    if not s:
        return ""
    parts = ['<section id="staff"><h2>Staff</h2>']
    rows = []
    for label, key in (("Service desk", "desk_fte"), ("Machine rooms", "ops_fte")):
        b, a = s.get(f"{key}_before"), s.get(f"{key}_after")
        diff = None if a is None or b is None else a - b
        rows.append(
            f'<tr><th scope="row">{e(label)}</th>{_num_cell(fmt.num(b))}'
            f"{_num_cell(fmt.num(a))}{_num_cell(fmt.num(diff, signed=True), diff)}</tr>"
        )
    b, a = v.staff_total(True), v.staff_total(False)
    diff = None if a is None or b is None else a - b
    foot = (
        f'<tr><th scope="row">Total</th>{_num_cell(fmt.num(b))}{_num_cell(fmt.num(a))}'
        f"{_num_cell(fmt.num(diff, signed=True), diff)}</tr>"
    )
    parts.append('<div class="grid2"><div><h3>Posts (FTE)</h3>')
    parts.append(
        _table(
            [("", "l"), ("Before", "r"), ("After", "r"), ("Change", "r")],
            rows,
            cls="compact",
            foot=foot,
        )
    )
    parts.append("</div>")
    by_site = s.get("by_site") or []
    if by_site:
        rows = []
        for r in by_site:
            before = (r.get("desk_fte_before") or 0) + (r.get("ops_fte_before") or 0)
            after = (r.get("desk_fte_after") or 0) + (r.get("ops_fte_after") or 0)
            rows.append(
                f'<tr><th scope="row"><code>{e(r.get("site") or "")}</code>'
                f'<div class="sub">{e(r.get("organisation") or "")}</div></th>'
                f"{_num_cell(fmt.num(before))}{_num_cell(fmt.num(after))}"
                f"{_num_cell(fmt.num(after - before, signed=True), after - before)}</tr>"
            )
        parts.append("<div><h3>By site</h3>")
        parts.append(
            _table(
                [("Site", "l"), ("Before", "r"), ("After", "r"), ("Change", "r")],
                rows,
                cls="compact",
            )
        )
        parts.append("</div>")
    parts.append("</div>")
    by_org = s.get("by_organisation") or []
    if by_org:
        rows = []
        for r in by_org:
            cells = "".join(
                _num_cell(fmt.num(r.get(k)))
                for k in (
                    "desk_fte_before",
                    "desk_fte_after",
                    "ops_fte_before",
                    "ops_fte_after",
                    "transfer_out",
                    "transfer_in",
                    "removed",
                    "added",
                    "stay_local",
                )
            )
            name = v.org_name(r.get("id") or "")
            sub = f'<div class="sub">{e(name)}</div>' if name else ""
            rows.append(
                f'<tr><th scope="row"><code>{e(r.get("id") or "")}</code>{sub}</th>{cells}</tr>'
            )
        parts.append("<h3>By partner</h3>")
        parts.append(
            _table(
                [
                    ("Partner", "l"),
                    ("Desk before", "r"),
                    ("Desk after", "r"),
                    ("Rooms before", "r"),
                    ("Rooms after", "r"),
                    ("Transfer out", "r"),
                    ("Transfer in", "r"),
                    ("Removed", "r"),
                    ("Added", "r"),
                    ("Stay local", "r"),
                ],
                rows,
                cls="money",
            )
        )
        parts.append(
            '<p class="note">Posts are those on each partner\'s sites: desk FTE plus '
            "the operations staff of open machine rooms. A transfer is desk work that "
            "moves to another partner's desk (FTE-equivalent at the receiving desk). "
            "After = before − transfer out + transfer in − removed + added.</p>"
        )
    parts.append("</section>")
    return "".join(parts)


def _security(v: PlanView) -> str:
    ev = evidence(v)
    if not ev.zones:
        return ""
    parts = ['<section id="security"><h2>Security evidence</h2>']
    if ev.months_checked:
        during = (
            "today, after, and in "
            + (
                "the one month"
                if ev.months_checked == 1
                else f"each of the {ev.months_checked} months"
            )
            + " of the migration (rebuilt from each move's month)"
        )
    else:
        during = "today and after the migration"
    parts.append(
        f'<p class="lead">Where each security zone is hosted {e(during)}, with '
        "the rooms' accreditations.</p>"
    )
    rows = []
    for z in ev.zones:

        def rooms_cell(items: list[tuple[str, list[str]]]) -> str:
            if not items:
                return fmt.DASH
            return (
                '<ul class="plain">'
                + "".join(
                    f'<li><code>{e(r)}</code> <span class="sub">'
                    f"{e(', '.join(acc) if acc else 'no accreditations')}</span></li>"
                    for r, acc in items
                )
                + "</ul>"
            )

        shares = []
        for label, lst in (
            ("today", z.shares_before),
            ("during", z.shares_during),
            ("after", z.shares_after),
        ):
            if label == "during" and not ev.months_checked:
                continue
            shares.append(f"{e(label)}: {_ids(lst) if lst else 'no other zone'}")
        checks = "".join(
            f'<li class="{"ok" if c.ok else "fail"}">'
            f'<span class="mark">{"✓" if c.ok else "✗"}</span> {e(c.text)}</li>'
            for c in z.checks
        )
        if not checks:
            checks = '<li class="na">rules not recorded in the plan</li>'
        head = f"<code>{e(z.zone)}</code>"
        if z.name:
            head += f'<div class="sub">{e(z.name)}</div>'
        rows.append(
            f'<tr><th scope="row">{head}</th><td>{rooms_cell(z.rooms_before)}</td>'
            f"<td>{rooms_cell(z.rooms_after)}</td><td>{'<br>'.join(shares)}</td>"
            f'<td><ul class="checks">{checks}</ul></td></tr>'
        )
    parts.append(
        _table(
            [
                ("Zone", "l"),
                ("Rooms today", "l"),
                ("Rooms after", "l"),
                ("Shares a room with", "l"),
                ("Rules", "l"),
            ],
            rows,
            cls="security",
        )
    )
    if not ev.rules_recorded:
        parts.append(
            '<p class="note">This plan does not record the estate\'s '
            "<code>separate</code> and <code>isolation</code> rules, so the table "
            "shows which zones share rooms; <code>planner check</code> verifies every "
            "rule against the estate's files.</p>"
        )
    parts.append("</section>")
    return "".join(parts)


def _about(v: PlanView) -> str:
    p = v.plan
    rows = []

    def row(label: str, value: object) -> None:
        if value is None or value == "":
            return
        rows.append(f'<tr><th scope="row">{e(label)}</th><td>{e(value)}</td></tr>')

    row("Estate", v.estate)
    row("Plan format", p.get("format"))
    row("Inventory SHA-256", p.get("inventory_sha256"))
    row("planner version", p.get("planner_version"))
    row("Created", p.get("created"))
    row("Options", ", ".join(f"{k} {val}" for k, val in v.options.items() if val is not None))
    row("Solver status", v.status_text())
    if v.objective is not None:
        row("Objective", fmt.gbp(v.objective, pence=True))
    if v.solver.get("bound") is not None:
        row("Proven lower bound", fmt.gbp(float(v.solver["bound"]), pence=True))
    if v.gap is not None:
        row("Gap", f"{v.gap * 100:.3f}%")
    if v.solver.get("annuity_factor") is not None:
        row("Annuity factor A", f"{float(v.solver['annuity_factor']):.6f}")
    if v.solver.get("wall_s") is not None:
        row("Solve time", f"{float(v.solver['wall_s']):.1f} s")
    row("Schedule status", v.solver.get("schedule_status"))
    row("Cost allocation", v.finance.get("allocation"))
    return (
        '<section id="about"><h2>About this plan</h2>'
        + _table([], rows, cls="about compact")
        + '<p class="note">Re-create this page with <code>planner report PLAN_DIR</code>; '
        "check the plan against the estate with <code>planner check ESTATE_DIR "
        "PLAN_DIR/plan.json</code>. Money is in GBP; financial years run April to "
        "March.</p></section>"
    )


# ---------------------------------------------------------------- page

SCRIPT = (
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){"
    "if(!d.open){d.setAttribute('data-closed','');d.open=true;}});});"
    "window.addEventListener('afterprint',function(){"
    "document.querySelectorAll('details[data-closed]').forEach(function(d){"
    "d.open=false;d.removeAttribute('data-closed');});});"
)

CSS = """
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d8dee4;--soft:#f5f7fa;--blue:#1d70b8;
--navy:#0b2545;--green:#00703c;--red:#d4351c;--amber:#b86200;--teal:#28a197}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
.masthead{background:var(--navy);color:#fff;padding:22px 0 18px;border-bottom:6px solid var(--blue)}
.masthead h1{margin:2px 0 8px;font-size:30px;line-height:1.2;font-weight:700;
overflow-wrap:anywhere}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#b9c7d8}
.meta{margin:0;color:#d5dee8;font-size:13.5px}
.meta .badge{margin-right:8px}
.toc{background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
.toc .wrap{display:flex;flex-wrap:wrap;gap:4px 20px;padding-top:8px;padding-bottom:8px}
.toc a{color:var(--blue);text-decoration:none;font-size:14px;font-weight:600}
.toc a:hover{text-decoration:underline}
main{padding-bottom:40px}
section{padding-top:22px}
h2{font-size:22px;margin:14px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--ink)}
h3{font-size:16px;margin:18px 0 8px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.lead{font-size:15.5px;margin:6px 0 12px}
.note{color:var(--muted);font-size:13px;margin:6px 0 10px}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;
font-size:.88em;background:var(--soft);padding:1px 4px;border-radius:3px;
white-space:nowrap}
h1 code,.reason code,.status code,p code{white-space:normal;overflow-wrap:anywhere}
.status{border-left:6px solid;padding:10px 14px;margin:8px 0 14px;background:var(--soft);
font-weight:600}
.status.good{border-color:var(--green)}.status.warn{border-color:var(--amber)}
.status.bad{border-color:var(--red)}
.explain{border:2px solid var(--red);padding:8px 18px;margin:10px 0 16px}
.explain h3{margin-top:8px;color:var(--red)}
.explain li{margin:4px 0}
.cards{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:12px;margin:10px 0}
@media (max-width:900px){.cards{grid-template-columns:repeat(2,minmax(0,1fr))}}
.card{border:1px solid var(--line);border-top:4px solid var(--blue);padding:10px 14px 12px;
background:#fff;break-inside:avoid}
.card.good{border-top-color:var(--green)}.card.bad{border-top-color:var(--red)}
.card-label{font-size:12.5px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;
font-weight:600}
.card-value{font-size:25px;font-weight:700;line-height:1.25;margin-top:4px;
font-variant-numeric:tabular-nums}
.card-sub{font-size:13px;color:var(--muted);margin-top:2px}
.arrow{color:var(--muted);font-weight:400}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;
letter-spacing:.02em;white-space:nowrap;border:1px solid transparent}
.badge.good,.badge.keep{background:#e3f1e8;color:#005a30;border-color:#b5d9c2}
.badge.warn{background:#fdf0e1;color:#8a4a00;border-color:#f0c998}
.badge.bad,.badge.close{background:#fbe4df;color:#a02a14;border-color:#efb4a7}
.badge.open{background:#e1eef9;color:#114e84;border-color:#a9cbeb}
.badge.unused{background:#eef0f2;color:#5f6b7a;border-color:#d8dee4}
.masthead .badge.good{background:#00703c;color:#fff;border-color:#00703c}
.masthead .badge.warn{background:#f47738;color:#fff;border-color:#f47738}
.masthead .badge.bad{background:#d4351c;color:#fff;border-color:#d4351c}
.table-wrap{overflow-x:auto;margin:6px 0 12px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--soft);border-bottom:2px solid #b8c2cc;font-size:12.5px;
color:#3e4c59;font-weight:700}
tbody th{font-weight:600}
tfoot th,tfoot td{font-weight:700;border-top:2px solid #b8c2cc;border-bottom:none}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.neg{color:var(--red)}
td.strong{font-weight:700}
table.compact{width:auto;min-width:60%}
table.about th{width:220px;color:var(--muted);font-weight:600}
tbody tr:nth-child(even) td,tbody tr:nth-child(even) th{background:#fafbfc}
tr.worse td,tr.worse th{background:#fdf1ee!important}
tr.dec-unused td,tr.dec-unused th{color:var(--muted)}
.sub{color:var(--muted);font-size:12px;font-weight:400}
.reason{min-width:240px;color:#323f4b}
ul.plain,ul.checks{list-style:none;margin:0;padding:0}
ul.checks li{margin:1px 0}
li.ok .mark{color:var(--green);font-weight:700}
li.fail{color:var(--red);font-weight:600}li.fail .mark{font-weight:700}
li.na{color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(420px,100%),1fr));
gap:8px 28px;align-items:start}
.grid2>*{min-width:0}
.nw{white-space:nowrap}
figure{margin:0 0 10px;break-inside:avoid}
figure.wide{border:1px solid var(--line);padding:10px;background:#fff}
figcaption{color:var(--muted);font-size:12.5px;margin-top:6px}
svg.chart{display:block;max-width:100%;height:auto}
svg.spark{display:block;margin:4px 0 0 auto}
details{border:1px solid var(--line);margin:6px 0;background:#fff}
details>summary{cursor:pointer;padding:8px 12px;font-weight:600;background:var(--soft)}
details[open]>summary{border-bottom:1px solid var(--line)}
details .table-wrap{margin:0}
footer{border-top:1px solid var(--line);color:var(--muted);font-size:12.5px;padding:14px 0 30px}
@media (max-width:640px){.wrap{padding:0 12px}.masthead h1{font-size:24px}
.grid2{grid-template-columns:1fr}}
@page{size:A4;margin:14mm 12mm}
@media print{
body{font-size:10.5pt;background:#fff}
.no-print{display:none!important}
.masthead{background:#fff;color:var(--ink);border-bottom:3px solid var(--ink);padding:0 0 8px}
.masthead .kicker,.masthead .meta{color:var(--muted)}
.wrap{max-width:none;padding:0}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
section{break-before:auto;padding-top:8px}
h2,h3{break-after:avoid}
tr,figure,.card,.explain{break-inside:avoid}
thead{display:table-header-group}
.table-wrap{overflow:visible}
.grid2{display:block}
details>summary{list-style:none}
a{color:inherit;text-decoration:none}
table{font-size:8pt}
th,td{padding:3px 4px}
thead th.num{white-space:normal}
svg.spark{display:none}
code{white-space:normal;overflow-wrap:anywhere}
.reason{min-width:0}
.cards{grid-template-columns:repeat(4,minmax(0,1fr));gap:8px}
.card{padding:6px 8px}
.card-value{font-size:15pt}
figure:not(.wide) svg.chart{max-width:150mm}
figure.wide{padding:0;border:none}
}
"""


def _script_hash() -> str:
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def report_html(plan: Plan) -> str:
    """The text of report.html."""
    v = PlanView(plan)
    csp = (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'"
    )
    body = [_masthead(v), _nav(v), '<main class="wrap">', _headline(v)]
    if v.feasible:
        body += [_rooms(v), _timeline(v), _finance(v), _partners(v), _staff(v), _security(v)]
    body += [_about(v), "</main>"]
    footer = (
        f'<footer><div class="wrap">{e(v.estate)} · plan format '
        f"{e(plan.get('format', ''))} · generated by planner"
        + (f" {e(plan['planner_version'])}" if plan.get("planner_version") else "")
        + "</div></footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">\n'
        f"<title>{e(v.estate)} – consolidation plan</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n"
        + footer
        + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
