"""The 'Finance' section of report.html: one-off cost, net present value and payback, the
savings charts, then the year-by-year table."""

from __future__ import annotations

from planner.reports import fmt, svg
from planner.reports.markup import e, money, num_cell, table
from planner.reports.plan import PlanView
from planner.reports.wording import npv_label, one_off_text, payback_text


def finance(v: PlanView) -> str:
    """The finance section."""
    lead = (
        f'<p class="lead">One-off cost {e(one_off_text(v))}. {e(npv_label(v))}: '
        f"<strong>{e(fmt.gbp(v.npv))}</strong>. Payback: <strong>{e(payback_text(v))}"
        "</strong>.</p>"
    )
    years = _charts(v) + _part_years_note(v) + _years_table(v) if v.years else ""
    return f'<section id="finance"><h2>Finance</h2>{lead}{years}</section>'


def _charts(v: PlanView) -> str:
    """Savings by financial year (bars) beside the cumulative savings (line)."""
    labels = [str(y["year"]) + ("*" if y.get("months") not in (None, 12) else "") for y in v.years]
    bars = svg.bar_chart(
        labels, [float(y["savings"]) for y in v.years], "Savings by financial year"
    )
    line = svg.cumulative_chart(v, "Cumulative savings")
    cumulative = ""
    if line:
        cumulative = (
            f"<figure><h3>Cumulative savings</h3>{line}<figcaption>At the end of each "
            "financial year. One-off costs fall early, so within a year the running total "
            "can dip below the line; payback is the first month from which it stays at or "
            "above zero.</figcaption></figure>"
        )
    return (
        '<div class="grid2">'
        f"<figure><h3>Savings by financial year</h3>{bars}</figure>{cumulative}</div>"
    )


def _part_years_note(v: PlanView) -> str:
    """The footnote for the starred years that cover part of a year ('' when none does)."""
    part_years = [y for y in v.years if y.get("months") not in (None, 12)]
    if not part_years:
        return ""
    return (
        '<p class="note">* '
        + "; ".join(
            f"{e(y['year'])} covers {e(y['months'])} months of the plan" for y in part_years
        )
        + ".</p>"
    )


def _years_table(v: PlanView) -> str:
    """One row per financial year: costs, savings, cumulative and discounted; the totals."""
    rows = []
    for y, c in zip(v.years, v.cumulative(), strict=True):
        rows.append(
            f'<tr><th scope="row">{e(y["year"])}</th>'
            f"{num_cell(fmt.num(y.get('months')))}{money(y['baseline'])}"
            f"{money(y['planned'])}{money(y['one_off'])}{money(y['savings'], 'strong')}"
            f"{money(c)}{num_cell(_discount_factor(y.get('discount_factor')))}"
            f"{money(y.get('discounted_savings'))}</tr>"
        )
    disc = [y.get("discounted_savings") for y in v.years]
    foot = (
        f'<tr><th scope="row">Total</th>'
        f"{num_cell(fmt.num(sum(float(y.get('months') or 12) for y in v.years)))}"
        f"{money(sum(y['baseline'] for y in v.years))}"
        f"{money(sum(y['planned'] for y in v.years))}"
        f"{money(sum(y['one_off'] for y in v.years))}"
        f"{money(sum(y['savings'] for y in v.years), 'strong')}<td></td><td></td>"
        f"{money(v.npv if all(d is not None for d in disc) else None, 'strong')}</tr>"
    )
    return table(
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
    ) + (
        '<p class="note">Savings = cost of today\'s estate − cost of the plan − '
        "one-off costs, month by month. Discounted = savings × (1 + r)<sup>−y</sup> "
        "for the y-th year; their total is the net present value.</p>"
    )


def _discount_factor(x: float | None) -> str:
    """'0.9662' (four decimals), '—' when unknown."""
    return fmt.DASH if x is None else f"{x:.4f}"
