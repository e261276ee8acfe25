"""Costs, years, finance, organisations and staff, recomputed exactly from the estate.

The cost model is spec/inventory-format.md's; the month-by-month arithmetic, the
allocation to organisations and the staff accounting are docs/plan-format.md's
("Finance, month by month", "Cost allocation to organisations", "Staff
accounting"). All sums are exact (fractions); a plan's figure holds when it is
within 0.01 GBP per item summed plus 1e-9 relative.

:func:`compute` recomputes the figures, :func:`check_money` compares the plan's
with them. One job a module:

* :mod:`~planner.checker.figures` -- the figures, what costs are shared by, one comparison;
* :mod:`~planner.checker.steady` -- steady costs, a year and month by month, and shares;
* :mod:`~planner.checker.one_off` -- one-off costs in their months, and shares;
* :mod:`~planner.checker.costs` -- the plan's cost totals and the solver's figures;
* :mod:`~planner.checker.finance` -- financial years, months, NPV, payback;
* :mod:`~planner.checker.allocation` -- each organisation's share, and who is worse off;
* :mod:`~planner.checker.staff` -- staff before and after, by organisation and by site.
"""

from __future__ import annotations

from planner.checker.allocation import check_organisations
from planner.checker.amounts import annuity
from planner.checker.context import Ctx
from planner.checker.costs import check_costs
from planner.checker.figures import Basis, Figures
from planner.checker.finance import check_finance, check_months, check_years, year_rows
from planner.checker.one_off import one_off_costs
from planner.checker.shares import check_shares
from planner.checker.staff import check_staff
from planner.checker.steady import desk_staff, monthly_costs, steady_costs

__all__ = ["Figures", "check_money", "compute"]


def compute(ctx: Ctx) -> Figures:
    """Every figure of the plan, recomputed from the estate and the plan's decisions."""
    est = ctx.inv.estate
    f = Figures(A=annuity(est.discount_rate, est.horizon_years))
    basis = Basis.of(ctx)
    desk_staff(ctx, f, basis)
    steady_costs(ctx, f, basis)
    one_off_costs(ctx, f, basis)
    monthly_costs(ctx, f, basis)
    return f


def check_money(ctx: Ctx) -> None:
    f = compute(ctx)
    check_costs(ctx, f)
    rows = year_rows(ctx, f)
    check_years(ctx, rows)
    check_months(ctx, f)
    check_finance(ctx, f, rows)
    check_shares(ctx, check_organisations(ctx, f))
    check_staff(ctx, f)
