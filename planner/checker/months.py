"""The plan's months (docs/plan-format.md, "Months and financial years").

Month 0 is the month of ``estate.start``; the horizon runs to March of the last
of ``horizon_years`` UK financial years (April-March), the first being the one
that contains the start. Months are written ``YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(label: str) -> tuple[int, int] | None:
    """'2027-10' -> (2027, 10); None when it is not a month."""
    match = MONTH_RE.match(label)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if year < 1 or not 1 <= month <= 12:  # year 0 is no date
        return None
    return year, month


def financial_year(year: int, month: int) -> str:
    """The UK financial year label of a calendar month: 2027-03 -> '2026/27'."""
    first = year if month >= 4 else year - 1
    return f"{first}/{(first + 1) % 100:02d}"


@dataclass(frozen=True)
class Calendar:
    """Month indices of one estate's plan."""

    start: dt.date
    horizon_years: int

    @property
    def base(self) -> int:
        """Absolute month number (year * 12 + month - 1) of month 0."""
        return self.start.year * 12 + self.start.month - 1

    @property
    def first_fy(self) -> int:
        """Calendar year in which the first financial year begins (its April)."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def months(self) -> int:
        """T: the number of months of the plan (indices 0..T-1)."""
        last = (self.first_fy + self.horizon_years) * 12 + 3 - 1  # March after the last April
        return last - self.base + 1

    def index(self, label: str) -> int | None:
        """The index of a ``YYYY-MM`` label (may be outside 0..T-1); None if not a month."""
        parsed = parse_month(label)
        if parsed is None:
            return None
        return parsed[0] * 12 + parsed[1] - 1 - self.base

    def index_of_date(self, day: dt.date) -> int:
        """The index of the month a date falls in."""
        return day.year * 12 + day.month - 1 - self.base

    def ym(self, index: int) -> tuple[int, int]:
        absolute = self.base + index
        return absolute // 12, absolute % 12 + 1

    def label(self, index: int) -> str:
        year, month = self.ym(index)
        return f"{year:04d}-{month:02d}"

    def first_day(self, index: int) -> dt.date:
        year, month = self.ym(index)
        return dt.date(year, month, 1)

    def year_of(self, index: int) -> str:
        return financial_year(*self.ym(index))

    def years(self) -> list[tuple[str, list[int]]]:
        """The horizon's financial years in order, each with its month indices."""
        out: dict[str, list[int]] = {}
        for m in range(self.months):
            out.setdefault(self.year_of(m), []).append(m)
        return list(out.items())
