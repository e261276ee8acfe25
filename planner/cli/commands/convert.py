"""`planner convert ESTATE --to yaml|csv|xlsx --out PATH`: rewrite an estate in another format."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from planner.cli.app import app
from planner.cli.common import EXIT_INVALID, console, fail, load_valid_estate
from planner.inventory.items import Inventory
from planner.inventory.load import load_estate
from planner.inventory.write import (
    Split,
    UnrepresentableError,
    split_order,
    write_csv,
    write_xlsx,
    write_yaml,
)


class Format(StrEnum):
    yaml = "yaml"
    csv = "csv"
    xlsx = "xlsx"


class SplitBy(StrEnum):
    organisation = "organisation"
    single = "single"


@app.command()
def convert(
    estate: Path = typer.Argument(
        ..., help="Estate to read: a directory of YAML/CSV/XLSX files, or one XLSX workbook."
    ),
    to: Format = typer.Option(..., "--to", "-t", help="Format to write: yaml, csv or xlsx."),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="Directory to write (yaml, csv) or workbook file (xlsx, e.g. estate.xlsx).",
    ),
    split: SplitBy = typer.Option(
        SplitBy.organisation,
        "--split",
        help="YAML only: 'organisation' (estate.yaml plus one file per organisation) "
        "or 'single' (everything in estate.yaml).",
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Replace what is there: delete the inventory files (*.yaml, *.yml, *.csv, "
        "*.xlsx) already in the --out directory, or overwrite the --out workbook.",
    ),
) -> None:
    """Rewrite an estate as YAML, CSV or XLSX (validated first; the files
    written are read back and compared with it).

    CSV writes estate.csv and one <section>.csv per section (rooms.csv,
    workloads.csv, ...); XLSX writes one workbook with a sheet per
    section. Both keep every item in order, so they read back as exactly
    the same estate. In CSV, text that a spreadsheet would run as a
    formula (starting =, +, - or @) gets a leading apostrophe, which
    planner removes again when it reads the file. YAML split by
    organisation writes estate.yaml and one file per organisation, which
    regroups the items by organisation.

    Exit 0 when written; 2 when the estate is invalid (every problem is
    listed), the output exists without --force, or a value cannot be
    written faithfully in that format.

    Examples:
      planner convert inventories/cheshire --to xlsx --out cheshire.xlsx
      planner convert cheshire.xlsx --to yaml --out cheshire-yaml
      planner convert inventories/cheshire --to csv --out cheshire-csv
    """
    loaded = load_valid_estate(estate, quiet=True)
    inv = loaded.inventory
    source, target = estate.resolve(), out.resolve()
    if target == source or target in source.parents:
        # Replacing files there (--force) would delete the estate being converted.
        fail(f"--out {out} holds the estate being converted; choose another path")
    expected: Inventory = inv
    try:
        if to is Format.yaml:
            mode: Split = "single" if split is SplitBy.single else "organisation"
            written = write_yaml(inv, out, mode, overwrite=force)
            if split is SplitBy.organisation:
                expected = split_order(inv)
        elif to is Format.csv:
            written = write_csv(inv, out, overwrite=force)
        else:
            if out.is_dir():
                fail(f"--out {out} is a directory; give the workbook's file name, e.g. estate.xlsx")
            if out.suffix.lower() != ".xlsx":
                fail(f"--out {out} must end in .xlsx, or the estate cannot be read back")
            written = [write_xlsx(inv, out, overwrite=force)]
    except FileExistsError as exc:
        fail(f"{exc} (add --force to replace it)")
    except UnrepresentableError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    back = load_estate(out)
    if not back.ok or back.inventory != expected:
        fail(
            f"{out} does not read back as the same estate; this is a bug in planner, "
            "please report it with the input",
            EXIT_INVALID,
        )
    console.print(
        f"wrote {out} ({len(written)} file(s), {to.value}): {len(inv.organisations)} "
        f"organisations, {len(inv.sites)} sites, {len(inv.rooms)} rooms, "
        f"{len(inv.service_desks)} desks, {len(inv.workloads)} workloads; read back identical",
        markup=False,
    )
