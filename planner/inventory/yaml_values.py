"""What the YAML reader could not read, as findings: bad values and nesting too deep.

The reader (:mod:`planner.inventory.yaml_reader`) leaves a
:class:`~planner.inventory.raw.BadValue` where a scalar could not be constructed; this
module cuts lists and mappings nested deeper than :data:`MAX_DEPTH` to such values, and
turns each into a finding naming its line, section, item and field. When the nesting is
so deep that the reader's own stack ran out, :func:`nesting_finding` finds where from
the parser's event stream. Every walk here is iterative and visits each container once,
so neither deep nesting nor aliases repeated over and over (a 'billion laughs' file)
make it slow or deep.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from planner.inventory.findings import Finding, Location
from planner.inventory.items import TOP_LEVEL_KEYS
from planner.inventory.raw import BadValue, item_label, line_of

MAX_DEPTH = 64
"""Lists and mappings nested deeper than this are reported (and cut) rather than read:
the format needs 5 levels (file, section, item, ``depends_on``, entry), and far deeper
nesting would exhaust the reader's stack."""

NESTING = (
    f"lists or mappings are nested more than {MAX_DEPTH} levels deep here; the format "
    "needs at most 5",
    "remove the extra brackets",
)
"""Message and fix of a nesting finding."""


# --------------------------------------------------------------------------- bad values


def bad_value_findings(path: Path, doc: Any) -> Iterator[Finding]:
    """A finding for every :class:`BadValue` in a document, in document order, naming
    the section, the item and the field path (``depends_on[0].max_latency_ms``)."""
    seen: set[int] = set()
    roots: list[tuple[Any, str, str | None, str]] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if isinstance(key, BadValue):
                roots.append((key, "file", None, ""))
            if key != "estate" and isinstance(value, list):
                roots.extend(
                    (entry, str(key), item_label(str(key), entry, i), "")
                    for i, entry in enumerate(value)
                )
            else:
                roots.append((value, str(key), None, ""))
    else:
        roots.append((doc, "file", None, ""))
    stack = list(reversed(roots))
    while stack:
        value, section, item, field = stack.pop()
        if isinstance(value, BadValue):
            where = Location(path.name, value.line)
            if value.code == "yaml-nesting":  # name the item's field, not 60 levels of it
                field = field.replace("[", ".[").split(".")[0] if section != "file" else field
            yield Finding(
                "error", value.code, where, section, item, field or None, value.message, value.fix
            )
        elif isinstance(value, dict | list) and id(value) not in seen:
            seen.add(id(value))
            stack.extend(reversed(list(_children(value, section, item, field))))


def _children(value: Any, section: str, item: str | None, field: str) -> Iterator[Any]:
    if isinstance(value, list):
        for i, entry in enumerate(value):
            yield entry, section, item, f"{field}[{i}]"
        return
    for key, entry in value.items():
        name = f"{field}.{key}" if field else str(key)
        if isinstance(key, BadValue):
            yield key, section, item, name
        yield entry, section, item, name


# --------------------------------------------------------------------------- nesting


def cut_deep(doc: Any) -> Any:
    """The document with every list or mapping nested deeper than MAX_DEPTH replaced by
    a :class:`BadValue` (reported by :func:`bad_value_findings`, line and field)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    seen: set[int] = set()
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list) or id(value) in seen:
            continue
        seen.add(id(value))
        slots = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        for slot, child in slots:
            if not isinstance(child, dict | list):
                continue
            if depth >= MAX_DEPTH:
                value[slot] = _too_deep(child, line_of(value))
            else:
                stack.append((child, depth + 1))
    return doc


def _too_deep(value: Any, parent_line: int | None = None) -> BadValue:
    message, fix = NESTING
    return BadValue("", line_of(value) or parent_line, message, fix, "yaml-nesting")


def nesting_finding(path: Path, text: str) -> Finding:
    """Where a file that exhausted the reader's stack first nests deeper than MAX_DEPTH.

    Found from the parser's event stream, which keeps its own stack (no recursion); with
    libyaml, in C (PyYAML's own scanner takes time quadratic in the nesting depth)."""
    depth = 0
    keys: list[Any] = []
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return _nesting(path, mark.line + 1 if mark is not None else None, keys)
                keys.append([isinstance(event, yaml.MappingStartEvent), 0, None, None])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                keys.pop()
                _next(keys, None)
            elif isinstance(event, yaml.ScalarEvent):
                _next(keys, event.value)
    except yaml.MarkedYAMLError as exc:  # libyaml stops at its own limit, further in
        mark = exc.problem_mark or exc.context_mark
        return _nesting(path, mark.line + 1 if mark is not None else None, keys)
    except yaml.YAMLError:
        pass
    return _nesting(path, None, keys)


def _next(frames: list[Any], scalar: str | None) -> None:
    """Advance the innermost frame past one value (a key or value in a mapping)."""
    if not frames:
        return
    frame = frames[-1]
    is_map, count, key, _ = frame
    if is_map and count % 2 == 0:
        frame[2] = scalar  # a key
    elif is_map and key == "id" and scalar is not None:
        frame[3] = scalar  # the mapping's id, to name the item
    frame[1] = count + 1


def _nesting(path: Path, line: int | None, frames: list[Any]) -> Finding:
    """The finding, naming the section, item and field where the nesting is."""
    names = [str(key) if is_map else f"[{count}]" for is_map, count, key, _ in frames]
    section = names[0] if names and names[0] in TOP_LEVEL_KEYS else "file"
    item: str | None = None
    field: str | None = None
    if section == "estate" and len(names) >= 2:
        field = names[1]
    elif section != "file" and len(frames) >= 3 and not frames[1][0] and frames[2][0]:
        item = f"{section}{names[1]}" if frames[2][3] is None else str(frames[2][3])
        field = frames[2][2]
    return Finding(
        "error",
        "yaml-nesting",
        Location(path.name, line),
        section,
        item,
        field,
        *NESTING,
    )
