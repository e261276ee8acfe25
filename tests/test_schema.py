"""`planner schema`: a well-formed JSON Schema that accepts every inventory file we ship.

The schema is checked twice: by a small validator here for the keywords pydantic
emits (the test fails if the schema uses one it does not know, rather than
ignoring it), and by jsonschema (a dev dependency, not a runtime one) against
the 2020-12 metaschema and on every bundled and valid test file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA, ROOT, VALID_SMALL
from pydantic import BaseModel
from typer.testing import CliRunner

from planner.cli import app
from planner.inventory.items import SECTIONS, TOP_LEVEL_KEYS, Estate
from planner.inventory.schema import file_schema

ANNOTATIONS = {"title", "description", "default", "examples", "$schema", "$id", "$defs"}
ASSERTIONS = {
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "anyOf",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
}


def schema_from_cli() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


SCHEMA = file_schema()


# --------------------------------------------------------------------------- a small validator


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/"), f"only local references are expected, got {ref}"
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def _type_ok(value: Any, kind: str, fmt: str | None) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        # YAML reads an unquoted 2027-04-01 as a date; editors see the text.
        return isinstance(value, str) or (fmt == "date" and isinstance(value, dt.date))
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise AssertionError(f"unknown type {kind}")


def errors(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "") -> list[str]:
    """Every way ``value`` breaks ``schema`` (empty when it conforms)."""
    unknown = set(schema) - ANNOTATIONS - ASSERTIONS
    assert not unknown, f"{path}: schema keywords this validator does not know: {unknown}"
    out: list[str] = []
    if "$ref" in schema:
        out += errors(value, _resolve(root, schema["$ref"]), root, path)
    if "anyOf" in schema and all(errors(value, s, root, path) for s in schema["anyOf"]):
        out.append(f"{path}: matches none of anyOf")
    fmt = schema.get("format")
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_ok(value, k, fmt) for k in kinds):
            return [*out, f"{path}: {value!r} is not of type {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        out.append(f"{path}: {value!r} != {schema['const']!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and not value >= schema["minimum"]:
            out.append(f"{path}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and not value <= schema["maximum"]:
            out.append(f"{path}: {value} > maximum {schema['maximum']}")
        if "exclusiveMinimum" in schema and not value > schema["exclusiveMinimum"]:
            out.append(f"{path}: {value} <= exclusiveMinimum {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and not value < schema["exclusiveMaximum"]:
            out.append(f"{path}: {value} >= exclusiveMaximum {schema['exclusiveMaximum']}")
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            out.append(f"{path}: {value!r} shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{path}: {value!r} longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if fmt == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                out.append(f"{path}: {value!r} is not a date")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{path}: more than {schema['maxItems']} items")
        prefix = schema.get("prefixItems", [])
        for i, item in enumerate(value):
            sub = prefix[i] if i < len(prefix) else schema.get("items")
            if isinstance(sub, dict):
                out += errors(item, sub, root, f"{path}[{i}]")
            elif sub is False:
                out.append(f"{path}[{i}]: no item allowed here")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{path}: missing required {key!r}")
        for key, item in value.items():
            if key in props:
                out += errors(item, props[key], root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{path}: unknown key {key!r}")
    return out


def yaml_errors(path: Path) -> list[str]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return errors(doc if doc is not None else {}, SCHEMA, SCHEMA)


# --------------------------------------------------------------------------- the schema itself


def test_cli_prints_and_writes_the_schema(tmp_path: Path) -> None:
    assert schema_from_cli() == SCHEMA
    out = tmp_path / "inventory.schema.json"
    result = CliRunner().invoke(app, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == SCHEMA


def test_schema_header() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"]
    assert SCHEMA["type"] == "object"
    assert SCHEMA["required"] == []  # files are merged: no key is required in one file
    assert SCHEMA["additionalProperties"] is False  # a typo'd section is an error
    assert set(SCHEMA["properties"]) == set(TOP_LEVEL_KEYS)
    assert SCHEMA["description"]


def test_every_reference_resolves_and_every_keyword_is_known() -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                _resolve(SCHEMA, node["$ref"])
            # Under 'properties' and '$defs' the keys are names, not keywords.
            if not path.endswith(("properties", "$defs")):
                unknown = set(node) - ANNOTATIONS - ASSERTIONS
                assert not unknown, f"{path}: {unknown}"
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    walk(SCHEMA, "#")


@pytest.mark.parametrize("model", [Estate, *SECTIONS.values()], ids=lambda m: m.__name__)
def test_item_models_are_closed_and_described(model: type[BaseModel]) -> None:
    definition = SCHEMA["$defs"][model.__name__]
    assert definition["type"] == "object"
    assert definition["additionalProperties"] is False, "unknown fields must be rejected"
    assert definition.get("description"), f"{model.__name__} has no description"
    assert set(definition["properties"]) == set(model.model_fields)
    for name, prop in definition["properties"].items():
        assert prop.get("description"), f"{model.__name__}.{name} has no description"
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    assert set(definition.get("required", [])) == required


def test_sections_point_at_their_item_models() -> None:
    props = SCHEMA["properties"]
    assert props["estate"] == {"$ref": "#/$defs/Estate"}
    for section, model in SECTIONS.items():
        assert props[section]["type"] == "array"
        assert props[section]["items"] == {"$ref": f"#/$defs/{model.__name__}"}
        assert props[section].get("description"), section
    pair = props["separate"]["items"]
    assert pair["type"] == "array"
    assert len(pair["prefixItems"]) == 2


def test_with_jsonschema() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    paths = sorted(VALID_SMALL.glob("*.yaml")) + bundled_files()
    assert len(paths) > 10
    for path in paths:
        doc = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(doc)) == [], path


# --------------------------------------------------------------------------- files against it


@pytest.mark.parametrize("path", sorted(VALID_SMALL.glob("*.yaml")), ids=lambda p: p.name)
def test_valid_small_files_conform(path: Path) -> None:
    assert yaml_errors(path) == []


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("unknown-field", "unknown key 'closure_costs'"),
        ("wrong-type", "'four' is not of type"),
        ("negative-capacity", "-4 < minimum 0"),
        ("missing-required-field", "missing required 'annual_cost'"),
        ("unknown-top-level-key", "unknown key 'notes'"),
        ("section-not-a-list", "is not of type array"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(case: str, needle: str) -> None:
    found = [e for p in sorted((DATA / "broken" / case).glob("*.yaml")) for e in yaml_errors(p)]
    assert any(needle in e for e in found), found


def bundled_files() -> list[Path]:
    """The YAML files of every bundled estate: inventories/NAME/ holding estate.yaml, and
    the base estate of an import example (inventories/NAME/base/); not mapping files."""
    estates = [p.parent for p in (ROOT / "inventories").glob("*/estate.yaml")]
    estates += [p.parent for p in (ROOT / "inventories").glob("*/base/estate.yaml")]
    return sorted(f for d in estates for f in d.glob("*.y*ml"))


INVENTORY_FILES = bundled_files()


@pytest.mark.parametrize(
    "path",
    INVENTORY_FILES
    or [pytest.param(None, marks=pytest.mark.skip(reason="no estates under inventories/ yet"))],
    ids=lambda p: f"{p.parent.name}/{p.name}" if isinstance(p, Path) else "none",
)
def test_inventory_files_conform(path: Path) -> None:
    assert yaml_errors(path) == []


def test_the_small_validator_is_not_vacuous() -> None:
    """It rejects what it should (so the passing tests above mean something)."""
    assert errors({"rooms": [{"id": "x"}]}, SCHEMA, SCHEMA)
    assert errors(
        {"links": [{"a": "x", "b": "y", "network": "n", "latency_ms": -1}]}, SCHEMA, SCHEMA
    )
    assert errors({"separate": [["a", "b", "c"]]}, SCHEMA, SCHEMA)
    assert errors({"estate": {"name": "x", "start": "2027-02-30"}}, SCHEMA, SCHEMA)
    assert errors({"zones": [{"id": "a b"}]}, SCHEMA, SCHEMA)
    assert errors({"organisations": [{"id": "o", "desk": "d", "kind": "parish"}]}, SCHEMA, SCHEMA)
    link = {"a": "x", "b": "y", "network": "n", "latency_ms": 1, "bandwidth_mbps": 0}
    assert errors({"links": [link]}, SCHEMA, SCHEMA)
    assert not errors({"estate": {"name": "x", "start": dt.date(2027, 4, 1)}}, SCHEMA, SCHEMA)
