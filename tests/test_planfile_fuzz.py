"""Damaged plan.json files never crash `planner report`, `planner check` or `planner diff`.

Seeded mutations of real plans (tests/data/plans/*/plan.json and a fresh plan of
inventories/tiny): keys deleted, renamed or added, values of another type, nulls,
huge, negative and non-finite numbers, bad months, long and hostile strings, lists
emptied, shortened or grown, deep nesting, and files in the wrong encoding or cut
short. Each mutant goes through the three commands with typer's CliRunner: the exit
code is 0, 1 (check only) or 2, never an exception.

The default run (80 mutants) takes under 30 seconds; ``PLAN_FUZZ_MUTANTS=5000`` runs more
(``PLAN_FUZZ_SEED`` changes the seed).
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, ROOT
from typer.testing import CliRunner, Result

from planner.cli import app

PLANS = DATA / "plans"
TINY = ROOT / "inventories" / "tiny"
MUTANTS = int(os.environ.get("PLAN_FUZZ_MUTANTS", "80"))
SEED = int(os.environ.get("PLAN_FUZZ_SEED", "0"))

NUMBERS: list[Any] = [
    0, -1, -0.0, 0.5, 7, 9.5, -1e308, 1e308, 1e-320, 10**25, -(10**25), 2**63, 1e15,
]  # fmt: skip
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "9" * 5000]
MONTHS = [
    "2027-13", "2027-00", "0000-01", "2027-1", "27-01", "2027/01", "2027-01\n", " 2027-01",
    "２０２７-０１", "9999-12", "0001-01", "2027-01-01", "",
]  # fmt: skip
STRINGS = [
    "", " ", "x" * 5000, "<script>alert(1)</script>", "=1+1", "[red]x[/red]", "a\x00b",
    "\u202eevil", "\ud800", "line\nbreak", "2027/28", "2027/2028", "1999/00", "keep", "open",
    "optimal", "infeasible", "unknown", "planner-plan/1",
]  # fmt: skip
OTHER_TYPES: list[Any] = [None, True, False, 0, 1.5, "s", [], {}, [1, 2], {"a": 1}, [None]]
DEEP = "__deep__"


def _nodes(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, obj
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from _nodes(value, (*path, index))


def _replacement(rng: random.Random, old: Any) -> Any:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(OTHER_TYPES)
    if roll < 0.4:
        return rng.choice(NUMBERS) if not isinstance(old, str) else rng.choice(STRINGS)
    if roll < 0.55:
        return rng.choice(MONTHS)
    if roll < 0.65:
        return f"__nonfinite{rng.randrange(len(NON_FINITE))}__"
    if roll < 0.72:
        return DEEP
    if roll < 0.85 and isinstance(old, int | float) and not isinstance(old, bool):
        return rng.choice([-old, old * 1e300, old + 0.5, round(old) if old else 1])
    return rng.choice(STRINGS)


def _mutate_tree(plan: dict[str, Any], rng: random.Random) -> None:
    """One to three structural changes, in place."""
    for _ in range(rng.randint(1, 3)):
        nodes = list(_nodes(plan))[1:]
        if not nodes:
            return
        path, node = rng.choice(nodes)
        parent: Any = plan
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        roll = rng.random()
        if isinstance(node, list) and roll < 0.25:
            action = rng.choice(["pop", "dup", "clear", "reverse", "append"])
            if action == "pop" and node:
                node.pop(rng.randrange(len(node)))
            elif action == "dup" and node:
                node.append(copy.deepcopy(rng.choice(node)))
            elif action == "clear":
                node.clear()
            elif action == "reverse":
                node.reverse()
            else:
                node.append(rng.choice(OTHER_TYPES))
        elif isinstance(parent, dict) and roll < 0.45:
            value = parent.pop(key)
            if rng.random() < 0.3:  # renamed rather than deleted
                parent[str(key).upper() if rng.random() < 0.5 else f"{key}_x"] = value
        elif isinstance(node, dict) and roll < 0.5:
            node[rng.choice(["colour", "\ud800", "", "x" * 300])] = rng.choice(OTHER_TYPES)
        else:
            parent[key] = _replacement(rng, node)


def every_number(obj: Any, change: Any) -> Any:
    """``obj`` with ``change(x)`` for every number x in it."""
    if isinstance(obj, dict):
        return {k: every_number(v, change) for k, v in obj.items()}
    if isinstance(obj, list):
        return [every_number(v, change) for v in obj]
    if isinstance(obj, int | float) and not isinstance(obj, bool):
        return change(obj)
    return obj


EXTREMES: list[Any] = [2**53 - 1, -(2**53 - 1), 1e308, -1e308, 0, -1, 1e-300]


def _deep(rng: random.Random) -> str:
    depth = rng.choice([30, 300, 5000, 100_000])
    opening, closing = rng.choice([("[", "]"), ('{"a":', "}")])
    return opening * depth + "1" + closing * depth


def mutant(plan: dict[str, Any], rng: random.Random) -> bytes:
    """A damaged copy of ``plan`` as the bytes of a plan.json."""
    tree = copy.deepcopy(plan)
    if rng.random() < 0.05:  # every number at once: sums that overflow, charts of extremes
        tree = every_number(tree, lambda x: rng.choice(EXTREMES))
    if rng.random() < 0.9:
        _mutate_tree(tree, rng)
    text = json.dumps(tree, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5)
    for i, constant in enumerate(NON_FINITE):
        text = text.replace(f'"__nonfinite{i}__"', constant)
    while f'"{DEEP}"' in text:
        text = text.replace(f'"{DEEP}"', _deep(rng), 1)
    data = text.encode("utf-8", errors="surrogatepass")
    roll = rng.random()
    if roll < 0.03:
        data = text.encode("utf-16", errors="surrogatepass")
    elif roll < 0.06:
        data = b"\xef\xbb\xbf" + data
    elif roll < 0.09:
        at = rng.randrange(len(data))
        data = data[:at] + rng.choice([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"]) + data[at:]
    elif roll < 0.11:
        data = data[: rng.randrange(len(data))]
    elif roll < 0.12:
        data = text.encode("latin-1", errors="replace")
    return data


def _ok(result: Result, codes: tuple[int, ...], what: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{what}: {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output, f"{what}:\n{result.output}"
    assert result.exit_code in codes, f"{what}: exit {result.exit_code}\n{result.output}"


def run_mutants(
    sources: dict[str, tuple[Path, Path | None]], n: int, seed: int, work: Path
) -> Counter[str]:
    """Run ``n`` mutants of the sources (plan.json, estate or None) through the commands."""
    rng = random.Random(seed)
    runner = CliRunner()
    names = sorted(sources)
    outcomes: Counter[str] = Counter()
    plans = {name: json.loads(sources[name][0].read_text(encoding="utf-8")) for name in names}
    for i in range(n):
        name = names[i % len(names)]
        original, estate = sources[name]
        data = mutant(plans[name], rng)
        directory = work / f"{name}-{i % 3}"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        plan_json = directory / "plan.json"
        plan_json.write_bytes(data)
        what = f"mutant {i} of {name} (seed {seed}; {plan_json})"
        result = runner.invoke(app, ["report", str(directory), "--quiet"])
        _ok(result, (0, 2), "report " + what)
        outcomes[f"report exit {result.exit_code}"] += 1
        if estate is not None:
            result = runner.invoke(app, ["check", str(estate), str(plan_json)])
            _ok(result, (0, 1, 2), "check " + what)
            outcomes[f"check exit {result.exit_code}"] += 1
        result = runner.invoke(app, ["diff", str(original), str(plan_json)])
        _ok(result, (0, 2), "diff " + what)
        outcomes[f"diff exit {result.exit_code}"] += 1
        outcomes["mutants"] += 1
    return outcomes


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny-plan")
    result = CliRunner().invoke(
        app, ["optimise", str(TINY), "--out", str(out), "--workers", "1", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return out / "plan.json"


@pytest.mark.slow
def test_damaged_plans_never_crash_the_commands(tiny_plan: Path, tmp_path: Path) -> None:
    sources: dict[str, tuple[Path, Path | None]] = {
        name: (PLANS / name / "plan.json", None) for name in ("severnvale", "infeasible", "hostile")
    }
    sources["tiny"] = (tiny_plan, TINY)
    sources["tiny-2"] = (tiny_plan, TINY)  # the plan with an estate, twice as often
    outcomes = run_mutants(sources, MUTANTS, SEED, tmp_path)
    print(dict(sorted(outcomes.items())))
    assert outcomes["mutants"] == MUTANTS
    # both kinds of outcome happen: rejected mutants and mutants that still read
    assert outcomes["report exit 0"] > 0
    assert outcomes["report exit 2"] > 0
    assert outcomes["check exit 1"] + outcomes["check exit 0"] > 0
    assert outcomes["check exit 2"] > 0


@pytest.mark.parametrize(
    ("number", "code"), [(2**53 - 1, 0), (-(2**53 - 1), 0), (1e308, 2), (-1e308, 2)]
)
def test_every_number_at_the_limits(
    tiny_plan: Path, tmp_path: Path, number: float, code: int
) -> None:
    """Huge numbers everywhere: their sums overflowed a float in the reports (a traceback)."""
    plan = every_number(json.loads(tiny_plan.read_text(encoding="utf-8")), lambda x: number)
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    runner = CliRunner()
    for args, codes in (
        (["report", str(tmp_path), "--quiet"], (code,)),
        (["check", str(TINY), str(tmp_path / "plan.json")], (1,) if code == 0 else (2,)),
        (["diff", str(tiny_plan), str(tmp_path)], (code,)),
    ):
        _ok(runner.invoke(app, args), codes, " ".join(args[:1]))


@pytest.mark.slow
def test_damaged_large_plan(tmp_path: Path) -> None:
    """The large fixture (224 moves), a few times: it is the slowest to render."""
    plan = PLANS / "large" / "plan.json"
    outcomes = run_mutants({"large": (plan, None)}, max(4, MUTANTS // 12), SEED + 1, tmp_path)
    assert outcomes["mutants"] > 0
