"""Fuzz `planner validate` and `planner optimise` with mutated bundled estates (issue 9).

Each mutant is one of the estates under inventories/ with one to three mutations:
values that do not belong (.inf, .nan, 1e308, 2**63, -0.0, negatives, huge strings,
the wrong type, values just over a bound), ids with control characters, references
retargeted, items dropped or duplicated, keys deleted, and edits of the YAML text
itself (impossible dates such as 2026-02-30, explicit tags with bad values such as
``!!float nope``, nesting a thousand levels deep, 'billion laughs' aliases, garbage
bytes, truncation). Mutant i of seed S is always the same (``random.Random(f"S:i")``).

Every mutant goes through `planner validate` (typer's CliRunner, in process): it must
exit 0 or 2 and print no traceback. A sample of the mutants it accepts goes through
`planner optimise --time-limit 2 --workers 1 --no-reasons --quiet`: it must exit 0
(a plan) or 3 (none) -- never 70 (the checker rejected the optimiser's plan) and
never a traceback. The counts by exit code are printed, then every failure with the
mutations that made it; ``--keep DIR`` writes the failing mutants there.

    python docs/bench/fuzz_inventory.py --mutants 3000 --optimise 300 --seed 1

tests/test_validate_fuzz.py runs a few dozen of the same mutants in CI.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planner.inventory import items

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ("tiny", "cambridgeshire", "worcestershire", "cheshire")
OPTIMISED = ("tiny", "cambridgeshire", "worcestershire")
"""Estates whose mutants are optimised by default (cheshire takes 30 s at a 2 s limit)."""

ODD_NUMBERS: list[Any] = [
    float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 2**63, 2**64, -(2**63),
    10**400, -0.0, -1, 0, 1e-300, 5.000000001, 0.1 + 0.2, 13.000000001, 1e9, 1e9 + 1,
    100_000.001, 1_000_000, 1_000_001, 10**8 + 1, 0.00001, 99999.9995,
]  # fmt: skip
"""Numbers at, just over and far over the bounds, and the ones no bound should let in."""

ODD_VALUES: list[Any] = [
    None, True, False, "", " ", "a b", "x;y", "[/b]", "yes", "2027-02-30", "nope",
    "x" * 100_000, [], {}, [1, [2]], {"id": 1}, {"workload": "x"},
    dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(2199, 12, 31), dt.date(2200, 1, 1),
    dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.datetime(2027, 4, 1, 12, 30),
]  # fmt: skip
"""Values of the wrong type or shape."""

CONTROL_IDS = [
    "x\x1b[31mred", "a\x00b", "\u202eevil", "bell\x07", "\ufeffbom", "tab\tid", "nel\x85",
    "zero\u200bwidth", "del\x7f", "c1\x9b", "new\nline",
]  # fmt: skip
"""Ids with control and invisible characters."""

IMPOSSIBLE_DATES = ["2026-02-30", "2026-13-01", "0000-01-01", "2027-00-10", "2027-04-31"]

BAD_TAGS = [
    "!!float nope", "!!int 0x", "!!int 0b_", "!!int ''", "!!timestamp soon", "!!bool maybe",
    "!!set {a, b}", "!!binary zz", "!!binary aGVsbG8=", "!!omap [a]", "!!python/object x",
    "!!str [1]", "!!null x", "0x_", "!!float .inf", "!!int 99999999999999999999999",
]  # fmt: skip

DATA_KINDS = ["odd-number", "odd-number", "odd-value", "control-id", "retarget", "drop"]
DATA_KINDS += ["duplicate", "delete-key", "at-bound", "at-bound", "at-bound"]
TEXT_KINDS = ["impossible-date", "impossible-date", "bad-tag", "bad-tag", "deep-nesting"]
TEXT_KINDS += ["alias-bomb", "garbage", "truncate"]

BOUNDS: dict[str, tuple[float, int | None]] = {
    **dict.fromkeys(
        ["annual_cost", "closure_cost", "open_cost", "fixed_cost", "cost_per_fte"],
        (items.MONEY_MAX, None),
    ),
    "migration_cost": (items.MONEY_MAX, None),
    "racks": (items.RACKS_MAX, items.AMOUNT_PLACES),
    "power_kw": (items.POWER_KW_MAX, items.AMOUNT_PLACES),
    "ops_fte": (items.OPS_FTE_MAX, None),
    "migration_days": (items.DAYS_MAX, items.DAYS_PLACES),
    "migration_days_per_month": (items.DAYS_MAX, items.DAYS_PLACES),
    "tickets_per_year": (items.TICKETS_MAX, 0),
    "seats": (items.SEATS_MAX, 0),
    "tickets_per_fte": (items.TICKETS_PER_FTE_MAX, items.TICKETS_PER_FTE_PLACES),
    "latency_ms": (items.LATENCY_MAX_MS, items.LATENCY_PLACES),
    "max_latency_ms": (items.LATENCY_MAX_MS, items.LATENCY_PLACES),
    "dr_min_distance_km": (items.DISTANCE_MAX_KM, None),
    "bandwidth_mbps": (items.BANDWIDTH_MAX_MBPS, None),
    "horizon_years": (30, 0),
    "discount_rate": (1, None),
}
"""Field -> (largest value the model accepts, decimal places allowed or None)."""

DATE_FIELDS = ("start", "earliest_close", "not_before", "not_after", "desk_change_from")

VALUE_LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+: )([^\n{\[]+)$", re.M)
"""A block-style 'key: scalar' line (group 1 keeps the key)."""
FLOW_VALUE = re.compile(r"([{,] *[A-Za-z_]+: )([^,{}\[\]\n]+)")
"""A 'key: scalar' inside a flow mapping such as {a: x, b: y}."""
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@dataclass(frozen=True)
class Base:
    """One bundled estate: its files (name -> bytes) and their parsed documents."""

    name: str
    files: dict[str, bytes]
    docs: dict[str, Any]
    ids: tuple[str, ...]


def load_base(name: str) -> Base:
    """inventories/NAME, read once per run."""
    folder = ROOT / "inventories" / name
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}
    docs = {n: yaml.safe_load(b.decode("utf-8")) for n, b in files.items()}
    ids = sorted(
        {
            str(item["id"])
            for doc in docs.values()
            for value in doc.values()
            if isinstance(value, list)
            for item in value
            if isinstance(item, dict) and "id" in item
        }
    )
    return Base(name, files, docs, tuple(ids))


# --------------------------------------------------------------------------- mutations


def item_places(docs: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(file, section, index) of every list item of the documents, the estate block as -1."""
    out = []
    for name, doc in docs.items():
        if not isinstance(doc, dict):
            continue
        for key, value in doc.items():
            if key == "estate" and isinstance(value, dict):
                out.append((name, key, -1))
            elif isinstance(value, list):
                out.extend((name, key, i) for i in range(len(value)))
    return out


def _mutate_data(kind: str, base: Base, docs: dict[str, Any], rng: random.Random) -> str:
    """Apply one data-level mutation to ``docs``; return what it did."""
    items = item_places(docs)
    if not items:
        return f"{kind}: nothing to mutate"
    name, section, index = rng.choice(items)
    block = docs[name][section]
    item = block if index < 0 else block[index]
    where = f"{name} {section}[{index}]"
    if kind == "drop":
        if index < 0:
            del docs[name][section]
        else:
            del block[index]
        return f"drop {where}"
    if kind == "duplicate" and index >= 0:
        target = rng.choice(sorted(docs))
        if isinstance(docs[target], dict):
            docs[target].setdefault(section, [])
            if isinstance(docs[target][section], list):
                docs[target][section].append(copy.deepcopy(item))
        return f"duplicate {where} into {target}"
    if not isinstance(item, dict) or not item:
        return f"{kind}: {where} is not a mapping"
    key = rng.choice(sorted(item))
    if kind == "delete-key":
        del item[key]
        return f"delete {where}.{key}"
    if kind == "retarget":
        value = rng.choice([*base.ids, "missing-id"])
        item[key] = [value] if isinstance(item[key], list) else value
        return f"{where}.{key} = {value!r}"
    if kind == "control-id":
        key = "id" if "id" in item and rng.random() < 0.6 else key
        value = rng.choice(CONTROL_IDS)
        item[key] = [value] if isinstance(item.get(key), list) else value
        return f"{where}.{key} = {value!r}"
    if kind == "at-bound":
        return _at_bound(where, item, rng)
    value = rng.choice(ODD_NUMBERS if kind == "odd-number" else ODD_VALUES)
    numeric = [k for k, v in item.items() if isinstance(v, int | float) and not isinstance(v, bool)]
    if kind == "odd-number" and numeric:
        key = rng.choice(sorted(numeric))
    item[key] = value
    shown = repr(value) if len(repr(value)) < 40 else repr(value)[:37] + "..."
    return f"{where}.{key} = {shown}"


def _at_bound(where: str, item: dict[str, Any], rng: random.Random) -> str:
    """Set a number or date of the item to a legal extreme: its bound, the smallest
    step above 0, -0.0, or the first or last date the model accepts."""
    keys = sorted(k for k in item if k in BOUNDS or k in DATE_FIELDS)
    if not keys:
        return f"at-bound: {where} has no bounded field"
    key = rng.choice(keys)
    if key in DATE_FIELDS:
        value: Any = rng.choice([items.DATE_MIN, items.DATE_MAX])
    else:
        top, places = BOUNDS[key]
        step = 10.0 ** -(places or 0) if places is not None else 1e-9
        value = rng.choice([top, top - step, step, -0.0, round(rng.uniform(0, top), places)])
        if places == 0:
            value = int(value)
    item[key] = value
    return f"{where}.{key} = {value!r} (at a bound)"


def _mutate_text(kind: str, files: dict[str, bytes], rng: random.Random) -> str:
    """Apply one edit of the YAML text of one file; return what it did."""
    name = rng.choice(sorted(files))
    data = files[name]
    if kind in ("garbage", "truncate"):
        at = rng.randrange(len(data) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        files[name] = data[:at] + junk + data[at:] if kind == "garbage" else data[:at]
        return f"{kind} {name} at byte {at}"
    text = data.decode("utf-8", errors="replace")
    if kind == "alias-bomb":
        lines = ["laugh0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        lines += [f"laugh{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 25)]
        files[name] = (text + "\n" + "\n".join(lines) + "\n").encode("utf-8")
        return f"alias bomb appended to {name}"
    if kind == "impossible-date" and DATE.search(text):
        spans = [m.span() for m in DATE.finditer(text)]
        start, end = rng.choice(spans)
        value = rng.choice(IMPOSSIBLE_DATES)
        files[name] = (text[:start] + value + text[end:]).encode("utf-8")
        return f"{name}: date at {start} -> {value}"
    lines = list(VALUE_LINE.finditer(text)) + list(FLOW_VALUE.finditer(text))
    if not lines:
        return f"{kind}: no value line in {name}"
    line = rng.choice(lines)
    if kind == "impossible-date":
        value = rng.choice(IMPOSSIBLE_DATES)
    elif kind == "bad-tag":
        value = rng.choice(BAD_TAGS)
    else:  # deep nesting
        depth = rng.choice([65, 300, 1000, 3000])
        value = (
            "[" * depth + "]" * depth if rng.random() < 0.5 else "{a: " * depth + "1" + "}" * depth
        )
    files[name] = (text[: line.start(2)] + value + text[line.end(2) :]).encode("utf-8")
    return f"{name}: {line.group(1).strip()} {value[:30]}"


def mutate(
    base: Base, rng: random.Random, kinds: list[str] | None = None
) -> tuple[dict[str, bytes], list[str]]:
    """One mutant of ``base``: its files and the mutations applied, in order (``kinds``,
    else one to three drawn at random)."""
    if kinds is None:
        kinds = [rng.choice(DATA_KINDS + TEXT_KINDS) for _ in range(rng.choice([1, 1, 2, 3]))]
    docs = copy.deepcopy(base.docs)
    done: list[str] = []
    for kind in (k for k in kinds if k in DATA_KINDS):
        done.append(_mutate_data(kind, base, docs, rng))
    files = dict(base.files)
    for name, doc in docs.items():
        if doc != base.docs[name]:
            files[name] = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()
    for kind in (k for k in kinds if k in TEXT_KINDS):
        done.append(_mutate_text(kind, files, rng))
    return files, done


def mutant(bases: list[Base], seed: int, index: int) -> tuple[Base, dict[str, bytes], list[str]]:
    """Mutant ``index`` of ``seed``: always the same estate and mutations."""
    rng = random.Random(f"{seed}:{index}")
    base = rng.choice(bases)
    files, done = mutate(base, rng)
    return base, files, done


# --------------------------------------------------------------------------- running


def write(files: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def run_cli(args: list[str]) -> tuple[int, str]:
    """Exit code and output of one command in process; -1 for an escaped exception."""
    from typer.testing import CliRunner

    from planner.cli import app

    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return -1, f"{result.output}\n{type(result.exception).__name__}: {result.exception}"
    if "Traceback" in result.output:
        return -1, result.output
    return result.exit_code, result.output


def validate(folder: Path) -> tuple[int, str]:
    return run_cli(["validate", str(folder)])


def optimise(folder: Path, out: Path, time_limit: float = 2) -> tuple[int, str]:
    return run_cli(
        [
            "optimise",
            str(folder),
            "--out",
            str(out),
            "--time-limit",
            str(time_limit),
            "--workers",
            "1",
            "--no-reasons",
            "--quiet",
        ]
    )


@dataclass
class Failure:
    command: str
    index: int
    estate: str
    code: int
    mutations: list[str]
    output: str


def _report(title: str, counts: Counter[int], seconds: float) -> None:
    total = sum(counts.values())
    shown = ", ".join(f"exit {code}: {n}" for code, n in sorted(counts.items()))
    print(f"{title}: {total} runs in {seconds:.0f} s: {shown}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mutants", type=int, default=1000, help="mutants through validate")
    parser.add_argument("--optimise", type=int, default=100, help="accepted ones optimised")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--estates", nargs="+", default=list(BUNDLED), choices=BUNDLED)
    parser.add_argument("--optimise-estates", nargs="+", default=list(OPTIMISED), choices=BUNDLED)
    parser.add_argument("--time-limit", type=float, default=2)
    parser.add_argument("--keep", type=Path, help="write each failing mutant here")
    args = parser.parse_args(argv)
    bases = [load_base(name) for name in args.estates]
    failures: list[Failure] = []
    accepted: list[int] = []
    counts: Counter[int] = Counter()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.mutants):
            base, files, done = mutant(bases, args.seed, i)
            code, output = validate(write(files, Path(tmp) / f"v{i}"))
            counts[code] += 1
            if code not in (0, 2):
                failures.append(Failure("validate", i, base.name, code, done, output))
            elif code == 0 and base.name in args.optimise_estates:
                accepted.append(i)
            if (i + 1) % 250 == 0:
                print(f"  {i + 1} validated ({dict(sorted(counts.items()))})", flush=True)
        _report("validate", counts, time.monotonic() - started)
        chosen = sorted(
            random.Random(args.seed).sample(accepted, min(args.optimise, len(accepted)))
        )
        counts, started = Counter(), time.monotonic()
        for n, i in enumerate(chosen):
            base, files, done = mutant(bases, args.seed, i)
            folder = write(files, Path(tmp) / f"o{i}")
            code, output = optimise(folder, Path(tmp) / f"plan{i}", args.time_limit)
            counts[code] += 1
            if code not in (0, 3):
                failures.append(Failure("optimise", i, base.name, code, done, output))
            if (n + 1) % 25 == 0:
                print(f"  {n + 1} optimised ({dict(sorted(counts.items()))})", flush=True)
        _report("optimise", counts, time.monotonic() - started)
    for f in failures:
        print(f"\nFAILED {f.command} mutant {f.index} of {f.estate} (exit {f.code}): {f.mutations}")
        print("  " + "\n  ".join(f.output.strip().splitlines()[-6:]))
        if args.keep is not None:
            write(mutant(bases, args.seed, f.index)[1], args.keep / f"{f.command}-{f.index}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
