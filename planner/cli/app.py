"""The `planner` typer application; each command module adds its command to it."""

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
