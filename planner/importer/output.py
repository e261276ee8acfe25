"""imported.yaml: the import's room capacities and workloads as inventory YAML.

``room_compute:`` comes first (one line per room), then ``workloads:`` in block style,
fields in the inventory's order, fields at their default left out (``racks: 0`` and
``power_kw: 0`` are written: they are required). Numbers are written so they read
back exactly (whole numbers without ``.0``). A comment header says where the file came
from and that it is rewritten by the next import.

The text is written directly rather than by PyYAML's representer, which took 4 s for
20,000 workloads: a string is written plain when it can only read back as that string
(letters first, then letters, digits, spaces and ``_ . / ( ) -``, and not a word YAML
reads as true, false or null), and otherwise double-quoted as JSON, which is valid
YAML; tests read the file back with a YAML parser.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from planner.inventory.items import RoomCompute, Workload

REQUIRED = ("id", "organisation", "zone", "room", "racks", "power_kw")
"""Written even at their default (racks and power_kw are required fields)."""

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_./()-]*(?: [A-Za-z0-9_./()-]+)*")
_SPECIAL = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf"})


def imported_yaml(workloads: list[Workload], room_compute: list[RoomCompute], header: str) -> str:
    """The text of imported.yaml."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    if room_compute:
        lines += ["", "room_compute:"]
        lines += [f"  - {_flow(_fields(rc, ()))}" for rc in room_compute]
    if workloads:
        lines += ["", "workloads:"]
        for w in workloads:
            fields = iter(_fields(w, REQUIRED).items())
            key, value = next(fields)
            lines.append(f"  - {key}: {_value(value)}")
            lines.extend(f"    {k}: {_value(v)}" for k, v in fields)
    return "\n".join(lines) + "\n"


def _fields(item: Workload | RoomCompute, required: tuple[str, ...]) -> dict[str, Any]:
    """An item's fields in model order, leaving out those at their default (or None)."""
    defaults = _defaults(type(item))
    out: dict[str, Any] = {}
    for name in type(item).model_fields:
        value = getattr(item, name)
        if value is None or (name not in required and name in defaults and value == defaults[name]):
            continue
        out[name] = value
    return out


@functools.cache
def _defaults(model: type[Workload] | type[RoomCompute]) -> dict[str, Any]:
    """Field -> default, for the fields that have one (pydantic's lookup is slow)."""
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if not info.is_required()
    }


def _flow(fields: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in fields.items()) + "}"


def _value(value: Any) -> str:
    """One YAML scalar or flow list that reads back as ``value``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return scalar(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__}")  # pragma: no cover


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def scalar(text: str) -> str:
    """A string as a YAML scalar: plain when that reads back as the same string."""
    if _PLAIN.fullmatch(text) and text.lower() not in _SPECIAL:
        return text
    return json.dumps(text, ensure_ascii=False)
