"""plan.xlsx (for finance teams) and moves.csv, from plan.json alone.

Sheets: moves, rooms, years, organisations, staff (the five the finance team
works from), then desks and summary; and transfers (who pays whom, after organisations)
when the plan gives them. Each has one bold header row, frozen,
with an autofilter; money cells carry a GBP number format, months are real
dates shown as "Oct 2027". Text cells are always stored as text: a name that
starts with '=' is never a formula, and characters that XML cannot hold are
dropped.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from planner.reports import fmt
from planner.reports.plan import STAFF_BY_ORGANISATION, Plan, PlanView, fy_of
from planner.reports.wording import (
    horizon_words,
    no_transfers_sentence,
    one_off_words,
    share_rule_words,
    upgrades_text,
)

GBP = '"£"#,##0.00;[Red]-"£"#,##0.00'
MONTH = "mmm yyyy"
FTE = "0.##"
DF = "0.0000"
RATE = "0.00%"
HEADER_FILL = PatternFill("solid", fgColor="0B2545")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin", color="000000"))
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

MOVES_COLUMNS = [
    "workload",
    "name",
    "organisation",
    "zone",
    "from",
    "to",
    "month",
    "financial_year",
    "migration_cost",
    "migration_days",
    "reason",
]


def _month_date(m: str | None) -> date | None:
    """'2027-10' -> the first of October 2027 (shown as 'Oct 2027')."""
    if not m:
        return None
    y, mm = m.split("-")
    return date(int(y), int(mm), 1)


class _Sheet:
    """A sheet with a header row; ``columns`` are (header, width, number format or '')."""

    def __init__(
        self, wb: Workbook, title: str, columns: list[tuple[str, int, str]], *, first: bool = False
    ) -> None:
        self.ws = wb.active if first else wb.create_sheet()
        self.ws.title = title
        self.formats = [f for _, _, f in columns]
        for i, (head, width, _) in enumerate(columns, start=1):
            c = self.ws.cell(row=1, column=i, value=head)
            c.font = HEADER_FONT
            c.fill = HEADER_FILL
            c.alignment = Alignment(vertical="center", wrap_text=True)
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "A2"
        self.ws.row_dimensions[1].height = 30
        self.ncols = len(columns)

    def row(self, values: list[Any], *, total: bool = False) -> None:
        """Append a row (text kept as text; ``total``: bold, with a rule above)."""
        r = self.ws.max_row + 1
        for i, v in enumerate(values, start=1):
            c = self.ws.cell(row=r, column=i)
            if isinstance(v, str):
                c.value = _ILLEGAL.sub("", v)
                c.data_type = "s"  # never a formula, whatever the text starts with
            else:
                c.value = v
            number_format = self.formats[i - 1]
            if number_format and v is not None and not isinstance(v, str | bool):
                c.number_format = number_format
            if total:
                c.font = TOTAL_FONT
                c.border = TOTAL_BORDER
            if isinstance(v, str) and len(v) > 40:
                c.alignment = Alignment(wrap_text=True, vertical="top")

    def finish(self, data_rows: int | None = None) -> None:
        """Put the autofilter over the header and the first ``data_rows`` rows (default all)."""
        last = self.ws.max_row if data_rows is None else data_rows + 1
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.ncols)}{max(1, last)}"


def _num(x: Any) -> float | None:
    """A number as float, None as None."""
    return None if x is None else float(x)


def plan_xlsx(plan: Plan) -> bytes:
    """The bytes of plan.xlsx."""
    v = PlanView(plan)
    wb = Workbook()
    _moves_sheet(wb, v)
    _rooms_sheet(wb, v)
    _years_sheet(wb, v)
    _organisations_sheet(wb, v)
    _transfers_sheet(wb, v)
    _staff_sheet(wb, v)
    _desks_sheet(wb, v)
    _summary_sheet(wb, v)
    wb.properties.title = _ILLEGAL.sub("", f"{v.estate}: consolidation plan")
    wb.properties.creator = "planner"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _moves_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'moves': one row per workload that moves, by month; the total cost and days."""
    s = _Sheet(
        wb,
        "moves",
        [
            ("Workload", 26, ""),
            ("Name", 30, ""),
            ("Partner", 18, ""),
            ("Zone", 12, ""),
            ("From room", 20, ""),
            ("To room", 20, ""),
            ("Month", 11, MONTH),
            ("Financial year", 10, ""),
            ("Migration cost", 14, GBP),
            ("Person-days", 11, FTE),
            ("Main reason", 70, ""),
        ],
        first=True,
    )
    for a in v.moves:
        s.row(
            [
                a["workload"],
                a.get("name"),
                a.get("organisation"),
                a.get("zone"),
                a["from"],
                a["to"],
                _month_date(a["month"]),
                fy_of(a["month"]),
                _num(a.get("migration_cost")),
                _num(a.get("migration_days")),
                a.get("reason"),
            ]
        )
    n = len(v.moves)
    if n:
        cost = sum(float(a.get("migration_cost") or 0) for a in v.moves)
        days = sum(float(a.get("migration_days") or 0) for a in v.moves)
        s.row(["Total", *[None] * 7, cost, days, None], total=True)
    s.finish(n)


COMPUTE_COLUMNS = (("vcpu", "vCPU"), ("memory_gib", "Memory GiB"), ("storage_tib", "Storage TiB"))
"""The compute resources a plan may give for its rooms, with their column headings."""


UPGRADE_COLUMNS = [
    ("Upgrades bought", 40, ""),
    ("Upgrades one-off", 14, GBP),
    ("Upgrades cost a year", 14, GBP),
]
"""The rooms sheet's columns of accreditation upgrades (when the plan says which it buys)."""


def _rooms_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'rooms': each machine room's decision, cost, capacity and use, zones (and
    vCPU, memory and storage when the plan gives them: capacity, blank when not limited;
    the room a secure suite is inside, and the accreditation upgrades bought, when the
    plan gives them)."""
    compute = [(k, head) for k, head in COMPUTE_COLUMNS if any(k in r for r in v.rooms)]
    extra = [
        (f"{head}{part}", 10, FTE)
        for _, head in compute
        for part in ("", " used before", " used after")
    ]
    suites, upgrades = v.has_suites, v.has_upgrade_options
    s = _Sheet(
        wb,
        "rooms",
        [
            ("Room", 22, ""),
            *([("Within", 22, "")] if suites else []),
            ("Decision", 10, ""),
            ("Close month", 11, MONTH),
            ("Open month", 11, MONTH),
            ("Site", 18, ""),
            ("Partner", 18, ""),
            ("Cost a year", 14, GBP),
            ("Racks", 8, FTE),
            ("Racks used before", 10, FTE),
            ("Racks used after", 10, FTE),
            ("Power kW", 9, FTE),
            ("kW used before", 10, FTE),
            ("kW used after", 10, FTE),
            *extra,
            ("Zones before", 16, ""),
            ("Zones after", 16, ""),
            ("Accreditations", 16, ""),
            *(UPGRADE_COLUMNS if upgrades else []),
            ("Main reason", 70, ""),
        ],
    )
    for r in v.rooms:
        amounts = [
            _num(r.get(f"{k}{part}"))
            for k, _ in compute
            for part in ("", "_used_before", "_used_after")
        ]
        s.row(
            [
                r["id"],
                *([r.get("within")] if suites else []),
                r["decision"],
                _month_date(r.get("close_month")),
                _month_date(r.get("open_month")),
                r.get("site"),
                r.get("organisation"),
                _num(r.get("annual_cost")),
                _num(r.get("racks")),
                _num(r.get("racks_used_before")),
                _num(r.get("racks_used_after")),
                _num(r.get("power_kw")),
                _num(r.get("power_used_before")),
                _num(r.get("power_used_after")),
                *amounts,
                ", ".join(r.get("zones_before") or []),
                ", ".join(r.get("zones_after") or []),
                ", ".join(r.get("accreditations") or []),
                *(_upgrade_cells(v, r) if upgrades else []),
                r.get("reason"),
            ]
        )
    s.finish()


def _upgrade_cells(v: PlanView, r: dict[str, Any]) -> list[Any]:
    """A room's upgrades bought in words ('gains dspt from Oct 2027 (£50,000 once, £10,000
    a year)'; '; ' between), their one-off cost and their cost a year (blank when it buys
    none, or the plan gives no cost)."""
    bought = v.upgrades_bought(r)
    if not bought:
        return [None, None, None]

    def total(key: str) -> float | None:
        values = [u.get(key) for u in bought]
        return None if all(x is None for x in values) else float(sum(x or 0 for x in values))

    return [upgrades_text(r), total("cost"), total("annual_cost")]


def _years_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'years': costs and savings by financial year, cumulative and discounted; totals."""
    s = _Sheet(
        wb,
        "years",
        [
            ("Financial year", 12, ""),
            ("Months", 8, "0"),
            ("Today's estate", 15, GBP),
            ("Plan", 15, GBP),
            ("One-off", 15, GBP),
            ("Savings", 15, GBP),
            ("Cumulative savings", 16, GBP),
            ("Discount factor", 10, DF),
            ("Discounted savings", 16, GBP),
        ],
    )
    for y, c in zip(v.years, v.cumulative(), strict=True):
        s.row(
            [
                y["year"],
                _num(y.get("months")),
                float(y["baseline"]),
                float(y["planned"]),
                float(y["one_off"]),
                float(y["savings"]),
                c,
                _num(y.get("discount_factor")),
                _num(y.get("discounted_savings")),
            ]
        )
    if v.years:
        disc = [y.get("discounted_savings") for y in v.years]
        s.row(
            [
                "Total",
                float(sum(float(y.get("months") or 12) for y in v.years)),
                float(sum(y["baseline"] for y in v.years)),
                float(sum(y["planned"] for y in v.years)),
                float(sum(y["one_off"] for y in v.years)),
                float(sum(y["savings"] for y in v.years)),
                None,
                None,
                v.npv if all(d is not None for d in disc) else None,
            ],
            total=True,
        )
    s.finish(len(v.years))


ORG_TOTALS = (
    "baseline",
    "planned",
    "savings",
    "one_off",
    "horizon_baseline",
    "horizon_planned",
)
"""The organisations sheet's figures that have a total, before the net over the horizon."""


def _organisations_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'organisations': each partner's costs, savings and one-off share; totals. With a
    fair split (the plan gives ``transfers``): its net before transfers, what it receives
    less what it pays, its net after transfers (and its Shapley value when given)."""
    split = v.transfers is not None
    shapley = split and v.has_shapley
    s = _Sheet(
        wb,
        "organisations",
        [
            ("Partner", 22, ""),
            ("Cost a year today", 15, GBP),
            ("Cost a year after", 15, GBP),
            ("Saving a year", 15, GBP),
            ("One-off share", 15, GBP),
            ("Horizon: today's estate", 16, GBP),
            ("Horizon: plan", 16, GBP),
            *([("Shapley value", 16, GBP)] if shapley else []),
            *(_SPLIT_COLUMNS if split else [("Net over horizon", 16, GBP), ("Worse off", 10, "")]),
        ],
    )
    for o in v.organisations:
        figures = [_num(o.get(k)) for k in ORG_TOTALS]
        extra = [_num(o.get("shapley_value"))] if shapley else []
        s.row([o["id"], *figures, *extra, *_org_net(v, o, split)])
    if v.organisations:
        s.row(_org_total(v, split, shapley), total=True)
    s.finish(len(v.organisations))


_SPLIT_COLUMNS = [
    ("Net before transfers", 16, GBP),
    ("Transfers (received - paid)", 16, GBP),
    ("Net after transfers", 16, GBP),
    ("Worse off before transfers", 12, ""),
    ("Worse off after transfers", 12, ""),
]
"""The organisations sheet's last columns when the plan gives transfers."""


def _org_net(v: PlanView, o: dict[str, Any], split: bool) -> list[Any]:
    """A partner's net over the horizon and whether it is worse off (before and after
    transfers when ``split``)."""
    net = _num(o.get("horizon_savings"))
    if not split:
        return [net, "yes" if v.worse_off(o) else "no"]
    paid, got = v.paid_received(o["id"])
    return [
        net,
        got - paid,
        v.net_after(o),
        "yes" if v.worse_off(o) else "no",
        "yes" if v.worse_off_after(o) else "no",
    ]


def _org_total(v: PlanView, split: bool, shapley: bool) -> list[Any]:
    """The organisations sheet's total row (blank where a partner lacks the figure)."""

    def total(values: list[Any]) -> float | None:
        return None if any(x is None for x in values) else float(sum(values))

    row: list[Any] = ["Total"]
    row += [total([o.get(k) for o in v.organisations]) for k in ORG_TOTALS]
    if shapley:
        row.append(total([o.get("shapley_value") for o in v.organisations]))
    row.append(total([o.get("horizon_savings") for o in v.organisations]))
    if split:
        row += [0.0, total([v.net_after(o) for o in v.organisations]), None]
    return [*row, None]


def _transfers_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'transfers' (only when the plan gives them, even as none): who pays whom how
    much over the horizon, under the share rule; the total."""
    if v.transfers is None:
        return
    s = _Sheet(
        wb,
        "transfers",
        [("From (pays)", 22, ""), ("To (receives)", 22, ""), ("Amount GBP", 16, GBP)],
    )
    for t in v.transfers:
        s.row([str(t["from"]), str(t["to"]), float(t["amount"])])
    if v.transfers:
        s.row(["Total", None, float(sum(float(t["amount"]) for t in v.transfers))], total=True)
    s.finish(len(v.transfers))


def _staff_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'staff': each partner's posts before and after, transfers, removals, additions."""
    s = _Sheet(
        wb,
        "staff",
        [("Partner", 22, "")]
        + [
            (label, 11, FTE)
            for label in (
                "Desk FTE before",
                "Desk FTE after",
                "Room FTE before",
                "Room FTE after",
                "Transfer out",
                "Transfer in",
                "Removed",
                "Added",
                "Stay local",
            )
        ],
    )
    by_org = v.staff.get("by_organisation") or []
    for r in by_org:
        s.row([r.get("id")] + [_num(r.get(k)) for k in STAFF_BY_ORGANISATION])
    s.row(
        ["Total"]
        + [_num(v.staff.get(k)) for k in STAFF_BY_ORGANISATION[:4]]
        + [
            float(sum(float(r.get(k) or 0) for r in by_org)) if by_org else None
            for k in STAFF_BY_ORGANISATION[4:]
        ],
        total=True,
    )
    s.finish(len(by_org))


def _desks_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'desks': each service desk's decision, FTE and the partners it serves."""
    s = _Sheet(
        wb,
        "desks",
        [
            ("Desk", 22, ""),
            ("Decision", 10, ""),
            ("Close month", 11, MONTH),
            ("FTE before", 10, FTE),
            ("FTE after", 10, FTE),
            ("Serves in the plan", 40, ""),
            ("Main reason", 70, ""),
        ],
    )
    for d in v.desks:
        s.row(
            [
                d["id"],
                d["decision"],
                _month_date(d.get("close_month")),
                _num(d.get("fte_before")),
                _num(d.get("fte")),
                ", ".join(d.get("organisations") or []),
                d.get("reason"),
            ]
        )
    s.finish()


def _summary_sheet(wb: Workbook, v: PlanView) -> None:
    """Sheet 'summary': the headline figures and the plan's provenance, one per row."""
    s = _Sheet(wb, "summary", [("Item", 34, ""), ("Value", 60, "")])
    for label, value, number_format in _summary_items(v):
        s.row([label, value])
        if number_format and value is not None:
            s.ws.cell(row=s.ws.max_row, column=2).number_format = number_format
    s.finish()


def _summary_items(v: PlanView) -> list[tuple[str, Any, str]]:
    """(label, value, number format) of each row of the summary sheet."""
    plan = v.plan
    items: list[tuple[str, Any, str]] = [
        ("Estate", v.estate, ""),
        ("Solver status", v.status_text(), ""),
        ("Objective", v.objective, GBP),
        ("Proven lower bound", _num(v.solver.get("bound")), GBP),
        ("Gap", v.gap, RATE),
        ("Running cost a year today", v.baseline_steady, GBP),
        ("Running cost a year in the plan", v.planned_steady, GBP),
        ("Saving a year", v.steady_saving, GBP),
        ("One-off cost", v.one_off, GBP),
    ]
    for key, amount in (v.costs.get("one_off_breakdown") or {}).items():
        if key == "room_upgrade":  # opt (spec/decisions.md): shown only when spent
            if amount:
                items.append((f"One-off: {one_off_words(key)}", _num(amount), GBP))
            continue
        items.append((f"One-off: {key.replace('_', ' ')}", _num(amount), GBP))
    items += [
        ("Net present value of savings", v.npv, GBP),
        ("Total savings over the horizon", v.total_savings, GBP),
        ("Payback month", _month_date(v.payback_month), MONTH),
        ("Discount rate", v.discount_rate, RATE),
        ("Horizon (years)", v.horizon_years, "0"),
        ("Cost allocation", v.finance.get("allocation"), ""),
    ]
    if v.transfers is not None or v.share_rule is not None:
        items.append(("Share rule", share_rule_words(v), ""))
        items.append(("Transfers", _transfers_text(v), ""))
    items += [
        ("Created", plan.get("created"), ""),
        ("planner version", plan.get("planner_version"), ""),
        ("Inventory SHA-256", plan.get("inventory_sha256"), ""),
    ]
    for i, sentence in enumerate(v.explanation, start=1):
        items.append((f"Why no plan ({i})", sentence, ""))
    return items


def _transfers_text(v: PlanView) -> str:
    """'3 payments between partners, £200,157 in all over the 5 years (sheet transfers)',
    that there are none (each partner keeps its allocated net), or that the plan does not
    say."""
    transfers = v.transfers
    if transfers is None:
        return "not given in the plan"
    if not transfers:
        return no_transfers_sentence(v)
    amount = sum(float(t["amount"]) for t in transfers)
    return (
        f"{fmt.plural(len(transfers), 'payment')} between partners, "
        f"{fmt.gbp(amount)} in all {horizon_words(v)} (sheet transfers)"
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(s: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(s, str) and s.startswith(_FORMULA_START):
        return "'" + s
    return s


def moves_csv(plan: Plan) -> str:
    """The text of moves.csv: one row per workload that moves (UTF-8, header row)."""
    v = PlanView(plan)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(MOVES_COLUMNS)
    for a in v.moves:
        cost, days = a.get("migration_cost"), a.get("migration_days")
        text = [
            _csv_text(x)
            for x in (
                a["workload"],
                a.get("name") or "",
                a.get("organisation") or "",
                a.get("zone") or "",
                a["from"],
                a["to"],
            )
        ]
        w.writerow(
            [
                *text,
                a["month"],
                fy_of(a["month"]),
                "" if cost is None else f"{float(cost):.2f}",
                "" if days is None else f"{float(days):g}",
                _csv_text(a.get("reason") or ""),
            ]
        )
    return out.getvalue()
