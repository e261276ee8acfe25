"""report.html in Debian's headless Chromium: no console errors, no network, charts and
tables present, escaped names shown as text, and a non-blank full-page screenshot.

Chromium is driven over the DevTools protocol on a pipe (tests/helpers/chromium.py, standard
library only). The tests are skipped, saying why, when /usr/bin/chromium is absent,
unless PLANNER_REQUIRE_CHROMIUM=1 (as .ci/run sets), when they fail instead. The only
system package needed is Debian's `chromium` (no chromium-driver, no PyPI package).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from helpers.chromium import load_page, png_stats, require_chromium

from planner.reports import write_reports

PLANS = DATA / "plans"


@pytest.fixture(autouse=True)
def chromium_present() -> None:
    require_chromium()


EXPRESSIONS = {
    "svgs": "document.querySelectorAll('svg').length",
    "charts": "document.querySelectorAll('svg.chart').length",
    "gantt_bars": "document.querySelectorAll('svg.gantt rect').length",
    "tables": "document.querySelectorAll('table').length",
    "rows": "document.querySelectorAll('tbody tr').length",
    "scripts": "document.querySelectorAll('script').length",
    "h1": "document.querySelector('h1').textContent",
    "title": "document.title",
    "sections": "Array.from(document.querySelectorAll('section')).map(s => s.id)",
    "overflowing_cards": (
        "Array.from(document.querySelectorAll('.card-value'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    ),
    "page_wider_than_window": "document.documentElement.scrollWidth > window.innerWidth",
    "closed_details": "document.querySelectorAll('details:not([open])').length",
}


def render(name: str, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    plan = json.loads((PLANS / name / "plan.json").read_text(encoding="utf-8"))
    out = tmp_path / name
    out.mkdir()
    write_reports(plan, out)
    return plan, out / "report.html"


def check_screenshot(png: bytes, path: Path, width: int) -> None:
    path.write_bytes(png)
    stats = png_stats(png)
    assert stats.width == width
    assert stats.height > 600
    assert stats.colours > 50, f"{path} looks blank ({stats})"
    assert 0.02 < stats.ink < 0.95, f"{path} looks blank ({stats})"


@pytest.mark.parametrize("name", ["severnvale", "large"])
def test_feasible_report_in_chromium(name: str, tmp_path: Path) -> None:
    plan, html = render(name, tmp_path)
    page = load_page(html, expressions=EXPRESSIONS, shots={"full": None})
    print(f"{name}: {page.width}x{page.height}, screenshot {tmp_path / (name + '.png')}")
    assert page.errors == []
    assert page.requests == [page.url], "the page must load nothing but itself"
    v = page.values
    assert v["h1"] == plan["estate"]
    assert v["sections"] == [
        "headline",
        "rooms",
        "timeline",
        "finance",
        "partners",
        "staff",
        "security",
        "about",
    ]
    assert v["charts"] >= 4  # running cost, Gantt, savings by year, cumulative
    assert v["gantt_bars"] > 10
    assert v["tables"] >= 8
    assert v["rows"] >= len(plan["rooms"]) + len(plan["years"]) + len(plan["organisations"])
    assert v["scripts"] == 1
    assert v["overflowing_cards"] == 0
    assert v["page_wider_than_window"] is False
    if name == "large":
        assert v["closed_details"] > 0  # long move lists start collapsed
    check_screenshot(page.screenshots["full"], tmp_path / f"{name}.png", page.width)


def test_infeasible_report_in_chromium(tmp_path: Path) -> None:
    _plan, html = render("infeasible", tmp_path)
    page = load_page(html, expressions=EXPRESSIONS, shots={"full": None})
    assert page.errors == []
    assert page.requests == [page.url]
    assert page.values["sections"] == ["headline", "about"]
    assert page.values["tables"] >= 1
    check_screenshot(page.screenshots["full"], tmp_path / "infeasible.png", page.width)


def test_hostile_names_are_text_in_chromium(tmp_path: Path) -> None:
    plan, html = render("hostile", tmp_path)
    expressions = {
        **EXPRESSIONS,
        "images": "document.querySelectorAll('img').length",
        "bold": "document.querySelectorAll('main b, main i').length",
        "text": "document.body.innerText",
    }
    page = load_page(html, expressions=expressions, shots={"top": (0, 900)})
    assert page.errors == []  # an executed alert() or a blocked script would show here
    assert page.requests == [page.url]
    v = page.values
    assert v["h1"] == plan["estate"]
    assert v["title"].startswith(plan["estate"])
    assert v["scripts"] == 1
    assert v["images"] == 0
    assert v["bold"] == 0
    assert "<script>alert(1)</script>" in v["text"]
    assert "<img src=x onerror=alert(2)>" in v["text"]
    check_screenshot(page.screenshots["top"], tmp_path / "hostile.png", page.width)


def test_print_layout_in_chromium(tmp_path: Path) -> None:
    """With print media the navigation is hidden and every move list is open."""
    _, html = render("large", tmp_path)
    expressions = {
        "nav_hidden": "getComputedStyle(document.querySelector('nav')).display === 'none'",
        "page_wider_than_window": "document.documentElement.scrollWidth > window.innerWidth",
        "open_after_print": (
            "window.dispatchEvent(new Event('beforeprint')),"
            "document.querySelectorAll('details:not([open])').length"
        ),
        "closed_after_afterprint": (
            "window.dispatchEvent(new Event('afterprint')),"
            "document.querySelectorAll('details:not([open])').length"
        ),
    }
    page = load_page(
        html, expressions=expressions, print_media=True, width=703, shots={"print": (0, 1500)}
    )
    assert page.errors == []
    assert page.values["nav_hidden"] is True
    assert page.values["page_wider_than_window"] is False
    assert page.values["open_after_print"] == 0
    assert page.values["closed_after_afterprint"] > 0
    check_screenshot(page.screenshots["print"], tmp_path / "print.png", page.width)


@pytest.mark.parametrize("width", [390])
def test_narrow_screen_in_chromium(width: int, tmp_path: Path) -> None:
    _, html = render("severnvale", tmp_path)
    page = load_page(html, width=width, expressions=EXPRESSIONS, shots={"top": (0, 1200)})
    assert page.errors == []
    assert page.values["page_wider_than_window"] is False
    check_screenshot(page.screenshots["top"], tmp_path / "narrow.png", page.width)
