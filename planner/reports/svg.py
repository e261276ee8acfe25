"""Inline SVG charts for report.html, drawn in Python (no scripts, no external files).

Every string that reaches the SVG goes through ``esc``. Charts scale with their
container (viewBox, width 100%) and carry a <title> and aria-label for screen
readers; bars carry <title> tooltips.
"""

from __future__ import annotations

import html
import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.reports import fmt
from planner.reports.plan import PlanView, fy_of, month_index, month_str

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
    return html.escape(str(s), quote=True)


def _f(x: float) -> str:
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


def _open(w: float, h: float, label: str, cls: str = "chart") -> list[str]:
    return [
        f'<svg class="{cls}" viewBox="0 0 {_f(w)} {_f(h)}" width="100%" role="img" '
        f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">',
        f"<title>{esc(label)}</title>",
    ]


def _text(
    x: float,
    y: float,
    s: str,
    *,
    anchor: str = "start",
    size: float = 11,
    fill: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}" {FONT}{extra}>{esc(s)}</text>'
    )


# ---------------------------------------------------------------- bar and line charts


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str) -> str:
    """Vertical bars (green positive, red negative) with value labels and a zero line."""
    w, h = 560.0, 290.0
    left, right, top, bottom = 64.0, 12.0, 24.0, 36.0
    lo, hi = min(0.0, *values), max(0.0, *values)
    ticks = nice_ticks(lo, hi)
    y0v, y1v = ticks[0], ticks[-1]
    ph = h - top - bottom
    pw = w - left - right

    def y(v: float) -> float:
        return top + ph * (y1v - v) / (y1v - y0v)

    out = _open(w, h, title)
    for t in ticks:
        out.append(
            f'<line x1="{_f(left)}" x2="{_f(w - right)}" y1="{_f(y(t))}" '
            f'y2="{_f(y(t))}" stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(left - 6, y(t) + 4, fmt.gbp_tick(t), anchor="end", fill=MUTED))
    n = max(1, len(values))
    band = pw / n
    bw = min(64.0, band * 0.62)
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        cx = left + band * (i + 0.5)
        ya, yb = sorted((y(0), y(v)))
        colour = GREEN if v >= 0 else RED
        out.append(
            f'<rect x="{_f(cx - bw / 2)}" y="{_f(ya)}" width="{_f(bw)}" '
            f'height="{_f(max(0.5, yb - ya))}" fill="{colour}" rx="2">'
            f"<title>{esc(label)}: {esc(fmt.gbp(v))}</title></rect>"
        )
        ly = ya - 5 if v >= 0 else yb + 13
        out.append(
            _text(cx, ly, fmt.gbp_short(v), anchor="middle", size=11, weight="600", fill=colour)
        )
        out.append(_text(cx, h - bottom + 16, label, anchor="middle", fill=MUTED))
    out.append(
        f'<line x1="{_f(left)}" x2="{_f(w - right)}" y1="{_f(y(0))}" y2="{_f(y(0))}" '
        f'stroke="{AXIS}" stroke-width="1.2"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


def cumulative_chart(v: PlanView, title: str) -> str | None:
    """Cumulative savings at each year end, from 0 at the start, with the payback month."""
    if not v.years:
        return None
    w, h = 560.0, 290.0
    left, right, top, bottom = 64.0, 16.0, 24.0, 36.0
    months = [int(y.get("months") or 12) for y in v.years]
    xs = [0]
    for m in months:
        xs.append(xs[-1] + m)
    cum = [0.0, *v.cumulative()]
    ticks = nice_ticks(min(0.0, *cum), max(0.0, *cum))
    y0v, y1v = ticks[0], ticks[-1]
    ph, pw = h - top - bottom, w - left - right
    total = max(1, xs[-1])

    def X(m: float) -> float:
        return left + pw * m / total

    def Y(val: float) -> float:
        return top + ph * (y1v - val) / (y1v - y0v)

    out = _open(w, h, title)
    for t in ticks:
        out.append(
            f'<line x1="{_f(left)}" x2="{_f(w - right)}" y1="{_f(Y(t))}" '
            f'y2="{_f(Y(t))}" stroke="{GRID}"/>'
        )
        out.append(_text(left - 6, Y(t) + 4, fmt.gbp_tick(t), anchor="end", fill=MUTED))
    for i, y in enumerate(v.years):
        out.append(
            f'<line x1="{_f(X(xs[i]))}" x2="{_f(X(xs[i]))}" y1="{_f(top)}" '
            f'y2="{_f(h - bottom)}" stroke="{GRID}"/>'
        )
        out.append(
            _text(
                (X(xs[i]) + X(xs[i + 1])) / 2,
                h - bottom + 16,
                y["year"],
                anchor="middle",
                fill=MUTED,
            )
        )
    out.append(
        f'<line x1="{_f(left)}" x2="{_f(w - right)}" y1="{_f(Y(0))}" y2="{_f(Y(0))}" '
        f'stroke="{AXIS}" stroke-width="1.2"/>'
    )
    pts = " ".join(f"{_f(X(x))},{_f(Y(c))}" for x, c in zip(xs, cum, strict=True))
    area = f"{_f(X(0))},{_f(Y(0))} {pts} {_f(X(xs[-1]))},{_f(Y(0))}"
    out.append(f'<polygon points="{area}" fill="{BLUE}" fill-opacity="0.08"/>')
    out.append(
        f'<polyline points="{pts}" fill="none" stroke="{BLUE}" stroke-width="2.5" '
        'stroke-linejoin="round"/>'
    )
    for i, (x, c) in enumerate(zip(xs, cum, strict=True)):
        colour = GREEN if c >= 0 else RED
        label = "start" if i == 0 else f"end of {v.years[i - 1]['year']}"
        out.append(
            f'<circle cx="{_f(X(x))}" cy="{_f(Y(c))}" r="4" fill="#fff" '
            f'stroke="{colour}" stroke-width="2"><title>{esc(label)}: '
            f"{esc(fmt.gbp(c))}</title></circle>"
        )
    last = cum[-1]
    out.append(
        _text(
            X(xs[-1]) - 4,
            Y(last) + (-9 if last >= 0 else 17),
            fmt.gbp_short(last),
            anchor="end",
            weight="600",
            fill=GREEN if last >= 0 else RED,
        )
    )
    p, s = v.payback_month, v.start_month
    if p is not None and s is not None:
        pm = month_index(p) - month_index(s)
        if 0 <= pm <= total:
            px = X(pm)
            out.append(
                f'<line x1="{_f(px)}" x2="{_f(px)}" y1="{_f(top)}" y2="{_f(h - bottom)}" '
                f'stroke="{GREEN}" stroke-dasharray="4 3" stroke-width="1.5"/>'
            )
            anchor = "start" if px < left + pw * 0.7 else "end"
            dx = 5 if anchor == "start" else -5
            out.append(
                _text(
                    px + dx,
                    top + 10,
                    f"payback {fmt.month(p)}",
                    anchor=anchor,
                    fill=GREEN,
                    weight="600",
                )
            )
    out.append("</svg>")
    return "\n".join(out)


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
    out = _open(w, h, title)
    bh = 34.0
    for i, (label, total, (rooms, desks)) in enumerate(rows):
        y = top + i * 52
        out.append(_text(left - 8, y + bh / 2 + 4, label, anchor="end", weight="600"))
        if split and rooms is not None and desks is not None:
            segs = [(float(rooms), BLUE, "machine rooms"), (float(desks), TEAL, "service desks")]
        else:
            segs = [(float(total), BLUE, "running cost")]
        x = left
        for amount, colour, what in segs:
            wd = pw * amount / top_v
            out.append(
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(max(0.0, wd))}" '
                f'height="{_f(bh)}" fill="{colour}"><title>{esc(label)}, {esc(what)}: '
                f"{esc(fmt.gbp(amount))} a year</title></rect>"
            )
            if wd > 56:
                out.append(
                    _text(
                        x + wd / 2,
                        y + bh / 2 + 4,
                        fmt.gbp_short(amount),
                        anchor="middle",
                        fill="#fff",
                        weight="600",
                    )
                )
            x += wd
        out.append(_text(x + 8, y + bh / 2 + 4, fmt.gbp(total), weight="600"))
    if split:
        ly = h - 12
        out.append(f'<rect x="{_f(left)}" y="{_f(ly - 9)}" width="10" height="10" fill="{BLUE}"/>')
        out.append(_text(left + 14, ly, "machine rooms", fill=MUTED))
        out.append(
            f'<rect x="{_f(left + 110)}" y="{_f(ly - 9)}" width="10" height="10" fill="{TEAL}"/>'
        )
        out.append(_text(left + 124, ly, "service desks", fill=MUTED))
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
        f'<svg class="spark" viewBox="0 0 {_f(w)} {_f(h)}" width="{_f(w)}" height="{_f(h)}" '
        f'aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
        f'<rect x="{_f(x)}" y="2" width="{_f(bw)}" height="8" fill="{colour}" rx="1"/>'
        f'<line x1="{_f(mid)}" x2="{_f(mid)}" y1="0" y2="12" stroke="{AXIS}"/></svg>'
    )


# ---------------------------------------------------------------- Gantt


@dataclass
class _Row:
    label: str
    kind: str  # 'head', 'room', 'move', 'agg', 'effort'
    title: str = ""
    data: Any = None


DETAIL_LIMIT = 40
"""Up to this many moves the chart has one bar per workload; beyond, one row per
(destination, source) pair with the number moved each month."""


def gantt(v: PlanView) -> str | None:
    """The migration timeline: room lifecycles, then moves grouped by destination room,
    then the person-days of each monthly wave."""
    moves = v.moves
    if not moves and not any(r["decision"] in ("close", "open") for r in v.rooms):
        return None
    events = [month_index(m) for m in v.event_months()]
    start = v.start_month
    m0 = month_index(start) if start is not None else min(events)
    m0 = min([m0, *events])
    m1 = max([m0 + 5, *events]) + 2  # exclusive; a month after the last event
    end = v.end_month
    if end is not None:
        m1 = min(m1, month_index(end) + 1)
        m1 = max(m1, max(events, default=m0) + 1)
    n = m1 - m0

    zones = sorted({a.get("zone") or "" for a in moves})
    zone_colour = {z: PALETTE[i % len(PALETTE)] for i, z in enumerate(zones)}
    if len(zones) <= 1:
        zone_colour = {z: BLUE for z in zones}

    rows: list[_Row] = [_Row("Machine rooms", "head")]
    for r in v.rooms:
        if r["decision"] == "unused":
            continue
        rows.append(_Row(r["id"], "room", data=r))
    by_dest: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in moves:
        by_dest[a["to"]].append(a)
    order = {r["id"]: i for i, r in enumerate(v.rooms)}
    dests = sorted(by_dest, key=lambda d: (order.get(d, 10**6), d))
    detailed = len(moves) <= DETAIL_LIMIT
    for d in dests:
        items = sorted(
            by_dest[d], key=lambda a: (month_index(a["month"]), a["from"], a["workload"])
        )
        rows.append(_Row(f"Moves into {d} ({len(items)})", "head"))
        if detailed:
            for a in items:
                rows.append(_Row(a["workload"], "move", data=a))
        else:
            by_src: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for a in items:
                by_src[a["from"]].append(a)
            for src in sorted(by_src, key=lambda s: (order.get(s, 10**6), s)):
                rows.append(
                    _Row(f"from {src} ({len(by_src[src])})", "agg", data=(src, d, by_src[src]))
                )
    if v.waves:
        rows.append(_Row("Migration effort", "head"))
        rows.append(_Row("person-days a month", "effort"))

    label_w, chart_w = 250.0, 730.0
    col = chart_w / n
    row_h, head_h, axis_h = 20.0, 24.0, 40.0
    heights = [
        head_h if r.kind == "head" else (44.0 if r.kind == "effort" else row_h) for r in rows
    ]
    legend_h = 30.0
    h = axis_h + sum(heights) + legend_h + 8
    w = label_w + chart_w + 10

    def X(mi: float) -> float:
        return label_w + (mi - m0) * col

    title = f"Migration timeline, {fmt.month(month_str(m0))} to {fmt.month(month_str(m1 - 1))}"
    out = _open(w, h, title, cls="chart gantt")
    # axis: financial years on top, month letters below
    y_fy, y_m = 14.0, 32.0
    bounds = [m0, *(mi for mi in range(m0 + 1, m1) if mi % 12 == 3), m1]
    for fa, fb in itertools.pairwise(bounds):
        if (fb - fa) * col >= 44:
            out.append(
                _text(
                    (X(fa) + X(fb)) / 2,
                    y_fy,
                    fy_of(month_str(fa)),
                    anchor="middle",
                    weight="600",
                    fill=MUTED,
                )
            )
    step = 1 if col >= 12 else (3 if col >= 5 else 6)
    for mi in range(m0, m1):
        if (mi - m0) % step == 0 or mi % 12 == 3:
            letter = fmt.MONTHS[mi % 12]
            label = letter[0] if col < 22 and step == 1 else letter
            out.append(
                _text(
                    X(mi) + (col / 2 if step == 1 else 2),
                    y_m,
                    label,
                    anchor="middle" if step == 1 else "start",
                    size=10,
                    fill=MUTED,
                )
            )
    body_top = axis_h
    body_bottom = axis_h + sum(heights)
    for mi in range(m0, m1 + 1):
        strong = mi % 12 == 3
        if strong or col >= 8:
            top_y = body_top - 18 if strong else body_top
            out.append(
                f'<line x1="{_f(X(mi))}" x2="{_f(X(mi))}" y1="{_f(top_y)}" '
                f'y2="{_f(body_bottom)}" stroke="{AXIS if strong else GRID}" '
                f'stroke-width="{1.2 if strong else 0.6}"/>'
            )
    effort_max = max((float(wv.get("days") or 0) for wv in v.waves), default=0.0) or 1.0
    wave_of = {wv["month"]: wv for wv in v.waves}

    y = body_top
    for i, row in enumerate(rows):
        rh = heights[i]
        mid = y + rh / 2 + 4
        if row.kind == "head":
            out.append(
                f'<rect x="0" y="{_f(y + 2)}" width="{_f(w)}" height="{_f(rh - 4)}" '
                f'fill="#f1f4f8"/>'
            )
            out.append(_text(6, mid, row.label, weight="700", size=11.5))
        elif row.kind == "room":
            r = row.data
            out.append(_text(16, mid, _clip(row.label, 34), size=11))
            ra, rb, colour, note = m0, m1, "#b7cde8", "kept"
            if r["decision"] == "close" and r.get("close_month"):
                rb, colour = month_index(r["close_month"]), "#f2b8ab"
                note = f"closes {fmt.month(r['close_month'])}"
            elif r["decision"] == "open" and r.get("open_month"):
                ra, colour = month_index(r["open_month"]), "#a9dcc2"
                note = f"opens {fmt.month(r['open_month'])}"
            ra, rb = max(ra, m0), min(rb, m1)
            out.append(
                f'<rect x="{_f(X(ra))}" y="{_f(y + 4)}" width="{_f(max(1.0, X(rb) - X(ra)))}" '
                f'height="{_f(rh - 8)}" fill="{colour}" rx="2"><title>{esc(r["id"])}: '
                f"{esc(note)}</title></rect>"
            )
            text_w = 5.6 * len(note)  # 10px text, roughly
            if r["decision"] == "close":
                if X(rb) + 4 + text_w <= w:
                    out.append(_text(X(rb) + 4, mid, note, size=10, fill=RED))
                else:  # no room after the bar: inside its end
                    out.append(_text(X(rb) - 4, mid, note, size=10, fill="#8f2410", anchor="end"))
            elif r["decision"] == "open":
                if X(ra) - 4 - text_w >= label_w:
                    out.append(_text(X(ra) - 4, mid, note, size=10, fill=GREEN, anchor="end"))
                else:
                    out.append(_text(X(ra) + 4, mid, note, size=10, fill="#005a30"))
        elif row.kind == "move":
            a = row.data
            out.append(_text(16, mid, _clip(f"{a['workload']}  ← {a['from']}", 38), size=11))
            t = month_index(a["month"])
            colour = zone_colour.get(a.get("zone") or "", BLUE)
            tip = (
                f"{a['workload']}"
                + (f" ({a['name']})" if a.get("name") else "")
                + f": {a['from']} → {a['to']}, {fmt.month(a['month'])}"
                + (
                    f", {fmt.num(a['migration_days'])} person-days"
                    if a.get("migration_days") is not None
                    else ""
                )
                + (
                    f", {fmt.gbp(a['migration_cost'])}"
                    if a.get("migration_cost") is not None
                    else ""
                )
            )
            out.append(
                f'<rect x="{_f(X(t) + 0.5)}" y="{_f(y + 4)}" '
                f'width="{_f(max(2.0, col - 1))}" height="{_f(rh - 8)}" '
                f'fill="{colour}" rx="2"><title>{esc(tip)}</title></rect>'
            )
        elif row.kind == "agg":
            src, dst, items = row.data
            out.append(_text(16, mid, _clip(row.label, 38), size=11))
            per_month: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for a in items:
                per_month[month_index(a["month"])].append(a)
            first, last = min(per_month), max(per_month)
            out.append(
                f'<rect x="{_f(X(first))}" y="{_f(y + 8)}" '
                f'width="{_f(X(last + 1) - X(first))}" height="{_f(rh - 16)}" '
                f'fill="{GRID}"/>'
            )
            most = max(len(x) for x in per_month.values())
            for t, batch in sorted(per_month.items()):
                opacity = 0.45 + 0.55 * len(batch) / most
                names = ", ".join(a["workload"] for a in batch[:12]) + (
                    f" and {len(batch) - 12} more" if len(batch) > 12 else ""
                )
                tip = f"{fmt.month(month_str(t))}: {len(batch)} from {src} to {dst}: {names}"
                out.append(
                    f'<rect x="{_f(X(t) + 0.5)}" y="{_f(y + 3)}" '
                    f'width="{_f(max(2.0, col - 1))}" height="{_f(rh - 6)}" fill="{BLUE}" '
                    f'fill-opacity="{opacity:.2f}" rx="2"><title>{esc(tip)}</title></rect>'
                )
                if col >= 14:
                    out.append(
                        _text(
                            X(t) + col / 2,
                            mid - 0.5,
                            str(len(batch)),
                            size=9.5,
                            anchor="middle",
                            fill="#fff",
                            weight="600",
                        )
                    )
        elif row.kind == "effort":
            out.append(_text(16, mid, row.label, size=11, fill=MUTED))
            for mstr, wv in wave_of.items():
                t = month_index(mstr)
                if not m0 <= t < m1:
                    continue
                days = float(wv.get("days") or 0)
                bh = (rh - 10) * days / effort_max
                n_wl = len(wv.get("workloads") or [])
                tip = (
                    f"{fmt.month(mstr)}: {fmt.plural(n_wl, 'workload')}, "
                    f"{fmt.num(days)} person-days"
                    + (f", {fmt.gbp(wv['cost'])}" if wv.get("cost") is not None else "")
                )
                out.append(
                    f'<rect x="{_f(X(t) + 1)}" y="{_f(y + rh - 3 - bh)}" '
                    f'width="{_f(max(2.0, col - 2))}" height="{_f(max(1.0, bh))}" '
                    f'fill="{TEAL}"><title>{esc(tip)}</title></rect>'
                )
                if col >= 18:
                    out.append(
                        _text(
                            X(t) + col / 2,
                            y + rh - 5 - bh,
                            fmt.num(days),
                            size=9,
                            anchor="middle",
                            fill=MUTED,
                        )
                    )
        y += rh
    # legend
    ly = y + 20
    items_legend: list[tuple[str, str]] = [
        ("#b7cde8", "room kept"),
        ("#f2b8ab", "room open until it closes"),
        ("#a9dcc2", "new room, from opening"),
    ]
    if detailed:
        if len(zone_colour) > 1:
            items_legend += [(c, f"move, zone {z}") for z, c in zone_colour.items()]
        else:
            items_legend.append((BLUE, "move (one month)"))
    else:
        items_legend.append((BLUE, "moves that month (darker: more)"))
    x = 6.0
    for colour, text in items_legend:
        out.append(
            f'<rect x="{_f(x)}" y="{_f(ly - 9)}" width="12" height="10" fill="{colour}" rx="2"/>'
        )
        out.append(_text(x + 16, ly, text, size=10.5, fill=MUTED))
        x += 16 + 6.2 * len(text) + 18
    out.append("</svg>")
    return "\n".join(out)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
