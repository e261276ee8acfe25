"""What is wrong in an inventory, each naming file, item and field, and saying how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


def printable(text: str) -> str:
    """``text`` with every character that is not printable written as an escape.

    Control characters (ESC, BEL, NUL, ...), format characters (zero-width spaces,
    right-to-left overrides), separators other than the space and unassigned code
    points become ``\\x1b``, ``\\u202e``, ... so that text from an inventory file
    can neither drive the terminal nor hide what it says.
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


@dataclass(frozen=True, order=True)
class Location:
    """Where an item (or a whole file) was read from."""

    file: str
    """Path of the file, relative to the estate directory."""
    line: int | None = None
    """1-based line (YAML, CSV) or row (XLSX), when known."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class Finding:
    """One thing wrong (error) or suspicious (warning) in an inventory."""

    severity: Severity
    code: str
    """Stable short name of the check, e.g. 'dangling-reference'."""
    where: Location
    section: str
    """Top-level key the item is in: 'rooms', 'workloads', 'estate', ..."""
    item: str | None
    """The item's id (or a label such as 'links[3]' for items without one)."""
    field: str | None
    """The field at fault, e.g. 'racks' or 'depends_on[0].workload'."""
    message: str
    fix: str = ""

    def render(self) -> str:
        """One line for people: file:line: section 'id' field 'f': message. Fix: ...

        Characters that are not printable (from ids, names or file names) are escaped
        (:func:`printable`): a finding is always one line of plain text."""
        parts = [f"{self.where}: {self.severity}: {self.section}"]
        if self.item is not None:
            parts.append(f" '{self.item}'")
        if self.field:
            parts.append(f" field '{self.field}'")
        parts.append(f": {self.message}")
        if self.fix:
            parts.append(f" Fix: {self.fix}")
        parts.append(f" [{self.code}]")
        return printable("".join(parts))


@dataclass
class Findings:
    """An ordered collection of findings, collected before any is reported."""

    items: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.items.append(finding)

    def extend(self, findings: list[Finding]) -> None:
        self.items.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [p for p in self.items if p.severity == "warning"]

    def __len__(self) -> int:
        return len(self.items)


class InvalidEstate(Exception):
    """Raised by callers that need a valid estate (optimise, check) when it is not."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        errors = [p for p in findings if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the estate")
