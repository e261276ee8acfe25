"""`planner schema [--plan] [--out FILE]`: the JSON Schema of an inventory YAML file or of
plan.json."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from planner.cli.app import app
from planner.cli.common import console, fail
from planner.inventory.schema import file_schema
from planner.planfile import plan_schema


@app.command()
def schema(
    plan: bool = typer.Option(
        False, "--plan", help="The schema of plan.json instead (docs/plan-format.md)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write the schema to this file (default: print it)."
    ),
) -> None:
    """Write the JSON Schema of one inventory YAML file, for editors to validate as you type;
    with --plan, the JSON Schema of plan.json, for tools that read or write plans.

    Every key is optional in one inventory file (files are merged); the fields of each
    item carry their descriptions, units and defaults. In the plan's schema each key's
    x-plan says whether it is core, ext (planner's extension) or opt.

    Examples:  planner schema --out inventory.schema.json
    then, in VS Code with the YAML extension, start a file with
    # yaml-language-server: $schema=inventory.schema.json

               planner schema --plan --out plan.schema.json
    """
    text = json.dumps(plan_schema() if plan else file_schema(), indent=2, sort_keys=False) + "\n"
    if out is None:
        console.print(text, markup=False, end="")
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        console.print(f"wrote {out}", markup=False)
