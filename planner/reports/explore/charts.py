"""The inline SVG charts of explore.html, drawn in Python (no scripts, no external files):
the prices of the rules as a tornado, a Pareto curve, a distribution of sampled figures
(a histogram of every sample, or a box from P10 to P90 when only the percentiles are
given) and the Shapley values beside the allocated shares.

Every string that reaches the SVG goes through ``esc``. Charts scale with their
container (viewBox, width 100%) and carry a <title> and aria-label; each bar or point
is a <g> whose <title> is its tooltip (shapes are self-closing, so the page's markup
stays balanced). The <svg> elements carry no namespace URL: inline SVG in HTML needs
none, and the page names no address at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from planner.explorefile import Percentiles, Price
from planner.reports import fmt
from planner.reports.explore.view import Curve, ShapleyRow, has_plan, price_short, price_text
from planner.reports.svg import (
    AXIS,
    BLUE,
    GREEN,
    GRID,
    INK,
    MUTED,
    RED,
    TEAL,
    coord,
    esc,
    nice_ticks,
    svg_text,
)

AMBER = "#b86200"
NAVY = "#0b2545"
TORNADO_ROWS = 30
"""At most this many bars in the tornado; the table lists every rule."""


def svg_open(w: float, h: float, label: str) -> str:
    """The opening <svg> of a ``w`` × ``h`` chart and its title (for screen readers)."""
    return (
        f'<svg class="chart" viewBox="0 0 {coord(w)} {coord(h)}" width="100%" role="img" '
        f'aria-label="{esc(label)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{esc(label)}</title>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return (
        f'<line x1="{coord(x1)}" y1="{coord(y1)}" x2="{coord(x2)}" y2="{coord(y2)}" '
        f'stroke="{stroke}"{extra}/>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return (
        f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(max(0.5, w))}" '
        f'height="{coord(max(0.5, h))}" fill="{fill}"{extra}/>'
    )


def _tip(tip: str, *shapes: str) -> str:
    """Shapes grouped under one tooltip."""
    return f"<g><title>{esc(tip)}</title>{''.join(shapes)}</g>"


def _clip(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters with an ellipsis."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Money ticks over [lo, hi]; a range that is tiny beside the figures is widened
    (±5%), so that the labels differ."""
    if hi - lo < max(1.0, abs(hi) * 0.01):
        pad = max(1000.0, abs(hi) * 0.05)
        lo, hi = lo - pad, hi + pad
    return nice_ticks(lo, hi, n)


class _Scale:
    """A linear map from [lo, hi] to pixels [a, b]."""

    def __init__(self, lo: float, hi: float, a: float, b: float) -> None:
        self.lo, self.hi, self.a, self.b = lo, hi, a, b

    def __call__(self, v: float) -> float:
        return self.a + (self.b - self.a) * (v - self.lo) / (self.hi - self.lo)


# ---------------------------------------------------------------- prices


def tornado(prices: Sequence[Price], title: str) -> str:
    """Horizontal bars of the rules' prices, dearest first (at most TORNADO_ROWS): a bound
    is drawn open-ended (at least: an arrow past its end; at most: a pale dashed bar)."""
    shown = list(prices[:TORNADO_ROWS])
    more = len(prices) - len(shown)
    values = [float(p.price or 0.0) for p in shown]
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    bounds = any(p.price_is in ("at_least", "at_most") for p in shown)
    w, left, right, top, row = 960.0, 300.0, 80.0, 28.0, 24.0
    body = row * len(shown)
    h = top + body + 8 + (22 if more else 0) + (24 if bounds else 0)
    x = _Scale(ticks[0], ticks[-1], left, w - right)
    out = [svg_open(w, h, title)]
    for t in ticks:
        out.append(_line(x(t), top - 4, x(t), top + body, GRID))
        out.append(svg_text(x(t), top - 10, fmt.gbp_tick(t), anchor="middle", fill=MUTED))
    for i, p in enumerate(shown):
        y = top + i * row
        v = values[i]
        x0, x1 = sorted((x(0), x(v)))
        colour = BLUE if v >= 0 else MUTED
        shapes = [svg_text(left - 8, y + 16, _clip(p.rule, 48), anchor="end")]
        if p.price_is == "at_most":
            extra = f' fill-opacity="0.35" stroke="{colour}" stroke-dasharray="3 2"'
            shapes.append(_rect(x0, y + 5, x1 - x0, 14, colour, extra))
        else:
            shapes.append(_rect(x0, y + 5, x1 - x0, 14, colour))
        end = x(v)
        if p.price_is == "at_least":
            d = 7 if v >= 0 else -7
            shapes.append(
                f'<polygon points="{coord(end)},{coord(y + 3)} {coord(end + d)},{coord(y + 12)} '
                f'{coord(end)},{coord(y + 21)}" fill="{colour}"/>'
            )
            end += d
        label_x, anchor = (end + 5, "start") if v >= 0 else (end - 5, "end")
        shapes.append(svg_text(label_x, y + 16, price_short(p), anchor=anchor, weight="600"))
        out.append(_tip(f"{p.rule}: {price_text(p)}", *shapes))
    out.append(_line(x(0), top - 4, x(0), top + body, AXIS, ' stroke-width="1.2"'))
    y = top + body + 8
    if more:
        out.append(
            svg_text(left, y + 12, f"and {fmt.plural(more, 'more rule')} in the table", fill=MUTED)
        )
        y += 22
    if bounds:
        out.append(_rect(left, y + 4, 16, 10, BLUE))
        out.append(
            f'<polygon points="{coord(left + 16)},{coord(y + 2)} {coord(left + 22)},{coord(y + 9)} '
            f'{coord(left + 16)},{coord(y + 16)}" fill="{BLUE}"/>'
        )
        out.append(svg_text(left + 28, y + 13, "at least (not proven best without it)", fill=MUTED))
        out.append(
            _rect(
                left + 270,
                y + 4,
                22,
                10,
                BLUE,
                f' fill-opacity="0.35" stroke="{BLUE}" stroke-dasharray="3 2"',
            )
        )
        out.append(svg_text(left + 298, y + 13, "at most", fill=MUTED))
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------- Pareto curves


def curve_chart(c: Curve, baseline: float | None, title: str) -> str:
    """The objective against the limit (rooms or desks): a dot per plan (hollow when not
    proven best) joined by a line, × for a limit with no plan (? when none was found in
    time), a ring at the knee and a dashed line at today's estate's objective."""
    limits = [c.limit(pt) for pt in c.points]
    kmin, kmax = min(limits), max(limits)
    objectives = [float(pt.objective or 0.0) for pt in c.points if has_plan(pt)]
    span = objectives + ([baseline] if baseline is not None else [])
    if span:  # room below the lowest point for the × of limits without a plan
        lo, hi = min(span), max(span)
        ticks = _ticks(lo - (hi - lo) * 0.12, hi)
    else:
        ticks = nice_ticks(0.0, 1.0)
    w, h, left, right, top, bottom = 560.0, 300.0, 72.0, 18.0, 26.0, 48.0
    band = (w - left - right) / (kmax - kmin + 1)
    y = _Scale(ticks[-1], ticks[0], top, h - bottom)

    def x(k: int) -> float:
        return left + band * (k - kmin + 0.5)

    out = [svg_open(w, h, title)]
    for t in ticks:
        out.append(_line(left, y(t), w - right, y(t), GRID))
        out.append(svg_text(left - 6, y(t) + 4, fmt.gbp_tick(t), anchor="end", fill=MUTED))
    for k in range(kmin, kmax + 1):
        out.append(svg_text(x(k), h - bottom + 16, str(k), anchor="middle", fill=MUTED))
    out.append(
        svg_text(
            (left + w - right) / 2,
            h - 8,
            f"most {c.what} allowed",
            anchor="middle",
            fill=MUTED,
        )
    )
    if baseline is not None:
        out.append(
            _tip(
                f"today's estate: {fmt.gbp(baseline)}",
                _line(left, y(baseline), w - right, y(baseline), RED, ' stroke-dasharray="5 4"'),
                svg_text(w - right - 4, y(baseline) - 5, "today's estate", anchor="end", fill=RED),
            )
        )
    run: list[str] = []
    for pt in c.points:
        if has_plan(pt):
            run.append(f"{coord(x(c.limit(pt)))},{coord(y(float(pt.objective or 0.0)))}")
        else:
            out += _polyline(run)
            run = []
    out += _polyline(run)
    for pt in c.points:
        k = c.limit(pt)
        what = fmt.plural(k, c.what[:-1])
        if not has_plan(pt):
            yy = h - bottom - 10
            if pt.status == "infeasible":
                out.append(
                    _tip(
                        f"at most {what}: no plan",
                        _line(x(k) - 5, yy - 5, x(k) + 5, yy + 5, RED, ' stroke-width="2"'),
                        _line(x(k) - 5, yy + 5, x(k) + 5, yy - 5, RED, ' stroke-width="2"'),
                    )
                )
            else:
                out.append(
                    _tip(
                        f"at most {what}: {pt.status}",
                        svg_text(
                            x(k), yy + 5, "?", anchor="middle", size=15, fill=MUTED, weight="700"
                        ),
                    )
                )
            continue
        cx, cy = x(k), y(float(pt.objective or 0.0))
        fill = BLUE if pt.status == "optimal" else "#fff"
        shapes = [
            f'<circle cx="{coord(cx)}" cy="{coord(cy)}" r="4.5" fill="{fill}" '
            f'stroke="{BLUE}" stroke-width="2"/>'
        ]
        if pt.knee:
            shapes.append(
                f'<circle cx="{coord(cx)}" cy="{coord(cy)}" r="10" fill="none" '
                f'stroke="{AMBER}" stroke-width="2"/>'
            )
            shapes.append(svg_text(cx, cy - 15, "knee", anchor="middle", fill=AMBER, weight="700"))
        status = "" if pt.status == "optimal" else f" ({pt.status})"
        knee = ", the knee" if pt.knee else ""
        out.append(_tip(f"at most {what}: {fmt.gbp(pt.objective)}{status}{knee}", *shapes))
    out.append("</svg>")
    return "".join(out)


def _polyline(points: list[str]) -> list[str]:
    if len(points) < 2:
        return []
    return [
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{BLUE}" '
        'stroke-width="2" stroke-linejoin="round"/>'
    ]


# ---------------------------------------------------------------- distributions


def distribution(
    values: Sequence[float] | None,
    p: Percentiles,
    plan: float | None,
    title: str,
    *,
    losses: bool,
) -> str:
    """A histogram of ``values`` (or, without them, a box from P10 to P90 with P50 and the
    mean), with P10, P50 and P90 marked and the plan's own figure; ``losses``: bins
    below £0 in red (for net savings)."""
    marks = [p.p10, p.p50, p.p90, p.mean] + ([plan] if plan is not None else [])
    lo, hi = min(marks), max(marks)
    if values:
        lo, hi = min(lo, *values), max(hi, *values)
    ticks = _ticks(lo, hi)
    w, left, right, top = 560.0, 24.0, 24.0, 52.0
    plot = 150.0 if values else 56.0
    h = top + plot + 34
    x = _Scale(ticks[0], ticks[-1], left, w - right)
    out = [svg_open(w, h, title)]
    for t in ticks:
        out.append(_line(x(t), top, x(t), top + plot, GRID))
        out.append(svg_text(x(t), top + plot + 16, fmt.gbp_tick(t), anchor="middle", fill=MUTED))
    if values:
        out += _histogram(values, x, top, plot, losses=losses)
    else:
        out += _box(p, x, top, plot)
    if losses and ticks[0] < 0 < ticks[-1]:
        out.append(_line(x(0), top, x(0), top + plot, AXIS, ' stroke-width="1.5"'))
    out.append(_line(left, top + plot, w - right, top + plot, AXIS))
    rows = _label_rows([x(p.p10), x(p.p50), x(p.p90)], (14.0, 28.0))
    for (label, v), row in zip((("P10", p.p10), ("P50", p.p50), ("P90", p.p90)), rows, strict=True):
        out.append(
            _tip(
                f"{label}: {fmt.gbp(v)}",
                _line(x(v), row + 4, x(v), top + plot, INK, ' stroke-dasharray="4 3"'),
                svg_text(x(v), row, f"{label} {fmt.gbp_short(v)}", anchor="middle", size=11),
            )
        )
    if plan is not None:
        anchor = "start" if x(plan) < w * 0.75 else "end"
        dx = 4 if anchor == "start" else -4
        out.append(
            _tip(
                f"the plan: {fmt.gbp(plan)}",
                _line(x(plan), 34, x(plan), top + plot, GREEN, ' stroke-width="2.5"'),
                svg_text(
                    x(plan) + dx,
                    44,
                    f"plan {fmt.gbp_short(plan)}",
                    anchor=anchor,
                    fill=GREEN,
                    weight="700",
                    size=11,
                ),
            )
        )
    out.append("</svg>")
    return "".join(out)


def _label_rows(xs: Sequence[float], rows: Sequence[float], width: float = 84.0) -> list[float]:
    """The row (baseline y) of each label centred at ``xs`` (in order of x): the first row
    where it clears the labels already placed there, else the last row."""
    placed: dict[float, list[float]] = {r: [] for r in rows}
    out = []
    for cx in xs:
        row = next(
            (r for r in rows if all(abs(cx - other) >= width for other in placed[r])), rows[-1]
        )
        placed[row].append(cx)
        out.append(row)
    return out


def _histogram(
    values: Sequence[float], x: _Scale, top: float, plot: float, *, losses: bool
) -> list[str]:
    """Bars of how many samples fall in each of about √n equal bins."""
    n = len(values)
    bins = max(8, min(30, round(math.sqrt(n))))
    lo, hi = min(values), max(values)
    if hi - lo < 1.0:
        lo, hi = lo - 0.5, hi + 0.5
    width = (hi - lo) / bins
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / width))] += 1
    most = max(counts)
    out = []
    for i, count in enumerate(counts):
        if not count:
            continue
        a, b = lo + i * width, lo + (i + 1) * width
        colour = RED if losses and (a + b) / 2 < 0 else BLUE
        bh = (plot - 4) * count / most
        out.append(
            _tip(
                f"{fmt.gbp(a)} to {fmt.gbp(b)}: {fmt.plural(count, 'sample')}",
                _rect(
                    x(a) + 0.5, top + plot - bh, x(b) - x(a) - 1, bh, colour, ' fill-opacity="0.8"'
                ),
            )
        )
    return out


def _box(p: Percentiles, x: _Scale, top: float, plot: float) -> list[str]:
    """The P10-P90 box, its P50 line and a diamond at the mean."""
    y0, y1 = top + 10, top + plot - 10
    my, mx = (y0 + y1) / 2, x(p.mean)
    return [
        _tip(
            f"P10 to P90: {fmt.gbp(p.p10)} to {fmt.gbp(p.p90)} (8 in 10 samples)",
            _rect(x(p.p10), y0, x(p.p90) - x(p.p10), y1 - y0, BLUE, ' fill-opacity="0.25"'),
        ),
        _line(x(p.p50), y0, x(p.p50), y1, BLUE, ' stroke-width="3"'),
        _tip(
            f"mean: {fmt.gbp(p.mean)}",
            f'<polygon points="{coord(mx)},{coord(my - 7)} {coord(mx + 7)},{coord(my)} '
            f'{coord(mx)},{coord(my + 7)} {coord(mx - 7)},{coord(my)}" fill="{NAVY}"/>',
        ),
    ]


# ---------------------------------------------------------------- Shapley


def shapley_chart(rows: Sequence[ShapleyRow], title: str) -> str:
    """Each partner's Shapley value (with ±1.96 standard errors when sampled) beside its
    allocated share, as horizontal bars."""
    allocated = any(r.allocated is not None for r in rows)
    errors = any(r.standard_error for r in rows)
    ends = [0.0]
    for r in rows:
        spread = 1.96 * (r.standard_error or 0.0)
        ends += [r.value - spread, r.value + spread]
        if r.allocated is not None:
            ends.append(r.allocated)
    ticks = nice_ticks(min(ends), max(ends))
    w, left, right, top = 960.0, 260.0, 80.0, 28.0
    bar = 14.0
    group = bar * (2 if allocated else 1) + 14
    body = group * len(rows)
    h = top + body + 30
    x = _Scale(ticks[0], ticks[-1], left, w - right)
    out = [svg_open(w, h, title)]
    for t in ticks:
        out.append(_line(x(t), top - 4, x(t), top + body, GRID))
        out.append(svg_text(x(t), top - 10, fmt.gbp_tick(t), anchor="middle", fill=MUTED))
    for i, r in enumerate(rows):
        y = top + i * group + 7
        out.append(
            svg_text(
                left - 8,
                y + group / 2 - 3,
                _clip(r.name or r.organisation, 38),
                anchor="end",
                weight="600",
            )
        )
        series: list[tuple[str, float | None, str, float | None]] = [
            ("Shapley value", r.value, BLUE, r.standard_error)
        ]
        if allocated:
            series.append(("allocated", r.allocated, TEAL, None))
        for j, (what, v, colour, se) in enumerate(series):
            yy = y + j * bar
            if v is None:
                out.append(svg_text(x(0) + 4, yy + 11, "not allocated", fill=MUTED, size=10))
                continue
            x0, x1 = sorted((x(0), x(v)))
            shapes = [_rect(x0, yy + 1, x1 - x0, bar - 2, colour)]
            tip = f"{r.organisation}, {what}: {fmt.gbp(v)}"
            end = x(v)
            if se:
                a, b = x(v - 1.96 * se), x(v + 1.96 * se)
                mid = yy + bar / 2
                shapes += [
                    _line(a, mid, b, mid, INK, ' stroke-width="1.2"'),
                    _line(a, mid - 4, a, mid + 4, INK, ' stroke-width="1.2"'),
                    _line(b, mid - 4, b, mid + 4, INK, ' stroke-width="1.2"'),
                ]
                tip += f" ± {fmt.gbp(se)} (standard error)"
                end = b if v >= 0 else a
            lx, anchor = (end + 4, "start") if v >= 0 else (end - 4, "end")
            shapes.append(svg_text(lx, yy + 11, fmt.gbp_short(v), anchor=anchor, size=10.5))
            out.append(_tip(tip, *shapes))
    out.append(_line(x(0), top - 4, x(0), top + body, AXIS, ' stroke-width="1.2"'))
    ly = top + body + 14
    legend = [("Shapley value", BLUE)] + ([("allocated in the plan", TEAL)] if allocated else [])
    lx = left
    for label, colour in legend:
        out.append(_rect(lx, ly - 9, 12, 10, colour))
        out.append(svg_text(lx + 16, ly, label, fill=MUTED))
        lx += 24 + 7 * len(label)
    if errors:
        out.append(_line(lx, ly - 4, lx + 18, ly - 4, INK, ' stroke-width="1.2"'))
        out.append(svg_text(lx + 24, ly, "±1.96 standard errors (95%)", fill=MUTED))
    out.append("</svg>")
    return "".join(out)
