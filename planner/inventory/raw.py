"""Raw documents: what the file readers hand on before any model sees them.

A YAML file, a CSV file or an XLSX sheet becomes plain mappings and lists whose
containers remember the line they started on (:class:`LineDict`,
:class:`LineList`), and a value the YAML reader could not construct stays as a
:class:`BadValue` (reported once, by the reader). This module also holds what every
reader shares: decoding a file's bytes and describing a value in the words of the
format.
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any

from planner.inventory.findings import Finding, Findings, Location


class LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on (and, from YAML, each key's line)."""

    line: int = 0
    key_lines: dict[str, int] | None = None


class LineList(list[Any]):
    """A sequence that remembers the line it started on."""

    line: int = 0


class BadValue(str):
    """A scalar the YAML reader could not construct (``2026-02-30``, ``!!float nope``).

    It stands in the document as its text, so the rest of the item still loads; the
    reader reports it once, with its own line and field, and the model's complaint
    about the same value is dropped (:func:`planner.inventory.parse.model_findings`).
    """

    line: int | None
    """1-based line of the value."""
    message: str
    """What is wrong with it, for the finding."""
    fix: str
    """How to fix it, for the finding."""
    code: str
    """The finding's code."""

    def __new__(
        cls, text: str, line: int | None, message: str, fix: str, code: str = "yaml-value"
    ) -> BadValue:
        value = super().__new__(cls, text)
        value.line = line
        value.message = message
        value.fix = fix
        value.code = code
        return value


def item_label(section: str, raw: Any, index: int) -> str:
    """How findings name a raw item: its id when it has a usable one, else 'rooms[3]'."""
    if isinstance(raw, dict):
        ident = raw.get("id")
        if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
            return str(ident).strip()
    return f"{section}[{index}]"


class _Shortly(reprlib.Repr):
    """reprlib for raw documents: the line-tagged containers are cut short like their
    plain types, so that a value repeated by aliases (a 'billion laughs' file) is never
    written out in full."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = 40
        self.maxother = 40

    def repr_LineList(self, x: list[Any], level: int) -> str:
        return self.repr_list(x, level)

    def repr_LineDict(self, x: dict[Any, Any], level: int) -> str:
        return self.repr_dict(x, level)

    def repr_BadValue(self, x: str, level: int) -> str:
        return self.repr_str(x, level)


_SHORTLY = _Shortly()


def shown(value: Any, limit: int = 60) -> str:
    """A raw value as a message shows it: its repr, bounded however large the value."""
    text = _SHORTLY.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def line_of(obj: Any) -> int | None:
    """The line a raw mapping, list or bad value started on, when known."""
    if isinstance(obj, LineDict | LineList | BadValue):
        return obj.line
    return None


def key_line(mapping: Any, key: str) -> int | None:
    """Line of a key in a YAML mapping, when known."""
    lines = mapping.key_lines if isinstance(mapping, LineDict) else None
    return lines.get(key) if lines else None


def kind(value: Any) -> str:
    """What a raw value is, in the words of the format: 'a mapping', 'a list', 'text'..."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text ({value!r})" if len(value) <= 40 else "text"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({value})"
    return f"{type(value).__name__} ({shown(value, 40)})"


def file_problem(path: Path, code: str, message: str, fix: str) -> Finding:
    """An error about a whole file (no line, item or field)."""
    return Finding("error", code, Location(path.name), "file", None, None, message, fix)


def decode(path: Path, findings: Findings, fix: str) -> str:
    """The file's text. Bytes that are not UTF-8 are reported (with their line) and read
    as U+FFFD, so one accented letter in a name does not hide the rest of the file."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end]
        findings.add(
            Finding(
                "error",
                "encoding",
                Location(path.name, line),
                "file",
                None,
                None,
                f"not UTF-8 text: byte {bad.hex(' ')} at offset {exc.start} ({exc.reason}); "
                "it was read as the replacement character U+FFFD",
                fix,
            )
        )
        return data.decode("utf-8-sig", errors="replace")
