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
from planner.reports.wording import one_off_words

Number = float | None


@dataclass
class RoomChange:
    id: str
    a: str | None  # decision, or None when the room is not in that plan
    a_month: str | None
    b: str | None
    b_month: str | None


@dataclass
class UpgradeChange:
    room: str
    accreditation: str
    a: str | None  # the month it is held from, or None when not bought in that plan
    b: str | None
    a_has_room: bool = True  # whether the room is in that plan
    b_has_room: bool = True


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
    upgrades: list[UpgradeChange] = field(default_factory=list)
    moves: list[MoveChange] = field(default_factory=list)
    money: list[MoneyRow] = field(default_factory=list)
    years: list[MoneyRow] = field(default_factory=list)
    partners: list[PartnerChange] = field(default_factory=list)
    staff: list[MoneyRow] = field(default_factory=list)

    @property
    def same_decisions(self) -> bool:
        return not (self.rooms or self.desks or self.upgrades or self.moves)


def _num(x: Any) -> Number:
    """A number as float, None as None."""
    return None if x is None else float(x)


def _decision_month(r: dict[str, Any]) -> str | None:
    """The month a room closes or opens (None when it is kept or unused)."""
    if r["decision"] == "close":
        return r.get("close_month")
    if r["decision"] == "open":
        return r.get("open_month")
    return None


def diff_plans(a: Plan, b: Plan, a_label: str = "A", b_label: str = "B") -> PlanDiff:
    """What changed from plan ``a`` to plan ``b`` (plan.json dicts)."""
    va, vb = PlanView(a), PlanView(b)
    return PlanDiff(
        a_label,
        b_label,
        va,
        vb,
        notes=_notes(va, vb),
        headline=_headline(va, vb),
        rooms=_room_changes(va, vb),
        desks=_desk_changes(va, vb),
        upgrades=_upgrade_changes(va, vb),
        moves=_move_changes(va, vb),
        money=_money(va, vb),
        years=_years(va, vb),
        partners=_partner_changes(va, vb),
        staff=_staff(va, vb),
    )


def _notes(va: PlanView, vb: PlanView) -> list[str]:
    """Different estates, different input files, the options that changed."""
    notes = []
    if va.estate != vb.estate:
        notes.append(f"The plans are for different estates: {va.estate!r} and {vb.estate!r}.")
    sa, sb = va.plan.get("inventory_sha256"), vb.plan.get("inventory_sha256")
    if sa and sb and sa != sb:
        notes.append(
            "The estates' input files differ (inventory_sha256), so some changes "
            "may come from the inventory rather than the options."
        )
    oa, ob = va.options, vb.options
    changed_opts = [k for k in dict.fromkeys([*oa, *ob]) if oa.get(k) != ob.get(k)]
    if changed_opts:
        notes.append(
            "Options changed: "
            + ", ".join(f"{k} {_opt(oa.get(k))} → {_opt(ob.get(k))}" for k in changed_opts)
            + "."
        )
    return notes


def _headline(va: PlanView, vb: PlanView) -> list[MoneyRow]:
    """Status, objective, rooms and desks after, workloads moved, waves."""
    return [
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


def _room_changes(va: PlanView, vb: PlanView) -> list[RoomChange]:
    """The machine rooms whose decision or its month differs."""
    out = []
    rooms_a = {r["id"]: r for r in va.rooms}
    rooms_b = {r["id"]: r for r in vb.rooms}
    for rid in dict.fromkeys([*rooms_a, *rooms_b]):
        ra, rb = rooms_a.get(rid), rooms_b.get(rid)
        da = None if ra is None else ra["decision"]
        db = None if rb is None else rb["decision"]
        ma = None if ra is None else _decision_month(ra)
        mb = None if rb is None else _decision_month(rb)
        if (da, ma) != (db, mb):
            out.append(RoomChange(rid, da, ma, db, mb))
    return out


def _desk_changes(va: PlanView, vb: PlanView) -> list[RoomChange]:
    """The service desks whose decision or FTE differs (the FTE in place of a month)."""
    out = []
    desks_a = {x["id"]: x for x in va.desks}
    desks_b = {x["id"]: x for x in vb.desks}
    for did in dict.fromkeys([*desks_a, *desks_b]):
        xa, xb = desks_a.get(did), desks_b.get(did)
        da = None if xa is None else xa["decision"]
        db = None if xb is None else xb["decision"]
        fa = None if xa is None else xa.get("fte")
        fb = None if xb is None else xb.get("fte")
        if (da, fa) != (db, fb):
            out.append(
                RoomChange(
                    did,
                    da,
                    None if fa is None else fmt.num(fa),
                    db,
                    None if fb is None else fmt.num(fb),
                )
            )
    return out


def _upgrade_changes(va: PlanView, vb: PlanView) -> list[UpgradeChange]:
    """The accreditation upgrades bought in one plan and not the other, or from another
    month (spec/decisions.md), room by room in the plans' order."""
    rooms_a = {r["id"]: r for r in va.rooms}
    rooms_b = {r["id"]: r for r in vb.rooms}
    out = []
    for rid in dict.fromkeys([*rooms_a, *rooms_b]):
        bought_a = _bought(rooms_a.get(rid))
        bought_b = _bought(rooms_b.get(rid))
        for acc in dict.fromkeys([*bought_a, *bought_b]):
            ma, mb = bought_a.get(acc), bought_b.get(acc)
            if ma != mb:
                out.append(UpgradeChange(rid, acc, ma, mb, rid in rooms_a, rid in rooms_b))
    return out


def _bought(room: dict[str, Any] | None) -> dict[str, str]:
    """accreditation -> the month a room holds it from, for the upgrades bought for it."""
    if room is None:
        return {}
    return {str(u["accreditation"]): str(u["month"]) for u in PlanView.upgrades_bought(room)}


def _move_changes(va: PlanView, vb: PlanView) -> list[MoveChange]:
    """The workloads whose destination or month differs."""
    out = []
    asg_a = {x["workload"]: x for x in va.assignments}
    asg_b = {x["workload"]: x for x in vb.assignments}
    for wid in dict.fromkeys([*asg_a, *asg_b]):
        xa, xb = asg_a.get(wid), asg_b.get(wid)
        ta = None if xa is None else xa["to"]
        tb = None if xb is None else xb["to"]
        ma = None if xa is None else xa.get("month")
        mb = None if xb is None else xb.get("month")
        if (ta, ma) != (tb, mb):
            out.append(MoveChange(wid, ta, ma, tb, mb))
    return out


def _money(va: PlanView, vb: PlanView) -> list[MoneyRow]:
    """Running costs, saving a year, one-off cost (and what accreditation upgrades cost,
    when either plan spends on them), NPV, total savings, payback."""
    upgrades = []
    if va.room_upgrade_cost or vb.room_upgrade_cost:
        upgrades = [
            MoneyRow(
                "One-off: " + one_off_words("room_upgrade"),
                va.room_upgrade_cost or (0.0 if va.feasible else None),
                vb.room_upgrade_cost or (0.0 if vb.feasible else None),
            )
        ]
    return [
        MoneyRow("Running cost a year today", va.baseline_steady, vb.baseline_steady),
        MoneyRow("Running cost a year in the plan", va.planned_steady, vb.planned_steady),
        MoneyRow("Saving a year", va.steady_saving, vb.steady_saving),
        MoneyRow("One-off cost", va.one_off, vb.one_off),
        *upgrades,
        MoneyRow("Net present value", va.npv, vb.npv),
        MoneyRow("Total savings over the horizon", va.total_savings, vb.total_savings),
        MoneyRow("Payback", None, None, "month", va.payback_month, vb.payback_month),
    ]


def _years(va: PlanView, vb: PlanView) -> list[MoneyRow]:
    """Savings in each financial year of either plan."""
    ya = {y["year"]: y for y in va.years}
    yb = {y["year"]: y for y in vb.years}
    return [
        MoneyRow(
            label,
            _num(ya.get(label, {}).get("savings")),
            _num(yb.get(label, {}).get("savings")),
        )
        for label in sorted(dict.fromkeys([*ya, *yb]))
    ]


def _partner_changes(va: PlanView, vb: PlanView) -> list[PartnerChange]:
    """Each partner's saving a year and net over the horizon, and whether it is worse off."""
    out = []
    org_a = {o["id"]: o for o in va.organisations}
    org_b = {o["id"]: o for o in vb.organisations}
    for oid in dict.fromkeys([*org_a, *org_b]):
        xa, xb = org_a.get(oid), org_b.get(oid)
        out.append(
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
    return out


def _staff(va: PlanView, vb: PlanView) -> list[MoneyRow]:
    """Service desk and machine room FTE, before and after."""
    return [
        MoneyRow(label, _num(va.staff.get(key)), _num(vb.staff.get(key)), "fte")
        for label, key in (
            ("Service desk FTE before", "desk_fte_before"),
            ("Service desk FTE after", "desk_fte_after"),
            ("Machine room FTE before", "ops_fte_before"),
            ("Machine room FTE after", "ops_fte_after"),
        )
    ]


def _opt(x: Any) -> str:
    """An option's value ('—' when unset)."""
    return fmt.DASH if x is None else str(x)


def _int(x: int | None) -> Number:
    """A count as float, None as None."""
    return None if x is None else float(x)


# ---------------------------------------------------------------- formatting


def _value(row: MoneyRow, which: str) -> str:
    """The row's figure in plan ``which`` ('a' or 'b'), formatted for its kind."""
    if row.kind == "text":
        return (row.a_text if which == "a" else row.b_text) or fmt.DASH
    if row.kind == "month":
        return fmt.month(row.a_text if which == "a" else row.b_text)
    x = row.a if which == "a" else row.b
    if row.kind == "gbp":
        return fmt.gbp(x)
    return fmt.num(x)


def _delta(row: MoneyRow) -> str:
    """B - A, formatted for the row's kind ('' when nothing changed or it is unknown)."""
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
    """Where a workload goes and when: 'room-b, Oct 2027', 'room-a (stays)'."""
    if to is None:
        return "(not in plan)"
    return f"{to}, {fmt.month(month)}" if month else f"{to} (stays)"


def _decision(dec: str | None, month: str | None, desk: bool = False) -> str:
    """A room's decision and month ('close Oct 2027'), a desk's and its FTE ('keep, 4 FTE')."""
    if dec is None:
        return "(not in plan)"
    if desk:
        return f"{dec}, {month} FTE" if month is not None else dec
    return f"{dec} {fmt.month(month)}" if month else dec


def _bought_words(month: str | None, has_room: bool) -> str:
    """'bought, from Oct 2027', 'not bought' or '(not in plan)' for an upgrade in a plan."""
    if month is not None:
        return f"bought, from {fmt.month(month)}"
    return "not bought" if has_room else "(not in plan)"


def _gbp_delta(a: Number, b: Number) -> str:
    """B - A in pounds, signed ('' when either is unknown or they round the same)."""
    if a is None or b is None or round(b - a) == 0:
        return ""
    return fmt.gbp(b - a, signed=True)


def _partner_flag(p: PartnerChange) -> str:
    """'now worse off', 'no longer worse off', 'worse off in both' or ''."""
    if p.a_worse != p.b_worse:
        return "now worse off" if p.b_worse else ("no longer worse off" if p.a_worse else "")
    return "worse off in both" if p.b_worse else ""


def _changes(d: PlanDiff) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The rooms, desks and workloads that changed: (title, what, rows of (id, A, B))."""
    out = []
    if d.rooms:
        out.append(
            (
                f"Rooms whose decision changed ({len(d.rooms)})",
                "room",
                [(r.id, _decision(r.a, r.a_month), _decision(r.b, r.b_month)) for r in d.rooms],
            )
        )
    if d.desks:
        out.append(
            (
                f"Desks whose decision changed ({len(d.desks)})",
                "desk",
                [
                    (r.id, _decision(r.a, r.a_month, True), _decision(r.b, r.b_month, True))
                    for r in d.desks
                ],
            )
        )
    if d.upgrades:
        out.append(
            (
                f"Accreditation upgrades bought or moved to another month ({len(d.upgrades)})",
                "upgrade",
                [
                    (
                        f"{u.room}: {u.accreditation}",
                        _bought_words(u.a, u.a_has_room),
                        _bought_words(u.b, u.b_has_room),
                    )
                    for u in d.upgrades
                ],
            )
        )
    if d.moves:
        out.append(
            (
                f"Workloads whose destination or month changed ({len(d.moves)})",
                "workload",
                [
                    (m.workload, _where(m.a_to, m.a_month), _where(m.b_to, m.b_month))
                    for m in d.moves
                ],
            )
        )
    return out


def _same_decisions(d: PlanDiff) -> str:
    """What 'same decisions' covers (upgrades too, when either plan says which it buys)."""
    if d.a.has_upgrade_options or d.b.has_upgrade_options:
        return "Same decisions: no room, accreditation upgrade, desk or workload changed."
    return "Same decisions: no room, desk or workload changed."


# ---------------------------------------------------------------- terminal


LOWER_IS_BETTER = {
    "Objective",
    "Running cost a year in the plan",
    "One-off cost",
    "One-off: accreditation upgrades",
    "Payback",
    "Running cost a year today",
}


def diff_renderable(d: PlanDiff) -> RenderableType:
    """The diff for the terminal."""
    head = Text()
    head.append("A: ", "bold")
    head.append(f"{d.a_label}  ({d.a.estate}, {d.a.status_text()})\n")
    head.append("B: ", "bold")
    head.append(f"{d.b_label}  ({d.b.estate}, {d.b.status_text()})")
    parts: list[RenderableType] = [head]
    parts += [Text("note: " + n, style="yellow") for n in d.notes]
    parts.append(_money_table("Headline", d.headline))
    if d.same_decisions:
        parts.append(Text(_same_decisions(d), style="green"))
    for title, what, rows in _changes(d):
        t = _table(title, [(what, "left"), ("A", "left"), ("B", "left")])
        for row in rows:
            t.add_row(*(Text(x) for x in row))
        parts.append(t)
    parts.append(_money_table("Money", d.money))
    if d.years:
        parts.append(_money_table("Savings by financial year", d.years))
    if d.partners:
        parts.append(_partners_table(d.partners))
    parts.append(_money_table("Staff", d.staff))
    spaced: list[RenderableType] = []
    for i, part in enumerate(parts):
        if i > 0 and isinstance(part, Table):
            spaced.append(Text(""))
        spaced.append(part)
    return Group(*spaced)


def _table(title: str, cols: list[tuple[str, str]]) -> Table:
    """A compact table with a bold title on the left."""
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
    """A change in green when it is good news, red when bad."""
    if not text or text in ("changed",):
        return Text(text)
    neg = text.startswith("-")
    good = neg if good_when_negative else not neg
    return Text(text, style="green" if good else "red")


def _money_table(title: str, rows: list[MoneyRow]) -> Table:
    """Figures in A and B and the change, coloured by whether it is good news."""
    t = _table(title, [("", "left"), ("A", "right"), ("B", "right"), ("B - A", "right")])
    for r in rows:
        t.add_row(
            Text(r.label),
            Text(_value(r, "a")),
            Text(_value(r, "b")),
            _style_delta(_delta(r), r.label in LOWER_IS_BETTER),
        )
    return t


def _partners_table(partners: list[PartnerChange]) -> Table:
    """Each partner's saving a year and net over the horizon in A and B."""
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
    for p in partners:
        t.add_row(
            Text(p.id),
            fmt.gbp(p.a_saving),
            fmt.gbp(p.b_saving),
            _style_delta(_gbp_delta(p.a_saving, p.b_saving)),
            fmt.gbp(p.a_horizon),
            fmt.gbp(p.b_horizon),
            _style_delta(_gbp_delta(p.a_horizon, p.b_horizon)),
            Text(_partner_flag(p), style="bold red" if p.b_worse else "green"),
        )
    return t


# ---------------------------------------------------------------- markdown


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
    L += _md_money("Headline", d.headline)
    if d.same_decisions:
        L += [_same_decisions(d), ""]
    for title, what, rows in _changes(d):
        L += [f"## {title}", "", f"| {what.capitalize()} | A | B |", "| --- | --- | --- |"]
        L += [f"| {md(x)} | {md(a)} | {md(b)} |" for x, a, b in rows]
        L.append("")
    L += _md_money("Money", d.money)
    if d.years:
        L += _md_money("Savings by financial year", d.years)
    if d.partners:
        L += _md_partners(d.partners)
    L += _md_money("Staff", d.staff)
    return "\n".join(L)


def _md_money(title: str, rows: list[MoneyRow]) -> list[str]:
    """A section of figures in A and B and the change."""
    L = [f"## {title}", "", "|  | A | B | B - A |", "| --- | ---: | ---: | ---: |"]
    for r in rows:
        L.append(
            f"| {md(r.label)} | {md(_value(r, 'a'))} | {md(_value(r, 'b'))} | {md(_delta(r))} |"
        )
    L.append("")
    return L


def _md_partners(partners: list[PartnerChange]) -> list[str]:
    """Each partner's saving a year and net over the horizon in A and B."""
    L = [
        "## Partners",
        "",
        "| Partner | Saving a year A | B | B - A | Net over horizon A | B | B - A | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for p in partners:
        L.append(
            f"| {md(p.id)} | {fmt.gbp(p.a_saving)} | {fmt.gbp(p.b_saving)} | "
            f"{_gbp_delta(p.a_saving, p.b_saving)} | {fmt.gbp(p.a_horizon)} | "
            f"{fmt.gbp(p.b_horizon)} | {_gbp_delta(p.a_horizon, p.b_horizon)} | "
            f"{_partner_flag(p)} |"
        )
    L.append("")
    return L
