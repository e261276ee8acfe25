"""Turn raw items into the inventory's pydantic models, each problem a finding.

A raw item is the mapping a reader produced (:mod:`planner.inventory.raw`); its
model (:mod:`planner.inventory.items`) checks types, signs and bounds. Every error
the model raises becomes a :class:`~planner.inventory.findings.Finding` naming the
file, line, section, item and field, with a fix drawn from the kind of error and the
field's own description. Values the YAML reader already reported
(:class:`~planner.inventory.raw.BadValue`) are not reported again.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from planner.inventory.findings import Finding, Findings, Location
from planner.inventory.items import SECTIONS, Estate, Id, Item, Uncertainty
from planner.inventory.raw import BadValue, item_label, key_line, kind, line_of, shown

HINTS = {
    "float_parsing": "write a number such as 12 or 1.5",
    "float_type": "write a number such as 12 or 1.5",
    "finite_number": "write a finite number (not .inf or .nan)",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "int_from_float": "write a whole number",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "write a date as YYYY-MM-DD, without a time",
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_type": "write a date as YYYY-MM-DD",
    "string_type": "write text (quote it if it looks like a number, date or yes/no)",
    "string_pattern_mismatch": "ids may not contain spaces (or other white space) or ';'",
    "string_too_short": "it may not be empty",
    "list_type": "write a list, e.g. [a, b]",
    "greater_than_equal": "it may not be negative",
    "greater_than": "it must be greater than zero",
    "less_than_equal": "it is above the largest value the planner accepts",
    "literal_error": "use one of the allowed values",
    "value_error": "",
}
"""How to fix each kind of pydantic error (the field's description is added)."""


def model_findings(
    exc: ValidationError,
    where: Location,
    section: str,
    item: str | None,
    model: type[BaseModel],
) -> list[Finding]:
    """One finding per error of a model, naming the field (``depends_on[0].workload``)."""
    out = []
    for err in exc.errors(include_url=False):
        if holds_bad_value(err.get("input")):
            continue  # the YAML reader reported it, with its own line
        loc = err.get("loc", ())
        field_name = _field_path(loc)
        code, message, fix = _describe(err, field_name, model, loc)
        out.append(Finding("error", code, where, section, item, field_name or None, message, fix))
    return out


def holds_bad_value(value: Any) -> bool:
    """Whether a raw value is, or holds, a value the YAML reader reported
    (:class:`BadValue`). Iterative, each container once: safe on any document."""
    stack, seen = [value], set()
    while stack:
        current = stack.pop()
        if isinstance(current, BadValue):
            return True
        if isinstance(current, dict | list) and id(current) not in seen:
            seen.add(id(current))
            stack.extend(current.values() if isinstance(current, dict) else current)
            if isinstance(current, dict):
                stack.extend(k for k in current if isinstance(k, BadValue))
    return False


def _field_path(loc: tuple[Any, ...]) -> str:
    """('depends_on', 0, 'workload') -> 'depends_on[0].workload'."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _describe(
    err: Any, field_name: str, model: type[BaseModel], loc: tuple[Any, ...]
) -> tuple[str, str, str]:
    """(code, message, fix) of one pydantic error."""
    kind_ = err.get("type", "")
    msg = err.get("msg", "invalid value")
    code = f"field-{kind_ or 'invalid'}".replace("_", "-")
    if kind_ == "missing":
        desc = _field_doc(model, loc)
        return (
            code,
            "required field is missing",
            f"add '{field_name}'" + (f" ({desc})" if desc else ""),
        )
    if kind_ == "value_error":  # a model's own rule: its message says what and how
        ctx_error = (err.get("ctx") or {}).get("error")
        return code, str(ctx_error) if ctx_error is not None else msg, ""
    if kind_ == "extra_forbidden":
        known = ", ".join(_known_fields(model, loc))
        return code, "unknown field", f"remove it or correct the spelling; known fields: {known}"
    return code, f"{msg} (got {_shown(err.get('input'))})", _type_fix(kind_, model, loc)


def _shown(value: Any) -> str:
    """A value as the message shows it: its repr, cut to 60 characters."""
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    return shown(value)


def _field_model(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model owning the last named part of an error location."""
    current: type[BaseModel] = model
    names = [p for p in loc if isinstance(p, str)]
    for name in names[:-1]:
        info = current.model_fields.get(name)
        if info is None:
            return None
        ann = info.annotation
        inner = [
            a
            for a in (ann, *typing.get_args(ann))
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if not inner:
            return None
        current = inner[0]
    return current


def _field_doc(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    owner = _field_model(model, loc)
    names = [p for p in loc if isinstance(p, str)]
    if owner is None or not names or names[-1] not in owner.model_fields:
        return ""
    return (owner.model_fields[names[-1]].description or "").split("\n")[0]


def _known_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    owner = _field_model(model, loc) or model
    return list(owner.model_fields)


def _type_fix(kind_: str, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    desc = _field_doc(model, loc)
    hint = HINTS.get(kind_, "correct the value")
    if desc and hint:
        return f"{hint} ({desc})"
    return hint or desc


# --------------------------------------------------------------------------- items


def parse_estate(raw: Any, where: Location, findings: Findings) -> Estate | None:
    """The estate block as a model, or None (with findings) when it does not load."""
    if not isinstance(raw, dict):
        findings.add(
            Finding(
                "error",
                "not-a-mapping",
                where,
                "estate",
                None,
                None,
                f"the estate block must be a mapping of settings, found {kind(raw)}",
                "write 'estate:' then 'name: ...', 'start: ...'",
            )
        )
        return None
    try:
        estate = Estate.model_validate(dict(raw))
    except ValidationError as exc:
        findings.extend(model_findings(exc, where, "estate", None, Estate))
        return None
    return None if holds_bad_value(raw) else estate  # reported by the YAML reader


def parse_uncertainty(raw: Any, where: Location, findings: Findings) -> Uncertainty | None:
    """The uncertainty block as a model, or None (with findings) when it does not load.
    Each finding names the line of the field at fault (``migration_cost.high``) when the
    YAML reader recorded it, else the block's."""
    if not isinstance(raw, dict):
        findings.add(
            Finding(
                "error",
                "not-a-mapping",
                where,
                "uncertainty",
                None,
                None,
                f"the uncertainty block must be a mapping, found {kind(raw)}",
                "write 'uncertainty:' then e.g. 'migration_cost: {low: 0.9, mode: 1.1, "
                "high: 3.0}' (in a YAML file: the block has no table form)",
            )
        )
        return None
    try:
        uncertainty = Uncertainty.model_validate(dict(raw))
    except ValidationError as exc:
        for finding in model_findings(exc, where, "uncertainty", None, Uncertainty):
            line = _field_line(raw, finding.field)
            if line is not None:
                finding = dataclasses.replace(finding, where=Location(where.file, line))
            findings.add(finding)
        return None
    return None if holds_bad_value(raw) else uncertainty  # reported by the YAML reader


def _field_line(raw: Any, field: str | None) -> int | None:
    """Line of a dotted field (``migration_cost.high``) in a raw mapping: the deepest part
    whose line is known."""
    line = None
    for part in (field or "").split(".") if field else []:
        if not isinstance(raw, dict):
            break
        line = key_line(raw, part) or line_of(raw.get(part)) or line
        raw = raw.get(part)
    return line


def parse_items(
    section: str, raw_list: Any, path: Path, findings: Findings, rejected: set[tuple[str, str]]
) -> list[tuple[Item, Location, str]]:
    """(model, where, label) of each item of one file's list under ``section`` that loads;
    the (section, label) of each that does not (but has an id) is added to ``rejected``."""
    model = SECTIONS[section]
    if not isinstance(raw_list, list):
        findings.add(
            Finding(
                "error",
                "not-a-list",
                Location(path.name, line_of(raw_list)),
                section,
                None,
                None,
                f"'{section}' must be a list of items, found {kind(raw_list)}",
                "write each item as '- id: ...'",
            )
        )
        return []
    out = []
    for index, raw in enumerate(raw_list):
        where = Location(path.name, line_of(raw))
        label = item_label(section, raw, index)
        if not isinstance(raw, dict):
            findings.add(
                Finding(
                    "error",
                    "not-a-mapping",
                    where,
                    section,
                    label,
                    None,
                    f"each entry of '{section}' must be a mapping of fields, found {kind(raw)}",
                    "write it as '- id: ...'",
                )
            )
            continue
        try:
            item = model.model_validate(dict(raw))
        except ValidationError as exc:
            findings.extend(model_findings(exc, where, section, label, model))
            item = None
        if item is None or holds_bad_value(raw):  # a value the YAML reader reported
            if "id" in raw:
                rejected.add((section, label))
            continue
        out.append((item, where, label))
    return out


# --------------------------------------------------------------------------- separate

_ID = TypeAdapter(Id)


def parse_separate(raw: Any, path: Path, findings: Findings) -> list[tuple[str, str, Location]]:
    """The zone pairs of one file's ``separate`` list, each with where it was written."""
    if not isinstance(raw, list):
        findings.add(
            Finding(
                "error",
                "not-a-list",
                Location(path.name, line_of(raw)),
                "separate",
                None,
                None,
                f"'separate' must be a list of zone pairs, found {kind(raw)}",
                "write e.g. '- [nhs, official]'",
            )
        )
        return []
    pairs = []
    for index, entry in enumerate(raw):
        where = Location(path.name, line_of(entry) or line_of(raw))
        problems = list(_pair_problems(entry, where, f"separate[{index}]"))
        if problems:
            findings.extend(problems)
            continue
        pair = _pair(entry)
        pairs.append((pair[0].strip(), pair[1].strip(), where))
    return pairs


def _pair(entry: Any) -> Any:
    """The two cells of a pair written as a list, or as a table row with columns a and b."""
    return [entry.get("a"), entry.get("b")] if isinstance(entry, dict) else entry


def _pair_problems(entry: Any, where: Location, label: str) -> Iterator[Finding]:
    """What is wrong with one entry of ``separate`` (nothing when it is a good pair)."""

    def problem(code: str, field: str | None, message: str, fix: str) -> Finding:
        return Finding("error", code, where, "separate", label, field, message, fix)

    if isinstance(entry, dict):
        extra = [k for k in entry if k not in ("a", "b")]
        if None in extra:  # csv.DictReader keeps surplus cells under the key None
            cells = entry[None] if isinstance(entry[None], list) else [entry[None]]
            yield problem(
                "field-extra-forbidden",
                None,
                "the row has more cells than columns "
                f"(extra: {', '.join(shown(c) for c in cells)})",
                "give each row two cells, under columns 'a' and 'b'",
            )
            return
        if extra:
            names = ", ".join(str(k) for k in extra)
            yield problem(
                "field-extra-forbidden", names, "unknown column", "use columns 'a' and 'b'"
            )
            return
    pair = _pair(entry)
    if (
        not isinstance(pair, list | tuple)
        or len(pair) != 2
        or not all(isinstance(z, str) and z.strip() for z in pair)
    ):
        found = shown(entry) if not isinstance(entry, dict) else "a mapping"
        yield problem(
            "bad-pair",
            None,
            f"each entry must be a pair of zone ids, found {found}",
            "write e.g. '- [nhs, official]'",
        )
        return
    bad = [z for z in (pair[0].strip(), pair[1].strip()) if not _valid_id(z)]
    if bad:
        yield problem(
            "bad-pair",
            None,
            f"{bad[0]!r} is not a zone id",
            "ids may not contain spaces, ';' or unprintable characters",
        )


def _valid_id(text: str) -> bool:
    try:
        _ID.validate_python(text)
    except ValidationError:
        return False
    return True
