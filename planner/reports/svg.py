"""Inline SVG charts for report.html, drawn in Python (no scripts, no external files):
savings by financial year, cumulative savings, running cost today and in the plan,
and the small bars in the partners table (the migration timeline is in
:mod:`planner.reports.gantt`).

Every string that reaches the SVG goes through ``esc``. Charts scale with their
container (viewBox, width 100%) and carry a <title> and aria-label for screen
readers; bars carry <title> tooltips.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from planner.reports import fmt
from planner.reports.plan import PlanView, month_index

INK = "#1f2933"
MUTED = "#5f6b7a"
GRID = "#e3e8ee"
AXIS = "#9aa5b1"
BLUE = "#1d70b8"
GREEN = "#00703c"
RED = "#d4351c"
TEAL = "#28a197"
PALETTE = (
    "#1d70b8",
    "#28a197",
    "#4c2c92",
    "#f47738",
    "#912b88",
    "#85994b",
    "#b58840",
    "#5694ca",
    "#d53880",
    "#6f777b",
)
FONT = 'font-family="inherit"'


def esc(s: object) -> str:
    """Escape text for SVG content and attribute values."""
    return html.escape(str(s), quote=True)


def coord(x: float) -> str:
    """Compact coordinates."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (always including 0 when in range); a range
    under £1 (nothing changes) gets a £0-£1,000 axis."""
    if hi - lo < 1.0:
        hi = lo + 1000.0
    raw = (hi - lo) / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t < hi + step * 0.999:
        ticks.append(round(t, 6))
        t += step
    return ticks


def svg_open(w: float, h: float, label: str, cls: str = "chart") -> list[str]:
    """The opening <svg> tag of a ``w`` × ``h`` chart and its title (for screen readers)."""
    return [
        f'<svg class="{cls}" viewBox="0 0 {coord(w)} {coord(h)}" width="100%" role="img" '
        f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">',
        f"<title>{esc(label)}</title>",
    ]


def svg_text(
    x: float,
    y: float,
    s: str,
    *,
    anchor: str = "start",
    size: float = 11,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    """A <text> label at (x, y)."""
    return (
        f'<text x="{coord(x)}" y="{coord(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}" {FONT}>{esc(s)}</text>'
    )


# ---------------------------------------------------------------- bar and line charts


@dataclass(frozen=True)
class _Area:
    """A money chart's frame: its size, margins, the money range of its y axis (first and
    last tick) and, for a time axis, the number of months across."""

    w: float
    h: float
    left: float
    right: float
    top: float
    bottom: float
    lo: float
    hi: float
    months: int = 1

    def x(self, month: float) -> float:
        """Pixel x of a month counted from the start of the time axis."""
        return self.left + (self.w - self.left - self.right) * month / self.months

    def y(self, value: float) -> float:
        """Pixel y of an amount of money."""
        return self.top + (self.h - self.top - self.bottom) * (self.hi - value) / (
            self.hi - self.lo
        )


def _gridlines(a: _Area, ticks: list[float], width: str = "") -> list[str]:
    """A light horizontal line and a money label at each tick."""
    out = []
    for t in ticks:
        out.append(
            f'<line x1="{coord(a.left)}" x2="{coord(a.w - a.right)}" y1="{coord(a.y(t))}" '
            f'y2="{coord(a.y(t))}" stroke="{GRID}"{width}/>'
        )
        out.append(svg_text(a.left - 6, a.y(t) + 4, fmt.gbp_tick(t), anchor="end", fill=MUTED))
    return out


def _zero_line(a: _Area) -> str:
    """The darker line at £0."""
    return (
        f'<line x1="{coord(a.left)}" x2="{coord(a.w - a.right)}" y1="{coord(a.y(0))}" '
        f'y2="{coord(a.y(0))}" stroke="{AXIS}" stroke-width="1.2"/>'
    )


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str) -> str:
    """Vertical bars (green positive, red negative) with value labels and a zero line."""
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    a = _Area(560.0, 290.0, 64.0, 12.0, 24.0, 36.0, ticks[0], ticks[-1])
    out = svg_open(a.w, a.h, title)
    out += _gridlines(a, ticks, ' stroke-width="1"')
    band = (a.w - a.left - a.right) / max(1, len(values))
    bw = min(64.0, band * 0.62)
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        cx = a.left + band * (i + 0.5)
        ya, yb = sorted((a.y(0), a.y(v)))
        colour = GREEN if v >= 0 else RED
        out.append(
            f'<rect x="{coord(cx - bw / 2)}" y="{coord(ya)}" width="{coord(bw)}" '
            f'height="{coord(max(0.5, yb - ya))}" fill="{colour}" rx="2">'
            f"<title>{esc(label)}: {esc(fmt.gbp(v))}</title></rect>"
        )
        ly = ya - 5 if v >= 0 else yb + 13
        out.append(
            svg_text(cx, ly, fmt.gbp_short(v), anchor="middle", size=11, weight="600", fill=colour)
        )
        out.append(svg_text(cx, a.h - a.bottom + 16, label, anchor="middle", fill=MUTED))
    out.append(_zero_line(a))
    out.append("</svg>")
    return "\n".join(out)


def cumulative_chart(v: PlanView, title: str) -> str | None:
    """Cumulative savings at each year end, from 0 at the start, with the payback month."""
    if not v.years:
        return None
    xs = [0]  # months from the start to the end of each year
    for y in v.years:
        xs.append(xs[-1] + int(y.get("months") or 12))
    cum = [0.0, *v.cumulative()]
    ticks = nice_ticks(min(0.0, *cum), max(0.0, *cum))
    a = _Area(560.0, 290.0, 64.0, 16.0, 24.0, 36.0, ticks[0], ticks[-1], max(1, xs[-1]))
    out = svg_open(a.w, a.h, title)
    out += _gridlines(a, ticks)
    out += _year_columns(a, v, xs)
    out.append(_zero_line(a))
    out += _savings_line(a, v, xs, cum)
    out += _payback_marker(a, v)
    out.append("</svg>")
    return "\n".join(out)


def _year_columns(a: _Area, v: PlanView, xs: list[int]) -> list[str]:
    """A line at the start of each financial year, its label under the middle."""
    out = []
    for i, y in enumerate(v.years):
        out.append(
            f'<line x1="{coord(a.x(xs[i]))}" x2="{coord(a.x(xs[i]))}" y1="{coord(a.top)}" '
            f'y2="{coord(a.h - a.bottom)}" stroke="{GRID}"/>'
        )
        out.append(
            svg_text(
                (a.x(xs[i]) + a.x(xs[i + 1])) / 2,
                a.h - a.bottom + 16,
                y["year"],
                anchor="middle",
                fill=MUTED,
            )
        )
    return out


def _savings_line(a: _Area, v: PlanView, xs: list[int], cum: list[float]) -> list[str]:
    """The shaded line of cumulative savings, a dot at each year end, the final amount."""
    pts = " ".join(f"{coord(a.x(x))},{coord(a.y(c))}" for x, c in zip(xs, cum, strict=True))
    area = f"{coord(a.x(0))},{coord(a.y(0))} {pts} {coord(a.x(xs[-1]))},{coord(a.y(0))}"
    out = [
        f'<polygon points="{area}" fill="{BLUE}" fill-opacity="0.08"/>',
        f'<polyline points="{pts}" fill="none" stroke="{BLUE}" stroke-width="2.5" '
        'stroke-linejoin="round"/>',
    ]
    for i, (x, c) in enumerate(zip(xs, cum, strict=True)):
        colour = GREEN if c >= 0 else RED
        label = "start" if i == 0 else f"end of {v.years[i - 1]['year']}"
        out.append(
            f'<circle cx="{coord(a.x(x))}" cy="{coord(a.y(c))}" r="4" fill="#fff" '
            f'stroke="{colour}" stroke-width="2"><title>{esc(label)}: '
            f"{esc(fmt.gbp(c))}</title></circle>"
        )
    last = cum[-1]
    out.append(
        svg_text(
            a.x(xs[-1]) - 4,
            a.y(last) + (-9 if last >= 0 else 17),
            fmt.gbp_short(last),
            anchor="end",
            weight="600",
            fill=GREEN if last >= 0 else RED,
        )
    )
    return out


def _payback_marker(a: _Area, v: PlanView) -> list[str]:
    """A dashed green line at the payback month, labelled (none when outside the chart)."""
    p, s = v.payback_month, v.start_month
    if p is None or s is None:
        return []
    pm = month_index(p) - month_index(s)
    if not 0 <= pm <= a.months:
        return []
    px = a.x(pm)
    anchor = "start" if px < a.left + (a.w - a.left - a.right) * 0.7 else "end"
    dx = 5 if anchor == "start" else -5
    return [
        f'<line x1="{coord(px)}" x2="{coord(px)}" y1="{coord(a.top)}" '
        f'y2="{coord(a.h - a.bottom)}" '
        f'stroke="{GREEN}" stroke-dasharray="4 3" stroke-width="1.5"/>',
        svg_text(
            px + dx,
            a.top + 10,
            f"payback {fmt.month(p)}",
            anchor=anchor,
            fill=GREEN,
            weight="600",
        ),
    ]


def steady_chart(v: PlanView, title: str) -> str | None:
    """Horizontal bars of the running cost a year, today and in the plan (rooms + desks)."""
    b, p = v.baseline_steady, v.planned_steady
    if b is None or p is None:
        return None
    sb = v.costs.get("steady_breakdown") or {}
    keys = ("rooms_before", "desks_before", "rooms_after", "desks_after")
    split = all(sb.get(k) is not None for k in keys)
    w, h = 560.0, 150.0
    left, right, top = 84.0, 90.0, 26.0
    pw = w - left - right
    top_v = max(b, p, 1.0)
    rows = [
        ("Today", b, (sb.get("rooms_before"), sb.get("desks_before"))),
        ("Plan", p, (sb.get("rooms_after"), sb.get("desks_after"))),
    ]
    out = svg_open(w, h, title)
    bh = 34.0
    for i, (label, total, (rooms, desks)) in enumerate(rows):
        y = top + i * 52
        out.append(svg_text(left - 8, y + bh / 2 + 4, label, anchor="end", weight="600"))
        if split and rooms is not None and desks is not None:
            segs = [(float(rooms), BLUE, "machine rooms"), (float(desks), TEAL, "service desks")]
        else:
            segs = [(float(total), BLUE, "running cost")]
        x = left
        for amount, colour, what in segs:
            wd = pw * amount / top_v
            out.append(
                f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(max(0.0, wd))}" '
                f'height="{coord(bh)}" fill="{colour}"><title>{esc(label)}, {esc(what)}: '
                f"{esc(fmt.gbp(amount))} a year</title></rect>"
            )
            if wd > 56:
                out.append(
                    svg_text(
                        x + wd / 2,
                        y + bh / 2 + 4,
                        fmt.gbp_short(amount),
                        anchor="middle",
                        fill="#fff",
                        weight="600",
                    )
                )
            x += wd
        out.append(svg_text(x + 8, y + bh / 2 + 4, fmt.gbp(total), weight="600"))
    if split:
        ly = h - 12
        out.append(
            f'<rect x="{coord(left)}" y="{coord(ly - 9)}" width="10" height="10" fill="{BLUE}"/>'
        )
        out.append(svg_text(left + 14, ly, "machine rooms", fill=MUTED))
        out.append(
            f'<rect x="{coord(left + 110)}" y="{coord(ly - 9)}" width="10" height="10" '
            f'fill="{TEAL}"/>'
        )
        out.append(svg_text(left + 124, ly, "service desks", fill=MUTED))
    out.append("</svg>")
    return "\n".join(out)


def spark_bar(value: float, scale: float) -> str:
    """A tiny diverging bar (for table cells): green right of centre, red left."""
    w, h = 120.0, 12.0
    mid = w / 2
    frac = 0.0 if scale <= 0 else max(-1.0, min(1.0, value / scale))
    bw = abs(frac) * (mid - 1)
    x = mid if frac >= 0 else mid - bw
    colour = GREEN if value >= 0 else RED
    return (
        f'<svg class="spark" viewBox="0 0 {coord(w)} {coord(h)}" '
        f'width="{coord(w)}" height="{coord(h)}" '
        f'aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
        f'<rect x="{coord(x)}" y="2" width="{coord(bw)}" height="8" fill="{colour}" rx="1"/>'
        f'<line x1="{coord(mid)}" x2="{coord(mid)}" y1="0" y2="12" stroke="{AXIS}"/></svg>'
    )
