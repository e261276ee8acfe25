"""The fair split (spec/decisions.md, "Partners: a fair split"), recomputed.

With T the partnership's net over the horizon (the sum of the organisations'
``horizon_savings``, which :mod:`planner.checker.allocation` has checked against
their exact values), organisation i's share under ``estate.share_rule`` is its own
net (``allocated``), T x b_i / sum b (``proportional``, b its running cost today a
year; equal shares when every b is 0), or T x max(v_i, 0) / sum max(v, 0)
(``shapley``, v the ``shapley_value`` the plan states). Each transfer names two
different organisations and pays more than 0; every organisation's net after
transfers, its net before less what it pays plus what it receives, is its
``horizon_savings_after_transfers`` and its ``share``, and is the share the rule
gives; so the transfers sum to zero. Amounts agree to the penny per organisation
(the plan rounds shares to whole pence), plus 1e-9 relative (a float's precision).
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any

from planner.checker.amounts import gbp, money_tolerance, q
from planner.checker.context import Ctx


def check_shares(ctx: Ctx, exact: dict[str, tuple[Fraction, Fraction]]) -> None:
    """``exact``: organisation -> (baseline a year, net over the horizon), recomputed;
    the split itself starts from the nets the plan states (checked against these)."""
    rule = ctx.plan.get("finance", {}).get("share_rule")
    transfers = ctx.plan.get("transfers")
    if rule is None and transfers is None:
        return  # a plan of another tool that makes no split
    if rule is not None and rule != ctx.inv.estate.share_rule:
        ctx.add(
            "shares",
            ("share_rule",),
            f"finance.share_rule is '{rule}', but the estate's share_rule is "
            f"'{ctx.inv.estate.share_rule}'",
        )
    rows = {o["id"]: o for o in ctx.plan["organisations"] if o["id"] in exact}
    if set(rows) != set(exact) or any("horizon_savings" not in r for r in rows.values()):
        return  # reported by the organisations check
    stated = {org: (base, q(rows[org]["horizon_savings"])) for org, (base, _) in exact.items()}
    moved = _moved(ctx, transfers or [])
    expected = _shares(ctx, ctx.inv.estate.share_rule, stated, rows)
    for org, (_, net) in stated.items():
        row = rows[org]
        ctx.report.count("partner shares")
        after = net + moved[org]
        tolerance = money_tolerance(len(exact) + 1, after)
        for key in ("horizon_savings_after_transfers", "share"):
            if key in row and abs(q(row[key]) - after) > tolerance:
                ctx.add(
                    "shares",
                    (org, key),
                    f"organisation '{org}' {key} is {gbp(q(row[key]))}, but its net over the "
                    f"horizon {gbp(net)} with its transfers ({gbp(moved[org])}) is {gbp(after)}",
                )
        if expected is not None and abs(after - expected[org]) > tolerance:
            ctx.add(
                "shares",
                (org, "transfers"),
                f"organisation '{org}' ends at {gbp(after)} after transfers, but its share "
                f"under share_rule {ctx.inv.estate.share_rule} is {gbp(expected[org])}",
            )


def _moved(ctx: Ctx, transfers: list[dict[str, Any]]) -> dict[str, Fraction]:
    """Organisation -> received minus paid; each malformed transfer a finding."""
    moved: dict[str, Fraction] = defaultdict(Fraction)
    for n, t in enumerate(transfers):
        payer, taker, amount = t.get("from"), t.get("to"), q(t.get("amount", 0))
        if payer not in ctx.inv.organisation or taker not in ctx.inv.organisation:
            ctx.add("shares", (f"transfers[{n}]",), f"transfers[{n}] names no organisation")
            continue
        if payer == taker or amount <= 0:
            ctx.add(
                "shares",
                (f"transfers[{n}]",),
                f"transfers[{n}] pays {gbp(amount)} from '{payer}' to '{taker}': a transfer "
                "is between two organisations and more than 0",
            )
            continue
        moved[payer] -= amount
        moved[taker] += amount
    return moved


def _shares(
    ctx: Ctx,
    rule: str,
    exact: dict[str, tuple[Fraction, Fraction]],
    rows: dict[str, dict[str, Any]],
) -> dict[str, Fraction] | None:
    """Organisation -> its share under ``rule``, exactly (None: not checkable)."""
    total = sum((net for _, net in exact.values()), Fraction(0))
    if rule == "allocated":
        return {org: net for org, (_, net) in exact.items()}
    if rule == "proportional":
        weights = {org: base for org, (base, _) in exact.items()}
    else:  # shapley: from the values the plan states
        if any("shapley_value" not in rows.get(org, {}) for org in exact):
            missing = "share_rule shapley, but a partner has no shapley_value"
            ctx.add("shares", ("shapley_value",), missing)
            return None
        weights = {org: max(q(rows[org]["shapley_value"]), Fraction(0)) for org in exact}
    weight_sum = sum(weights.values(), Fraction(0))
    if weight_sum <= 0:
        return {org: total / len(exact) for org in exact}
    return {org: total * w / weight_sum for org, w in weights.items()}
