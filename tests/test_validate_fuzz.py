"""Mutate estates at random; validation must never crash, and what it accepts optimises.

Each example of valid-small applies one to three mutations (drop an item, duplicate an
id, retarget a reference, a wrong type, a negative, None, a huge number, inf, nan,
-0.0, 2**63, a huge string, a random string, an id with control characters, a deleted
key, an impossible date, a bad explicit tag, deep nesting, garbage bytes, a truncated
file) and checks that ``load_and_validate`` returns, that every problem names a file
of the estate, and that ``planner validate`` prints no traceback and exits 0 or 2.
Derandomized, so CI runs the same 200 examples every time.

The bundled estates (inventories/*) are mutated the same way by
docs/bench/fuzz_inventory.py (which runs thousands); here a seeded few dozen go
through ``planner validate`` (exit 0 or 2, no traceback), and a few it accepts through
``planner optimise --time-limit 2`` (exit 0 or 3: never a traceback, never 70).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import ROOT, VALID_SMALL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app
from planner.inventory.validate import load_and_validate

BASE_TEXT: dict[str, str] = {
    p.name: p.read_text(encoding="utf-8") for p in sorted(VALID_SMALL.glob("*.yaml"))
}
BASE_DOCS: dict[str, dict[str, Any]] = {n: yaml.safe_load(t) for n, t in BASE_TEXT.items()}

REFERENCE_FIELDS = {
    "zones": ["networks", "requires"],
    "organisations": ["desk", "vetting"],
    "sites": ["organisation"],
    "links": ["a", "b", "network"],
    "rooms": ["site", "accreditations"],
    "service_desks": ["site", "vetting"],
    "workloads": ["organisation", "zone", "room", "users", "depends_on", "distinct_site_from"],
}

ALL_IDS = sorted(
    {
        str(item["id"])
        for doc in BASE_DOCS.values()
        for key, value in doc.items()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict) and "id" in item
    }
)

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=-1),
    st.floats(max_value=-1e-9, allow_nan=False),
    st.sampled_from(
        [10**400, 1e308, float("inf"), float("-inf"), float("nan"), 0, -0.0, 2**63, 2**64]
    ),
    st.sampled_from([5.000000001, 1e9 + 1, 100_000.0001, 1e-300, 0.1 + 0.2]),
    st.text(max_size=30),
    st.sampled_from(["x" * 20_000, "a\x1b[31mb", "\u202eid", "bell\x07", "nul\x00"]),
    st.sampled_from(
        [
            "",
            " ",
            "a b",
            "x;y",
            "[/b]",
            "2027-02-30",
            "yes",
            dt.date(2028, 2, 29),
            dt.date(9999, 12, 31),
            dt.date(1, 1, 1),
            dt.date(1899, 12, 31),
            dt.date(2200, 1, 1),
            dt.datetime(2027, 4, 1, 12, 30),
        ]
    ),
    st.lists(st.sampled_from([*ALL_IDS, "nowhere", "", 7]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "workload", "a", "x"]), st.integers(), max_size=2),
)
"""Values that do not belong: wrong types, negatives, None, huge numbers, odd strings."""


def _get(docs: dict[str, dict[str, Any]], where: tuple[str, str, int]) -> Any:
    name, section, index = where
    block = docs[name][section]
    return block if index < 0 else block[index]


@st.composite
def mutated_estates(draw: st.DrawFn) -> dict[str, bytes]:
    """The valid-small files with one to three mutations applied."""
    docs: dict[str, Any] = yaml.safe_load(yaml.safe_dump(BASE_DOCS))  # a deep copy
    raw_edits: list[tuple[str, str, int, bytes]] = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(
            st.sampled_from(
                [
                    "drop",
                    "duplicate",
                    "retarget",
                    "retarget",
                    "odd-value",
                    "odd-value",
                    "delete-key",
                    "garbage",
                    "truncate",
                    "yaml-text",
                    "yaml-text",
                ]
            )
        )
        items = FUZZ.item_places(docs)
        if kind in ("garbage", "truncate"):
            name = draw(st.sampled_from(sorted(docs)))
            offset = draw(st.integers(min_value=0, max_value=2000))
            junk = draw(st.binary(min_size=1, max_size=8)) if kind == "garbage" else b""
            raw_edits.append((kind, name, offset, junk))
            continue
        if kind == "yaml-text":
            name = draw(st.sampled_from(sorted(docs)))
            offset = draw(st.integers(min_value=0, max_value=5000))
            raw_edits.append((kind, name, offset, draw(YAML_TEXT).encode("utf-8")))
            continue
        if not items:
            continue
        where = draw(st.sampled_from(items))
        name, section, index = where
        item = _get(docs, where)
        if kind == "drop" and index >= 0:
            del docs[name][section][index]
        elif kind == "drop":
            del docs[name][section]
        elif kind == "duplicate" and index >= 0:
            target = draw(st.sampled_from(sorted(docs)))
            docs[target].setdefault(section, [])
            if isinstance(docs[target][section], list):
                docs[target][section].append(yaml.safe_load(yaml.safe_dump(item)))
        elif kind == "retarget" and isinstance(item, dict):
            fields = REFERENCE_FIELDS.get(section, []) or list(item)
            key = draw(st.sampled_from(fields))
            target = draw(st.sampled_from([*ALL_IDS, "missing-id", "wan", "hscn", "dspt"]))
            current = item.get(key)
            if key == "depends_on":
                limit = draw(st.sampled_from([0, 2, 10, 1000]))
                item[key] = [*(current or []), {"workload": target, "max_latency_ms": limit}]
            elif isinstance(current, list):
                item[key] = [*current, target] if draw(st.booleans()) else [target]
            else:
                item[key] = target
        elif kind == "odd-value" and isinstance(item, dict) and item:
            key = draw(st.sampled_from(sorted(item)))
            item[key] = draw(odd_values)
        elif kind == "delete-key" and isinstance(item, dict) and item:
            del item[draw(st.sampled_from(sorted(item)))]
    files = {
        name: yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode("utf-8")
        for name, doc in docs.items()
    }
    for kind, name, offset, junk in raw_edits:
        data = files[name]
        at = min(offset, len(data))
        if kind == "yaml-text":
            files[name] = _replace_value(data, offset, junk)
        else:
            files[name] = data[:at] + junk + data[at:] if kind == "garbage" else data[:at]
    return files


YAML_TEXT = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "!!float nope",
        "!!int 0x",
        "!!int 0b_",
        "0x_",
        "!!timestamp soon",
        "!!bool maybe",
        "!!set {a, b}",
        "!!binary aGVsbG8=",
        "[" * 1000 + "]" * 1000,
        "[" * 100 + "]" * 100,
        "{a: " * 300 + "1" + "}" * 300,
        '"id\\x1b[2Jx"',
    ]
)
"""Values written into the YAML text itself (a safe_dump could not produce them)."""


def _replace_value(data: bytes, offset: int, value: bytes) -> bytes:
    """The file with the value of the first 'key: value' line at or after ``offset``
    (wrapping round) replaced."""
    lines = data.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if b": " in line and not line.endswith(b":")]
    if not candidates:
        return data
    i = candidates[offset % len(candidates)]
    key = lines[i].split(b": ", 1)[0]
    lines[i] = key + b": " + value
    return b"\n".join(lines)


runner = CliRunner()


@settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(files=mutated_estates())
def test_mutated_estates_never_crash(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).write_bytes(data)
        loaded = load_and_validate(root)  # must not raise
        names = set(files) | {str(root)}
        for p in loaded.findings.items:
            assert p.where.file in names, p.render()
            assert p.message, p.render()
            p.render()
        result = runner.invoke(app, ["validate", str(root)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert "Traceback" not in result.output
        assert result.exit_code == (2 if loaded.findings.errors else 0), result.output


def test_unmutated_base_is_valid() -> None:
    """The fuzzer's starting point round-trips through yaml.safe_dump and stays valid."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc in BASE_DOCS.items():
            (Path(tmp) / name).write_text(yaml.safe_dump(doc, sort_keys=False))
        loaded = load_and_validate(tmp)
        assert loaded.findings.items == []


# --------------------------------------------------------------------------- bundled estates


def _fuzz_module() -> ModuleType:
    """docs/bench/fuzz_inventory.py, whose mutations these tests share."""
    path = ROOT / "docs" / "bench" / "fuzz_inventory.py"
    spec = importlib.util.spec_from_file_location("fuzz_inventory", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz_inventory", module)
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz_module()
SEED = 9
BUNDLED_MUTANTS = 48
"""Seeded mutants of the four bundled estates (about 15 s of `planner validate`)."""


@pytest.fixture(scope="module")
def bases() -> list[Any]:
    return [FUZZ.load_base(name) for name in FUZZ.BUNDLED]


@pytest.mark.parametrize("kind", sorted(set(FUZZ.DATA_KINDS + FUZZ.TEXT_KINDS)))
def test_every_kind_of_mutation_validates_without_a_crash(
    bases: list[Any], kind: str, tmp_path: Path
) -> None:
    """Each kind of mutation once, on tiny: `planner validate` exits 0 or 2."""
    tiny = next(b for b in bases if b.name == "tiny")
    files, done = FUZZ.mutate(tiny, random.Random(f"{SEED}:{kind}"), [kind])
    code, output = FUZZ.validate(FUZZ.write(files, tmp_path / "estate"))
    assert code in (0, 2), (done, output)


def test_mutated_bundled_estates_validate_without_a_crash(bases: list[Any], tmp_path: Path) -> None:
    codes = []
    for i in range(BUNDLED_MUTANTS):
        base, files, done = FUZZ.mutant(bases, SEED, i)
        code, output = FUZZ.validate(FUZZ.write(files, tmp_path / f"m{i}"))
        assert code in (0, 2), (base.name, done, output)
        codes.append(code)
    assert 0 in codes  # some mutants are valid, so the optimiser gets its turn below
    assert 2 in codes


def test_accepted_mutants_optimise(bases: list[Any], tmp_path: Path) -> None:
    """Mutants of tiny at the bounds of their numbers and dates: what `validate`
    accepts, `optimise` plans (0) or proves infeasible (3); never a traceback or 70."""
    tiny = [b for b in bases if b.name == "tiny"]
    optimised = 0
    for i in range(40):
        rng = random.Random(f"{SEED}:bound:{i}")
        files, done = FUZZ.mutate(tiny[0], rng, ["at-bound", "at-bound"])
        folder = FUZZ.write(files, tmp_path / f"m{i}")
        if FUZZ.validate(folder)[0] != 0:
            continue
        code, output = FUZZ.optimise(folder, tmp_path / f"plan{i}")
        assert code in (0, 3), (done, output)
        optimised += 1
        if optimised == 3:
            break
    assert optimised == 3
