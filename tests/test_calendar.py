"""planner.inventory.months: month indices, labels and UK financial years (docs/plan-format.md,
"Months and financial years")."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.inventory.months import Calendar, fy_label, fy_start_year


@pytest.mark.parametrize(
    ("start_year", "label"),
    [(2027, "2027/28"), (1999, "1999/00"), (2009, "2009/10"), (2099, "2099/00"), (2000, "2000/01")],
)
def test_fy_label(start_year: int, label: str) -> None:
    assert fy_label(start_year) == label


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2027, 4, 1), 2027),
        (dt.date(2027, 3, 31), 2026),
        (dt.date(2027, 12, 31), 2027),
        (dt.date(2028, 1, 1), 2027),
        (dt.date(2000, 2, 29), 1999),
    ],
)
def test_fy_start_year(day: dt.date, year: int) -> None:
    assert fy_start_year(day) == year


@pytest.mark.parametrize(
    ("start", "years", "months", "first", "last", "labels"),
    [
        # April start: whole years.
        (
            dt.date(2027, 4, 1),
            5,
            60,
            "2027-04",
            "2032-03",
            ["2027/28", "2028/29", "2029/30", "2030/31", "2031/32"],
        ),
        # October start: a six-month first year.
        (
            dt.date(2015, 10, 1),
            5,
            54,
            "2015-10",
            "2020-03",
            ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"],
        ),
        # January start: three months, then whole years.
        (dt.date(2027, 1, 15), 2, 15, "2027-01", "2028-03", ["2026/27", "2027/28"]),
        # March start: the first year is that one month.
        (dt.date(2027, 3, 31), 1, 1, "2027-03", "2027-03", ["2026/27"]),
        (dt.date(2027, 3, 1), 2, 13, "2027-03", "2028-03", ["2026/27", "2027/28"]),
        # May start and a leap day.
        (dt.date(2028, 2, 29), 1, 2, "2028-02", "2028-03", ["2027/28"]),
        (dt.date(1999, 5, 20), 2, 23, "1999-05", "2001-03", ["1999/00", "2000/01"]),
    ],
)
def test_months_in_the_horizon(
    start: dt.date, years: int, months: int, first: str, last: str, labels: list[str]
) -> None:
    cal = Calendar(start, years)
    assert cal.months == months
    assert cal.label(0) == first
    assert cal.label(cal.months - 1) == last
    assert cal.fy_labels() == labels
    assert cal.first == start.replace(day=1)
    # Every month belongs to one of the horizon's years, in order, the last a full year.
    fys = [cal.fy_of(m) for m in range(cal.months)]
    assert fys == sorted(fys)
    assert set(fys) == set(range(years))
    assert fys.count(years - 1) == 12 or years == 1
    # The month after the horizon is April of the year after the last.
    assert cal.date(cal.months) == dt.date(int(last[:4]), 4, 1)


def test_labels_and_indices_run_across_year_ends() -> None:
    cal = Calendar(dt.date(2026, 11, 20), 3)
    assert [cal.label(m) for m in range(5)] == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
    ]
    assert cal.date(2) == dt.date(2027, 1, 1)
    assert cal.index("2027-01") == 2
    assert cal.index("2026-10") == -1
    assert cal.index("2029-03") == cal.months - 1
    assert cal.month_of(dt.date(2026, 11, 30)) == 0
    assert cal.month_of(dt.date(2026, 11, 1)) == 0  # before the start day, same month
    assert cal.month_of(dt.date(2025, 11, 30)) == -12
    assert cal.fy_of(4) == 0  # March 2027 is still 2026/27
    assert cal.fy_of(5) == 1  # April 2027 opens 2027/28


@pytest.mark.parametrize(
    ("day", "month", "label"),
    [
        (dt.date(2027, 9, 15), 6, "2027-10"),
        (dt.date(2027, 9, 30), 6, "2027-10"),
        (dt.date(2027, 10, 1), 7, "2027-11"),  # the first of the month is not after itself
        (dt.date(2027, 3, 31), 0, "2027-04"),  # the day before the start: month 0
        (dt.date(2027, 4, 1), 1, "2027-05"),
        (dt.date(2026, 1, 1), -14, "2026-02"),  # long before the start: negative
        (dt.date(2032, 3, 31), 60, "2032-04"),  # the last day of the horizon: T
    ],
)
def test_first_month_after(day: dt.date, month: int, label: str) -> None:
    cal = Calendar(dt.date(2027, 4, 1), 5)
    assert cal.first_month_after(day) == month
    assert cal.label(month) == label
    assert cal.date(month) > day
    assert cal.date(month - 1) <= day


@given(
    start=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
    years=st.integers(1, 12),
    offset=st.integers(-40, 200),
)
def test_calendar_agrees_with_date_arithmetic(start: dt.date, years: int, offset: int) -> None:
    cal = Calendar(start, years)
    d = cal.date(offset)
    assert d.day == 1
    assert cal.month_of(d) == offset
    assert cal.index(cal.label(offset)) == offset
    assert cal.first_month_after(d - dt.timedelta(days=1)) == offset
    assert cal.first_month_after(d) == offset + 1
    # T months: from the start month to March of the last financial year.
    end = cal.date(cal.months - 1)
    assert (end.month, fy_start_year(end)) == (3, fy_start_year(start) + years - 1)
    assert len(cal.fy_labels()) == years
    assert 12 * (years - 1) + 1 <= cal.months <= 12 * years
