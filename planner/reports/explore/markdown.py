"""explore.md: what explore.html shows, as short sentences and tables (no charts).

Every string from explore.json is escaped for markdown (:func:`planner.reports.fmt.md`).
"""

from __future__ import annotations

from planner.explorefile import Price
from planner.reports import fmt
from planner.reports.explore.view import (
    CURVE_STATUS,
    STATUS_WORDS,
    Curve,
    ExploreView,
    costed,
    has_plan,
    kind_words,
    left_out_sentence,
    loss_sentence,
    overrun_sentence,
    payback_sentence,
    percentiles_row,
    price_text,
)
from planner.reports.fmt import md

FAILED_SHOWN = 50
"""The failed tasks listed one a line (the rest are counted)."""


def _table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    """A markdown table; ``align`` has one of l/r per column."""
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _ids(items: list[str]) -> str:
    return ", ".join(md(i) for i in items) if items else fmt.DASH


def _month(m: str | None) -> str:
    return fmt.month(m) if m else "not within the horizon"


def explore_markdown(v: ExploreView) -> str:
    """The text of explore.md."""
    lines = _title(v)
    for section in (_prices, _pareto, _risk, _shapley):
        lines += section(v)
    return "\n".join(lines).rstrip("\n") + "\n"


def _title(v: ExploreView) -> list[str]:
    x = v.x
    lines = [f"# {md(v.estate)}: exploring the decision", ""]
    if x.failed:
        lines += [f"**{md(v.failed_sentence())}**", ""]
        for key, error in v.failures()[:FAILED_SHOWN]:
            lines.append(f"- {md(key)}: {md(error)}")
        if len(x.failed) > FAILED_SHOWN:
            lines.append(f"- and {len(x.failed) - FAILED_SHOWN} more (see explore.json)")
        lines.append("")
    lines += [md(v.objective_sentence()), ""]
    lines += [f"Ran {md(v.engine_sentence())}", ""]
    lines += [f"_explore format {md(x.format)}; inventory SHA-256 {md(x.inventory_sha256)}_", ""]
    return lines


def _prices(v: ExploreView) -> list[str]:
    ranked = v.prices
    if ranked is None:
        return []
    total = len(ranked.binding) + len(ranked.free) + len(ranked.unpriced)
    lines = [
        "## Prices of the rules",
        "",
        f"Each of {fmt.plural(total, 'rule')} was removed in turn and the estate solved again. "
        "A rule's price is the objective with it minus the objective without it: what it "
        "costs over the horizon (one-off plus discounted running cost).",
        "",
    ]
    if not ranked.binding:
        lines += ["No rule binds: removing any one saves nothing.", ""]
    if ranked.free:
        lines += [
            "**Does not bind** (price £0): " + ", ".join(md(p.rule) for p in ranked.free) + ".",
            "",
        ]
    rows = [_price_row(p) for p in ranked.binding + ranked.free + ranked.unpriced]
    lines += _table(
        ["Rule", "Kind", "Subject", "Price", "Objective without it", "Solve without it"],
        rows,
        "lllrrl",
    )
    return [*lines, ""]


def _price_row(p: Price) -> list[str]:
    return [
        md(p.rule),
        md(kind_words(p.kind)),
        _ids(p.subject),
        price_text(p),
        fmt.gbp(p.objective_without),
        md(STATUS_WORDS.get(p.status, p.status)),
    ]


def _pareto(v: ExploreView) -> list[str]:
    curves = [c for c in (v.rooms_curve, v.desks_curve) if c is not None]
    if not curves:
        return []
    lines = ["## Rooms worth keeping", ""]
    for c in curves:
        lines += [f"### At most k {c.what}", ""]
        if c.knee_sentence():
            lines += [c.knee_sentence(), ""]
        if c.no_plan_sentence():
            lines += [c.no_plan_sentence(), ""]
        lines += _curve_table(c, v.x.baseline_objective)
        lines.append("")
    return lines


def _curve_table(c: Curve, baseline: float | None) -> list[str]:
    rows = []
    for i, pt in enumerate(c.points):
        plan = has_plan(pt)
        saving = baseline - float(pt.objective or 0.0) if baseline is not None and plan else None
        rows.append(
            [
                str(c.limit(pt)) + (" (knee)" if pt.knee else ""),
                fmt.gbp(pt.objective if plan else None),
                fmt.gbp(saving),
                fmt.gbp(c.step(i)),
                md(CURVE_STATUS.get(pt.status, pt.status)),
                _ids(c.opened(pt)),
            ]
        )
    return _table(
        [
            f"Most {c.what}",
            "Objective",
            "Saving against today",
            "Saved by the last one allowed",
            "Status",
            f"{c.what.capitalize()} open",
        ],
        rows,
        "lrrrll",
    )


def _risk(v: ExploreView) -> list[str]:
    r = v.x.risk
    if r is None:
        return []
    plan_one_off = v.risk_plan("one_off")
    lines = [
        "## Risk",
        "",
        f"The plan's decisions held fixed and costed again under {r.samples:,} sampled sets "
        f"of figures (seed {r.seed}).",
        "",
        f"- {loss_sentence(r.p_net_negative, costed(r))}",
        f"- {overrun_sentence(r.p_one_off_over_plan, costed(r), plan_one_off)}",
        f"- {payback_sentence(r.payback_month)}",
        *([f"- {left}"] if (left := left_out_sentence(r)) else []),
        "",
    ]
    rows = [
        percentiles_row("Net savings over the horizon", r.net_savings, v.risk_plan("net_savings")),
        percentiles_row("One-off cost", r.one_off, plan_one_off),
    ]
    lines += _table(["", "P10", "P50", "P90", "Mean", "The plan"], rows, "lrrrrr")
    lines += [
        "",
        f"Payback month: P50 {_month(r.payback_month.get('p50'))}, "
        f"P90 {_month(r.payback_month.get('p90'))}.",
        "",
    ]
    return lines


def _shapley(v: ExploreView) -> list[str]:
    s = v.x.shapley
    if s is None:
        return []
    rows_in = v.shapley_rows()
    allocated = v.has_allocated()
    sampled = any(r.standard_error is not None for r in rows_in)
    lines = ["## Fair shares", "", md(v.shapley_method_sentence()), ""]
    header = ["Partner", "Shapley value"]
    align = "lr"
    if sampled:
        header.append("Standard error")
        align += "r"
    header.append("Share of the total")
    align += "r"
    if allocated:
        header += ["Allocated in the plan", "Allocated − Shapley"]
        align += "rr"
    rows = []
    for r in rows_in:
        row = [md(r.organisation) + (f" ({md(r.name)})" if r.name else ""), fmt.gbp(r.value)]
        if sampled:
            row.append(
                "± " + fmt.gbp(r.standard_error) if r.standard_error is not None else fmt.DASH
            )
        row.append(f"{r.value / s.total * 100:.1f}%" if s.total else fmt.DASH)
        if allocated:
            diff = r.allocated - r.value if r.allocated is not None else None
            row += [fmt.gbp(r.allocated), fmt.gbp(diff)]
        rows.append(row)
    total = ["**Total**", f"**{fmt.gbp(s.total)}**"]
    if sampled:
        total.append("")
    total.append("100%" if s.total else fmt.DASH)
    if allocated:
        total += [fmt.gbp(sum(r.allocated or 0.0 for r in rows_in)), ""]
    rows.append(total)
    lines += _table(header, rows, align)
    lines += ["", md(v.shapley_total_sentence())]
    if allocated:
        lines += [
            md(v.allocated_sentence()),
            "",
            "Allocated: the partner's net saving over the horizon as the plan shares it. "
            "Shapley values are in the objective's terms (one-off plus discounted running "
            "cost), so the two totals can differ.",
        ]
    return [*lines, ""]
