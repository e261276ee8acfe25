"""The `planner` command line: one typer app, one module per command.

Exit codes (spec/cli.md, docs/cli.md): 0 success; 1 `check` found violations or a
bench result is impossible; 2 invalid input or usage; 3 no feasible plan; 70 a
planner bug (the independent checker rejected the optimiser's plan; nothing was
written); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

from planner.cli import commands  # noqa: F401  (importing the commands registers them)
from planner.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
