"""The 'Partners' section of report.html: each partner's costs and savings, who would be
worse off over the horizon and, with a fair split (spec/decisions.md), the share rule, the
transfers between partners and each partner's net before and after them."""

from __future__ import annotations

from typing import Any

from planner.reports import fmt, svg
from planner.reports.fmt import plural
from planner.reports.markup import badge, e, ids, money, table
from planner.reports.plan import PlanView
from planner.reports.wording import (
    after_transfers_sentence,
    share_rule_sentence,
    transfer_sentence,
)

ALLOCATED = [
    ("Partner", "l"),
    ("Cost a year today", "r"),
    ("Cost a year after", "r"),
    ("Saving a year", "r"),
    ("One-off share", "r"),
    ("Horizon: today's estate", "r"),
    ("Horizon: plan", "r"),
    ("Net over horizon", "r"),
    ("", "l"),
]
"""The partners table's headings without transfers (escaped text)."""


def partners(v: PlanView) -> str:
    """The partners section ('' when the plan has no organisations)."""
    if not v.organisations:
        return ""
    scale = max((abs(float(o.get("horizon_savings") or 0)) for o in v.organisations), default=0.0)
    rows = [_partner_row(v, o, scale) for o in v.organisations]
    return (
        '<section id="partners"><h2>Partners</h2>'
        + _worse_off(v)
        + _after_transfers(v)
        + table(_headers(v), rows, cls="money partners")
        + _note(v)
        + _shares(v)
        + "</section>"
    )


def _note(v: PlanView) -> str:
    """How the nets are worked out, and how costs are shared."""
    alloc = v.finance.get("allocation")
    split = v.has_transfers
    return (
        '<p class="note">'
        + ("Net before transfers" if split else "Net over horizon")
        + " = cost of today's estate − cost of the plan over the horizon, month by month − "
        "the partner's share of one-off costs."
        + (" Net after transfers = net before − what it pays + what it receives." if split else "")
        + (f" Costs are shared: {e(alloc)}." if alloc else "")
        + "</p>"
    )


def _headers(v: PlanView) -> list[tuple[str, str]]:
    """The partners table's headings: net over the horizon, or with transfers the Shapley
    value (if given), net before, what each pays and receives, and net after."""
    if not v.has_transfers:
        return ALLOCATED
    shapley = [("Shapley value", "r")] if v.has_shapley else []
    return [
        ("Partner", "l"),
        ("Cost a year today", "r"),
        ("Saving a year", "r"),
        ("One-off share", "r"),
        *shapley,
        ("Net before transfers", "r"),
        ("Pays", "r"),
        ("Receives", "r"),
        ("Net after transfers", "r"),
        ("", "l"),
    ]


def _worse_off(v: PlanView) -> str:
    """The partners worse off over the horizon (before transfers, if any), or that none is."""
    worse = [o for o in v.organisations if v.worse_off(o)]
    when = " before transfers" if v.has_transfers else ""
    if not worse:
        return f'<p class="status good">No partner is worse off over the horizon{when}.</p>'
    return (
        f'<p class="status {"warn" if _all_made_good(v) else "bad"}">'
        f"{plural(len(worse), 'partner')} would be worse "
        f"off over the horizon{when}: {ids(o['id'] for o in worse)}. "
        + (
            "Its share of one-off costs is more than its"
            if len(worse) == 1
            else "Their shares of one-off costs are more than their"
        )
        + " running-cost savings before the horizon ends"
        + ("." if v.has_transfers else "; the board may wish to rebalance the one-off costs.")
        + "</p>"
    )


def _all_made_good(v: PlanView) -> bool:
    """Whether transfers leave no partner worse off (False without transfers)."""
    return v.has_transfers and not any(v.worse_off_after(o) for o in v.organisations)


def _after_transfers(v: PlanView) -> str:
    """Who is worse off after transfers ('' without transfers)."""
    if not v.has_transfers:
        return ""
    kind = "good" if _all_made_good(v) else "bad"
    text = after_transfers_sentence(v, ids)
    return f'<p class="status {kind}">{text}</p>'


def _shares(v: PlanView) -> str:
    """The share rule in words and the list of transfers ('' when the plan says nothing of
    either: older plans and those of other tools)."""
    if v.transfers is None and v.share_rule is None:
        return ""
    out = f'<p class="share-rule">{e(share_rule_sentence(v))}</p>'
    if v.has_transfers:
        items = "".join(
            f"<li>{transfer_sentence(v, t, lambda i: f'<code>{e(i)}</code>')}</li>"
            for t in v.transfers or []
        )
        out += f'<h3>Transfers between partners</h3><ul class="transfers">{items}</ul>'
    return out


def _partner_row(v: PlanView, o: dict[str, Any], scale: float) -> str:
    """One partner's row: its name, figures and badge (flagged while it is worse off)."""
    name = o.get("name")
    if v.has_transfers:
        worse, cells, flag = v.worse_off_after(o), _split_cells(v, o, scale), _badges(v, o)
    else:
        worse, cells, flag = v.worse_off(o), _allocated_cells(o, scale), _badge(v.worse_off(o))
    return (
        f'<tr class="{"worse" if worse else ""}"><th scope="row"><code>{e(o["id"])}</code>'
        + (f'<div class="sub">{e(name)}</div>' if name else "")
        + f"</th>{cells}<td>{flag}</td></tr>"
    )


def _allocated_cells(o: dict[str, Any], scale: float) -> str:
    """Costs a year, one-off share, horizon totals, net with a spark bar."""
    return (
        f"{money(o['baseline'])}{money(o['planned'])}{money(o['savings'])}"
        f"{money(o.get('one_off'))}{money(o.get('horizon_baseline'))}"
        f"{money(o.get('horizon_planned'))}{_net_cell(o, scale)}"
    )


def _split_cells(v: PlanView, o: dict[str, Any], scale: float) -> str:
    """With transfers (fewer columns, for room: plan.xlsx has them all): cost a year today,
    saving a year, one-off share, Shapley value (if given), net before transfers with a
    spark bar, what the partner pays and receives, and its net after transfers."""
    paid, got = v.paid_received(o["id"])
    neg = " neg" if v.worse_off_after(o) else ""
    return (
        f"{money(o['baseline'])}{money(o['savings'])}{money(o.get('one_off'))}"
        + (money(o.get("shapley_value")) if v.has_shapley else "")
        + _net_cell(o, scale)
        + (money(paid) if paid else "<td></td>")
        + (money(got) if got else "<td></td>")
        + f'<td class="num strong{neg}">{e(fmt.gbp(v.net_after(o)))}</td>'
    )


def _net_cell(o: dict[str, Any], scale: float) -> str:
    """A partner's allocated net over the horizon, in bold with a spark bar."""
    hs = o.get("horizon_savings")
    spark = svg.spark_bar(float(hs), scale) if hs is not None else ""
    neg = " neg" if hs is not None and hs < 0 else ""
    return f'<td class="num strong{neg}">{e(fmt.gbp(hs))}{spark}</td>'


def _badge(worse: bool) -> str:
    """'worse off' or 'gains'."""
    return badge("worse off", "bad") if worse else badge("gains", "good")


def _badges(v: PlanView, o: dict[str, Any]) -> str:
    """With transfers: 'worse off' (still, after them), 'no longer worse off' (worse off
    before but not after) or 'gains'."""
    if v.worse_off_after(o):
        return _badge(True)
    if v.worse_off(o):
        return badge("no longer worse off", "warn")
    return _badge(False)
