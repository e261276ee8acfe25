"""Exact sums rounded once: workload demands up, room capacities down, to thousandths.

The inventory holds vCPU, GiB and TiB with at most 3 decimal places (the planner
counts them in thousandths). Export amounts are summed exactly (ints and
:class:`~fractions.Fraction`) and rounded only at the end: a demand is rounded *up*
(a workload never looks smaller than its VMs), a capacity *down* (a room never looks
bigger than its hosts), so rounding can never make an estate that does not fit look
as if it did.
"""

from __future__ import annotations

from fractions import Fraction

from planner.importer.cells import Number

PLACES = 3
MIB_PER_GIB = 1024
MIB_PER_TIB = 1024 * 1024


def decimal(value: float) -> Fraction:
    """A float as the decimal it was written as (0.8 -> 4/5, not the nearest binary)."""
    return Fraction(repr(value))


def up(amount: Number, places: int = PLACES) -> float:
    """``amount`` rounded up to ``places`` decimal places."""
    if isinstance(amount, int):
        return float(amount)
    scale = 10**places
    return -(-amount.numerator * scale // amount.denominator) / scale  # exact int division


def down(amount: Number, places: int = PLACES) -> float:
    """``amount`` rounded down to ``places`` decimal places."""
    if isinstance(amount, int):
        return float(amount)
    scale = 10**places
    return amount.numerator * scale // amount.denominator / scale


def gib(mib: Number) -> Fraction:
    return Fraction(mib) / MIB_PER_GIB


def tib(mib: Number) -> Fraction:
    return Fraction(mib) / MIB_PER_TIB


def shown(amount: float | Fraction | int, places: int = PLACES) -> str:
    """An amount for people: thousands separated, no trailing zeros (1,234.5)."""
    text = f"{float(amount):,.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
