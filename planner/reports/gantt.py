"""The migration timeline chart of report.html (an inline SVG Gantt chart).

Top to bottom: the financial years and months across; each machine room's life
(kept, open until it closes, new from its opening); the moves into each
destination room (one bar per workload, or for a large plan one row per source
room with a block for each month's moves); the person-days of each monthly
wave; a legend.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from planner.reports import fmt
from planner.reports.plan import PlanView, fy_of, month_index, month_str
from planner.reports.svg import (
    AXIS,
    BLUE,
    GREEN,
    GRID,
    MUTED,
    PALETTE,
    RED,
    TEAL,
    coord,
    esc,
    svg_open,
    svg_text,
)

DETAIL_LIMIT = 40
"""Up to this many moves the chart has one bar per workload; beyond, one row per
(destination, source) pair with the number moved each month."""

LABEL_W = 250.0
"""Width of the row labels on the left."""
CHART_W = 730.0
"""Width of the months."""
AXIS_H = 40.0
"""Height of the financial years and months across the top."""
ROW_H, HEAD_H, EFFORT_H, LEGEND_H = 20.0, 24.0, 44.0, 30.0

KEPT, CLOSING, OPENING = "#b7cde8", "#f2b8ab", "#a9dcc2"
"""Colours of a room's life: kept, open until it closes, new from its opening."""


@dataclass
class _Row:
    label: str
    kind: str  # 'head', 'room', 'move', 'agg', 'effort'
    data: Any = None

    @property
    def height(self) -> float:
        """Headings and the effort row are taller than the others."""
        if self.kind == "head":
            return HEAD_H
        return EFFORT_H if self.kind == "effort" else ROW_H


@dataclass(frozen=True)
class _Frame:
    """The months shown, m0 to m1 (exclusive, month indices), and the chart's width."""

    m0: int
    m1: int

    @property
    def col(self) -> float:
        """The width of one month."""
        return CHART_W / (self.m1 - self.m0)

    @property
    def w(self) -> float:
        """The width of the whole chart."""
        return LABEL_W + CHART_W + 10

    def x(self, mi: float) -> float:
        """Pixel x of the start of month index ``mi``."""
        return LABEL_W + (mi - self.m0) * self.col


def gantt(v: PlanView) -> str | None:
    """The migration timeline: room lifecycles, then moves grouped by destination room,
    then the person-days of each monthly wave."""
    moves = v.moves
    if not moves and not any(r["decision"] in ("close", "open") for r in v.rooms):
        return None
    f = _Frame(*_months_shown(v))
    detailed = len(moves) <= DETAIL_LIMIT
    zone_colour = _zone_colours(moves)
    rows = _rows(v, detailed)
    body_h = sum(r.height for r in rows)
    h = AXIS_H + body_h + LEGEND_H + 8
    title = f"Migration timeline, {fmt.month(month_str(f.m0))} to {fmt.month(month_str(f.m1 - 1))}"
    out = svg_open(f.w, h, title, cls="chart gantt")
    out += _month_axis(f)
    out += _month_lines(f, AXIS_H + body_h)
    y = AXIS_H
    for row in rows:
        out += _draw_row(f, row, y, v, zone_colour)
        y += row.height
    out += _legend(y + 20, detailed, zone_colour)
    out.append("</svg>")
    return "\n".join(out)


def _months_shown(v: PlanView) -> tuple[int, int]:
    """The first month shown and the month after the last: from the plan's start to a
    month after its last event, cut at the end of the horizon."""
    events = [month_index(m) for m in v.event_months()]
    start = v.start_month
    m0 = month_index(start) if start is not None else min(events)
    m0 = min([m0, *events])
    m1 = max([m0 + 5, *events]) + 2  # exclusive; a month after the last event
    end = v.end_month
    if end is not None:
        m1 = min(m1, month_index(end) + 1)
        m1 = max(m1, max(events, default=m0) + 1)
    return m0, m1


def _zone_colours(moves: list[dict[str, Any]]) -> dict[str, str]:
    """A colour for each security zone that moves (all blue when there is one zone)."""
    zones = sorted({a.get("zone") or "" for a in moves})
    if len(zones) <= 1:
        return {z: BLUE for z in zones}
    return {z: PALETTE[i % len(PALETTE)] for i, z in enumerate(zones)}


def _rows(v: PlanView, detailed: bool) -> list[_Row]:
    """The chart's rows: rooms, then the moves into each destination room, then effort."""
    rows = [_Row("Machine rooms", "head")]
    rows += [_Row(r["id"], "room", data=r) for r in v.rooms if r["decision"] != "unused"]
    by_dest: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in v.moves:
        by_dest[a["to"]].append(a)
    order = {r["id"]: i for i, r in enumerate(v.rooms)}
    for d in sorted(by_dest, key=lambda d: (order.get(d, 10**6), d)):
        items = sorted(
            by_dest[d], key=lambda a: (month_index(a["month"]), a["from"], a["workload"])
        )
        rows.append(_Row(f"Moves into {d} ({len(items)})", "head"))
        if detailed:
            rows += [_Row(a["workload"], "move", data=a) for a in items]
            continue
        by_src: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in items:
            by_src[a["from"]].append(a)
        for src in sorted(by_src, key=lambda s: (order.get(s, 10**6), s)):
            rows.append(_Row(f"from {src} ({len(by_src[src])})", "agg", data=(src, d, by_src[src])))
    if v.waves:
        rows.append(_Row("Migration effort", "head"))
        rows.append(_Row("person-days a month", "effort"))
    return rows


def _month_axis(f: _Frame) -> list[str]:
    """Financial years along the top, month letters below (every month when there is room,
    else every third or sixth)."""
    out = []
    y_fy, y_m = 14.0, 32.0
    bounds = [f.m0, *(mi for mi in range(f.m0 + 1, f.m1) if mi % 12 == 3), f.m1]
    for fa, fb in itertools.pairwise(bounds):
        if (fb - fa) * f.col >= 44:
            out.append(
                svg_text(
                    (f.x(fa) + f.x(fb)) / 2,
                    y_fy,
                    fy_of(month_str(fa)),
                    anchor="middle",
                    weight="600",
                    fill=MUTED,
                )
            )
    step = 1 if f.col >= 12 else (3 if f.col >= 5 else 6)
    for mi in range(f.m0, f.m1):
        if (mi - f.m0) % step == 0 or mi % 12 == 3:
            letter = fmt.MONTHS[mi % 12]
            label = letter[0] if f.col < 22 and step == 1 else letter
            out.append(
                svg_text(
                    f.x(mi) + (f.col / 2 if step == 1 else 2),
                    y_m,
                    label,
                    anchor="middle" if step == 1 else "start",
                    size=10,
                    fill=MUTED,
                )
            )
    return out


def _month_lines(f: _Frame, body_bottom: float) -> list[str]:
    """A darker line at the start of each financial year (April), light ones between months."""
    out = []
    for mi in range(f.m0, f.m1 + 1):
        strong = mi % 12 == 3
        if strong or f.col >= 8:
            top_y = AXIS_H - 18 if strong else AXIS_H
            out.append(
                f'<line x1="{coord(f.x(mi))}" x2="{coord(f.x(mi))}" y1="{coord(top_y)}" '
                f'y2="{coord(body_bottom)}" stroke="{AXIS if strong else GRID}" '
                f'stroke-width="{1.2 if strong else 0.6}"/>'
            )
    return out


def _draw_row(
    f: _Frame, row: _Row, y: float, v: PlanView, zone_colour: dict[str, str]
) -> list[str]:
    """One row of the chart, its top at ``y``."""
    mid = y + row.height / 2 + 4
    if row.kind == "head":
        return [
            f'<rect x="0" y="{coord(y + 2)}" width="{coord(f.w)}" '
            f'height="{coord(row.height - 4)}" fill="#f1f4f8"/>',
            svg_text(6, mid, row.label, weight="700", size=11.5),
        ]
    if row.kind == "room":
        return [svg_text(16, mid, _clip(row.label, 34), size=11), *_room_life(f, row.data, y)]
    if row.kind == "move":
        a = row.data
        label = _clip(f"{a['workload']}  ← {a['from']}", 38)
        return [svg_text(16, mid, label, size=11), _move_bar(f, a, y, zone_colour)]
    if row.kind == "agg":
        return [svg_text(16, mid, _clip(row.label, 38), size=11), *_monthly_moves(f, row.data, y)]
    return [svg_text(16, mid, row.label, size=11, fill=MUTED), *_effort(f, v, y)]


def _room_life(f: _Frame, r: dict[str, Any], y: float) -> list[str]:
    """A room's bar from today (or its opening) to the end (or its closing), with a note."""
    rh, mid = ROW_H, y + ROW_H / 2 + 4
    ra, rb, colour, note = f.m0, f.m1, KEPT, "kept"
    if r["decision"] == "close" and r.get("close_month"):
        rb, colour = month_index(r["close_month"]), CLOSING
        note = f"closes {fmt.month(r['close_month'])}"
    elif r["decision"] == "open" and r.get("open_month"):
        ra, colour = month_index(r["open_month"]), OPENING
        note = f"opens {fmt.month(r['open_month'])}"
    ra, rb = max(ra, f.m0), min(rb, f.m1)
    out = [
        f'<rect x="{coord(f.x(ra))}" y="{coord(y + 4)}" '
        f'width="{coord(max(1.0, f.x(rb) - f.x(ra)))}" '
        f'height="{coord(rh - 8)}" fill="{colour}" rx="2"><title>{esc(r["id"])}: '
        f"{esc(note)}</title></rect>"
    ]
    text_w = 5.6 * len(note)  # 10px text, roughly
    if r["decision"] == "close":
        if f.x(rb) + 4 + text_w <= f.w:
            out.append(svg_text(f.x(rb) + 4, mid, note, size=10, fill=RED))
        else:  # no room after the bar: inside its end
            out.append(svg_text(f.x(rb) - 4, mid, note, size=10, fill="#8f2410", anchor="end"))
    elif r["decision"] == "open":
        if f.x(ra) - 4 - text_w >= LABEL_W:
            out.append(svg_text(f.x(ra) - 4, mid, note, size=10, fill=GREEN, anchor="end"))
        else:
            out.append(svg_text(f.x(ra) + 4, mid, note, size=10, fill="#005a30"))
    return out


def _move_bar(f: _Frame, a: dict[str, Any], y: float, zone_colour: dict[str, str]) -> str:
    """One workload's move: a block in its month, coloured by zone, with a tooltip."""
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
        + (f", {fmt.gbp(a['migration_cost'])}" if a.get("migration_cost") is not None else "")
    )
    return (
        f'<rect x="{coord(f.x(t) + 0.5)}" y="{coord(y + 4)}" '
        f'width="{coord(max(2.0, f.col - 1))}" height="{coord(ROW_H - 8)}" '
        f'fill="{colour}" rx="2"><title>{esc(tip)}</title></rect>'
    )


def _monthly_moves(f: _Frame, data: tuple[str, str, list[dict[str, Any]]], y: float) -> list[str]:
    """The moves from one room into another: a grey span from the first month to the last,
    a block for each month with moves (darker for more), with the count when it fits."""
    src, dst, items = data
    rh, mid = ROW_H, y + ROW_H / 2 + 4
    per_month: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in items:
        per_month[month_index(a["month"])].append(a)
    first, last = min(per_month), max(per_month)
    out = [
        f'<rect x="{coord(f.x(first))}" y="{coord(y + 8)}" '
        f'width="{coord(f.x(last + 1) - f.x(first))}" height="{coord(rh - 16)}" '
        f'fill="{GRID}"/>'
    ]
    most = max(len(x) for x in per_month.values())
    for t, batch in sorted(per_month.items()):
        opacity = 0.45 + 0.55 * len(batch) / most
        names = ", ".join(a["workload"] for a in batch[:12]) + (
            f" and {len(batch) - 12} more" if len(batch) > 12 else ""
        )
        tip = f"{fmt.month(month_str(t))}: {len(batch)} from {src} to {dst}: {names}"
        out.append(
            f'<rect x="{coord(f.x(t) + 0.5)}" y="{coord(y + 3)}" '
            f'width="{coord(max(2.0, f.col - 1))}" height="{coord(rh - 6)}" fill="{BLUE}" '
            f'fill-opacity="{opacity:.2f}" rx="2"><title>{esc(tip)}</title></rect>'
        )
        if f.col >= 14:
            out.append(
                svg_text(
                    f.x(t) + f.col / 2,
                    mid - 0.5,
                    str(len(batch)),
                    size=9.5,
                    anchor="middle",
                    fill="#fff",
                    weight="600",
                )
            )
    return out


def _effort(f: _Frame, v: PlanView, y: float) -> list[str]:
    """The person-days of each monthly wave, as bars scaled to the busiest month."""
    rh = EFFORT_H
    effort_max = max((float(wv.get("days") or 0) for wv in v.waves), default=0.0) or 1.0
    out = []
    for mstr, wv in {wv["month"]: wv for wv in v.waves}.items():
        t = month_index(mstr)
        if not f.m0 <= t < f.m1:
            continue
        days = float(wv.get("days") or 0)
        bh = (rh - 10) * days / effort_max
        n_wl = len(wv.get("workloads") or [])
        tip = f"{fmt.month(mstr)}: {fmt.plural(n_wl, 'workload')}, {fmt.num(days)} person-days" + (
            f", {fmt.gbp(wv['cost'])}" if wv.get("cost") is not None else ""
        )
        out.append(
            f'<rect x="{coord(f.x(t) + 1)}" y="{coord(y + rh - 3 - bh)}" '
            f'width="{coord(max(2.0, f.col - 2))}" height="{coord(max(1.0, bh))}" '
            f'fill="{TEAL}"><title>{esc(tip)}</title></rect>'
        )
        if f.col >= 18:
            out.append(
                svg_text(
                    f.x(t) + f.col / 2,
                    y + rh - 5 - bh,
                    fmt.num(days),
                    size=9,
                    anchor="middle",
                    fill=MUTED,
                )
            )
    return out


def _legend(ly: float, detailed: bool, zone_colour: dict[str, str]) -> list[str]:
    """What the colours mean, in one line under the chart."""
    items: list[tuple[str, str]] = [
        (KEPT, "room kept"),
        (CLOSING, "room open until it closes"),
        (OPENING, "new room, from opening"),
    ]
    if detailed:
        if len(zone_colour) > 1:
            items += [(c, f"move, zone {z}") for z, c in zone_colour.items()]
        else:
            items.append((BLUE, "move (one month)"))
    else:
        items.append((BLUE, "moves that month (darker: more)"))
    out = []
    x = 6.0
    for colour, text in items:
        out.append(
            f'<rect x="{coord(x)}" y="{coord(ly - 9)}" width="12" height="10" '
            f'fill="{colour}" rx="2"/>'
        )
        out.append(svg_text(x + 16, ly, text, size=10.5, fill=MUTED))
        x += 16 + 6.2 * len(text) + 18
    return out


def _clip(s: str, n: int) -> str:
    """``s`` cut to ``n`` characters with an ellipsis."""
    return s if len(s) <= n else s[: n - 1] + "…"
