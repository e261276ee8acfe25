"""The building blocks of report.html: escaping, table cells, tables, badges and cards.

Every string from the plan goes through ``e`` before it reaches the page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from planner.reports import fmt

DECISION_BADGE = {"keep": "keep", "close": "close", "open": "open", "unused": "unused"}


def e(s: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(str(s), quote=True)


def num_cell(text: str, value: float | None = None, cls: str = "") -> str:
    """A right-aligned figure; red when ``value`` is negative."""
    classes = ["num", cls] if cls else ["num"]
    if value is not None and value < 0 and round(value) != 0:
        classes.append("neg")
    return f'<td class="{" ".join(classes)}">{e(text)}</td>'


def money(x: float | None, cls: str = "") -> str:
    """A cell of pounds (whole pounds, red when negative)."""
    return num_cell(fmt.gbp(x), x, cls)


def table(
    headers: Iterable[tuple[str, str]],
    rows: Iterable[str],
    cls: str = "",
    foot: str = "",
) -> str:
    """``headers``: (escaped label, 'l'|'r'), none for a table without a header row;
    ``rows``: '<tr>...</tr>' strings."""
    th = "".join(
        f'<th scope="col" class="{"num" if a == "r" else ""}">{h}</th>' for h, a in headers
    )
    thead = f"<thead><tr>{th}</tr></thead>" if th else ""
    tfoot = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (
        f'<div class="table-wrap"><table class="{cls}">{thead}'
        f"<tbody>{''.join(rows)}</tbody>{tfoot}</table></div>"
    )


def badge(text: str, kind: str) -> str:
    """A coloured label: 'keep', 'close', 'worse off'..."""
    return f'<span class="badge {kind}">{e(text)}</span>'


def ids(items: Iterable[str]) -> str:
    """Identifiers as code, comma-separated ('—' for none)."""
    items = list(items)
    return ", ".join(f"<code>{e(i)}</code>" for i in items) if items else fmt.DASH


def card(label: str, value: str, sub: str = "", kind: str = "") -> str:
    """One headline card; ``value`` and ``sub`` are escaped HTML."""
    return (
        f'<div class="card {kind}"><div class="card-label">{e(label)}</div>'
        f'<div class="card-value">{value}</div>'
        + (f'<div class="card-sub">{sub}</div>' if sub else "")
        + "</div>"
    )


def arrow(a: str, b: str) -> str:
    """'before → after', kept on one line each side."""
    return (
        f'<span class="nw">{e(a)} <span class="arrow">→</span></span> '
        f'<span class="nw">{e(b)}</span>'
    )
