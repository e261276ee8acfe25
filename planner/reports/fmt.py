"""Number, money and month formats shared by the reports (British English, GBP)."""

from __future__ import annotations

import re

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DASH = "—"


def gbp(x: float | None, *, signed: bool = False, pence: bool = False) -> str:
    """£1,234,567 / -£130,000 (``signed``: +£ for gains); '—' for unknown."""
    if x is None:
        return DASH
    text = f"{abs(x):,.2f}" if pence else f"{abs(round(x)):,.0f}"
    if round(x, 2 if pence else 0) == 0:
        return f"£{text}"
    sign = "-" if x < 0 else ("+" if signed else "")
    return f"{sign}£{text}"


def gbp_short(x: float | None, *, signed: bool = False) -> str:
    """£1.23m / £456k / £950 / £1.16bn for headline figures and chart labels."""
    if x is None:
        return DASH
    a = abs(x)
    if a >= 999_500_000:
        text = f"£{a / 1e9:.2f}bn"
    elif a >= 99_950_000:
        text = f"£{a / 1e6:.0f}m"
    elif a >= 9_995_000:
        text = f"£{a / 1e6:.1f}m"
    elif a >= 999_500:
        text = f"£{a / 1e6:.2f}m"
    elif a >= 10_000:
        text = f"£{a / 1e3:.0f}k"
    elif a >= 1_000:
        text = f"£{a / 1e3:.1f}k"
    else:
        text = f"£{a:.0f}"
    if text in ("£0", "£0.0k"):
        return "£0"
    sign = "-" if x < 0 else ("+" if signed else "")
    return sign + text


def gbp_tick(x: float) -> str:
    """Axis labels: like gbp_short without trailing zeros (£250m, £1.25bn, -£200k)."""
    a = abs(x)
    for unit, div in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if a >= div:
            text = f"{a / div:.2f}".rstrip("0").rstrip(".")
            return ("-" if x < 0 else "") + f"£{text}{unit}"
    text = f"{a:.0f}"
    return "£0" if text == "0" else ("-" if x < 0 else "") + f"£{text}"


def num(x: float | None, *, signed: bool = False) -> str:
    """FTE and counts: 9, 5.2, 4.25 (up to two decimals, no trailing zeros)."""
    if x is None:
        return DASH
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if signed and x > 0 and text != "0":
        text = "+" + text
    return text


def plural(n: int, word: str, many: str = "") -> str:
    """'1 workload', '3 workloads'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def month(m: str | None) -> str:
    """'2027-10' -> 'Oct 2027'; None -> '—'."""
    if not m:
        return DASH
    y, mm = m.split("-")
    return f"{MONTHS[int(mm) - 1]} {y}"


def change_pct(before: float | None, after: float | None) -> str:
    """'-23%': the change from ``before`` to ``after`` ('' when it cannot be said)."""
    if before is None or after is None or before == 0:
        return ""
    return f"{(after - before) / before * 100:+.0f}%"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_AMP = re.compile(r"&(?=[#A-Za-z0-9])")


def md(text: object) -> str:
    """Escape user text for markdown (CommonMark backslash escapes; no raw HTML survives)."""
    s = " ".join(str(text).split())
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _MD_AMP.sub(r"\\&", s)
