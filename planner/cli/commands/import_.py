"""`planner import rvtools EXPORT... --base BASE --mapping MAPPING --out OUT`: merge
RVTools exports onto a base estate (and `--init-mapping` to start a mapping file).

The work is :mod:`planner.importer`; this module checks the options, writes the
files (all or nothing, :func:`planner.files.write_files`), validates what it wrote
as `planner validate` would, and says so in one line.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from planner.cli.app import app
from planner.cli.common import EXIT_INVALID, console, err, fail, print_findings
from planner.files import write_files
from planner.importer import Request, Result, run_import
from planner.importer.exports import read_exports
from planner.importer.template import render_template
from planner.inventory.findings import Findings, printable
from planner.inventory.load import INPUT_SUFFIXES, Loaded, load_estate
from planner.inventory.validate import load_and_validate

import_app = typer.Typer(
    name="import",
    help=(
        "Import what councils already hold into an estate: today, RVTools exports of "
        "VMware (one per vCenter) merged onto a hand-written base estate.\n\n"
        "Example:  planner import rvtools vc1.xlsx --base base --mapping map.yaml --out estate"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(import_app, name="import")


@import_app.command("rvtools")
def rvtools(
    exports: list[Path] = typer.Argument(
        ...,
        metavar="EXPORT...",
        help="RVTools exports: .xlsx workbooks, or folders of RVTools_tab*.csv files "
        "(one per vCenter).",
    ),
    base: Path | None = typer.Option(
        None, "--base", "-b", help="Base estate directory: everything but the imported VMs."
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", "-m", help="Mapping YAML: rooms, zones and owners of the VMs."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Estate directory to write (base files + imported.yaml)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the import report (Markdown) and write nothing."
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Write into a --out that holds files (its other inventory files are deleted), "
        "or over an --init-mapping file.",
    ),
    init_mapping: Path | None = typer.Option(
        None,
        "--init-mapping",
        help="Write a commented mapping template listing the datacenters, clusters, "
        "networks and top-level folders of the exports, and stop.",
    ),
) -> None:
    """Merge RVTools exports onto a base estate: one workload per group of VMs, room
    compute capacities from the hosts and datastores.

    OUT gets the base estate's files unchanged, imported.yaml (workloads and
    room_compute) and import-report.md (what was read, skipped and why, and each
    room's use against its capacity). The result is then validated as `planner
    validate` would. See docs/import.md for the mapping file.

    Exit 0 when written and valid; 2 for any problem (every one is listed, naming
    file, sheet, row and column, or the mapping's line), when OUT holds files
    (without --force), or when the written estate does not validate (e.g. today's
    VMs need more vCPU than a room's hosts give: raise vcpu_per_core).

    Examples:
      planner import rvtools vc1.xlsx --init-mapping map.yaml --base base
      planner import rvtools vc1.xlsx vc2-csv/ --base base --mapping map.yaml --dry-run
      planner import rvtools vc1.xlsx vc2-csv/ --base base --mapping map.yaml --out estate
      planner optimise estate --out plan
    """
    if init_mapping is not None:
        if mapping is not None or out is not None or dry_run:
            fail("--init-mapping writes a mapping file; leave out --mapping, --out and --dry-run")
        _write_template(exports, init_mapping, base, force)
        return
    if base is None or mapping is None or (out is None and not dry_run):
        fail("give --base, --mapping and --out (or --dry-run); or --init-mapping FILE")
    if out is not None and not dry_run:
        _check_out(out, [base, mapping, *exports], force)
    request = Request(list(exports), base, mapping, _command(exports, base, mapping, out))
    result = run_import(request)
    if not result.ok:
        print_findings(result.findings.errors)
        fail(f"{len(result.findings.errors)} problem(s); nothing written")
    if dry_run:
        sys.stdout.write(result.report)
        sys.stdout.flush()
        _dry_validate(result)
        return
    assert out is not None  # checked above
    _write(out, result, force)


def _command(exports: list[Path], base: Path, mapping: Path, out: Path | None) -> str:
    words = ["planner", "import", "rvtools", *map(str, exports), "--base", str(base)]
    words += ["--mapping", str(mapping)] + (["--out", str(out)] if out is not None else [])
    return printable(" ".join(shlex.quote(w) for w in words))


def _shown(path: Path) -> str:
    return escape(printable(str(path)))


def _check_out(out: Path, inputs: list[Path], force: bool) -> None:
    """Refuse an --out that is a file, is or holds an input (the base estate, the mapping,
    an export: --force would delete or overwrite it), or holds files (without --force)."""
    if out.exists() and not out.is_dir():
        fail(f"--out {printable(str(out))} is a file; give a directory")
    target = out.resolve()
    for given in inputs:
        path = given.resolve()
        if target in (path, path.parent):
            fail(
                f"--out {printable(str(out))} is or holds an input ({printable(str(given))}), "
                "the base estate, the mapping or an export; write the import to another directory"
            )
    if out.is_dir() and not force:
        try:
            held = sorted(p.name for p in out.iterdir())
        except OSError as exc:
            fail(f"cannot read --out {printable(str(out))}: {exc.strerror or exc}")
        if held:
            listed = ", ".join(held[:5]) + (", ..." if len(held) > 5 else "")
            fail(
                f"--out {printable(str(out))} already holds files ({printable(listed)}); "
                "choose an empty directory, or add --force to replace them"
            )


def _write(out: Path, result: Result, force: bool) -> None:
    """Write the files all or nothing, drop stale inventory files (--force), validate."""
    try:
        write_files(out, result.files)
        if force:
            for stale in sorted(out.iterdir()):
                if stale.suffix.lower() in INPUT_SUFFIXES and stale.name not in result.files:
                    stale.unlink()
    except OSError as exc:
        fail(f"cannot write {printable(str(out))}: {exc.strerror or exc}")
    loaded = load_and_validate(out)
    _verdict(loaded, result, f"wrote {_shown(out)}", console)


def _dry_validate(result: Result) -> None:
    """Validate the import in a temporary directory (nothing is written to --out)."""
    with tempfile.TemporaryDirectory(prefix="planner-import-") as tmp:
        try:
            write_files(Path(tmp), result.files)
        except OSError as exc:
            fail(f"cannot validate the dry run in a temporary directory: {exc.strerror or exc}")
        loaded = load_and_validate(tmp)
        _verdict(loaded, result, "dry run (nothing written)", err)


def _verdict(loaded: Loaded, result: Result, what: str, to: Console) -> None:
    """The one-line summary and whether the estate validates (exit 2 when it does not)."""
    assert result.outcome is not None
    summary = escape(printable(result.outcome.summary()))
    errors = loaded.findings.errors
    if not errors:
        to.print(f"{what}: {summary}: [bold green]valid[/]")
        return
    print_findings(errors)
    to.print(
        f"{what}: {summary}: [bold red]invalid[/]: {len(errors)} error(s); see the "
        "Rooms section of import-report.md"
    )
    raise typer.Exit(EXIT_INVALID)


def _write_template(exports: list[Path], path: Path, base: Path | None, force: bool) -> None:
    if path.is_dir():
        fail(f"--init-mapping {printable(str(path))} is a directory; give a file name")
    if path.exists() and not force:
        fail(f"{printable(str(path))} exists; add --force to replace it")
    findings = Findings()
    read = read_exports(exports, findings)
    if findings.errors:
        print_findings(findings.errors)
        fail(f"{len(findings.errors)} problem(s) in the exports; nothing written")
    inventory = load_estate(base).inventory if base is not None else None
    words = ["planner", "import", "rvtools", *map(str, exports), "--init-mapping", str(path)]
    command = printable(" ".join(shlex.quote(w) for w in words))
    text = render_template(read, inventory, command)
    try:
        write_files(path.parent, {path.name: text}, create=False)
    except OSError as exc:
        fail(f"cannot write {printable(str(path))}: {exc.strerror or exc}")
    vms = sum(len(e.vms) for e in read)
    console.print(
        f"wrote {_shown(path)}: {vms:,} VMs in {len(read)} export(s); replace its CHANGE-ME "
        "ids with ids of the base estate, then run the import with --mapping and --dry-run"
    )
