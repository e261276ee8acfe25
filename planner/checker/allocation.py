"""The organisations' rows: each organisation's share of the steady costs (baseline and
planned, a year), of the one-off costs and over the horizon, and whether it is worse off
(docs/plan-format.md, "Cost allocation to organisations")."""

from __future__ import annotations

from fractions import Fraction

from planner.checker.amounts import Total, combine, gbp, money_tolerance
from planner.checker.context import Ctx
from planner.checker.figures import Figures, check_amount


def check_organisations(ctx: Ctx, f: Figures) -> dict[str, tuple[Fraction, Fraction]]:
    """Check each organisations row; return organisation -> (its baseline a year, its
    net over the horizon), exactly, for the fair split's check."""
    inv = ctx.inv
    nets: dict[str, tuple[Fraction, Fraction]] = {}
    given = ctx.plan["organisations"]
    entries = {}
    for g in given:
        if g["id"] not in inv.organisation:
            ctx.add("organisations", (g["id"],), f"'{g['id']}' is not an organisation")
        elif g["id"] in entries:
            ctx.add("organisations", (g["id"],), f"organisation '{g['id']}' is listed twice")
        else:
            entries[g["id"]] = g
    months = Fraction(ctx.T, 12)
    for o in inv.organisations:
        g = entries.get(o.id)
        if g is None:
            ctx.add("organisations", (o.id,), f"organisation '{o.id}' is missing")
            continue
        base, plan, one = f.org_baseline.of(o.id), f.org_planned.of(o.id), f.org_one_off.of(o.id)
        savings = combine((1, base), (-1, plan))
        hb = Total(base.value * months, base.keys)
        hp = f.org_horizon_planned.of(o.id)
        hs = combine((1, hb), (-1, hp), (-1, one))
        nets[o.id] = (base.value, hs.value)
        for key, exact in (
            ("baseline", base),
            ("planned", plan),
            ("savings", savings),
            ("one_off", one),
            ("horizon_baseline", hb),
            ("horizon_planned", hp),
            ("horizon_savings", hs),
        ):
            if key in g:
                what = f"organisation '{o.id}' {key}"
                check_amount(ctx, "organisations", (o.id, key), what, g[key], exact)
        if "worse_off" in g:
            tol = money_tolerance(hs.items, hs.value)
            clear = hs.value == 0 or abs(hs.value) > tol
            if clear and g["worse_off"] != (hs.value < 0):
                ctx.add(
                    "organisations",
                    (o.id, "worse_off"),
                    f"organisation '{o.id}' worse_off is {str(g['worse_off']).lower()}, but its "
                    f"horizon_savings are {gbp(hs.value)}",
                )
        ctx.report.count("organisation rows")
    return nets
