"""What one cell of an export holds: text, a number or a yes/no, read the forgiving way.

Workbook cells arrive typed (float, bool, date, '' or None: a workbook stores every
number as a float); CSV cells arrive as text. Both
are read the same: numbers as exact ``int`` or :class:`~fractions.Fraction` (so
sums of MiB are exact before they are rounded once), ``1,024`` with thousands
separators accepted, flags as true/false, yes/no or 1/0. A cell that holds none
of these raises :class:`CellError`, whose message the caller turns into a finding
naming file, sheet, row and column.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

Number = int | Fraction
"""An exact amount read from a cell."""

_DECIMAL = re.compile(r"\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


class CellError(ValueError):
    """A cell that does not hold what its column needs; the message says what it holds."""


def text(value: Any) -> str:
    """A cell as text ('' when empty), stripped; whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(value: Any) -> Number | None:
    """A non-negative amount, exact; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value} is not a number")
    if isinstance(value, int):
        return _non_negative(value, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"{value} is not a finite number")
        exact = int(value) if value.is_integer() else Fraction(repr(value))
        return _non_negative(exact, exact if value.is_integer() else value)
    return _parse(str(value).strip())


def _parse(cell: str) -> Number | None:
    if not cell:
        return None
    plain = cell.replace(",", "") if _GROUPED.fullmatch(cell) else cell
    if plain.isdigit() and plain.isascii():
        return int(plain)
    if not _DECIMAL.fullmatch(plain):
        if plain.startswith("-") and _DECIMAL.fullmatch(plain[1:]):
            raise CellError(f"{_quoted(cell)} is negative")
        raise CellError(f"{_quoted(cell)} is not a number")
    exact = Fraction(plain.lstrip("+"))
    return int(exact) if exact.denominator == 1 else exact


def _non_negative(exact: Number, shown: Any) -> Number:
    if exact < 0:
        raise CellError(f"{shown!r} is negative")
    return exact


def flag(value: Any) -> bool:
    """True/False from a flag cell (True, 'True', 'yes', 1...); empty is False."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    cell = str(value).strip().lower()
    if cell in _TRUE:
        return True
    if cell in _FALSE:
        return False
    raise CellError(f"{_quoted(str(value))} is not True or False")


def _quoted(cell: str) -> str:
    return repr(cell) if len(cell) <= 40 else repr(cell[:37] + "...")
