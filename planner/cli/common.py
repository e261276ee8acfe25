"""What the commands share: consoles, exit codes, loading an estate or exiting 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.text import Text

from planner.inventory.findings import Finding
from planner.inventory.load import Loaded
from planner.inventory.validate import load_and_validate

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INVALID = 2
EXIT_INFEASIBLE = 3
EXIT_BUG = 70
"""The independent checker rejected the optimiser's own plan (nothing was written)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT, as shells report it); nothing was written."""

console = Console(highlight=False, soft_wrap=True)
"""Output for people (stdout)."""
err = Console(stderr=True, highlight=False, soft_wrap=True)
"""Errors and progress (stderr)."""


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print an error for people and exit with ``code`` (2 = invalid input or usage)."""
    # The message is plain text (it often holds user paths and ids): never parse it as markup.
    err.print(Text.assemble(("error:", "bold red"), " ", message))
    raise typer.Exit(code)


def print_findings(findings: list[Finding], *, show_warnings: bool = True) -> None:
    for p in findings:
        if p.severity == "warning" and not show_warnings:
            continue
        style = "red" if p.severity == "error" else "yellow"
        err.print(p.render(), style=style, markup=False)


def load_valid_estate(path: Path, *, quiet: bool = False) -> Loaded:
    """Load and validate an estate; on any error print every problem and exit 2."""
    loaded = load_and_validate(path)
    if not loaded.ok:
        print_findings(loaded.findings.items)
        n = len(loaded.findings.errors)
        fail(f"{path}: {n} error(s); fix them and run `planner validate {path}` again")
    if not quiet and loaded.findings.warnings:
        print_findings(loaded.findings.warnings)
    return loaded


def is_terminal() -> bool:
    return sys.stderr.isatty()
