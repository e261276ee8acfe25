"""What changed between two plans: decisions, moves, money, partners and staff.

`diff_plans(a, b)` compares two plan dicts (plan.json) and returns a PlanDiff;
`diff_renderable` shows it with rich, `diff_markdown` writes it as markdown.
Rows hold plain values; formatting happens in the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from planner.reports import fmt
from planner.reports.fmt import md
from planner.reports.plan import Plan, PlanView, month_index

Number = float | None


@dataclass
class RoomChange:
    id: str
    a: str | None  # decision, or None when the room is not in that plan
    a_month: str | None
    b: str | None
    b_month: str | None


@dataclass
class MoveChange:
    workload: str
    a_to: str | None
    a_month: str | None
    b_to: str | None
    b_month: str | None


@dataclass
class MoneyRow:
    label: str
    a: Number
    b: Number
    kind: str = "gbp"  # gbp | fte | count | month | text
    a_text: str | None = None
    b_text: str | None = None

    @property
    def delta(self) -> Number:
        if self.kind in ("month", "text") or self.a is None or self.b is None:
            return None
        return self.b - self.a


@dataclass
class PartnerChange:
    id: str
    a_saving: Number
    b_saving: Number
    a_horizon: Number
    b_horizon: Number
    a_worse: bool | None
    b_worse: bool | None


@dataclass
class PlanDiff:
    a_label: str
    b_label: str
    a: PlanView
    b: PlanView
    notes: list[str] = field(default_factory=list)
    headline: list[MoneyRow] = field(default_factory=list)
    rooms: list[RoomChange] = field(default_factory=list)
    desks: list[RoomChange] = field(default_factory=list)
    moves: list[MoveChange] = field(default_factory=list)
    money: list[MoneyRow] = field(default_factory=list)
    years: list[MoneyRow] = field(default_factory=list)
    partners: list[PartnerChange] = field(default_factory=list)
    staff: list[MoneyRow] = field(default_factory=list)

    @property
    def same_decisions(self) -> bool:
        return not (self.rooms or self.desks or self.moves)


def _num(x: Any) -> Number:
    return None if x is None else float(x)


def _decision_month(r: dict[str, Any]) -> str | None:
    if r["decision"] == "close":
        return r.get("close_month")
    if r["decision"] == "open":
        return r.get("open_month")
    return None


def diff_plans(a: Plan, b: Plan, a_label: str = "A", b_label: str = "B") -> PlanDiff:
    va, vb = PlanView(a), PlanView(b)
    d = PlanDiff(a_label, b_label, va, vb)
    if va.estate != vb.estate:
        d.notes.append(f"The plans are for different estates: {va.estate!r} and {vb.estate!r}.")
    sa, sb = a.get("inventory_sha256"), b.get("inventory_sha256")
    if sa and sb and sa != sb:
        d.notes.append(
            "The estates' input files differ (inventory_sha256), so some changes "
            "may come from the inventory rather than the options."
        )
    oa, ob = va.options, vb.options
    changed_opts = [k for k in dict.fromkeys([*oa, *ob]) if oa.get(k) != ob.get(k)]
    if changed_opts:
        d.notes.append(
            "Options changed: "
            + ", ".join(f"{k} {_opt(oa.get(k))} → {_opt(ob.get(k))}" for k in changed_opts)
            + "."
        )

    d.headline = [
        MoneyRow("Status", None, None, "text", va.status_text(), vb.status_text()),
        MoneyRow("Objective", va.objective, vb.objective),
        MoneyRow(
            "Machine rooms after", _int(va.rooms_count.after), _int(vb.rooms_count.after), "count"
        ),
        MoneyRow(
            "Service desks after", _int(va.desks_count.after), _int(vb.desks_count.after), "count"
        ),
        MoneyRow(
            "Workloads moved",
            float(len(va.moves)) if va.feasible else None,
            float(len(vb.moves)) if vb.feasible else None,
            "count",
        ),
        MoneyRow(
            "Waves",
            float(len(va.waves)) if va.feasible else None,
            float(len(vb.waves)) if vb.feasible else None,
            "count",
        ),
    ]

    rooms_a = {r["id"]: r for r in va.rooms}
    rooms_b = {r["id"]: r for r in vb.rooms}
    for rid in dict.fromkeys([*rooms_a, *rooms_b]):
        ra, rb = rooms_a.get(rid), rooms_b.get(rid)
        da = None if ra is None else ra["decision"]
        db = None if rb is None else rb["decision"]
        ma = None if ra is None else _decision_month(ra)
        mb = None if rb is None else _decision_month(rb)
        if (da, ma) != (db, mb):
            d.rooms.append(RoomChange(rid, da, ma, db, mb))
    desks_a = {x["id"]: x for x in va.desks}
    desks_b = {x["id"]: x for x in vb.desks}
    for did in dict.fromkeys([*desks_a, *desks_b]):
        xa, xb = desks_a.get(did), desks_b.get(did)
        da = None if xa is None else xa["decision"]
        db = None if xb is None else xb["decision"]
        fa = None if xa is None else xa.get("fte")
        fb = None if xb is None else xb.get("fte")
        if (da, fa) != (db, fb):
            d.desks.append(
                RoomChange(
                    did,
                    da,
                    None if fa is None else fmt.num(fa),
                    db,
                    None if fb is None else fmt.num(fb),
                )
            )

    asg_a = {x["workload"]: x for x in va.assignments}
    asg_b = {x["workload"]: x for x in vb.assignments}
    for wid in dict.fromkeys([*asg_a, *asg_b]):
        xa, xb = asg_a.get(wid), asg_b.get(wid)
        ta = None if xa is None else xa["to"]
        tb = None if xb is None else xb["to"]
        ma = None if xa is None else xa.get("month")
        mb = None if xb is None else xb.get("month")
        if (ta, ma) != (tb, mb):
            d.moves.append(MoveChange(wid, ta, ma, tb, mb))

    d.money = [
        MoneyRow("Running cost a year today", va.baseline_steady, vb.baseline_steady),
        MoneyRow("Running cost a year in the plan", va.planned_steady, vb.planned_steady),
        MoneyRow("Saving a year", va.steady_saving, vb.steady_saving),
        MoneyRow("One-off cost", va.one_off, vb.one_off),
        MoneyRow("Net present value", va.npv, vb.npv),
        MoneyRow("Total savings over the horizon", va.total_savings, vb.total_savings),
        MoneyRow("Payback", None, None, "month", va.payback_month, vb.payback_month),
    ]
    ya = {y["year"]: y for y in va.years}
    yb = {y["year"]: y for y in vb.years}
    for label in sorted(dict.fromkeys([*ya, *yb])):
        d.years.append(
            MoneyRow(
                label,
                _num(ya.get(label, {}).get("savings")),
                _num(yb.get(label, {}).get("savings")),
            )
        )

    org_a = {o["id"]: o for o in va.organisations}
    org_b = {o["id"]: o for o in vb.organisations}
    for oid in dict.fromkeys([*org_a, *org_b]):
        xa, xb = org_a.get(oid), org_b.get(oid)
        d.partners.append(
            PartnerChange(
                oid,
                None if xa is None else _num(xa.get("savings")),
                None if xb is None else _num(xb.get("savings")),
                None if xa is None else _num(xa.get("horizon_savings")),
                None if xb is None else _num(xb.get("horizon_savings")),
                None if xa is None else va.worse_off(xa),
                None if xb is None else vb.worse_off(xb),
            )
        )

    for label, key in (
        ("Service desk FTE before", "desk_fte_before"),
        ("Service desk FTE after", "desk_fte_after"),
        ("Machine room FTE before", "ops_fte_before"),
        ("Machine room FTE after", "ops_fte_after"),
    ):
        d.staff.append(MoneyRow(label, _num(va.staff.get(key)), _num(vb.staff.get(key)), "fte"))
    return d


def _opt(x: Any) -> str:
    return fmt.DASH if x is None else str(x)


def _int(x: int | None) -> Number:
    return None if x is None else float(x)


# ---------------------------------------------------------------- formatting


def _value(row: MoneyRow, which: str) -> str:
    if row.kind == "text":
        return (row.a_text if which == "a" else row.b_text) or fmt.DASH
    if row.kind == "month":
        return fmt.month(row.a_text if which == "a" else row.b_text)
    x = row.a if which == "a" else row.b
    if row.kind == "gbp":
        return fmt.gbp(x)
    return fmt.num(x)


def _delta(row: MoneyRow) -> str:
    if row.kind == "month":
        a, b = row.a_text, row.b_text
        if a and b and a != b:
            n = month_index(b) - month_index(a)
            return f"{n:+d} month{'s' if abs(n) != 1 else ''}"
        return "" if a == b else "changed"
    if row.kind == "text":
        return "" if row.a_text == row.b_text else "changed"
    dv = row.delta
    if dv is None:
        return ""
    if row.kind == "gbp":
        return "" if round(dv) == 0 else fmt.gbp(dv, signed=True)
    return "" if dv == 0 else fmt.num(dv, signed=True)


def _where(to: str | None, month: str | None) -> str:
    if to is None:
        return "(not in plan)"
    return f"{to}, {fmt.month(month)}" if month else f"{to} (stays)"


def _decision(dec: str | None, month: str | None, desk: bool = False) -> str:
    if dec is None:
        return "(not in plan)"
    if desk:
        return f"{dec}, {month} FTE" if month is not None else dec
    return f"{dec} {fmt.month(month)}" if month else dec


def _worse(x: bool | None) -> str:
    return "" if x is None else ("worse off" if x else "")


def _table(title: str, cols: list[tuple[str, str]]) -> Table:
    t = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_style="bold",
    )
    for name, just in cols:
        t.add_column(name, justify=just, overflow="fold")  # type: ignore[arg-type]
    return t


def _style_delta(text: str, good_when_negative: bool = False) -> Text:
    if not text or text in ("changed",):
        return Text(text)
    neg = text.startswith("-")
    good = neg if good_when_negative else not neg
    return Text(text, style="green" if good else "red")


LOWER_IS_BETTER = {
    "Objective",
    "Running cost a year in the plan",
    "One-off cost",
    "Payback",
    "Running cost a year today",
}


def diff_renderable(d: PlanDiff) -> RenderableType:
    """The diff for the terminal."""
    parts: list[RenderableType] = []
    head = Text()
    head.append("A: ", "bold")
    head.append(f"{d.a_label}  ({d.a.estate}, {d.a.status_text()})\n")
    head.append("B: ", "bold")
    head.append(f"{d.b_label}  ({d.b.estate}, {d.b.status_text()})")
    parts.append(head)
    for n in d.notes:
        parts.append(Text("note: " + n, style="yellow"))

    def money_table(title: str, rows: list[MoneyRow]) -> Table:
        t = _table(title, [("", "left"), ("A", "right"), ("B", "right"), ("B - A", "right")])
        for r in rows:
            t.add_row(
                Text(r.label),
                Text(_value(r, "a")),
                Text(_value(r, "b")),
                _style_delta(_delta(r), r.label in LOWER_IS_BETTER),
            )
        return t

    parts.append(money_table("Headline", d.headline))
    if d.same_decisions:
        parts.append(Text("Same decisions: no room, desk or workload changed.", style="green"))
    if d.rooms:
        t = _table(
            f"Rooms whose decision changed ({len(d.rooms)})",
            [("room", "left"), ("A", "left"), ("B", "left")],
        )
        for r in d.rooms:
            t.add_row(Text(r.id), Text(_decision(r.a, r.a_month)), Text(_decision(r.b, r.b_month)))
        parts.append(t)
    if d.desks:
        t = _table(
            f"Desks whose decision changed ({len(d.desks)})",
            [("desk", "left"), ("A", "left"), ("B", "left")],
        )
        for r in d.desks:
            t.add_row(
                Text(r.id),
                Text(_decision(r.a, r.a_month, True)),
                Text(_decision(r.b, r.b_month, True)),
            )
        parts.append(t)
    if d.moves:
        t = _table(
            f"Workloads whose destination or month changed ({len(d.moves)})",
            [("workload", "left"), ("A", "left"), ("B", "left")],
        )
        for m in d.moves:
            t.add_row(
                Text(m.workload), Text(_where(m.a_to, m.a_month)), Text(_where(m.b_to, m.b_month))
            )
        parts.append(t)
    parts.append(money_table("Money", d.money))
    if d.years:
        parts.append(money_table("Savings by financial year", d.years))
    if d.partners:
        t = _table(
            "Partners",
            [
                ("partner", "left"),
                ("saving a year A", "right"),
                ("B", "right"),
                ("B - A", "right"),
                ("net over horizon A", "right"),
                ("B", "right"),
                ("B - A", "right"),
                ("", "left"),
            ],
        )
        for p in d.partners:
            flag = ""
            if p.a_worse != p.b_worse:
                flag = "now worse off" if p.b_worse else "no longer worse off" if p.a_worse else ""
            elif p.b_worse:
                flag = "worse off in both"
            t.add_row(
                Text(p.id),
                fmt.gbp(p.a_saving),
                fmt.gbp(p.b_saving),
                _style_delta(_gbp_delta(p.a_saving, p.b_saving)),
                fmt.gbp(p.a_horizon),
                fmt.gbp(p.b_horizon),
                _style_delta(_gbp_delta(p.a_horizon, p.b_horizon)),
                Text(flag, style="bold red" if p.b_worse else "green"),
            )
        parts.append(t)
    parts.append(money_table("Staff", d.staff))
    spaced: list[RenderableType] = []
    for i, part in enumerate(parts):
        if i > 0 and isinstance(part, Table):
            spaced.append(Text(""))
        spaced.append(part)
    return Group(*spaced)


def _gbp_delta(a: Number, b: Number) -> str:
    if a is None or b is None or round(b - a) == 0:
        return ""
    return fmt.gbp(b - a, signed=True)


def diff_markdown(d: PlanDiff) -> str:
    """The diff as markdown (for --out FILE.md)."""
    L = [
        f"# Plan comparison: {md(d.a.estate)}",
        "",
        f"- **A:** {md(d.a_label)} ({md(d.a.status_text())})",
        f"- **B:** {md(d.b_label)} ({md(d.b.status_text())})",
        "",
    ]
    for n in d.notes:
        L += [f"> {md(n)}", ""]

    def money(title: str, rows: list[MoneyRow]) -> None:
        L.extend([f"## {title}", "", "|  | A | B | B - A |", "| --- | ---: | ---: | ---: |"])
        for r in rows:
            L.append(
                f"| {md(r.label)} | {md(_value(r, 'a'))} | {md(_value(r, 'b'))} | {md(_delta(r))} |"
            )
        L.append("")

    money("Headline", d.headline)
    if d.same_decisions:
        L += ["Same decisions: no room, desk or workload changed.", ""]
    if d.rooms:
        L += [
            f"## Rooms whose decision changed ({len(d.rooms)})",
            "",
            "| Room | A | B |",
            "| --- | --- | --- |",
        ]
        L += [
            f"| {md(r.id)} | {md(_decision(r.a, r.a_month))} | {md(_decision(r.b, r.b_month))} |"
            for r in d.rooms
        ]
        L.append("")
    if d.desks:
        L += [
            f"## Desks whose decision changed ({len(d.desks)})",
            "",
            "| Desk | A | B |",
            "| --- | --- | --- |",
        ]
        L += [
            f"| {md(r.id)} | {md(_decision(r.a, r.a_month, True))} | "
            f"{md(_decision(r.b, r.b_month, True))} |"
            for r in d.desks
        ]
        L.append("")
    if d.moves:
        L += [
            f"## Workloads whose destination or month changed ({len(d.moves)})",
            "",
            "| Workload | A | B |",
            "| --- | --- | --- |",
        ]
        L += [
            f"| {md(m.workload)} | {md(_where(m.a_to, m.a_month))} | "
            f"{md(_where(m.b_to, m.b_month))} |"
            for m in d.moves
        ]
        L.append("")
    money("Money", d.money)
    if d.years:
        money("Savings by financial year", d.years)
    if d.partners:
        L += [
            "## Partners",
            "",
            "| Partner | Saving a year A | B | B - A | Net over horizon A | B | B - A | |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for p in d.partners:
            flag = ""
            if p.a_worse != p.b_worse:
                flag = (
                    "now worse off" if p.b_worse else ("no longer worse off" if p.a_worse else "")
                )
            elif p.b_worse:
                flag = "worse off in both"
            L.append(
                f"| {md(p.id)} | {fmt.gbp(p.a_saving)} | {fmt.gbp(p.b_saving)} | "
                f"{_gbp_delta(p.a_saving, p.b_saving)} | {fmt.gbp(p.a_horizon)} | "
                f"{fmt.gbp(p.b_horizon)} | {_gbp_delta(p.a_horizon, p.b_horizon)} | "
                f"{flag} |"
            )
        L.append("")
    money("Staff", d.staff)
    return "\n".join(L)
