"""Open one RVTools export and hand out its sheets as a header and rows of cells.

An export is an ``.xlsx`` workbook (sheets ``vInfo``, ``vHost``, ``vCluster``,
``vDatastore``; others ignored) or a folder of RVTools CSV tabs
(``RVTools_tabvInfo.csv``, ...). Sheet and file names are found ignoring case.
Workbooks are read by python-calamine (the Rust calamine reader that pandas also
uses), values only, a row at a time: on a 12,761-VM vInfo sheet of 92 columns it
takes 1.0 s where openpyxl's read-only mode takes 9.5 s, which alone would spend
most of the 20 s a 20,000-VM import may take. It reads .xlsx, .xlsm and the
.xls older RVTools versions wrote. Nothing here raises on bad input: a
file that cannot be opened or read becomes a finding naming the file (and the
sheet and row where reading stopped), and the sheet counts as unread.

CSV tabs are read as UTF-8 with or without a byte-order mark (UTF-16 when the file
starts with its mark); other bytes are read as Windows-1252, which is what older
Windows tools write, and the export's notes say so. The delimiter is the one of
``,``, ``;`` or tab that the header line holds most of.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from planner.inventory.findings import Finding, Findings, Location

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_PREFIX = "rvtools_tab"

Row = tuple[int, Sequence[Any]]
"""(row number as a spreadsheet shows it, the row's cells)."""


@dataclass
class Tab:
    """One sheet of an export: where it is, its header and its rows (streamed once)."""

    file: str
    """The file as findings name it (the workbook, or the CSV file in the folder)."""
    sheet: str
    """The sheet's canonical name: vInfo, vHost, vCluster or vDatastore."""
    header: list[str]
    """The header cells as written (blank cells as '')."""
    rows: Iterator[Row]
    """The rows after the header, with their row numbers; blank rows are left out."""


@dataclass
class Source:
    """An export opened for reading; :meth:`tab` gives one sheet at a time."""

    path: Path
    shown: str
    """The export as findings and the report name it (the path as given)."""
    kind: str
    """'workbook' or 'CSV folder'."""
    findings: Findings
    notes: list[str] = field(default_factory=list)
    """Things the report should say about how the files were read (encodings)."""
    _book: CalamineWorkbook | None = None
    _csv_files: dict[str, Path] = field(default_factory=dict)

    def tab(self, sheet: str) -> Tab | None:
        """The sheet ``sheet`` (vInfo, ...), or None when the export does not hold it or it
        cannot be opened (then a finding says why)."""
        if self._book is not None:
            return self._workbook_tab(sheet)
        path = self._csv_files.get(f"{CSV_PREFIX}{sheet}.csv".lower())
        return None if path is None else self._csv_tab(path, sheet)

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None

    # ------------------------------------------------------------------ workbook

    def _workbook_tab(self, sheet: str) -> Tab | None:
        assert self._book is not None
        titles = {str(t).strip().lower(): t for t in self._book.sheet_names}
        title = titles.get(sheet.lower())
        if title is None:
            return None
        try:
            # Rows from the sheet's first row (so numbers are as a spreadsheet shows
            # them), cells from its first used column: columns are found by header.
            numbered = enumerate(self._book.get_sheet_by_name(title).iter_rows(), start=1)
        except Exception as exc:  # a damaged sheet is the user's file, not our bug
            self.findings.add(_file_error(self.shown, sheet, None, f"cannot read the sheet: {exc}"))
            return None
        rows = _guarded(numbered, self, sheet)
        first = next(rows, None)
        header = [] if first is None else [_header_cell(c) for c in first[1]]
        return Tab(self.shown, sheet, header, rows)

    # ------------------------------------------------------------------ CSV

    def _csv_tab(self, path: Path, sheet: str) -> Tab | None:
        shown = str(Path(self.shown) / path.name)
        text = self._decode(path, shown)
        if text is None:
            return None
        if "\0" in text:
            self.findings.add(
                _file_error(shown, sheet, None, "the file holds NUL bytes: it is not CSV text")
            )
            return None
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        rows = _guarded(_csv_rows(reader), self, sheet, shown)
        first = next(rows, None)
        header = [] if first is None else [_header_cell(c) for c in first[1]]
        return Tab(shown, sheet, header, rows)

    def _decode(self, path: Path, shown: str) -> str | None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.findings.add(
                _file_error(shown, None, None, f"cannot read the file: {exc.strerror or exc}")
            )
            return None
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16", errors="replace")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.notes.append(
                f"{shown} is not UTF-8; it was read as Windows-1252 (check accented names)"
            )
            return data.decode("cp1252", errors="replace")


def open_source(path: Path, findings: Findings) -> Source | None:
    """Open an export (a workbook or a folder of CSV tabs); None with a finding when it
    is neither or cannot be opened."""
    shown = str(path)
    if path.is_dir():
        return _open_folder(path, shown, findings)
    if not path.exists():
        findings.add(_file_error(shown, None, None, "no such file or folder"))
        return None
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        findings.add(
            _file_error(
                shown,
                None,
                None,
                f"'{path.suffix or path.name}' is not an RVTools export",
                "give the .xlsx (or .xls) workbook RVTools wrote, or the folder of its "
                "CSV tabs (RVTools_tabvInfo.csv, ...)",
            )
        )
        return None
    return _open_workbook(path, shown, findings)


def _open_workbook(path: Path, shown: str, findings: Findings) -> Source | None:
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # any unreadable workbook is the user's file, not our bug
        findings.add(
            _file_error(
                shown,
                None,
                None,
                f"cannot read the workbook: {exc or type(exc).__name__}",
                "export it again from RVTools, or save it again as .xlsx",
            )
        )
        return None
    return Source(path, shown, "workbook", findings, _book=book)


def _open_folder(path: Path, shown: str, findings: Findings) -> Source | None:
    try:
        files = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
    except OSError as exc:
        findings.add(_file_error(shown, None, None, f"cannot list the folder: {exc.strerror}"))
        return None
    tabs = {name: p for name, p in files.items() if name.startswith(CSV_PREFIX)}
    return Source(path, shown, "CSV folder", findings, _csv_files=tabs)


def _guarded(
    rows: Iterator[Row], source: Source, sheet: str, shown: str | None = None
) -> Iterator[Row]:
    """Drop blank rows; a read error mid-sheet becomes a finding naming the row after
    the last one read, and ends the sheet."""
    number = 0
    try:
        for number, cells in rows:
            if any(c is not None and c != "" for c in cells):
                yield number, cells
    except Exception as exc:  # a damaged sheet is the user's file, not our bug
        source.findings.add(
            _file_error(
                shown or source.shown,
                sheet,
                number + 1,
                f"cannot read the sheet past this row: {exc or type(exc).__name__}",
                "export it again from RVTools",
            )
        )


def _csv_rows(reader: Any) -> Iterator[Row]:
    """CSV records numbered by the line they start on (a quoted cell may span lines)."""
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def _header_cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _file_error(
    shown: str, sheet: str | None, row: int | None, message: str, fix: str = ""
) -> Finding:
    return Finding(
        "error",
        "export-unreadable",
        Location(shown, row),
        sheet or "export",
        None,
        None,
        message,
        fix or "export it again from RVTools",
    )
