"""Read CSV files and XLSX workbooks into the raw documents a YAML file would have held.

``rooms.csv`` (or a sheet named ``rooms`` in a workbook) has one row per room and one
column per field. List fields hold ``;``-separated values (``users:
guildhall;county-hall``); ``depends_on`` cells hold ``workload:max_latency_ms``
entries; ``upgrades`` cells hold ``accreditation:cost[:annual_cost[:lead_months]]``
entries; ``separate`` has columns ``a`` and ``b``; the ``estate`` section is a single
row. Each row becomes a :class:`~planner.inventory.raw.LineDict` with its line (CSV)
or row number (XLSX).

CSV text cells that a spreadsheet would run as a formula (starting ``=``, ``+``,
``-`` or ``@``) are written with a leading apostrophe by :func:`csv_escape`, and
:func:`csv_unescape` removes exactly that apostrophe when the file is read back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import types
import typing
import warnings
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.items import SECTIONS, Estate
from planner.inventory.raw import LineDict, decode, file_problem

_FORMULA = re.compile(r"'*[=+\-@]")
"""Text a spreadsheet could run as a formula, behind any apostrophes already there."""


def csv_escape(text: str) -> str:
    """Text for a CSV cell that a spreadsheet shows as text: ``=1+1`` -> ``'=1+1``.

    Text starting with ``=``, ``+``, ``-`` or ``@`` (after any apostrophes, so that
    ``'=x`` itself reads back unchanged) gets one more leading apostrophe, the usual
    defence against formula injection. Numbers are never passed here: -5 stays -5."""
    return "'" + text if _FORMULA.match(text) else text


def csv_unescape(text: str) -> str:
    """Undo :func:`csv_escape`: one leading apostrophe goes from text that needed it."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text


# --------------------------------------------------------------------------- rows


def _field_types(model: type[BaseModel]) -> tuple[set[str], set[str]]:
    """Names of the fields whose type is a list, and of those whose type is text."""
    lists, texts = set(), set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = typing.get_args(ann) if isinstance(ann, types.UnionType) else (ann,)
        if any(typing.get_origin(a) is list for a in args):
            lists.add(name)
        if str in args:
            texts.add(name)
    return lists, texts


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_cell(value: Any) -> list[str]:
    text = _cell_text(value)
    return [part.strip() for part in text.split(";") if part.strip()]


def _parse_dependencies(value: Any) -> list[Any]:
    """'wl-a:2;wl-b:5' -> [{'workload': 'wl-a', 'max_latency_ms': '2'}, ...]."""
    entries: list[Any] = []
    for part in _split_cell(value):
        workload, sep, latency = part.rpartition(":")
        if not sep:
            entries.append(part)  # reported by the model: a dependency needs a latency
            continue
        entries.append({"workload": workload.strip(), "max_latency_ms": latency.strip()})
    return entries


UPGRADE_PARTS = ("accreditation", "cost", "annual_cost", "lead_months")


def _parse_upgrades(value: Any) -> list[Any]:
    """'dspt:50000:10000:9' -> [{'accreditation': 'dspt', 'cost': '50000', ...}]."""
    entries: list[Any] = []
    for part in _split_cell(value):
        fields = [f.strip() for f in part.split(":")]
        if len(fields) > len(UPGRADE_PARTS):
            entries.append(part)  # reported by the model: not an upgrade
            continue
        entries.append(dict(zip(UPGRADE_PARTS, fields, strict=False)))
    return entries


def row_to_item(section: str, row: dict[str, Any], line: int) -> LineDict:
    """Turn one CSV/XLSX row into the mapping a YAML file would have held."""
    model = Estate if section == "estate" else SECTIONS[section]
    list_fields, str_fields = _field_types(model)
    item = LineDict()
    item.line = line
    for key, value in row.items():
        if key is None or value is None:
            continue
        key = str(key).strip()
        if isinstance(value, str) and not value.strip():
            continue
        if isinstance(value, dt.datetime):
            value = value.date()
        if key == "depends_on":
            item[key] = _parse_dependencies(value)
        elif key == "upgrades":
            item[key] = _parse_upgrades(value)
        elif key in list_fields:
            item[key] = _split_cell(value)
        elif key in str_fields and isinstance(value, int | float) and not isinstance(value, bool):
            item[key] = _cell_text(value)
        else:
            item[key] = value
    return item


def _table_rows(section: str, rows: list[tuple[int, dict[str, Any]]]) -> list[Any]:
    """(line, row) pairs -> the list a YAML file would have held under ``section``.

    Rows of a file or sheet that names no list section are kept as they are; the
    loader reports the unknown section.
    """
    if section not in SECTIONS:
        out: list[Any] = []
        for line, row in rows:
            raw = LineDict(row)
            raw.line = line
            out.append(raw)
        return out
    return [row_to_item(section, row, line) for line, row in rows]


def _section(path: Path, section: str, rows: list[tuple[int, dict[str, Any]]]) -> Any:
    """The rows of one file or sheet as the document's value under ``section``; None (with
    the finding added by the caller) when an estate table has other than one row."""
    if section == "estate":
        if len(rows) != 1:
            return None
        line, row = rows[0]
        return row_to_item("estate", row, line)
    return _table_rows(section, rows)


# --------------------------------------------------------------------------- CSV


def read_csv(path: Path, findings: Findings) -> dict[str, Any]:
    """The document one CSV file stands for: ``{<file stem>: rows}``."""
    section = path.stem
    text = decode(path, findings, "save the file as UTF-8 CSV")
    if "\0" in text:
        findings.add(
            file_problem(
                path, "encoding", "the file contains NUL bytes", "save it again as plain UTF-8 CSV"
            )
        )
        return {}
    reader = csv.DictReader(io.StringIO(text))
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        start = 2
        for row in reader:
            rows.append((start, {k: _unescaped(v) for k, v in row.items()}))
            start = reader.line_num + 1
    except csv.Error as exc:
        findings.add(
            Finding(
                "error",
                "csv-syntax",
                Location(path.name, reader.line_num),
                "file",
                None,
                None,
                f"CSV syntax error: {exc}",
                "check the quoting on that line",
            )
        )
        return {}
    rows = [(n, r) for n, r in rows if any(isinstance(v, str) and v.strip() for v in r.values())]
    value = _section(path, section, rows)
    if value is None:
        findings.add(
            file_problem(
                path,
                "estate-rows",
                f"estate.csv must have exactly one row, has {len(rows)}",
                "keep one row of estate settings",
            )
        )
        return {}
    return {section: value}


def _unescaped(value: Any) -> Any:
    """A CSV cell as written before :func:`csv_escape` (surplus cells come as a list)."""
    if isinstance(value, str):
        return csv_unescape(value)
    if isinstance(value, list):
        return [_unescaped(v) for v in value]
    return value


# --------------------------------------------------------------------------- XLSX


def read_xlsx(path: Path, findings: Findings) -> dict[str, Any]:
    """The document one workbook stands for: ``{<sheet title>: rows}`` for every sheet."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable workbook is the user's file, not our bug
        findings.add(
            file_problem(
                path,
                "xlsx-unreadable",
                f"cannot read the workbook: {exc}",
                "save it again as .xlsx from Excel or LibreOffice",
            )
        )
        return {}
    data: dict[str, Any] = {}
    try:
        for sheet in book.worksheets:
            section = sheet.title.strip()
            try:
                with warnings.catch_warnings():  # e.g. a date cell out of range: read as text
                    warnings.simplefilter("ignore")
                    rows = _sheet_rows(sheet)
            except Exception as exc:  # a damaged sheet is the user's file, not our bug
                findings.add(
                    file_problem(
                        path,
                        "xlsx-unreadable",
                        f"cannot read sheet '{section}': {exc}",
                        "save it again as .xlsx from Excel or LibreOffice",
                    )
                )
                continue
            if rows is None:
                continue
            value = _section(path, section, rows)
            if value is None:
                findings.add(
                    file_problem(
                        path,
                        "estate-rows",
                        f"sheet 'estate' must have exactly one row, has {len(rows)}",
                        "keep one row of settings",
                    )
                )
                continue
            data[section] = value
    finally:
        book.close()
    return data


def _sheet_rows(sheet: Any) -> list[tuple[int, dict[str, Any]]] | None:
    """(row number, {column: value}) of a sheet's non-empty rows; None for an empty sheet."""
    values = list(sheet.iter_rows(values_only=True))
    while values and all(v is None for v in values[-1]):
        values.pop()
    if not values:
        return None
    header = [str(h).strip() if h is not None else None for h in values[0]]
    rows = [
        (n, {h: v for h, v in zip(header, row, strict=False) if h is not None})
        for n, row in enumerate(values[1:], start=2)
    ]
    return [(n, r) for n, r in rows if any(v is not None and str(v).strip() for v in r.values())]
