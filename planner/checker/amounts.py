"""Exact arithmetic on the estate's numbers, and the tolerances of the comparisons.

Inventory numbers are read as the decimals they were written as
(``Fraction(repr(x))``), so sums such as 0.1 + 0.2 racks compare exactly with a
0.3-rack room, and money is recomputed without rounding. A plan's figure holds
when it is within 0.01 GBP per item summed plus 1e-9 relative of the exact value.
"""

from __future__ import annotations

import math
from fractions import Fraction

PENNY = Fraction(1, 100)
RELATIVE = Fraction(1, 10**9)


_EXACT: dict[float, Fraction] = {}


def q(x: float | int | Fraction) -> Fraction:
    """The exact value of an inventory or plan number, as the decimal it was written as."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, int):
        return Fraction(x)
    exact = _EXACT.get(x)
    if exact is None:
        if not math.isfinite(x):
            raise ValueError(f"not a finite number: {x!r}")
        exact = Fraction(repr(float(x)))
        if len(_EXACT) < 1_000_000:
            _EXACT[x] = exact
    return exact


Key = tuple[str, ...]
"""Names one cost item: ("room", id), ("desk", id), ("move", workload), ..."""


class Total:
    """An exact sum that remembers which cost items went into it (for the tolerance).

    An item summed month after month is still one item: the tolerance is per item,
    not per monthly term.
    """

    __slots__ = ("keys", "value")

    def __init__(self, value: Fraction | int = 0, keys: frozenset[Key] | set[Key] = frozenset()):
        self.value = Fraction(value)
        self.keys: set[Key] = set(keys)

    @property
    def items(self) -> int:
        return len(self.keys)

    def add(self, amount: Fraction | float | int, key: Key, *more: Key) -> None:
        self.value += q(amount)
        self.keys.add(key)
        self.keys.update(more)

    def plus(self, other: Total, sign: int = 1) -> None:
        self.value += sign * other.value
        self.keys |= other.keys

    def __repr__(self) -> str:
        return f"Total({float(self.value)!r}, items={self.items})"


def combine(*parts: tuple[int, Total]) -> Total:
    """sum(sign * total) over (sign, total) pairs, with the union of their items."""
    out = Total()
    for sign, part in parts:
        out.plus(part, sign)
    return out


def money_tolerance(items: int, value: Fraction) -> Fraction:
    """0.01 GBP per item summed (at least one) plus 1e-9 relative."""
    return PENNY * max(items, 1) + RELATIVE * abs(value)


def money_ok(plan_value: float | int, exact: Total | Fraction, items: int = 1) -> bool:
    """Whether a plan's money figure matches the exact one within the tolerance."""
    if isinstance(exact, Total):
        value, items = exact.value, exact.items
    else:
        value = exact
    return abs(q(plan_value) - value) <= money_tolerance(items, value)


def gbp(x: Fraction | float) -> str:
    """Money for a sentence: GBP 1,234.56."""
    return f"GBP {float(x):,.2f}"


def num(x: Fraction | float) -> str:
    """A quantity (racks, kW, ms, km, FTE, person-days) for a sentence."""
    value = float(x)
    return f"{value:.10g}" if value != int(value) else f"{int(value)}"


def ceil_div(tickets: int, per_fte: float) -> int:
    """Rule 9: FTE = ceil(tickets / tickets_per_fte), exactly (0 for an infinite rate)."""
    if math.isinf(per_fte):
        return 0
    return math.ceil(Fraction(tickets) / q(per_fte))


def annuity(rate: float, years: int) -> Fraction:
    """A = sum_{y=1..H} (1 + r)^-y, exactly."""
    base = 1 + q(rate)
    return sum((1 / base**y for y in range(1, years + 1)), Fraction(0))


def discount_factor(rate: float, year: int) -> Fraction:
    """(1 + r)^-y, exactly."""
    return 1 / (1 + q(rate)) ** year
