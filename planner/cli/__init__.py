"""The `planner` command line: one typer app, one module per command.

Exit codes (spec/cli.md): 0 success; 1 `check` found violations or a bench
result is impossible; 2 invalid input or usage; 3 no feasible plan.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="planner",
    help=(
        "Plan the consolidation of a shared ICT service: which machine rooms and service "
        "desks stay, where every workload goes, and the month-by-month migration.\n\n"
        "Start with:  planner validate inventories/tiny"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)

# Importing the command modules registers their commands on `app`.
from planner.cli import commands  # noqa: E402,F401


def main() -> None:
    """Console-script entry point."""
    app()
