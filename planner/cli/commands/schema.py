"""`planner schema [--out FILE]`: the JSON Schema of one inventory YAML file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from planner.cli.app import app
from planner.cli.common import console, fail
from planner.inventory.schema import file_schema


@app.command()
def schema(
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write the schema to this file (default: print it)."
    ),
) -> None:
    """Write the JSON Schema of one inventory YAML file, for editors to validate as you type.

    Every key is optional in one file (files are merged); the fields of each item
    carry their descriptions, units and defaults.

    Example:  planner schema --out inventory.schema.json
    then, in VS Code with the YAML extension, start a file with
    # yaml-language-server: $schema=inventory.schema.json
    """
    text = json.dumps(file_schema(), indent=2, sort_keys=False) + "\n"
    if out is None:
        console.print(text, markup=False, end="")
    else:
        try:
            out.write_text(text)
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        console.print(f"wrote {out}", markup=False)
