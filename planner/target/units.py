"""Integers for CP-SAT: money in pence, racks and kW in powers of ten, the annuity.

Money is in pence (``cost_unit`` = 0.01), so a term such as A x annual_cost is
rounded to the nearest penny and the optimum is exact to within one penny per
room, desk and move; racks and kW use the smallest power of ten (up to 10^6)
that makes every value whole (otherwise demands round up and capacities down,
which can only make the model stricter); tickets per FTE likewise; person-days
in hundredths. The objective reported in plan.json is recomputed in pounds from
the decisions, not from the scaled model.
"""

from __future__ import annotations

from collections.abc import Iterable

PENCE = 100
COST_UNIT = 1 / PENCE
DAYS_SCALE = 100
"""Person-days are counted in hundredths."""


def annuity_factor(years: int, rate: float) -> float:
    """A = sum_{y=1..H} 1 / (1 + r)^y: present value of one pound a year for H years."""
    return sum(1 / (1 + rate) ** y for y in range(1, years + 1))


def scale_for(values: Iterable[float], limit: int = 10**6) -> int:
    """The smallest power of ten s <= limit making every value x s whole (else limit)."""
    vals = list(values)
    s = 1
    while s < limit:
        if all(abs(v * s - round(v * s)) < 1e-6 for v in vals):
            return s
        s *= 10
    return limit


def pence(amount: float) -> int:
    return round(amount * PENCE)
