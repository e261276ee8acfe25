"""Read one YAML file safely: a raw document and a finding for everything wrong in it.

PyYAML's safe loader, made to never raise on bad input:

* mappings and lists remember their lines (:class:`~planner.inventory.raw.LineDict`),
  and a key given twice in one mapping is reported;
* a scalar that cannot be constructed (a date that does not exist such as
  ``2026-02-30``, a tag with a bad value such as ``!!float nope`` or ``!!int 0x``) stays
  in the document as a :class:`~planner.inventory.raw.BadValue` and is reported with its
  own line and field, so the rest of the file still loads and every other finding is
  listed with it;
* tags the format has no use for (``!!set``, ``!!binary``...) are reported the same way;
* lists and mappings nested deeper than
  :data:`~planner.inventory.yaml_values.MAX_DEPTH` (``[[[[...]]]]``) are reported with
  the line and field where they pass it, even when the nesting exhausts the reader's
  stack (never a RecursionError);
* syntax errors and characters YAML forbids are reported with their line.

libyaml parses when PyYAML was built with it (3x faster); on any syntax error the
file is parsed again in pure Python, so findings read the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.items import TOP_LEVEL_KEYS
from planner.inventory.raw import (
    BadValue,
    LineDict,
    LineList,
    decode,
    file_problem,
    kind,
    shown,
)
from planner.inventory.yaml_values import bad_value_findings, cut_deep, nesting_finding

CORE = "tag:yaml.org,2002:"

WHAT = {
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "timestamp": "a date",
}
"""What each tag's value must be, for the fix."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that records mapping lines and reports duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int, str | None]] = []
        """(key, line, id of the mapping when it has one) for every repeated key."""
        self._text = stream

    def get_single_data(self) -> Any:
        """Parse with libyaml when it is installed (3x faster: 21 s -> 7 s for a national
        estate); on a syntax error parse again in pure Python, so findings read as before."""
        if _CLoader is not None:
            fast = _CLoader(self._text)
            try:
                doc = fast.get_single_data()
            except yaml.YAMLError as exc:
                if "nesting depth" in str(exc):  # libyaml's limit: do not rescan slowly
                    raise RecursionError(str(exc)) from exc
            else:
                self.duplicate_keys = fast.duplicate_keys
                return doc
            finally:
                fast.dispose()
        return super().get_single_data()


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    repeated: list[tuple[str, int]] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict):  # bounded: an alias may make it exponentially large
            key = shown(key)
        elif not isinstance(key, str):
            key = str(key)
        if key in mapping:
            repeated.append((key, key_node.start_mark.line + 1))
        mapping.key_lines[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_object(value_node, deep=True)
    ident = mapping.get("id")
    label = str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) else None
    loader.duplicate_keys.extend((key, line, label) for key, line in repeated)
    return mapping


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    seq = LineList(loader.construct_sequence(node, deep=True))
    seq.line = node.start_mark.line + 1
    return seq


def _tolerant(
    name: str, construct: Callable[[Any, yaml.ScalarNode], Any]
) -> Callable[[Any, yaml.Node], Any]:
    """The safe constructor of core tag ``name``, returning a BadValue where it would raise."""

    def build(loader: Any, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return construct(loader, node)  # type: ignore[arg-type]  # raises ConstructorError
        try:
            return construct(loader, node)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # ValueError, KeyError, AttributeError, IndexError...
            return _bad_scalar(loader, node, name, exc)

    return build


def _bad_scalar(loader: Any, node: yaml.ScalarNode, name: str, exc: Exception) -> BadValue:
    text = str(node.value)
    implied = not node.style and loader.resolve(yaml.ScalarNode, text, (True, False)) == node.tag
    reason = str(exc) if isinstance(exc, ValueError) and str(exc) else f"not {WHAT[name]}"
    shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
    if implied and name == "timestamp":
        message = f"{shown} is not a real date ({reason})"
        fix = "write a date that exists, as YYYY-MM-DD (quote it if it is not meant as a date)"
    elif implied:
        message = f"{shown} reads as {WHAT[name]} in YAML but is not a valid one ({reason})"
        fix = "correct the number, or quote the value if it is text"
    else:
        message = f"{shown} is not a valid !!{name} value ({reason})"
        fix = f"write {WHAT[name]} after '!!{name}', or remove the tag"
    return BadValue(text, node.start_mark.line + 1, message, fix)


def _unsupported(name: str) -> Callable[[Any, yaml.Node], BadValue]:
    """A constructor for a core tag the inventory format has no use for."""

    def build(loader: Any, node: yaml.Node) -> BadValue:
        text = node.value if isinstance(node.value, str) else ""
        return BadValue(
            text,
            node.start_mark.line + 1,
            f"the tag '!!{name}' is not part of the inventory format",
            "remove the tag; write lists as [a, b] and text as plain or quoted text",
        )

    return build


def _register(loader: Any) -> None:
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    safe = yaml.constructor.SafeConstructor
    for name, construct in (
        ("bool", safe.construct_yaml_bool),
        ("int", safe.construct_yaml_int),
        ("float", safe.construct_yaml_float),
        ("timestamp", safe.construct_yaml_timestamp),
    ):
        loader.add_constructor(CORE + name, _tolerant(name, construct))
    for name in ("set", "omap", "pairs", "binary"):
        loader.add_constructor(CORE + name, _unsupported(name))


_register(_Loader)

_CLoader: Any = None
"""The same loader on libyaml's parser, when PyYAML was built with it."""
if getattr(yaml, "CSafeLoader", None) is not None:

    class _CLoaderClass(yaml.CSafeLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicate_keys: list[tuple[str, int, str | None]] = []

    _register(_CLoaderClass)
    _CLoader = _CLoaderClass


# --------------------------------------------------------------------------- reading


def read_yaml(path: Path, findings: Findings) -> dict[str, Any]:
    """The top-level mapping of one YAML file ({} when it cannot be read); every problem
    is added to ``findings``."""
    text = decode(path, findings, "save the file as UTF-8")
    try:
        loader = _Loader(text)  # checks for characters YAML forbids
    except yaml.reader.ReaderError as exc:
        findings.add(
            Finding(
                "error",
                "encoding",
                Location(path.name, text[: exc.position].count("\n") + 1),
                "file",
                None,
                None,
                f"character U+{exc.character:04X} is not allowed in YAML text",
                "remove it (a control character, often pasted in or from a binary file)",
            )
        )
        return {}
    try:
        doc = _parse(path, loader, text, findings)
    finally:
        loader.dispose()
    if doc is None:
        return {}
    findings.extend(list(_duplicate_key_findings(path, loader)))
    doc = cut_deep(doc)
    findings.extend(list(bad_value_findings(path, doc)))
    if not isinstance(doc, dict):
        findings.add(
            file_problem(
                path,
                "not-a-mapping",
                f"the file must be a mapping of top-level keys, found {kind(doc)}",
                f"start with keys such as: {', '.join(TOP_LEVEL_KEYS)}",
            )
        )
        return {}
    return doc


def _parse(path: Path, loader: _Loader, text: str, findings: Findings) -> Any:
    """The document, or None (with a finding) when the file is not YAML we can read."""
    try:
        return loader.get_single_data()
    except RecursionError:
        findings.add(nesting_finding(path, text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        findings.add(
            Finding(
                "error",
                "yaml-syntax",
                Location(path.name, line),
                "file",
                None,
                None,
                f"YAML syntax error: {exc.problem or exc}",
                "fix the indentation or quoting at that line",
            )
        )
    except yaml.YAMLError as exc:
        findings.add(
            file_problem(path, "yaml-syntax", f"YAML error: {exc}", "check the file is YAML text")
        )
    return None


def _duplicate_key_findings(path: Path, loader: _Loader) -> Iterator[Finding]:
    for key, line, label in loader.duplicate_keys:
        yield Finding(
            "error",
            "duplicate-key",
            Location(path.name, line),
            "file",
            label,
            key,
            f"key '{key}' appears twice in the same mapping; the first value would be lost",
            "remove or merge one of them",
        )
