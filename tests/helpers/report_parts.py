"""Reading rendered reports back in tests: well-formed HTML, the rows of a plan.xlsx sheet."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

from openpyxl import load_workbook

from planner.reports import render_reports


class Balance(HTMLParser):
    """Checks that every element opened is closed, in order (void elements aside)."""

    VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "rect", "line", "path"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, tag
        assert self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def sheet_rows(plan: dict[str, Any], name: str) -> list[tuple[Any, ...]]:
    """The rows of one sheet of plan.xlsx (values only)."""
    wb = load_workbook(io.BytesIO(render_reports(plan)["plan.xlsx"]))
    return list(wb[name].iter_rows(values_only=True))
