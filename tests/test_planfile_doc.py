"""docs/plan-format.md and plan.json's models (planner.planfile) agree.

The doc's "Every key" table lists each key with its presence in a plan and in a
plan without one (core, ext, opt, or — when that layout does not declare it) and
its type in words; every key the models declare is in the table with the same
words, and every key the table lists is in the models. The doc's example plan is a
valid plan that carries every ext key and no undeclared one.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import ROOT

from planner.planfile import (
    MONTH_PATTERN,
    YEAR_PATTERN,
    FeasiblePlan,
    InfeasiblePlan,
    field_paths,
    plan_schema,
    validate_plan,
)

DOC = ROOT / "docs" / "plan-format.md"
ROW = re.compile(r"^\| `([^`]+)` \| (core|ext|opt|—) \| (core|ext|opt|—) \| ([^|]+) \|", re.M)


def _section(heading: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/plan-format.md has no '## {heading}' section"
    return match.group(1)


def type_words(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    """A property's JSON Schema in the doc's words: 'month or null', 'list of strings'."""
    if "anyOf" in schema:
        kinds = [s for s in schema["anyOf"] if s != {"type": "null"}]
        assert len(kinds) == 1, schema
        return type_words(kinds[0], defs) + " or null"
    if "$ref" in schema:
        return "object"
    if "const" in schema:
        return f'"{schema["const"]}"'
    if "enum" in schema:
        return " / ".join(schema["enum"])
    kind = schema["type"]
    if kind == "array":
        inner = type_words(schema["items"], defs)
        if inner.startswith("list of "):
            return "list of lists of " + inner.removeprefix("list of ")
        return f"list of {inner}s"
    if kind == "string":
        return {MONTH_PATTERN: "month", YEAR_PATTERN: "financial year"}.get(
            schema.get("pattern", ""), "string"
        )
    return {"number": "number", "integer": "whole number", "boolean": "true/false"}[kind]


def model_keys() -> dict[str, tuple[str, str, str]]:
    """Every key of the two layouts: path -> (presence in a plan, in none, type words)."""
    schema = plan_schema()
    defs = schema["$defs"]

    def types(model: type[Any]) -> dict[str, str]:
        out: dict[str, str] = {}

        def walk(name: str, prefix: str) -> None:
            for key, prop in defs[name]["properties"].items():
                path = f"{prefix}.{key}" if prefix else key
                out[path] = type_words(prop, defs)
                target, suffix = prop, ""
                while True:
                    if "anyOf" in target:
                        target = next(s for s in target["anyOf"] if s != {"type": "null"})
                    elif target.get("type") == "array":
                        target, suffix = target["items"], suffix + "[]"
                    else:
                        break
                if "$ref" in target:
                    walk(target["$ref"].split("/")[-1], path + suffix)

        walk(model.__name__, "")
        return out

    feasible = dict(field_paths(FeasiblePlan))
    infeasible = dict(field_paths(InfeasiblePlan))
    in_plan, in_none = types(FeasiblePlan), types(InfeasiblePlan)
    out = {}
    for path in [*feasible, *(p for p in infeasible if p not in feasible)]:
        words = in_plan.get(path) or in_none[path]
        if path in in_plan and path in in_none and in_plan[path] != in_none[path]:
            words += f"; without a plan: {in_none[path]}"
        out[path] = (feasible.get(path, "—"), infeasible.get(path, "—"), words)
    return out


def doc_keys() -> dict[str, tuple[str, str, str]]:
    rows = ROW.findall(_section("Every key"))
    assert rows, "the 'Every key' table has no rows"
    keys = {path: (plan, none, words.strip()) for path, plan, none, words in rows}
    assert len(keys) == len(rows), "a key is listed twice"
    return keys


def test_every_key_of_the_models_is_documented() -> None:
    doc = doc_keys()
    for path, (plan, none, words) in model_keys().items():
        assert path in doc, f"{path} is not in the 'Every key' table of docs/plan-format.md"
        assert doc[path][:2] == (plan, none), (
            f"{path} is {plan} in a plan and {none} in a plan without one (planner/planfile.py), "
            f"but the doc says {doc[path][0]} and {doc[path][1]}"
        )
        assert doc[path][2] == words, f"{path}: the doc says {doc[path][2]!r}, the model {words!r}"


def test_every_documented_key_is_in_the_models() -> None:
    keys = model_keys()
    for path in doc_keys():
        assert path in keys, f"docs/plan-format.md lists {path}, which the models do not declare"


def test_table_is_in_the_models_order() -> None:
    assert list(doc_keys()) == list(model_keys())


def _example() -> Any:
    block = re.search(r"```jsonc\n(.*?)```", _section("Keys"), re.S)
    assert block
    lines = []
    for line in block.group(1).splitlines():
        # a comment starts at '//' outside a string (the example's strings hold no quotes)
        out, in_string = [], False
        for i, ch in enumerate(line):
            if ch == '"':
                in_string = not in_string
            if not in_string and line.startswith("//", i):
                break
            out.append(ch)
        lines.append("".join(out))
    return json.loads("\n".join(lines))


def test_the_example_is_a_complete_plan() -> None:
    valid = validate_plan(_example())
    assert valid.feasible
    assert valid.undeclared == [], "the example has keys the models do not declare"
    assert valid.missing_ext == [], "the example leaves out ext keys"


@pytest.mark.parametrize("marking", ["core", "ext", "opt"])
def test_the_markings_are_explained(marking: str) -> None:
    text = DOC.read_text(encoding="utf-8").split("## Months")[0]
    assert f"*{marking}*" in text
