"""`planner validate ESTATE_DIR`: load an estate and list every problem at once."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from planner.cli.app import app
from planner.cli.common import EXIT_INVALID, console, print_findings
from planner.inventory.findings import printable
from planner.inventory.validate import load_and_validate


@app.command()
def validate(
    estate_dir: Path = typer.Argument(
        ..., help="Estate directory (YAML/CSV/XLSX files) or one XLSX workbook."
    ),
    no_warnings: bool = typer.Option(False, "--no-warnings", help="Show errors only."),
) -> None:
    """Load and check an estate; list every problem at once, each naming file, item and field.

    Exit 0 when the estate is valid (warnings allowed), 2 when it is not.

    Example:  planner validate inventories/cheshire
    """
    loaded = load_and_validate(estate_dir)
    shown = escape(printable(str(estate_dir)))  # never markup, never a control character
    print_findings(loaded.findings.items, show_warnings=not no_warnings)
    inv = loaded.inventory
    errors, warnings = len(loaded.findings.errors), len(loaded.findings.warnings)
    if errors:
        console.print(f"{shown}: [bold red]invalid[/]: {errors} error(s), {warnings} warning(s)")
        raise typer.Exit(EXIT_INVALID)
    console.print(
        f"{shown}: [bold green]valid[/] - {escape(printable(inv.estate.name))}: "
        f"{len(inv.organisations)} organisations, {len(inv.sites)} sites, "
        f"{len(inv.rooms)} rooms, {len(inv.service_desks)} desks, "
        f"{len(inv.workloads)} workloads ({warnings} warning(s))"
    )
