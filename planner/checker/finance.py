"""Finance through the horizon: the financial years, the monthly series, the NPV, the total
savings and the payback month (docs/plan-format.md, "Finance, month by month")."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from planner.checker.amounts import Total, combine, discount_factor, gbp, money_tolerance, q
from planner.checker.context import Ctx
from planner.checker.figures import FACTOR_TOLERANCE, Figures, check_amount


@dataclass
class YearRow:
    label: str
    months: list[int]
    baseline: Total
    planned: Total
    one_off: Total
    savings: Total
    cumulative: Total
    factor: Fraction
    discounted: Total


def year_rows(ctx: Ctx, f: Figures) -> list[YearRow]:
    rows = []
    cumulative = Total()
    for y, (label, months) in enumerate(ctx.cal.years(), start=1):
        b, p, o = Total(), Total(), Total()
        for m in months:
            b.plus(f.baseline_m[m])
            p.plus(f.planned_m[m])
            o.plus(f.one_off_m[m])
        s = combine((1, b), (-1, p), (-1, o))
        cumulative = combine((1, cumulative), (1, s))
        factor = discount_factor(ctx.inv.estate.discount_rate, y)
        discounted = Total(s.value * factor, s.keys | {("year", label)})
        rows.append(YearRow(label, months, b, p, o, s, cumulative, factor, discounted))
    return rows


def check_years(ctx: Ctx, rows: list[YearRow]) -> None:
    given = ctx.plan["years"]
    labels = [r.label for r in rows]
    if [g["year"] for g in given] != labels:
        ctx.add(
            "years",
            tuple(g["year"] for g in given),
            f"years are {[g['year'] for g in given]}, but the horizon's "
            f"{ctx.inv.estate.horizon_years} financial years are {labels}",
        )
    by_label = {g["year"]: g for g in given}
    for row in rows:
        g = by_label.get(row.label)
        if g is None:
            continue
        ctx.report.count("years")
        if "months" in g and int(g["months"]) != len(row.months):
            ctx.add(
                "years",
                (row.label,),
                f"year {row.label} has months {g['months']}, but {len(row.months)} months of "
                "the plan fall in it",
            )
        for key, exact in (
            ("baseline", row.baseline),
            ("planned", row.planned),
            ("one_off", row.one_off),
            ("savings", row.savings),
            ("cumulative_savings", row.cumulative),
            ("discounted_savings", row.discounted),
        ):
            if key in g:
                check_amount(
                    ctx, "years", (row.label, key), f"year {row.label} {key}", g[key], exact
                )
        # savings = baseline - planned - one_off on the plan's own figures
        own = q(g["baseline"]) - q(g["planned"]) - q(g["one_off"])
        if abs(q(g["savings"]) - own) > money_tolerance(3, own):
            ctx.add(
                "years",
                (row.label, "savings"),
                f"year {row.label}: savings {g['savings']} is not baseline - planned - one_off "
                f"= {float(own):.2f} of the same row",
            )
        if "discount_factor" in g and abs(q(g["discount_factor"]) - row.factor) > FACTOR_TOLERANCE:
            ctx.add(
                "years",
                (row.label, "discount_factor"),
                f"year {row.label} discount_factor is {g['discount_factor']}, but "
                f"(1 + r)^-{rows.index(row) + 1} = {float(row.factor):.9f}",
            )


def check_months(ctx: Ctx, f: Figures) -> None:
    """The monthly series (ext): every month of the horizon, in order, each figure."""
    given = ctx.plan.get("months")
    if not isinstance(given, list):
        return
    labels = [ctx.month_label(m) for m in range(ctx.T)]
    if [g["month"] for g in given] != labels:
        ctx.add(
            "months",
            ("months",),
            f"months lists {len(given)} month(s), but the horizon has {ctx.T}, "
            f"{labels[0]}..{labels[-1]}, each once and in order",
        )
    index = {g["month"]: g for g in given}
    cumulative = Total()
    for m, label in enumerate(labels):
        savings = combine((1, f.baseline_m[m]), (-1, f.planned_m[m]), (-1, f.one_off_m[m]))
        cumulative = combine((1, cumulative), (1, savings))
        g = index.get(label)
        if g is None:
            continue
        for key, exact in (
            ("baseline", f.baseline_m[m]),
            ("planned", f.planned_m[m]),
            ("one_off", f.one_off_m[m]),
            ("savings", savings),
            ("cumulative_savings", cumulative),
        ):
            if key in g:
                check_amount(ctx, "months", (label, key), f"month {label} {key}", g[key], exact)


def payback(ctx: Ctx, f: Figures) -> tuple[int | None, list[Fraction], list[Fraction]]:
    """The exact payback month, with the running sum and its tolerance per month."""
    running, tolerance = [], []
    total = Total()
    for m in range(ctx.T):
        total = combine(
            (1, total), (1, f.baseline_m[m]), (-1, f.planned_m[m]), (-1, f.one_off_m[m])
        )
        running.append(total.value)
        tolerance.append(money_tolerance(total.items, total.value))
    exact: int | None = None
    for m in range(ctx.T - 1, -1, -1):
        if running[m] >= 0:
            exact = m
        else:
            break
    return exact, running, tolerance


def check_finance(ctx: Ctx, f: Figures, rows: list[YearRow]) -> None:
    """finance (ext): npv, total_savings, the estate's rate and horizon, the allocation
    rule, and the payback month."""
    fin = ctx.plan.get("finance")
    if not isinstance(fin, dict):
        return
    est = ctx.inv.estate
    npv = combine(*((1, r.discounted) for r in rows))
    total = combine(*((1, r.savings) for r in rows))
    if "npv" in fin:
        check_amount(ctx, "finance", ("npv",), "finance.npv", fin["npv"], npv)
    if "total_savings" in fin:
        check_amount(
            ctx, "finance", ("total_savings",), "finance.total_savings", fin["total_savings"], total
        )
    if "discount_rate" in fin and q(fin["discount_rate"]) != q(est.discount_rate):
        ctx.add(
            "finance",
            ("discount_rate",),
            f"finance.discount_rate is {fin['discount_rate']}, the estate's is {est.discount_rate}",
        )
    if "horizon_years" in fin and int(fin["horizon_years"]) != est.horizon_years:
        ctx.add(
            "finance",
            ("horizon_years",),
            f"finance.horizon_years is {fin['horizon_years']}, the estate's is {est.horizon_years}",
        )
    if "allocation" in fin and not fin["allocation"].strip():
        ctx.add("finance", ("allocation",), "finance.allocation is empty; state the rule")
    if "payback_month" in fin:
        _check_payback(ctx, f, fin["payback_month"])


def _check_payback(ctx: Ctx, f: Figures, label: Any) -> None:
    """The payback month is the first month from which the running net savings stay >= 0
    (null when they are negative in the last month), within the tolerance."""
    exact, running, tol = payback(ctx, f)
    T = ctx.T
    negative = [r < -t for r, t in zip(running, tol, strict=True)]
    positive = [r >= t for r, t in zip(running, tol, strict=True)]
    if label is None:
        ok = not positive[T - 1]
    else:
        p = ctx.cal.index(label)
        ok = (
            p is not None
            and 0 <= p < T
            and not any(negative[p:])
            and (p == 0 or not positive[p - 1])
        )
    if not ok:
        last = gbp(running[T - 1])
        if exact is not None:
            message = (
                f"finance.payback_month is {label or 'null'}, but the running net savings "
                f"are >= 0 from {ctx.month_label(exact)} on ({last} in the last month)"
            )
        else:
            message = (
                f"finance.payback_month is {label}, but the running net savings are still "
                f"negative in the last month ({last})"
            )
        ctx.add("finance", ("payback_month",), message)
