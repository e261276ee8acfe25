"""`planner bench import`: time `planner import rvtools` on a synthetic export.

:func:`prepare` writes what a council would bring, from
:func:`planner.generate.rvtools.synthetic_exports`: one export per vCenter (an
.xlsx workbook, or a folder of CSV tabs), the base estate and the mapping file.
:func:`measure` then runs the import as a user would, ``planner import rvtools
EXPORT... --base --mapping --out``, in its own process, once per run, and reads
that process's wall time and peak resident memory from the operating system
(``os.wait4``), so the figures are the whole command's: interpreter start-up,
reading, grouping, writing and the validation of the result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from planner.generate.rvtools import (
    synthetic_exports,
    synthetic_mapping,
    write_csv_folder,
    write_synthetic_base,
    write_xlsx,
)


@dataclass(frozen=True)
class Prepared:
    """The files of one benchmark: exports, base estate, mapping, and where to write."""

    exports: list[Path]
    base: Path
    mapping: Path
    out: Path
    vms: int
    hosts: int

    def command(self) -> list[str]:
        """The import, as a user types it (with this Python's planner)."""
        return [
            sys.executable,
            "-m",
            "planner",
            "import",
            "rvtools",
            *map(str, self.exports),
            "--base",
            str(self.base),
            "--mapping",
            str(self.mapping),
            "--out",
            str(self.out),
            "--force",
        ]


@dataclass(frozen=True)
class Run:
    """One import: its exit code, wall seconds and peak memory (MB)."""

    exit_code: int
    wall_s: float
    peak_mb: float
    output: str


def prepare(
    directory: Path, *, vms: int, hosts: int, vcenters: int = 2, seed: int = 0, form: str = "xlsx"
) -> Prepared:
    """Write the exports (``form`` xlsx or csv), base estate and mapping into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    exports = synthetic_exports(vms, hosts, vcenters, seed)
    paths = []
    for export in exports:
        if form == "csv":
            folder = directory / f"{export.vcenter}-csv"
            write_csv_folder(export, folder)
            paths.append(folder)
        else:
            path = directory / f"{export.vcenter}.xlsx"
            write_xlsx(export, path)
            paths.append(path)
    base = directory / "base"
    if base.exists():
        shutil.rmtree(base)
    write_synthetic_base(base, exports)
    mapping = directory / "mapping.yaml"
    mapping.write_text(synthetic_mapping(exports), encoding="utf-8")
    return Prepared(paths, base, mapping, directory / "estate", vms, hosts)


def measure(prepared: Prepared) -> Run:
    """Run the import once in a fresh process; its figures from the operating system."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(prepared.command(), stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return Run(os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024, text)
