"""The 'Partners' section of report.html: each partner's costs and savings, and who
would be worse off over the horizon."""

from __future__ import annotations

from typing import Any

from planner.reports import fmt, svg
from planner.reports.fmt import plural
from planner.reports.markup import badge, e, ids, money, table
from planner.reports.plan import PlanView


def partners(v: PlanView) -> str:
    """The partners section ('' when the plan has no organisations)."""
    if not v.organisations:
        return ""
    scale = max((abs(float(o.get("horizon_savings") or 0)) for o in v.organisations), default=0.0)
    rows = [_partner_row(v, o, scale) for o in v.organisations]
    alloc = v.finance.get("allocation")
    return (
        '<section id="partners"><h2>Partners</h2>'
        + _worse_off(v)
        + table(
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
        + '<p class="note">Net over horizon = cost of today\'s estate − cost of the plan '
        "over the horizon, month by month − the partner's share of one-off costs."
        + (f" Costs are shared: {e(alloc)}." if alloc else "")
        + "</p></section>"
    )


def _worse_off(v: PlanView) -> str:
    """The partners worse off over the horizon, or that none is."""
    worse = [o for o in v.organisations if v.worse_off(o)]
    if not worse:
        return '<p class="status good">No partner is worse off over the horizon.</p>'
    return (
        f'<p class="status bad">{plural(len(worse), "partner")} would be worse '
        f"off over the horizon: {ids(o['id'] for o in worse)}. "
        + (
            "Its share of one-off costs is more than its"
            if len(worse) == 1
            else "Their shares of one-off costs are more than their"
        )
        + " running-cost savings before the horizon ends; the board may wish to "
        "rebalance the one-off costs.</p>"
    )


def _partner_row(v: PlanView, o: dict[str, Any], scale: float) -> str:
    """One partner: costs a year, one-off share, horizon totals, net with a spark bar."""
    w = v.worse_off(o)
    hs = o.get("horizon_savings")
    spark = svg.spark_bar(float(hs), scale) if hs is not None else ""
    name = o.get("name")
    return (
        f'<tr class="{"worse" if w else ""}"><th scope="row"><code>{e(o["id"])}</code>'
        + (f'<div class="sub">{e(name)}</div>' if name else "")
        + "</th>"
        f"{money(o['baseline'])}{money(o['planned'])}{money(o['savings'])}"
        f"{money(o.get('one_off'))}{money(o.get('horizon_baseline'))}"
        f"{money(o.get('horizon_planned'))}"
        f'<td class="num strong{" neg" if hs is not None and hs < 0 else ""}">'
        f"{e(fmt.gbp(hs))}{spark}</td>"
        f"<td>{badge('worse off', 'bad') if w else badge('gains', 'good')}</td></tr>"
    )
