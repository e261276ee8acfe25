"""Months of the plan and UK financial years.

Month 0 is the month of ``estate.start``. The horizon is ``horizon_years`` UK
financial years (April-March, labelled ``2027/28``) starting with the one that
contains the start; it ends in March of the last of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property


def fy_start_year(day: dt.date) -> int:
    """The calendar year in which the financial year containing ``day`` begins."""
    return day.year if day.month >= 4 else day.year - 1


def fy_label(start_year: int) -> str:
    """2027 -> '2027/28'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class Calendar:
    """Month indices of one estate's plan."""

    start: dt.date
    horizon_years: int

    @cached_property
    def first(self) -> dt.date:
        """First day of month 0."""
        return self.start.replace(day=1)

    @cached_property
    def months(self) -> int:
        """T: months from the start month to March of the last financial year."""
        last_fy = fy_start_year(self.start) + self.horizon_years - 1
        end = dt.date(last_fy + 1, 3, 1)
        return (end.year - self.first.year) * 12 + end.month - self.first.month + 1

    def date(self, m: int) -> dt.date:
        """First day of month m (m may be T, the first month after the horizon)."""
        total = self.first.month - 1 + m
        return dt.date(self.first.year + total // 12, total % 12 + 1, 1)

    def label(self, m: int) -> str:
        """'YYYY-MM' of month m."""
        d = self.date(m)
        return f"{d.year:04d}-{d.month:02d}"

    def index(self, label: str) -> int:
        """Month index of a 'YYYY-MM' label."""
        year, month = (int(part) for part in label.split("-")[:2])
        return (year - self.first.year) * 12 + month - self.first.month

    def month_of(self, day: dt.date) -> int:
        """Index of the month containing ``day`` (negative before the start)."""
        return (day.year - self.first.year) * 12 + day.month - self.first.month

    def first_month_after(self, day: dt.date) -> int:
        """The first month whose first day is after ``day``."""
        return self.month_of(day) + 1

    def fy_of(self, m: int) -> int:
        """Position (0-based) of month m's financial year within the horizon."""
        return fy_start_year(self.date(m)) - fy_start_year(self.start)

    def fy_labels(self) -> list[str]:
        first = fy_start_year(self.start)
        return [fy_label(first + y) for y in range(self.horizon_years)]
